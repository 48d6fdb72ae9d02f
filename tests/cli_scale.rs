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

/// Writes the releases `files` (name, bytes) into `path` as a zip, tar or
/// tar.gz, in the order given.
fn bundle(path: &Path, files: &[(String, Vec<u8>)]) {
    use std::io::Write;
    let name = path.to_str().unwrap();
    if name.ends_with(".zip") {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        for (n, bytes) in files {
            zip.start_file(n.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
        return;
    }
    let file = std::fs::File::create(path).unwrap();
    let out: Box<dyn Write> = if name.ends_with(".gz") || name.ends_with(".tgz") {
        Box::new(flate2::write::GzEncoder::new(
            file,
            flate2::Compression::fast(),
        ))
    } else {
        Box::new(file)
    };
    let mut tar = tar::Builder::new(out);
    for (n, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, n, bytes.as_slice()).unwrap();
    }
    tar.into_inner().unwrap().flush().unwrap();
}

#[test]
fn bundles_are_checked_member_by_member_without_unpacking() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The corpus's top-level releases and broken variants, unpacked under
    // `plain/` as the reference.
    let mut files = Vec::new();
    for sub in ["corpus", "corpus/broken"] {
        for e in std::fs::read_dir(root().join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                let rel = p.strip_prefix(root().join("corpus")).unwrap();
                files.push((
                    format!("r/{}", rel.to_str().unwrap()),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    files.sort();
    for (n, b) in &files {
        let p = d.join("plain").join(n);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b).unwrap();
    }
    files.push(("r/notes.md".to_owned(), b"not a release".to_vec()));
    let reference = tieout(
        d.join("plain").as_path(),
        &["check", "--format", "concise", "r"],
        None,
    );
    assert_eq!(reference.code, 1);
    let reference = String::from_utf8(reference.stdout).unwrap();
    // Archive order reversed for one tar: name order differs from it.
    let mut reversed = files.clone();
    reversed.reverse();
    for (name, members) in [
        ("b.zip", &files),
        ("b.tar", &files),
        ("b.tar.gz", &files),
        ("rev.tgz", &reversed),
    ] {
        bundle(&d.join(name), members);
        let r = tieout(d, &["check", "--format", "concise", "-j", "2", name], None);
        assert_eq!(
            r.code,
            1,
            "{name}: {} {}",
            r.stderr,
            String::from_utf8_lossy(&r.stdout)
        );
        let got = String::from_utf8(r.stdout).unwrap();
        assert_eq!(
            got.replace(&format!("{name}!"), ""),
            reference,
            "{name}: members read as the unpacked files"
        );
        let json = tieout(d, &["check", "--format", "jsonl", name], None);
        let paths = jsonl_paths(&json.stdout);
        let releases = files
            .iter()
            .filter(|(n, _)| n.ends_with(".txt") || n.ends_with(".htm"))
            .count();
        assert_eq!(
            paths.len(),
            releases,
            "{name}: .yaml and .md members are not releases"
        );
        assert!(paths.iter().all(|p| p.starts_with(&format!("{name}!r/"))));
    }
    // Shards of a bundle merge to the single run.
    let mut parts = Vec::new();
    for k in 1..=3 {
        let r = tieout(
            d,
            &[
                "check",
                "--format",
                "jsonl",
                "--shard",
                &format!("{k}/3"),
                "b.tar.gz",
            ],
            None,
        );
        let part = d.join(format!("p{k}.jsonl"));
        std::fs::write(&part, r.stdout).unwrap();
        parts.push(part.to_str().unwrap().to_owned());
    }
    let single = tieout(d, &["check", "--format", "sarif", "b.tar.gz"], None);
    let mut args = vec!["merge", "--format", "sarif"];
    args.extend(parts.iter().map(String::as_str));
    assert_eq!(tieout(d, &args, None).stdout, single.stdout);
    // A damaged bundle is one unreadable file, not a crash.
    let mut cut = std::fs::read(d.join("b.zip")).unwrap();
    cut.truncate(cut.len() / 2);
    std::fs::write(d.join("cut.zip"), cut).unwrap();
    let r = tieout(d, &["check", "--format", "concise", "cut.zip"], None);
    assert!(
        String::from_utf8_lossy(&r.stdout).starts_with("cut.zip: error: cannot read the archive"),
        "{}",
        String::from_utf8_lossy(&r.stdout)
    );
    let mut cut = std::fs::read(d.join("b.tar.gz")).unwrap();
    cut.truncate(cut.len() / 2);
    std::fs::write(d.join("cut.tar.gz"), cut).unwrap();
    let r = tieout(d, &["check", "--format", "concise", "cut.tar.gz"], None);
    assert!(
        String::from_utf8_lossy(&r.stdout)
            .starts_with("cut.tar.gz: error: cannot read the archive"),
        "{}",
        String::from_utf8_lossy(&r.stdout)
    );
    let r = tieout(d, &["check", "--fail-on", "unreadable", "cut.tar.gz"], None);
    assert_eq!(r.code, 1);
}
