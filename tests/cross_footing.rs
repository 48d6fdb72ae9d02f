//! Cross-footing (`change-column-mismatch`, `percent-change-mismatch`,
//! `total-column-mismatch`, `bps-change-mismatch` and their rounding
//! conventions): one-digit changes to the change, percent-change, total
//! column and basis-point figures of the corpus releases that print such
//! columns, and to the segment totals `cross-table-mismatch` ties to the
//! statements, are found and located, and the releases of `corpus/` (and
//! the real ones in `../shared/` when present) get no false error from
//! them.

#[path = "common/ticks.rs"]
mod common_ticks;

use std::path::{Path, PathBuf};

use common_ticks::{corpus_dir, figure_digits, release_dirs, releases as release_paths};

use tieout::check::{CheckOptions, check_document_with};
use tieout::finding::Severity;
use tieout::parse::parse;
use tieout::rules::RulePack;
use tieout::span::Span;

const RULES: [&str; 3] = [
    "change-column-mismatch",
    "change-off-by-rounding",
    "percent-change-mismatch",
];

/// The segment-table rules: total columns and basis-point changes.
const SEGMENT_RULES: [&str; 4] = [
    "total-column-mismatch",
    "total-column-off-by-rounding",
    "bps-change-mismatch",
    "bps-change-off-by-rounding",
];

/// The change and percent-change figures a release's cross-footing ties,
/// with the rule that tied each.
fn cross_footed(bytes: &[u8], pack: &RulePack) -> Vec<(Span, String)> {
    cross_footed_by(bytes, pack, &RULES)
}

/// The first figure of every tick of `rules`, with the rule.
fn cross_footed_by(bytes: &[u8], pack: &RulePack, rules: &[&str]) -> Vec<(Span, String)> {
    common_ticks::ticked(bytes, pack, rules, true)
}

fn errors(bytes: &[u8], pack: &RulePack) -> Vec<tieout::finding::Finding> {
    let doc = parse(bytes);
    check_document_with(&doc, pack, bytes, CheckOptions::default())
        .findings
        .into_iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect()
}

/// A release: its path, its bytes, and the figures cross-footing tied.
type Release = (PathBuf, Vec<u8>, Vec<(Span, String)>);

/// Releases under `dir` whose cross-footing ties at least one figure.
fn releases_with_columns(dir: &Path, pack: &RulePack) -> Vec<Release> {
    let mut out = Vec::new();
    for p in release_paths(dir) {
        let bytes = std::fs::read(&p).unwrap();
        let cells = cross_footed(&bytes, pack);
        if !cells.is_empty() {
            out.push((p, bytes, cells));
        }
    }
    out
}

#[test]
fn one_digit_changes_to_change_and_percent_figures_are_found_and_located() {
    let pack = RulePack::default_pack();
    let releases = releases_with_columns(&corpus_dir(), &pack);
    assert!(
        releases.len() >= 2,
        "corpus releases with change columns: {}",
        releases.len()
    );
    let (mut tried, mut found) = (0usize, 0usize);
    let mut missed = Vec::new();
    for (path, bytes, cells) in &releases {
        for (span, rule) in cells {
            let _ = rule;
            let digits = figure_digits(bytes, *span);
            for &i in &digits {
                for k in [1u8, 3, 5, 8] {
                    let mut m = bytes.clone();
                    m[i] = b'0' + (m[i] - b'0' + k) % 10;
                    tried += 1;
                    let located = errors(&m, &pack).iter().any(|f| {
                        RULES.contains(&f.rule.as_str())
                            && f.labels.first().is_some_and(|l| l.span == *span)
                    });
                    if located {
                        found += 1;
                    } else {
                        missed.push(format!(
                            "{}: {} at {} -> {:?}",
                            path.display(),
                            rule,
                            span.offset,
                            String::from_utf8_lossy(&m[span.offset..span.offset + span.len])
                        ));
                    }
                }
            }
        }
    }
    let rate = found as f64 / tried as f64;
    eprintln!(
        "{} releases, {tried} one-digit changes, {found} found and located ({:.1}%)",
        releases.len(),
        rate * 100.0
    );
    for m in missed.iter().take(20) {
        eprintln!("  missed: {m}");
    }
    assert!(rate >= 0.95, "{:.1}% found", rate * 100.0);
}

#[test]
fn no_false_error_from_cross_footing_on_releases_that_tie() {
    let pack = RulePack::default_pack();
    let dirs = release_dirs();
    let (mut files, mut tied) = (0, 0);
    for dir in dirs {
        for path in release_paths(&dir) {
            let bytes = std::fs::read(&path).unwrap();
            files += 1;
            let cells = cross_footed(&bytes, &pack).len();
            tied += cells;
            let bad: Vec<String> = errors(&bytes, &pack)
                .into_iter()
                .filter(|f| {
                    RULES.contains(&f.rule.as_str()) || SEGMENT_RULES.contains(&f.rule.as_str())
                })
                .map(|f| f.message)
                .collect();
            assert!(bad.is_empty(), "{}: {bad:#?}", path.display());
            if cells > 0 {
                eprintln!(
                    "{}: {cells} change and percent figures tied",
                    path.display()
                );
            }
        }
    }
    eprintln!("{files} releases, {tied} change and percent figures tied, no finding");
    assert!(tied > 0);
}

/// The figures the segment-table checks tie in a release: the total of
/// every total-column tick and the basis points of every bps tick (each
/// with its rule), and every figure of a segment table (a table titled
/// `Segment`) that `cross-table-mismatch` ties to another table.
fn segment_figures(bytes: &[u8], pack: &RulePack) -> Vec<(Span, String)> {
    let doc = parse(bytes);
    let out = check_document_with(
        &doc,
        pack,
        bytes,
        CheckOptions {
            record: true,
            ..CheckOptions::default()
        },
    );
    let segment_spans: Vec<Span> = doc
        .exhibits
        .iter()
        .flat_map(|e| e.tables())
        .filter(|t| t.title_text().contains("Segment"))
        .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter().flatten()))
        .map(|c| c.span)
        .collect();
    let mut cells: Vec<(Span, String)> = Vec::new();
    for t in &out.ticks {
        if SEGMENT_RULES.contains(&t.rule.as_str()) {
            if let Some(l) = t.labels.first() {
                cells.push((l.span, t.rule.clone()));
            }
        } else if t.rule == "cross-table-mismatch" {
            cells.extend(
                t.labels
                    .iter()
                    .filter(|l| segment_spans.contains(&l.span))
                    .map(|l| (l.span, t.rule.clone())),
            );
        }
    }
    cells.sort();
    cells.dedup_by_key(|c| c.0);
    cells
}

#[test]
fn one_digit_changes_to_segment_totals_and_basis_points_are_found_and_located() {
    let pack = RulePack::default_pack();
    let mut tried: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let mut missed = Vec::new();
    let mut releases = 0;
    for path in release_paths(&corpus_dir()) {
        let bytes = std::fs::read(&path).unwrap();
        let cells = segment_figures(&bytes, &pack);
        if cells.is_empty() {
            continue;
        }
        releases += 1;
        for (span, rule) in &cells {
            // A total-column or bps finding is located on its first label;
            // a cross-table one labels both figures.
            let family: &[&str] = if rule.starts_with("total-column") {
                &SEGMENT_RULES[..2]
            } else if rule.starts_with("bps-change") {
                &SEGMENT_RULES[2..]
            } else {
                &["cross-table-mismatch"]
            };
            let key = family[0].to_owned();
            for i in figure_digits(&bytes, *span) {
                for k in [1u8, 3, 5, 8] {
                    let mut m = bytes.clone();
                    m[i] = b'0' + (m[i] - b'0' + k) % 10;
                    let located = errors(&m, &pack).iter().any(|f| {
                        family.contains(&f.rule.as_str())
                            && if key == "cross-table-mismatch" {
                                f.labels.iter().any(|l| l.span == *span)
                            } else {
                                f.labels.first().is_some_and(|l| l.span == *span)
                            }
                    });
                    let e = tried.entry(key.clone()).or_default();
                    e.0 += 1;
                    if located {
                        e.1 += 1;
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
    let (all, found) = tried.values().fold((0, 0), |(a, f), (t, x)| (a + t, f + x));
    for (rule, (t, f)) in &tried {
        eprintln!(
            "{rule}: {t} one-digit changes, {f} found and located ({:.1}%)",
            *f as f64 * 100.0 / *t as f64
        );
    }
    let rate = found as f64 / all as f64;
    eprintln!(
        "{releases} releases, {all} one-digit changes, {found} found and located ({:.1}%)",
        rate * 100.0
    );
    for m in missed.iter().take(30) {
        eprintln!("  missed: {m}");
    }
    assert!(tried.len() == 3, "every family tied a figure: {tried:?}");
    assert!(rate >= 0.95, "{:.1}% found", rate * 100.0);
}

/// How many figures each segment-table check ties in the releases of
/// `corpus/` and `../shared/` (printed for the reviewer), and no finding
/// of theirs on them.
#[test]
fn segment_checks_tie_figures_and_report_nothing_on_releases_that_tie() {
    let pack = RulePack::default_pack();
    let dirs = release_dirs();
    let mut total = 0;
    for dir in dirs {
        for path in release_paths(&dir) {
            let bytes = std::fs::read(&path).unwrap();
            let doc = parse(&bytes);
            let out = check_document_with(
                &doc,
                &pack,
                &bytes,
                CheckOptions {
                    record: true,
                    ..CheckOptions::default()
                },
            );
            let counts: Vec<String> = SEGMENT_RULES
                .iter()
                .map(|r| {
                    let mut spans: Vec<Span> = out
                        .ticks
                        .iter()
                        .filter(|t| t.rule == *r)
                        .flat_map(|t| t.labels.iter().map(|l| l.span))
                        .collect();
                    spans.sort();
                    spans.dedup();
                    total += spans.len();
                    format!("{r} {}", spans.len())
                })
                .collect();
            eprintln!("{}: cells ticked: {}", path.display(), counts.join(", "));
            let bad: Vec<&str> = out
                .findings
                .iter()
                .filter(|f| SEGMENT_RULES.contains(&f.rule.as_str()))
                .map(|f| f.message.as_str())
                .collect();
            assert!(bad.is_empty(), "{}: {bad:#?}", path.display());
        }
    }
    assert!(total > 0);
}

// ------------------------------------------------ hand-written layouts
//
// Small statements in the layouts of the generator's change-column
// variations that tieout once misread (`tests/generator/`,
// `BetterWorseColumns`, `NmText`, `LoneChangeHeaderLine`,
// `BarePercentHeader`): each checks clean, and its change and percent
// figures are tied.

/// Asserts that `text` gets no finding of warning level or above and that
/// the figure of each row named in `rows` (a label, then the figure's place
/// in it counted from the right: 1 is the last) is tied by some check.
/// `what` names the case in a failure.
fn assert_clean_and_tied(text: &str, rows: &[(&str, usize)], what: &str) {
    let pack = RulePack::default_pack();
    let bytes = text.as_bytes();
    let doc = parse(bytes);
    let out = check_document_with(&doc, &pack, bytes, CheckOptions::default());
    let errors: Vec<String> = out
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect();
    let mut untied = Vec::new();
    for &(label, from_right) in rows {
        let line_at = text
            .find(&format!("\n{label} "))
            .unwrap_or_else(|| panic!("no row {label}"))
            + 1;
        let line = text[line_at..].lines().next().unwrap();
        let words: Vec<(usize, &str)> = line
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
            .collect();
        let (at, word) = words[words.len() - from_right];
        let digit = at + word.find(|c: char| c.is_ascii_digit()).unwrap();
        let offset = line_at + digit;
        if !out
            .tied
            .iter()
            .any(|s| s.offset <= offset && offset < s.end())
        {
            untied.push(format!("{label}: {word}"));
        }
    }
    assert!(errors.is_empty(), "{what}: {errors:#?}");
    assert!(untied.is_empty(), "{what}: untied {untied:?}");
}

#[test]
fn a_better_worse_column_is_not_footed_with_the_period_columns_signs() {
    // A cost that fell is printed positive in `B/(W)`, as a revenue that
    // rose is: gross profit is not revenue less cost of revenue there.
    let text = "\
                        Example Optics, Inc.
            Condensed Consolidated Statements of Operations
                            (in millions)

                                          Three Months Ended
                                             June           June
                                              30,            30,         Better
                                             2022           2021        (Worse)
                                     -------------------------------------------
Revenue                                    $5,009         $5,564          ($555)
Cost of revenue                             3,185          3,714            529
                                     -------------------------------------------
Gross profit                                1,824          1,850            (26)
Operating expenses                          2,574          2,683            109
                                     -------------------------------------------
Operating loss                              (750)          (833)             83
                                     -------------------------------------------
";
    let rows = [
        ("Revenue", 1),
        ("Cost of revenue", 1),
        ("Gross profit", 1),
        ("Gross profit", 3),
        ("Operating expenses", 1),
        ("Operating loss", 1),
        ("Operating loss", 2),
    ];
    assert_clean_and_tied(text, &rows, "");
}

#[test]
fn a_not_meaningful_mark_in_a_text_percent_column_keeps_its_row() {
    for mark in ["nm", "n/m", "NM", "n/a", "*"] {
        let text = format!(
            "\
                        Example Optics, Inc.
            Condensed Consolidated Statements of Operations
                           (in thousands)

                                          Three Months Ended
                                       June 30,      June 30,
                                         2022          2021       Change     % Change
                                     ------------------------------------------------
Operating income                          1,000           900        100        11.1%
Interest income and other, net              (50)           20        (70)  {mark:>11}
                                     ------------------------------------------------
Income before income taxes                  950           920         30         3.3%
Provision for income taxes                  200           190         10         5.3%
                                     ------------------------------------------------
Net income                                  750           730         20         2.7%
                                     ------------------------------------------------
"
        );
        let rows = [
            ("Interest income and other, net", 2),
            ("Interest income and other, net", 4),
            ("Income before income taxes", 1),
            ("Net income", 2),
        ];
        assert_clean_and_tied(&text, &rows, mark);
    }
}

#[test]
fn a_lone_first_line_of_a_change_header_heads_the_change_column_only() {
    let text = "\
EXAMPLE OPTICS REPORTS THIRD QUARTER 2026 RESULTS

Example Optics, Inc. today announced financial results for its third quarter
ended September 30, 2026.

                        Example Optics, Inc.
            Condensed Consolidated Statements of Operations
                           (in thousands)

                                                                    Increase
                                             Q3 2026      Q3 2025  (Decrease)
                                     -------------------------------------------
Revenue                                        1,000          900         100
Cost of revenue                                  600          550          50
                                     -------------------------------------------
Gross profit                                     400          350          50
                                     -------------------------------------------
";
    let rows = [
        ("Revenue", 1),
        ("Cost of revenue", 1),
        ("Gross profit", 1),
        ("Gross profit", 3),
    ];
    assert_clean_and_tied(text, &rows, "");
}

#[test]
fn a_bare_percent_header_beside_a_spanning_period_heading_is_a_percent_change() {
    let text = "\
                        Example Optics, Inc.
            Condensed Consolidated Statements of Operations
                           (in thousands)

                                     Three Months Ended
                                     June 30,    June 30,
                                       2022        2021      Change          %
                                     ------------------------------------------
Revenue                                1,000         900        100       11.1%
Cost of revenue                          600         550         50        9.1%
                                     ------------------------------------------
Gross profit                             400         350         50       14.3%
                                     ------------------------------------------
";
    let rows = [
        ("Revenue", 1),
        ("Cost of revenue", 1),
        ("Gross profit", 1),
        ("Gross profit", 2),
    ];
    assert_clean_and_tied(text, &rows, "");
}

/// Two tables disagreeing on three concepts, printed in a different order
/// in each: every disagreement is found once, in the order the first
/// table prints its figures, and the figures both tables print alike make
/// none (the groups of one concept and period are hashed, and only those
/// printed in two tables compared).
#[test]
fn cross_table_findings_come_in_document_order() {
    let release = "\
                    CONDENSED STATEMENTS OF OPERATIONS
                          (In thousands)

                                    Three Months Ended
                                 March 31,      March 31,
                                   2026           2025
                                 ---------      ---------
Revenue                           $ 52,100       $ 48,300
Gross profit                        21,400         19,900
Net income                           4,100          3,700


                          SELECTED FINANCIAL DATA
                             (In thousands)

                                    Three Months Ended
                                 March 31,      March 31,
                                   2026           2025
                                 ---------      ---------
Net income                           4,200          3,700
Gross profit                        21,500         19,800
Revenue                           $ 52,000       $ 48,300
";
    let pack = RulePack::default_pack();
    let doc = parse(release.as_bytes());
    let out = check_document_with(&doc, &pack, release.as_bytes(), CheckOptions::default());
    let found: Vec<(String, &str)> = out
        .findings
        .iter()
        .filter(|f| f.rule == "cross-table-mismatch")
        .map(|f| {
            let first = std::str::from_utf8(f.labels[0].span.slice(release.as_bytes())).unwrap();
            (first.trim().to_owned(), f.message.as_str())
        })
        .collect();
    let firsts: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        firsts,
        ["$ 52,100", "21,400", "19,900", "4,100"],
        "{found:#?}"
    );
    for ((_, m), want) in found.iter().zip([
        "revenue for 3 months ended 2026-03-31",
        "gross_profit for 3 months ended 2026-03-31",
        "gross_profit for 3 months ended 2025-03-31",
        "net_income for 3 months ended 2026-03-31",
    ]) {
        assert!(m.contains(want), "{m}");
    }
}

/// A total that no sign combination foots in every column is reported
/// under the combination that foots the most columns (adding every line
/// when it foots two columns of three, subtracting one when that foots
/// two), in the first column where that combination fails.
#[test]
fn a_total_that_does_not_foot_is_reported_under_the_combination_footing_most_columns() {
    let release = |totals: &str| {
        format!(
            "\
                    CONDENSED STATEMENTS OF OPERATIONS
                          (In thousands)

                                 Three Months Ended March 31,
                                   2026       2025       2024
                                 --------   --------   --------
Product revenue                     100        200        300
Service revenue                      40         50         60
Other revenue                        10         20         30
                                 --------   --------   --------
Total revenue                 {totals}
                                 ========   ========   ========
"
        )
    };
    let pack = RulePack::default_pack();
    let messages = |text: &str| -> Vec<String> {
        let doc = parse(text.as_bytes());
        check_document_with(&doc, &pack, text.as_bytes(), CheckOptions::default())
            .findings
            .into_iter()
            .filter(|f| f.rule == "total-does-not-foot")
            .map(|f| f.message)
            .collect()
    };
    // 150 / 270 / 390 added; 70 / 170 / 270 with the second line subtracted.
    for (totals, want) in [
        (
            "       70        270        390",
            "(3 months ended 2026-03-31) is 70 but its lines add up to 150 (100 + 40 + 10)",
        ),
        (
            "       70        170        390",
            "(3 months ended 2024-03-31) is 390 but its lines add up to 270 (300 - 60 + 30)",
        ),
    ] {
        let found = messages(&release(totals));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].contains(want), "{found:#?}");
    }
}
