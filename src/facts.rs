//! Facts: table cells given a meaning.
//!
//! A [`Fact`] is one printed value with its concept (from the YAML label
//! dictionary), period, member (segment), unit, scale and the interval its
//! printed digits stand for. Facts do no IO and know nothing of output.
//!
//! **Architecture Invariant:** no code here knows a company's wording; a row
//! gets a concept only through `rules/concepts.yaml`.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::ast::{ColumnKind, Exhibit, Period, RowKind, Scale, Table};
use crate::rules::concepts::{LabelMatches, RowContext};
use crate::rules::{ConceptDictionary, ConceptId, Interval, Polarity, Unit};
use crate::span::Span;

/// One value of one table cell, interpreted. Its labels and member are
/// borrowed from the exhibit's tables and from the [`RowReadings`] it was
/// read with: a release's facts are many, and a shared (reference-counted)
/// string in each cost two atomic operations a fact and field, one to copy
/// and one to drop.
#[derive(Clone, Debug)]
pub struct Fact<'a> {
    pub table: usize,
    pub row: usize,
    pub col: usize,
    pub concept: Option<ConceptId>,
    pub period: Period,
    /// The segment or breakdown of the column, `None` for the entity.
    pub member: Option<&'a str>,
    pub unit: Unit,
    /// The scale the printed digits are in.
    pub scale: Scale,
    /// As printed, no scale, no polarity (`(3,904)` is -3904).
    pub printed: Decimal,
    pub decimals: u32,
    /// In units, polarity applied: `Net loss 3,904` in thousands is
    /// -3,904,000.
    pub value: Decimal,
    /// What the printed digits stand for, in units, polarity applied.
    pub interval: Interval,
    pub span: Span,
    /// The row label as printed, whole ([`display_label`]); see
    /// [`Fact::text`]. The row's own: cloned only where a figure leaves
    /// the check with it.
    pub row_label: &'a Arc<str>,
    /// The row label, normalized (lowercase, single spaces), for matching
    /// narrative metrics to rows the dictionary does not name (`SLMS`).
    pub label: &'a str,
}

impl Fact<'_> {
    /// `Net revenue: 52,686` for diagnostics: the row label and the figure
    /// as printed (formatted only when a finding needs it).
    pub fn text(&self) -> String {
        format!("{}: {}", self.row_label, format_amount(self.printed))
    }
}

/// Prints a decimal with thousands separators, negatives in parentheses,
/// as a release would.
pub fn format_amount(v: Decimal) -> String {
    use std::fmt::Write;
    let neg = v.is_sign_negative() && !v.is_zero();
    // `Decimal`'s own digits (`-1234.50`), then commas every three integer
    // digits, into one string.
    let mut digits = String::with_capacity(32);
    let _ = write!(digits, "{}", v.abs());
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let mut out = String::with_capacity(digits.len() + int.len() / 3 + 2);
    if neg {
        out.push('(');
    }
    for (i, ch) in int.char_indices() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if digits.contains('.') {
        out.push('.');
        out.push_str(frac);
    }
    if neg {
        out.push(')');
    }
    out
}

/// The concept of each row of a table (`None` for unknown labels and
/// headings), resolving positional concepts against the rows around, and
/// each row's label normalized ([`normalize_label`], once for both uses).
fn row_concepts(t: &Table, dict: &ConceptDictionary) -> (RowConcepts, Vec<Arc<str>>) {
    // Each label is matched against the dictionary once; the context only
    // chooses among the patterns it matched.
    // `Basic` / `- diluted` under a heading `Net income (loss) per share:`
    // is read with the heading (`Net income (loss) per share - basic`) when
    // its own label names nothing.
    // A section split off a statement keeps its heading as its title.
    let mut heading: Option<&str> = t
        .title
        .last()
        .map(|l| l.text.as_str())
        .filter(|l| l.trim_end().ends_with(':'));
    let mut seen: Vec<String> = Vec::new();
    let (labels, own): (Vec<Arc<str>>, Vec<Option<LabelMatches>>) = t
        .rows
        .iter()
        .map(|r| dict.row_label(&r.label, r.kind == RowKind::Values))
        .unzip();
    let matches: Vec<Option<LabelMatches>> = t
        .rows
        .iter()
        .zip(own)
        .map(|(r, own)| match r.kind {
            RowKind::Values => {
                // `row_label` matched every value row's label.
                let own = own.unwrap_or_default();
                if dict.resolve(&own, &RowContext::default()).is_some() {
                    return Some(own);
                }
                let Some(h) = heading.filter(|_| is_share_qualifier(&r.label)) else {
                    return Some(own);
                };
                let qualifier = r
                    .label
                    .trim_start_matches(['-', '\u{2013}', '\u{2014}', ' ']);
                // A second `Basic` under one heading starts rows the
                // heading does not name (share counts printed under the
                // per-share figures without a heading of their own).
                let key = qualifier.to_ascii_lowercase();
                if seen.contains(&key) {
                    heading = None;
                    return Some(own);
                }
                seen.push(key);
                let joined = format!("{} - {qualifier}", h.trim_end().trim_end_matches(':'));
                let with_heading = dict.label_matches(&joined);
                if dict
                    .resolve(&with_heading, &RowContext::default())
                    .is_some()
                {
                    Some(with_heading)
                } else {
                    Some(own)
                }
            }
            RowKind::Heading => {
                heading = Some(&*r.label);
                seen.clear();
                None
            }
        })
        .collect();
    let ids: Vec<Option<ConceptId>> = matches
        .iter()
        .map(|m| {
            m.as_ref()
                .and_then(|m| dict.resolve(m, &RowContext::default()))
                .map(|(id, _)| id)
        })
        .collect();
    // Only the concepts that positional (`between`) concepts refer to matter
    // for the context; tracking just those keeps this linear in the rows.
    let relevant = dict.positional();
    let mut below_count: Vec<usize> = relevant
        .iter()
        .map(|r| ids.iter().flatten().filter(|id| *id == r).count())
        .collect();
    let mut above_seen = vec![false; relevant.len()];
    let mut out = Vec::with_capacity(t.rows.len());
    let (mut above, mut below): (Vec<ConceptId>, Vec<ConceptId>) = (Vec::new(), Vec::new());
    for (i, r) in t.rows.iter().enumerate() {
        if let Some(id) = &ids[i] {
            for (k, rel) in relevant.iter().enumerate() {
                if rel == id {
                    below_count[k] = below_count[k].saturating_sub(1);
                }
            }
        }
        if r.kind == RowKind::Heading {
            out.push(None);
        } else {
            above.clear();
            above.extend(
                relevant
                    .iter()
                    .zip(&above_seen)
                    .filter(|(_, seen)| **seen)
                    .map(|(c, _)| *c),
            );
            below.clear();
            below.extend(
                relevant
                    .iter()
                    .zip(&below_count)
                    .filter(|(_, n)| **n > 0)
                    .map(|(c, _)| *c),
            );
            let ctx = RowContext {
                above: &above,
                below: &below,
            };
            out.push(matches[i].as_ref().and_then(|m| dict.resolve(m, &ctx)));
        }
        if let Some(id) = &ids[i] {
            for (k, rel) in relevant.iter().enumerate() {
                if rel == id {
                    above_seen[k] = true;
                }
            }
        }
    }
    (out, labels)
}

/// A row label that only says which share count it is: `Basic`, `- diluted`,
/// `Basic and diluted`, `Assuming dilution`.
fn is_share_qualifier(label: &str) -> bool {
    let t = label
        .trim_start_matches(['-', '\u{2013}', '\u{2014}', ' '])
        .trim_end_matches([':', ' ']);
    // Compared in place: asked of every row label under a heading.
    [
        "basic",
        "diluted",
        "basic and diluted",
        "diluted and basic",
        "assuming dilution",
    ]
    .iter()
    .any(|q| t.eq_ignore_ascii_case(q))
}

/// The concept of each row of a table, with the polarity its label gives.
pub type RowConcepts = Vec<Option<(ConceptId, Polarity)>>;

/// An exhibit's tables read against the dictionary, row by row: what its
/// facts ([`facts_of`]) borrow their normalized labels from, and the row
/// concepts the checks that need them read too.
#[derive(Clone, Debug, Default)]
pub struct RowReadings {
    /// Per table (in the order of [`Exhibit::tables`]), each row's concept.
    pub concepts: Vec<RowConcepts>,
    /// Per table, each row's label normalized.
    labels: Vec<Vec<Arc<str>>>,
}

/// Reads every row of an exhibit's tables against the dictionary.
pub fn read_rows(exhibit: &Exhibit, dict: &ConceptDictionary) -> RowReadings {
    let (concepts, labels) = exhibit.tables().map(|t| row_concepts(t, dict)).unzip();
    RowReadings { concepts, labels }
}

/// Every fact of an exhibit's tables, in document order, given its rows
/// as [`read_rows`] read them.
pub fn facts_of<'a>(
    exhibit: &'a Exhibit,
    rows: &'a RowReadings,
    dict: &ConceptDictionary,
) -> Vec<Fact<'a>> {
    // At most one fact a cell: sized once, not grown (a fact is large).
    let cells = exhibit
        .tables()
        .flat_map(|t| &t.rows)
        .map(|r| r.cells.iter().flatten().count())
        .sum();
    let mut out = Vec::with_capacity(cells);
    for (ti, ((t, concepts), labels)) in exhibit
        .tables()
        .zip(&rows.concepts)
        .zip(&rows.labels)
        .enumerate()
    {
        let table_scale = t.scale();
        let except_per_share = t.scale.as_ref().is_some_and(|s| s.except_per_share);
        let shares_scale = t.scale.as_ref().and_then(|s| s.shares_scale);
        for (ri, row) in t.rows.iter().enumerate() {
            let concept = concepts[ri];
            let unit = concept
                .as_ref()
                .and_then(|(id, _)| dict.unit(id))
                .unwrap_or(Unit::Money);
            let polarity = concept.as_ref().map_or(Polarity::Normal, |c| c.1);
            // The row's own label; a name only for a total printed without
            // one.
            let row_label = if row.label.is_empty() {
                unlabelled()
            } else {
                &row.label
            };
            // A "Net loss" row printed without parentheses states a loss; one
            // with any negative figure is signed as printed.
            let flip = polarity == Polarity::Loss
                && !row
                    .cells
                    .iter()
                    .flatten()
                    .any(|c| c.value.is_sign_negative());
            for (ci, cell) in row.cells.iter().enumerate() {
                let (Some(cell), Some(column)) = (cell, t.columns.get(ci)) else {
                    continue;
                };
                if column.kind != ColumnKind::Period {
                    continue;
                }
                let Some(period) = column.period else {
                    continue;
                };
                // No financial figure prints more than 15 integer digits or
                // 17 decimals; beyond that the scaled value, its rounding
                // interval or a total could overflow `Decimal`.
                if !plausible_figure(cell.value, cell.decimals)
                    || cell.basis_points
                    || cell.out_of_range
                {
                    continue;
                }
                let unit = if cell.percent { Unit::Percent } else { unit };
                let scale = match unit {
                    Unit::PerShare | Unit::Percent => Scale::Units,
                    Unit::Shares => shares_scale.unwrap_or(table_scale),
                    Unit::Money => {
                        // `(In thousands, except per share data)` with a
                        // cents figure in a money row: it is per share.
                        if except_per_share
                            && cell.decimals == 2
                            && cell.value.abs() < Decimal::from(100)
                        {
                            Scale::Units
                        } else {
                            table_scale
                        }
                    }
                };
                let mut interval =
                    Interval::from_printed(cell.value, cell.decimals, scale.factor());
                let mut value = scaled(cell.value, scale);
                if flip {
                    interval = interval.neg();
                    value = -value;
                }
                out.push(Fact {
                    table: ti,
                    row: ri,
                    col: ci,
                    concept: concept.as_ref().map(|c| c.0),
                    period,
                    member: column.member.as_deref(),
                    unit,
                    scale,
                    printed: cell.value,
                    decimals: cell.decimals,
                    value,
                    interval,
                    span: cell.span,
                    row_label,
                    label: &labels[ri],
                });
            }
        }
    }
    out
}

/// `value` times `scale`'s factor, as `Decimal` multiplies: in units the
/// value itself (zero as `Decimal::ZERO`, the product's zero), with no
/// multiplication for the many per-share, percentage and unit figures.
fn scaled(value: Decimal, scale: Scale) -> Decimal {
    let factor: i128 = match scale {
        Scale::Units if value.is_zero() => return Decimal::ZERO,
        Scale::Units => return value,
        Scale::Thousands => 1_000,
        Scale::Millions => 1_000_000,
        Scale::Billions => 1_000_000_000,
    };
    // A table's figures have a few digits: their product with the factor
    // is the mantissa's, at the same scale, as `Decimal` multiplies when
    // the product fits (below 2^94 here), and zero is the product's zero.
    // Larger figures go through `Decimal`.
    match i64::try_from(value.mantissa()) {
        Ok(0) => Decimal::ZERO,
        Ok(m) => Decimal::from_i128_with_scale(i128::from(m) * factor, value.scale()),
        Err(_) => value * scale.factor(),
    }
}

/// A row label as diagnostics show it: whole (a reader must recognise the
/// row), `(unlabelled total)` for a total row with no label.
pub fn display_label(label: &str) -> &str {
    if label.is_empty() {
        "(unlabelled total)"
    } else {
        label
    }
}

/// [`display_label`] of an empty label, made once.
fn unlabelled() -> &'static Arc<str> {
    static NAME: std::sync::LazyLock<Arc<str>> =
        std::sync::LazyLock::new(|| Arc::from(display_label("")));
    &NAME
}

/// A printed figure the arithmetic can hold after scaling and adding: at
/// most 15 integer digits (`|value| < 10^15`, a thousand trillion) and 17
/// decimals. Anything larger is not a financial figure; scaled by a billion
/// and summed down a table it could overflow `Decimal`.
pub fn plausible_figure(value: Decimal, decimals: u32) -> bool {
    decimals <= 17 && value.abs() < Decimal::from(1_000_000_000_000_000u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A figure in units is the product by one, bit for bit: value,
        /// scale and sign (a negative zero becomes the product's zero).
        #[test]
        fn a_unit_figure_is_its_product_by_one(
            lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
            negative in any::<bool>(), scale in 0u32..=28,
            small in any::<bool>(),
        ) {
            let v = if small {
                Decimal::from_parts(lo % 1000, 0, 0, negative, scale % 4)
            } else {
                Decimal::from_parts(lo, mid, hi, negative, scale)
            };
            prop_assert_eq!(
                scaled(v, Scale::Units).serialize(),
                (v * Scale::Units.factor()).serialize(),
                "{}", v
            );
            let thousand = Decimal::from_parts(lo % 1_000_000, 0, 0, negative, scale % 4);
            prop_assert_eq!(
                scaled(thousand, Scale::Thousands).serialize(),
                (thousand * Scale::Thousands.factor()).serialize()
            );
        }

        /// A scaled figure is its product by the scale's factor, bit for
        /// bit, small mantissas (the integer path) and large ones alike.
        #[test]
        fn a_scaled_figure_is_its_product_by_the_factor(
            lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
            negative in any::<bool>(), scale in 0u32..=28,
            size in 0usize..3, which in 0usize..3,
        ) {
            let v = match size {
                0 => Decimal::from_parts(lo % 1000, 0, 0, negative, scale % 4),
                1 => Decimal::from_parts(lo, mid % (1 << 16), 0, negative, scale),
                _ => Decimal::from_parts(lo, mid, hi, negative, scale),
            };
            let s = [Scale::Thousands, Scale::Millions, Scale::Billions][which];
            // A product too large for `Decimal` panics either way.
            if let Some(product) = v.checked_mul(s.factor()) {
                prop_assert_eq!(scaled(v, s).serialize(), product.serialize(), "{}", v);
            }
        }
    }

    /// `format_amount` as first written, a string per step.
    fn format_amount_by_steps(v: Decimal) -> String {
        let neg = v.is_sign_negative() && !v.is_zero();
        let s = v.abs().to_string();
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i.to_string(), Some(f.to_string())),
            None => (s, None),
        };
        let mut grouped = String::new();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        if let Some(f) = frac {
            grouped.push('.');
            grouped.push_str(&f);
        }
        if neg { format!("({grouped})") } else { grouped }
    }

    proptest! {
        #[test]
        fn amounts_format_as_before(mantissa in any::<i64>(), scale in 0u32..20) {
            let v = Decimal::new(mantissa, scale);
            prop_assert_eq!(format_amount(v), format_amount_by_steps(v));
        }
    }

    #[test]
    fn amounts_print_like_a_release() {
        assert_eq!(format_amount(Decimal::from(-3904)), "(3,904)");
        assert_eq!(format_amount(Decimal::from(1053489)), "1,053,489");
        assert_eq!(format_amount("-0.12".parse().unwrap()), "(0.12)");
        assert_eq!(format_amount(Decimal::ZERO), "0");
    }
}

#[cfg(test)]
mod heading_tests {
    use super::*;

    #[test]
    fn basic_and_diluted_rows_take_their_heading() {
        let text = "\
                                          Three Months Ended
                                       June 30,        June 30,
                                         2020            2019
Net income                             $ 10,000        $ 6,864
Net income per share:
    - basic                            $   1.54        $  1.15
    - diluted                          $   1.50        $  1.14
Weighted average shares outstanding:
    Basic                                 6,493          5,973
    Diluted                               6,687          6,032
";
        let pack = crate::rules::RulePack::default_pack();
        // The concept of the row printing `value`, in the release `text`.
        let concepts = |text: &str| {
            let doc = crate::parse::parse(text.as_bytes());
            let rows = read_rows(&doc.exhibits[0], pack.concepts());
            // Each fact's text and concept, owned (the facts borrow `doc`).
            let facts: Vec<(String, Option<String>)> =
                facts_of(&doc.exhibits[0], &rows, pack.concepts())
                    .iter()
                    .map(|f| (f.text(), f.concept.map(|c| c.as_str().to_string())))
                    .collect();
            move |value: &str| {
                facts
                    .iter()
                    .find(|(text, _)| text.ends_with(value))
                    .and_then(|(_, concept)| concept.clone())
            }
        };
        let concept_of = concepts(text);
        assert_eq!(concept_of("1.54").as_deref(), Some("eps_basic"));
        assert_eq!(concept_of("1.50").as_deref(), Some("eps_diluted"));
        assert_eq!(
            concept_of("6,493").as_deref(),
            Some("weighted_shares_basic")
        );
        assert_eq!(
            concept_of("6,687").as_deref(),
            Some("weighted_shares_diluted")
        );

        // Share counts printed under the per-share rows with no heading of
        // their own are not per-share figures.
        let text = text.replace("Weighted average shares outstanding:\n", "");
        let concept = concepts(&text);
        assert_eq!(concept("1.50").as_deref(), Some("eps_diluted"));
        assert_eq!(concept("6,493"), None);
    }
}
