//! Fuzz target: the rule loader (YAML and assertion expressions) never
//! panics or overflows the stack, and every diagnostic label lies within
//! the file it points into.
//!
//! Run with `cargo +nightly fuzz run rules` from the repository root.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tieout::rules::RulePack;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    // As a whole rule file, over the default pack (loaded once: it
    // compiles the concept dictionary).
    static PACK: OnceLock<RulePack> = OnceLock::new();
    let mut pack = PACK.get_or_init(RulePack::default_pack).clone();
    if let Err(e) = pack.load_str(src, "fuzz.yaml") {
        for (span, _) in e.labels_text() {
            assert!(span.end() <= src.len(), "label {span:?} past {}", src.len());
        }
    }
    // As an assertion on its own.
    if let Err(e) = tieout::rules::expr::parse_assertion(src) {
        assert!(e.offset <= src.len());
    }
});
