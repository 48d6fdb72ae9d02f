//! The bundled releases of `corpus/`, shared by the test files that read
//! them (included with `#[path = "common/corpus.rs"] mod common_corpus;`).

use std::path::Path;

/// The bytes of `corpus/NAME`.
pub fn corpus(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
