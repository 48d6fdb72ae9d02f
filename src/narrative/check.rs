//! Checking claims against table values: pure interval arithmetic, no IO.
//!
//! Every printed number stands for an interval: the table's `52,686` (in
//! thousands) for [52,685,500, 52,686,500], the narrative's `$52.7 million`
//! for [52,650,000, 52,750,000]. A claimed amount agrees with a table value
//! when the two intervals meet. The rules:
//!
//! - **Amount**: the claim's metric maps to a concept (through the caller's
//!   `concept_of`), its period phrase resolves to a table period
//!   ([`resolve`]); the stated magnitude must meet the table value's
//!   magnitude. A claim without a period phrase is about the current
//!   reporting period (the anchor).
//! - **Sign**: sign words must agree with the table's sign: "net loss of $3.9
//!   million" matches -3,904 thousand, "net income of $3.9 million" against
//!   -3,904 is a [`Contradiction::Sign`]. Claims with no sign word
//!   (`revenue was ...`) compare magnitudes only.
//! - **Period**: a wrong amount that matches the same concept in another
//!   period is reported as [`Contradiction::Period`].
//! - **Per share**: per-share claims are compared like amounts and reported
//!   as [`Contradiction::PerShare`].
//! - **Percent changes** are computed from the table values of the two
//!   periods, or from the stated amounts when a period is not in any table,
//!   as an interval `[lo, hi]` of possible changes. With `p` the stated
//!   percent and `u` one unit of its last printed digit:
//!   - exact ("an increase of 8%", "up 12%"): `[p - u/2, p + u/2]` must meet
//!     the computed interval (8.3% rounds to 8%);
//!   - approximately/about/roughly: `[p - t, p + t]` with `t = max(u, 5% of p)`;
//!   - nearly/almost: `[0.9 p, p + u/2]` (just short of the figure);
//!   - more than/over: some computed value above `p`; less than: below `p`.
//!
//!   Decreases compare the size of the fall. A base that is zero or
//!   negative makes a percentage meaningless: unverifiable.
//! - Anything that cannot be tied (unknown metric, period in no table, no
//!   table value) is [`ClaimStatus::Unverifiable`] with a reason: not an
//!   error, but coverage a reviewer can see.

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::ast::{Period, Scale};
use crate::narrative::claim::{Amount, ChangeKind, Claim, ClaimSign, Comparison, Qualifier};
use crate::narrative::period::{PeriodPhrase, anchor_of, resolve_in};
use crate::rules::ConceptId;
use crate::span::Span;

/// What a table value is a figure of: a concept of the dictionary, or
/// `row:` and the normalized label of a row the dictionary does not name
/// (shared by the row's values). Read as its name.
#[derive(Clone, Debug)]
pub enum ValueName {
    Concept(ConceptId),
    Row(std::sync::Arc<str>),
}

impl ValueName {
    /// A name for `name`: a row's when it starts with `row:`, else a concept's.
    pub fn new(name: &str) -> ValueName {
        if name.starts_with("row:") {
            ValueName::Row(name.into())
        } else {
            ValueName::Concept(ConceptId::from(name))
        }
    }
}

impl std::ops::Deref for ValueName {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            ValueName::Concept(c) => c.as_str(),
            ValueName::Row(r) => r,
        }
    }
}

/// Equal names, however held: two concepts by their interned pointer, a
/// row's values by their shared name's pointer first.
impl PartialEq for ValueName {
    fn eq(&self, other: &ValueName) -> bool {
        match (self, other) {
            (ValueName::Concept(a), ValueName::Concept(b)) => a == b,
            (ValueName::Row(a), ValueName::Row(b)) => std::sync::Arc::ptr_eq(a, b) || **a == **b,
            _ => **self == **other,
        }
    }
}

/// One table figure, as the facts layer hands it over.
#[derive(Clone, Debug, PartialEq)]
pub struct TableValue<'a> {
    pub concept: ValueName,
    pub period: Period,
    /// Units, scale applied, signed.
    pub value: Decimal,
    /// What the printed digits stand for, scale applied.
    pub interval: (Decimal, Decimal),
    pub span: Span,
    /// The row label it is printed on, its fact's.
    pub row_label: &'a str,
    /// The figure as printed (`52686` for `52,686` in thousands).
    pub shown: Decimal,
}

impl<'a> TableValue<'a> {
    /// A value printed as `printed` with `decimals` digits after the point in
    /// a table of scale `scale` (`52686`, 0, thousands).
    pub fn from_printed(
        concept: &str,
        period: Period,
        printed: Decimal,
        decimals: u32,
        scale: Scale,
        span: Span,
        row_label: &'a str,
    ) -> Self {
        let value = printed * scale.factor();
        let half = Decimal::new(5, decimals + 1) * scale.factor();
        TableValue {
            concept: ValueName::new(concept),
            period,
            value,
            interval: (value - half, value + half),
            span,
            row_label,
            shown: printed,
        }
    }

    /// How a finding shows it: `Net revenue: 52,686`.
    pub fn text(&self) -> String {
        format!(
            "{}: {}",
            self.row_label,
            crate::facts::format_amount(self.shown)
        )
    }

    /// The interval of the absolute value.
    fn magnitude(&self) -> (Decimal, Decimal) {
        magnitude(self.interval)
    }
}

fn magnitude((a, b): (Decimal, Decimal)) -> (Decimal, Decimal) {
    if a >= Decimal::ZERO {
        (a, b)
    } else if b <= Decimal::ZERO {
        (-b, -a)
    } else {
        (Decimal::ZERO, a.abs().max(b.abs()))
    }
}

fn meets(a: (Decimal, Decimal), b: (Decimal, Decimal)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// True when some value rounds to both printed figures. Rounding intervals
/// are half-open, so two intervals that only touch (`$0.05` is
/// [0.045, 0.055), `$0.04` is [0.035, 0.045)) share no value: adjacent
/// figures printed to the same precision differ.
fn rounds_alike(a: (Decimal, Decimal), b: (Decimal, Decimal)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Why a claim disagrees with the tables.
#[derive(Clone, Debug, PartialEq)]
pub enum Contradiction<'a> {
    /// The stated amount is outside what the table value allows.
    Amount {
        /// The table value.
        expected: Decimal,
        /// The stated amount, signed by the claim's words.
        actual: Decimal,
        /// `|actual| - |expected|`.
        difference: Decimal,
        /// How far apart rounding alone can put them.
        tolerance: Decimal,
        value: TableValue<'a>,
    },
    /// As `Amount`, for a per-share figure.
    PerShare {
        expected: Decimal,
        actual: Decimal,
        difference: Decimal,
        tolerance: Decimal,
        value: TableValue<'a>,
    },
    /// The amount matches but the words give the other sign.
    Sign {
        stated: ClaimSign,
        value: TableValue<'a>,
    },
    /// The stated change does not follow from the two figures.
    Percent {
        stated: Decimal,
        qualifier: Qualifier,
        kind: ChangeKind,
        /// The change computed from the midpoints, in percent.
        computed: Decimal,
        /// The range of changes rounding allows.
        computed_range: (Decimal, Decimal),
        current: Option<TableValue<'a>>,
        base: Option<TableValue<'a>>,
    },
    /// The amount is wrong for its period but is the same concept's value in
    /// another period.
    Period {
        stated_period: Period,
        expected: TableValue<'a>,
        matched: TableValue<'a>,
    },
}

/// The outcome of checking one aspect of a claim.
#[derive(Clone, Debug, PartialEq)]
pub enum ClaimStatus<'a> {
    Verified,
    /// Boxed: a contradiction carries the table values involved.
    Contradicted(Box<Contradiction<'a>>),
    /// Why the claim could not be tied: "period not in any table", "metric
    /// unknown: dsl ports", ...
    Unverifiable(String),
}

impl<'a> ClaimStatus<'a> {
    /// The contradiction, when the claim disagrees with the tables.
    pub fn contradiction(&self) -> Option<&Contradiction<'a>> {
        match self {
            ClaimStatus::Contradicted(c) => Some(c),
            _ => None,
        }
    }
}

/// Which part of a claim a result is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aspect {
    /// The stated amount.
    Amount,
    /// The stated change.
    Comparison,
}

/// What a claim's metric names: a concept's interned name, or `row:` and a
/// row's label, made for the claim.
pub type Name = std::borrow::Cow<'static, str>;

/// One checked aspect of one claim.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimResult<'a> {
    /// Index of the claim in the slice passed to [`check_claims`].
    pub claim: usize,
    pub aspect: Aspect,
    /// The concept's name, or `row:` and a row's normalized label.
    pub concept: Option<Name>,
    /// The table period the claim's period phrase resolved to.
    pub period: Option<Period>,
    pub status: ClaimStatus<'a>,
    /// The table figures a verified claim was ticked against (`span`,
    /// `Net revenue: 48,215`): the amount's cell, or the current and base
    /// cells of a change worked out from the tables.
    pub ticked: Vec<(Span, String)>,
}

/// Checks each claim's amount and change against the table values.
///
/// `calendar` is the document's periods (instants only tell the fiscal
/// year end); the current reporting
/// period is the latest quarter in it. `concept_of` maps a metric phrase to
/// a concept name (the concept dictionary) or `None` when unknown.
pub fn check_claims<'a>(
    claims: &[Claim],
    values: &[TableValue<'a>],
    calendar: &[Period],
    concept_of: &dyn Fn(&str) -> Option<Name>,
) -> Vec<ClaimResult<'a>> {
    check_claims_in(claims, &ValueIndex::new(values), calendar, concept_of, true)
}

/// The table values of a document by concept, in their original order:
/// built once per document and shared by every paragraph, so a claim looks
/// up its concept's few values instead of scanning them all (a release
/// with thousands of figures and thousands of claims stays linear).
pub struct ValueIndex<'v, 'a> {
    values: &'v [TableValue<'a>],
    /// Each concept's stretch of `order`: (start, length).
    by_concept: FxHashMap<&'v str, (u32, u32)>,
    /// Positions in `values`, concept by concept, each concept's in the
    /// order given: one list for every concept, not one per concept. (A
    /// release with 2^32 figures would hold hundreds of GiB of facts
    /// before this index.)
    order: Vec<u32>,
}

impl<'v, 'a> ValueIndex<'v, 'a> {
    pub fn new(values: &'v [TableValue<'a>]) -> ValueIndex<'v, 'a> {
        // A row's values come one after another and share their concept:
        // each run is looked up once (twice: counted, then placed).
        let mut runs: Vec<(&str, usize, usize)> = Vec::with_capacity(values.len());
        let mut k = 0;
        while k < values.len() {
            let first = &values[k].concept;
            let concept: &str = first;
            // A row's values share one name: the pointers say so first.
            let run = values[k..]
                .iter()
                .take_while(|v| v.concept == *first)
                .count();
            runs.push((concept, k, run));
            k += run;
        }
        // Each concept's length, then where its stretch ends; the runs are
        // placed last to first, each just before the one placed after it,
        // which leaves every stretch's start where it begins.
        // Sized for a concept per run at most: grown, it was rehashed.
        let mut by_concept: FxHashMap<&str, (u32, u32)> =
            FxHashMap::with_capacity_and_hasher(runs.len(), Default::default());
        for &(concept, _, run) in &runs {
            by_concept.entry(concept).or_default().1 += run as u32;
        }
        let mut end = 0;
        for slot in by_concept.values_mut() {
            end += slot.1;
            slot.0 = end;
        }
        let mut order = vec![0u32; values.len()];
        for &(concept, k, run) in runs.iter().rev() {
            if let Some(slot) = by_concept.get_mut(concept) {
                slot.0 -= run as u32;
                let at = slot.0 as usize;
                for (o, i) in order[at..at + run].iter_mut().zip(k..) {
                    *o = i as u32;
                }
            }
        }
        ValueIndex {
            values,
            by_concept,
            order,
        }
    }

    /// The values of `concept`, in the order they were given.
    fn of(&self, concept: &str) -> impl Iterator<Item = &'v TableValue<'a>> + '_ {
        let (start, len) = self
            .by_concept
            .get(concept)
            .map_or((0, 0), |&(start, len)| (start as usize, len as usize));
        self.order[start..start + len]
            .iter()
            .map(|&k| &self.values[k as usize])
    }
}

/// [`check_claims`] over values already indexed. Without `texts`, the
/// figures a verified claim ticked are given by span only (their text
/// empty).
pub fn check_claims_in<'a>(
    claims: &[Claim],
    values: &ValueIndex<'_, 'a>,
    calendar: &[Period],
    concept_of: &dyn Fn(&str) -> Option<Name>,
    texts: bool,
) -> Vec<ClaimResult<'a>> {
    let anchor = anchor_of(calendar);
    let ctx = Context {
        values,
        calendar,
        anchor,
    };
    let mut out = Vec::new();
    let mut resolved: Vec<Option<Period>> = Vec::with_capacity(claims.len());
    for (k, claim) in claims.iter().enumerate() {
        let concept = concept_of(&claim.metric);
        let phrase = claim.period.clone().unwrap_or(PeriodPhrase::CurrentQuarter);
        // A contextual phrase (`compared with $37.6 million last year`) is
        // relative to the nearest earlier claim of the sentence whose period
        // is stated outright.
        let reference = if phrase.is_contextual() {
            // Claims come sentence by sentence: the search stops at the
            // sentence's first claim.
            (0..k)
                .rev()
                .take_while(|&j| claims[j].sentence_range == claim.sentence_range)
                .find(|&j| {
                    !claims[j]
                        .period
                        .as_ref()
                        .is_some_and(PeriodPhrase::is_contextual)
                })
                .and_then(|j| resolved[j])
        } else {
            None
        };
        let period = resolve_in(&phrase, calendar, anchor.as_ref(), reference.as_ref());
        resolved.push(period);
        let result = |aspect, status, ticked: Vec<&TableValue>| {
            let ticked = if status == ClaimStatus::Verified {
                ticked
                    .iter()
                    .map(|v| (v.span, if texts { v.text() } else { String::new() }))
                    .collect()
            } else {
                Vec::new()
            };
            ClaimResult {
                claim: k,
                aspect,
                concept: concept.clone(),
                period,
                status,
                ticked,
            }
        };
        if let Some(amount) = &claim.amount {
            let status = ctx.check_amount(claim, amount, concept.as_deref(), period);
            let cell = concept
                .as_deref()
                .zip(period)
                .and_then(|(c, p)| ctx.value(c, p));
            out.push(result(Aspect::Amount, status, cell.into_iter().collect()));
        }
        if let Some(cmp) = &claim.comparison {
            let (status, cells) = ctx.check_comparison(claim, cmp, concept.as_deref(), period);
            out.push(result(Aspect::Comparison, status, cells));
        }
    }
    out
}

struct Context<'c, 'v, 'a> {
    values: &'c ValueIndex<'v, 'a>,
    calendar: &'c [Period],
    anchor: Option<Period>,
}

impl<'v, 'a> Context<'_, 'v, 'a> {
    fn value(&self, concept: &str, period: Period) -> Option<&'v TableValue<'a>> {
        self.values.of(concept).find(|v| v.period == period)
    }

    fn check_amount(
        &self,
        claim: &Claim,
        amount: &Amount,
        concept: Option<&str>,
        period: Option<Period>,
    ) -> ClaimStatus<'a> {
        let Some(concept) = concept else {
            return ClaimStatus::Unverifiable(format!("metric unknown: {}", claim.metric));
        };
        let Some(period) = period else {
            return ClaimStatus::Unverifiable("period not in any table".into());
        };
        let Some(value) = self.value(concept, period) else {
            return ClaimStatus::Unverifiable(format!("no table value for {concept} in {period}"));
        };
        if amount.percent {
            return ClaimStatus::Unverifiable(
                "a percentage level cannot be tied to an amount row".into(),
            );
        }
        let stated = magnitude(amount.interval());
        if rounds_alike(stated, value.magnitude()) {
            let negative = value.value < Decimal::ZERO;
            let positive = value.value > Decimal::ZERO;
            let sign = match claim.sign {
                ClaimSign::Unstated if amount.value < Decimal::ZERO => ClaimSign::Negative,
                s => s,
            };
            let wrong_sign = (sign == ClaimSign::Negative && positive)
                || (sign == ClaimSign::Positive && negative);
            if wrong_sign {
                return ClaimStatus::Contradicted(Box::new(Contradiction::Sign {
                    stated: sign,
                    value: value.clone(),
                }));
            }
            return ClaimStatus::Verified;
        }
        // The figure of another period?
        if let Some(other) = self
            .values
            .of(concept)
            .find(|v| v.period != period && rounds_alike(stated, v.magnitude()))
        {
            return ClaimStatus::Contradicted(Box::new(Contradiction::Period {
                stated_period: period,
                expected: value.clone(),
                matched: other.clone(),
            }));
        }
        let actual = match claim.sign {
            ClaimSign::Negative => -amount.value.abs(),
            ClaimSign::Positive => amount.value.abs(),
            ClaimSign::Unstated => amount.value,
        };
        let difference = amount.value.abs() - value.value.abs();
        let tolerance = amount.half_unit() + (value.interval.1 - value.interval.0) / Decimal::TWO;
        let (expected, value) = (value.value, value.clone());
        ClaimStatus::Contradicted(Box::new(if amount.per_share {
            Contradiction::PerShare {
                expected,
                actual,
                difference,
                tolerance,
                value,
            }
        } else {
            Contradiction::Amount {
                expected,
                actual,
                difference,
                tolerance,
                value,
            }
        }))
    }

    /// The status of a change, and the table figures it was worked out
    /// from.
    fn check_comparison(
        &self,
        claim: &Claim,
        cmp: &Comparison,
        concept: Option<&str>,
        period: Option<Period>,
    ) -> (ClaimStatus<'a>, Vec<&'v TableValue<'a>>) {
        let mut cells = Vec::new();
        let status = self.compare(claim, cmp, concept, period, &mut cells);
        (status, cells)
    }

    fn compare(
        &self,
        claim: &Claim,
        cmp: &Comparison,
        concept: Option<&str>,
        period: Option<Period>,
        cells: &mut Vec<&'v TableValue<'a>>,
    ) -> ClaimStatus<'a> {
        // A change of a ratio (`improved to 45.2% from 43.4%`) is checked
        // on the stated levels only: the tables print the amounts.
        let ratio = claim.amount.as_ref().is_some_and(|a| a.percent)
            || cmp.base.as_ref().is_some_and(|b| b.percent);
        let concept = concept.filter(|_| !ratio);
        // The current figure: the table's, else the stated amount.
        let current_value = concept.zip(period).and_then(|(c, p)| self.value(c, p));
        let current = current_value
            .map(|v| v.interval)
            .or_else(|| claim.amount.as_ref().map(Amount::interval));
        // The base is relative to the changing claim's own period: `up 23%
        // from the year-ago quarter` after a first-quarter figure.
        let base_period = cmp
            .base_period
            .as_ref()
            .and_then(|p| resolve_in(p, self.calendar, self.anchor.as_ref(), period.as_ref()));
        if base_period.is_some() && base_period == period {
            return ClaimStatus::Unverifiable("the base period is the claim's own period".into());
        }
        let base_value = concept.zip(base_period).and_then(|(c, p)| self.value(c, p));
        cells.extend(current_value.into_iter().chain(base_value));
        let base = base_value
            .map(|v| v.interval)
            .or_else(|| cmp.base.as_ref().map(Amount::interval));
        let (Some(current), Some(base)) = (current, base) else {
            let reason = if ratio {
                "a change of a ratio needs both levels stated".to_string()
            } else if concept.is_none() {
                format!("metric unknown: {}", claim.metric)
            } else if current.is_none() {
                "period not in any table".to_string()
            } else {
                "base period not in any table".to_string()
            };
            return ClaimStatus::Unverifiable(reason);
        };
        if base.0 <= Decimal::ZERO {
            return ClaimStatus::Unverifiable("base is zero or negative".into());
        }
        let hundred = Decimal::ONE_HUNDRED;
        let lo = (current.0 / base.1 - Decimal::ONE) * hundred;
        let hi = (current.1 / base.0 - Decimal::ONE) * hundred;
        let mid = ((current.0 + current.1) / (base.0 + base.1) - Decimal::ONE) * hundred;
        // Orient the change the way the words state it.
        let (lo, hi, mid) = match cmp.kind {
            ChangeKind::Increase => (lo, hi, mid),
            ChangeKind::Decrease => (-hi, -lo, -mid),
            ChangeKind::Change if mid < Decimal::ZERO => (-hi, -lo, -mid),
            ChangeKind::Change => (lo, hi, mid),
        };
        let Some(percent) = &cmp.percent else {
            // Only a direction was stated (`increased to 27.9% from 27.5%`).
            return if hi > Decimal::ZERO {
                ClaimStatus::Verified
            } else {
                self.percent_contradiction(
                    cmp,
                    Decimal::ZERO,
                    (lo, hi),
                    mid,
                    current_value,
                    base_value,
                )
            };
        };
        let p = percent.value;
        let unit = Decimal::new(1, percent.decimals);
        let half = crate::check_columns::half_unit(percent.decimals);
        let ok = match cmp.qualifier {
            Qualifier::Exact => meets((p - half, p + half), (lo, hi)),
            Qualifier::Approximately => {
                let t = unit.max(p.abs() * Decimal::new(5, 2));
                meets((p - t, p + t), (lo, hi))
            }
            Qualifier::Nearly => meets((p * Decimal::new(9, 1), p + half), (lo, hi)),
            Qualifier::MoreThan => hi > p,
            Qualifier::LessThan => lo < p,
        };
        if ok {
            ClaimStatus::Verified
        } else {
            self.percent_contradiction(cmp, p, (lo, hi), mid, current_value, base_value)
        }
    }

    fn percent_contradiction(
        &self,
        cmp: &Comparison,
        stated: Decimal,
        range: (Decimal, Decimal),
        mid: Decimal,
        current: Option<&TableValue<'a>>,
        base: Option<&TableValue<'a>>,
    ) -> ClaimStatus<'a> {
        ClaimStatus::Contradicted(Box::new(Contradiction::Percent {
            stated,
            qualifier: cmp.qualifier,
            kind: cmp.kind,
            computed: mid.round_dp(2),
            computed_range: (range.0.round_dp(2), range.1.round_dp(2)),
            current: current.cloned(),
            base: base.cloned(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::PeriodLength;
    use crate::narrative::claim::extract_claims;
    use chrono::NaiveDate;

    fn quarter(y: i32, m: u32) -> Period {
        let end = NaiveDate::from_ymd_opt(y, m, 1)
            .unwrap()
            .checked_add_months(chrono::Months::new(1))
            .unwrap()
            .pred_opt()
            .unwrap();
        let start = NaiveDate::from_ymd_opt(y, m, 1)
            .unwrap()
            .checked_sub_months(chrono::Months::new(2))
            .unwrap();
        Period::Duration {
            start,
            end,
            length: PeriodLength::Months(3),
        }
    }

    fn tv(
        concept: &str,
        period: Period,
        printed: &'static str,
        scale: Scale,
    ) -> TableValue<'static> {
        let d: Decimal = printed.parse().unwrap();
        let decimals = printed.split_once('.').map_or(0, |(_, f)| f.len() as u32);
        TableValue::from_printed(
            concept,
            period,
            d,
            decimals,
            scale,
            Span::default(),
            printed,
        )
    }

    fn concepts(metric: &str) -> Option<Name> {
        let c = match metric {
            "revenue" | "revenues" | "net sales" => "revenue",
            "net loss" | "net income" => "net_income",
            m if m.contains("per share") => "eps_basic",
            _ => return None,
        };
        Some(Name::Borrowed(c))
    }

    /// Two quarters of a fictional company: 2012 Q2 (current) and 2012 Q1.
    fn book() -> (Vec<TableValue<'static>>, Vec<Period>) {
        let (q2, q1) = (quarter(2012, 6), quarter(2012, 3));
        let t = Scale::Thousands;
        let values = vec![
            tv("revenue", q2, "18412", t),
            tv("revenue", q1, "16230", t),
            tv("net_income", q2, "-2391", t),
            tv("net_income", q1, "-4120", t),
            tv("eps_basic", q2, "-0.05", Scale::Units),
        ];
        (values, vec![q2, q1])
    }

    fn statuses(text: &str) -> Vec<ClaimStatus<'static>> {
        let (values, calendar) = book();
        let claims = extract_claims(text);
        check_claims(&claims, &values, &calendar, &concepts)
            .into_iter()
            .map(|r| r.status)
            .collect()
    }

    #[test]
    fn verified_amounts_signs_and_per_share() {
        let s = statuses(
            "Revenue for the second quarter of 2012 was $18.4 million. Net loss for the second \
             quarter of 2012 was $2.4 million or $0.05 per share.",
        );
        assert_eq!(s, vec![ClaimStatus::Verified; 3]);
    }

    #[test]
    fn wrong_sign_is_a_sign_contradiction() {
        let s = statuses("Net income for the second quarter of 2012 was $2.4 million.");
        assert!(matches!(
            s[0].contradiction(),
            Some(Contradiction::Sign {
                stated: ClaimSign::Positive,
                ..
            })
        ));
    }

    #[test]
    fn another_periods_figure_is_a_period_contradiction() {
        let s = statuses("Revenue for the second quarter of 2012 was $16.2 million.");
        let Some(Contradiction::Period { matched, .. }) = s[0].contradiction() else {
            panic!("{s:?}");
        };
        assert_eq!(matched.period, quarter(2012, 3));
    }

    #[test]
    fn wrong_amount_carries_the_difference() {
        let s = statuses("Revenue for the second quarter of 2012 was $18.9 million.");
        let Some(Contradiction::Amount {
            expected,
            difference,
            ..
        }) = s[0].contradiction()
        else {
            panic!("{s:?}");
        };
        assert_eq!(*expected, "18412000".parse().unwrap());
        assert_eq!(*difference, "488000".parse().unwrap());
        let s = statuses(
            "Net loss for the second quarter of 2012 was $2.4 million or $0.07 per share.",
        );
        assert!(matches!(
            s[1].contradiction(),
            Some(Contradiction::PerShare { .. })
        ));
    }

    #[test]
    fn percent_changes_honour_qualifiers() {
        // 18,412 / 16,230 - 1 = 13.4%.
        let ok = [
            "Revenue for the second quarter of 2012 increased 13% over the first quarter of 2012.",
            "Revenue for the second quarter of 2012 increased by more than 12% over last quarter.",
            "Revenue for the second quarter of 2012 increased approximately 14% over last quarter.",
        ];
        for t in ok {
            let s = statuses(t);
            assert_eq!(s, vec![ClaimStatus::Verified], "{t}");
        }
        let bad = [
            "Revenue for the second quarter of 2012 increased 15% over the first quarter of 2012.",
            "Revenue for the second quarter of 2012 increased by more than 14% over last quarter.",
            "Revenue for the second quarter of 2012 decreased 13% from last quarter.",
        ];
        for t in bad {
            let s = statuses(t);
            assert!(
                matches!(s[0].contradiction(), Some(Contradiction::Percent { .. })),
                "{t}: {s:?}"
            );
        }
    }

    #[test]
    fn unverifiable_reasons() {
        let s = statuses(
            "Revenue for the quarter ended December 31, 2011 was $15.0 million. Gizmo units \
             rose 30% over last quarter.",
        );
        assert_eq!(
            s,
            vec![
                ClaimStatus::Unverifiable("period not in any table".into()),
                ClaimStatus::Unverifiable("metric unknown: gizmo units".into()),
            ]
        );
    }

    #[test]
    fn percent_from_stated_amounts_when_base_is_untabled() {
        let s = statuses(
            "Net sales for the quarter ended June 30, 2012, were $18.4 million, an increase of 3% \
             from net sales of $17.9 million for the quarter ended March 31, 2011.",
        );
        // Amount verified, change computed from 18.4 / 17.9 (2.8%), base unverifiable.
        assert_eq!(s[0], ClaimStatus::Verified);
        assert_eq!(s[1], ClaimStatus::Verified);
        assert_eq!(
            s[2],
            ClaimStatus::Unverifiable("period not in any table".into())
        );
    }
}
