//! The options ruff and semgrep users reach for: `--stdin-filename`,
//! `--select`/`--ignore`, `--statistics`, `-q`, `--baseline`, `.gitignore`
//! in walks, config discovery from the checked paths, one spelling of a
//! path in every format, and the `init`, `completions`, `man`, `rules` and
//! `explain` commands.

#[path = "common/corpus.rs"]
mod common_corpus;
use common_corpus::corpus;

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_tieout");
const BROKEN: &str = "filings/broken/total-does-not-foot.txt";

/// `filings/good.txt` and the footing failure under `filings/broken/`.
fn project() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("filings/broken")).unwrap();
    std::fs::write(d.join("filings/good.txt"), corpus("01-basic-quarter.txt")).unwrap();
    std::fs::write(d.join(BROKEN), corpus("broken/total-does-not-foot.txt")).unwrap();
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn tieout(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("FORCE_COLOR")
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(120));
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn check(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    tieout(dir, &all, None)
}

/// `(path, rule)` of every finding, from `--format json`.
fn findings(r: &Run) -> Vec<(String, String)> {
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let mut out = Vec::new();
    for f in doc["files"].as_array().unwrap() {
        for x in f["findings"].as_array().unwrap() {
            out.push((
                f["path"].as_str().unwrap().to_owned(),
                x["rule"].as_str().unwrap().to_owned(),
            ));
        }
    }
    out
}

#[test]
fn stdin_filename_names_the_report_and_takes_the_files_settings() {
    let p = project();
    let bad = corpus("broken/total-does-not-foot.txt");
    let args = [
        "check",
        "--format",
        "concise",
        "--stdin-filename",
        "filings/staged q3.txt",
        "-",
    ];
    let r = tieout(p.path(), &args, Some(bad.clone()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .lines()
            .all(|l| l.starts_with("filings/staged q3.txt:")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("error[total-does-not-foot]"));
    // An override for that path applies to standard input.
    std::fs::write(
        p.path().join("tieout.yaml"),
        "overrides:\n  - paths: [\"filings/staged*\"]\n    disable: [total-does-not-foot]\n",
    )
    .unwrap();
    let r = tieout(p.path(), &args, Some(bad.clone()));
    assert!(!r.stdout.contains("total-does-not-foot"), "{}", r.stdout);
    // Without a name, standard input is `-`.
    std::fs::remove_file(p.path().join("tieout.yaml")).unwrap();
    let r = tieout(p.path(), &["check", "--format", "concise", "-"], Some(bad));
    assert!(r.stdout.starts_with("-:"), "{}", r.stdout);
}

#[test]
fn every_format_names_a_file_the_same_way() {
    let p = project();
    let abs = p.path().join(BROKEN);
    let abs = abs.to_str().unwrap();
    for (args, want) in [
        (vec!["."], BROKEN),
        (vec!["./filings"], BROKEN),
        (vec![abs], BROKEN),
    ] {
        let json = check(p.path(), &[&["--format", "json"][..], &args].concat());
        assert!(
            findings(&json).iter().all(|(path, _)| path == want),
            "{args:?}: {}",
            json.stdout
        );
        let concise = check(p.path(), &[&["--format", "concise"][..], &args].concat());
        assert!(
            concise.stdout.starts_with(&format!("{want}:")),
            "{}",
            concise.stdout
        );
        let github = check(p.path(), &[&["--format", "github"][..], &args].concat());
        assert!(
            github.stdout.contains(&format!("file={want},")),
            "{}",
            github.stdout
        );
        let sarif = check(p.path(), &[&["--format", "sarif"][..], &args].concat());
        assert!(
            sarif
                .stdout
                .contains(&format!("\"uri\": \"{}\"", want.replace(' ', "%20")))
        );
        let human = check(p.path(), &[&["--format", "human"][..], &args].concat());
        assert!(
            human.stdout.contains(&format!("{want}:")),
            "{}",
            human.stdout
        );
        assert!(!human.stdout.contains("./"), "{}", human.stdout);
    }
}

#[test]
fn select_and_ignore_choose_rules_by_id_or_glob() {
    let p = project();
    let all = findings(&check(p.path(), &["--format", "json", "."]));
    assert!(all.iter().any(|(_, r)| r == "total-does-not-foot"));
    let ignored = check(p.path(), &["--format", "json", "--ignore", "total-*", "."]);
    assert!(
        findings(&ignored)
            .iter()
            .all(|(_, r)| !r.starts_with("total-"))
    );
    assert_eq!(ignored.code, 0, "no error left: {}", ignored.stdout);
    let selected = check(
        p.path(),
        &[
            "--format",
            "json",
            "--select",
            "total-does-not-foot,eps-mismatch",
            ".",
        ],
    );
    let sel = findings(&selected);
    assert!(!sel.is_empty());
    assert!(sel.iter().all(|(_, r)| r == "total-does-not-foot"));
    // SARIF lists only the rules a run reports.
    let sarif = check(p.path(), &["--format", "sarif", "--select", "eps-*", "."]);
    let v: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let ids: Vec<&str> = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        !ids.is_empty() && ids.iter().all(|i| i.starts_with("eps-")),
        "{ids:?}"
    );
    // A pattern that names no rule is a usage error, with a suggestion.
    let typo = check(p.path(), &["--select", "total-does-not-fot", "."]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `total-does-not-foot`"),
        "{}",
        typo.stderr
    );
}

#[test]
fn statistics_count_findings_per_rule() {
    let p = project();
    std::fs::write(
        p.path().join("filings/broken/copy.txt"),
        corpus("broken/total-does-not-foot.txt"),
    )
    .unwrap();
    let full = findings(&check(p.path(), &["--format", "json", "."]));
    let footing = full
        .iter()
        .filter(|(_, r)| r == "total-does-not-foot")
        .count();
    let text = check(p.path(), &["--statistics", "."]);
    assert_eq!(text.code, 1, "the exit code is the run's");
    let line = text
        .stdout
        .lines()
        .find(|l| l.contains("total-does-not-foot"))
        .unwrap();
    assert!(
        line.trim_start().starts_with(&format!("{footing}  error")),
        "{line}"
    );
    assert!(
        text.stdout
            .contains(&format!("{} finding(s) in 2 file(s)", full.len()))
    );
    assert!(!text.stdout.contains("-->"), "no finding is drawn");
    let json = check(p.path(), &["--statistics", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let first = &v.as_array().unwrap()[0];
    assert_eq!(first["rule"], "total-does-not-foot");
    assert_eq!(first["count"], footing);
    let sarif = check(p.path(), &["--statistics", "--format", "sarif", "."]);
    assert_eq!(sarif.code, 2);
}

#[test]
fn quiet_prints_findings_and_nothing_else() {
    let p = project();
    let loud = check(p.path(), &["--format", "human", "."]);
    let quiet = check(p.path(), &["--format", "human", "-q", "-j", "100000", "."]);
    assert_eq!(quiet.code, loud.code);
    assert!(loud.stdout.contains("Summary"));
    assert!(!quiet.stdout.contains("Summary"), "{}", quiet.stdout);
    assert!(quiet.stdout.contains("total-does-not-foot"));
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
}

#[test]
fn a_baseline_hides_what_it_lists_and_reports_the_rest() {
    let p = project();
    let w = check(p.path(), &["--write-baseline", "base.yaml", "."]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    // A new broken file after the baseline: only its findings count.
    std::fs::write(
        p.path().join("filings/new.txt"),
        corpus("broken/total-does-not-foot.txt"),
    )
    .unwrap();
    let r = check(
        p.path(),
        &["--format", "json", "--baseline", "base.yaml", "."],
    );
    let f = findings(&r);
    assert!(!f.is_empty());
    assert!(f.iter().all(|(path, _)| path == "filings/new.txt"), "{f:?}");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("listed in the baseline base.yaml are not reported")
    );
    // Fixed findings leave no stale note, unlike an acknowledgement file.
    std::fs::write(p.path().join(BROKEN), corpus("01-basic-quarter.txt")).unwrap();
    std::fs::remove_file(p.path().join("filings/new.txt")).unwrap();
    let r = check(
        p.path(),
        &["--format", "json", "--baseline", "base.yaml", "."],
    );
    assert!(findings(&r).is_empty(), "{}", r.stdout);
    assert_eq!(r.code, 0);
}

#[test]
fn walks_leave_out_what_gitignore_ignores() {
    let p = project();
    let d = p.path();
    std::fs::create_dir(d.join(".git")).unwrap();
    std::fs::create_dir_all(d.join("build/out")).unwrap();
    std::fs::create_dir_all(d.join("filings/tmp")).unwrap();
    let bad = corpus("broken/total-does-not-foot.txt");
    for f in [
        "build/out/q.txt",
        "filings/tmp/q.txt",
        "filings/scratch.txt",
        "filings/keep-scratch.txt",
    ] {
        std::fs::write(d.join(f), &bad).unwrap();
    }
    std::fs::write(d.join(".gitignore"), "build/\n*scratch.txt\n").unwrap();
    std::fs::write(d.join("filings/.gitignore"), "tmp/\n!keep-scratch.txt\n").unwrap();
    let paths = |r: &Run| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_owned())
            .collect()
    };
    let walked = paths(&check(d, &["--format", "json", "."]));
    assert_eq!(
        walked,
        [BROKEN, "filings/good.txt", "filings/keep-scratch.txt"],
        "build/ and tmp/ pruned, scratch ignored, keep-scratch re-included"
    );
    // From inside the tree, the parents' .gitignore still applies.
    let inner = paths(&check(&d.join("filings"), &["--format", "json", "."]));
    assert_eq!(
        inner,
        [
            "broken/total-does-not-foot.txt",
            "good.txt",
            "keep-scratch.txt"
        ]
    );
    // --no-ignore and `respect-gitignore: false` walk everything.
    assert_eq!(
        paths(&check(d, &["--format", "json", "--no-ignore", "."])).len(),
        6
    );
    std::fs::write(d.join("tieout.yaml"), "respect-gitignore: false\n").unwrap();
    assert_eq!(paths(&check(d, &["--format", "json", "."])).len(), 6);
    std::fs::remove_file(d.join("tieout.yaml")).unwrap();
    // A file named on the command line is read even when ignored.
    let named = paths(&check(d, &["--format", "json", "filings/scratch.txt"]));
    assert_eq!(named, ["filings/scratch.txt"]);
    // Outside a Git repository, .gitignore means nothing.
    std::fs::remove_dir(d.join(".git")).unwrap();
    assert_eq!(paths(&check(d, &["--format", "json", "."])).len(), 6);
}

#[test]
fn the_config_is_found_from_the_checked_paths() {
    let p = project();
    std::fs::write(
        p.path().join("tieout.yaml"),
        "disable: [total-does-not-foot]\n",
    )
    .unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = p.path().join("filings");
    let r = check(
        elsewhere.path(),
        &["--format", "json", target.to_str().unwrap()],
    );
    assert!(
        findings(&r)
            .iter()
            .all(|(_, rule)| rule != "total-does-not-foot"),
        "{}",
        r.stdout
    );
    // Paths of two projects with different configs: one run, one config.
    let other = project();
    std::fs::write(other.path().join("tieout.yaml"), "disable: []\n").unwrap();
    let r = check(
        elsewhere.path(),
        &[target.to_str().unwrap(), other.path().to_str().unwrap()],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("belong to different projects"),
        "{}",
        r.stderr
    );
}

#[test]
fn init_writes_a_config_every_setting_of_which_loads() {
    let p = project();
    let r = tieout(p.path(), &["init"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(p.path().join("tieout.yaml")).unwrap();
    // The commented template is a valid (empty) config.
    assert_eq!(check(p.path(), &["--format", "json", "."]).code, 1);
    // Every setting it shows, uncommented, is valid too.
    let setting = regex::Regex::new(r"^\s*(- )?[a-z-]+:( |$)").unwrap();
    let live: String = text
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| setting.is_match(l))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::create_dir_all(p.path().join("house-rules")).unwrap();
    std::fs::write(p.path().join("tieout.yaml"), &live).unwrap();
    let r = check(p.path(), &["--format", "json", "."]);
    assert_ne!(r.code, 2, "uncommented template:\n{live}\n{}", r.stderr);
    assert!(
        live.contains("overrides:") && live.contains("tolerance:"),
        "{live}"
    );
    // It does not overwrite a config unless told to.
    let again = tieout(p.path(), &["init"], None);
    assert_eq!(again.code, 2);
    assert_eq!(
        std::fs::read_to_string(p.path().join("tieout.yaml")).unwrap(),
        live
    );
    assert_eq!(tieout(p.path(), &["init", "--force"], None).code, 0);
}

#[test]
fn completions_and_manual_pages_cover_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = tieout(dir.path(), &["completions", shell], None);
        assert_eq!(r.code, 0, "{shell}");
        assert!(r.stdout.contains("stdin-filename"), "{shell}");
    }
    let man = tieout(dir.path(), &["man"], None);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH tieout"),
        "{}",
        man.stdout
    );
    let r = tieout(dir.path(), &["man", "--dir", "pages"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let check_page = std::fs::read_to_string(dir.path().join("pages/tieout-check.1")).unwrap();
    assert!(check_page.contains("stdin\\-filename"), "{check_page}");
}

#[test]
fn rules_and_explain_follow_the_config_and_know_stale_acknowledgements() {
    let p = project();
    std::fs::write(
        p.path().join("tieout.yaml"),
        "disable: [eps-mismatch]\nseverity: {total-does-not-foot: warning}\n",
    )
    .unwrap();
    let rules = tieout(p.path(), &["rules"], None).stdout;
    let line = |id: &str| {
        rules
            .lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("{id} not listed:\n{rules}"))
            .to_owned()
    };
    assert_eq!(line("eps-mismatch").split_whitespace().nth(1), Some("off"));
    assert_eq!(
        line("total-does-not-foot").split_whitespace().nth(1),
        Some("warning")
    );
    assert_eq!(
        line("stale-acknowledgement").split_whitespace().nth(1),
        Some("note")
    );
    let plain = tieout(p.path(), &["rules", "--no-config"], None).stdout;
    assert!(plain.contains("eps-mismatch                       error"));
    let explain = tieout(p.path(), &["explain", "eps-mismatch"], None);
    assert!(
        explain.stdout.contains("Switched off here"),
        "{}",
        explain.stdout
    );
    let stale = tieout(p.path(), &["explain", "stale-acknowledgement"], None);
    assert_eq!(stale.code, 0);
    assert!(stale.stdout.contains("What it checks:"));
    let typo = tieout(p.path(), &["explain", "stale-acknowledgment"], None);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("did you mean `stale-acknowledgement`"));
}

/// Every finding of the broken corpus releases, `(rule, message, label
/// texts)`, from `--format json`.
fn broken_findings(extra: &[&str]) -> Vec<(String, String, Vec<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    args.push("corpus/broken");
    let r = tieout(root, &args, None);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let mut out = Vec::new();
    for f in doc["files"].as_array().unwrap() {
        for x in f["findings"].as_array().unwrap() {
            out.push((
                x["rule"].as_str().unwrap().to_owned(),
                x["message"].as_str().unwrap().to_owned(),
                x["labels"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|l| l["text"].as_str().map(str::to_owned))
                    .collect(),
            ));
        }
    }
    out
}

#[test]
fn identity_messages_put_the_printed_figure_first_and_show_the_arithmetic() {
    let internal = regex::Regex::new(r"\b[a-z]+_[a-z_]+\b|@(start|end)").unwrap();
    let mut identities = 0;
    for (rule, message, labels) in broken_findings(&[]) {
        for l in &labels {
            assert!(
                !internal.is_match(l),
                "{rule}: internal name in label `{l}`"
            );
        }
        assert!(!internal.is_match(&message), "{rule}: {message}");
        let Some((_, claim)) = message.split_once(": ") else {
            continue;
        };
        let Some((first, second)) = claim.split_once(" ≠ ") else {
            continue;
        };
        identities += 1;
        // `Gross profit 18,323 ≠ 48,215 − 29,504 − 288 = 18,423`: the
        // first side is a labelled cell of the finding, the second a
        // printed total or the arithmetic on printed figures.
        assert!(
            labels.iter().any(|l| l
                .split(':')
                .next()
                .is_some_and(|row| first.starts_with(row))),
            "{rule}: first side `{first}` is not a labelled printed figure: {labels:?}"
        );
        assert!(!second.contains("computed"), "{rule}: {message}");
    }
    assert!(identities >= 12, "{identities} identity findings");
}

#[test]
fn a_tolerance_in_units_is_shown_in_units_and_in_the_tables_units() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("q.txt"),
        corpus("broken/gross-profit-mismatch.txt"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tieout.yaml"),
        "tolerance:\n  gross-profit-mismatch: {absolute: \"50000\"}\n",
    )
    .unwrap();
    let r = check(dir.path(), &["--format", "concise", "q.txt"]);
    assert!(
        r.stdout
            .contains("the rule's tolerance of 50,000 in units allows 50 in this table's units"),
        "{}",
        r.stdout
    );
}

#[test]
fn human_output_names_the_severity_in_words() {
    let p = project();
    let r = check(p.path(), &["--format", "human", "--color", "never", BROKEN]);
    assert!(
        r.stdout.contains("error[total-does-not-foot]"),
        "{}",
        r.stdout
    );
}

#[test]
fn claims_lists_verified_claims_with_the_cells_they_were_ticked_against() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = tieout(
        root,
        &[
            "check",
            "--format",
            "json",
            "--claims",
            "corpus/01-basic-quarter.txt",
        ],
        None,
    );
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let claims = doc["files"][0]["claims"].as_array().unwrap();
    let verified: Vec<&serde_json::Value> = claims
        .iter()
        .filter(|c| c["status"] == "verified")
        .collect();
    assert_eq!(verified.len(), 13);
    assert_eq!(
        verified.len() as u64,
        doc["summary"]["totals"]["claims_verified"]
            .as_u64()
            .unwrap()
    );
    // "$48.2 million" of revenue is ticked against the printed 48,215.
    let revenue = verified
        .iter()
        .find(|c| c["at"]["snippet"] == "$48.2 million")
        .expect("the revenue claim");
    assert_eq!(revenue["ticked"][0]["text"], "Net revenue: 48,215");
    assert!(
        revenue["ticked"][0]["snippet"]
            .as_str()
            .unwrap()
            .ends_with("48,215")
    );
    // Every verified claim says what it was checked against.
    for c in &verified {
        assert!(
            !c["ticked"].as_array().unwrap().is_empty() || c["detail"].is_string(),
            "{c}"
        );
    }
    // Without --claims the JSON carries no claim list.
    let plain = tieout(
        root,
        &["check", "--format", "json", "corpus/01-basic-quarter.txt"],
        None,
    );
    assert!(!plain.stdout.contains("\"claims\": ["));
    // The human report lists them too.
    let human = tieout(
        root,
        &[
            "check",
            "--claims",
            "--color",
            "never",
            "corpus/01-basic-quarter.txt",
        ],
        None,
    );
    assert!(
        human
            .stdout
            .contains("claims: 13 verified, 0 contradicted, 3 unverifiable")
    );
    assert!(human.stdout.contains(
        "✓ verified      9:43 \"$48.2 million\" revenue, 3 months ended 2026-03-31: ticked against Net revenue: 48,215 at 56:40"
    ), "{}", human.stdout);
}

#[test]
fn the_summary_says_how_much_was_checked_and_names_untouched_tables() {
    // The first-quarter release with a table of counts no check can use
    // (corpus/16's ratio table is now tied by bps-change-mismatch).
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let release = std::fs::read_to_string(manifest.join("corpus/01-basic-quarter.txt")).unwrap();
    let counts = "
                      Selected Operating Data

                                          March 31,   December 31,
                                              2026           2025
Employees                                      412            398
Customers                                    1,120          1,084


     CONTACT:";
    let release = release.replacen("     CONTACT:", counts, 1);
    let file = "release.txt";
    std::fs::write(root.join(file), release).unwrap();
    let json = tieout(root, &["check", "--format", "json", file], None);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let stats = &doc["files"][0]["stats"];
    let (facts, checked) = (
        stats["facts"].as_u64().unwrap(),
        stats["figures_checked"].as_u64().unwrap(),
    );
    assert!(checked > 0 && checked < facts, "{stats}");
    assert_eq!(stats["tables_untouched"], 1, "{stats}");
    let human = tieout(root, &["check", "--color", "never", file], None);
    let share = checked as f64 * 100.0 / facts as f64;
    assert!(
        human.stdout.contains(&format!(
            "coverage: {checked} of {facts} table figures ({share:.1}%) took part in a check; \
             1 table no check touched"
        )),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .lines()
            .any(|l| l.trim_start().starts_with(file) && l.ends_with(": Selected Operating Data")),
        "{}",
        human.stdout
    );
}
