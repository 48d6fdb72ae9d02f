//! Sweeps as a map step of a scheduler: `--files-from`, `--shard K/N`,
//! self-contained JSONL lines, and `tieout merge` giving the bytes of a
//! single run.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

const BIN: &str = env!("CARGO_BIN_EXE_tieout");

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn tieout(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("FORCE_COLOR")
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(300));
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The paths of the file lines of a JSONL run.
fn jsonl_paths(out: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "file")
        .map(|v| v["path"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn shards_cover_a_tree_exactly_once() {
    let all = tieout(root(), &["check", "--format", "jsonl", "corpus"], None);
    let mut all = jsonl_paths(&all.stdout);
    all.sort();
    assert!(all.len() > 30);
    for n in [1u32, 2, 5, 16] {
        let mut covered = Vec::new();
        for k in 1..=n {
            let shard = format!("{k}/{n}");
            let r = tieout(
                root(),
                &["check", "--format", "jsonl", "--shard", &shard, "corpus"],
                None,
            );
            assert_ne!(
                r.code, 2,
                "{shard}: an empty shard is not an error: {}",
                r.stderr
            );
            let lines = String::from_utf8_lossy(&r.stdout).into_owned();
            assert!(lines.ends_with("}\n") && lines.contains("\"type\":\"summary\""));
            covered.extend(jsonl_paths(&r.stdout));
        }
        covered.sort();
        assert_eq!(covered, all, "{n} shards");
    }
    for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
        let r = tieout(root(), &["check", "--shard", bad, "corpus"], None);
        assert_eq!(r.code, 2, "{bad}");
    }
}

#[test]
fn merged_parts_are_the_bytes_of_a_single_run() {
    let parts = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let r = tieout(
            root(),
            &[
                "check", "--format", "jsonl", "--claims", "--shard", &shard, "corpus",
            ],
            None,
        );
        let name = parts.path().join(format!("part{k}.jsonl"));
        std::fs::write(&name, &r.stdout).unwrap();
        names.push(name.to_str().unwrap().to_owned());
    }
    for format in ["json", "jsonl", "sarif", "junit", "concise"] {
        let single = tieout(
            root(),
            &["check", "--format", format, "--claims", "corpus"],
            None,
        );
        let mut args = vec!["merge", "--format", format];
        // Parts in any order.
        args.extend(names.iter().rev().map(String::as_str));
        let merged = tieout(root(), &args, None);
        assert_eq!(merged.code, single.code, "{format}: {}", merged.stderr);
        assert!(
            merged.stdout == single.stdout,
            "{format}: merged output differs from the single run"
        );
    }
    // One part from standard input.
    let stdin = std::fs::read(&names[0]).unwrap();
    let r = tieout(
        root(),
        &["merge", "--format", "concise", "-", &names[1], &names[2]],
        Some(stdin),
    );
    let single = tieout(
        root(),
        &["check", "--format", "concise", "--claims", "corpus"],
        None,
    );
    assert_eq!(r.stdout, single.stdout);
}

#[test]
fn merge_refuses_parts_it_cannot_trust() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let whole = tieout(
        root(),
        &["check", "--format", "jsonl", "corpus/broken"],
        None,
    )
    .stdout;
    let text = String::from_utf8(whole).unwrap();
    std::fs::write(d.join("whole.jsonl"), &text).unwrap();
    // Interrupted: no summary line.
    let cut: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
    std::fs::write(d.join("cut.jsonl"), cut).unwrap();
    // Another version.
    std::fs::write(
        d.join("v9.jsonl"),
        text.replace("\"version\":2", "\"version\":9"),
    )
    .unwrap();
    let merge = |args: &[&str]| tieout(d, &[&["merge"][..], args].concat(), None);
    let r = merge(&["cut.jsonl"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("without its summary line"),
        "{}",
        r.stderr
    );
    let r = merge(&["whole.jsonl", "whole.jsonl"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("the parts overlap"), "{}", r.stderr);
    let r = merge(&["v9.jsonl"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("schema version 9"), "{}", r.stderr);
    let r = merge(&["--format", "human", "whole.jsonl"]);
    assert_eq!(r.code, 2);
    let r = merge(&["whole.jsonl"]);
    assert_eq!(r.code, 1, "the broken releases fail the merged run too");
}

#[test]
fn files_from_reads_newline_and_nul_separated_lists() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = std::fs::read(root().join("corpus/01-basic-quarter.txt")).unwrap();
    let bad = std::fs::read(root().join("corpus/broken/total-does-not-foot.txt")).unwrap();
    std::fs::write(d.join("a b.txt"), &good).unwrap();
    std::fs::write(d.join("-dash.txt"), &bad).unwrap();
    std::fs::write(d.join("new\nline.txt"), &good).unwrap();
    std::fs::write(d.join("unlisted.txt"), &bad).unwrap();
    let paths = |r: &Run| {
        let mut p = jsonl_paths(&r.stdout);
        p.sort();
        p
    };
    std::fs::write(d.join("list"), "a b.txt\r\n-dash.txt\n\n").unwrap();
    let r = tieout(
        d,
        &["check", "--format", "jsonl", "--files-from", "list"],
        None,
    );
    assert_eq!(paths(&r), ["-dash.txt", "a b.txt"], "{}", r.stderr);
    assert_eq!(r.code, 1);
    let r = tieout(
        d,
        &["check", "--format", "jsonl", "-0", "--files-from", "-"],
        Some(b"new\nline.txt\0a b.txt\0".to_vec()),
    );
    assert_eq!(paths(&r), ["a b.txt", "new\nline.txt"], "{}", r.stderr);
    assert_eq!(r.code, 0);
    // An empty list is a worker with nothing to do.
    let r = tieout(
        d,
        &["check", "--format", "jsonl", "--files-from", "-"],
        Some(Vec::new()),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(paths(&r).is_empty());
    // A listed path that does not exist is an error, as on the command line.
    let r = tieout(
        d,
        &["check", "--files-from", "-"],
        Some(b"missing.txt\n".to_vec()),
    );
    assert_eq!(r.code, 2);
}

/// `scripts/scale/run.sh`: each recipe (GNU parallel, Dask, Spark) whose
/// engine is installed runs over the corpus and its merged SARIF and JSON
/// must be the single run's bytes. Recipes without their engine are
/// skipped, and say so.
#[test]
fn scale_recipes_merge_to_the_single_run() {
    let installed = |cmd: &str, args: &[&str]| {
        std::process::Command::new(cmd)
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let any = installed("parallel", &["--version"])
        || installed("python3", &["-c", "import dask.bag"])
        || installed("python3", &["-c", "import pyspark"]);
    if !any || !installed("bash", &["--version"]) {
        eprintln!("skipped: none of GNU parallel, Dask or PySpark is installed");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let r = std::process::Command::new("bash")
        .arg(root().join("scripts/scale/run.sh"))
        .arg("corpus")
        .arg(out.path())
        .current_dir(root())
        .env("TIEOUT", BIN)
        .env("CHUNK", "7")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&r.stdout);
    eprintln!("{stdout}");
    assert!(
        r.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(stdout.contains("identical to the single run"), "{stdout}");
    assert!(!stdout.contains("DIFFERS"), "{stdout}");
}
