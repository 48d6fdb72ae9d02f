//! Roll-forward schedules (`roll-forward-mismatch`).
//!
//! A roll-forward (an allowance for credit losses, debt, shares, deferred
//! revenue, an equity statement) opens with a balance, lists movements and
//! closes with a balance: opening plus movements is closing, in every
//! column. The opening and closing rows are named by the concept
//! dictionary (`opening_balance`, `closing_balance`, `dated_balance`, and
//! the cash flow statement's `cash_beginning_of_period` and
//! `cash_end_of_period`), never by wording here.
//!
//! Signs: a movement printed in parentheses is negative. A movement printed
//! without them may be a reduction shown as a positive figure (`Charge-offs`
//! under `Less:`); such rows are tried both ways, the same way in every
//! column, as footing tries its terms, and a subtotal among the movements
//! (`Net charge-offs`) may be left out. A schedule no reading of which holds
//! in most of its columns is not reported: a schedule that cannot be read is
//! not an error.
//!
//! Rounding: each printed figure stands for an interval half a unit either
//! side; an identity holds when the intervals can agree (strictly: a sum of
//! n rounded figures is within n/2 units).

use rust_decimal::Decimal;

use crate::ast::{Cell, ColumnKind, RowKind, Table};
use crate::facts::{RowConcepts, display_label, format_amount};
use crate::finding::{Finding, Label, Tick};
use crate::rules::Rule;
use crate::span::Span;

/// What a row does in a roll-forward.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// A dated balance closes the movements above it and opens those below.
    Both,
}

fn role(concept: &str) -> Option<Role> {
    match concept {
        "opening_balance" | "cash_beginning_of_period" => Some(Role::Open),
        "closing_balance" | "cash_end_of_period" => Some(Role::Close),
        "dated_balance" => Some(Role::Both),
        _ => None,
    }
}

/// Whether a concept names a row's role in a schedule (its opening or
/// closing balance) rather than what the row measures.
pub fn is_role_concept(concept: &str) -> bool {
    matches!(
        concept,
        "opening_balance" | "closing_balance" | "dated_balance"
    )
}

/// Movement rows whose signs are searched; past this only the printed
/// signs are tried, and a failure is not reported.
const MAX_MOVEMENTS: usize = 12;
/// Sign combinations tried at most per schedule.
const MAX_COMBINATIONS: usize = 4096;

/// A figure a sum can use.
fn figure(t: &Table, r: usize, c: usize) -> Option<&Cell> {
    t.summable(r, c)
}

/// Half a unit of the figure's last printed digit.
fn half(cell: &Cell) -> Decimal {
    Decimal::new(5, cell.decimals + 1)
}

fn column_text(t: &Table, c: usize) -> String {
    let col = &t.columns[c];
    match col.period {
        Some(p) => match &col.member {
            Some(m) => format!("{m}, {p}"),
            None => p.to_string(),
        },
        None => {
            let h = col.header_text();
            if h.trim().is_empty() {
                format!("column {}", c + 1)
            } else {
                h.trim().to_owned()
            }
        }
    }
}

/// `Balance, end of period: 4,231 (closing balance, 3 months ended
/// 2025-12-31)`: the row and figure first, as a reader finds them.
fn cell_label(t: &Table, r: usize, c: usize, cell: &Cell, role: &str) -> Label {
    Label::new(
        cell.span,
        format!(
            "{}: {} ({role}{})",
            display_label(&t.rows[r].label),
            format_amount(cell.value),
            column_text(t, c)
        ),
    )
}

/// One roll-forward: its opening row, movement rows and closing row.
struct Schedule {
    open: usize,
    moves: Vec<usize>,
    close: usize,
}

/// The roll-forwards of a table, top to bottom.
fn schedules(t: &Table, concepts: &RowConcepts) -> Vec<Schedule> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut moves: Vec<usize> = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        if row.kind == RowKind::Heading {
            continue;
        }
        let role = concepts[r].as_ref().and_then(|(c, _)| role(c.as_str()));
        match role {
            Some(Role::Close | Role::Both) if open.is_some() && !moves.is_empty() => {
                out.push(Schedule {
                    open: open.unwrap_or(r),
                    moves: std::mem::take(&mut moves),
                    close: r,
                });
                open = (role == Some(Role::Both)).then_some(r);
            }
            Some(Role::Open | Role::Both) => {
                open = Some(r);
                moves.clear();
            }
            // A closing row with nothing to close (`Cash at end of period`
            // right under `Cash at beginning of period`, the movement above
            // both) ends what was open.
            Some(Role::Close) => {
                open = None;
                moves.clear();
            }
            None => {
                if open.is_some() {
                    moves.push(r);
                }
            }
        }
    }
    out
}

/// Whether a movement row may be a subtotal of the movements above it
/// (`Net charge-offs` under `Charge-offs` and `Recoveries`).
fn subtotal_like(t: &Table, r: usize) -> bool {
    let row = &t.rows[r];
    let lower = row.label.trim().to_ascii_lowercase();
    row.rule_above != crate::ast::RuleKind::None
        || lower.starts_with("total")
        || lower.starts_with("net ")
}

/// Sign choices per movement, in order of preference (as printed first),
/// flattened: `None` when there are too many.
fn sign_combinations(choices: &[&[i8]]) -> Option<Vec<Vec<i8>>> {
    let n: usize = choices
        .iter()
        .try_fold(1usize, |acc, c| acc.checked_mul(c.len()))?;
    if n > MAX_COMBINATIONS {
        return None;
    }
    let mut combos: Vec<Vec<i8>> = vec![Vec::with_capacity(choices.len())];
    for c in choices {
        combos = combos
            .into_iter()
            .flat_map(|prefix| {
                c.iter().map(move |&s| {
                    let mut p = prefix.clone();
                    p.push(s);
                    p
                })
            })
            .collect();
    }
    // Fewest movements read otherwise than printed first; stable, so the
    // order of the choices breaks ties.
    combos.sort_by_key(|combo| combo.iter().filter(|&&s| s != 1).count());
    Some(combos)
}

/// One column of a schedule under one sign combination: the sum of the
/// opening balance and the movements, and whether it meets the closing
/// balance within rounding (`allowed` is the rounding allowance).
struct ColumnSum {
    expected: Decimal,
    closing: Decimal,
    allowed: Decimal,
}

impl ColumnSum {
    fn holds(&self) -> bool {
        (self.closing - self.expected).abs() < self.allowed
    }
}

fn column_sum(t: &Table, s: &Schedule, c: usize, combo: &[i8]) -> Option<ColumnSum> {
    let open = figure(t, s.open, c)?;
    let close = figure(t, s.close, c)?;
    let mut expected = open.value;
    let mut allowed = half(open) + half(close);
    for (&r, &sign) in s.moves.iter().zip(combo) {
        if sign == 0 {
            continue;
        }
        if let Some(m) = figure(t, r, c) {
            expected += Decimal::from(sign) * m.value;
            allowed += half(m);
        }
    }
    Some(ColumnSum {
        expected,
        closing: close.value,
        allowed,
    })
}

/// The columns a schedule can be checked in: the opening and closing
/// balances print a figure, and no movement prints one arithmetic cannot
/// use (a percentage, an unread figure).
fn schedule_columns(t: &Table, s: &Schedule) -> Vec<usize> {
    (0..t.columns.len())
        .filter(|&c| matches!(t.columns[c].kind, ColumnKind::Period | ColumnKind::Other))
        .filter(|&c| figure(t, s.open, c).is_some() && figure(t, s.close, c).is_some())
        .filter(|&c| {
            s.moves.iter().all(|&r| {
                t.rows[r]
                    .cells
                    .get(c)
                    .and_then(Option::as_ref)
                    .is_none_or(|x| !x.basis_points && !x.out_of_range && !x.percent)
            })
        })
        .collect()
}

/// The movements column `c` of `s` adds under `combo`, as its
/// arithmetic shows them: (row, figure, sign), a nil mark left out.
fn movements<'t>(
    t: &'t Table,
    s: &'t Schedule,
    c: usize,
    combo: &'t [i8],
) -> impl Iterator<Item = (usize, &'t Cell, i8)> {
    s.moves
        .iter()
        .zip(combo)
        .filter(|&(_, &sign)| sign != 0)
        .filter_map(move |(&r, &sign)| figure(t, r, c).map(|m| (r, m, sign)))
        .filter(|(_, m, _)| !(m.value.is_zero() && m.nil))
}

/// The figures [`arithmetic`] labels, after the closing balance `close`:
/// what a schedule that holds ties when no tick is written.
fn arithmetic_spans(
    t: &Table,
    s: &Schedule,
    c: usize,
    close: &Cell,
    combo: &[i8],
    out: &mut Vec<Span>,
) {
    out.push(close.span);
    out.extend(figure(t, s.open, c).map(|x| x.span));
    out.extend(movements(t, s, c, combo).map(|(_, m, _)| m.span));
}

/// `Balance, end of period 1,250 = 1,000 + 500 − 300 + 50`.
fn arithmetic(t: &Table, s: &Schedule, c: usize, combo: &[i8]) -> (String, Vec<Label>) {
    let mut labels = Vec::new();
    let mut text = String::new();
    if let Some(open) = figure(t, s.open, c) {
        text.push_str(&format_amount(open.value));
        labels.push(cell_label(t, s.open, c, open, "opening balance, "));
    }
    for (r, m, sign) in movements(t, s, c, combo) {
        let v = Decimal::from(sign) * m.value;
        if v.is_sign_negative() && !v.is_zero() {
            text.push_str(" − ");
        } else {
            text.push_str(" + ");
        }
        text.push_str(&format_amount(v.abs()));
        let read = if sign == -1 {
            "a reduction printed without parentheses, "
        } else {
            ""
        };
        labels.push(cell_label(t, r, c, m, read));
    }
    (text, labels)
}

/// Checks every roll-forward schedule of every table. Returns whether any
/// schedule was checked.
pub(crate) fn roll_forwards(
    tables: &[&Table],
    concepts: &[RowConcepts],
    rule: &Rule,
    findings: &mut Vec<Finding>,
    tied: &mut Vec<Span>,
    mut ticks: Option<&mut Vec<Tick>>,
) -> bool {
    let mut evaluated = false;
    for (t, concepts) in tables.iter().zip(concepts) {
        for s in schedules(t, concepts) {
            let cols = schedule_columns(t, &s);
            if cols.is_empty() {
                continue;
            }
            // A movement with a negative figure is signed as printed; one
            // printed positive everywhere may be a reduction; a subtotal
            // among the movements may be left out.
            let choices: Vec<&[i8]> = s
                .moves
                .iter()
                .map(|&r| -> &[i8] {
                    let negative = cols
                        .iter()
                        .filter_map(|&c| figure(t, r, c))
                        .any(|x| x.value.is_sign_negative() && !x.value.is_zero());
                    match (subtotal_like(t, r), negative) {
                        (true, true) => &[1, 0],
                        (true, false) => &[1, -1, 0],
                        (false, true) => &[1],
                        (false, false) => &[1, -1],
                    }
                })
                .collect();
            let searched = s.moves.len() <= MAX_MOVEMENTS;
            let combos = if searched {
                sign_combinations(&choices)
            } else {
                None
            };
            let printed = vec![1i8; s.moves.len()];
            let combos = combos.unwrap_or_else(|| vec![printed.clone()]);
            let holding = |combo: &[i8]| {
                cols.iter()
                    .filter(|&&c| column_sum(t, &s, c, combo).is_some_and(|x| x.holds()))
                    .count()
            };
            // The first combination that holds everywhere, else the one that
            // holds in the most columns (the first of a tie).
            let mut best: (usize, &[i8]) = (0, &printed);
            for combo in &combos {
                let h = holding(combo);
                if h > best.0 {
                    best = (h, combo);
                }
                if h == cols.len() {
                    break;
                }
            }
            let (held, combo) = best;
            let failed = cols.len() - held;
            let subtotals = s.moves.iter().any(|&r| subtotal_like(t, r));
            // Report only a schedule read in most of its columns, or a
            // single column no reading of which holds when it has no
            // subtotal to misread.
            let readable = held == cols.len()
                || (held > 0 && held >= failed && searched)
                || (cols.len() == 1 && held == 0 && searched && !subtotals);
            if !readable {
                continue;
            }
            evaluated = true;
            let combo = if held == 0 { &printed[..] } else { combo };
            let flipped = combo.contains(&-1);
            for &c in &cols {
                let Some(sum) = column_sum(t, &s, c, combo) else {
                    continue;
                };
                let Some(close) = figure(t, s.close, c) else {
                    continue;
                };
                if sum.holds() && ticks.is_none() {
                    // Only its figures are tied: no text is made.
                    arithmetic_spans(t, &s, c, close, combo, tied);
                    continue;
                }
                let (text, terms) = arithmetic(t, &s, c, combo);
                let closing = cell_label(t, s.close, c, close, "closing balance, ");
                let mut labels = vec![closing];
                labels.extend(terms);
                let name = display_label(&t.rows[s.close].label);
                let signs = if flipped {
                    ", with a reduction printed without parentheses"
                } else {
                    ""
                };
                if sum.holds() {
                    tied.extend(labels.iter().map(|l| l.span));
                    if let Some(ticks) = ticks.as_deref_mut() {
                        let (symbol, within) = if sum.expected == sum.closing {
                            ("=", String::new())
                        } else {
                            (
                                "≈",
                                format!(" = {}; within rounding", format_amount(sum.expected)),
                            )
                        };
                        ticks.push(Tick {
                            rule: rule.id.clone(),
                            text: format!(
                                "{name} {} {symbol} {text}{within} ({}{signs})",
                                format_amount(sum.closing),
                                column_text(t, c)
                            ),
                            labels,
                        });
                    }
                    continue;
                }
                let diff = sum.closing - sum.expected;
                let mut f = crate::check::finding(
                    rule,
                    format!(
                        "{}: {name} {} ≠ {text} = {} ({}{signs}); difference {} (rounding allows less than {})",
                        rule.title,
                        format_amount(sum.closing),
                        format_amount(sum.expected),
                        column_text(t, c),
                        format_amount(diff),
                        format_amount(sum.allowed.normalize()),
                    ),
                    labels,
                );
                f.difference = Some(diff);
                findings.push(f);
            }
        }
    }
    evaluated
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RulePack;

    /// The figures tied by the roll-forwards of `text`, with their ticks
    /// written or not: (tied, ticks' label spans, findings).
    fn tied_by(text: &str, record: bool) -> (Vec<Span>, Vec<Span>, usize) {
        let pack = RulePack::default_pack();
        let rule = pack
            .rules()
            .iter()
            .find(|r| r.id.as_str() == "roll-forward-mismatch")
            .expect("the default pack's roll-forward rule");
        let doc = crate::parse::parse(text.as_bytes());
        let (mut tied, mut ticked, mut findings) = (Vec::new(), Vec::new(), Vec::new());
        for ex in &doc.exhibits {
            let rows = crate::facts::read_rows(ex, pack.concepts());
            let tables: Vec<&Table> = ex.tables().collect();
            let mut ticks = Vec::new();
            roll_forwards(
                &tables,
                &rows.concepts,
                rule,
                &mut findings,
                &mut tied,
                record.then_some(&mut ticks),
            );
            ticked.extend(ticks.iter().flat_map(|t| t.labels.iter().map(|l| l.span)));
        }
        tied.sort();
        ticked.sort();
        (tied, ticked, findings.len())
    }

    /// A schedule that holds ties the same figures whether its tick is
    /// written (with the arithmetic and a label on each figure) or not
    /// (the figures alone): those the tick labels. And one that does not
    /// hold is reported either way.
    #[test]
    fn schedules_tie_the_figures_their_ticks_label() {
        let text = include_str!("../corpus/20-schedules.txt");
        let (quiet, none, found) = tied_by(text, false);
        let (recorded, labelled, found_recording) = tied_by(text, true);
        assert!(none.is_empty());
        assert!(
            quiet.len() > 20,
            "the schedules tie their figures: {}",
            quiet.len()
        );
        assert_eq!(quiet, recorded);
        assert_eq!(quiet, labelled);
        assert_eq!(found, found_recording);
        // A schedule that does not add up: reported, and the columns that
        // do still tie the same figures either way.
        let broken = include_str!("../corpus/broken/roll-forward-mismatch.txt");
        let (q, _, f) = tied_by(broken, false);
        let (r, l, g) = tied_by(broken, true);
        assert!(f >= 1, "the broken schedule is reported");
        assert_eq!((&q, f), (&r, g));
        assert!(l.iter().all(|s| q.binary_search(s).is_ok()) && !q.is_empty());
    }
}
