//! Cross-footing: rows checked across their columns.
//!
//! A `Change` column (`Change`, `Increase (Decrease)`, `$ Change`,
//! `B/(W)`) holds, in every row, the current period's figure less the prior
//! period's; a percent-change column (`% Change`, `% Chg`, `Percent
//! Increase`) holds that change over the prior figure. The two period
//! columns compared are the two nearest period columns to the left of the
//! change column, of the same kind and length and the same segment; the
//! later one is the current period. A variance bridge (`First Quarter
//! 2021 | Sales Volume | Price Realization | ... | First Quarter 2022`) has
//! its components between the two: they are not compared here.
//!
//! Signs: most releases print the change as current less prior; a column
//! headed better/worse (`B/(W)`, `Favorable (Unfavorable)`) prints a cost's
//! increase as negative, and so does a column whose rows fit both signs.
//! In those, a row is checked on its magnitude only.
//!
//! Rounding: a change printed at the figures' precision is exact, or off by
//! one unit when the release computed it from unrounded amounts; a
//! difference of two units or more is reported. A percentage is checked
//! against every value the printed figures may stand for (each is a
//! rounded amount), so only a percentage no unrounded amounts could give is
//! reported.

use rust_decimal::Decimal;

use crate::ast::{Cell, ColumnKind, Period, Table};
use crate::check::{Fit, Judgement};
use crate::facts::{display_label, format_amount};
use crate::finding::{Finding, Label, Tick};
use crate::rules::Rule;
use crate::span::Span;

/// The two period columns a change column compares: `(prior, current)`.
fn compared(t: &Table, c: usize) -> Option<(usize, usize)> {
    let mut periods = (0..c)
        .rev()
        .filter(|&i| t.columns[i].kind == ColumnKind::Period);
    let near = periods.next()?;
    let far = periods.next()?;
    let (pn, pf) = (t.columns[near].period?, t.columns[far].period?);
    let alike = match (pn, pf) {
        (Period::Instant { .. }, Period::Instant { .. }) => true,
        (Period::Duration { length: a, .. }, Period::Duration { length: b, .. }) => a == b,
        _ => false,
    };
    if !alike || t.columns[near].member != t.columns[far].member {
        return None;
    }
    match pn.end().cmp(&pf.end()) {
        std::cmp::Ordering::Greater => Some((far, near)),
        std::cmp::Ordering::Less => Some((near, far)),
        std::cmp::Ordering::Equal => None,
    }
}

/// A figure of row `r`, column `c` that arithmetic can use.
fn figure(t: &Table, r: usize, c: usize) -> Option<&Cell> {
    t.rows[r]
        .cells
        .get(c)
        .and_then(Option::as_ref)
        .filter(|x| !x.basis_points && !x.out_of_range)
}

fn unit(cell: &Cell) -> Decimal {
    Decimal::new(1, cell.decimals)
}

/// Half of the unit of a figure printed with `decimals` places, as the
/// division gives it, digits and scale: `0.50` for none, `0.050` for one
/// (rust_decimal's quotient keeps a trailing zero up to 19 places). Built
/// rather than divided: a division costs tens of times more, and this runs
/// for every row of a basis-point column.
pub(crate) fn half_unit(decimals: u32) -> Decimal {
    if decimals <= 19 {
        Decimal::new(50, decimals + 2)
    } else {
        Decimal::new(1, decimals) / Decimal::TWO
    }
}

/// Whether a change column's header says it prints better/worse.
pub(crate) fn better_worse(header: &str) -> bool {
    let h = header.to_ascii_lowercase();
    [
        "b/(w)",
        "b(w)",
        "b / (w)",
        "better",
        "favorable",
        "favourable",
        "fav",
    ]
    .iter()
    .any(|w| h.contains(w))
}

/// Whether a column's header says its figures are in basis points
/// (`Change (bps)`, `bp`, `Basis Points`).
fn basis_points_header(header: &str) -> bool {
    let h = header.to_ascii_lowercase();
    h.contains("basis point")
        || h.split(|ch: char| !ch.is_ascii_alphanumeric())
            .any(|w| w == "bps" || w == "bp")
}

/// Whether change column `c` prints basis points: its header says so, or
/// every figure in it is printed with `bps`.
fn basis_points_column(t: &Table, c: usize) -> bool {
    if basis_points_header(&t.columns[c].header_text()) {
        return true;
    }
    let mut cells = t
        .rows
        .iter()
        .filter_map(|r| r.cells.get(c).and_then(Option::as_ref))
        .filter(|x| !x.nil)
        .peekable();
    cells.peek().is_some() && cells.all(|x| x.basis_points)
}

/// Whether a percent column holds percentage changes (not `% of sales`).
fn percent_change(t: &Table, c: usize) -> bool {
    let h = t.columns[c].header_text().to_ascii_lowercase();
    // A share (`% of sales`), or a change on another basis than the
    // printed amounts (`in constant currency`, organic, adjusted).
    let other_basis = [
        " of ",
        "margin",
        "constant",
        "currency",
        "organic",
        "adjusted",
        "excluding",
        "local",
        "fx",
        "comparable",
        "pro forma",
        "non-gaap",
    ];
    if other_basis.iter().any(|w| h.contains(w)) {
        return false;
    }
    let words = [
        "change", "chg", "increase", "decrease", "inc", "dec", "growth", "variance", "var",
    ];
    let named = h
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .any(|w| words.contains(&w));
    // A bare `%` right after a change column is its percentage.
    named
        || (c > 0
            && t.columns[c - 1].kind == ColumnKind::Change
            && h.trim()
                .trim_end_matches('%')
                .split_whitespace()
                .next()
                .is_none())
}

fn period_text(t: &Table, c: usize) -> String {
    t.columns[c]
        .period
        .map_or_else(|| format!("column {}", c + 1), |p| p.to_string())
}

/// `Net revenue: 9,097 ($ Change)`: the row, the figure, and the column
/// (its period, or the last line of its header).
fn cell_label(t: &Table, r: usize, c: usize, cell: &Cell) -> Label {
    let col = &t.columns[c];
    let column = match col.period {
        Some(p) => p.to_string(),
        None => col
            .header
            .last()
            .map(|h| h.text.trim().to_owned())
            .unwrap_or_default(),
    };
    let row = display_label(&t.rows[r].label);
    let percent = if col.kind == ColumnKind::Percent || cell.percent {
        "%"
    } else {
        ""
    };
    let figure = format_amount(cell.value);
    let text = if column.is_empty() {
        format!("{row}: {figure}{percent}")
    } else {
        format!("{row}: {figure}{percent} ({column})")
    };
    Label::new(cell.span, text)
}

/// One row checked across a table: the figure checked in column `c` and the
/// current and prior figures it is computed from.
struct Across<'t> {
    t: &'t Table,
    row: usize,
    cells: [(usize, &'t Cell); 3],
}

impl Across<'_> {
    /// `3 months ended 2026-03-31 against 3 months ended 2025-03-31`.
    fn periods(&self) -> String {
        format!(
            "{} against {}",
            period_text(self.t, self.cells[1].0),
            period_text(self.t, self.cells[2].0)
        )
    }

    /// The checked figure, then the current and prior ones.
    fn labels(&self) -> Vec<Label> {
        self.cells
            .iter()
            .map(|&(c, cell)| cell_label(self.t, self.row, c, cell))
            .collect()
    }

    fn spans(&self) -> [Span; 3] {
        self.cells.map(|(_, cell)| cell.span)
    }

    fn label(&self) -> &str {
        display_label(&self.t.rows[self.row].label)
    }
}

fn fit(diff: Decimal, unit: Decimal) -> Fit {
    if diff.is_zero() {
        Fit::Exact
    } else if diff.abs() <= unit {
        Fit::Rounded
    } else {
        Fit::No
    }
}

/// One row of a change column: its figures and how it fits.
pub(crate) struct ChangeRow<'t> {
    row: usize,
    change: &'t Cell,
    current: &'t Cell,
    prior: &'t Cell,
    /// How it fits under the column's sign convention.
    fit: Fit,
    /// Shown as prior less current (a reversed column, or a better/worse
    /// row that fits so).
    backwards: bool,
    /// The column compares magnitudes (better/worse).
    either_sign: bool,
}

/// The rows of change column `c` with all three figures printed, and the
/// two period columns compared.
fn change_rows(t: &Table, c: usize) -> Option<(usize, usize, Vec<ChangeRow<'_>>)> {
    let (prior, current) = compared(t, c)?;
    // (row, change, current, prior, direct fit, reverse fit)
    let mut rows = Vec::new();
    for r in 0..t.rows.len() {
        let (Some(ch), Some(cur), Some(pri)) =
            (figure(t, r, c), figure(t, r, current), figure(t, r, prior))
        else {
            continue;
        };
        if ch.percent || cur.percent != pri.percent {
            continue;
        }
        let u = unit(ch).max(unit(cur)).max(unit(pri));
        let direct = cur.value - pri.value;
        rows.push((
            r,
            ch,
            cur,
            pri,
            fit(ch.value - direct, u),
            fit(ch.value + direct, u),
        ));
    }
    // Rows that tell the signs apart (the change is not zero).
    let telling = |f: &dyn Fn(Fit, Fit) -> bool| {
        rows.iter()
            .filter(|row| !(row.2.value - row.3.value).is_zero())
            .filter(|row| f(row.4, row.5))
            .count()
    };
    let direct_only = telling(&|d, r| d != Fit::No && r == Fit::No);
    let reverse_only = telling(&|d, r| d == Fit::No && r != Fit::No);
    let either_sign =
        better_worse(&t.columns[c].header_text()) || (direct_only > 0 && reverse_only > 0);
    let reversed = !either_sign && reverse_only > direct_only;
    let best = |a: Fit, b: Fit| match (a, b) {
        (Fit::Exact, _) | (_, Fit::Exact) => Fit::Exact,
        (Fit::Rounded, _) | (_, Fit::Rounded) => Fit::Rounded,
        _ => Fit::No,
    };
    let rows = rows
        .into_iter()
        .map(|(row, change, current, prior, d, rev)| ChangeRow {
            row,
            change,
            current,
            prior,
            fit: if either_sign {
                best(d, rev)
            } else if reversed {
                rev
            } else {
                d
            },
            backwards: reversed || (either_sign && d == Fit::No && rev != Fit::No),
            either_sign,
        })
        .collect();
    Some((prior, current, rows))
}

/// Tables with their checked columns: each column with the period columns
/// it compares (`(column, prior, current)`) and its rows.
pub(crate) type Columns<'t, R> = Vec<(&'t Table, Vec<(usize, usize, usize, Vec<R>)>)>;

/// How `rule` judges the rows of `all` (change or basis-point columns);
/// `fit` reads a row's fit.
fn judgement<R>(all: &Columns<'_, R>, rule: &Rule, fit: impl Fn(&R) -> Fit) -> Judgement {
    let fits = all
        .iter()
        .flat_map(|(_, columns)| columns.iter())
        .flat_map(|(.., rows)| rows.iter().map(&fit));
    Judgement::new(rule, fits, false)
}

/// The change columns of every table, each with the period columns it
/// compares and its rows: read once for both change-column rules.
pub(crate) type ChangeColumns<'t> = Columns<'t, ChangeRow<'t>>;

/// [`ChangeColumns`] of `tables`.
pub(crate) fn change_analysis<'t>(tables: &[&'t Table]) -> ChangeColumns<'t> {
    tables
        .iter()
        .map(|t| {
            let columns: Vec<_> = (0..t.columns.len())
                .filter(|&c| t.columns[c].kind == ColumnKind::Change)
                .filter(|&c| !basis_points_column(t, c))
                .filter_map(|c| change_rows(t, c).map(|(p, cur, rows)| (c, p, cur, rows)))
                .filter(|(.., rows)| !rows.is_empty())
                .collect();
            (*t, columns)
        })
        .filter(|(_, columns)| !columns.is_empty())
        .collect()
}

/// Checks every change column of every table. Returns whether any row was
/// checked.
///
/// A rule of scope `table` reports the rows that miss by more than a unit.
/// A rule of scope `document` uses the release's own convention: when its
/// other changes are exact (at least [`MIN_EXACT`](crate::check::MIN_EXACT), and at most one
/// in ten, or one, misses by a unit), a change off by one unit is more
/// likely a typo than rounding, and is reported.
pub(crate) fn change_columns(
    all: &ChangeColumns<'_>,
    rule: &Rule,
    findings: &mut Vec<Finding>,
    tied: &mut Vec<Span>,
    mut ticks: Option<&mut Vec<Tick>>,
) -> bool {
    let mut evaluated = false;
    let judge = judgement(all, rule, |r| r.fit);
    let (convention, exact) = (judge.convention, judge.exact);
    for (t, columns) in all {
        evaluated = true;
        for (c, prior, current, rows) in columns {
            let (c, prior, current) = (*c, *prior, *current);
            for row in rows {
                let (r, ch, cur, pri) = (row.row, row.change, row.current, row.prior);
                let expected = if row.backwards {
                    pri.value - cur.value
                } else {
                    cur.value - pri.value
                };
                let (first, second) = if row.backwards {
                    (pri, cur)
                } else {
                    (cur, pri)
                };
                // Words for a tick or a finding only: most rows are neither.
                let arithmetic = || {
                    format!(
                        "{} − {} = {}",
                        format_amount(first.value),
                        format_amount(second.value),
                        format_amount(expected)
                    )
                };
                let across = Across {
                    t,
                    row: r,
                    cells: [(c, ch), (current, cur), (prior, pri)],
                };
                let periods = || across.periods();
                let labels = || across.labels();
                let report = judge.reports(row.fit);
                if !report {
                    if judge.ties(row.fit) {
                        tied.extend(across.spans());
                        if let Some(ticks) = ticks.as_deref_mut() {
                            let sign = if row.backwards && row.either_sign {
                                ", better (worse): prior less current"
                            } else {
                                ""
                            };
                            ticks.push(Tick {
                                rule: rule.id.clone(),
                                text: format!(
                                    "{} {} {} {} ({}{sign})",
                                    across.label(),
                                    format_amount(ch.value),
                                    if row.fit == Fit::Exact { "=" } else { "≈" },
                                    arithmetic(),
                                    periods(),
                                ),
                                labels: labels(),
                            });
                        }
                    }
                    continue;
                }
                let diff = if row.either_sign {
                    ch.value.abs() - expected.abs()
                } else {
                    ch.value - expected
                };
                let magnitude = if row.either_sign {
                    " (either sign, the column prints better/worse)"
                } else {
                    ""
                };
                let allowance = if convention {
                    format!("within rounding, but the release's other {exact} changes are exact")
                } else {
                    "rounding allows one unit".to_owned()
                };
                let mut f = crate::check::finding(
                    rule,
                    format!(
                        "{}: {} {} ≠ {}{magnitude} ({}); difference {} ({allowance})",
                        rule.title,
                        across.label(),
                        format_amount(ch.value),
                        arithmetic(),
                        periods(),
                        format_amount(diff),
                    ),
                    labels(),
                );
                f.difference = Some(diff);
                findings.push(f);
            }
        }
    }
    evaluated
}

/// The percentage changes the printed figures allow: every pair of amounts
/// they may stand for, `(current - prior) / |prior|`, in percent. `None`
/// when the prior amount may be zero.
fn allowed_percent(cur: &Cell, pri: &Cell) -> Option<(Decimal, Decimal)> {
    let half = |c: &Cell| half_unit(c.decimals);
    let (plo, phi) = (pri.value - half(pri), pri.value + half(pri));
    if plo <= Decimal::ZERO && phi >= Decimal::ZERO {
        return None;
    }
    let (clo, chi) = (cur.value - half(cur), cur.value + half(cur));
    let hundred = Decimal::ONE_HUNDRED;
    let mut lo: Option<Decimal> = None;
    let mut hi: Option<Decimal> = None;
    for p in [plo, phi] {
        for c in [clo, chi] {
            let v = (c - p).checked_div(p.abs())?.checked_mul(hundred)?;
            lo = Some(lo.map_or(v, |l| l.min(v)));
            hi = Some(hi.map_or(v, |h| h.max(v)));
        }
    }
    Some((lo?, hi?))
}

/// Checks every percent-change column of every table.
pub(crate) fn percent_change_columns(
    tables: &[&Table],
    rule: &Rule,
    findings: &mut Vec<Finding>,
    tied: &mut Vec<Span>,
    mut ticks: Option<&mut Vec<Tick>>,
) -> bool {
    let mut evaluated = false;
    for t in tables {
        for c in (0..t.columns.len())
            .filter(|&c| t.columns[c].kind == ColumnKind::Percent && percent_change(t, c))
        {
            let Some((prior, current)) = compared(t, c) else {
                continue;
            };
            for r in 0..t.rows.len() {
                let (Some(pc), Some(cur), Some(pri)) =
                    (figure(t, r, c), figure(t, r, current), figure(t, r, prior))
                else {
                    continue;
                };
                // A percentage across a change of sign, or over a negative
                // prior amount, is printed in as many ways as there are
                // releases (`nm`, the magnitude, the sign of the change):
                // not checked.
                if pc.nil
                    || cur.percent
                    || pri.percent
                    || pri.value <= Decimal::ZERO
                    || cur.value.is_sign_negative()
                {
                    continue;
                }
                let Some((lo, hi)) = allowed_percent(cur, pri) else {
                    continue;
                };
                evaluated = true;
                let half = half_unit(pc.decimals);
                let (plo, phi) = (pc.value - half, pc.value + half);
                let ok = phi >= lo && plo <= hi;
                let computed = (cur.value - pri.value)
                    .checked_div(pri.value)
                    .and_then(|v| v.checked_mul(Decimal::ONE_HUNDRED))
                    .map(|v| v.round_dp(pc.decimals + 1).normalize());
                // Words for a tick or a finding only: most rows are neither.
                let arithmetic = || {
                    let computed = computed.map_or_else(|| "?".to_owned(), |v| v.to_string());
                    format!(
                        "({} − {}) ÷ {} = {computed}%",
                        format_amount(cur.value),
                        format_amount(pri.value),
                        format_amount(pri.value),
                    )
                };
                let across = Across {
                    t,
                    row: r,
                    cells: [(c, pc), (current, cur), (prior, pri)],
                };
                let periods = || across.periods();
                let labels = || across.labels();
                let shown = |v: Decimal| v.round_dp(pc.decimals + 1).normalize().to_string();
                if ok {
                    tied.extend(across.spans());
                    if let Some(ticks) = ticks.as_deref_mut() {
                        ticks.push(Tick {
                            rule: rule.id.clone(),
                            text: format!(
                                "{} {}% ≈ {} ({}; the printed amounts allow {}% to {}%)",
                                across.label(),
                                pc.value.normalize(),
                                arithmetic(),
                                periods(),
                                shown(lo),
                                shown(hi),
                            ),
                            labels: labels(),
                        });
                    }
                    continue;
                }
                let diff = if pc.value > hi {
                    pc.value - hi
                } else {
                    pc.value - lo
                };
                findings.push(crate::check::finding(rule, format!(
                        "{}: {} {}% ≠ {} ({}); the printed amounts allow {}% to {}%, so it is off by at least {} points",
                        rule.title,
                        across.label(),
                        pc.value.normalize(),
                        arithmetic(),
                        periods(),
                        shown(lo),
                        shown(hi),
                        shown(diff.abs() - half),
                    ), labels()));
            }
        }
    }
    evaluated
}

/// Row labels that name a percentage (a margin, a rate) whose figures may
/// be printed without a `%`.
fn percentage_row(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    l.contains('%')
        || l.split(|ch: char| !ch.is_ascii_alphanumeric()).any(|w| {
            matches!(
                w,
                "margin" | "margins" | "rate" | "ratio" | "percent" | "percentage"
            )
        })
}

/// How a basis-point change fits `(current - prior) × 100`: exactly on the
/// printed percentages, within what their rounding allows, or not at all;
/// with the range of basis points the percentages allow.
fn bps_fit(bp: &Cell, cur: &Cell, pri: &Cell, sign: Decimal) -> (Fit, Decimal, Decimal) {
    let hundred = Decimal::ONE_HUNDRED;
    let half = |c: &Cell| half_unit(c.decimals);
    let centre = (cur.value - pri.value) * hundred * sign;
    let slack = (half(cur) + half(pri)) * hundred;
    let (lo, hi) = (centre - slack, centre + slack);
    let hb = half(bp);
    let fit = if bp.value == centre {
        Fit::Exact
    } else if bp.value + hb >= lo && bp.value - hb <= hi {
        Fit::Rounded
    } else {
        Fit::No
    };
    (fit, lo, hi)
}

/// One row of a basis-point column.
pub(crate) struct BpsRow<'t> {
    row: usize,
    bp: &'t Cell,
    current: &'t Cell,
    prior: &'t Cell,
    /// `1` for current less prior, `-1` for prior less current.
    sign: Decimal,
    fit: Fit,
    lo: Decimal,
    hi: Decimal,
    either_sign: bool,
}

/// The pairs of dated columns left of column `c` a change may compare:
/// `(prior, current)`, of the same kind, length and segment.
fn period_pairs(t: &Table, c: usize) -> Vec<(usize, usize)> {
    let dated: Vec<usize> = (0..c)
        .filter(|&i| t.columns[i].kind == ColumnKind::Period && t.columns[i].period.is_some())
        .collect();
    let mut out = Vec::new();
    for (k, &a) in dated.iter().enumerate() {
        for &b in &dated[k + 1..] {
            let (Some(pa), Some(pb)) = (t.columns[a].period, t.columns[b].period) else {
                continue;
            };
            let alike = match (pa, pb) {
                (Period::Instant { .. }, Period::Instant { .. }) => true,
                (Period::Duration { length: x, .. }, Period::Duration { length: y, .. }) => x == y,
                _ => false,
            };
            if !alike || t.columns[a].member != t.columns[b].member {
                continue;
            }
            match pa.end().cmp(&pb.end()) {
                std::cmp::Ordering::Greater => out.push((b, a)),
                std::cmp::Ordering::Less => out.push((a, b)),
                std::cmp::Ordering::Equal => {}
            }
        }
    }
    out
}

/// The rows of basis-point column `c` whose current and prior figures are
/// percentages, and the two period columns compared: the two nearest
/// dated columns when they are the only ones to its left; else the one
/// pair the figures confirm (a `Change vs. Q1 2025` column right of three
/// quarters), fitting at least two rows and twice as many as it misses,
/// and no other pair fitting as many.
fn bps_rows(t: &Table, c: usize) -> Option<(usize, usize, Vec<BpsRow<'_>>)> {
    let pairs = period_pairs(t, c);
    if pairs.len() == 1 {
        let (prior, current) = compared(t, c)?;
        return Some((prior, current, bps_rows_of(t, c, prior, current)));
    }
    let mut scored: Vec<(usize, usize, usize, Vec<BpsRow<'_>>)> = pairs
        .into_iter()
        .map(|(prior, current)| {
            let rows = bps_rows_of(t, c, prior, current);
            let fits = rows.iter().filter(|r| r.fit != Fit::No).count();
            (fits, prior, current, rows)
        })
        .collect();
    let best = scored.iter().map(|s| s.0).max()?;
    let misses = |rows: &[BpsRow<'_>]| rows.iter().filter(|r| r.fit == Fit::No).count();
    if best < 2 || scored.iter().filter(|s| s.0 == best).count() > 1 {
        return None;
    }
    let k = scored.iter().position(|s| s.0 == best)?;
    let (_, prior, current, rows) = scored.swap_remove(k);
    (misses(&rows) * 2 <= best).then_some((prior, current, rows))
}

/// The rows of basis-point column `c` comparing `current` with `prior`.
fn bps_rows_of(t: &Table, c: usize, prior: usize, current: usize) -> Vec<BpsRow<'_>> {
    // A column of basis points, or the `120 bps` cells of a change column
    // whose other rows print amounts.
    let whole = basis_points_column(t, c);
    let mut rows = Vec::new();
    for r in 0..t.rows.len() {
        let bp = t.rows[r]
            .cells
            .get(c)
            .and_then(Option::as_ref)
            .filter(|x| !x.out_of_range && !x.percent && !x.currency)
            .filter(|x| whole || x.basis_points);
        let (Some(bp), Some(cur), Some(pri)) = (bp, figure(t, r, current), figure(t, r, prior))
        else {
            continue;
        };
        let percentages = (cur.percent && pri.percent)
            || (percentage_row(&t.rows[r].label) && !cur.currency && !pri.currency);
        if !percentages || cur.percent != pri.percent {
            continue;
        }
        let (d, lo, hi) = bps_fit(bp, cur, pri, Decimal::ONE);
        let (rev, rlo, rhi) = bps_fit(bp, cur, pri, Decimal::NEGATIVE_ONE);
        rows.push((r, bp, cur, pri, (d, lo, hi), (rev, rlo, rhi)));
    }
    let telling = |f: &dyn Fn(Fit, Fit) -> bool| {
        rows.iter()
            .filter(|row| !(row.2.value - row.3.value).is_zero())
            .filter(|row| f(row.4.0, row.5.0))
            .count()
    };
    let direct_only = telling(&|d, r| d != Fit::No && r == Fit::No);
    let reverse_only = telling(&|d, r| d == Fit::No && r != Fit::No);
    let either_sign =
        better_worse(&t.columns[c].header_text()) || (direct_only > 0 && reverse_only > 0);
    let reversed = !either_sign && reverse_only > direct_only;
    let rank = |f: Fit| match f {
        Fit::Exact => 0,
        Fit::Rounded => 1,
        Fit::No => 2,
    };
    rows.into_iter()
        .map(|(row, bp, current, prior, d, rev)| {
            let take_reverse = reversed || (either_sign && rank(rev.0) < rank(d.0));
            let (fit, lo, hi) = if take_reverse { rev } else { d };
            BpsRow {
                row,
                bp,
                current,
                prior,
                sign: if take_reverse {
                    Decimal::NEGATIVE_ONE
                } else {
                    Decimal::ONE
                },
                fit,
                lo,
                hi,
                either_sign,
            }
        })
        .collect()
}

/// The basis-point columns of every table, each with the period columns
/// it compares and its rows: read once for both basis-point rules.
pub(crate) type BpsColumns<'t> = Columns<'t, BpsRow<'t>>;

/// [`BpsColumns`] of `tables`.
pub(crate) fn bps_analysis<'t>(tables: &[&'t Table]) -> BpsColumns<'t> {
    tables
        .iter()
        .map(|t| {
            let columns: Vec<_> = (0..t.columns.len())
                .filter(|&c| {
                    let col = &t.columns[c];
                    col.kind != ColumnKind::Period || col.period.is_none()
                })
                // A basis-point cell, or else a basis-point header (a
                // column all of whose figures are in basis points has one
                // such cell): the header is read only for want of a cell.
                .filter(|&c| {
                    t.rows.iter().any(|r| {
                        r.cells
                            .get(c)
                            .and_then(Option::as_ref)
                            .is_some_and(|x| x.basis_points)
                    }) || basis_points_header(&t.columns[c].header_text())
                })
                .filter_map(|c| bps_rows(t, c).map(|(p, cur, rows)| (c, p, cur, rows)))
                .filter(|(.., rows)| !rows.is_empty())
                .collect();
            (*t, columns)
        })
        .filter(|(_, columns)| !columns.is_empty())
        .collect()
}

/// Checks every basis-point change column of every table: each row's
/// change equals (current % − prior %) × 100 for some percentages the
/// printed ones may stand for. A rule of scope `document` reports a change
/// within rounding but not exact when the release's other basis-point
/// changes are exact. Returns whether any row was checked.
pub(crate) fn bps_change_columns(
    all: &BpsColumns<'_>,
    rule: &Rule,
    findings: &mut Vec<Finding>,
    tied: &mut Vec<Span>,
    mut ticks: Option<&mut Vec<Tick>>,
) -> bool {
    let judge = judgement(all, rule, |r| r.fit);
    let (convention, exact) = (judge.convention, judge.exact);
    for (t, columns) in all {
        for (c, prior, current, rows) in columns {
            for row in rows {
                let (first, second) = if row.sign.is_sign_negative() {
                    (row.prior, row.current)
                } else {
                    (row.current, row.prior)
                };
                let pct = |x: &Cell| {
                    format!(
                        "{}{}",
                        format_amount(x.value),
                        if x.percent { "%" } else { "" }
                    )
                };
                let expected = (first.value - second.value) * Decimal::ONE_HUNDRED;
                // Words for a tick or a finding only: most rows are neither.
                let arithmetic = || {
                    format!(
                        "({} − {}) × 100 = {} bps",
                        pct(first),
                        pct(second),
                        format_amount(expected.normalize())
                    )
                };
                let across = Across {
                    t,
                    row: row.row,
                    cells: [(*c, row.bp), (*current, row.current), (*prior, row.prior)],
                };
                let periods = || across.periods();
                let labels = || {
                    let mut v = across.labels();
                    v[0] = Label::new(
                        row.bp.span,
                        format!(
                            "{}: {} bps",
                            across.label(),
                            format_amount(row.bp.value.normalize())
                        ),
                    );
                    v
                };
                let sign = if row.sign.is_sign_negative() && row.either_sign {
                    ", better (worse): prior less current"
                } else {
                    ""
                };
                let allowed = || {
                    format!(
                        "the printed percentages allow {} to {} bps",
                        format_amount(row.lo.normalize()),
                        format_amount(row.hi.normalize())
                    )
                };
                let report = judge.reports(row.fit);
                if !report {
                    if judge.ties(row.fit) {
                        tied.extend(across.spans());
                        if let Some(ticks) = ticks.as_deref_mut() {
                            ticks.push(Tick {
                                rule: rule.id.clone(),
                                text: format!(
                                    "{} {} bps {} {} ({}{sign}; {})",
                                    across.label(),
                                    format_amount(row.bp.value.normalize()),
                                    if row.fit == Fit::Exact { "=" } else { "≈" },
                                    arithmetic(),
                                    periods(),
                                    allowed(),
                                ),
                                labels: labels(),
                            });
                        }
                    }
                    continue;
                }
                let half = half_unit(row.bp.decimals);
                let diff = if convention {
                    row.bp.value - expected
                } else if row.bp.value > row.hi {
                    row.bp.value - half - row.hi
                } else {
                    row.bp.value + half - row.lo
                };
                let tail = if convention {
                    format!(
                        "difference {} bps (within rounding, but the release's other {exact} basis-point changes are exact)",
                        format_amount(diff.normalize())
                    )
                } else {
                    format!(
                        "{}, so it is off by at least {} bps",
                        allowed(),
                        format_amount(diff.abs().normalize())
                    )
                };
                let mut f = crate::check::finding(
                    rule,
                    format!(
                        "{}: {} {} bps ≠ {} ({}{sign}); {tail}",
                        rule.title,
                        across.label(),
                        format_amount(row.bp.value.normalize()),
                        arithmetic(),
                        periods(),
                    ),
                    labels(),
                );
                f.difference = Some(diff);
                findings.push(f);
            }
        }
    }
    !all.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Half a unit is the division's result, digits and scale alike (the
    /// scale shows when a bound is printed), for every number of places.
    #[test]
    fn half_unit_is_the_unit_halved() {
        for d in 0..=28 {
            let divided = Decimal::new(1, d) / Decimal::TWO;
            let half = half_unit(d);
            assert_eq!(half, divided, "{d} places");
            assert_eq!(half.scale(), divided.scale(), "{d} places");
            assert_eq!(half.to_string(), divided.to_string(), "{d} places");
        }
    }
}
