//! Folder walks skip hidden folders and files (`.git`, `.cache`), as
//! ripgrep does; a hidden file named on the command line is still read.

use std::path::Path;

use assert_cmd::Command;

#[test]
fn hidden_entries_are_not_walked_but_named_ones_are_read() {
    let release =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/broken/total-does-not-foot.txt");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join("filings")).unwrap();
    std::fs::copy(&release, dir.path().join(".git/in-git.txt")).unwrap();
    std::fs::copy(&release, dir.path().join(".draft.txt")).unwrap();
    std::fs::copy(&release, dir.path().join("filings/q1.txt")).unwrap();

    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .args(["check", "--format", "concise"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("filings/q1.txt"), "{text}");
    assert!(
        !text.contains("in-git.txt") && !text.contains(".draft.txt"),
        "{text}"
    );

    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .args(["check", "--format", "concise"])
        .arg(dir.path().join(".draft.txt"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(".draft.txt"));
    assert_eq!(out.status.code(), Some(1));
}

/// A sweep reads `.txt`, `.htm` and `.html` releases by default, in any
/// letter case (EDGAR archives name exhibits `EX-99.HTM`), and nothing else
/// unless `--include` says so.
#[test]
fn html_releases_are_walked_by_default() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/broken");
    let dir = tempfile::tempdir().unwrap();
    let html = corpus.join("html-total-does-not-foot.htm");
    std::fs::copy(&html, dir.path().join("a.htm")).unwrap();
    std::fs::copy(&html, dir.path().join("B.HTM")).unwrap();
    std::fs::copy(&html, dir.path().join("c.html")).unwrap();
    std::fs::copy(&html, dir.path().join("d.xml")).unwrap();
    std::fs::copy(
        corpus.join("total-does-not-foot.txt"),
        dir.path().join("e.txt"),
    )
    .unwrap();

    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .args(["check", "--format", "concise"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for name in ["a.htm", "B.HTM", "c.html", "e.txt"] {
        assert!(
            text.lines()
                .any(|l| l.contains(name) && l.contains("total-does-not-foot")),
            "{name}: {text}"
        );
    }
    assert!(!text.contains("d.xml"), "{text}");

    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .args(["check", "--format", "concise", "--include", "*.xml"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("d.xml") && !text.contains("a.htm"), "{text}");
}
