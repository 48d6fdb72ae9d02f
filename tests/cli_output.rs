//! The `tieout` commands when their reader goes away (`tieout parse ... |
//! head` must end quietly, not panic), and `tieout parse` over folders.

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
            .env_remove("FORCE_COLOR")
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

/// Runs `tieout ARGS` to completion: (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tieout"))
        .env_remove("FORCE_COLOR")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn parse_walks_a_folder_and_writes_one_json_array() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for name in ["01-basic-quarter.txt", "14-html-workiva.htm"] {
        std::fs::copy(corpus.join(name), dir.path().join(name)).unwrap();
    }
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::copy(
        corpus.join("02-three-and-nine-months.txt"),
        dir.path().join("sub/q3.txt"),
    )
    .unwrap();
    // Not a release name, and hidden: not walked.
    std::fs::write(dir.path().join("notes.md"), "# notes\n").unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".git/x.txt"), "Revenue 1\n").unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, out, err) = run(&["parse", "--format", "json", d]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = v
        .as_array()
        .expect("an array for a folder")
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert!(paths[0].ends_with("01-basic-quarter.txt"), "{paths:?}");
    assert!(paths[1].ends_with("14-html-workiva.htm"), "{paths:?}");
    assert!(paths[2].ends_with("q3.txt"), "{paths:?}");
    // The outline of a folder shows every release.
    let (code, out, _) = run(&["parse", d]);
    assert_eq!(code, 0);
    assert_eq!(out.matches(" document, ").count(), 3, "{out}");
    // One file is one object, as before.
    let one = corpus.join("01-basic-quarter.txt");
    let (_, out, _) = run(&["parse", "--format", "json", one.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v.is_object());
    // A path that does not exist fails before any output.
    let (code, out, err) = run(&["parse", "--format", "json", d, "/no/such/tieout/path"]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("no such file"), "{err}");
}

#[cfg(unix)]
#[test]
fn parse_reports_an_unreadable_entry_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    std::fs::copy(
        corpus.join("01-basic-quarter.txt"),
        dir.path().join("a.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/no/such/target", dir.path().join("b.txt")).unwrap();
    let (code, out, err) = run(&["parse", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert!(err.contains("b.txt") && err.contains("dangling"), "{err}");
}
