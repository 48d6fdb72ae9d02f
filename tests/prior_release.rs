//! Prior-release consistency: `check --prior EARLIER CURRENT` and
//! `check --pair` over a sweep, on the pair of `corpus/pairs/` (Kestrel's
//! fourth-quarter 2025 release, and its first-quarter 2026 release with the
//! December quarter restated and two balance-sheet lines moved without a
//! mark), with labels in both files in every format.

#[path = "common/corpus.rs"]
mod common_corpus;
use common_corpus::corpus;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_tieout");
const EARLIER: &str = "pairs/kestrel-q4-2025.txt";
const RESTATED: &str = "pairs/kestrel-q1-2026-restated.txt";

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A folder with the two releases of the pair (and, with `plain`, the
/// unrestated first-quarter release `01-basic-quarter.txt`).
fn folder(plain: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("q4-2025.txt"), corpus(EARLIER)).unwrap();
    std::fs::write(dir.path().join("q1-2026.txt"), corpus(RESTATED)).unwrap();
    if plain {
        std::fs::write(
            dir.path().join("q1-2026-plain.txt"),
            corpus("01-basic-quarter.txt"),
        )
        .unwrap();
    }
    dir
}

/// `(rule, message, elsewhere line)` of each prior-release finding.
fn prior_findings(json: &str) -> Vec<(String, String, u64)> {
    let v: Value = serde_json::from_str(json).unwrap();
    let mut out = Vec::new();
    for f in v["files"].as_array().unwrap() {
        for x in f["findings"].as_array().unwrap() {
            let rule = x["rule"].as_str().unwrap();
            if rule.starts_with("prior-release") {
                let e = &x["elsewhere"][0];
                out.push((
                    rule.to_owned(),
                    x["message"].as_str().unwrap().to_owned(),
                    e["line"].as_u64().unwrap_or(0),
                ));
            }
        }
    }
    out
}

#[test]
fn a_restated_column_gives_notes_and_an_unmarked_difference_warnings() {
    let dir = folder(false);
    let (code, json, err) = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--prior",
            "q4-2025.txt",
            "q1-2026.txt",
        ],
    );
    assert_eq!(code, 0, "warnings and notes do not fail the run: {err}");
    let found = prior_findings(&json);
    let notes: Vec<_> = found
        .iter()
        .filter(|f| f.0 == "prior-release-restated")
        .collect();
    let warnings: Vec<_> = found
        .iter()
        .filter(|f| f.0 == "prior-release-mismatch")
        .collect();
    // The December quarter's column is marked `(As Restated)`: other
    // expense, pretax loss and tax (and the reconciliation's interest line,
    // printed under the same columns) are notes naming both figures.
    assert_eq!(notes.len(), 4, "{found:#?}");
    for label in [
        "Other expense, net",
        "Loss before income taxes",
        "Income tax provision",
    ] {
        assert!(
            notes.iter().any(|n| n.1.starts_with(label)),
            "no note for {label}: {notes:#?}"
        );
    }
    let note = notes
        .iter()
        .find(|n| n.1.starts_with("Other expense"))
        .unwrap();
    assert!(
        note.1.contains("(250)") && note.1.contains("(210)") && note.1.contains("of 40"),
        "{}",
        note.1
    );
    // The balance sheet's December column is not marked: the two lines
    // moved between inventories and prepaid expenses are warnings, each
    // labelled in the earlier release too (its line 120 and 121).
    assert_eq!(warnings.len(), 2, "{found:#?}");
    assert!(warnings[0].1.starts_with("Inventories") && warnings[0].1.contains("41,360"));
    assert_eq!(warnings[0].2, 120);
    assert!(warnings[1].1.starts_with("Prepaid expenses"));
    assert_eq!(warnings[1].2, 121);
    // Figures that agree were compared too, and counted.
    let v: Value = serde_json::from_str(&json).unwrap();
    let compared = v["files"][0]["stats"]["prior_compared"].as_u64().unwrap();
    assert!(compared > 30, "{compared}");
}

#[test]
fn the_other_file_is_shown_in_every_format() {
    let dir = folder(false);
    let args = |format: &'static str| {
        vec![
            "check",
            "--format",
            format,
            "--prior",
            "q4-2025.txt",
            "q1-2026.txt",
        ]
    };
    // miette: a related snippet from the earlier release, with its line.
    let (_, human, _) = run(dir.path(), &args("human"));
    assert!(human.contains("[q4-2025.txt:120:52]"), "{human}");
    assert!(
        human.contains("Inventories: 41,360 (as of 2025-12-31) in the earlier release"),
        "{human}"
    );
    assert!(human.contains("[q1-2026.txt:141:64]"), "{human}");
    // One-line formats name the other place.
    let (_, concise, _) = run(dir.path(), &args("concise"));
    assert!(concise.contains("(see q4-2025.txt:120:52)"), "{concise}");
    let (_, github, _) = run(dir.path(), &args("github"));
    assert!(github.contains("see q4-2025.txt:120:52"), "{github}");
    // SARIF: a related location in the other artifact, valid against the
    // SARIF 2.1.0 schema.
    let (_, sarif, _) = run(dir.path(), &args("sarif"));
    let v: Value = serde_json::from_str(&sarif).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let warning = results
        .iter()
        .find(|r| r["ruleId"] == "prior-release-mismatch")
        .unwrap();
    assert_eq!(
        warning["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "q1-2026.txt"
    );
    let related = &warning["relatedLocations"][0]["physicalLocation"];
    assert_eq!(related["artifactLocation"]["uri"], "q4-2025.txt");
    assert_eq!(related["region"]["startLine"], 120);
    assert_eq!(related["region"]["snippet"]["text"], "41,360");
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // JSONL carries the same `elsewhere` labels, and `merge` reads them back.
    let (_, jsonl, _) = run(dir.path(), &args("jsonl"));
    assert!(jsonl.contains("\"elsewhere\""));
    std::fs::write(dir.path().join("run.jsonl"), &jsonl).unwrap();
    let (code, merged, err) = run(dir.path(), &["merge", "--format", "sarif", "run.jsonl"]);
    assert_eq!(code, 0, "{err}");
    let m: Value = serde_json::from_str(&merged).unwrap();
    let again = m["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "prior-release-mismatch")
        .unwrap()
        .clone();
    assert_eq!(again["relatedLocations"], warning["relatedLocations"]);
}

#[test]
fn a_sweep_pairs_releases_by_company_and_period() {
    let dir = folder(true);
    let (code, json, err) = run(dir.path(), &["check", "--pair", "--format", "json", "."]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&json).unwrap();
    let files = v["files"].as_array().unwrap();
    let by_path = |p: &str| files.iter().find(|f| f["path"] == p).unwrap();
    // The restated release meets the fourth-quarter release's figures (the
    // same six findings as with --prior).
    let restated = by_path("q1-2026.txt");
    let rules: Vec<&str> = restated["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .filter(|r| r.starts_with("prior-"))
        .collect();
    assert_eq!(rules.len(), 6, "{rules:?}");
    // The unrestated first-quarter release agrees with it everywhere.
    let plain = by_path("q1-2026-plain.txt");
    assert_eq!(plain["findings"].as_array().unwrap().len(), 0, "{plain:#}");
    assert!(plain["stats"]["prior_compared"].as_u64().unwrap() > 30);
    // The earlier release has nothing earlier to meet: a later release's
    // comparatives never count as its own figures.
    let earlier = by_path("q4-2025.txt");
    assert_eq!(earlier["findings"].as_array().unwrap().len(), 0);
    assert!(earlier["stats"].get("prior_compared").is_none());
}

#[test]
fn without_pairing_nothing_is_compared() {
    let dir = folder(true);
    let (_, json, _) = run(dir.path(), &["check", "--format", "json", "."]);
    assert!(prior_findings(&json).is_empty());
    assert!(!json.contains("prior_compared"));
}

#[test]
fn a_companies_file_pairs_releases_whose_leads_differ() {
    let dir = folder(false);
    // The earlier release renamed: its lead names no company tieout knows.
    let text = String::from_utf8(corpus(EARLIER))
        .unwrap()
        .replace(
            "Kestrel Optical Networks, Inc.\n(Nasdaq:KONI)",
            "the company",
        )
        .replace("KESTREL OPTICAL NETWORKS REPORTS", "RESULTS:");
    std::fs::write(dir.path().join("q4-2025.txt"), text).unwrap();
    let (_, json, _) = run(dir.path(), &["check", "--pair", "--format", "json", "."]);
    assert!(
        prior_findings(&json).is_empty(),
        "unnamed, the releases are not paired"
    );
    std::fs::write(
        dir.path().join("companies.yaml"),
        "companies:\n  kestrel: [\"q*-202?.txt\"]\n",
    )
    .unwrap();
    let (code, json, err) = run(
        dir.path(),
        &[
            "check",
            "--companies",
            "companies.yaml",
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(prior_findings(&json).len(), 6);
    // A broken companies file is a diagnostic pointing into it.
    std::fs::write(
        dir.path().join("bad.yaml"),
        "companies:\n  kestrel: [\"q[.txt\"]\n",
    )
    .unwrap();
    let (code, _, err) = run(dir.path(), &["check", "--companies", "bad.yaml", "."]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.yaml") && err.contains("invalid glob"),
        "{err}"
    );
    std::fs::write(dir.path().join("bad.yaml"), "companies: [1, 2\n").unwrap();
    let (code, _, err) = run(dir.path(), &["check", "--companies", "bad.yaml", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.yaml"), "{err}");
}

#[test]
fn a_prior_file_that_cannot_be_read_is_a_usage_error() {
    let dir = folder(false);
    let (code, _, err) = run(
        dir.path(),
        &["check", "--prior", "missing.txt", "q1-2026.txt"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--prior missing.txt"), "{err}");
    std::fs::write(dir.path().join("empty.txt"), b"").unwrap();
    let (code, _, err) = run(
        dir.path(),
        &["check", "--prior", "empty.txt", "q1-2026.txt"],
    );
    assert_eq!(code, 2, "{err}");
}

/// On the real releases of `../shared/` (when present) pairing adds no
/// finding: the two Apple releases pair by their headline, six years apart,
/// and so share no period; no other two name one company.
#[test]
fn real_releases_pair_without_findings() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if !shared.join("corpus").is_dir() {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    }
    let (code, json, err) = run(
        &shared,
        &[
            "check",
            "--pair",
            "--format",
            "json",
            "--fail-on",
            "never",
            "seeds",
            "corpus",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        prior_findings(&json).is_empty(),
        "{:#?}",
        prior_findings(&json)
    );
}

/// A comparative total that neither foots nor matches the earlier release
/// gets both findings: the difference from the earlier release never hides
/// the footing error (the engine drops a footing finding that only echoes a
/// more specific one of the same release).
#[test]
fn a_prior_difference_does_not_hide_a_footing_error() {
    let dir = folder(false);
    let text = String::from_utf8(corpus(RESTATED)).unwrap().replace(
        "  Total current assets                            156,355     151,570",
        "  Total current assets                            156,355     151,670",
    );
    assert!(text.contains("151,670"));
    std::fs::write(dir.path().join("q1-2026.txt"), text).unwrap();
    let (code, json, _) = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--prior",
            "q4-2025.txt",
            "q1-2026.txt",
        ],
    );
    assert_eq!(code, 1, "the footing error fails the run");
    let v: Value = serde_json::from_str(&json).unwrap();
    let rules: Vec<&str> = v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("151,670"))
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"total-does-not-foot"), "{rules:?}");
    assert!(rules.contains(&"prior-release-mismatch"), "{rules:?}");
}

/// An HTML earlier release: its figure is placed on its own line and
/// column in JSON, and drawn on its text view (its markup line is too long
/// to show) under that position in human output.
#[test]
fn an_html_earlier_release_is_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let current = String::from_utf8(corpus("15-html-donnelley.htm")).unwrap();
    // The earlier release printed total assets of 8,353 for the same date.
    let earlier = current.replacen("8,253", "8,353", 1);
    assert_ne!(earlier, current);
    std::fs::write(dir.path().join("earlier.htm"), &earlier).unwrap();
    std::fs::write(dir.path().join("current.htm"), &current).unwrap();
    let args = |f: &'static str| {
        vec![
            "check",
            "--format",
            f,
            "--prior",
            "earlier.htm",
            "current.htm",
        ]
    };
    let (_, json, _) = run(dir.path(), &args("json"));
    let v: Value = serde_json::from_str(&json).unwrap();
    let finding = v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "prior-release-mismatch")
        .expect("a warning")
        .clone();
    let e = &finding["elsewhere"][0];
    let offset = e["offset"].as_u64().unwrap() as usize;
    let length = e["length"].as_u64().unwrap() as usize;
    // The cell, from its `$` to its figure.
    assert!(earlier[offset..offset + length].ends_with("8,353"));
    let line = earlier[..offset].matches('\n').count() + 1;
    assert_eq!(e["line"].as_u64().unwrap() as usize, line);
    assert!(e["snippet"].as_str().unwrap().ends_with("8,353"));
    let (_, human, _) = run(dir.path(), &args("human"));
    assert!(
        human.contains(&format!("[earlier.htm:{line}:")) && human.contains("shown as text)]"),
        "{human}"
    );
    assert!(human.contains("Total assets: 8,353"), "{human}");
}
