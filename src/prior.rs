//! Prior-release consistency: a release's comparative figures against the
//! figures an earlier release printed for the same periods.
//!
//! A [`PriorIndex`] holds the figures of earlier releases, keyed by company,
//! what the figure is (its concept, or for rows the dictionary does not
//! name, its table's title and its row label), period and segment. It is
//! built before the check ([`PriorIndex::add_release`], one release at a
//! time, from any number of threads, then [`PriorIndex::merge`]d), and the
//! check of each release looks its figures up in it
//! ([`compare`], through [`crate::check::CheckOptions::prior`]).
//!
//! Two ways to fill it:
//!
//! - **Named earlier releases** (`tieout check --prior EARLIER CURRENT`):
//!   every figure an earlier release printed, current period or comparative,
//!   under no company: the user paired the files.
//! - **A sweep** (`--pair`): each release's figures for its own (latest)
//!   period, under each name the release gives its company
//!   ([`company_keys`]). A release then meets only the figures that the
//!   release of the comparative period printed first, and only releases whose
//!   latest period ends before its own.
//!
//! What is never compared, because it cannot be told: a figure the earlier
//! release printed twice with two amounts (two tables with a row of the
//! same name), the same for the current release, and a figure two earlier
//! releases of one period print differently. A figure whose sign alone
//! differs is a presentation change (a cost printed in parentheses), not a
//! different amount.
//!
//! A difference is a warning (`prior-release-mismatch`) with a label on the
//! current figure and one in the earlier file; in a column (or table) marked
//! as restated, recast, revised or reclassified it is a note
//! (`prior-release-restated`) naming both figures.

use std::collections::hash_map::Entry;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::ast::{Document, Period, Table};
use crate::facts::{Fact, format_amount};
use crate::finding::{Elsewhere, Finding, Label, Tick};
use crate::rules::{ConceptDictionary, Interval, Rule, RuleKind, RulePack};
use crate::span::Span;

/// What a figure is, the same in every release of a company.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum What {
    Concept(Arc<str>),
    /// A row the dictionary does not name: its table's title and its
    /// label, normalized.
    Row(Arc<str>),
}

/// A figure's identity within one release: what, when, which segment.
type Within<'a> = (What, Period, Option<&'a str>);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    company: Option<Arc<str>>,
    what: What,
    period: Period,
    member: Option<Arc<str>>,
}

/// A figure an earlier release printed.
#[derive(Clone, Debug)]
struct Published {
    path: Arc<str>,
    span: Span,
    row_label: Arc<str>,
    printed: Decimal,
    value: Decimal,
    interval: Interval,
    /// The end of the latest period that release reports.
    latest: NaiveDate,
}

#[derive(Clone, Debug)]
enum Slot {
    One(Published),
    /// Printed with amounts that disagree: not compared.
    Ambiguous,
}

/// The figures of earlier releases; see the module documentation.
#[derive(Debug, Default)]
pub struct PriorIndex {
    map: FxHashMap<Key, Slot>,
    /// Built from a sweep: only figures of releases whose latest period
    /// ends before the checked release's are compared.
    sweep: bool,
}

/// How the checked release meets the index.
#[derive(Clone, Copy, Debug)]
pub struct Prior<'a> {
    pub index: &'a PriorIndex,
    /// The checked file, as reports name it (an index entry from the same
    /// file is never compared with itself).
    pub path: &'a str,
    /// The checked release's company names ([`company_keys`], or a mapping
    /// file's); ignored for an index of named earlier releases.
    pub companies: &'a [Arc<str>],
}

/// Whether two printed figures may be the same amount: their intervals
/// meet, or meet with one sign flipped (a presentation change).
fn agree(a: Interval, b: Interval) -> bool {
    a.intersects(b) || a.intersects(b.neg())
}

/// The key words of a figure: its concept, or its table and label; `None`
/// for a label too bare to name a figure across releases (`Total`,
/// `Other`).
fn what(fact: &Fact, tables: &[&Table]) -> Option<What> {
    // A schedule's opening and closing rows are named by their role, not
    // by what they measure: two schedules' closing balances are different
    // figures, so they are keyed by table and label like unnamed rows.
    if let Some(c) = &fact.concept
        && !crate::check_schedules::is_role_concept(c.as_str())
    {
        return Some(What::Concept(Arc::from(c.as_str())));
    }
    let label = fact.label.trim();
    let words = label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "total")
        .count();
    if words < 2 {
        return None;
    }
    let title = tables
        .get(fact.table)
        .map(|t| crate::rules::concepts::normalize_label(&t.title_text()))
        .unwrap_or_default();
    Some(What::Row(Arc::from(format!("{title}\u{1f}{label}"))))
}

/// The end of the latest period any figure of the document reports.
pub fn latest_period(facts: &[Fact]) -> Option<NaiveDate> {
    facts.iter().map(|f| f.period.end()).max()
}

impl PriorIndex {
    /// An empty index for the named earlier releases of `--prior`.
    pub fn named() -> PriorIndex {
        PriorIndex::default()
    }

    /// An empty index for a sweep's releases, paired by company.
    pub fn sweep() -> PriorIndex {
        PriorIndex {
            map: FxHashMap::default(),
            sweep: true,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The number of figures held (ambiguous ones included).
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Adds one release's figures: every figure for a named earlier release,
    /// the figures of its latest period under each company name for a
    /// sweep. Returns how many figures were added.
    pub fn add_release(
        &mut self,
        path: &str,
        doc: &Document,
        dict: &ConceptDictionary,
        companies: &[Arc<str>],
    ) -> usize {
        if self.sweep && companies.is_empty() {
            return 0;
        }
        let path: Arc<str> = Arc::from(path);
        let readings: Vec<crate::facts::RowReadings> = doc
            .exhibits
            .iter()
            .map(|ex| crate::facts::read_rows(ex, dict))
            .collect();
        let per_exhibit: Vec<(Vec<&Table>, Vec<Fact<'_>>)> = doc
            .exhibits
            .iter()
            .zip(&readings)
            .map(|(ex, rows)| {
                (
                    ex.tables().collect(),
                    crate::facts::facts_of(ex, rows, dict),
                )
            })
            .collect();
        let Some(latest) = per_exhibit
            .iter()
            .filter_map(|(_, f)| latest_period(f))
            .max()
        else {
            return 0;
        };
        // The release's own figures first: a key printed with two amounts
        // is ambiguous within it.
        let mut own: FxHashMap<Within, Slot> = FxHashMap::default();
        for (tables, facts) in &per_exhibit {
            for f in facts {
                if self.sweep && f.period.end() != latest {
                    continue;
                }
                let Some(what) = what(f, tables) else {
                    continue;
                };
                let p = Published {
                    path: path.clone(),
                    span: f.span,
                    row_label: f.row_label.clone(),
                    printed: f.printed,
                    value: f.value,
                    interval: f.interval,
                    latest,
                };
                let member = f.member;
                match own.entry((what, f.period, member)) {
                    Entry::Vacant(v) => {
                        v.insert(Slot::One(p));
                    }
                    Entry::Occupied(mut o) => {
                        if let Slot::One(q) = o.get()
                            && !agree(q.interval, p.interval)
                        {
                            o.insert(Slot::Ambiguous);
                        }
                    }
                }
            }
        }
        let added = own.len();
        let names: Vec<Option<Arc<str>>> = if self.sweep {
            companies.iter().cloned().map(Some).collect()
        } else {
            vec![None]
        };
        for ((what, period, member), slot) in own {
            // The index's keys own their member (they outlive the release).
            let member: Option<Arc<str>> = member.map(Arc::from);
            for company in &names {
                let key = Key {
                    company: company.clone(),
                    what: what.clone(),
                    period,
                    member: member.clone(),
                };
                insert(&mut self.map, key, slot.clone());
            }
        }
        added
    }

    /// Adds every figure of `other` (an index built by another thread).
    pub fn merge(&mut self, other: PriorIndex) {
        for (key, slot) in other.map {
            insert(&mut self.map, key, slot);
        }
    }
}

/// Inserts a figure; two releases printing one figure keep the first by
/// path when they agree (so the result does not depend on the order
/// releases were read in) and neither when they do not.
fn insert(map: &mut FxHashMap<Key, Slot>, key: Key, slot: Slot) {
    match map.entry(key) {
        Entry::Vacant(v) => {
            v.insert(slot);
        }
        Entry::Occupied(mut o) => {
            let merged = match (o.get(), slot) {
                (Slot::One(a), Slot::One(b)) if a.path == b.path => Slot::One(a.clone()),
                (Slot::One(a), Slot::One(b)) if agree(a.interval, b.interval) => {
                    Slot::One(if b.path < a.path { b } else { a.clone() })
                }
                _ => Slot::Ambiguous,
            };
            o.insert(merged);
        }
    }
}

/// Words by which a column, a table title or a footnote says its figures
/// were changed since first published.
fn says_restated(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "restated",
        "restatement",
        "recast",
        "as adjusted",
        "as revised",
        "revised",
        "reclassified",
        "retrospectively adjusted",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// Whether the fact's column, table title or table footnotes mark its
/// figures as restated.
fn marked_restated(fact: &Fact, tables: &[&Table]) -> bool {
    let Some(t) = tables.get(fact.table) else {
        return false;
    };
    let column = t.columns.get(fact.col);
    column.is_some_and(|c| {
        c.annotations.iter().any(|a| says_restated(a)) || says_restated(&c.header_text())
    }) || t.title.iter().any(|l| says_restated(&l.text))
        || t.footnotes.iter().any(|l| says_restated(&l.text))
}

/// The name reports give a figure's period: `three months ended March 31,
/// 2025` or `March 31, 2025`.
fn period_words(p: Period) -> String {
    p.to_string()
}

/// One exhibit of the checked release: its figures, its tables, and the
/// end of the latest period the whole release reports.
#[derive(Clone, Copy)]
pub struct Exhibit<'a> {
    pub facts: &'a [Fact<'a>],
    pub tables: &'a [&'a Table],
    pub latest: Option<NaiveDate>,
}

/// Compares one exhibit's figures with the index and reports each
/// difference under `mismatch` (unmarked) or `restated` (a marked column).
/// Returns how many figures were compared.
pub fn compare(
    prior: Prior<'_>,
    exhibit: Exhibit<'_>,
    pack: &RulePack,
    findings: &mut Vec<Finding>,
    tied: &mut Vec<Span>,
    mut ticks: Option<&mut Vec<Tick>>,
) -> usize {
    let Exhibit {
        facts,
        tables,
        latest,
    } = exhibit;
    let rule = |kind: RuleKind| -> Option<&Rule> { pack.rules().iter().find(|r| r.kind == kind) };
    let (mismatch, restated) = (rule(RuleKind::PriorRelease), rule(RuleKind::PriorRestated));
    if mismatch.is_none() && restated.is_none() {
        return 0;
    }
    let Some(latest) = latest else {
        return 0;
    };
    let names: Vec<Option<Arc<str>>> = if prior.index.sweep {
        prior.companies.iter().cloned().map(Some).collect()
    } else {
        vec![None]
    };
    // This release's figures grouped by key, in document order.
    let mut groups: Vec<(Within, Vec<&Fact>)> = Vec::new();
    let mut at: FxHashMap<Within, usize> = FxHashMap::default();
    for f in facts {
        let Some(what) = what(f, tables) else {
            continue;
        };
        let key = (what, f.period, f.member);
        match at.entry(key.clone()) {
            Entry::Occupied(o) => groups[*o.get()].1.push(f),
            Entry::Vacant(v) => {
                v.insert(groups.len());
                groups.push((key, vec![f]));
            }
        }
    }
    let mut compared = 0;
    for ((what, period, member), group) in groups {
        // A figure this release prints with two amounts is the cross-table
        // rule's to report, not compared here.
        let first = group[0];
        if group.iter().any(|f| !agree(f.interval, first.interval)) {
            continue;
        }
        // The index's keys own their member (they outlive the release).
        let member: Option<Arc<str>> = member.map(Arc::from);
        let found = names.iter().find_map(|company| {
            let key = Key {
                company: company.clone(),
                what: what.clone(),
                period,
                member: member.clone(),
            };
            match prior.index.map.get(&key)? {
                Slot::One(p) if &*p.path != prior.path => Some(p),
                _ => None,
            }
        });
        let Some(earlier) = found else {
            continue;
        };
        if prior.index.sweep && earlier.latest >= latest {
            continue;
        }
        compared += 1;
        if agree(first.interval, earlier.interval) {
            tied.extend(group.iter().map(|f| f.span));
            if let Some(ticks) = ticks.as_deref_mut() {
                ticks.push(Tick {
                    rule: mismatch
                        .map_or("prior-release-mismatch", |r| &r.id)
                        .to_owned(),
                    text: format!(
                        "{}, {}: {} = {} in {}",
                        first.row_label,
                        period_words(period),
                        format_amount(first.printed),
                        format_amount(earlier.printed),
                        earlier.path
                    ),
                    labels: group.iter().map(|f| Label::new(f.span, f.text())).collect(),
                });
            }
            continue;
        }
        let marked = group.iter().any(|f| marked_restated(f, tables));
        let Some(rule) = (if marked { restated } else { mismatch }) else {
            continue;
        };
        let diff = (first.value - earlier.value) / first.scale.factor();
        let here = format_amount(first.printed);
        let there = format_amount(earlier.printed);
        let when = period_words(period);
        let message = if marked {
            format!(
                "{label}, {when}: {here} in a column marked as restated; {path} printed {there}, \
                 a difference of {diff}",
                label = first.row_label,
                path = earlier.path,
                diff = format_amount(diff.abs().normalize()),
            )
        } else {
            format!(
                "{label}, {when}: {here} here, but {there} in {path}, the earlier release: a \
                 difference of {diff} in a column not marked as restated",
                label = first.row_label,
                path = earlier.path,
                diff = format_amount(diff.abs().normalize()),
            )
        };
        let labels = group
            .iter()
            .map(|f| Label::new(f.span, format!("{}: {here} ({when})", f.row_label)))
            .collect();
        let mut finding = crate::check::finding(rule, message, labels);
        finding.difference = Some(diff.abs());
        finding.elsewhere.push(Elsewhere {
            path: earlier.path.to_string(),
            span: earlier.span,
            text: format!(
                "{}: {there} ({when}) in the earlier release",
                earlier.row_label
            ),
            place: None,
        });
        findings.push(finding);
    }
    compared
}

/// The names by which a release calls its company, for pairing a sweep's
/// releases: `ticker:ACME` from `(NYSE: ACME)` in the lead, and
/// `name:acme widgets` from the headline's subject (`Acme Widgets Reports
/// First Quarter Results`) or the submission header's `COMPANY CONFORMED
/// NAME`. Only when none of those is printed, the name before `Inc.`,
/// `Corporation` and the like in the lead sentence that says `today` (a
/// release names other companies too: customers, acquirers). Empty when
/// the release names none. Two releases are paired when they share a name.
pub fn company_keys(doc: &Document, source: &[u8]) -> Vec<Arc<str>> {
    use std::sync::LazyLock;
    static TICKER: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"\((?i:NYSE|NASDAQ(?:\s*GS|\s*GM|\s*CM)?|NYSE\s*(?:American|MKT|Arca)|AMEX|TSX|OTC\w*)\s*:\s*([A-Z][A-Z0-9.\-]{0,7})\)",
        )
        .expect("a valid pattern")
    });
    static HEADLINE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^\s*((?:[A-Z0-9][\w&'.\-]*,?\s+){1,6}?)(?:Reports|Reported|Announces|Announced|Posts|Delivers|Releases)\b",
        )
        .expect("a valid pattern")
    });
    static LETTERHEAD: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^\s*((?:[A-Z][\w&'.\-]*,?\s+){0,5}[A-Z][\w&'.\-]*),?\s+(?:Inc\.?|Incorporated|Corporation|Corp\.?|Company|Co\.|Ltd\.?|Limited|plc|PLC|N\.V\.|S\.A\.|LLC|L\.P\.|Holdings)\s*$",
        )
        .expect("a valid pattern")
    });
    static NAME: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"((?:[A-Z][\w&'.\-]*\s+){0,5}[A-Z][\w&'.\-]*),?\s+(?:Inc\b\.?|Incorporated\b|Corporation\b|Corp\b\.?|Company\b|Co\.|Ltd\b\.?|Limited\b|plc\b|PLC\b|N\.V\.|S\.A\.|LLC\b|L\.P\.|Holdings\b)[^.]*?\btoday\b",
        )
        .expect("a valid pattern")
    });
    let mut keys: Vec<Arc<str>> = Vec::new();
    let push = |keys: &mut Vec<Arc<str>>, k: String| {
        if !keys.iter().any(|x| **x == *k) {
            keys.push(Arc::from(k));
        }
    };
    // The submission header names the filer.
    let head = &source[..source.len().min(64 * 1024)];
    if let Some(i) = memchr::memmem::find(head, b"COMPANY CONFORMED NAME:") {
        let rest = &head[i + 23..];
        let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
        let name = normalize_company(&String::from_utf8_lossy(line));
        if !name.is_empty() {
            push(&mut keys, format!("name:{name}"));
        }
    }
    let lead: Vec<&str> = doc
        .exhibits
        .iter()
        .flat_map(|ex| ex.lead_paragraphs().take(8))
        .map(|p| p.text.as_str())
        .collect();
    for text in &lead {
        if let Some(c) = TICKER.captures(text) {
            push(&mut keys, format!("ticker:{}", &c[1]));
        }
        if let Some(c) = HEADLINE
            .captures(text)
            .or_else(|| LETTERHEAD.captures(text))
        {
            let name = normalize_company(&c[1]);
            if !name.is_empty() {
                push(&mut keys, format!("name:{name}"));
            }
        }
    }
    if keys.is_empty()
        && let Some(c) = lead.iter().find_map(|t| NAME.captures(t))
    {
        let name = normalize_company(&c[1]);
        if !name.is_empty() {
            push(&mut keys, format!("name:{name}"));
        }
    }
    keys
}

/// `Acme Widgets, Inc.` and `ACME WIDGETS INC` alike: lowercase words,
/// without the legal form and punctuation.
fn normalize_company(name: &str) -> String {
    const FORMS: &[&str] = &[
        "inc",
        "incorporated",
        "corporation",
        "corp",
        "company",
        "co",
        "ltd",
        "limited",
        "plc",
        "nv",
        "sa",
        "llc",
        "lp",
        "holdings",
        "the",
    ];
    name.split(|c: char| !c.is_alphanumeric() && c != '&')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !FORMS.contains(&w.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_names_are_normalized() {
        assert_eq!(normalize_company("Acme Widgets, Inc."), "acme widgets");
        assert_eq!(normalize_company("ACME WIDGETS INC"), "acme widgets");
        assert_eq!(normalize_company("The Southern Company"), "southern");
    }

    #[test]
    fn restated_marks() {
        assert!(says_restated("(As Restated)"));
        assert!(says_restated("Three Months Ended March 31, 2025 Recast"));
        assert!(!says_restated("Three Months Ended March 31, 2025"));
    }

    #[test]
    fn lead_names_and_tickers() {
        let keys = |src: &[u8]| -> Vec<String> {
            let doc = crate::parse::parse(src);
            company_keys(&doc, src)
                .iter()
                .map(|k| k.to_string())
                .collect()
        };
        let src = b"Harbor Lantern Systems Reports First Quarter Results\n\nSPRINGFIELD, Ill., May 5, 2026 -- Harbor Lantern Systems, Inc. (NASDAQ: HLSY) today reported results. Its customer Gable Freight Corporation renewed.\n";
        assert_eq!(keys(src), ["name:harbor lantern systems", "ticker:HLSY"]);
        // Without a headline or a ticker, the company before `today`, not
        // another company the lead names first.
        let src = b"SPRINGFIELD, Ill., May 5, 2026 -- After Gable Freight Corporation renewed, Harbor Lantern Systems, Inc. today reported results.\n";
        assert_eq!(keys(src), ["name:harbor lantern systems"]);
        assert!(keys(b"Quarterly results.\n").is_empty());
    }
}
