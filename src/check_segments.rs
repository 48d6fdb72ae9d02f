//! Cross-footing of segment tables: a total column holds the sum of the
//! segment columns beside it.
//!
//! A segment table prints one column per segment (and often one for
//! corporate costs, eliminations or other reconciling items) and one headed
//! `Total`, `Consolidated` or `Total Company`. Each row's figure in that
//! column is the sum of the row's figures in the columns it totals, for the
//! same period: columns of other periods in the same table (`Domestic 2004 |
//! Domestic 2003 | Canada 2004 | ...`) are never added.
//!
//! Which columns a total adds is not printed; it is read from the header
//! and confirmed by the figures. The candidates are the columns between the
//! total and the previous total column (the usual layout), those plus that
//! previous total (`Total segments | Corporate | Consolidated`), the
//! columns to the right of a total printed first, and every column of the
//! period that is not a total. A candidate is taken only when it foots in
//! at least two rows and in at least twice as many rows as it misses, and
//! no other candidate foots as many rows with another verdict on a row; a
//! table whose columns fit no candidate (a column that is itself an
//! unmarked subtotal, `External | Inter-Segment | Total`) is not checked.
//!
//! Rounding: each printed figure stands for an interval half a unit either
//! side, so the total may miss the sum of `n` printed terms by up to
//! `(n + 1) / 2` units (DOMAIN.md §4). A rule of scope `document` uses the
//! release's own convention: when its other total columns are exact, a
//! total that is only within rounding is reported.

use rust_decimal::Decimal;

use crate::ast::{Cell, ColumnKind, Period, Table};
use crate::check::{Fit, Judgement};
use crate::facts::{display_label, format_amount};
use crate::finding::{Finding, Label, Tick};
use crate::rules::{Interval, Rule};
use crate::span::Span;

/// A figure a sum can use.
fn figure(t: &Table, r: usize, c: usize) -> Option<&Cell> {
    t.summable(r, c)
}

/// The words of a header that say a column is a total.
fn total_words(own: &str) -> bool {
    own.split(|ch: char| !ch.is_ascii_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("total") || w.eq_ignore_ascii_case("consolidated"))
}

/// Row labels whose figures are not amounts that add across segments: a
/// margin, a rate or ratio, an average, a per-unit figure.
fn not_additive(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    l.contains('%')
        || l.split(|ch: char| !ch.is_ascii_alphanumeric()).any(|w| {
            matches!(
                w,
                "margin"
                    | "margins"
                    | "percent"
                    | "percentage"
                    | "rate"
                    | "rates"
                    | "ratio"
                    | "ratios"
                    | "average"
                    | "avg"
                    | "per"
                    | "price"
                    | "prices"
                    | "yield"
                    | "days"
                    | "return"
            )
        })
}

/// The period columns of `t` grouped by period, in column order. Undated
/// columns form a group only in a table none of whose columns is dated
/// (`Retail | Credit | Corporate | Total Domestic` under a title).
fn period_groups(t: &Table) -> Vec<Vec<usize>> {
    let period_cols: Vec<usize> = (0..t.columns.len())
        .filter(|&c| t.columns[c].kind == ColumnKind::Period)
        .collect();
    let dated = period_cols.iter().any(|&c| t.columns[c].period.is_some());
    // Each period with its count of columns, in order of appearance;
    // only the groups kept are gathered (most periods head one column or
    // two).
    let mut groups: Vec<(Option<Period>, usize)> = Vec::new();
    for &c in &period_cols {
        let p = t.columns[c].period;
        if dated && p.is_none() {
            continue;
        }
        match groups.iter_mut().find(|(q, _)| *q == p) {
            Some((_, n)) => *n += 1,
            None => groups.push((p, 1)),
        }
    }
    groups
        .iter()
        .filter(|&&(_, n)| n >= 3)
        .map(|&(p, _)| {
            period_cols
                .iter()
                .copied()
                .filter(|&c| t.columns[c].period == p)
                .collect()
        })
        .collect()
}

/// A column's own header: the pieces not shared by every column of its
/// group (a spanning period header, the table's common words).
fn own_header(t: &Table, group: &[usize], c: usize) -> String {
    let shared = |span: Span| {
        group
            .iter()
            .all(|&o| t.columns[o].header.iter().any(|h| h.span == span))
    };
    let own: Vec<&str> = t.columns[c]
        .header
        .iter()
        .filter(|h| !shared(h.span))
        .map(|h| h.text.trim())
        .collect();
    if own.is_empty() {
        t.columns[c].member.clone().unwrap_or_default()
    } else {
        own.join(" ")
    }
}

/// The header pieces of column `c` that no other column of its group
/// shares: a column is a total when these say so, not when the text
/// front end gave it a neighbour's `Consolidated` as its nearest piece.
fn exclusive_header(t: &Table, group: &[usize], c: usize) -> String {
    t.columns[c]
        .header
        .iter()
        .filter(|h| {
            group
                .iter()
                .filter(|&&o| o != c)
                .all(|&o| t.columns[o].header.iter().all(|x| x.span != h.span))
        })
        .map(|h| h.text.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One row of a total column: the total, its terms and how they fit.
pub(crate) struct TotalRow<'t> {
    row: usize,
    total: &'t Cell,
    terms: Vec<(usize, &'t Cell)>,
    sum: Decimal,
    fit: Fit,
}

/// Rows of total column `total` over the columns `terms`: those whose
/// figures are all printed and add.
fn total_rows<'t>(t: &'t Table, total: usize, terms: &[usize]) -> Vec<TotalRow<'t>> {
    let mut out = Vec::new();
    for r in 0..t.rows.len() {
        if not_additive(&t.rows[r].label) {
            continue;
        }
        let Some(tot) = figure(t, r, total) else {
            continue;
        };
        let cells: Option<Vec<(usize, &Cell)>> = terms
            .iter()
            .map(|&c| figure(t, r, c).map(|x| (c, x)))
            .collect();
        let Some(cells) = cells else {
            continue;
        };
        let mut sum = Decimal::ZERO;
        let mut interval = Some(Interval::exact(Decimal::ZERO));
        for (_, x) in &cells {
            sum = match sum.checked_add(x.value) {
                Some(s) => s,
                None => {
                    interval = None;
                    break;
                }
            };
            interval = interval
                .and_then(|i| i.add(Interval::from_printed(x.value, x.decimals, Decimal::ONE)));
        }
        let Some(interval) = interval else {
            continue;
        };
        let fit = if sum == tot.value {
            Fit::Exact
        } else if interval.intersects(Interval::from_printed(
            tot.value,
            tot.decimals,
            Decimal::ONE,
        )) {
            Fit::Rounded
        } else {
            Fit::No
        };
        out.push(TotalRow {
            row: r,
            total: tot,
            terms: cells,
            sum,
            fit,
        });
    }
    out
}

/// The candidate sets of columns total column `group[i]` may add.
fn candidates(group: &[usize], totals: &[bool], i: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let prev = (0..i).rev().find(|&k| totals[k]);
    let next = (i + 1..group.len()).find(|&k| totals[k]);
    let left: Vec<usize> = (prev.map_or(0, |p| p + 1)..i).map(|k| group[k]).collect();
    out.push(left.clone());
    if let Some(p) = prev
        && !left.is_empty()
    {
        let mut with = vec![group[p]];
        with.extend(&left);
        out.push(with);
    }
    let right: Vec<usize> = (i + 1..next.unwrap_or(group.len()))
        .map(|k| group[k])
        .collect();
    if prev.is_none() {
        out.push(right);
    }
    let all: Vec<usize> = (0..group.len())
        .filter(|&k| k != i && !totals[k])
        .map(|k| group[k])
        .collect();
    out.push(all);
    out.retain(|c| c.len() >= 2);
    out.sort();
    out.dedup();
    out
}

/// The rows of total column `total` under the one candidate the figures
/// confirm, or `None` when none or more than one fits.
fn confirmed<'t>(t: &'t Table, total: usize, cands: &[Vec<usize>]) -> Option<Vec<TotalRow<'t>>> {
    let mut scored: Vec<(usize, Vec<TotalRow<'t>>)> = cands
        .iter()
        .map(|terms| {
            let rows = total_rows(t, total, terms);
            // Rows whose total is zero fit any set of nil columns: they
            // tell nothing.
            let foots = rows
                .iter()
                .filter(|r| r.fit != Fit::No && !r.total.value.is_zero())
                .count();
            (foots, rows)
        })
        .collect();
    let best = scored.iter().map(|(f, _)| *f).max()?;
    let mut winners = scored.iter().filter(|(f, _)| *f == best);
    let first = winners.next()?;
    let verdicts = |rows: &[TotalRow<'_>]| -> Vec<(usize, bool)> {
        rows.iter().map(|r| (r.row, r.fit != Fit::No)).collect()
    };
    let v = verdicts(&first.1);
    if winners.any(|(_, rows)| verdicts(rows) != v) {
        return None;
    }
    let misses = first.1.iter().filter(|r| r.fit == Fit::No).count();
    if best < 2 || misses * 2 > best {
        return None;
    }
    let k = scored.iter().position(|(f, _)| *f == best)?;
    Some(scored.swap_remove(k).1)
}

/// `Net revenue: 186,420 (Total Company, 3 months ended 2026-06-30)`.
fn label(t: &Table, group: &[usize], r: usize, c: usize, cell: &Cell) -> Label {
    let own = own_header(t, group, c);
    let own = own.trim();
    let period = t.columns[c].period.map(|p| p.to_string());
    let column = match (own.is_empty(), period) {
        (false, Some(p)) => format!("{own}, {p}"),
        (false, None) => own.to_owned(),
        (true, Some(p)) => p,
        (true, None) => format!("column {}", c + 1),
    };
    Label::new(
        cell.span,
        format!(
            "{}: {} ({column})",
            display_label(&t.rows[r].label),
            format_amount(cell.value)
        ),
    )
}

/// Checks every total column of every segment table. Returns whether any
/// row was checked.
///
/// A rule of scope `table` reports the rows whose total misses the sum of
/// its columns by more than rounding allows. A rule of scope `document`
/// reports a total within rounding but not exact when the release's other
/// total columns are exact (at least [`MIN_EXACT`](crate::check::MIN_EXACT), and at most one
/// in ten, or one, within rounding).
/// Every total column of every table: (table, its period group, the
/// total column, the rows checked). Read once for both total-column rules.
pub(crate) type TotalColumns<'t> = Vec<(&'t Table, Vec<usize>, usize, Vec<TotalRow<'t>>)>;

/// [`TotalColumns`] of `tables`.
pub(crate) fn total_analysis<'t>(tables: &[&'t Table]) -> TotalColumns<'t> {
    let mut all = Vec::new();
    for &t in tables {
        for group in period_groups(t) {
            let totals: Vec<bool> = group
                .iter()
                .map(|&c| total_words(&exclusive_header(t, &group, c)))
                .collect();
            if !totals.iter().any(|&x| x) || totals.iter().all(|&x| x) {
                continue;
            }
            for i in (0..group.len()).filter(|&i| totals[i]) {
                let cands = candidates(&group, &totals, i);
                if let Some(rows) = confirmed(t, group[i], &cands) {
                    all.push((t, group.clone(), group[i], rows));
                }
            }
        }
    }
    all
}

pub(crate) fn total_columns(
    all: &TotalColumns<'_>,
    rule: &Rule,
    findings: &mut Vec<Finding>,
    tied: &mut Vec<Span>,
    mut ticks: Option<&mut Vec<Tick>>,
) -> bool {
    let judge = Judgement::new(
        rule,
        all.iter().flat_map(|(.., rows)| rows.iter().map(|r| r.fit)),
        false,
    );
    let (convention, exact) = (judge.convention, judge.exact);
    for (t, group, c, rows) in all {
        for row in rows {
            let r = row.row;
            let labels = || {
                let mut v = vec![label(t, group, r, *c, row.total)];
                v.extend(
                    row.terms
                        .iter()
                        .map(|&(tc, cell)| label(t, group, r, tc, cell)),
                );
                v
            };
            let arithmetic = || {
                let terms: Vec<String> = row
                    .terms
                    .iter()
                    .map(|(_, x)| format_amount(x.value))
                    .collect();
                format!("{} = {}", terms.join(" + "), format_amount(row.sum))
            };
            // Written only into a tick or a finding.
            let period = || {
                t.columns[*c]
                    .period
                    .map_or_else(String::new, |p| format!(" ({p})"))
            };
            let report = judge.reports(row.fit);
            if !report {
                if judge.ties(row.fit) {
                    tied.push(row.total.span);
                    tied.extend(row.terms.iter().map(|(_, x)| x.span));
                    if let Some(ticks) = ticks.as_deref_mut() {
                        ticks.push(Tick {
                            rule: rule.id.clone(),
                            text: format!(
                                "{} {} {} {}{}",
                                display_label(&t.rows[r].label),
                                format_amount(row.total.value),
                                if row.fit == Fit::Exact { "=" } else { "≈" },
                                arithmetic(),
                                period()
                            ),
                            labels: labels(),
                        });
                    }
                }
                continue;
            }
            let diff = row.total.value - row.sum;
            let allowance = if convention {
                format!(
                    "within rounding, but the release's other {exact} total-column figures are exact"
                )
            } else {
                let unit = Decimal::new(1, row.total.decimals);
                let n = Decimal::from(row.terms.len() as u64 + 1);
                format!(
                    "rounding allows {}",
                    format_amount((unit * n / Decimal::TWO).normalize())
                )
            };
            let mut f = crate::check::finding(
                rule,
                format!(
                    "{}: {} {} ≠ {}{}; difference {} ({allowance})",
                    rule.title,
                    display_label(&t.rows[r].label),
                    format_amount(row.total.value),
                    arithmetic(),
                    period(),
                    format_amount(diff),
                ),
                labels(),
            );
            f.difference = Some(diff);
            findings.push(f);
        }
    }
    !all.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_cover_blocks_subtotals_and_totals_printed_first() {
        // A | B | Total segments | Corporate | Consolidated
        let group = [0, 1, 2, 3, 4];
        let totals = [false, false, true, false, true];
        assert!(candidates(&group, &totals, 2).contains(&vec![0, 1]));
        let c = candidates(&group, &totals, 4);
        assert!(c.contains(&vec![2, 3]));
        assert!(c.contains(&vec![0, 1, 3]));
        // Consolidated | A | B | Corporate
        let totals = [true, false, false, false];
        assert_eq!(candidates(&[0, 1, 2, 3], &totals, 0), vec![vec![1, 2, 3]]);
    }

    #[test]
    fn margins_and_averages_do_not_add() {
        assert!(not_additive("Operating margin"));
        assert!(not_additive("Average selling price"));
        assert!(not_additive("Revenue per employee"));
        assert!(!not_additive("Net revenue"));
        assert!(!not_additive("Operating income (loss)"));
        assert!(!not_additive("Corporate and other"));
    }

    /// Findings and ticks of the total-column rules on a release.
    fn run(text: &str) -> (Vec<String>, usize) {
        let pack = crate::rules::RulePack::default_pack();
        let doc = crate::parse::parse(text.as_bytes());
        let out = crate::check::check_document_with(
            &doc,
            &pack,
            text.as_bytes(),
            crate::check::CheckOptions {
                record: true,
                ..Default::default()
            },
        );
        let ours = |r: &str| r.starts_with("total-column");
        (
            out.findings
                .iter()
                .filter(|f| ours(&f.rule))
                .map(|f| f.message.clone())
                .collect(),
            out.ticks.iter().filter(|t| ours(&t.rule)).count(),
        )
    }

    const SUBTOTALS: &str = "\
                         Segment Results
                         (In thousands)

                              Three Months Ended June 30, 2026
                          Alpha       Beta      Total    Corporate  Consolidated
                        Segment    Segment   Segments    and Other         Total
Net revenue              10,000      5,000     15,000         (400)       14,600
Operating income          2,000      1,000      3,000       (1,200)        1,800
Capital expenditures        700        300      1,000            50        1,050
";

    #[test]
    fn a_subtotal_column_and_the_total_over_it_both_foot() {
        let (findings, ticks) = run(SUBTOTALS);
        assert!(findings.is_empty(), "{findings:?}");
        // Total Segments over Alpha and Beta, Consolidated over Total
        // Segments and Corporate: three rows each.
        assert_eq!(ticks, 6);
        // A typo in the subtotal is reported on the subtotal only.
        let (findings, _) = run(&SUBTOTALS.replace("3,000       (1,200)", "3,900       (1,200)"));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(
            findings[0].contains("3,900 ≠ 2,000 + 1,000"),
            "{findings:?}"
        );
    }

    #[test]
    fn an_unmarked_subtotal_column_is_not_checked() {
        // External is the sum of the regions and Total adds Inter-segment
        // to it: no candidate set foots, so nothing is said.
        let text = "\
                         Sales by Region
                         (In millions)

                              Three Months Ended June 30, 2026
                       North      South                  Inter-
                     America    America   External      Segment      Total
Machines               2,720        627      3,347           29      3,376
Engines                1,018        399      1,417           71      1,488
Services                 503         73        576            0        576
";
        let (findings, ticks) = run(text);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(ticks, 0);
    }
}
