//! `tieout check` end to end: the real binary over a temporary tree holding
//! a clean release, a broken one, a Latin-1 one, an empty file, a binary
//! file and entries that cannot be read (a dangling symbolic link, a FIFO),
//! in every output format.

#[path = "common/corpus.rs"]
mod common_corpus;
use common_corpus::corpus;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;
use serde::Deserialize;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_tieout");
const FORMATS: [&str; 7] = [
    "human", "json", "jsonl", "sarif", "github", "junit", "concise",
];

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo failed for {}", path.display());
}

/// The tree every sweep test runs over, and the status each file must get.
fn tree() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("01-basic-quarter.txt"),
        corpus("01-basic-quarter.txt"),
    )
    .unwrap();
    let latin1 = corpus("08-latin1.txt");
    assert!(
        std::str::from_utf8(&latin1).is_err(),
        "the Latin-1 fixture must not be UTF-8"
    );
    std::fs::write(d.join("08-latin1.txt"), latin1).unwrap();
    std::fs::create_dir(d.join("broken")).unwrap();
    std::fs::write(
        d.join("broken/total-does-not-foot.txt"),
        corpus("broken/total-does-not-foot.txt"),
    )
    .unwrap();
    std::fs::write(d.join("empty.txt"), b"").unwrap();
    std::fs::write(d.join("bin.txt"), b"PK\x03\x04\x00\x00binary\x00data").unwrap();
    std::os::unix::fs::symlink(d.join("does-not-exist"), d.join("gone.txt")).unwrap();
    mkfifo(&d.join("fifo.txt"));
    std::fs::write(d.join("notes.md"), b"not a release").unwrap();
    // Read, but not a release: nothing in it can be checked.
    std::fs::write(
        d.join("requirements.txt"),
        b"serde==1.0.228\nrequests>=2.32\n",
    )
    .unwrap();
    dir
}

/// Path and status of every file of [`tree`], in output order.
const EXPECTED: [(&str, &str); 8] = [
    ("01-basic-quarter.txt", "ok"),
    ("08-latin1.txt", "ok"),
    ("bin.txt", "error"),
    ("broken/total-does-not-foot.txt", "ok"),
    ("empty.txt", "error"),
    ("fifo.txt", "error"),
    ("gone.txt", "error"),
    ("requirements.txt", "not_checked"),
];
const NOT_CHECKED: &str = "requirements.txt";
const BROKEN: &str = "broken/total-does-not-foot.txt";

fn tieout(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("FORCE_COLOR")
        .current_dir(dir)
        .arg("check")
        .arg("--no-config");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = tieout(dir)
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("output is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

// ---------------------------------------------------------------------------
// The documented JSON shape (docs/output.md), rejecting unknown fields.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonDocument {
    version: u32,
    tool: JsonTool,
    files: Vec<JsonFile>,
    summary: JsonSummary,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonTool {
    name: String,
    version: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFile {
    path: String,
    status: String,
    error: Option<String>,
    stats: JsonStats,
    findings: Vec<JsonFinding>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonStats {
    tables: usize,
    facts: usize,
    rules_run: usize,
    rules_skipped: usize,
    claims_found: usize,
    claims_verified: usize,
    claims_contradicted: usize,
    claims_unverifiable: usize,
    figures_tied: usize,
    figures_checked: usize,
    tables_untouched: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFinding {
    rule: String,
    severity: String,
    message: String,
    help: Option<String>,
    url: Option<String>,
    acknowledged: bool,
    labels: Vec<JsonLabel>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonLabel {
    offset: usize,
    length: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    text: String,
    snippet: String,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSummary {
    files_checked: usize,
    files_ok: usize,
    files_error: usize,
    files_not_checked: usize,
    files_with_findings: usize,
    findings: usize,
    by_severity: JsonSeverityCounts,
    by_rule: BTreeMap<String, usize>,
    acknowledged: usize,
    unreadable: Vec<JsonUnreadable>,
    not_checked: Vec<JsonUnreadable>,
    totals: JsonStats,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSeverityCounts {
    error: usize,
    warning: usize,
    note: usize,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonUnreadable {
    path: String,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum JsonlLine {
    File {
        version: u32,
        #[serde(flatten)]
        file: JsonFile,
    },
    Summary {
        version: u32,
        #[serde(flatten)]
        summary: JsonSummary,
    },
}

fn parse_jsonl(out: &str) -> (Vec<JsonFile>, JsonSummary) {
    let mut lines: Vec<JsonlLine> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let Some(JsonlLine::Summary { version, summary }) = lines.pop() else {
        panic!("the last line is not the summary");
    };
    assert_eq!(version, 2);
    let files = lines
        .into_iter()
        .map(|l| match l {
            JsonlLine::File { version, file } => {
                assert_eq!(version, 2, "every line carries the version");
                file
            }
            JsonlLine::Summary { .. } => panic!("a summary line before the end"),
        })
        .collect();
    (files, summary)
}

fn check_summary(s: &JsonSummary) {
    assert_eq!(s.files_checked, 8);
    assert_eq!(s.files_ok, 3);
    assert_eq!(s.files_error, 4);
    assert_eq!(s.files_not_checked, 1);
    assert_eq!(s.not_checked[0].path, NOT_CHECKED);
    assert!(
        s.not_checked[0].reason.contains("no financial table"),
        "{}",
        s.not_checked[0].reason
    );
    assert_eq!(s.files_with_findings, 1);
    assert_eq!(s.findings, 1);
    assert_eq!(
        s.by_severity,
        JsonSeverityCounts {
            error: 1,
            warning: 0,
            note: 0
        }
    );
    assert_eq!(s.by_rule.get("total-does-not-foot"), Some(&1));
    assert_eq!(s.acknowledged, 0);
    let unreadable: Vec<&str> = s.unreadable.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(unreadable, ["bin.txt", "empty.txt", "fifo.txt", "gone.txt"]);
    assert!(s.unreadable[0].reason.contains("binary"));
    assert!(s.unreadable[1].reason.contains("empty"));
    assert!(s.unreadable[2].reason.contains("not a regular file"));
    assert!(s.unreadable[3].reason.contains("dangling symbolic link"));
}

fn check_files(files: &[JsonFile]) {
    let got: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f.path.as_str(), f.status.as_str()))
        .collect();
    assert_eq!(got, EXPECTED);
    for f in files {
        assert_eq!(f.error.is_some(), f.status != "ok", "{}", f.path);
        if f.status == "error" {
            assert_eq!(f.stats, JsonStats::default());
        }
        let rules: Vec<&str> = f.findings.iter().map(|x| x.rule.as_str()).collect();
        if f.path == BROKEN {
            assert_eq!(rules, ["total-does-not-foot"]);
            let finding = &f.findings[0];
            assert_eq!(finding.severity, "error");
            assert!(!finding.acknowledged);
            assert!(finding.message.contains("156,355"), "{}", finding.message);
            assert!(finding.help.is_some());
            // A link only where the crate names its repository.
            assert_eq!(
                finding.url.is_some(),
                !env!("CARGO_PKG_REPOSITORY").is_empty()
            );
            let primary = &finding.labels[0];
            assert_eq!(primary.snippet, "156,355");
            assert_eq!((primary.line, primary.end_line), (143, 143));
            assert_eq!(primary.end_column - primary.column, 7);
            assert_eq!(primary.length, 7);
            assert!(primary.offset > 0 && primary.text.contains("156,355"));
        } else {
            assert!(rules.is_empty(), "{}: {rules:?}", f.path);
        }
    }
    let latin1 = files.iter().find(|f| f.path == "08-latin1.txt").unwrap();
    assert!(latin1.stats.tables > 0 && latin1.stats.facts > 0);
}

/// The paths a line-oriented format mentions, in order of first mention.
fn mentioned(out: &str, paths: &[&str]) -> Vec<String> {
    let mut seen: Vec<(usize, String)> = paths
        .iter()
        .filter_map(|p| out.find(p).map(|i| (i, (*p).to_owned())))
        .collect();
    seen.sort();
    seen.into_iter().map(|(_, p)| p).collect()
}

fn assert_sorted(paths: &[String]) {
    let mut sorted = paths.to_vec();
    sorted.sort();
    assert_eq!(paths, sorted.as_slice(), "output is not sorted by path");
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles offline")
}

fn check_format(format: &str, r: &Run) {
    let error_paths = ["bin.txt", "empty.txt", "fifo.txt", "gone.txt"];
    match format {
        "json" => {
            let doc: JsonDocument = serde_json::from_str(&r.stdout).expect("schema v2");
            assert_eq!(doc.version, 2);
            assert_eq!(doc.tool.name, "tieout");
            assert_eq!(doc.tool.version, env!("CARGO_PKG_VERSION"));
            check_files(&doc.files);
            check_summary(&doc.summary);
        }
        "jsonl" => {
            let (files, summary) = parse_jsonl(&r.stdout);
            check_files(&files);
            check_summary(&summary);
        }
        "sarif" => {
            let sarif: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
            let errors: Vec<String> = sarif_validator()
                .iter_errors(&sarif)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{errors:#?}");
            let run = &sarif["runs"][0];
            let results = run["results"].as_array().unwrap();
            assert_eq!(results.len(), 1);
            assert_eq!(results[0]["ruleId"], "total-does-not-foot");
            assert_eq!(results[0]["level"], "error");
            assert_eq!(
                results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                "broken/total-does-not-foot.txt"
            );
            let notes: Vec<&str> = run["invocations"][0]["toolExecutionNotifications"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| {
                    n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                        .as_str()
                        .unwrap()
                })
                .collect();
            assert_eq!(
                notes,
                [
                    "bin.txt",
                    "empty.txt",
                    "fifo.txt",
                    "gone.txt",
                    "requirements.txt"
                ]
            );
            let levels: Vec<&str> = run["invocations"][0]["toolExecutionNotifications"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["level"].as_str().unwrap())
                .collect();
            assert_eq!(levels, ["error", "error", "error", "error", "warning"]);
        }
        "github" => {
            let lines: Vec<&str> = r.stdout.lines().collect();
            assert_eq!(lines.len(), 6, "{}", r.stdout);
            for p in error_paths {
                assert!(
                    lines
                        .iter()
                        .any(|l| l.starts_with(&format!("::warning file={p}::could not read"))),
                    "{p}"
                );
            }
            assert!(lines.iter().any(|l| {
                l.starts_with(&format!(
                    "::warning file={NOT_CHECKED}::not checked: no financial"
                ))
            }));
            assert!(lines.iter().any(|l| {
                l.starts_with(&format!("::error file={BROKEN},line=143,col=51,"))
                    && l.contains("title=total-does-not-foot")
            }));
            assert_sorted(&mentioned(&r.stdout, &EXPECTED.map(|e| e.0)));
        }
        "junit" => {
            assert!(
                r.stdout
                    .contains(r#"<testsuites name="tieout" tests="8" failures="1" errors="4">"#)
            );
            assert!(r.stdout.contains(r#"errors="4" skipped="1">"#));
            assert_eq!(
                r.stdout
                    .matches("<skipped message=\"not checked: no financial table")
                    .count(),
                1
            );
            let names: Vec<String> = r
                .stdout
                .match_indices("<testcase classname=\"tieout\" name=\"")
                .map(|(i, m)| {
                    let rest = &r.stdout[i + m.len()..];
                    rest[..rest.find('"').unwrap()].to_owned()
                })
                .collect();
            assert_eq!(names, EXPECTED.map(|e| e.0.to_owned()));
            assert_eq!(r.stdout.matches("<error type=\"unreadable\"").count(), 4);
            assert_eq!(
                r.stdout
                    .matches("<failure type=\"total-does-not-foot\"")
                    .count(),
                1
            );
        }
        "concise" => {
            let lines: Vec<&str> = r.stdout.lines().collect();
            assert_eq!(lines.len(), 6, "{}", r.stdout);
            for p in error_paths {
                assert!(
                    lines
                        .iter()
                        .any(|l| l.starts_with(&format!("{p}: error: "))),
                    "{p}"
                );
            }
            assert!(
                lines
                    .iter()
                    .any(|l| l.starts_with(&format!("{NOT_CHECKED}: warning: not checked: ")))
            );
            assert!(
                lines.iter().any(
                    |l| l.starts_with(&format!("{BROKEN}:143:51: error[total-does-not-foot] "))
                )
            );
            let paths: Vec<String> = lines
                .iter()
                .map(|l| l[..l.find(':').unwrap()].to_owned())
                .collect();
            assert_sorted(&paths);
        }
        "human" => {
            let s = &r.stdout;
            assert!(
                s.contains("files checked: 8 (1 with findings, 4 unreadable, 1 not checked)"),
                "{s}"
            );
            assert!(s.contains("findings: 1 (1 error, 0 warnings, 0 notes), 0 acknowledged"));
            assert!(s.contains("total-does-not-foot  1"));
            assert!(s.contains(&format!("[{BROKEN}:143:51]")));
            for p in error_paths {
                assert!(s.contains(&format!("{p}: error: ")), "{p}");
            }
            assert!(s.contains(&format!("{NOT_CHECKED}: warning: not checked: ")));
            assert!(s.contains(&format!("  not checked:\n    {NOT_CHECKED}: no financial")));
            let unreadable = &s[s.find("  unreadable:").unwrap()..];
            assert_sorted(&mentioned(unreadable, &error_paths));
            let body = &s[..s.find("Summary").unwrap()];
            assert_sorted(&mentioned(body, &EXPECTED.map(|e| e.0)));
            assert!(!s.contains("01-basic-quarter") && !s.contains("08-latin1"));
        }
        other => panic!("no check for {other}"),
    }
}

#[test]
fn every_format_reports_every_file_sorted_with_exit_code_1() {
    let dir = tree();
    for format in FORMATS {
        let r = run(dir.path(), &["--format", format, "--color", "never", "."]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        check_format(format, &r);
    }
}

#[test]
fn one_thread_and_eight_threads_print_the_same_bytes() {
    let dir = tree();
    // More files than threads, so the eight workers really interleave.
    for i in 0..24 {
        let src = if i % 3 == 0 {
            corpus("broken/total-does-not-foot.txt")
        } else {
            corpus("01-basic-quarter.txt")
        };
        std::fs::write(dir.path().join(format!("more-{i:02}.txt")), src).unwrap();
    }
    for format in FORMATS {
        let one = run(
            dir.path(),
            &["--format", format, "--color", "never", "-j", "1", "."],
        );
        let eight = run(
            dir.path(),
            &["--format", format, "--color", "never", "-j", "8", "."],
        );
        assert_eq!(one.code, 1, "{format}");
        assert_eq!(eight.code, 1, "{format}");
        assert!(one.stdout == eight.stdout, "{format}: -j 1 and -j 8 differ");
    }
}

fn good_tree() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), corpus("01-basic-quarter.txt")).unwrap();
    std::fs::write(dir.path().join("b.txt"), corpus("08-latin1.txt")).unwrap();
    dir
}

#[test]
fn only_good_files_exit_0_in_every_format() {
    let dir = good_tree();
    for format in FORMATS {
        let r = run(dir.path(), &["--format", format, "."]);
        assert_eq!(r.code, 0, "{format}: {}{}", r.stdout, r.stderr);
    }
    let (files, summary) = parse_jsonl(&run(dir.path(), &["--format", "jsonl", "."]).stdout);
    assert_eq!(files.len(), 2);
    assert!(
        files
            .iter()
            .all(|f| f.status == "ok" && f.findings.is_empty())
    );
    assert_eq!((summary.files_ok, summary.findings), (2, 0));
}

#[test]
fn a_bad_rules_file_exits_2_in_every_format() {
    let dir = good_tree();
    std::fs::write(dir.path().join("bad.yaml"), "rules:\n  - id: Not-Kebab\n").unwrap();
    for format in FORMATS {
        let r = run(
            dir.path(),
            &["--format", format, "--rules", "bad.yaml", "."],
        );
        assert_eq!(r.code, 2, "{format}");
        assert!(r.stdout.is_empty(), "{format}: nothing is checked");
        assert!(r.stderr.contains("bad.yaml"), "{}", r.stderr);
    }
}

#[test]
fn a_nonexistent_path_exits_2_in_every_format() {
    let dir = good_tree();
    for format in FORMATS {
        let r = run(
            dir.path(),
            &["--format", format, "a.txt", "no-such-file.txt"],
        );
        assert_eq!(r.code, 2, "{format}");
        assert!(r.stdout.is_empty());
        assert!(
            r.stderr
                .contains("no-such-file.txt: no such file or directory")
        );
    }
}

#[test]
fn fail_on_unreadable_fails_on_empty_and_binary_files() {
    let dir = good_tree();
    std::fs::write(dir.path().join("empty.txt"), b"  \n").unwrap();
    std::fs::write(dir.path().join("bin.txt"), b"\x00\x01\x02").unwrap();
    for format in FORMATS {
        let default = run(dir.path(), &["--format", format, "."]);
        assert_eq!(
            default.code, 0,
            "{format}: unreadable files do not fail by default"
        );
        let strict = run(
            dir.path(),
            &["--format", format, "--fail-on", "unreadable", "."],
        );
        assert_eq!(strict.code, 1, "{format}");
    }
    // `unreadable` fails on error findings too.
    std::fs::write(
        dir.path().join("c.md"),
        corpus("broken/total-does-not-foot.txt"),
    )
    .unwrap();
    let errors = run(dir.path(), &["--fail-on", "unreadable", "a.txt", "c.md"]);
    assert_eq!(errors.code, 1);
    // `--fail-on` may be repeated.
    let both = run(
        dir.path(),
        &["--fail-on", "error", "--fail-on", "unreadable", "."],
    );
    assert_eq!(both.code, 1);
    let clean = run(
        dir.path(),
        &["--fail-on", "error", "--fail-on", "unreadable", "a.txt"],
    );
    assert_eq!(clean.code, 0);
}

#[test]
fn dash_reads_standard_input() {
    let dir = good_tree();
    let out = tieout(dir.path())
        .args(["--format", "json", "-"])
        .write_stdin(corpus("01-basic-quarter.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: JsonDocument = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc.files.len(), 1);
    assert_eq!(doc.files[0].path, "-");
    assert_eq!(doc.files[0].status, "ok");
    assert!(doc.files[0].stats.tables > 0);

    let out = tieout(dir.path())
        .args(["--format", "concise", "-"])
        .write_stdin(corpus("broken/total-does-not-foot.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("-:143:51: error[total-does-not-foot]"),
        "{stdout}"
    );
}

/// `jsonl` writes a file's line once it and every file sorted before it are
/// done: the first file's line arrives while the second (a FIFO named on the
/// command line, so tieout reads it) is still blocked waiting for a writer.
#[test]
fn jsonl_streams_in_path_order() {
    let dir = good_tree();
    let fifo = dir.path().join("z-pipe.txt");
    mkfifo(&fifo);
    let mut child = std::process::Command::new(BIN)
        .env_remove("FORCE_COLOR")
        .current_dir(dir.path())
        .args(["check", "--no-config", "--format", "jsonl", "-j", "2"])
        .args(["a.txt", "b.txt", "z-pipe.txt"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let release = |fifo: &Path| {
        let mut w = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
        w.write_all(&corpus("01-basic-quarter.txt")).unwrap();
    };
    let first = rx.recv_timeout(Duration::from_secs(60));
    let second = rx.recv_timeout(Duration::from_secs(60));
    // Nothing after the second line may come before the FIFO is written.
    let early = rx.recv_timeout(Duration::from_millis(300)).ok();
    release(&fifo);
    let rest: Vec<String> = rx.iter().collect();
    reader.join().unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let first = first.expect("the first line streams before the sweep ends");
    let second = second.expect("the second line streams before the sweep ends");
    assert!(first.contains(r#""path":"a.txt""#), "{first}");
    assert!(second.contains(r#""path":"b.txt""#), "{second}");
    assert_eq!(early, None, "a line came out of order");
    assert_eq!(rest.len(), 2);
    assert!(rest[0].contains(r#""path":"z-pipe.txt""#));
    assert!(rest[1].starts_with(r#"{"type":"summary""#));
}

#[test]
fn a_file_with_nothing_checked_fails_the_run_unless_fail_on_says_otherwise() {
    let dir = good_tree();
    // A draft cut off before its tables: the lead is read, nothing ties.
    std::fs::write(
        dir.path().join("draft.txt"),
        "ACME REPORTS RESULTS\n\nACME Inc. today reported revenue of $12.5 million \
         for the quarter, up 4% from a year ago.\n",
    )
    .unwrap();
    for format in FORMATS {
        let r = run(dir.path(), &["--format", format, "--color", "never", "."]);
        assert_eq!(r.code, 1, "{format}: {}", r.stdout);
        assert!(r.stdout.contains("draft.txt"), "{format}: {}", r.stdout);
    }
    let r = run(dir.path(), &["--format", "jsonl", "."]);
    let (files, summary) = parse_jsonl(&r.stdout);
    let draft = files.iter().find(|f| f.path == "draft.txt").unwrap();
    assert_eq!(draft.status, "not_checked");
    assert!(
        draft
            .error
            .as_deref()
            .unwrap()
            .contains("no financial table")
    );
    assert_eq!((summary.files_ok, summary.files_not_checked), (2, 1));
    // Naming `--fail-on` replaces the default: errors only.
    let r = run(
        dir.path(),
        &["--fail-on", "error", "--format", "concise", "."],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = run(
        dir.path(),
        &["--fail-on", "not-checked", "--format", "concise", "."],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
}

#[test]
fn an_empty_sweep_is_an_error_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.md"), b"not a release").unwrap();
    let r = run(dir.path(), &["--format", "jsonl", "."]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("no file to check"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let r = run(dir.path(), &["--allow-empty", "--format", "jsonl", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: no file to check"),
        "{}",
        r.stderr
    );
    let (files, summary) = parse_jsonl(&r.stdout);
    assert!(files.is_empty());
    assert_eq!(summary.files_checked, 0);
}

#[test]
fn output_file_gets_the_bytes_stdout_would_and_exit_zero_passes() {
    let dir = tree();
    for format in FORMATS {
        let to_stdout = run(dir.path(), &["--format", format, "--color", "never", "."]);
        let file = format!("out.{format}");
        let to_file = run(
            dir.path(),
            &["--format", format, "--color", "never", "-o", &file, "."],
        );
        assert_eq!(to_file.code, to_stdout.code, "{format}");
        assert!(to_file.stdout.is_empty(), "{format}: {}", to_file.stdout);
        let written = std::fs::read_to_string(dir.path().join(&file)).unwrap();
        assert_eq!(written, to_stdout.stdout, "{format}");
        std::fs::remove_file(dir.path().join(&file)).unwrap();
    }
    // Into a folder that does not exist: nothing is checked.
    let r = run(dir.path(), &["-o", "no/such/folder/out.txt", "."]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot write no/such/folder/out.txt"),
        "{}",
        r.stderr
    );
    // The tree has an error finding and a file with nothing checked.
    let r = run(dir.path(), &["--format", "concise", "--exit-zero", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("error[total-does-not-foot]"));
    let r = run(
        dir.path(),
        &[
            "--exit-zero",
            "--fail-on",
            "warning",
            "--format",
            "concise",
            ".",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
}
