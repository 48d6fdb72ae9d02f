//! Ticking the narrative: claims in paragraphs checked against table facts.
//!
//! The narrative module extracts and checks claims; this module feeds it the
//! exhibit's facts and the concept dictionary, and turns each contradicted
//! claim into a finding labelled on the narrative span AND the table cell.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::ast::{Exhibit, Period};
use crate::facts::{Fact, format_amount};
use crate::finding::{Finding, Label, Severity};
use crate::narrative::check::{
    Aspect, ClaimResult, ClaimStatus, Contradiction, Name, TableValue, ValueIndex, ValueName,
    check_claims_in,
};
use crate::narrative::claim::{Claim, ParagraphReading, read_parsed_paragraph};
use crate::narrative::period::{
    PeriodHit, PeriodPhrase, anchor_of, find_periods, fiscal_year_evident, quarter_end_statement,
    resolve, stated_fiscal_year,
};
use crate::rules::{ConceptId, RuleKind, RulePack};
use crate::span::Span;

/// One claim as a reviewer sees it in `tieout check --claims`.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimReport {
    pub span: Span,
    pub metric: String,
    pub concept: Option<String>,
    pub period: Option<String>,
    /// The stated amount as written in the text.
    pub amount: Option<String>,
    /// `verified`, `contradicted` or `unverifiable`.
    pub status: &'static str,
    /// Why a claim is unverifiable, or which rule it contradicts.
    pub detail: Option<String>,
    /// For a verified claim, the table figures it was ticked against.
    pub ticked: Vec<Label>,
}

/// Findings and the claim list of one exhibit.
pub struct NarrativeOutput {
    pub findings: Vec<Finding>,
    pub claims: Vec<ClaimReport>,
}

/// Checks every paragraph's claims against `facts`. With `lean`, a claim
/// that makes no finding is reported by its status and spans only (see
/// [`crate::check::CheckOptions::lean_claims`]).
pub fn check_narrative(
    ex: &Exhibit,
    facts: &[Fact],
    pack: &RulePack,
    source: &[u8],
    lean: bool,
) -> NarrativeOutput {
    // The entity's values: at most one per fact, and the diluted copies of
    // a few per-share ones (sized once: a value is a hundred bytes, and
    // growing the vector copied them over and over).
    let mut values: Vec<TableValue> = Vec::with_capacity(facts.len() + 8);
    values.extend(
        facts
            .iter()
            .filter(|f| f.member.is_none())
            .filter_map(table_value),
    );
    // Rows the dictionary does not name (product lines, segments printed as
    // rows) can still be ticked by their own label: `SLMS` in a revenue by
    // product line table for "our SLMS business".
    let row_labels: Vec<&str> = facts
        .iter()
        .filter(|f| {
            f.member.is_none()
                && f.concept.is_none()
                && f.unit == crate::rules::Unit::Money
                && !f.label.is_empty()
        })
        .map(|f| f.label)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut last_row: Option<(&str, Arc<str>)> = None;
    // A row's name is put together here, then copied once into its shared
    // string.
    let mut buf = String::new();
    values.extend(
        facts
            .iter()
            .filter(|f| {
                f.member.is_none() && f.concept.is_none() && f.unit == crate::rules::Unit::Money
            })
            .map(|f| TableValue {
                // One name per row (a row's facts share their label).
                concept: ValueName::Row(match &last_row {
                    // The same normalized label (a row's facts share it).
                    Some((label, name)) if std::ptr::eq(*label, f.label) => name.clone(),
                    _ => {
                        // Without the formatting machinery (once per row).
                        buf.clear();
                        buf.push_str("row:");
                        buf.push_str(f.label);
                        let name: Arc<str> = Arc::from(buf.as_str());
                        last_row = Some((f.label, name.clone()));
                        name
                    }
                }),
                period: f.period,
                value: f.value,
                interval: (f.interval.lo, f.interval.hi),
                span: f.span,
                row_label: f.row_label,
                shown: f.printed,
            }),
    );
    // A `Basic and diluted` per-share row is the diluted figure too.
    let has_diluted: std::collections::BTreeSet<Period> = values
        .iter()
        .filter(|d| &*d.concept == "eps_diluted")
        .map(|d| d.period)
        .collect();
    // Interned once per process (the interner takes a lock).
    static EPS_DILUTED: std::sync::OnceLock<ConceptId> = std::sync::OnceLock::new();
    let eps_diluted = *EPS_DILUTED.get_or_init(|| ConceptId::from("eps_diluted"));
    let diluted: Vec<TableValue> = values
        .iter()
        .filter(|v| {
            &*v.concept == "eps_basic" && v.row_label.to_ascii_lowercase().contains("diluted")
        })
        .filter(|v| !has_diluted.contains(&v.period))
        .map(|v| TableValue {
            concept: ValueName::Concept(eps_diluted),
            ..v.clone()
        })
        .collect();
    values.extend(diluted);
    // Durations, and the balance sheet's dates for the fiscal year end.
    let mut calendar = distinct_periods(facts);
    // "its fiscal first quarter ended December 31, 2022" in the lead says
    // when the fiscal year runs when the tables do not (when they do, the
    // lead is not searched: the statement would add nothing).
    if !fiscal_year_evident(&calendar)
        && let Some(year) = ex
            .lead_paragraphs()
            .find_map(|p| quarter_end_statement(&p.text))
            .and_then(|(n, end)| stated_fiscal_year(&calendar, n, end))
    {
        calendar.push(year);
        calendar.sort();
    }
    let dict = pack.concepts();
    let concept_of = |metric: &str| {
        dict.match_narrative(metric)
            .map(|c| Name::Borrowed(c.as_str()))
            .or_else(|| row_of(metric, &row_labels).map(|l| Name::Owned(format!("row:{l}"))))
    };
    let rule = |id: &str| pack.get(id).filter(|r| r.kind == RuleKind::Narrative);
    let mut out = NarrativeOutput {
        findings: Vec::new(),
        claims: Vec::new(),
    };
    // Segment names printed over table columns (`Domestic`, `Sears
    // Canada`). A paragraph under a heading naming one, or naming one
    // itself, is about that segment: its figures are the segment's.
    let mut members: Vec<String> = ex
        .tables()
        .flat_map(|t| t.columns.iter().filter_map(|c| c.member.clone()))
        .filter(|m| m.chars().next().is_some_and(char::is_uppercase))
        .collect();
    members.sort();
    members.dedup();
    // Each segment's values, gathered and indexed once, when a paragraph
    // first speaks of the segment (most never do).
    let segment_values: Vec<std::cell::OnceCell<Vec<TableValue>>> =
        members.iter().map(|_| std::cell::OnceCell::new()).collect();
    let segment_index: Vec<std::cell::OnceCell<ValueIndex>> =
        members.iter().map(|_| std::cell::OnceCell::new()).collect();
    let index_of_segment = |k: usize| {
        segment_index[k].get_or_init(|| {
            ValueIndex::new(segment_values[k].get_or_init(|| {
                facts
                    .iter()
                    .filter(|f| {
                        f.member
                            .is_some_and(|x| x.eq_ignore_ascii_case(&members[k]))
                    })
                    .filter_map(table_value)
                    .collect()
            }))
        })
    };
    let entity_index = ValueIndex::new(&values);
    let lead = lead_period(ex, &calendar);
    let mut section: Option<usize> = None;
    for p in ex.paragraphs() {
        if is_heading(&p.text) {
            section = members
                .iter()
                .position(|m| p.text.trim().eq_ignore_ascii_case(m));
            continue;
        }
        let ParagraphReading {
            mut claims,
            sentences: sents,
            periods: hits,
        } = read_parsed_paragraph(p);
        if claims.is_empty() {
            continue;
        }
        inherit_periods(&sents, &hits, &mut claims, lead.as_ref(), &calendar);
        let segment = members.iter().position(|m| names(&p.text, m)).or(section);
        let entity = check_claims_in(&claims, &entity_index, &calendar, &concept_of, !lean);
        let results = match segment {
            None => entity,
            Some(k) => {
                let m = &members[k];
                let seg =
                    check_claims_in(&claims, index_of_segment(k), &calendar, &concept_of, !lean);
                seg.into_iter()
                    .zip(entity)
                    .map(|(s, e)| segment_result(s, e, m))
                    .collect()
            }
        };
        for r in &results {
            let claim = &claims[r.claim];
            let range = match (r.aspect, &claim.comparison, &claim.amount) {
                (Aspect::Comparison, Some(c), _) => c.range,
                (_, _, Some(a)) => a.range,
                _ => claim.metric_range,
            };
            let span = p.source_span(range.0, range.1);
            // A verified claim ticks its figures (their text is empty when
            // `lean`: `check_claims_in` wrote none).
            let ticked = |status: &str| -> Vec<Label> {
                if status == "verified" {
                    r.ticked
                        .iter()
                        .map(|(s, t)| Label::new(*s, t.clone()))
                        .collect()
                } else {
                    Vec::new()
                }
            };
            if lean && !matches!(r.status, ClaimStatus::Contradicted(_)) {
                // Counted by status, and its ticked figures tied: nothing
                // else of it is read. The status is the one below: verified
                // only with a period.
                let status = match r.status {
                    ClaimStatus::Verified if claim.period.is_some() => "verified",
                    _ => "unverifiable",
                };
                out.claims.push(ClaimReport {
                    span,
                    metric: String::new(),
                    concept: None,
                    period: None,
                    amount: None,
                    status,
                    detail: None,
                    ticked: ticked(status),
                });
                continue;
            }
            // As printed, a line break inside it read as a space.
            let stated = crate::parse::source::slice_text(source, span.offset, span.slice(source))
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let mut doubt = match &r.status {
                ClaimStatus::Contradicted(c) => doubt(c, claim),
                _ => None,
            };
            // The amount is a segment's figure for the same concept and period.
            if doubt.is_none()
                && let (ClaimStatus::Contradicted(_), Some(a), Some(concept), Some(period)) =
                    (&r.status, &claim.amount, &r.concept, r.period)
                && let Some(seg) = facts.iter().find(|f| {
                    f.member.is_some()
                        && f.period == period
                        && f.concept.as_ref().is_some_and(|c| c.as_str() == concept)
                        && f.interval
                            .abs()
                            .intersects(crate::rules::Interval::new(a.interval().0, a.interval().1))
                })
            {
                doubt = Some(format!(
                    "the amount is the {} segment's figure",
                    seg.member.unwrap_or_default()
                ));
            }
            let (status, detail) = match &r.status {
                // Without a period, a match is as uncertain as a mismatch.
                ClaimStatus::Verified if claim.period.is_none() => {
                    ("unverifiable", Some(NO_PERIOD.to_string()))
                }
                ClaimStatus::Verified if r.ticked.is_empty() => (
                    "verified",
                    Some(
                        "checked against the figures the sentence itself states; no table \
                         prints them"
                            .to_string(),
                    ),
                ),
                ClaimStatus::Verified => ("verified", None),
                ClaimStatus::Unverifiable(why) => ("unverifiable", Some(why.clone())),
                ClaimStatus::Contradicted(_) if doubt.is_some() => ("unverifiable", doubt),
                ClaimStatus::Contradicted(c) => {
                    let (id, message, cells) = describe(c, &claim.metric, &stated);
                    if let Some(rule) = rule(id) {
                        let mut labels = vec![Label::new(span, format!("stated: {stated}"))];
                        labels.extend(cells.into_iter().map(|(s, t)| Label::new(s, t)));
                        out.findings.push(Finding {
                            rule: rule.id.clone(),
                            severity: rule.severity,
                            message: format!("{}: {message}", rule.title),
                            help: Some(rule.help.clone()),
                            url: rule.url(),
                            labels,
                            acknowledged: false,
                            difference: None,
                            elsewhere: Vec::new(),
                        });
                    }
                    ("contradicted", Some(id.to_string()))
                }
            };
            out.claims.push(ClaimReport {
                span,
                metric: claim.metric.clone(),
                concept: r.concept.as_deref().map(str::to_string),
                period: r.period.map(|p| p.to_string()),
                amount: Some(stated),
                status,
                detail,
                ticked: ticked(status),
            });
        }
    }
    out
}

fn table_value<'a>(f: &Fact<'a>) -> Option<TableValue<'a>> {
    Some(TableValue {
        concept: ValueName::Concept(f.concept?),
        period: f.period,
        value: f.value,
        interval: (f.interval.lo, f.interval.hi),
        span: f.span,
        row_label: f.row_label,
        shown: f.printed,
    })
}

/// The distinct periods of `facts`, in order.
fn distinct_periods(facts: &[Fact]) -> Vec<Period> {
    let mut all = crate::check::fewer_repeats(facts.iter().map(|f| f.period));
    all.sort();
    all.dedup();
    all
}

/// The row label a metric phrase names: the phrase itself, or the phrase
/// without a trailing generic word (`slms business`, `optical products`).
/// Only labels of one or more whole words that are not generic qualify.
/// `labels` is sorted.
fn row_of<'a>(metric: &str, labels: &[&'a str]) -> Option<&'a str> {
    const GENERIC: [&str; 10] = [
        "business",
        "businesses",
        "segment",
        "products",
        "product",
        "product line",
        "product family",
        "sales",
        "revenue",
        "revenues",
    ];
    let metric = crate::rules::concepts::normalize_label(metric);
    let mut candidates = vec![metric.clone()];
    for g in GENERIC {
        if let Some(stem) = metric.strip_suffix(g) {
            candidates.push(stem.trim_end().to_string());
        }
    }
    candidates
        .iter()
        .filter(|c| !c.is_empty() && !GENERIC.contains(&c.as_str()))
        .find_map(|c| labels.binary_search(&c.as_str()).ok().map(|i| labels[i]))
}

/// A section heading: a short line of words, no figures, no sentence.
fn is_heading(text: &str) -> bool {
    let t = text.trim();
    // The test of the last character first: most paragraphs end a sentence.
    !t.is_empty()
        && !t.ends_with(['.', ';', ':', ','])
        // Six words at most, found without counting a long paragraph's.
        && t.split_whitespace().nth(6).is_none()
        && !t
            .bytes()
            .any(|b| b.is_ascii_digit() || b == b'$' || b == b'%')
}

/// True when `text` names `member` as whole words, capitalised as printed.
fn names(text: &str, member: &str) -> bool {
    text.match_indices(member).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + member.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A segment paragraph's result: the segment's figure first, then the
/// company's (a segment paragraph may restate a consolidated figure).
/// Contradicted by both, or by the company's where the segment has no
/// figure, it is unverifiable: the sentence may be about a business inside
/// the segment.
fn segment_result<'a>(
    seg: ClaimResult<'a>,
    entity: ClaimResult<'a>,
    member: &str,
) -> ClaimResult<'a> {
    match (&seg.status, &entity.status) {
        (ClaimStatus::Verified, _) => seg,
        (_, ClaimStatus::Verified) => entity,
        (ClaimStatus::Contradicted(_), _) | (_, ClaimStatus::Contradicted(_)) => ClaimResult {
            status: ClaimStatus::Unverifiable(format!(
                "the paragraph is about the {member} segment and the figure matches neither \
                 the segment's nor the company's; it may be a business within the segment"
            )),
            ..seg
        },
        _ => seg,
    }
}

/// The period the release reports, as its lead states it (`results for its
/// fiscal first quarter ended December 31, 2022`): the first period phrase
/// before the first table that a table prints.
fn lead_period(ex: &Exhibit, calendar: &[Period]) -> Option<PeriodPhrase> {
    let anchor = anchor_of(calendar);
    ex.lead_paragraphs()
        .flat_map(|p| find_periods(&p.text))
        .map(|h| h.phrase)
        .find(|ph| !ph.is_contextual() && resolve(ph, calendar, anchor.as_ref()).is_some())
}

/// A sentence that states no period (`Net loss was $3.2 million.`, a
/// highlight bullet) is about the period of the sentence before it in its
/// paragraph (the first one stated there), else the release's lead period.
/// A claim left without a period is not checked (see [`doubt`]).
fn inherit_periods(
    sents: &[(usize, usize)],
    hits: &[PeriodHit],
    claims: &mut [Claim],
    lead: Option<&PeriodPhrase>,
    calendar: &[Period],
) {
    let anchor = anchor_of(calendar);
    // `hits` are in order of position: the loop below only looks them up.
    let within = |(a, b): (usize, usize)| {
        let from = hits.partition_point(|h| h.range.0 < a);
        hits[from..]
            .iter()
            .take_while(move |h| h.range.0 < b)
            .filter(move |h| h.range.1 <= b)
    };
    // The claims of each sentence: claims come sentence by sentence, so
    // each sentence's are one run of indices.
    let mut runs: rustc_hash::FxHashMap<(usize, usize), (usize, usize)> =
        rustc_hash::FxHashMap::default();
    for (k, c) in claims.iter().enumerate() {
        runs.entry(c.sentence_range)
            .and_modify(|r| r.1 = k + 1)
            .or_insert((k, k + 1));
    }
    let run = |s: (usize, usize)| runs.get(&s).map_or(0..0, |&(x, y)| x..y);
    for k in 0..claims.len() {
        if claims[k].period.is_some() {
            continue;
        }
        // A sentence that names a period somewhere (`revenue of $15.68
        // billion and net profit of $3.38 billion ... in the year-ago
        // quarter`) is about that one, even where the claim did not take it.
        // The base period of a change (`up 9% from $27.6 million in the
        // prior quarter`, `up 23% year over year`) is not the sentence's.
        let (a, b) = claims[k].sentence_range;
        // Nor is the period of its compared side (`compared with $195
        // million in the second quarter of 2025`).
        let bases: Vec<(usize, usize)> = claims[run((a, b))]
            .iter()
            .filter(|c| c.sentence_range == (a, b))
            .flat_map(|c| {
                let base = c.comparison.as_ref().and_then(|m| m.base_period_range);
                let compared = c.period_range.filter(|_| c.compared);
                base.into_iter().chain(compared)
            })
            .collect();
        let others: Vec<PeriodPhrase> = within((a, b))
            .filter(|h| {
                let (x, y) = h.range;
                !bases.iter().any(|&(p, q)| p < y && x < q)
            })
            .map(|h| h.phrase.clone())
            // `sequential`, `a year ago`: relative to a period, not one.
            .filter(|p| !p.is_contextual())
            .collect();
        let start = claims[k].sentence_range.0;
        // An earlier sentence with no claim can state the period too
        // (`... reported its results for the quarter ended December 31,
        // 2022. Net loss for the period was $589 million`).
        let before = sents.partition_point(|s| s.1 <= start);
        let stated = sents[..before].iter().copied().rev().find_map(|s| {
            // A sentence with claims gives its first claim's period; if
            // none of them has one, the period is not known.
            let own_run = run(s);
            let mut own = claims[own_run.start.min(k)..own_run.end.min(k)]
                .iter()
                .filter(|c| c.sentence_range == s)
                .peekable();
            if own.peek().is_some() {
                return Some(own.find_map(|c| c.period.clone().filter(|p| !p.is_contextual())));
            }
            within(s)
                .map(|h| h.phrase.clone())
                .find(|p| !p.is_contextual())
                .map(Some)
        });
        let inherited = match stated {
            Some(stated) => stated,
            None => lead.cloned(),
        };
        // Another period the sentence names is taken to be the claim's
        // unless it is the one inherited (`... over Q4 2005, as well as ...
        // during the first quarter 2006` in a first-quarter 2006 release).
        let resolved = |p: &PeriodPhrase| resolve(p, calendar, anchor.as_ref());
        let agrees = inherited.as_ref().is_some_and(|i| {
            let i = resolved(i);
            i.is_some() && others.iter().all(|o| resolved(o) == i)
        });
        if others.is_empty() || agrees {
            claims[k].period = inherited;
        }
    }
}

const NO_PERIOD: &str = "the sentence states no period for this figure";

/// Why a contradiction is not trustworthy enough to report: a false error
/// costs a reviewer's trust more than a missed one, so these become
/// unverifiable claims with the reason. Each case is documented in
/// docs/narrative.md.
fn doubt(c: &Contradiction, claim: &Claim) -> Option<String> {
    match c {
        // `last year` after a quarter is the year-ago quarter, but it may
        // also mean the prior fiscal year; `in 2024` the same.
        Contradiction::Period { matched, .. }
            if claim
                .period
                .as_ref()
                .is_some_and(PeriodPhrase::is_contextual) =>
        {
            Some(format!(
                "the relative period phrase may also mean {}, whose figure it is",
                matched.period
            ))
        }
        Contradiction::Period { .. }
        | Contradiction::Amount { .. }
        | Contradiction::PerShare { .. }
            if claim.period.is_none() =>
        {
            Some(NO_PERIOD.to_string())
        }
        _ => None,
    }
}

/// The unverifiable claims as notes (for `--claims`).
pub fn unverifiable_notes(claims: &[ClaimReport], pack: &RulePack) -> Vec<Finding> {
    let Some(rule) = pack.get("narrative-unverifiable") else {
        return Vec::new();
    };
    claims
        .iter()
        .filter(|c| c.status == "unverifiable")
        .map(|c| Finding {
            rule: rule.id.clone(),
            severity: Severity::Note.min(rule.severity),
            message: format!(
                "{}: \"{}\" ({}) could not be tied to a table: {}",
                rule.title,
                c.amount.clone().unwrap_or_default(),
                c.metric,
                c.detail.clone().unwrap_or_default()
            ),
            help: Some(rule.help.clone()),
            url: rule.url(),
            labels: vec![Label::new(c.span, "not in any table")],
            acknowledged: false,
            difference: None,
            elsewhere: Vec::new(),
        })
        .collect()
}

fn money(v: Decimal) -> String {
    format_amount(v.round_dp(2).normalize())
}

/// The rule id, message and table labels of a contradiction.
fn describe(
    c: &Contradiction,
    metric: &str,
    stated: &str,
) -> (&'static str, String, Vec<(Span, String)>) {
    match c {
        Contradiction::Amount {
            expected,
            actual,
            difference,
            tolerance,
            value,
        } => (
            "narrative-amount-mismatch",
            format!(
                "the text states {metric} of {stated} ({}) but the table shows {}; difference {} (stated precision allows {})",
                money(*actual),
                money(*expected),
                money(*difference),
                money(*tolerance)
            ),
            vec![(value.span, format!("table: {}", value.text()))],
        ),
        Contradiction::PerShare {
            expected,
            actual,
            difference,
            tolerance,
            value,
        } => (
            "narrative-per-share-mismatch",
            format!(
                "the text states {metric}: {stated} ({}), but the table shows {}; difference {} (stated precision allows {})",
                actual.round_dp(2).normalize(),
                money(*expected),
                money(*difference),
                money(*tolerance)
            ),
            vec![(value.span, format!("table: {}", value.text()))],
        ),
        Contradiction::Sign {
            stated: sign,
            value,
        } => (
            "narrative-sign-mismatch",
            format!(
                "the text calls {stated} a {} ({metric}) but the table shows {}",
                match sign {
                    crate::narrative::claim::ClaimSign::Negative => "loss or decrease",
                    _ => "positive figure",
                },
                money(value.value)
            ),
            vec![(value.span, format!("table: {}", value.text()))],
        ),
        Contradiction::Percent {
            stated: pct,
            computed,
            computed_range,
            current,
            base,
            ..
        } => {
            let mut cells = Vec::new();
            if let Some(v) = current {
                cells.push((v.span, format!("current: {}", v.text())));
            }
            if let Some(v) = base {
                cells.push((v.span, format!("base: {}", v.text())));
            }
            (
                "narrative-percent-mismatch",
                format!(
                    "the text states a change of {pct}% ({stated}) but the figures give {}% (rounding allows {}% to {}%)",
                    computed.round_dp(1),
                    computed_range.0.round_dp(1),
                    computed_range.1.round_dp(1)
                ),
                cells,
            )
        }
        Contradiction::Period {
            stated_period,
            expected,
            matched,
        } => (
            "narrative-period-mismatch",
            format!(
                "the text attributes {stated} to {stated_period}, where the table shows {}; it is the figure for {}",
                expected.text(),
                matched.period
            ),
            vec![
                (
                    expected.span,
                    format!("{stated_period}: {}", expected.text()),
                ),
                (
                    matched.span,
                    format!("{}: {}", matched.period, matched.text()),
                ),
            ],
        ),
    }
}
