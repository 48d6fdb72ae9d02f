//! The `tieout` commands when their reader goes away: `tieout parse ... |
//! head` must end quietly, not panic.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "common/pipe.rs"]
mod common_pipe;
use common_pipe::read_then_hang_up;

/// The releases of `corpus/` and `corpus/broken/`.
fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<PathBuf> = [root.clone(), root.join("broken")]
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// Runs `tieout ARGS`, reads the first bytes of its output, closes the pipe
/// and returns (exit success, stderr).
fn run_and_hang_up(args: &[&str]) -> (bool, String) {
    let out = read_then_hang_up(
        Command::new(env!("CARGO_BIN_EXE_tieout"))
            .args(args)
            .args(corpus_files()),
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn parse_json_into_a_closed_pipe_ends_quietly() {
    // The JSON of the whole corpus is far larger than a pipe's buffer, so
    // the write after the hang-up fails.
    let (ok, stderr) = run_and_hang_up(&["parse", "--format", "json"]);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(ok, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn parse_outline_into_a_closed_pipe_ends_quietly() {
    let (ok, stderr) = run_and_hang_up(&["parse"]);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(ok, "{stderr}");
}

#[test]
fn check_sarif_into_a_closed_pipe_ends_quietly() {
    // The SARIF log of the corpus (its broken releases have findings) is
    // larger than a pipe's buffer.
    let (_, stderr) = run_and_hang_up(&["check", "--format", "sarif"]);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("cannot write output"), "{stderr}");
}
