//! Roll-forward schedules (`roll-forward-mismatch`): one-digit changes to
//! every figure the rule ties in the corpus releases are found and located
//! on the changed figure, and the releases of `corpus/` (and the seeds and
//! real releases in `../shared/` when present) get no finding from it nor
//! from the other cross-footing, period and schedule rules, whose ticks are
//! counted per file.

#[path = "common/ticks.rs"]
mod common_ticks;

use common_ticks::{corpus_dir, figure_digits, findings, release_dirs, releases};

use tieout::check::{CheckOptions, check_document_with};
use tieout::finding::Severity;
use tieout::parse::parse;
use tieout::rules::RulePack;
use tieout::span::Span;

const RULES: [&str; 1] = ["roll-forward-mismatch"];

/// The rules of cross-footing, period arithmetic and schedules, counted per
/// file by the no-finding test.
const NEW_RULES: [&str; 10] = [
    "change-column-mismatch",
    "percent-change-mismatch",
    "change-off-by-rounding",
    "total-column-mismatch",
    "bps-change-mismatch",
    "period-sum-mismatch",
    "period-sum-off-by-rounding",
    "cash-flow-ending-cash-mismatch",
    "roll-forward-mismatch",
    "total-column-off-by-rounding",
];

/// Every figure a release's schedule checks tied, with the rule.
fn tied(bytes: &[u8], pack: &RulePack) -> Vec<(Span, String)> {
    tied_by(bytes, pack, &RULES)
}

/// Every figure the given rules tied, with the rule (a figure once).
fn tied_by(bytes: &[u8], pack: &RulePack, rules: &[&str]) -> Vec<(Span, String)> {
    common_ticks::ticked(bytes, pack, rules, false)
}

/// Figures tied per rule of `rules`, for the report.
fn ticks_per_rule<const N: usize>(bytes: &[u8], pack: &RulePack, rules: &[&str; N]) -> [usize; N] {
    let mut n = [0; N];
    for (_, rule) in tied_by(bytes, pack, rules) {
        if let Some(i) = rules.iter().position(|r| *r == rule) {
            n[i] += 1;
        }
    }
    n
}

#[test]
fn one_digit_changes_to_schedule_figures_are_found_and_located() {
    let pack = RulePack::default_pack();
    let (mut tried, mut found, mut files) = (0usize, 0usize, 0usize);
    // Found by the schedule rules themselves (the rest by another rule:
    // a figure printed in two tables that no longer agree is left to
    // cross-table-mismatch and not summed).
    let mut by_schedules = 0usize;
    let mut missed = Vec::new();
    for path in releases(&corpus_dir()) {
        let bytes = std::fs::read(&path).unwrap();
        let cells = tied(&bytes, &pack);
        if cells.is_empty() {
            continue;
        }
        files += 1;
        for (span, rule) in &cells {
            let digits = figure_digits(&bytes, *span);
            for &i in &digits {
                for k in [1u8, 3, 5, 8] {
                    let mut m = bytes.clone();
                    m[i] = b'0' + (m[i] - b'0' + k) % 10;
                    tried += 1;
                    let fs = findings(&m, &pack);
                    let on = |f: &&tieout::finding::Finding| {
                        f.severity >= Severity::Warning && f.labels.iter().any(|l| l.span == *span)
                    };
                    let located = fs.iter().any(|f| on(&f));
                    if fs
                        .iter()
                        .any(|f| on(&f) && RULES.contains(&f.rule.as_str()))
                    {
                        by_schedules += 1;
                    }
                    if located {
                        found += 1;
                    } else {
                        missed.push(format!(
                            "{}: {rule} at {} -> {:?}",
                            path.display(),
                            span.offset,
                            String::from_utf8_lossy(&m[span.offset..span.offset + span.len])
                        ));
                    }
                }
            }
        }
    }
    let rate = found as f64 / tried.max(1) as f64;
    eprintln!(
        "{files} releases, {tried} one-digit changes, {found} found and located ({:.1}%), {by_schedules} by the schedule rules ({:.1}%)",
        rate * 100.0,
        by_schedules as f64 / tried.max(1) as f64 * 100.0
    );
    for m in missed.iter().take(30) {
        eprintln!("  missed: {m}");
    }
    assert!(files >= 1);
    assert!(rate >= 0.95, "{:.1}% found", rate * 100.0);
}

#[test]
fn no_finding_from_schedules_on_releases_that_tie() {
    let pack = RulePack::default_pack();
    let dirs = release_dirs();
    let (mut files, mut total) = (0, [0usize; NEW_RULES.len()]);
    for dir in dirs {
        for path in releases(&dir) {
            let bytes = std::fs::read(&path).unwrap();
            files += 1;
            let n = ticks_per_rule(&bytes, &pack, &NEW_RULES);
            for (t, k) in total.iter_mut().zip(n) {
                *t += k;
            }
            let bad: Vec<String> = findings(&bytes, &pack)
                .into_iter()
                .filter(|f| NEW_RULES.contains(&f.rule.as_str()))
                .map(|f| f.message)
                .collect();
            assert!(bad.is_empty(), "{}: {bad:#?}", path.display());
            let ran: Vec<String> = NEW_RULES
                .iter()
                .zip(n)
                .filter(|(_, k)| *k > 0)
                .map(|(r, k)| format!("{r} {k}"))
                .collect();
            eprintln!(
                "{}: figures tied: {}",
                path.display(),
                if ran.is_empty() {
                    "none".to_owned()
                } else {
                    ran.join(", ")
                }
            );
        }
    }
    eprintln!("{files} releases, no finding; figures tied per rule:");
    for (r, k) in NEW_RULES.iter().zip(total) {
        eprintln!("  {r}: {k}");
    }
    let roll = NEW_RULES.iter().position(|r| *r == RULES[0]).unwrap();
    assert!(total[roll] > 0, "{total:?}");
}

/// An equity statement: columns are equity components, rows movements
/// between dated balances; each column rolls from one balance to the next.
const EQUITY: &str = "\
                  HYPOTHETICAL WIDGETS, INC.

         Condensed Consolidated Statement of Stockholders' Equity

                           (In thousands)


                                      Common
                                   Stock and      Retained         Total
                                     Paid-in      Earnings        Equity
                                     Capital
                                  ----------    ----------    ----------

Balance at December 31, 2024         120,415       181,980       302,395
Net income                                 -        24,877        24,877
Stock-based compensation              19,771             -        19,771
Shares issued under stock plans        4,153             -         4,153
Repurchases of common stock           (1,160)       (5,000)       (6,160)
                                  ----------    ----------    ----------
Balance at December 31, 2025         143,179       201,857       345,036
                                  ==========    ==========    ==========
";

#[test]
fn an_equity_statement_rolls_per_component_and_a_typo_is_located() {
    let pack = RulePack::default_pack();
    let bytes = EQUITY.as_bytes();
    let doc = parse(bytes);
    let options = CheckOptions {
        record: true,
        ..CheckOptions::default()
    };
    let out = check_document_with(&doc, &pack, bytes, options);
    let ticks: Vec<&str> = out
        .ticks
        .iter()
        .filter(|t| t.rule == RULES[0])
        .map(|t| t.text.as_str())
        .collect();
    assert!(
        out.findings
            .iter()
            .all(|f| !RULES.contains(&f.rule.as_str())),
        "{:#?}",
        out.findings
    );
    assert_eq!(ticks.len(), 3, "{ticks:#?}");
    // 201,857 mistyped as 201,587 in the retained earnings column.
    let typo = EQUITY.replacen("201,857", "201,587", 1);
    let found = findings(typo.as_bytes(), &pack);
    let offset = typo.find("201,587").unwrap();
    assert!(
        found.iter().any(|f| f.rule == RULES[0]
            && f.labels
                .first()
                .is_some_and(|l| l.span.offset <= offset && offset < l.span.offset + l.span.len)),
        "{found:#?}"
    );
}

/// A schedule whose movements include their own subtotal (`Net
/// charge-offs` under the charge-offs and recoveries) is read with the
/// subtotal left out; one that cannot be read at all is not reported.
#[test]
fn a_subtotal_among_the_movements_is_left_out_and_an_unreadable_schedule_is_not_reported() {
    let table = "\
                  HYPOTHETICAL LENDING CORP.

                  Allowance for Credit Losses

                         (In thousands)


                                     Three Months Ended
                                   March 31,     March 31,
                                        2026          2025
                                  ----------    ----------

Balance, beginning of period          41,527        38,104
Provision for credit losses            1,880         1,210
Charge-offs                           (1,412)         (804)
Recoveries                               324           312
Net charge-offs                       (1,088)         (492)
Balance, end of period                42,319        38,822
";
    let pack = RulePack::default_pack();
    let fs = findings(table.as_bytes(), &pack);
    assert!(
        fs.iter().all(|f| !RULES.contains(&f.rule.as_str())),
        "{fs:#?}"
    );
    let n = ticks_per_rule(table.as_bytes(), &pack, &RULES);
    assert!(n[0] > 0, "{n:?}");
    // Both columns off: no reading holds anywhere, so the schedule is not
    // reported as an error (it may be misread).
    let both = table
        .replacen("42,319", "43,319", 1)
        .replacen("38,822", "39,822", 1);
    let fs = findings(both.as_bytes(), &pack);
    assert!(fs.iter().all(|f| f.rule != RULES[0]), "{fs:#?}");
}
