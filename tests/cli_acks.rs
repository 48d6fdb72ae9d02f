//! Acknowledgements end to end: `--write-baseline`, acknowledged findings in
//! every format, hashes that survive moved lines and lapse with changed
//! figures, stale acknowledgements, and errors in the file.

#[path = "common/corpus.rs"]
mod common_corpus;
use common_corpus::corpus;

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_tieout");
const BROKEN: &str = "filings/total-does-not-foot.txt";
const FORMATS: [&str; 7] = [
    "human", "json", "jsonl", "sarif", "github", "junit", "concise",
];

fn project() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("filings")).unwrap();
    std::fs::write(d.join("filings/good.txt"), corpus("01-basic-quarter.txt")).unwrap();
    std::fs::write(d.join(BROKEN), corpus("broken/total-does-not-foot.txt")).unwrap();
    std::fs::write(
        d.join("filings/gross-profit.txt"),
        corpus("broken/gross-profit-mismatch.txt"),
    )
    .unwrap();
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .env_remove("FORCE_COLOR")
        .current_dir(dir)
        .arg("check")
        .args(args)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// `(path, rule, severity, acknowledged)` of every finding, and the
/// summary's `(findings, acknowledged)`.
type Row = (String, String, String, bool);

fn json(r: &Run) -> (Vec<Row>, (u64, u64)) {
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let mut out = Vec::new();
    for f in doc["files"].as_array().unwrap() {
        for x in f["findings"].as_array().unwrap() {
            out.push((
                f["path"].as_str().unwrap().to_owned(),
                x["rule"].as_str().unwrap().to_owned(),
                x["severity"].as_str().unwrap().to_owned(),
                x["acknowledged"].as_bool().unwrap(),
            ));
        }
    }
    let s = &doc["summary"];
    (
        out,
        (
            s["findings"].as_u64().unwrap(),
            s["acknowledged"].as_u64().unwrap(),
        ),
    )
}

#[test]
fn baseline_acknowledges_everything_and_is_deterministic() {
    let p = project();
    let before = run_in(p.path(), &["--format", "json", "."]);
    assert_eq!(before.code, 1);
    let found = json(&before).0.len();
    assert!(found >= 2);

    let r = run_in(
        p.path(),
        &["-j", "1", "--write-baseline", "tieout.ack.yaml", "."],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "a baseline run prints no report");
    assert!(
        r.stderr
            .contains(&format!("wrote {found} acknowledgement(s)")),
        "{}",
        r.stderr
    );
    let text = read(&p.path().join("tieout.ack.yaml"));
    assert_eq!(text.matches("\n  - rule: ").count(), found);
    // Written through a temporary file renamed over the old one: none is
    // left behind.
    let leftovers: Vec<_> = std::fs::read_dir(p.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(text.matches("reason: \"baseline\"").count(), found);
    // Paths are relative to the acknowledgement file, with `/`.
    assert!(text.contains(&format!("file: \"{BROKEN}\"")), "{text}");
    // Sorted by file, then rule.
    let files: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("    file: "))
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);

    // The same bytes with eight threads, and from a subfolder run.
    let r = run_in(
        p.path(),
        &["-j", "8", "--write-baseline", "again.yaml", "."],
    );
    assert_eq!(r.code, 0);
    assert_eq!(read(&p.path().join("again.yaml")), text);
    let r = run_in(
        &p.path().join("filings"),
        &["--write-baseline", "../from-sub.yaml", "."],
    );
    assert_eq!(r.code, 0);
    assert_eq!(read(&p.path().join("from-sub.yaml")), text);

    // With the baseline beside it (no config), the run passes and every
    // finding is acknowledged, in every format.
    let after = run_in(p.path(), &["--format", "json", "."]);
    assert_eq!(after.code, 0, "{}", after.stdout);
    let (findings, counts) = json(&after);
    assert_eq!(findings.len(), found);
    assert!(findings.iter().all(|f| f.3), "{findings:?}");
    assert_eq!(counts, (0, found as u64));
    for format in FORMATS {
        let r = run_in(p.path(), &["--format", format, "--fail-on", "note", "."]);
        assert_eq!(r.code, 0, "{format}: {}", r.stdout);
    }
    let human = run_in(p.path(), &["--format", "human", "."]).stdout;
    assert!(human.contains(&format!(
        "acknowledged: {BROKEN}:143:51: error[total-does-not-foot]"
    )));
    assert!(human.contains(&format!(
        "findings: 0 (0 errors, 0 warnings, 0 notes), {found} acknowledged"
    )));
    let concise = run_in(p.path(), &["--format", "concise", "."]).stdout;
    assert_eq!(concise.matches(" (acknowledged)\n").count(), found);
    let github = run_in(p.path(), &["--format", "github", "."]).stdout;
    assert!(github.is_empty(), "acknowledged findings are not annotated");
    let sarif = run_in(p.path(), &["--format", "sarif", "."]).stdout;
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), found);
    assert!(
        results
            .iter()
            .all(|r| r["suppressions"][0]["kind"] == "external")
    );
}

#[test]
fn rewriting_the_baseline_keeps_existing_reasons() {
    let p = project();
    run_in(p.path(), &["--write-baseline", "tieout.ack.yaml", "."]);
    let path = p.path().join("tieout.ack.yaml");
    let edited = read(&path).replacen(
        "reason: \"baseline\"",
        "reason: \"Issuer's rounding; confirmed with IR.\"",
        1,
    );
    std::fs::write(&path, &edited).unwrap();
    let r = run_in(p.path(), &["--write-baseline", "tieout.ack.yaml", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(read(&path), edited);
}

#[test]
fn a_baseline_for_one_folder_keeps_the_acknowledgements_of_another() {
    let p = project();
    let d = p.path();
    std::fs::create_dir_all(d.join("other")).unwrap();
    std::fs::write(d.join("other/eps.txt"), corpus("broken/eps-mismatch.txt")).unwrap();
    run_in(d, &["--write-baseline", "tieout.ack.yaml", "other"]);
    let path = d.join("tieout.ack.yaml");
    let reviewed = read(&path).replacen(
        "reason: \"baseline\"",
        "reason: \"Reviewed with the controller.\"",
        1,
    );
    std::fs::write(&path, &reviewed).unwrap();
    let r = run_in(d, &["--write-baseline", "tieout.ack.yaml", "filings"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let both = read(&path);
    assert!(both.contains("file: \"other/eps.txt\""), "{both}");
    assert!(both.contains("Reviewed with the controller."), "{both}");
    assert!(both.contains(&format!("file: \"{BROKEN}\"")), "{both}");
    // Every finding of both folders is acknowledged.
    let r = run_in(d, &["--format", "json", "."]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // A folder that is gone takes its acknowledgements with it, and says so.
    std::fs::remove_dir_all(d.join("other")).unwrap();
    let r = run_in(d, &["--write-baseline", "tieout.ack.yaml", "filings"]);
    assert!(
        r.stderr.contains("no longer exist: other/eps.txt"),
        "{}",
        r.stderr
    );
    assert!(!read(&path).contains("other/eps.txt"));
}

#[test]
fn a_baseline_never_overwrites_a_file_that_is_not_an_acknowledgement_file() {
    let p = project();
    let path = p.path().join("notes.yaml");
    std::fs::write(&path, "meeting: notes\n").unwrap();
    let r = run_in(p.path(), &["--write-baseline", "notes.yaml", "."]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is not overwritten"), "{}", r.stderr);
    assert_eq!(read(&path), "meeting: notes\n");
}

#[test]
fn an_acknowledgement_survives_moved_lines() {
    let p = project();
    run_in(p.path(), &["--write-baseline", "tieout.ack.yaml", "."]);
    let file = p.path().join(BROKEN);
    let mut moved = b"\n\n\n".to_vec();
    moved.extend(std::fs::read(&file).unwrap());
    std::fs::write(&file, moved).unwrap();
    let r = run_in(p.path(), &["--format", "concise", BROKEN]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout
            .starts_with(&format!("{BROKEN}:146:51: error[total-does-not-foot]")),
        "three lines lower: {}",
        r.stdout
    );
    assert!(r.stdout.trim_end().ends_with("(acknowledged)"));
}

#[test]
fn changed_figures_lapse_the_acknowledgement_and_report_it_stale() {
    let p = project();
    run_in(p.path(), &["--write-baseline", "tieout.ack.yaml", "."]);
    let file = p.path().join(BROKEN);
    let text = read(&file).replacen("156,355", "156,356", 1);
    std::fs::write(&file, text).unwrap();
    let r = run_in(p.path(), &["--format", "json", BROKEN]);
    assert_eq!(r.code, 1, "the new finding is not acknowledged");
    let (findings, _) = json(&r);
    assert_eq!(
        findings,
        [
            (
                BROKEN.into(),
                "total-does-not-foot".into(),
                "error".into(),
                false
            ),
            // The one-unit change is itself a typo in a release whose other
            // totals foot exactly.
            (
                BROKEN.into(),
                "total-off-by-rounding".into(),
                "warning".into(),
                false
            ),
            (
                BROKEN.into(),
                "stale-acknowledgement".into(),
                "note".into(),
                false
            ),
        ]
    );
    let concise = run_in(p.path(), &["--format", "concise", BROKEN]).stdout;
    assert!(
        concise.contains(&format!(
            "{BROKEN}: note[stale-acknowledgement] The acknowledgement of total-does-not-foot "
        )),
        "{concise}"
    );
    assert!(
        concise.contains(&format!(
            "in tieout.ack.yaml matches no finding in {BROKEN} "
        )),
        "{concise}"
    );
    // Human output has no snippet for it, so its message names the file
    // (the message is wrapped: compare its words).
    let human = run_in(p.path(), &["--color", "never", BROKEN]).stdout;
    let words: Vec<&str> = human.split_whitespace().filter(|w| *w != "│").collect();
    assert!(
        words
            .join(" ")
            .contains(&format!("matches no finding in {BROKEN} ")),
        "{human}"
    );
    // The SARIF stays valid with the location-less note and lists its rule.
    let sarif = run_in(p.path(), &["--format", "sarif", BROKEN]).stdout;
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    assert!(validator.is_valid(&sarif));
    assert!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "stale-acknowledgement")
    );
    // GitHub places a result only with a region: a note about the whole
    // file points at its first line.
    let stale = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "stale-acknowledgement")
        .unwrap();
    let location = &stale["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], BROKEN);
    assert_eq!(location["region"]["startLine"], 1);
}

#[test]
fn a_fixed_file_leaves_a_stale_note_that_fails_only_on_note() {
    let p = project();
    run_in(p.path(), &["--write-baseline", "tieout.ack.yaml", "."]);
    // The release is corrected: it is now the clean one.
    std::fs::write(p.path().join(BROKEN), corpus("01-basic-quarter.txt")).unwrap();
    let r = run_in(p.path(), &["--format", "json", BROKEN]);
    let (findings, counts) = json(&r);
    let rules: Vec<&str> = findings.iter().map(|f| f.1.as_str()).collect();
    assert!(rules.contains(&"stale-acknowledgement"), "{rules:?}");
    assert!(!rules.contains(&"total-does-not-foot"));
    assert_eq!(counts.1, 0);
    assert_eq!(r.code, 0, "a note does not fail by default");
    assert_eq!(
        run_in(p.path(), &["--fail-on", "note", BROKEN]).code,
        1,
        "--fail-on note catches stale acknowledgements"
    );
}

#[test]
fn acknowledgements_for_files_outside_the_run() {
    let p = project();
    run_in(p.path(), &["--write-baseline", "tieout.ack.yaml", "."]);
    // Checking one file says nothing about the others.
    let r = run_in(p.path(), &["--format", "json", "filings/good.txt"]);
    assert_eq!(r.code, 0);
    assert!(json(&r).0.is_empty());
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    // A file that no longer exists is reported on standard error.
    std::fs::remove_file(p.path().join(BROKEN)).unwrap();
    let r = run_in(p.path(), &["--format", "json", "."]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains(&format!(
            "warning: tieout.ack.yaml: 1 acknowledged file(s) no longer exist: {BROKEN}"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn explicit_acks_path_and_the_file_beside_the_config() {
    let p = project();
    std::fs::create_dir(p.path().join("review")).unwrap();
    let r = run_in(p.path(), &["--write-baseline", "review/acks.yaml", "."]);
    assert_eq!(r.code, 0);
    let text = read(&p.path().join("review/acks.yaml"));
    assert!(text.contains(&format!("file: \"../{BROKEN}\"")), "{text}");
    assert_eq!(run_in(p.path(), &["."]).code, 1, "not found by discovery");
    assert_eq!(
        run_in(p.path(), &["--acks", "review/acks.yaml", "."]).code,
        0
    );
    assert_eq!(
        run_in(
            &p.path().join("filings"),
            &["--acks", "../review/acks.yaml", "."]
        )
        .code,
        0
    );
    let r = run_in(p.path(), &["--acks", "review/missing.yaml", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read review/missing.yaml"));

    // Beside a config found in a parent folder.
    std::fs::write(p.path().join("tieout.yaml"), "exclude: []\n").unwrap();
    run_in(p.path(), &["--write-baseline", "tieout.ack.yaml", "."]);
    let r = run_in(&p.path().join("filings"), &["--format", "json", "."]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(json(&r).0.iter().all(|f| f.3));
}

fn assert_acks_error(p: &Path, yaml: &str, needles: &[&str]) {
    std::fs::write(p.join("tieout.ack.yaml"), yaml).unwrap();
    let r = run_in(p, &["--format", "json", "."]);
    assert_eq!(r.code, 2, "{yaml}");
    assert!(r.stdout.is_empty());
    for n in needles {
        assert!(r.stderr.contains(n), "missing {n:?} in:\n{}", r.stderr);
    }
}

#[test]
fn errors_in_the_acknowledgement_file_point_into_it() {
    let p = project();
    let entry = |rule: &str, hash: &str, reason: Option<&str>| {
        let mut s = format!(
            "acknowledgements:\n  - rule: {rule}\n    file: {BROKEN}\n    hash: \"{hash}\"\n"
        );
        if let Some(r) = reason {
            s.push_str(&format!("    reason: {r}\n"));
        }
        s
    };
    assert_acks_error(
        p.path(),
        &entry("total-does-not-foot", "0123456789abcdef", None),
        &["tieout::acks::syntax", "missing field `reason`"],
    );
    assert_acks_error(
        p.path(),
        &entry("total-does-not-foot", "0123456789abcdef", Some("\"  \"")),
        &[
            "tieout::acks::missing-reason",
            "[tieout.ack.yaml:5:14]",
            "empty reason",
        ],
    );
    assert_acks_error(
        p.path(),
        &entry("total-doesnt-foot", "0123456789abcdef", Some("ok")),
        &[
            "tieout::acks::unknown-rule",
            "[tieout.ack.yaml:2:11]",
            "did you mean `total-does-not-foot`?",
        ],
    );
    assert_acks_error(
        p.path(),
        &entry("total-does-not-foot", "12ab", Some("ok")),
        &[
            "tieout::acks::bad-hash",
            "[tieout.ack.yaml:4:12]",
            "expected 16 hex digits",
        ],
    );
    assert_acks_error(
        p.path(),
        "acknowledgements:\n  - rule: total-does-not-foot\n    file: a.txt\n    hash: \"0123456789abcdef\"\n    reason: ok\n    expires: 2025-01-01\n",
        &["tieout::acks::unknown-key", "[tieout.ack.yaml:6:5]"],
    );
}
