//! The narrative claims of the two seed releases, through the whole
//! pipeline: each claim as (metric, period, amount, status) rows — never the
//! releases' sentences — and a one-digit change to a verifiable narrative
//! amount must be reported. Skipped when `../shared/seeds/` is absent.

use std::path::PathBuf;

use tieout::check::check_document;
use tieout::finding::Severity;
use tieout::rules::RulePack;

fn seed(name: &str) -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seeds")
        .join(name);
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(_) => {
            println!("note: {} absent, skipping", path.display());
            None
        }
    }
}

fn claim_rows(bytes: &[u8]) -> Vec<String> {
    let doc = tieout::parse::parse(bytes);
    let out = check_document(&doc, &RulePack::default_pack(), bytes);
    out.claims
        .iter()
        .map(|c| {
            format!(
                "{} | {} | {} | {}{}",
                c.metric,
                c.period.clone().unwrap_or_else(|| "-".into()),
                c.amount
                    .clone()
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                c.status,
                c.detail
                    .as_ref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn seed_claims_are_found_resolved_and_ticked() {
    for name in ["000_558989e6b755ce63.txt", "001_899237e72666e318.txt"] {
        let Some(bytes) = seed(name) else { return };
        let rows = claim_rows(&bytes);
        insta::assert_yaml_snapshot!(format!("claims-{}", &name[..3]), rows);
        assert!(
            rows.iter().all(|r| !r.contains("| contradicted")),
            "{rows:#?}"
        );
        let doc = tieout::parse::parse(&bytes);
        let out = check_document(&doc, &RulePack::default_pack(), &bytes);
        assert!(out.findings.iter().all(|f| f.severity < Severity::Warning));
    }
    // The figures the brief names are verified.
    let rows = claim_rows(&seed("000_558989e6b755ce63.txt").unwrap_or_default());
    if rows.is_empty() {
        return;
    }
    for amount in [
        "$52.7 million",
        "$53.2 million",
        "$27.6 million",
        "$3.9 million",
        "$0.03",
        "$0.2 million",
        "$1.1 million",
        "$1.7 million",
    ] {
        assert!(
            rows.iter()
                .any(|r| r.contains(&format!("| {amount}")) && r.contains("| verified")),
            "{amount} not verified: {rows:#?}"
        );
    }
    assert!(
        rows.iter()
            .any(|r| r.contains("11%") && r.contains("| verified")),
        "{rows:#?}"
    );
    let rows = claim_rows(&seed("001_899237e72666e318.txt").unwrap_or_default());
    for amount in ["$59.8 million", "$21.9 million", "$(1.50)", "$22.2 million"] {
        assert!(
            rows.iter()
                .any(|r| r.contains(&format!("| {amount}")) && r.contains("| verified")),
            "{amount} not verified: {rows:#?}"
        );
    }
    // The June 30, 2003 quarter is in no table.
    assert!(
        rows.iter()
            .any(|r| r.contains("$20.5 million") && r.contains("unverifiable")),
        "{rows:#?}"
    );
}

#[test]
fn a_changed_narrative_digit_in_a_seed_is_reported() {
    let Some(bytes) = seed("000_558989e6b755ce63.txt") else {
        return;
    };
    let text = String::from_utf8_lossy(&bytes);
    let at = text.find("$52.7").expect("the revenue claim") + 4;
    let mut mutated = bytes.clone();
    mutated[at] = b'9';
    let doc = tieout::parse::parse(&mutated);
    let out = check_document(&doc, &RulePack::default_pack(), &mutated);
    let hit = out
        .findings
        .iter()
        .find(|f| f.rule == "narrative-amount-mismatch")
        .expect("the changed amount is reported");
    assert!(
        hit.labels
            .iter()
            .any(|l| l.span.offset <= at && at < l.span.end()),
        "a label covers the changed digit"
    );
    assert!(hit.labels.len() >= 2, "and another covers the table cell");
}
