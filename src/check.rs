//! The rule engine: binds facts to rules and produces findings.
//!
//! Assert rules are evaluated once per binding of their scope (each instant,
//! each duration, each duration with balances at both ends); footing,
//! cross-table and year-to-date rules are structural kinds evaluated here.
//! The engine returns plain [`Finding`]s and counts; it does no IO.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Days;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::ast::{Document, Period, RowKind, RuleKind as Rule_, Table};
use crate::check_periods::PeriodSums;
use crate::facts::{self, Fact, display_label, format_amount};
use crate::finding::{Finding, Label, Tick};
use crate::groups::{Chain, Groups};
use crate::parse::period::starts_with_ignore_ascii_case;
use crate::report::Stats;
use crate::rules::ConceptId;
use crate::rules::expr::{ConceptRef, Selector};
use crate::rules::{
    Env, HeldAssertion, Operand, Outcome, Rule, RuleKind, RulePack, Scope, Unit, evaluate_held,
    held,
};
use crate::span::{SortedProbe, Span};

/// Findings and counters for one document.
#[derive(Clone, Debug, Default)]
pub struct CheckOutput {
    pub findings: Vec<Finding>,
    pub stats: Stats,
    /// Every narrative claim with its status, for `--claims`.
    pub claims: Vec<crate::check_narrative::ClaimReport>,
    /// The figures tied: every cell of a total that footed (the total and
    /// the lines it adds) and every figure of an identity that held whose
    /// last printed digit the identity checks (a share count whose last
    /// digit cannot move EPS at its printed precision is read, not tied;
    /// see [`crate::rules::checked_operands`]), sorted. A figure outside
    /// them was read but not tied to anything.
    pub tied: Vec<Span>,
    /// The tables none of whose figures took part in any check: where each
    /// starts, with its title.
    pub untouched: Vec<Label>,
    /// With [`CheckOptions::record`]: every check that held, with its
    /// arithmetic and figures, in the order the checks ran.
    pub ticks: Vec<Tick>,
    /// With [`CheckOptions::record`]: every table figure read, with its
    /// row label, in document order (those no check used are left
    /// unmarked in the reviewer's view, not ticked).
    pub figures: Vec<Label>,
}

/// What a check records beyond its findings and counts, and what it
/// compares the document with.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions<'a> {
    /// Record every check that held and every table figure
    /// ([`CheckOutput::ticks`], [`CheckOutput::figures`]), for the
    /// reviewer's view. Off, nothing is formatted for checks that hold.
    pub record: bool,
    /// Report claims only as far as the counts and the figures they tie
    /// need: each claim's status and spans, without its metric, concept,
    /// period, amount, detail or the text of the figures it ticked (a run
    /// that prints no claim reads none of them). Contradicted claims still
    /// make their findings in full.
    pub lean_claims: bool,
    /// Earlier releases to compare the comparative figures with
    /// ([`crate::prior`]); `None`, the prior-release rules do not run.
    pub prior: Option<crate::prior::Prior<'a>>,
}

/// Marks the rules of `pack` that `kind` takes as run (`ran` has a flag
/// per rule, in the pack's order).
fn mark_ran(ran: &mut [bool], pack: &RulePack, kind: impl Fn(&Rule) -> bool) {
    for (flag, rule) in ran.iter_mut().zip(pack.rules()) {
        *flag |= kind(rule);
    }
}

/// Checks a parsed document against a rule pack. `source` is the file's
/// bytes (claims quote the stated figures).
pub fn check_document(doc: &Document, pack: &RulePack, source: &[u8]) -> CheckOutput {
    check_document_with(doc, pack, source, CheckOptions::default())
}

/// [`check_document`], recording what `options` asks for.
pub fn check_document_with(
    doc: &Document,
    pack: &RulePack,
    source: &[u8],
    options: CheckOptions<'_>,
) -> CheckOutput {
    let mut out = CheckOutput::default();
    // Only counted: a flag per rule of the pack, by its place in the pack
    // (rule ids are unique there), where a set of ids hashed and compared
    // an id each time a rule ran on an exhibit.
    let mut ran = vec![false; pack.rules().len()];
    // Every exhibit's facts, read once: the prior-release comparison needs
    // the end of the latest period the whole release reports first.
    let readings: Vec<facts::RowReadings> = doc
        .exhibits
        .iter()
        .map(|ex| facts::read_rows(ex, pack.concepts()))
        .collect();
    let all_facts: Vec<Vec<facts::Fact<'_>>> = doc
        .exhibits
        .iter()
        .zip(&readings)
        .map(|(ex, rows)| facts::facts_of(ex, rows, pack.concepts()))
        .collect();
    let latest = options.prior.and_then(|_| {
        all_facts
            .iter()
            .filter_map(|f| crate::prior::latest_period(f))
            .max()
    });
    for ((ex, facts), readings) in doc.exhibits.iter().zip(all_facts).zip(&readings) {
        let row_concepts = &readings.concepts;
        let before = (out.tied.len(), out.claims.len(), out.findings.len());
        let tables: Vec<&Table> = ex.tables().collect();
        out.stats.tables += tables.len();
        out.stats.facts += facts.len();
        if options.record {
            out.figures
                .extend(facts.iter().map(|f| Label::new(f.span, f.text())));
        }
        let ctx = Ctx {
            facts: &facts,
            tables: &tables,
            pack,
            index: FactIndex::new(&facts, pack),
            record: options.record,
            footing: std::cell::OnceCell::new(),
        };
        let period_sums = std::cell::OnceCell::new();
        // Each read once for the pair of rules (mismatch, off by rounding)
        // that report from it.
        let change_cols = std::cell::OnceCell::new();
        let bps_cols = std::cell::OnceCell::new();
        let total_cols = std::cell::OnceCell::new();
        let mut pending = Vec::new();
        for (k, rule) in pack.rules().iter().enumerate() {
            let before = out.findings.len();
            let evaluated = match rule.kind {
                RuleKind::Assert => ctx.assert_rule(
                    rule,
                    &mut out.findings,
                    &mut out.tied,
                    &mut out.ticks,
                    &mut pending,
                ),
                RuleKind::Footing => {
                    ctx.footing(rule, &mut out.findings, &mut out.tied, &mut out.ticks)
                }
                RuleKind::CrossTable => ctx.cross_table(rule, &mut out.findings, &mut out.ticks),
                RuleKind::YtdContains => ctx.ytd_contains(rule, &mut out.findings, &mut out.ticks),
                RuleKind::ChangeColumn => crate::check_columns::change_columns(
                    change_cols.get_or_init(|| crate::check_columns::change_analysis(&tables)),
                    rule,
                    &mut out.findings,
                    &mut out.tied,
                    options.record.then_some(&mut out.ticks),
                ),
                RuleKind::PercentChange => crate::check_columns::percent_change_columns(
                    &tables,
                    rule,
                    &mut out.findings,
                    &mut out.tied,
                    options.record.then_some(&mut out.ticks),
                ),
                RuleKind::PeriodSum => crate::check_periods::period_sums(
                    period_sums.get_or_init(|| PeriodSums::new(ex, &facts, &tables)),
                    rule,
                    &mut out.findings,
                    &mut out.tied,
                    options.record.then_some(&mut out.ticks),
                ),
                RuleKind::CashTie => crate::check_periods::cash_ties(
                    &facts,
                    rule,
                    &mut out.findings,
                    &mut out.tied,
                    options.record.then_some(&mut out.ticks),
                ),
                RuleKind::PriorRelease | RuleKind::PriorRestated => false,
                RuleKind::TotalColumn => crate::check_segments::total_columns(
                    total_cols.get_or_init(|| crate::check_segments::total_analysis(&tables)),
                    rule,
                    &mut out.findings,
                    &mut out.tied,
                    options.record.then_some(&mut out.ticks),
                ),
                RuleKind::RollForward => crate::check_schedules::roll_forwards(
                    &tables,
                    row_concepts,
                    rule,
                    &mut out.findings,
                    &mut out.tied,
                    options.record.then_some(&mut out.ticks),
                ),
                RuleKind::BpsChange => crate::check_columns::bps_change_columns(
                    bps_cols.get_or_init(|| crate::check_columns::bps_analysis(&tables)),
                    rule,
                    &mut out.findings,
                    &mut out.tied,
                    options.record.then_some(&mut out.ticks),
                ),
                RuleKind::Narrative | RuleKind::Parse => false,
            };
            if evaluated || out.findings.len() > before {
                ran[k] = true;
            }
        }
        // From here the exhibit's tied figures stay sorted, without
        // repeats: looked up by binary search, merged once at the end.
        crate::span::sort_dedup_from(&mut out.tied, before.0);
        tie_held(pending, &mut out.tied, before.0);
        if let Some(prior) = options.prior {
            let compared = crate::prior::compare(
                prior,
                crate::prior::Exhibit {
                    facts: &facts,
                    tables: &tables,
                    latest,
                },
                pack,
                &mut out.findings,
                &mut out.tied,
                options.record.then_some(&mut out.ticks),
            );
            if compared > 0 {
                mark_ran(&mut ran, pack, |r| {
                    matches!(r.kind, RuleKind::PriorRelease | RuleKind::PriorRestated)
                });
            }
            out.stats.prior_compared += compared;
            crate::span::sort_dedup_from(&mut out.tied, before.0);
        }
        let narrative =
            crate::check_narrative::check_narrative(ex, &facts, pack, source, options.lean_claims);
        if !narrative.claims.is_empty() {
            mark_ran(&mut ran, pack, |r| r.kind == RuleKind::Narrative);
        }
        out.findings.extend(narrative.findings);
        out.claims.extend(narrative.claims);
        coverage(&mut out, before, &facts, &tables);
    }
    // Regions the parser could not read: the reviewer must know what went
    // unchecked. Unreadable files are reported by the CLI instead.
    for (k, rule) in pack.rules().iter().enumerate() {
        if rule.kind != RuleKind::Parse {
            continue;
        }
        ran[k] = true;
        for issue in doc
            .issues
            .iter()
            .filter(|i| i.kind != crate::ast::ParseIssueKind::Unreadable)
        {
            out.findings.push(finding(
                rule,
                format!("{}: {}", rule.title, issue.message),
                vec![Label::new(issue.span, issue.message.clone())],
            ));
        }
    }
    for c in &out.claims {
        out.stats.claims_found += 1;
        match c.status {
            "verified" => out.stats.claims_verified += 1,
            "contradicted" => out.stats.claims_contradicted += 1,
            _ => out.stats.claims_unverifiable += 1,
        }
    }
    let active = pack.rules().len();
    let rules_run = ran.iter().filter(|&&r| r).count();
    out.stats.rules_run = rules_run;
    out.stats.rules_skipped = active.saturating_sub(rules_run);
    dedupe(&mut out.findings, pack);
    // Each exhibit's figures are sorted already; exhibits follow one
    // another in the file.
    if !crate::span::is_sorted_set(&out.tied) {
        crate::span::sort_dedup(&mut out.tied);
    }
    // Two rules that tie the same figures (a total footed by the footing
    // rule and by the exact-footing convention) are one check to a reader.
    let mut seen: FxHashSet<Vec<Span>> = FxHashSet::default();
    out.ticks.retain(|t| {
        let mut spans: Vec<Span> = t.labels.iter().map(|l| l.span).collect();
        spans.sort_unstable();
        seen.insert(spans)
    });
    out.stats.figures_tied = out.tied.len();
    out.findings.sort_by(|a, b| {
        (a.primary().map(|s| s.offset), &a.rule).cmp(&(b.primary().map(|s| s.offset), &b.rule))
    });
    out
}

/// Adds to `tied` the figures the assertions that held (`pending`) check,
/// testing only those not tied already since `from` (this exhibit's,
/// sorted without repeats, and kept so): the set of tied figures comes out
/// as if each had been tested.
fn tie_held(pending: Vec<HeldAssertion<'_, '_>>, tied: &mut Vec<Span>, from: usize) {
    if pending.is_empty() {
        return;
    }
    let known = &tied[from..];
    let mut added: FxHashSet<Span> = FxHashSet::default();
    let mut more = Vec::new();
    for held in pending {
        let checked =
            held.checked_except(|s| known.binary_search(&s).is_ok() || added.contains(&s));
        added.extend(checked.iter().copied());
        more.extend(checked);
    }
    crate::span::merge_from(tied, from, more);
}

/// Counts the exhibit's figures that took part in a check (tied, ticked by
/// a claim, or cited by a finding) and lists its tables that none touched.
/// `before` is where the exhibit's tied spans, claims and findings start in
/// `out`: an earlier exhibit's cannot touch this one's figures.
fn coverage(
    out: &mut CheckOutput,
    before: (usize, usize, usize),
    facts: &[Fact],
    tables: &[&Table],
) {
    // The tied figures are sorted without repeats; the few a claim ticks
    // or a finding cites are sorted here.
    let tied = &out.tied[before.0..];
    let mut cited: Vec<Span> = out.claims[before.1..]
        .iter()
        .flat_map(|c| c.ticked.iter().map(|l| l.span))
        .chain(
            out.findings[before.2..]
                .iter()
                .flat_map(|f| f.labels.iter().map(|l| l.span)),
        )
        .collect();
    crate::span::sort_dedup(&mut cited);
    // Facts come in document order, mostly: each probe walks on from its
    // last answer. The tables' cells start over from the top with probes
    // of their own (measured: cheaper than sending the first probes back).
    let (mut in_tied, mut in_cited) = (SortedProbe::new(tied), SortedProbe::new(&cited));
    let mut checked = |s: &Span| in_tied.contains(*s) || in_cited.contains(*s);
    out.stats.figures_checked += facts.iter().filter(|f| checked(&f.span)).count();
    let (mut in_tied, mut in_cited) = (SortedProbe::new(tied), SortedProbe::new(&cited));
    let mut checked = |s: &Span| in_tied.contains(*s) || in_cited.contains(*s);
    for t in tables {
        let touched = t
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().flatten())
            .any(|c| checked(&c.span));
        if !touched {
            let title = t.title_text();
            let title = if title.trim().is_empty() {
                match t.rows.iter().find(|r| !r.label.trim().is_empty()) {
                    Some(r) => format!(
                        "an untitled table whose first row is \"{}\"",
                        r.label.trim()
                    ),
                    None => "an untitled table".to_owned(),
                }
            } else {
                title
            };
            let at = t.title.first().map_or(t.span, |l| l.span);
            out.untouched.push(Label::new(at, title));
            out.stats.tables_untouched += 1;
        }
    }
}

/// One problem, one finding. A footing finding is dropped when an identity
/// rule's finding already cites the total and every one of its terms (it is
/// the same equation, `Net income` under pre-tax income less tax), or when an
/// identity finding cites one of its terms and is off by the same amount:
/// the wrong term explains the total's failure, and the identity already
/// says which figure it is (a mistyped `Net interest income after provision`
/// under income before taxes). A total the identity only cites as one of its
/// inputs keeps its footing finding: that one says which figure is wrong
/// (`Total liabilities` under assets = liabilities + equity).
fn dedupe(findings: &mut Vec<Finding>, pack: &RulePack) {
    let structural = |f: &Finding| {
        pack.get(&f.rule)
            .is_some_and(|r| r.kind == RuleKind::Footing)
    };
    // A difference from an earlier release says nothing about this
    // release's own arithmetic: it never hides a footing finding.
    let other_release = |f: &Finding| {
        pack.get(&f.rule)
            .is_some_and(|r| matches!(r.kind, RuleKind::PriorRelease | RuleKind::PriorRestated))
    };
    let specific: Vec<(BTreeSet<Span>, Option<Decimal>)> = findings
        .iter()
        .filter(|f| !structural(f) && !other_release(f))
        .map(|f| {
            (
                f.labels.iter().map(|l| l.span).collect(),
                f.difference.map(|d| d.abs()),
            )
        })
        .collect();
    findings.retain(|f| {
        if !structural(f) {
            return true;
        }
        let same = specific
            .iter()
            .any(|(spans, _)| f.labels.iter().all(|l| spans.contains(&l.span)));
        let echo = f.difference.is_some_and(|d| {
            specific.iter().any(|(spans, diff)| {
                *diff == Some(d.abs()) && f.labels.iter().skip(1).any(|l| spans.contains(&l.span))
            })
        });
        !same && !echo
    });
    let mut seen = BTreeSet::new();
    findings.retain(|f| {
        seen.insert((
            f.rule.clone(),
            f.labels.iter().map(|l| l.span).collect::<Vec<_>>(),
        ))
    });
}

struct Ctx<'a> {
    facts: &'a [Fact<'a>],
    tables: &'a [&'a Table],
    pack: &'a RulePack,
    index: FactIndex<'a>,
    /// Record the checks that hold ([`CheckOptions::record`]).
    record: bool,
    /// The document's footing, shared by the footing rules (the table and
    /// document scopes read the same totals).
    footing: std::cell::OnceCell<Footing>,
}

/// The totals of a document's tables: those that foot, and those that do
/// not with their table.
#[derive(Default)]
struct Footing {
    evaluated: bool,
    footed: Vec<Footed>,
    failures: Vec<(usize, NotFooting)>,
    /// Per table, per column: whether the column is footed
    /// ([`footed_columns`]), read once for every total of the table.
    columns: Vec<Vec<bool>>,
}

/// Entity-level facts (no segment member) by concept and period, first
/// printed first, so bindings look facts up in constant time. The maps are
/// only looked up, never iterated, and hash with FxHash: the keys are small
/// and a check looks them up tens of thousands of times per release.
#[derive(Default)]
struct FactIndex<'a> {
    by_table: FxHashMap<(usize, ById, Period), &'a Fact<'a>>,
    anywhere: FxHashMap<(ById, Period), &'a Fact<'a>>,
    /// The concepts each table prints in some column.
    in_table: FxHashSet<(usize, ById)>,
    /// The tables printing each period.
    tables_of: BTreeMap<Period, BTreeSet<usize>>,
    /// The concepts with a fact of their own.
    present: FxHashSet<ById>,
}

/// A concept as a key of the [`FactIndex`]: hashed by its interned name's
/// address and compared by it, as ids compare (equal names are one
/// pointer), so a lookup reads no characters. `ConceptId`'s own hash stays
/// the name's: an address changes from run to run, and a map iterated in
/// hash order would too. The index is only looked up, never iterated.
#[derive(Clone, Copy, PartialEq, Eq)]
struct ById(ConceptId);

impl std::hash::Hash for ById {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.as_str().as_ptr().hash(state);
    }
}

impl<'a> FactIndex<'a> {
    /// The index of `facts` for `pack`'s assert rules. Only the concepts
    /// their expressions name (and those concepts' stand-ins) are ever
    /// looked up: the facts of other concepts are left out of the maps.
    fn new(facts: &'a [Fact], pack: &RulePack) -> Self {
        let named = pack.assertion_concepts();
        let entity = || facts.iter().filter(|f| f.member.is_none());
        let mut wanted = PerConcept::new(|c| named.contains(&c));
        let wanted: Vec<(&'a Fact, ConceptId)> = entity()
            .filter_map(|f| {
                let c = f.concept?;
                wanted.holds(c).then_some((f, c))
            })
            .collect();
        // Sized once: growing the maps fact by fact rehashed them many times.
        let n = wanted.len();
        let mut ix = FactIndex {
            by_table: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            anywhere: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            in_table: FxHashSet::with_capacity_and_hasher(n / 2, Default::default()),
            tables_of: BTreeMap::new(),
            present: FxHashSet::with_capacity_and_hasher(n / 4, Default::default()),
        };
        // A table's facts come together and print a few periods (its
        // columns): the ordered map gets each pair about once rather than
        // once per fact. Told apart by table and column, two integers (a
        // column prints one period), not by comparing periods.
        for c in fewer_repeats(entity().map(|f| ColumnPeriod {
            table: f.table,
            col: f.col,
            period: f.period,
        })) {
            ix.tables_of.entry(c.period).or_default().insert(c.table);
        }
        // A row's facts share their table and concept name (one pointer):
        // the two sets get each pair once per row, not once per fact.
        let mut last_row: Option<(usize, ConceptId)> = None;
        for (f, c) in wanted {
            ix.by_table.entry((f.table, ById(c), f.period)).or_insert(f);
            ix.anywhere.entry((ById(c), f.period)).or_insert(f);
            if last_row.is_none_or(|(t, l)| t != f.table || l != c) {
                ix.in_table.insert((f.table, ById(c)));
                ix.present.insert(ById(c));
                last_row = Some((f.table, c));
            }
        }
        ix
    }
}

/// A fact's table and column, with the column's period: equal when the
/// table and column are, as a column prints one period.
#[derive(Clone, Copy)]
struct ColumnPeriod {
    table: usize,
    col: usize,
    period: Period,
}

impl PartialEq for ColumnPeriod {
    fn eq(&self, other: &Self) -> bool {
        self.table == other.table && self.col == other.col
    }
}

/// A test of facts' concepts answered once per run of one concept: a
/// row's facts share theirs, so a test by name (a set or a list looked up)
/// runs once per row, not once per fact.
struct PerConcept<F> {
    last: Option<(ConceptId, bool)>,
    test: F,
}

impl<F: FnMut(ConceptId) -> bool> PerConcept<F> {
    fn new(test: F) -> Self {
        PerConcept { last: None, test }
    }

    fn holds(&mut self, c: ConceptId) -> bool {
        match self.last {
            Some((last, answer)) if last == c => answer,
            _ => {
                let answer = (self.test)(c);
                self.last = Some((c, answer));
                answer
            }
        }
    }
}

/// `items` without most of their repeats, in order: each is compared with
/// the last few kept (sixteen at most, then a fresh start), so the cost
/// stays linear. Repeats further apart are kept; callers that need each
/// item once deduplicate the much shorter list (facts repeat a few periods
/// over thousands of figures).
pub(crate) fn fewer_repeats<T: PartialEq>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    const RECENT: usize = 16;
    let mut out: Vec<T> = Vec::new();
    let mut from = 0;
    // Where the next item is looked for first: after the last one found
    // (never before the window). Items repeat in cycles (a row's figures
    // go across the columns, the next row's across them again), so the
    // guess is mostly right and the window is searched only when it is not.
    let mut next = 0;
    for x in items {
        if out.get(next).is_some_and(|y| *y == x) {
            next += 1;
            continue;
        }
        match out[from..].iter().position(|y| *y == x) {
            Some(k) => next = from + k + 1,
            None => {
                if out.len() - from == RECENT {
                    from = out.len();
                }
                out.push(x);
                next = out.len();
            }
        }
    }
    out
}

/// One binding of an assert rule: the periods its references resolve to.
struct Binding<'i, 'a> {
    index: &'i FactIndex<'a>,
    /// Statement identities bind within one table (the EBITDA
    /// reconciliation's interest line is not the income statement's).
    table: Option<usize>,
    current: Period,
    start: Option<Period>,
    end: Option<Period>,
    pack: &'a RulePack,
}

impl<'a> Binding<'_, 'a> {
    fn find(&self, concept: ConceptId, period: Period) -> Option<&'a Fact<'a>> {
        match self.table {
            Some(t) => self
                .index
                .by_table
                .get(&(t, ById(concept), period))
                .copied(),
            None => self.index.anywhere.get(&(ById(concept), period)).copied(),
        }
    }
}

impl<'a> Env<'a> for Binding<'_, 'a> {
    fn lookup(&self, r: &ConceptRef) -> Option<Operand<'a>> {
        let period = match r.selector {
            None => Some(self.current),
            Some(Selector::Start) => self.start,
            Some(Selector::End) => self.end,
        }?;
        // The concept's own row, else the first stand-in printed.
        let fact = r.candidates().iter().find_map(|&c| self.find(c, period))?;
        Some(Operand {
            interval: fact.interval,
            printed: fact.value,
            span: fact.span,
            label: fact.row_label,
            shown: fact.printed,
        })
    }

    fn sign_either(&self, concept: &ConceptRef) -> bool {
        self.pack.concepts().sign_either(concept.id())
    }

    /// The table prints the concept's row in another column but not in
    /// this one (`Other expense, net   ((139))   (210)   (402)`: the
    /// first cell could not be read). Its value here is unknown.
    fn printed_without_value(&self, r: &ConceptRef) -> bool {
        self.table
            .is_some_and(|t| self.index.in_table.contains(&(t, ById(r.id()))))
    }
}

/// One side of a failed assertion as a reader checks it.
struct Side {
    /// A single printed figure (not computed from others).
    printed: bool,
    /// `Gross profit 18,323`, or `52,686 − 34,263 = 18,423`, or
    /// `computed 18,423` when the arithmetic cannot be shown as printed.
    text: String,
}

/// Describes one side of an assertion: a single reference by its row label
/// and figure; an expression written out with the printed figures it adds
/// up, when they are all in one scale and give the side's value exactly
/// (a sign the engine tried the other way would not).
fn describe_side(
    e: &crate::rules::expr::Expr,
    value: Decimal,
    operands: &[(String, crate::rules::expr::Operand<'_>)],
    show: &dyn Fn(Decimal) -> String,
) -> Side {
    use crate::rules::expr::Expr;
    // Failures key their operands by the reference as written.
    let operand = |r: &ConceptRef| {
        let key = r.to_string();
        operands.iter().find(|(k, _)| *k == key).map(|(_, o)| o)
    };
    if let Expr::Ref(r) = e
        && let Some(o) = operand(r)
    {
        return Side {
            printed: true,
            text: format!("{} {}", o.label, show(value)),
        };
    }
    let mut factor = None;
    let arithmetic = written(e, &operand, &mut factor)
        .filter(|(_, v, _)| *v == value)
        .map(|(text, _, _)| text);
    Side {
        printed: false,
        text: match arithmetic {
            Some(a) => format!("{a} = {}", show(value)),
            None => format!("computed {}", show(value)),
        },
    }
}

/// `e` written with printed figures, its value in units, and its
/// precedence; `None` when an operand is missing or operands are printed
/// in different scales (`factor` holds the first one's).
fn written<'a>(
    e: &crate::rules::expr::Expr,
    operand: &dyn Fn(&ConceptRef) -> Option<&'a crate::rules::expr::Operand<'a>>,
    factor: &mut Option<Decimal>,
) -> Option<(String, Decimal, u8)> {
    use crate::rules::expr::{BinOp, Expr, Func};
    match e {
        Expr::Number(n) => Some((n.normalize().to_string(), *n, 3)),
        // An optional term the release does not print counts as zero and
        // is left out of the arithmetic shown (precedence 4 marks it).
        Expr::Ref(r) if r.optional && operand(r).is_none() => {
            Some((String::new(), Decimal::ZERO, 4))
        }
        Expr::Ref(r) => {
            let o = operand(r)?;
            if !o.shown.is_zero() {
                let f = o.printed / o.shown;
                match *factor {
                    Some(g) if g != f => return None,
                    _ => *factor = Some(f),
                }
            }
            Some((format_amount(o.shown), o.printed, 3))
        }
        Expr::Neg(inner) => {
            let (t, v, p) = written(inner, operand, factor)?;
            let t = if p < 3 { format!("[{t}]") } else { t };
            Some((format!("−{t}"), -v, 3))
        }
        Expr::Call {
            func: Func::Abs,
            arg,
        } => {
            let (t, v, _) = written(arg, operand, factor)?;
            Some((format!("|{t}|"), v.abs(), 3))
        }
        Expr::Binary { op, lhs, rhs } => {
            let (lt, lv, lp) = written(lhs, operand, factor)?;
            let (rt, rv, rp) = written(rhs, operand, factor)?;
            match (op, lp == 4, rp == 4) {
                (BinOp::Add | BinOp::Sub, _, true) => return Some((lt, lv, lp)),
                (BinOp::Add, true, false) => return Some((rt, rv, rp)),
                (BinOp::Sub, true, false) => {
                    let t = if rp < 3 { format!("[{rt}]") } else { rt };
                    return Some((format!("−{t}"), -rv, 3));
                }
                (BinOp::Mul | BinOp::Div, true, _) | (BinOp::Mul | BinOp::Div, _, true) => {
                    return None;
                }
                _ => {}
            }
            let (symbol, prec, v) = match op {
                BinOp::Add => ("+", 1, lv + rv),
                BinOp::Sub => ("−", 1, lv - rv),
                BinOp::Mul => ("×", 2, lv * rv),
                BinOp::Div => ("÷", 2, if rv.is_zero() { return None } else { lv / rv }),
            };
            let left = if lp < prec { format!("[{lt}]") } else { lt };
            let tight = matches!(op, BinOp::Sub | BinOp::Div);
            let right = if rp < prec || (tight && rp == prec) {
                format!("[{rt}]")
            } else {
                rt
            };
            Some((format!("{left} {symbol} {right}"), v, prec))
        }
    }
}

fn days_apart(a: chrono::NaiveDate, b: chrono::NaiveDate) -> i64 {
    (a - b).num_days().abs()
}

impl<'a> Ctx<'a> {
    /// Evaluates an assert rule over every binding of its scope. Returns
    /// whether any binding had all its required facts.
    /// A binding that held adds the figures it checks to `tied`; without
    /// [`Ctx::record`] they are worked out later ([`tie_held`]), from
    /// `pending`, for the figures no other check tied.
    fn assert_rule<'r>(
        &self,
        rule: &'r Rule,
        findings: &mut Vec<Finding>,
        tied: &mut Vec<Span>,
        ticks: &mut Vec<Tick>,
        pending: &mut Vec<HeldAssertion<'r, 'a>>,
    ) -> bool {
        let Some(assertion) = &rule.assertion else {
            return false;
        };
        // A required concept the exhibit never prints, nor any stand-in:
        // every binding would be skipped.
        let printed = |r: &ConceptRef| {
            r.candidates()
                .iter()
                .any(|&c| self.index.present.contains(&ById(c)))
        };
        if assertion.concepts().any(|r| !r.optional && !printed(r)) {
            return false;
        }
        // Every period printed, in order, with the tables printing it.
        let periods = &self.index.tables_of;
        let instants: Vec<Period> = periods.keys().copied().filter(Period::is_instant).collect();
        // A table that prints no row of a required concept (nor of any of
        // its stand-ins) skips every binding in it: it is left out once,
        // not found out by a lookup per period.
        let mut printing: Vec<Option<bool>> = vec![None; self.tables.len()];
        let mut prints_required = |t: usize| {
            let known = printing.get_mut(t)?;
            Some(*known.get_or_insert_with(|| {
                assertion.concepts().filter(|r| !r.optional).all(|r| {
                    r.candidates()
                        .iter()
                        .any(|&c| self.index.in_table.contains(&(t, ById(c))))
                })
            }))
        };
        let mut bindings: Vec<Binding<'_, '_>> = Vec::new();
        for (&p, tables) in periods {
            match (rule.scope, p) {
                (Scope::Instant, Period::Instant { .. })
                | (Scope::Duration, Period::Duration { .. }) => {
                    for &t in tables {
                        if prints_required(t) == Some(false) {
                            continue;
                        }
                        bindings.push(Binding {
                            index: &self.index,
                            table: Some(t),
                            current: p,
                            start: None,
                            end: None,
                            pack: self.pack,
                        });
                    }
                }
                (Scope::Roll, Period::Duration { start, end, .. }) => {
                    // Balances on the day before the start and on the end
                    // date (a week's slack for 52/53-week calendars).
                    let before = start.checked_sub_days(Days::new(1)).unwrap_or(start);
                    let open = instants
                        .iter()
                        .copied()
                        .find(|i| days_apart(i.end(), before) <= 7);
                    let close = instants
                        .iter()
                        .copied()
                        .find(|i| days_apart(i.end(), end) <= 7);
                    if let (Some(open), Some(close)) = (open, close)
                        && open != close
                    {
                        bindings.push(Binding {
                            index: &self.index,
                            table: None,
                            current: p,
                            start: Some(open),
                            end: Some(close),
                            pack: self.pack,
                        });
                    }
                }
                _ => {}
            }
        }
        let mut evaluated = false;
        for b in &bindings {
            let (outcome, held) = evaluate_held(assertion, b, &rule.tolerance);
            match outcome {
                Outcome::Skipped { .. } => {}
                Outcome::Holds => {
                    evaluated = true;
                    let Some(held) = held else { continue };
                    if self.record {
                        let checked = held.checked_except(|_| false);
                        if let Some(tick) = self.held_tick(rule, b, &checked) {
                            ticks.push(tick);
                        }
                        tied.extend(checked);
                    } else {
                        pending.push(held);
                    }
                }
                Outcome::Fails(failure) => {
                    evaluated = true;
                    let spans: Vec<Span> = failure.operands.iter().map(|(_, o)| o.span).collect();
                    if rule.scope == Scope::Duration && self.interrupted(&spans) {
                        continue;
                    }
                    let shown = self.shown(&failure.operands);
                    let scale = shown.scale;
                    let show = |v: Decimal| shown.show(v);
                    let eq = equation(
                        assertion,
                        failure.lhs,
                        failure.rhs,
                        &failure.operands,
                        &show,
                    );
                    let difference = if eq.swapped {
                        -failure.difference
                    } else {
                        failure.difference
                    };
                    let allowance = match rule.tolerance {
                        crate::rules::Tolerance::Rounding => {
                            format!("rounding allows {}", show(failure.allowed))
                        }
                        crate::rules::Tolerance::Absolute(t) if t.is_zero() => {
                            "no tolerance".to_owned()
                        }
                        crate::rules::Tolerance::Absolute(t) if scale != Decimal::ONE => format!(
                            "the rule's tolerance of {} in units allows {} in this table's units",
                            format_amount(t),
                            show(failure.allowed)
                        ),
                        crate::rules::Tolerance::Absolute(_) => {
                            format!("the rule's tolerance allows {}", show(failure.allowed))
                        }
                        crate::rules::Tolerance::Relative(r) => format!(
                            "the rule's tolerance of {} of the larger side allows {}",
                            r.normalize(),
                            show(failure.allowed)
                        ),
                    };
                    let message = format!(
                        "{}: {} {} {} ({}); difference {} ({})",
                        rule.title,
                        eq.first.text,
                        eq.cmp.failed_symbol(),
                        eq.second.text,
                        describe_binding(b),
                        show(difference),
                        allowance,
                    );
                    let labels = failure
                        .operands
                        .iter()
                        .map(|(name, o)| operand_label(name, o, ""))
                        .collect();
                    let mut f = finding(rule, message, labels);
                    f.difference = Some(failure.difference / scale);
                    findings.push(f);
                }
            }
        }
        evaluated
    }

    /// The scale and precision to show an assertion's figures in: those of
    /// its first operand.
    fn shown(&self, operands: &[(String, Operand)]) -> Shown {
        let unit_fact = operands
            .first()
            .and_then(|(_, o)| self.facts.iter().find(|f| f.span == o.span));
        Shown {
            scale: unit_fact.map_or(Decimal::ONE, |f| f.scale.factor()),
            decimals: unit_fact.map_or(0, |f| f.decimals),
        }
    }

    /// The tick of an assertion that holds for binding `b`: its arithmetic
    /// on the printed figures, the figure checked first, and the figures
    /// whose last digit it does not check (`checked` are those it does)
    /// marked as read only.
    fn held_tick(&self, rule: &Rule, b: &Binding<'_, '_>, checked: &[Span]) -> Option<Tick> {
        let assertion = rule.assertion.as_ref()?;
        let h = held(assertion, b, &rule.tolerance)?;
        let shown = self.shown(&h.operands);
        let show = |v: Decimal| shown.show(v);
        let eq = equation(assertion, h.lhs, h.rhs, &h.operands, &show);
        let signs = if h.as_printed {
            ""
        } else {
            ", with a sign read the other way"
        };
        let text = format!(
            "{} {} {} ({}{signs})",
            eq.first.text,
            eq.cmp.held_symbol(h.lhs == h.rhs),
            eq.second.text,
            describe_binding(b),
        );
        // The printed side's figure first.
        let first = if eq.swapped {
            &assertion.rhs
        } else {
            &assertion.lhs
        };
        let lead = match first {
            crate::rules::expr::Expr::Ref(r) => Some(r.to_string()),
            _ => None,
        };
        let mut labels: Vec<Label> = Vec::with_capacity(h.operands.len());
        let mut seen: Vec<Span> = Vec::with_capacity(h.operands.len());
        let order = h
            .operands
            .iter()
            .filter(|(k, _)| lead.as_deref() == Some(k.as_str()))
            .chain(
                h.operands
                    .iter()
                    .filter(|(k, _)| lead.as_deref() != Some(k.as_str())),
            );
        for (name, o) in order {
            if seen.contains(&o.span) {
                continue;
            }
            seen.push(o.span);
            let note = if checked.contains(&o.span) {
                ""
            } else {
                " (read: one unit more or less in its last digit would still tie)"
            };
            labels.push(operand_label(name, o, note));
        }
        Some(Tick {
            rule: rule.id.clone(),
            text,
            labels,
        })
    }

    /// An income-statement identity does not apply across rows the
    /// dictionary does not know (minority interest between pre-tax income
    /// and net income): the chain has a link the rule cannot see.
    fn interrupted(&self, spans: &[Span]) -> bool {
        let involved: Vec<&Fact> = spans
            .iter()
            .filter_map(|s| self.facts.iter().find(|f| f.span == *s))
            .collect();
        let Some(first) = involved.first() else {
            return false;
        };
        if involved.iter().any(|f| f.table != first.table) {
            return false;
        }
        // The result is usually the lowest row; look between it and the
        // nearest row above it.
        let mut rows: Vec<usize> = involved.iter().map(|f| f.row).collect();
        rows.sort_unstable();
        rows.dedup();
        let (lo, hi) = match rows[..] {
            [.., a, b] => (a, b),
            _ => return false,
        };
        let operands: BTreeSet<&str> = involved
            .iter()
            .filter_map(|f| f.concept.as_ref().map(|c| c.as_str()))
            .collect();
        let col = first.col;
        self.facts.iter().any(|f| {
            f.table == first.table
                && f.col == col
                && f.row > lo
                && f.row < hi
                && !f
                    .concept
                    .as_ref()
                    .is_some_and(|c| operands.contains(c.as_str()))
                && !f.printed.is_zero()
                && f.unit == Unit::Money
        })
    }

    /// Structural footing of every total row of every table.
    fn footing(
        &self,
        rule: &Rule,
        findings: &mut Vec<Finding>,
        tied: &mut Vec<Span>,
        ticks: &mut Vec<Tick>,
    ) -> bool {
        // The footing rules share one footing: the first to run adds its
        // cells to the tied figures, the others would add the same cells.
        let push = self.footing.get().is_none();
        let Footing {
            evaluated,
            footed,
            failures,
            columns,
        } = self.footing.get_or_init(|| self.foot_tables());
        for f in footed {
            let t = self.tables[f.table];
            if push {
                f.push_cells(t, &columns[f.table], tied);
            }
            if self.record {
                f.ticks(t, &columns[f.table], rule, ticks);
            }
        }
        match rule.scope {
            // Exact-footing convention: most releases force their printed
            // figures to foot exactly. When every other total of the
            // document does, a total that foots only thanks to rounding
            // is more likely a typo than rounding.
            Scope::Document => {
                let exact = footed.iter().filter(|f| f.inexact.is_empty()).count();
                let inexact: Vec<&Footed> =
                    footed.iter().filter(|f| !f.inexact.is_empty()).collect();
                // A total that does not foot at all (a typo the release
                // printed, reported by `total-does-not-foot`) does not
                // break the convention; many would say the tables were
                // misread.
                if failures.len() * 10 <= exact
                    && exact >= MIN_EXACT_TOTALS
                    && inexact.len() <= (exact / 10).max(2)
                {
                    for f in inexact {
                        let t = self.tables[f.table];
                        let (c, sum, tv) = f.inexact[0];
                        let others = if f.inexact.len() > 1 {
                            format!(" (and {} other column(s))", f.inexact.len() - 1)
                        } else {
                            String::new()
                        };
                        let allowance = format!(
                            "within rounding, but the release's other {exact} totals foot exactly"
                        );
                        findings.push(footing_finding(
                            t, f.total, &f.terms, &f.combo, c, sum, tv, rule, &allowance, &others,
                        ));
                    }
                }
            }
            _ => findings.extend(
                failures
                    .iter()
                    .map(|(ti, nf)| nf.finding(self.tables[*ti], rule)),
            ),
        }
        *evaluated
    }

    /// Every table's totals, footed once for all the footing rules.
    fn foot_tables(&self) -> Footing {
        let mut out = Footing::default();
        let mut failures = Vec::new();
        let mut scratch = FootScratch::default();
        for (ti, t) in self.tables.iter().enumerate() {
            let before = out.footed.len();
            let columns = footed_columns(t);
            out.evaluated |= foot_table(t, &columns, &mut scratch, &mut failures, &mut out.footed);
            out.columns.push(columns);
            for f in &mut out.footed[before..] {
                f.table = ti;
            }
            out.failures.extend(failures.drain(..).map(|nf| (ti, nf)));
        }
        out
    }

    /// The same concept, period and member printed twice must agree.
    fn cross_table(&self, rule: &Rule, findings: &mut Vec<Finding>, ticks: &mut Vec<Tick>) -> bool {
        // A percentage printed on a money concept's row (`Gross margin
        // 42.4%` in a margin table) is a ratio, not the amount: it is
        // compared only with other percentages.
        type Key<'f> = (&'f str, Period, Option<&'f str>, bool);
        // Most keys have one fact: hashed (not an ordered map, which compared
        // concept names at every step), and only the groups printed in two
        // tables or more are put in key order.
        let mut groups: Groups<Key<'_>, &Fact> = Groups::with_capacity(self.facts.len());
        let mut compared = PerConcept::new(|c| {
            rule.concepts.is_empty() || rule.concepts.iter().any(|x| x == c.as_str())
        });
        for f in self.facts {
            let Some(c) = f.concept else {
                continue;
            };
            if compared.holds(c) {
                let key = (c.as_str(), f.period, f.member, f.unit == Unit::Percent);
                groups.push(key, f);
            }
        }
        let mut across: Vec<(Key<'_>, Chain<'_, &Fact>)> = groups
            .iter()
            .filter_map(|(key, all)| {
                let mut fs = all;
                let first = fs.next()?.table;
                fs.any(|f| f.table != first).then_some((*key, all))
            })
            .collect();
        across.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut evaluated = false;
        for ((concept, period, ..), fs) in &across {
            evaluated = true;
            let mut fs = *fs;
            let Some(&first) = fs.next() else {
                continue;
            };
            for other in fs.filter(|f| f.table != first.table) {
                let labels = || {
                    vec![
                        Label::new(
                            first.span,
                            format!("{} (table {})", first.text(), first.table + 1),
                        ),
                        Label::new(
                            other.span,
                            format!("{} (table {})", other.text(), other.table + 1),
                        ),
                    ]
                };
                if first.interval.intersects(other.interval) {
                    if self.record {
                        ticks.push(Tick {
                            rule: rule.id.clone(),
                            text: format!(
                                "{concept} for {period} is printed as {} in table {} and as {} in table {}",
                                format_amount(first.printed),
                                first.table + 1,
                                format_amount(other.printed),
                                other.table + 1,
                            ),
                            labels: labels(),
                        });
                    }
                    continue;
                }
                let scale = first.scale.factor();
                let diff = (first.value - other.value) / scale;
                let message = format!(
                    "{}: {concept} for {period} is printed as {} and as {}; difference {}",
                    rule.title,
                    format_amount(first.printed),
                    format_amount(other.printed),
                    format_amount(diff)
                );
                findings.push(finding(rule, message, labels()));
            }
        }
        evaluated
    }

    /// A longer period that contains a quarter reports at least as much of a
    /// never-negative flow.
    fn ytd_contains(
        &self,
        rule: &Rule,
        findings: &mut Vec<Finding>,
        ticks: &mut Vec<Tick>,
    ) -> bool {
        let mut evaluated = false;
        // Compare only facts of one concept and member with each other, one
        // fact per period (the first printed).
        // Hashed, then the groups put in key order (see `cross_table`).
        // Sized for a fact each at most: grown from empty, they were
        // rehashed several times.
        let n = self.facts.len();
        let mut groups: Groups<(&str, Option<&str>), &Fact> = Groups::with_capacity(n);
        let mut seen = FxHashSet::with_capacity_and_hasher(n, Default::default());
        for f in self.facts {
            if let Some(c) = &f.concept
                && (rule.concepts.is_empty() || rule.concepts.iter().any(|x| x == c.as_str()))
                && !f.period.is_instant()
                && seen.insert((c.as_str(), f.member, f.period))
            {
                groups.push((c.as_str(), f.member), f);
            }
        }
        let mut keyed: Vec<_> = groups.iter().collect();
        keyed.sort_unstable_by(|a, b| a.0.cmp(b.0));
        // One list for every group in turn.
        let mut group: Vec<&Fact> = Vec::new();
        for (_, chain) in keyed {
            group.clear();
            group.extend(chain.copied());
            self.ytd_group(rule, &group, findings, ticks, &mut evaluated);
        }
        evaluated
    }

    fn ytd_group(
        &self,
        rule: &Rule,
        group: &[&Fact],
        findings: &mut Vec<Finding>,
        ticks: &mut Vec<Tick>,
        evaluated: &mut bool,
    ) {
        for &long in group {
            let Period::Duration {
                start: ls, end: le, ..
            } = long.period
            else {
                continue;
            };
            let Some(concept) = &long.concept else {
                continue;
            };
            for &short in group {
                let Period::Duration {
                    start: ss, end: se, ..
                } = short.period
                else {
                    continue;
                };
                let contained = ss >= ls && se <= le && (ss, se) != (ls, le);
                if !contained
                    || short.concept.as_ref() != Some(concept)
                    || short.member != long.member
                {
                    continue;
                }
                if short.value.is_sign_negative() || long.value.is_sign_negative() {
                    continue;
                }
                *evaluated = true;
                // Formatted only for a tick or a finding.
                let name = || {
                    long.text()
                        .rsplit_once(": ")
                        .map_or(concept.as_str().to_owned(), |(l, _)| l.to_owned())
                };
                let labels = || {
                    vec![
                        Label::new(long.span, format!("{} ({})", long.text(), long.period)),
                        Label::new(short.span, format!("{} ({})", short.text(), short.period)),
                    ]
                };
                if long.interval.hi >= short.interval.lo {
                    if self.record {
                        ticks.push(Tick {
                            rule: rule.id.clone(),
                            text: format!(
                                "{} for {} is {}, at least the {} for {} it contains",
                                name(),
                                long.period,
                                format_amount(long.printed),
                                format_amount(short.printed),
                                short.period
                            ),
                            labels: labels(),
                        });
                    }
                    continue;
                }
                let message = format!(
                    "{}: {} for {} is {} but {} for {} it contains",
                    rule.title,
                    name(),
                    long.period,
                    format_amount(long.printed),
                    format_amount(short.printed),
                    short.period
                );
                findings.push(finding(rule, message, labels()));
            }
        }
    }
}

fn describe_binding(b: &Binding<'_, '_>) -> String {
    match (b.start, b.end) {
        (Some(s), Some(e)) => format!("{} (balances {} and {})", b.current, s.end(), e.end()),
        _ => b.current.to_string(),
    }
}

/// How an assertion's computed figures are shown: in the scale and at the
/// precision of its first operand.
struct Shown {
    scale: Decimal,
    decimals: u32,
}

impl Shown {
    fn show(&self, v: Decimal) -> String {
        format_amount(round_to(v / self.scale, self.decimals))
    }
}

/// An assertion's two sides as a reader checks them: the printed figure
/// first, whichever side the rule writes it on (`Gross profit 18,323 ≠
/// 52,686 − 34,263 = 18,423`); `swapped` when that is the rule's right side.
struct Equation {
    first: Side,
    second: Side,
    cmp: crate::rules::expr::Cmp,
    swapped: bool,
}

fn equation(
    assertion: &crate::rules::Assertion,
    lhs: Decimal,
    rhs: Decimal,
    operands: &[(String, Operand)],
    show: &dyn Fn(Decimal) -> String,
) -> Equation {
    let l = describe_side(&assertion.lhs, lhs, operands, show);
    let r = describe_side(&assertion.rhs, rhs, operands, show);
    let swapped = !l.printed && r.printed;
    if swapped {
        Equation {
            first: r,
            second: l,
            cmp: assertion.cmp.flipped(),
            swapped,
        }
    } else {
        Equation {
            first: l,
            second: r,
            cmp: assertion.cmp,
            swapped,
        }
    }
}

/// `Accumulated deficit (closing balance): (704,802)`: an operand's row
/// label, its role in a roll-forward, and its figure as printed.
fn operand_label(name: &str, o: &Operand, note: &str) -> Label {
    let role = match name.trim_end_matches('?').rsplit_once('@') {
        Some((_, "start")) => " (opening balance)",
        Some((_, "end")) => " (closing balance)",
        _ => "",
    };
    Label::new(
        o.span,
        format!("{}{role}: {}{note}", o.label, format_amount(o.shown)),
    )
}

/// `v` at the printed precision: `0.2` shown with two decimals is `0.20`.
fn round_to(v: Decimal, decimals: u32) -> Decimal {
    let mut r = v.round_dp(decimals);
    r.rescale(decimals);
    r
}

pub(crate) fn finding(rule: &Rule, message: String, labels: Vec<Label>) -> Finding {
    Finding {
        rule: rule.id.clone(),
        severity: rule.severity,
        message,
        help: Some(rule.help.clone()),
        url: rule.url(),
        labels,
        acknowledged: false,
        difference: None,
        elsewhere: Vec::new(),
    }
}

/// A term of a footing: a row, and whether it was itself a total.
#[derive(Clone, Copy)]
struct Term {
    row: usize,
    subtotal: bool,
}

/// Foots every total of one table. Returns whether any total was checked.
///
/// Rows are read top to bottom keeping the open items since the last
/// section heading. A total (a row under a single rule, or labelled
/// `Total ...`) closes the open items back to the heading; its signs are the
/// one combination that foots in every column (an earlier subtotal may also
/// be left out, as in `Total operating expenses` printed under `Total
/// revenues`). A total that foots under no combination is reported with
/// the combination that fits the most columns.
fn foot_table(
    t: &Table,
    columns: &[bool],
    scratch: &mut FootScratch,
    failures: &mut Vec<NotFooting>,
    footed: &mut Vec<Footed>,
) -> bool {
    let mut evaluated = false;
    // Open items; `None` marks a section heading.
    let mut open: Vec<Option<Term>> = Vec::new();
    // The lists each total fills, kept from one total to the next.
    let (mut lines, mut starts, mut terms): (Vec<Term>, Vec<usize>, Vec<Term>) = Default::default();
    for (ri, row) in t.rows.iter().enumerate() {
        if row.kind == RowKind::Heading {
            open.push(None);
            continue;
        }
        // Any case, without a lowercase copy of every label.
        let begins = |p: &str| starts_with_ignore_ascii_case(row.label.as_bytes(), p.as_bytes());
        let labelled_total = begins("total");
        let ruled = row.rule_above == Rule_::Single;
        // `Net ...` and `Gross ...` rows, and totals of share counts or
        // per-share figures, close their lines only when they foot: they
        // are never reported.
        let share_row = names_shares(&row.label);
        let soft = !(labelled_total || ruled) && (begins("net ") || begins("gross ")) || share_row;
        // A total printed above its lines (`TOTAL HARDWARE SYSTEMS
        // REVENUES` over its deeper-indented products and support) closes
        // nothing above it. The lines under it may be a selection (the
        // adjusted items of a reconciliation under `TOTAL OPERATING
        // EXPENSES`), so it counts as footed only when they add up to it
        // exactly, is reported only when they add up to it in most of its
        // columns, and is otherwise not checked.
        if labelled_total && !ruled {
            lines.clear();
            lines.extend(
                t.rows[ri + 1..]
                    .iter()
                    .take_while(|r| {
                        r.kind == RowKind::Values
                            && r.indent > row.indent
                            && r.rule_above == Rule_::None
                    })
                    .enumerate()
                    .map(|(k, _)| Term {
                        row: ri + 1 + k,
                        subtotal: false,
                    }),
            );
            if !lines.is_empty() {
                if lines.len() >= 2 {
                    match foot_total(t, columns, ri, &lines, scratch, Failure::Wanted) {
                        Ok(Some(f)) if f.inexact.is_empty() && f.combo.iter().all(|&s| s == 1) => {
                            evaluated = true;
                            footed.push(f);
                        }
                        // Lines that add up to it in most columns but not in
                        // one: a typo, not a selection.
                        Err(Some(nf)) if nf.footed_columns > nf.failed_columns => {
                            evaluated = true;
                            failures.push(*nf);
                        }
                        _ => {}
                    }
                }
                open.push(None);
                continue;
            }
        }
        if !(labelled_total || ruled || soft) {
            open.push(Some(Term {
                row: ri,
                subtotal: false,
            }));
            continue;
        }
        // Where the total's lines may start: after the nearest heading, then
        // after each earlier one (nested sections), then the table's start;
        // a soft total may also cover only the last few lines.
        let nearest = open.iter().rposition(Option::is_none).map_or(0, |p| p + 1);
        if open[nearest..].iter().flatten().count() < 2 {
            // A rule above a plain line closes the block above it instead.
            open.push(Some(Term {
                row: ri,
                subtotal: false,
            }));
            continue;
        }
        starts.clear();
        starts.push(nearest);
        for (i, item) in open[..nearest.saturating_sub(1)].iter().enumerate().rev() {
            if item.is_none() {
                starts.push(i + 1);
            }
        }
        if nearest > 0 {
            starts.push(0);
        }
        // A soft total may cover only the last few lines; so may a ruled
        // one that is not labelled `Total` (`Loans, net` under the loans
        // and their allowance, in a balance sheet without headings), tried
        // after every full range.
        if soft || (ruled && !labelled_total) {
            starts.extend(nearest + 1..open.len().saturating_sub(1));
        }
        let mut chosen: Option<usize> = None;
        // The failure to report when no range foots, with its start: the
        // nearest range's, unless a wider one foots in more columns (a
        // typo in one column of a total over several sections must not
        // make it close only its last section, and every total above it
        // fail in the columns that are right).
        let mut first_failure: Option<(usize, Box<NotFooting>)> = None;
        // Subtotals the chosen sign combination left out: they stay open
        // for the totals further down (`Total assets` still adds `Total
        // current assets` after a net property subtotal left it out).
        let mut left_out: Vec<Term> = Vec::new();
        for &from in &starts {
            terms.clear();
            terms.extend(open[from..].iter().flatten().copied());
            if terms.len() < 2 {
                continue;
            }
            // A soft total's failure is never reported, nor does it decide
            // anything: the row is then an ordinary line, whichever range
            // failed and however (see the match after this loop).
            let failure = if soft {
                Failure::Unneeded
            } else {
                Failure::Wanted
            };
            match foot_total(t, columns, ri, &terms, scratch, failure) {
                Ok(ok) => {
                    chosen = Some(from);
                    if let Some(f) = &ok {
                        left_out = f
                            .terms
                            .iter()
                            .zip(&f.combo)
                            .filter(|&(tm, &sign)| sign == 0 && tm.subtotal)
                            .map(|(tm, _)| *tm)
                            .collect();
                    }
                    // A soft total that foots only within rounding is
                    // evidence of a one-unit typo only when it is a `Net`
                    // or `Gross` row adding two lines or more: one that
                    // stands for a single line, or a share count or
                    // per-share figure (diluted shares under basic ones and
                    // their earnings per share), may not be a total at all.
                    footed.extend(ok.filter(|f| {
                        !soft
                            || f.inexact.is_empty()
                            || !share_row && f.combo.iter().filter(|&&s| s != 0).count() >= 2
                    }));
                    break;
                }
                Err(None) => {}
                Err(Some(f)) => {
                    if first_failure
                        .as_ref()
                        .is_none_or(|(_, g)| f.footed_columns > g.footed_columns)
                    {
                        first_failure = Some((from, f));
                    }
                }
            }
        }
        let from = match (chosen, first_failure) {
            (Some(from), _) => {
                evaluated = true;
                from
            }
            // A rule printed right under a total may close that total
            // rather than open a new one (`Effect of exchange rate changes`
            // under `Net cash used for financing activities`): a row marked
            // by that rule alone that foots over nothing is not a total.
            // Unless it foots in most of its columns: then it is a total
            // with a typo in the others (`Consolidated Sales and Revenues`
            // under `Financial Products Revenues`).
            (None, Some((_, f)))
                if !labelled_total
                    && closes_previous_total(&open, ri)
                    && f.footed_columns <= f.failed_columns =>
            {
                open.push(Some(Term {
                    row: ri,
                    subtotal: false,
                }));
                continue;
            }
            (None, Some((from, f))) if !soft => {
                evaluated = true;
                failures.push(*f);
                from
            }
            _ => {
                // Not a total after all (a rule above a plain line closes
                // the block above it instead).
                open.push(Some(Term {
                    row: ri,
                    subtotal: false,
                }));
                continue;
            }
        };
        // The heading the total closes goes with its lines.
        let from = if from > 0 && open[from - 1].is_none() {
            from - 1
        } else {
            from
        };
        open.truncate(from);
        open.extend(left_out.into_iter().map(Some));
        open.push(Some(Term {
            row: ri,
            subtotal: true,
        }));
    }
    evaluated
}

/// Whether the row just above row `ri` is a total that was just closed.
fn closes_previous_total(open: &[Option<Term>], ri: usize) -> bool {
    open.last()
        .copied()
        .flatten()
        .is_some_and(|t| t.subtotal && t.row + 1 == ri)
}

const MAX_TERMS: usize = 12;
const MAX_COMBINATIONS: usize = 4096;
/// Totals that must foot exactly before a rounding difference is suspect.
const MIN_EXACT_TOTALS: usize = 5;

/// Changes, column totals and period sums that must be exact before one
/// that holds only within rounding is suspect.
pub(crate) const MIN_EXACT: usize = 4;

/// A release's own convention for one kind of check: when at least
/// [`MIN_EXACT`] of its figures are exact and at most one in ten (or one)
/// holds only within rounding, those few are more likely typos than
/// rounding. `rounded` counts the checks that hold only within rounding.
fn keeps_exact(exact: usize, rounded: usize) -> bool {
    exact >= MIN_EXACT && rounded >= 1 && rounded <= (exact / 10).max(1)
}

/// How a checked figure fits the figures it is computed from: exactly,
/// only within the rounding of the printed figures, or not at all.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Fit {
    Exact,
    Rounded,
    No,
}

/// How many of `fits` are exact and how many hold only within rounding
/// (for [`keeps_exact`]).
fn fit_counts(fits: impl IntoIterator<Item = Fit>) -> (usize, usize) {
    fits.into_iter()
        .fold((0, 0), |(exact, rounded), f| match f {
            Fit::Exact => (exact + 1, rounded),
            Fit::Rounded => (exact, rounded + 1),
            Fit::No => (exact, rounded),
        })
}

/// How a pair of rules judges the figures it checks by their [`Fit`]: the
/// mismatch rule (scope `table`) reports a figure that does not fit and ties
/// the others; the off-by-rounding rule (scope `document`) uses the
/// release's own convention and reports a figure that fits only within
/// rounding when the release's other figures of the kind are exact
/// ([`keeps_exact`]). The change, basis-point, total-column and period-sum
/// checks judge their figures this way.
#[derive(Clone, Copy)]
pub(crate) struct Judgement {
    /// The rule is the release's convention (scope `document`).
    pub convention: bool,
    /// How many of the release's figures of the kind are exact.
    pub exact: usize,
    /// The release keeps its figures exact: a rounded one is suspect.
    suspect: bool,
}

impl Judgement {
    /// The judgement of `rule` over `fits`, every figure of the kind in the
    /// release. `warned`: the release says its figures may not add by
    /// rounding, so none is suspect.
    pub(crate) fn new(rule: &Rule, fits: impl IntoIterator<Item = Fit>, warned: bool) -> Self {
        let convention = rule.scope == crate::rules::Scope::Document;
        let (exact, rounded) = fit_counts(fits);
        Judgement {
            convention,
            exact,
            suspect: convention && !warned && keeps_exact(exact, rounded),
        }
    }

    /// Whether a figure that fits as `fit` is reported.
    pub(crate) fn reports(self, fit: Fit) -> bool {
        if self.convention {
            self.suspect && fit == Fit::Rounded
        } else {
            fit == Fit::No
        }
    }

    /// Whether a figure not reported is tied by the rule: the mismatch rule
    /// ties every figure that fits; the convention ties none.
    pub(crate) fn ties(self, fit: Fit) -> bool {
        fit != Fit::No && !self.convention
    }
}

/// A total that foots within rounding, with the sign combination used and
/// the columns where it is not exact.
struct Footed {
    table: usize,
    total: usize,
    terms: Vec<Term>,
    combo: Vec<i8>,
    /// `(column, sum of the lines, printed total)` where they differ.
    inexact: Vec<(usize, Decimal, Decimal)>,
}

impl Footed {
    /// Pushes the cells this footing tied: in each footed column
    /// (`columns`, the table's) where the total prints a figure, the total
    /// and every line the sign combination adds or subtracts (percentages
    /// and basis points are never footed).
    fn push_cells(&self, t: &Table, columns: &[bool], out: &mut Vec<Span>) {
        let figure = |c: &crate::ast::Cell| !c.percent && !c.basis_points;
        let cell = |r: usize, c: usize| {
            t.rows[r]
                .cells
                .get(c)
                .and_then(Option::as_ref)
                .filter(|x| figure(x))
        };
        let cols = || {
            columns
                .iter()
                .enumerate()
                .filter(|&(c, &footed)| footed && cell(self.total, c).is_some())
                .map(|(c, _)| c)
        };
        let rows = std::iter::once(self.total).chain(
            self.terms
                .iter()
                .zip(&self.combo)
                .filter(|&(_, &s)| s != 0)
                .map(|(tm, _)| tm.row),
        );
        for r in rows {
            out.extend(cols().filter_map(|c| cell(r, c)).map(|x| x.span));
        }
    }
}

impl Footed {
    /// One tick per column where the total prints a figure: `Total
    /// revenues 156,455 = 76,468 + 31,870 + 44,202 + 3,915`, the total's
    /// cell first.
    fn ticks(&self, t: &Table, columns: &[bool], rule: &Rule, ticks: &mut Vec<Tick>) {
        let figure = |c: &crate::ast::Cell| !c.percent && !c.basis_points;
        let total_row = &t.rows[self.total];
        for (c, (col, &footed)) in t.columns.iter().zip(columns).enumerate() {
            if !footed {
                continue;
            }
            let Some(total) = total_row.cells.get(c).and_then(Option::as_ref) else {
                continue;
            };
            if !figure(total) {
                continue;
            }
            let mut expr = String::new();
            let mut labels = vec![Label::new(
                total.span,
                format!(
                    "{}: {}",
                    display_label(&total_row.label),
                    format_amount(total.value)
                ),
            )];
            let mut sum = Decimal::ZERO;
            for (tm, &s) in self.terms.iter().zip(&self.combo) {
                let Some(cell) = t.rows[tm.row].cells.get(c).and_then(Option::as_ref) else {
                    continue;
                };
                if s == 0 || !figure(cell) {
                    continue;
                }
                let v = cell.value;
                if expr.is_empty() {
                    expr = format_amount(Decimal::from(s) * v);
                } else {
                    expr.push_str(if s > 0 { " + " } else { " − " });
                    expr.push_str(&format_amount(v));
                }
                sum += Decimal::from(s) * v;
                labels.push(Label::new(
                    cell.span,
                    format!(
                        "{}: {}",
                        display_label(&t.rows[tm.row].label),
                        format_amount(v)
                    ),
                ));
            }
            if labels.len() < 2 {
                continue;
            }
            let period = col
                .period
                .map_or_else(|| format!("column {}", c + 1), |p| p.to_string());
            let text = if sum == total.value {
                format!(
                    "{} {} = {expr} ({period})",
                    display_label(&total_row.label),
                    format_amount(total.value)
                )
            } else {
                format!(
                    "{} {} ≈ {expr} = {} ({period}; within rounding)",
                    display_label(&total_row.label),
                    format_amount(total.value),
                    format_amount(sum)
                )
            };
            ticks.push(Tick {
                rule: rule.id.clone(),
                text,
                labels,
            });
        }
    }
}

/// Whether a row label has the word `share` or `shares`, any case (words
/// as [`any_label_word`] splits them).
fn names_shares(label: &str) -> bool {
    // Most labels hold no `share` at all: one search for it says so before
    // any word is split off.
    if !crate::parse::period::contains_ignore_ascii_case(label.as_bytes(), b"share") {
        return false;
    }
    any_label_word(label, |w| {
        w.eq_ignore_ascii_case("share") || w.eq_ignore_ascii_case("shares")
    })
}

/// Whether `f` holds for a word of `label`, the words in order: the runs of
/// alphanumeric characters. An ASCII label (most are) is split by bytes,
/// without decoding characters: the same words, since an ASCII character
/// is alphanumeric exactly when its byte is. Each word is a slice of
/// `label`.
pub(crate) fn any_label_word<'a>(label: &'a str, mut f: impl FnMut(&'a str) -> bool) -> bool {
    if label.is_ascii() {
        crate::parse::source::any_ascii_word(label.as_bytes(), |s, e| f(&label[s..e]))
    } else {
        label
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .any(f)
    }
}

/// Per column of `t`: whether its totals are footed ([`footed_column`]).
fn footed_columns(t: &Table) -> Vec<bool> {
    (0..t.columns.len()).map(|c| footed_column(t, c)).collect()
}

/// Whether footing checks column `c` of `t`: not a percentage column, nor
/// a change column headed better/worse (`B/(W)`, `Favorable
/// (Unfavorable)`). Such a column prints a cost that grew as negative, as
/// it does a revenue that fell, so its figures do not foot with the signs
/// of the period columns (gross profit is revenue *plus* cost of revenue
/// there) and no one sign per line fits it and them; the change-column
/// rule checks its figures, on their magnitudes.
fn footed_column(t: &Table, c: usize) -> bool {
    use crate::ast::ColumnKind;
    let col = &t.columns[c];
    match col.kind {
        ColumnKind::Percent => false,
        ColumnKind::Change => !crate::check_columns::better_worse(&col.header_text()),
        ColumnKind::Period | ColumnKind::Other => true,
    }
}

/// The lists [`foot_total`] fills for each total it tries, kept from one
/// total to the next of a release (which tries thousands) rather than made
/// for each.
#[derive(Default)]
struct FootScratch {
    cols: Vec<usize>,
    flat: Vec<(Decimal, u32)>,
    scaled: Vec<(i64, i64)>,
    /// The combination that adds every term.
    all_added: Vec<i8>,
}

/// Whether a caller of [`foot_total`] needs the details of a total that
/// does not foot (to report it, or to weigh it against another range).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Failure {
    Wanted,
    /// The caller drops the failure whatever it is: a `Net` or `Gross` row,
    /// or a share count, that closes its lines only when they foot.
    Unneeded,
}

/// Whether `total` foots over `terms`: `Ok(Some(..))` with the sign
/// combination that does, `Ok(None)` when no column can be checked, and
/// `Err(..)` when it does not foot: with what a finding needs when
/// `failure` asks for it (made only if the caller reports it: one trying
/// several ranges reports the best), otherwise `Err(None)`, without the
/// walk through every combination that finding takes.
fn foot_total(
    t: &Table,
    columns: &[bool],
    total: usize,
    terms: &[Term],
    scratch: &mut FootScratch,
    failure: Failure,
) -> Result<Option<Footed>, Option<Box<NotFooting>>> {
    let FootScratch {
        cols,
        flat,
        scaled,
        all_added,
    } = scratch;
    cols.clear();
    cols.extend(
        (0..t.columns.len())
            .filter(|&c| columns[c])
            .filter(|&c| t.rows[total].cells.get(c).is_some_and(Option::is_some))
            .filter(|&c| {
                terms
                    .iter()
                    .any(|tm| t.rows[tm.row].cells.get(c).is_some_and(Option::is_some))
            })
            .filter(|&c| {
                let all = std::iter::once(total).chain(terms.iter().map(|tm| tm.row));
                !all.into_iter().any(|r| {
                    t.rows[r]
                        .cells
                        .get(c)
                        .and_then(Option::as_ref)
                        .is_some_and(|x| x.percent || x.basis_points || x.out_of_range)
                })
            }),
    );
    if cols.is_empty() {
        return Ok(None);
    }
    let cols: &[usize] = cols;
    // The printed figures, read once: per checked column, the total and
    // then each term (value and decimals), the columns one after another.
    let w = terms.len() + 1;
    flat.clear();
    for &c in cols {
        flat.push(cell_value(t, total, c));
        flat.extend(terms.iter().map(|tm| cell_value(t, tm.row, c)));
    }
    let flat: &[(Decimal, u32)] = flat;
    // `i` indexes `cols`.
    let figures = |i: usize| &flat[i * w..(i + 1) * w];
    // The same figures as integers, for the many trial combinations; a
    // column that does not fit is left as zeros (a unit of zero).
    scaled.clear();
    for i in 0..cols.len() {
        if !scale_into(figures(i), scaled) {
            scaled.resize((i + 1) * w, (0, 0));
        }
    }
    let scaled: &[(i64, i64)] = scaled;
    let foots = |combo: &[i8], i: usize| foot_column(figures(i), combo);
    // (foots within rounding, exactly), the quick way when it can be.
    let quick = |combo: &[i8], i: usize| match &scaled[i * w..(i + 1) * w] {
        s if s[0].1 != 0 => foots_scaled(s, combo),
        _ => {
            let (ok, sum, tv) = foots(combo, i);
            (ok, sum == tv)
        }
    };
    // Whether `combo` foots in every column, and if so whether exactly.
    let foots_everywhere = |combo: &[i8]| {
        let mut exact = true;
        for i in 0..cols.len() {
            let (ok, is_exact) = quick(combo, i);
            if !ok {
                return None;
            }
            exact &= is_exact;
        }
        Some(exact)
    };
    // The combination preferred above all others adds every term; most
    // totals foot with it exactly, and then no other need be made.
    all_added.clear();
    all_added.resize(terms.len(), 1);
    let all_added: &[i8] = all_added;
    if foots_everywhere(all_added) == Some(true) {
        return Ok(Some(Footed {
            table: 0,
            total,
            terms: terms.to_vec(),
            combo: all_added.to_vec(),
            inexact: Vec::new(),
        }));
    }
    let combos = cached_sign_combinations(terms);
    // The first combination (in order of preference) that foots in every
    // column; an exact one is preferred over one that needs rounding, so
    // when none is exact the walk goes through them all. A combination is
    // dropped at the first column it does not foot (most fail in the
    // first).
    let mut within: Option<&[i8]> = None;
    for combo in combos.iter() {
        let mut exact = true;
        let everywhere = (0..cols.len()).all(|i| {
            let (ok, is_exact) = quick(combo, i);
            exact &= is_exact;
            ok
        });
        if everywhere {
            if exact {
                within = Some(combo);
                break;
            }
            within.get_or_insert(combo);
        }
    }
    if let Some(combo) = within {
        // The sums in decimals only where the quick way says the column is
        // not exact (it agrees with them; most are).
        let inexact = (0..cols.len())
            .filter(|&i| !quick(combo, i).1)
            .filter_map(|i| {
                let (_, sum, tv) = foots(combo, i);
                (sum != tv).then_some((cols[i], sum, tv))
            })
            .collect();
        return Ok(Some(Footed {
            table: 0,
            total,
            terms: terms.to_vec(),
            combo: combo.to_vec(),
            inexact,
        }));
    }
    if failure == Failure::Unneeded {
        return Err(None);
    }
    // None foots everywhere: the one that foots the most columns, then
    // leaves out the fewest terms, then comes first, for the finding.
    let mut best: Option<(usize, usize, &[i8])> = None;
    for combo in combos.iter() {
        let footed = (0..cols.len()).filter(|&i| quick(combo, i).0).count();
        let left_out = combo.iter().filter(|&&s| s == 0).count();
        if best.is_none_or(|(f, l, _)| footed > f || (footed == f && left_out < l)) {
            best = Some((footed, left_out, combo));
        }
    }
    let best = best.map(|(.., combo)| combo.to_vec()).unwrap_or_default();
    let bad: Vec<usize> = (0..cols.len()).filter(|&i| !quick(&best, i).0).collect();
    let Some(&i) = bad.first() else {
        return Ok(None);
    };
    let (_, sum, tv) = foots(&best, i);
    Err(Some(Box::new(NotFooting {
        total,
        terms: terms.to_vec(),
        combo: best.clone(),
        column: cols[i],
        sum,
        total_value: tv,
        allowed: rounding_allowance(figures(i), &best),
        footed_columns: cols.len() - bad.len(),
        failed_columns: bad.len(),
    })))
}

/// A total that does not foot under the combination that fits the most
/// columns, in the first column where it fails; and in how many of the
/// checked columns that combination foots. The finding is written only
/// when it is reported ([`NotFooting::finding`]): most failures are ranges
/// tried and dropped.
struct NotFooting {
    total: usize,
    terms: Vec<Term>,
    combo: Vec<i8>,
    column: usize,
    sum: Decimal,
    total_value: Decimal,
    allowed: Decimal,
    footed_columns: usize,
    failed_columns: usize,
}

impl NotFooting {
    fn finding(&self, t: &Table, rule: &Rule) -> Finding {
        let others = if self.failed_columns > 1 {
            format!(" (and {} other column(s))", self.failed_columns - 1)
        } else {
            String::new()
        };
        footing_finding(
            t,
            self.total,
            &self.terms,
            &self.combo,
            self.column,
            self.sum,
            self.total_value,
            rule,
            &format!("rounding allows {}", format_amount(self.allowed)),
            &others,
        )
    }
}

/// Sign combinations of a total's terms, in order of preference, stored
/// flat: combination `k` is `signs[k * len..(k + 1) * len]`.
struct SignCombinations {
    signs: Vec<i8>,
    len: usize,
    count: usize,
}

impl SignCombinations {
    fn iter(&self) -> impl Iterator<Item = &[i8]> {
        (0..self.count).map(|k| &self.signs[k * self.len..(k + 1) * self.len])
    }
}

/// [`sign_combinations`] of a shape of terms (how many, which are
/// subtotals), made once per thread and shape: the totals of a sweep come
/// in a few shapes, and a shape of twelve terms has thousands of
/// combinations to build and order. At most 64 shapes are kept.
fn cached_sign_combinations(terms: &[Term]) -> std::rc::Rc<SignCombinations> {
    use std::cell::RefCell;
    use std::rc::Rc;
    type Cache = RefCell<FxHashMap<(usize, u16), Rc<SignCombinations>>>;
    // The subtotal flags of a shape fit the key's 16 bits.
    const _: () = assert!(MAX_TERMS <= 16);
    thread_local! {
        static CACHE: Cache = RefCell::new(FxHashMap::default());
    }
    if terms.len() > MAX_TERMS {
        return Rc::new(sign_combinations(terms));
    }
    let subtotals = terms
        .iter()
        .enumerate()
        .fold(0u16, |m, (i, t)| m | (u16::from(t.subtotal) << i));
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= 64 {
            cache.clear();
        }
        cache
            .entry((terms.len(), subtotals))
            .or_insert_with(|| Rc::new(sign_combinations(terms)))
            .clone()
    })
}

/// Sign choices per term: 1, -1, or 0 (left out, subtotals only); the first
/// term is always added or (a subtotal) left out. Ordered by preference:
/// fewest left out, then fewest subtracted.
fn sign_combinations(terms: &[Term]) -> SignCombinations {
    let choices: Vec<&[i8]> = terms
        .iter()
        .enumerate()
        .map(|(i, tm)| -> &[i8] {
            match (tm.subtotal, i == 0) {
                (true, true) => &[1, 0],
                (true, false) => &[1, -1, 0],
                (false, true) => &[1],
                (false, false) => &[1, -1],
            }
        })
        .collect();
    // The search is exhaustive for ordinary totals; past a few thousand
    // combinations (hostile or huge tables) only the two usual shapes are tried.
    let combinations: usize = choices
        .iter()
        .map(|c| c.len())
        .try_fold(1usize, |acc, n| acc.checked_mul(n))
        .unwrap_or(usize::MAX);
    let full_search = terms.len() <= MAX_TERMS && combinations <= MAX_COMBINATIONS;
    let len = terms.len();
    // Built term by term: every combination so far, extended by each option.
    let mut signs: Vec<i8> = Vec::new();
    let mut count = 1;
    for (i, ch) in choices.iter().enumerate() {
        let options: &[i8] = if full_search { ch } else { &ch[..1] };
        let mut next = Vec::with_capacity(count * options.len() * (i + 1));
        for k in 0..count {
            for &s in options {
                next.extend_from_slice(&signs[k * i..(k + 1) * i]);
                next.push(s);
            }
        }
        signs = next;
        count *= options.len();
    }
    if !full_search {
        signs.push(1);
        signs.extend(std::iter::repeat_n(-1, len.saturating_sub(1)));
        count += 1;
    }
    // A stable sort of the combinations by (left out, subtracted).
    let key = |k: usize| {
        let c = &signs[k * len..(k + 1) * len];
        (
            c.iter().filter(|&&s| s == 0).count(),
            c.iter().filter(|&&s| s < 0).count(),
        )
    };
    let keys: Vec<(usize, usize)> = (0..count).map(key).collect();
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&k| keys[k]);
    let sorted = order
        .iter()
        .flat_map(|&k| signs[k * len..(k + 1) * len].iter().copied())
        .collect();
    SignCombinations {
        signs: sorted,
        len,
        count,
    }
}

fn cell_value(t: &Table, r: usize, c: usize) -> (Decimal, u32) {
    t.rows[r]
        .cells
        .get(c)
        .and_then(Option::as_ref)
        .map_or((Decimal::ZERO, 0), |x| (x.value, x.decimals))
}

/// One column's sum under `combo`, given its `figures` (the total, then
/// each term): (sum of the lines, the unit of the least precise figure in
/// the sum, how many figures the sum holds, the total included).
fn column_sum(figures: &[(Decimal, u32)], combo: &[i8]) -> (Decimal, Decimal, u32) {
    let mut sum = Decimal::ZERO;
    let mut unit = Decimal::new(1, figures[0].1);
    let mut n = 1u32;
    for (&(v, d), &s) in figures[1..].iter().zip(combo) {
        if s == 0 {
            continue;
        }
        unit = unit.max(Decimal::new(1, d));
        n += 1;
        // `+ 1 * v` and `+ (-1) * v` without the multiplication.
        if s > 0 {
            sum += v;
        } else {
            sum -= v;
        }
    }
    (sum, unit, n)
}

/// One column's figures (the total, then each term) as integers in units of
/// the finest decimal any of them prints, with each figure's own unit in
/// the same terms: footing a combination is then integer additions, with
/// the same answer as [`foot_column`]. Only when every figure and unit
/// fits well inside `i64` (below 2^50, at most 2^11 figures), so no sum,
/// difference or allowance overflows; otherwise the caller uses the
/// decimal path. The figures are appended to `out` as (value, unit), each
/// unit at least 1; when they do not fit, `false`, and `out` is left as it
/// was.
fn scale_into(figures: &[(Decimal, u32)], out: &mut Vec<(i64, i64)>) -> bool {
    const LIMIT: i64 = 1 << 50;
    if figures.len() > 1 << 11 {
        return false;
    }
    let finest = figures
        .iter()
        .map(|&(v, d)| v.scale().max(d))
        .max()
        .unwrap_or(0);
    if finest > 28 {
        return false;
    }
    let pow = |k: u32| 10i64.checked_pow(k);
    let start = out.len();
    for &(v, d) in figures {
        let scaled = i64::try_from(v.mantissa())
            .ok()
            .and_then(|m| m.checked_mul(pow(finest - v.scale())?))
            .filter(|m| (-LIMIT..LIMIT).contains(m))
            .zip(pow(finest - d).filter(|&unit| unit < LIMIT));
        match scaled {
            Some(figure) => out.push(figure),
            None => {
                out.truncate(start);
                return false;
            }
        }
    }
    true
}

/// (foots within rounding, foots exactly) under `combo`, given one
/// column's figures from [`scale_into`]: (value, unit), the total first.
fn foots_scaled(figures: &[(i64, i64)], combo: &[i8]) -> (bool, bool) {
    let (total, mut unit) = figures[0];
    let mut sum = 0i64;
    let mut n = 1i64;
    // Without branches (the signs of the many trial combinations are
    // unpredictable): `s` is -1, 0 or 1, `s * s` whether the term is in.
    for (&(v, u), &s) in figures[1..].iter().zip(combo) {
        let s = i64::from(s);
        let used = s * s;
        sum += v * s;
        n += used;
        unit = unit.max(u * used);
    }
    let diff = (sum - total).abs();
    (2 * diff <= unit * n, diff == 0)
}

/// Whether a total foots under `combo`, given one column's `figures`:
/// (foots within rounding, sum of the lines, printed total). Within
/// rounding means `|sum - total| <= unit * n / 2` (see
/// [`rounding_allowance`]), tested as `2 * |sum - total| <= unit * n` so that
/// no division is made.
fn foot_column(figures: &[(Decimal, u32)], combo: &[i8]) -> (bool, Decimal, Decimal) {
    let tv = figures[0].0;
    let (sum, unit, n) = column_sum(figures, combo);
    let diff = (sum - tv).abs();
    let within = match (
        diff.checked_mul(Decimal::TWO),
        unit.checked_mul(Decimal::from(n)),
    ) {
        (Some(twice), Some(bound)) => twice <= bound,
        _ => diff <= unit * Decimal::from(n) / Decimal::TWO,
    };
    (within, sum, tv)
}

/// The rounding a total may differ by under `combo`, given one column's
/// `figures`: half a unit of the least precise figure for each figure in
/// the sum (the terms and the total).
fn rounding_allowance(figures: &[(Decimal, u32)], combo: &[i8]) -> Decimal {
    let (_, unit, n) = column_sum(figures, combo);
    unit * Decimal::from(n) / Decimal::TWO
}

/// The finding for a total in column `c`: labels on the total and each
/// term, the sum written out.
#[allow(clippy::too_many_arguments)]
fn footing_finding(
    t: &Table,
    total: usize,
    terms: &[Term],
    combo: &[i8],
    c: usize,
    sum: Decimal,
    tv: Decimal,
    rule: &Rule,
    allowance: &str,
    others: &str,
) -> Finding {
    let total_row = &t.rows[total];
    let period = t.columns[c]
        .period
        .map_or_else(|| format!("column {}", c + 1), |p| p.to_string());
    let mut expr = String::new();
    for (tm, &s) in terms.iter().zip(combo) {
        if s == 0 {
            continue;
        }
        let (v, _) = cell_value(t, tm.row, c);
        if expr.is_empty() {
            expr = format_amount(Decimal::from(s) * v);
        } else {
            expr.push_str(if s > 0 { " + " } else { " - " });
            expr.push_str(&format_amount(v));
        }
    }
    let message = format!(
        "{}: {} ({period}) is {} but its lines add up to {} ({expr}); difference {} ({allowance}){others}",
        rule.title,
        display_label(&total_row.label),
        format_amount(tv),
        format_amount(sum),
        format_amount(tv - sum),
    );
    let mut labels = Vec::new();
    if let Some(Some(cell)) = total_row.cells.get(c) {
        labels.push(Label::new(
            cell.span,
            format!("total: {}", format_amount(tv)),
        ));
    }
    for (tm, &s) in terms.iter().zip(combo) {
        if s == 0 {
            continue;
        }
        if let Some(Some(cell)) = t.rows[tm.row].cells.get(c) {
            let sign = if s > 0 { "+" } else { "-" };
            labels.push(Label::new(
                cell.span,
                format!("{sign} {}", format_amount(cell.value)),
            ));
        }
    }
    let mut f = finding(rule, message, labels);
    f.difference = Some(tv - sum);
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A column of printed figures: the total, then the terms, each with
    /// up to three decimals and a value up to 10^11 at that precision (a
    /// total of seven is below 10^15 in thousandths, within the integer
    /// path's 2^50).
    fn column() -> impl Strategy<Value = Vec<(Decimal, u32)>> {
        prop::collection::vec((-100_000_000_000i64..100_000_000_000, 0u32..4), 2..8).prop_map(|v| {
            v.into_iter()
                .map(|(m, d)| (Decimal::new(m, d), d))
                .collect()
        })
    }

    proptest! {
        /// Fewer repeats, nothing lost: the same distinct items in the order
        /// of their first appearance, a subsequence of the items, and no
        /// item kept twice in a row; with more distinct items than the
        /// window holds too.
        #[test]
        fn fewer_repeats_keeps_every_item(items in prop::collection::vec(0u8..40, 0..300)) {
            let kept = fewer_repeats(items.iter().copied());
            let distinct = |v: &[u8]| {
                let mut seen = Vec::new();
                for &x in v {
                    if !seen.contains(&x) {
                        seen.push(x);
                    }
                }
                seen
            };
            prop_assert_eq!(distinct(&kept), distinct(&items));
            // A subsequence of the items.
            let mut rest = items.iter();
            prop_assert!(kept.iter().all(|k| rest.any(|x| x == k)));
            prop_assert!(kept.windows(2).all(|w| w[0] != w[1]));
        }

        /// Looking after the last item found first keeps what searching
        /// the whole window kept, for items in cycles (a table's columns
        /// row after row) and for any items.
        #[test]
        fn fewer_repeats_keeps_what_the_window_search_kept(
            items in prop::collection::vec(0u8..40, 0..300),
            cycle in 1u8..24,
            rows in 0usize..30,
            skip in prop::collection::vec(any::<bool>(), 0..720),
        ) {
            fn by_window(items: &[u8]) -> Vec<u8> {
                let mut out: Vec<u8> = Vec::new();
                let mut from = 0;
                for &x in items {
                    if !out[from..].contains(&x) {
                        if out.len() - from == 16 {
                            from = out.len();
                        }
                        out.push(x);
                    }
                }
                out
            }
            prop_assert_eq!(fewer_repeats(items.iter().copied()), by_window(&items));
            // Rows across `cycle` columns, some cells empty.
            let cycled: Vec<u8> = (0..rows)
                .flat_map(|_| 0..cycle)
                .zip(skip.iter().chain(std::iter::repeat(&false)))
                .filter(|&(_, &s)| !s)
                .map(|(c, _)| c)
                .collect();
            prop_assert_eq!(fewer_repeats(cycled.iter().copied()), by_window(&cycled));
        }
    }

    proptest! {
        /// The share-row test reads as the lowercase copy split by
        /// characters did, ASCII or not (`é`, `—`, the Kelvin sign that
        /// Unicode lowercases to `k`, a dotted capital I).
        #[test]
        fn names_shares_reads_as_the_lowercase_split(
            words in prop::collection::vec(
                prop::sample::select(vec![
                    "share", "SHARES", "Shares", "per", "sharesé", "é", "—", "-", "(", " ",
                    "Net", "sHaRe", "shares1", "\u{212a}", "\u{130}", "shar", "es", ",",
                ]),
                0..8,
            ),
        ) {
            let label = words.concat();
            let by_copy = label
                .to_ascii_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "share" || w == "shares");
            prop_assert_eq!(names_shares(&label), by_copy, "{:?}", label);
        }
    }

    proptest! {
        #[test]
        fn the_integer_footing_agrees_with_the_decimal_one(
            mut figures in column(),
            signs in prop::collection::vec(-1i8..=1, 7),
            near in any::<bool>(),
        ) {
            let combo = &signs[..figures.len() - 1];
            // Half the time, a total that (nearly) foots, so both answers
            // are exercised.
            if near {
                let (sum, _, _) = column_sum(&figures, combo);
                let d = figures[0].1;
                figures[0] = (sum.round_dp(d), d);
            }
            let mut scaled = Vec::new();
            prop_assert!(scale_into(&figures, &mut scaled), "small figures scale");
            let (ok, sum, total) = foot_column(&figures, combo);
            prop_assert_eq!(foots_scaled(&scaled, combo), (ok, sum == total));
        }
    }

    /// A table of `figures[c][r]` (row 0 the total), every column a period.
    fn table_of(figures: &[Vec<(Decimal, u32)>], rows: usize) -> Table {
        use crate::ast::{Column, Row, RowKind};
        let cell = |&(value, decimals): &(Decimal, u32)| crate::ast::Cell {
            span: Span::default(),
            value,
            decimals,
            currency: false,
            percent: false,
            nil: false,
            basis_points: false,
            out_of_range: false,
        };
        Table {
            span: Span::default(),
            title: Vec::new(),
            scale: None,
            columns: figures.iter().map(|_| Column::at((0, 0))).collect(),
            rows: (0..rows)
                .map(|r| Row {
                    span: Span::default(),
                    label: std::sync::Arc::from(format!("line {r}")),
                    label_span: Span::default(),
                    markers: Vec::new(),
                    indent: 0,
                    kind: RowKind::Values,
                    rule_above: Rule_::None,
                    rule_below: Rule_::None,
                    cells: figures.iter().map(|col| col.get(r).map(cell)).collect(),
                })
                .collect(),
            footnotes: Vec::new(),
        }
    }

    proptest! {
        /// The search `foot_total` makes, which drops a combination at its
        /// first column that does not foot and weighs the failures only
        /// when asked, picks what trying every combination in every column
        /// picks: the first exact combination that foots everywhere, else
        /// the first that foots within rounding, else (for the finding)
        /// the one that foots the most columns, then leaves out the fewest
        /// terms, then comes first. Without the failure asked for, the
        /// answer is the same and a failure is only said to be one.
        #[test]
        fn the_footing_search_picks_what_every_combination_tried_picks(
            // Small figures, so that several combinations foot, some
            // exactly and some within rounding, or nearly.
            columns in prop::collection::vec(
                prop::collection::vec((-30i64..30, 0u32..2), 2..7).prop_map(|v| {
                    v.into_iter().map(|(m, d)| (Decimal::new(m, d), d)).collect::<Vec<_>>()
                }),
                1..4,
            ),
            nudge in prop::collection::vec(-1i64..=1, 4),
            subtotals in prop::collection::vec(any::<bool>(), 7),
            near in prop::collection::vec(any::<bool>(), 4),
            signs in prop::collection::vec(-1i8..=1, 7),
        ) {
            // As many rows as the shortest column, the total's figure
            // (half the time) the sum of its lines under `signs`.
            let rows = columns.iter().map(Vec::len).min().unwrap_or(0);
            let mut columns: Vec<Vec<(Decimal, u32)>> =
                columns.into_iter().map(|c| c[..rows].to_vec()).collect();
            let combo = &signs[..rows - 1];
            for ((col, &near), &nudge) in columns.iter_mut().zip(&near).zip(&nudge) {
                if near {
                    // The sum, or a unit off it (within rounding).
                    let (sum, _, _) = column_sum(col, combo);
                    let d = col[0].1;
                    col[0] = (sum.round_dp(d) + Decimal::new(nudge, d), d);
                }
            }
            let t = table_of(&columns, rows);
            let terms: Vec<Term> = (1..rows)
                .map(|row| Term { row, subtotal: subtotals[row - 1] })
                .collect();
            let checked = vec![true; columns.len()];
            let mut scratch = FootScratch::default();
            let wanted = foot_total(&t, &checked, 0, &terms, &mut scratch, Failure::Wanted);
            let unneeded = foot_total(&t, &checked, 0, &terms, &mut scratch, Failure::Unneeded);
            // Every combination in every column, in order of preference:
            // (foots within rounding, exactly) per column.
            type Columns = Vec<(bool, bool)>;
            let combos = sign_combinations(&terms);
            let tried: Vec<(&[i8], Columns)> = combos
                .iter()
                .map(|c| {
                    let cols = columns
                        .iter()
                        .map(|col| {
                            let (ok, sum, total) = foot_column(col, c);
                            (ok, sum == total)
                        })
                        .collect();
                    (c, cols)
                })
                .collect();
            let everywhere = |cols: &[(bool, bool)]| cols.iter().all(|&(ok, _)| ok);
            let exact = |cols: &[(bool, bool)]| cols.iter().all(|&(ok, ex)| ok && ex);
            let within = tried
                .iter()
                .find(|(_, cols)| exact(cols))
                .or_else(|| tried.iter().find(|(_, cols)| everywhere(cols)));
            match (&wanted, within) {
                (Ok(Some(f)), Some((c, _))) => {
                    prop_assert_eq!(&f.combo[..], *c);
                    // The columns it foots only within rounding, with their sums.
                    let inexact: Vec<(usize, Decimal, Decimal)> = columns
                        .iter()
                        .enumerate()
                        .filter_map(|(i, col)| {
                            let (_, sum, total) = foot_column(col, c);
                            (sum != total).then_some((i, sum, total))
                        })
                        .collect();
                    prop_assert_eq!(&f.inexact, &inexact);
                }
                (Err(Some(nf)), None) => {
                    let mut best: Option<(usize, usize, &[i8])> = None;
                    for (c, cols) in &tried {
                        let footed = cols.iter().filter(|&&(ok, _)| ok).count();
                        let left_out = c.iter().filter(|&&s| s == 0).count();
                        if best.is_none_or(|(f, l, _)| footed > f || (footed == f && left_out < l)) {
                            best = Some((footed, left_out, c));
                        }
                    }
                    let (footed, _, c) = best.expect("a combination was tried");
                    prop_assert_eq!(&nf.combo[..], c);
                    prop_assert_eq!(nf.footed_columns, footed);
                    prop_assert_eq!(nf.failed_columns, columns.len() - footed);
                }
                _ => prop_assert!(
                    false,
                    "the search and every combination tried disagree on whether it foots"
                ),
            }
            match (&wanted, &unneeded) {
                (Ok(Some(a)), Ok(Some(b))) => {
                    prop_assert_eq!(&a.combo, &b.combo);
                    prop_assert_eq!(&a.inexact, &b.inexact);
                }
                (Err(Some(_)), Err(None)) => {}
                _ => prop_assert!(false, "asked or not, the answer is the same"),
            }
        }
    }

    #[test]
    fn figures_too_large_for_integers_take_the_decimal_path() {
        // Figures below 2^50 in the common unit take the integer path;
        // larger ones (still any Decimal) the decimal one.
        let big = Decimal::from(10i64.pow(14));
        let scales = |figures: &[(Decimal, u32)]| {
            let mut out = vec![(7, 7)];
            let fits = scale_into(figures, &mut out);
            // A column that does not fit leaves nothing behind.
            assert_eq!(out.len(), if fits { 1 + figures.len() } else { 1 });
            fits
        };
        assert!(scales(&[(big, 0), (Decimal::ONE, 0)]));
        assert!(!scales(&[(Decimal::MAX, 0), (Decimal::MAX, 0)]));
        // A figure with many decimals beside a large one overflows the
        // common scale.
        let fine = Decimal::new(1, 20);
        let large = Decimal::from(10i64.pow(12));
        assert!(!scales(&[(large, 0), (fine, 20)]));
    }
}
