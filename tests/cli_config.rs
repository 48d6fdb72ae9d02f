//! `tieout.yaml`: discovery, `--config`, every key, and errors that point
//! into the file.

#[path = "common/corpus.rs"]
mod common_corpus;
use common_corpus::corpus;

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_tieout");
const BROKEN: &str = "filings/broken/total-does-not-foot.txt";

/// A project: `filings/good.txt`, the footing failure under
/// `filings/broken/`, and a copy of it under `drafts/`.
fn project() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("filings/broken")).unwrap();
    std::fs::create_dir_all(d.join("drafts")).unwrap();
    std::fs::write(d.join("filings/good.txt"), corpus("01-basic-quarter.txt")).unwrap();
    let broken = corpus("broken/total-does-not-foot.txt");
    std::fs::write(d.join(BROKEN), &broken).unwrap();
    std::fs::write(d.join("drafts/q1.txt"), &broken).unwrap();
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

fn write_config(dir: &Path, yaml: &str) {
    std::fs::write(dir.join("tieout.yaml"), yaml).unwrap();
}

/// `(path, rule, severity)` of every finding, from `--format json`.
fn findings(r: &Run) -> Vec<(String, String, String)> {
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let mut out = Vec::new();
    for f in doc["files"].as_array().unwrap() {
        for x in f["findings"].as_array().unwrap() {
            out.push((
                f["path"].as_str().unwrap().to_owned(),
                x["rule"].as_str().unwrap().to_owned(),
                x["severity"].as_str().unwrap().to_owned(),
            ));
        }
    }
    out
}

fn row(path: &str, rule: &str, sev: &str) -> (String, String, String) {
    (path.into(), rule.into(), sev.into())
}

#[test]
fn without_config_both_copies_fail() {
    let p = project();
    let r = run_in(p.path(), &["--format", "json", "."]);
    assert_eq!(r.code, 1);
    assert_eq!(
        findings(&r),
        [
            row("drafts/q1.txt", "total-does-not-foot", "error"),
            row(BROKEN, "total-does-not-foot", "error"),
        ]
    );
}

#[test]
fn config_is_found_in_a_parent_folder_and_paths_are_relative_to_it() {
    let p = project();
    write_config(
        p.path(),
        "# per-path settings\noverrides:\n  - paths: [\"drafts/**\"]\n    severity: {total-does-not-foot: note}\n",
    );
    // Run from inside `drafts/`: the glob is still relative to the config.
    let r = run_in(&p.path().join("drafts"), &["--format", "json", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(findings(&r), [row("q1.txt", "total-does-not-foot", "note")]);
    // From the root, the file under filings/ is untouched.
    let r = run_in(p.path(), &["--format", "json", "."]);
    assert_eq!(r.code, 1);
    assert_eq!(
        findings(&r),
        [
            row("drafts/q1.txt", "total-does-not-foot", "note"),
            row(BROKEN, "total-does-not-foot", "error"),
        ]
    );
    // --no-config ignores it.
    let r = run_in(p.path(), &["--no-config", "--format", "json", "drafts"]);
    assert_eq!(
        findings(&r),
        [row("drafts/q1.txt", "total-does-not-foot", "error")]
    );
}

#[test]
fn explicit_config_path() {
    let p = project();
    std::fs::create_dir(p.path().join("conf")).unwrap();
    std::fs::write(
        p.path().join("conf/strict.yaml"),
        "disable: [total-does-not-foot]\n",
    )
    .unwrap();
    let r = run_in(p.path(), &["--config", "conf/strict.yaml", "."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = run_in(p.path(), &["--config", "conf/missing.yaml", "."]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read conf/missing.yaml"),
        "{}",
        r.stderr
    );
}

#[test]
fn severity_changes_findings_and_sarif_rule_levels() {
    let p = project();
    write_config(p.path(), "severity:\n  total-does-not-foot: warning\n");
    let r = run_in(p.path(), &["--format", "json", "."]);
    assert_eq!(r.code, 0, "warnings do not fail by default");
    assert!(findings(&r).iter().all(|f| f.2 == "warning"));
    let r = run_in(p.path(), &["--format", "json", "--fail-on", "warning", "."]);
    assert_eq!(r.code, 1);
    let r = run_in(p.path(), &["--format", "sarif", "."]);
    let sarif: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = rules
        .iter()
        .find(|r| r["id"] == "total-does-not-foot")
        .unwrap();
    assert_eq!(rule["defaultConfiguration"]["level"], "warning");
}

#[test]
fn disable_globally_and_per_path() {
    let p = project();
    write_config(p.path(), "disable: [total-does-not-foot]\n");
    let r = run_in(p.path(), &["--format", "sarif", "."]);
    assert_eq!(r.code, 0);
    let sarif: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let run = &sarif["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), 0);
    assert!(
        !run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "total-does-not-foot"),
        "a disabled rule is not listed"
    );

    write_config(
        p.path(),
        "overrides:\n  - paths: [filings/broken/*.txt]\n    disable: [total-does-not-foot]\n",
    );
    let r = run_in(p.path(), &["--format", "json", "."]);
    assert_eq!(r.code, 1);
    assert_eq!(
        findings(&r),
        [row("drafts/q1.txt", "total-does-not-foot", "error")]
    );
}

#[test]
fn later_overrides_win() {
    let p = project();
    write_config(
        p.path(),
        "overrides:\n\
         \x20 - paths: [\"*.txt\"]\n    severity: {total-does-not-foot: note}\n\
         \x20 - paths: [\"filings/**\"]\n    severity: {total-does-not-foot: warning}\n",
    );
    let r = run_in(p.path(), &["--format", "json", "."]);
    assert_eq!(
        findings(&r),
        [
            row("drafts/q1.txt", "total-does-not-foot", "note"),
            row(BROKEN, "total-does-not-foot", "warning"),
        ]
    );
}

#[test]
fn tolerance_applies_to_assertion_rules() {
    let p = project();
    let gp = "filings/gp.txt";
    // Gross profit is off by 100 on 18,423, in thousands: by $100,000. An
    // absolute tolerance is in units (dollars), whatever the table's scale.
    std::fs::write(
        p.path().join(gp),
        corpus("broken/gross-profit-mismatch.txt"),
    )
    .unwrap();
    assert_eq!(run_in(p.path(), &[gp]).code, 1);
    // The total that fails to foot is the same figure; only the assertion
    // rule is under test.
    write_config(
        p.path(),
        "disable: [total-does-not-foot]\ntolerance:\n  gross-profit-mismatch: {absolute: \"100000\"}\n",
    );
    let r = run_in(p.path(), &["--format", "concise", gp]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty());
    write_config(
        p.path(),
        "disable: [total-does-not-foot]\ntolerance:\n  gross-profit-mismatch: {absolute: \"99999\"}\n",
    );
    let r = run_in(p.path(), &["--format", "concise", gp]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("gross-profit-mismatch"), "{}", r.stdout);
    write_config(
        p.path(),
        "disable: [total-does-not-foot]\ntolerance:\n  gross-profit-mismatch: {relative: \"0.01\"}\n",
    );
    assert_eq!(run_in(p.path(), &[gp]).code, 0, "1% of 18,423 covers 100");
    write_config(
        p.path(),
        "disable: [total-does-not-foot]\ntolerance:\n  gross-profit-mismatch: {relative: \"0.001\"}\n",
    );
    assert_eq!(run_in(p.path(), &[gp]).code, 1);
    write_config(
        p.path(),
        "disable: [total-does-not-foot]\ntolerance:\n  gross-profit-mismatch: rounding\n",
    );
    assert_eq!(run_in(p.path(), &[gp]).code, 1);
}

#[test]
fn tolerance_on_a_rule_that_does_not_use_one_is_an_error() {
    let p = project();
    assert_config_error(
        p.path(),
        "tolerance:\n  total-does-not-foot: {absolute: \"100\"}\n",
        &[
            "tieout::config::tolerance-not-used",
            "has kind `footing`",
            "[tieout.yaml:2:3]",
        ],
    );
}

#[test]
fn exclude_skips_walked_files_but_not_named_ones() {
    let p = project();
    write_config(p.path(), "exclude: [\"drafts/**\", \"good.txt\"]\n");
    let r = run_in(p.path(), &["--format", "concise", "."]);
    let doc = run_in(p.path(), &["--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_str(&doc.stdout).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, [BROKEN.to_string()]);
    assert_eq!(r.code, 1);
    // A file named on the command line is checked even when excluded.
    let r = run_in(p.path(), &["--format", "json", "drafts/q1.txt"]);
    assert_eq!(findings(&r).len(), 1);
}

#[test]
fn extra_rules_are_relative_to_the_config() {
    let p = project();
    std::fs::create_dir(p.path().join("house-rules")).unwrap();
    let footing =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/footing.yaml"))
            .unwrap();
    std::fs::write(
        p.path().join("house-rules/footing.yaml"),
        footing.replacen("severity: error", "severity: warning", 1),
    )
    .unwrap();
    write_config(p.path(), "rules: [house-rules]\n");
    let r = run_in(&p.path().join("filings"), &["--format", "json", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        findings(&r),
        [row(
            "broken/total-does-not-foot.txt",
            "total-does-not-foot",
            "warning"
        )]
    );
}

/// Asserts exit code 2, nothing on stdout, and each of `needles` on stderr.
fn assert_config_error(p: &Path, yaml: &str, needles: &[&str]) {
    write_config(p, yaml);
    for format in ["human", "json", "sarif"] {
        let r = run_in(p, &["--format", format, "."]);
        assert_eq!(r.code, 2, "{yaml}");
        assert!(r.stdout.is_empty(), "nothing is checked");
        for n in needles {
            assert!(r.stderr.contains(n), "missing {n:?} in:\n{}", r.stderr);
        }
    }
}

#[test]
fn unknown_keys_are_errors_pointing_into_the_yaml() {
    let p = project();
    assert_config_error(
        p.path(),
        "disable: []\nseverities:\n  total-does-not-foot: note\n",
        &[
            "tieout::config::unknown-key",
            "[tieout.yaml:2:1]",
            "2 │ severities:",
            "not allowed here",
        ],
    );
    assert_config_error(
        p.path(),
        "overrides:\n  - paths: [a]\n    tolerance: {}\n",
        &["tieout::config::unknown-key", "tieout.yaml:3:5"],
    );
}

#[test]
fn unknown_rule_ids_are_errors_pointing_into_the_yaml() {
    let p = project();
    assert_config_error(
        p.path(),
        "severity:\n  total-does-not-fot: warning\n",
        &[
            "tieout::config::unknown-rule",
            "unknown rule id `total-does-not-fot`",
            "[tieout.yaml:2:3]",
            "no rule has this id",
            "did you mean `total-does-not-foot`?",
        ],
    );
    assert_config_error(
        p.path(),
        "disable: [eps-mismatch, no-such-rule]\n",
        &["unknown rule id `no-such-rule`", "[tieout.yaml:1:25]"],
    );
    assert_config_error(
        p.path(),
        "tolerance:\n  nope: rounding\n",
        &["unknown rule id `nope`", "[tieout.yaml:2:3]"],
    );
    assert_config_error(
        p.path(),
        "overrides:\n  - paths: [a]\n    disable: [total-foot]\n",
        &["unknown rule id `total-foot`", "[tieout.yaml:3:15]"],
    );
}

#[test]
fn bad_values_are_errors_pointing_into_the_yaml() {
    let p = project();
    assert_config_error(
        p.path(),
        "severity:\n  total-does-not-foot: fatal\n",
        &[
            "tieout::config::bad-value",
            "unknown variant `fatal`",
            "[tieout.yaml:2:24]",
        ],
    );
    assert_config_error(
        p.path(),
        "exclude: [\"a/[b\"]\n",
        &["tieout::config::bad-glob", "invalid glob `a/[b`"],
    );
    assert_config_error(
        p.path(),
        "rules: [missing-folder]\n",
        &["tieout::config::rules-not-found", "[tieout.yaml:1:9]"],
    );
    assert_config_error(
        p.path(),
        "tolerance:\n  total-does-not-foot: {absolute: \"x\"}\n",
        &["tieout::config::syntax"],
    );
}
