//! Arithmetic across periods (`period-sum-mismatch`: quarters add up to the
//! year, nine months and the fourth quarter to the year; and
//! `cash-flow-ending-cash-mismatch`: the cash flow statement's beginning
//! and ending cash tie to the balance sheet): one-digit changes to every
//! figure these rules tie in `corpus/` are found by them and located on the
//! changed figure, and the real releases of `../shared/` (when present) get
//! no finding from them.

#[path = "common/ticks.rs"]
mod common_ticks;

use std::path::PathBuf;

use common_ticks::{corpus_dir, figure_digits, findings, releases};
use tieout::finding::Severity;
use tieout::rules::RulePack;
use tieout::span::Span;

const RULES: [&str; 3] = [
    "period-sum-mismatch",
    "period-sum-off-by-rounding",
    "cash-flow-ending-cash-mismatch",
];

/// Every figure a tick of `RULES` tied (the whole and its parts, both
/// cash figures), with the rule.
fn tied(bytes: &[u8], pack: &RulePack) -> Vec<(Span, String)> {
    common_ticks::ticked(bytes, pack, &RULES, false)
}

#[test]
fn one_digit_changes_to_period_sums_and_cash_ties_are_found_and_located() {
    let pack = RulePack::default_pack();
    let root = corpus_dir();
    let (mut tried, mut found) = (0usize, 0usize);
    let mut per_rule: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let mut missed = Vec::new();
    for path in releases(&root) {
        let bytes = std::fs::read(&path).unwrap();
        for (span, rule) in tied(&bytes, &pack) {
            let digits = figure_digits(&bytes, span);
            for &i in &digits {
                for k in [1u8, 3, 5, 8] {
                    let mut m = bytes.clone();
                    m[i] = b'0' + (m[i] - b'0' + k) % 10;
                    tried += 1;
                    let e = per_rule.entry(rule.clone()).or_default();
                    e.0 += 1;
                    let located = findings(&m, &pack).iter().any(|f| {
                        RULES.contains(&f.rule.as_str())
                            && f.severity >= Severity::Warning
                            && f.labels.iter().any(|l| l.span == span)
                    });
                    if located {
                        found += 1;
                        e.1 += 1;
                    } else {
                        missed.push(format!(
                            "{}: byte {i} +{k} ({rule})",
                            path.file_name().unwrap().to_string_lossy()
                        ));
                    }
                }
            }
        }
    }
    let rate = found as f64 / tried.max(1) as f64;
    eprintln!(
        "period checks: {found} of {tried} one-digit changes found and located ({:.1}%); per rule {per_rule:?}",
        rate * 100.0
    );
    assert!(tried >= 300, "too few figures tied: {tried}");
    for (rule, (t, _)) in &per_rule {
        assert!(*t > 0, "{rule} tied nothing in corpus/");
    }
    assert!(
        rate >= 0.95,
        "{:.3}; missed: {:#?}",
        rate,
        &missed[..missed.len().min(30)]
    );
}

#[test]
fn real_releases_get_no_period_finding() {
    let pack = RulePack::default_pack();
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if !shared.is_dir() {
        eprintln!("skipped: ../shared is absent");
        return;
    }
    let mut problems = Vec::new();
    for path in releases(&shared) {
        let bytes = std::fs::read(&path).unwrap();
        for f in findings(&bytes, &pack) {
            if RULES.contains(&f.rule.as_str()) {
                problems.push(format!("{}: {}", path.display(), f.message));
            }
        }
        let ticked = tied(&bytes, &pack);
        if !ticked.is_empty() {
            eprintln!("{}: {} figures tied", path.display(), ticked.len());
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
