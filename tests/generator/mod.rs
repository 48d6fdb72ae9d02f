//! A seeded, deterministic generator of consistent fictional earnings
//! releases, plain text and HTML, for the metamorphic tests of
//! `generated_releases.rs`.
//!
//! `model.rs` draws a company, its reporting period and its statements
//! (income statement with two, three or four columns, balance sheet, an
//! optional revenue-by-segment table and EBITDA reconciliation) and its
//! narrative: every total is computed from the printed (rounded) lines and
//! every narrative claim from the printed table figures, rounded to the
//! precision it is stated at. A release may carry one deliberate
//! off-by-one total (`Release::off_by_one`), as filings that round each
//! figure from unrounded amounts do.
//!
//! `text.rs` lays the model out as a fixed-width EX-99.1 text exhibit and
//! `html.rs` as an HTML exhibit (Workiva-, Donnelley-like or plain markup).
//! Every layout or wording choice beyond the long-standing basic ones is a
//! named [`V`]ariation: a [`Config`] enables a set of them (each then
//! applied where the PRNG picks it) and may force one (applied wherever it
//! can be). [`default_set`] holds the variations tieout currently checks
//! clean and verifies; [`FAILING`] and [`UNVERIFIED`] the others, each with
//! an ignored test in `generated_releases.rs` (or, for the change-column
//! variations of [`COLUMNS`], in `generated_columns.rs`).
//!
//! [`generate_pair`] writes two releases of one company a year apart whose
//! comparative figures agree (or, on request, two of them moved).

#![allow(dead_code)]

pub mod html;
pub mod model;
pub mod text;

use std::ops::Range;

/// A named layout or wording variation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum V {
    // Text layout.
    Tabs,
    Crlf,
    EdgarTags,
    TitleAboveTable,
    LongTitles,
    WrappedLabels,
    ThreeColumns,
    FourColumns,
    FootnoteMarkers,
    DollarInsideParens,
    UnauditedUnderRule,
    ShortScaleLine,
    ScaleInLabelColumn,
    AbbrevMonthHeaders,
    DollarAfterLabel,
    FiscalQHeadersSequential,
    WideCentredTitles,
    AbbrevDecember,
    // Labels (both renderers).
    ShareholdersEquity,
    EpsHeading,
    CostLabels,
    TaxBenefitLabel,
    InterestIncomeOther,
    GrossProfitAllCosts,
    // Narrative.
    NarrPeriodThenNetLoss,
    NarrYearEarlier,
    NarrDecimalEnd,
    NarrFiscalQuarter,
    NarrQualifiers,
    NarrUpFrom,
    NarrRoseTo,
    NarrBalanceSheet,
    NarrBullets,
    FiscalWordsSequential,
    // HTML markup.
    HtmlWorkiva,
    HtmlDonnelley,
    HtmlPlain,
    HtmlHiddenCells,
    HtmlBrHeaders,
    HtmlParenCell,
    HtmlRuleRows,
    // Change columns (both renderers): see `model::add_extras`.
    ChangeColumns,
    PercentChangeColumns,
    BetterWorseColumns,
    /// `nm` (rather than a dash) for a percentage not meaningful, in
    /// plain text (HTML always prints `nm`).
    NmText,
    /// A bare `%` header over the percent column after a change column.
    BarePercentHeader,
    /// A two-line change header (`Increase` over `(Decrease)`) over a
    /// one-line period header (`Q3 2026`): its first line stands alone.
    LoneChangeHeaderLine,
    /// A quarterly trend table: each quarter of the fiscal year so far and
    /// the year to date (a fourth-quarter release: the four quarters and
    /// the year), the quarters adding up to it.
    QuarterlyTrend,
    /// A segment table with the segments as columns beside a `Total`,
    /// `Consolidated` or `Total Company` column (and sometimes a
    /// `Corporate` one) for the current quarter.
    SegmentColumns,
}

pub const ALL: &[V] = &[
    V::Tabs,
    V::Crlf,
    V::EdgarTags,
    V::TitleAboveTable,
    V::LongTitles,
    V::WrappedLabels,
    V::ThreeColumns,
    V::FourColumns,
    V::FootnoteMarkers,
    V::DollarInsideParens,
    V::UnauditedUnderRule,
    V::ShortScaleLine,
    V::ScaleInLabelColumn,
    V::AbbrevMonthHeaders,
    V::DollarAfterLabel,
    V::FiscalQHeadersSequential,
    V::WideCentredTitles,
    V::AbbrevDecember,
    V::ShareholdersEquity,
    V::EpsHeading,
    V::CostLabels,
    V::TaxBenefitLabel,
    V::InterestIncomeOther,
    V::GrossProfitAllCosts,
    V::NarrPeriodThenNetLoss,
    V::NarrYearEarlier,
    V::NarrDecimalEnd,
    V::NarrFiscalQuarter,
    V::NarrQualifiers,
    V::NarrUpFrom,
    V::NarrRoseTo,
    V::NarrBalanceSheet,
    V::NarrBullets,
    V::FiscalWordsSequential,
    V::HtmlWorkiva,
    V::HtmlDonnelley,
    V::HtmlPlain,
    V::HtmlHiddenCells,
    V::HtmlBrHeaders,
    V::HtmlParenCell,
    V::HtmlRuleRows,
    V::ChangeColumns,
    V::PercentChangeColumns,
    V::BetterWorseColumns,
    V::NmText,
    V::BarePercentHeader,
    V::LoneChangeHeaderLine,
    V::QuarterlyTrend,
    V::SegmentColumns,
];

/// Change and percent-change columns: measured by `generated_columns.rs`
/// ([`Config::columns`]), left out of the default run so that the seeds of
/// `generated_releases.rs` keep their releases.
pub const COLUMNS: &[V] = &[
    V::QuarterlyTrend,
    V::SegmentColumns,
    V::ChangeColumns,
    V::PercentChangeColumns,
    V::BetterWorseColumns,
    V::NmText,
    V::BarePercentHeader,
    V::LoneChangeHeaderLine,
];

/// Variations tieout does not check clean yet (see the ignored tests in
/// `generated_releases.rs`): left out of the default run. None now: the
/// change-column layouts once here (`BetterWorseColumns`, `NmText`,
/// `LoneChangeHeaderLine`) are checked clean, each by a test of
/// `generated_columns.rs` that forces it.
pub const FAILING: &[V] = &[];

/// Variations that check clean but whose narrative amounts or figures
/// tieout does not verify (one-digit changes go uncaught): left out of the
/// default run too, so that its detection rates measure what tieout reads.
/// None now (`BarePercentHeader` is verified).
pub const UNVERIFIED: &[V] = &[];

/// The variations tieout checks clean today (the default run): every one
/// but [`FAILING`] and [`UNVERIFIED`].
pub fn default_set() -> Vec<V> {
    ALL.iter()
        .copied()
        .filter(|v| !FAILING.contains(v) && !UNVERIFIED.contains(v) && !COLUMNS.contains(v))
        .collect()
}

/// Which variations a release may use, and its format.
#[derive(Clone, Debug)]
pub struct Config {
    pub html: bool,
    pub enabled: Vec<V>,
    /// Applied wherever it can be (and enabled).
    pub forced: Option<V>,
}

impl Config {
    pub fn text() -> Config {
        Config {
            html: false,
            enabled: default_set(),
            forced: None,
        }
    }
    pub fn html() -> Config {
        Config {
            html: true,
            ..Config::text()
        }
    }
    /// The default set plus the change-column variations ([`COLUMNS`]) but
    /// those in [`FAILING`].
    pub fn columns(html: bool) -> Config {
        let mut enabled = default_set();
        enabled.extend(
            COLUMNS
                .iter()
                .filter(|v| !FAILING.contains(v) && !UNVERIFIED.contains(v)),
        );
        Config {
            html,
            enabled,
            forced: None,
        }
    }
    /// The default set plus `v`, forced.
    pub fn forcing(html: bool, v: V) -> Config {
        let mut enabled = default_set();
        if !enabled.contains(&v) {
            enabled.push(v);
        }
        Config {
            html,
            enabled,
            forced: Some(v),
        }
    }
    /// Only the basic layouts and `v`, forced.
    pub fn alone(html: bool, v: V) -> Config {
        Config {
            html,
            enabled: vec![v],
            forced: Some(v),
        }
    }
    /// Only the basic layouts: no variation at all.
    pub fn basic(html: bool) -> Config {
        Config {
            html,
            enabled: Vec::new(),
            forced: None,
        }
    }
    pub fn enabled(&self, v: V) -> bool {
        self.enabled.contains(&v) || self.forced == Some(v)
    }
    /// Whether to apply `v` here: one PRNG draw whatever the answer, so
    /// that enabling or forcing a variation changes as little as possible.
    pub fn roll(&self, r: &mut Rng, v: V, p: f64) -> bool {
        let x = r.chance(p);
        if self.forced == Some(v) {
            true
        } else {
            x && self.enabled.contains(&v)
        }
    }
}

/// One generated release.
pub struct Release {
    pub seed: u64,
    /// The release as written (plain text, or HTML markup).
    pub text: String,
    pub html: bool,
    /// The total printed one unit off the sum of its printed lines, if any:
    /// its label and the byte range of its row (for HTML, of the row's
    /// markup).
    pub off_by_one: Option<(String, Range<usize>)>,
    /// Byte ranges of the digits of the narrative amounts a table can
    /// verify (`48.2` in `$48.2 million`, `7.1` in `7.1%`).
    pub narrative: Vec<Range<usize>>,
    /// Every printed table figure: its statement, row label, column (the
    /// period columns first, then the change and percent-change ones) and
    /// the byte range of its digits (`1,064` in `(1,064)`, `9.1` in `9.1%`).
    pub cells: Vec<CellAt>,
    /// The variations applied.
    pub used: Vec<V>,
    /// A one-line summary of the choices made, for debugging.
    pub summary: String,
}

/// Where a table figure was printed.
#[derive(Clone, Debug)]
pub struct CellAt {
    /// The statement (its index in the model) and row (in its rows).
    pub si: usize,
    pub row: usize,
    pub kind: model::Kind,
    pub label: String,
    pub col: usize,
    /// The change or percent-change column it is in, if any.
    pub extra: Option<model::XKind>,
    pub range: Range<usize>,
}

impl Release {
    /// The printed figures of change columns (`Change`, `B/(W)`).
    pub fn change_figures(&self) -> Vec<&CellAt> {
        self.cells
            .iter()
            .filter(|c| {
                matches!(
                    c.extra,
                    Some(model::XKind::Change | model::XKind::BetterWorse)
                )
            })
            .collect()
    }
    /// The printed figures of the segment-column table (`total`: of its
    /// total column only).
    pub fn segment_column_figures(&self, total: bool) -> Vec<&CellAt> {
        let last = self
            .cells
            .iter()
            .filter(|c| c.kind == model::Kind::SegmentColumns)
            .map(|c| c.col)
            .max();
        self.cells
            .iter()
            .filter(|c| c.kind == model::Kind::SegmentColumns && (!total || Some(c.col) == last))
            .collect()
    }
    /// The printed figures of the quarterly trend table.
    pub fn quarterly_figures(&self) -> Vec<&CellAt> {
        self.cells
            .iter()
            .filter(|c| c.kind == model::Kind::Quarterly)
            .collect()
    }
    /// The printed figures of percent-change columns.
    pub fn percent_figures(&self) -> Vec<&CellAt> {
        self.cells
            .iter()
            .filter(|c| matches!(c.extra, Some(model::XKind::Percent(_))))
            .collect()
    }
    /// The figure of `label` in column `col` of the first statement of
    /// `kind`.
    pub fn cell(&self, kind: model::Kind, label: &str, col: usize) -> Option<&CellAt> {
        self.cells
            .iter()
            .find(|c| c.kind == kind && c.label == label && c.col == col)
    }
    /// The figure in column `col` of the row of `of`.
    pub fn in_row(&self, of: &CellAt, col: usize) -> Option<&CellAt> {
        self.cells
            .iter()
            .find(|c| c.si == of.si && c.row == of.row && c.col == col)
    }
}

/// A plain-text release with the default variations.
pub fn generate(seed: u64) -> Release {
    generate_with(seed, &Config::text())
}

/// An HTML release with the default variations.
pub fn generate_html(seed: u64) -> Release {
    generate_with(seed, &Config::html())
}

pub fn generate_with(seed: u64, cfg: &Config) -> Release {
    let r = &mut Rng::new(seed);
    let mut model = model::build(r, cfg);
    model::add_extras(&mut model, cfg);
    render(r, seed, cfg, &model)
}

/// How the later release of a pair treats its comparative figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PairEdit {
    /// As the earlier release printed them.
    Same,
    /// Two operating expense lines of the year-ago column moved in opposite
    /// directions (the statement still foots), in an unmarked column.
    Moved,
    /// The same, in a column headed `(As Restated)`.
    Restated,
}

/// Two releases of one company (same name and ticker), the same fiscal
/// quarter a year apart: the later release's year-ago columns (income
/// statement, segment table, EBITDA reconciliation) print what the earlier
/// release printed for its current quarter, unless `edit` moves two of
/// them. Returns (earlier, later, labels of the income-statement lines
/// moved).
pub fn generate_pair(seed: u64, cfg: &Config, edit: PairEdit) -> (Release, Release, Vec<String>) {
    let r = &mut Rng::new(seed);
    let mut early = model::build_as(r, cfg, Some(model::Role::Earlier));
    model::add_extras(&mut early, cfg);
    let earlier = render(r, seed, cfg, &early);
    let r = &mut Rng::new(seed);
    let mut late = model::build_as(r, cfg, Some(model::Role::Later));
    let mut moved = Vec::new();
    if edit != PairEdit::Same {
        let er = &mut Rng::new(seed ^ 0x0BAD_5EED);
        let lines = model::opex_lines(&late, 40);
        if lines.len() >= 2 {
            let two = er.subset(&lines, 2);
            let min = |label: &str| {
                late.statements[0]
                    .rows
                    .iter()
                    .find_map(|row| match row {
                        model::MRow::Line(l) if l.label == label => match l.vals[1] {
                            model::Val::Int(v) => Some(v),
                            _ => None,
                        },
                        _ => None,
                    })
                    .unwrap_or(0)
            };
            let room = min(&two[0]).min(min(&two[1]));
            let d = er.range(2, (room / 4).max(2));
            let (up, down) = if er.chance(0.5) {
                (&two[0], &two[1])
            } else {
                (&two[1], &two[0])
            };
            model::move_year_ago(&mut late, up, d);
            model::move_year_ago(&mut late, down, -d);
            moved = vec![up.clone(), down.clone()];
            if edit == PairEdit::Restated {
                late.statements[0].annot = vec![None, Some("(As Restated)".to_string())];
            }
        }
    }
    model::add_extras(&mut late, cfg);
    let later = render(r, seed, cfg, &late);
    (earlier, later, moved)
}

fn render(r: &mut Rng, seed: u64, cfg: &Config, model: &model::Model) -> Release {
    let (text, off_by_one, narrative, cells, mut used, mut summary) = if cfg.html {
        let h = html::render(r, cfg, model);
        (h.text, h.off_by_one, h.figs, h.cells, h.used, h.summary)
    } else {
        let t = text::render(r, cfg, model);
        (t.text, t.off_by_one, t.figs, t.cells, t.used, t.summary)
    };
    used.sort();
    used.dedup();
    summary.push(format!("{used:?}"));
    Release {
        seed,
        text,
        html: cfg.html,
        off_by_one,
        narrative,
        cells,
        used,
        summary: summary.join("; "),
    }
}

pub(crate) fn round_div(n: i64, d: i64) -> i64 {
    // Round half away from zero.
    let q = (2 * n.abs() + d.abs()) / (2 * d.abs());
    if (n < 0) != (d < 0) { -q } else { q }
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

const SYLLABLES: &[&str] = &[
    "kel", "vor", "tam", "bri", "zan", "quil", "mor", "dra", "fen", "lux", "ora", "pel", "tri",
    "sol", "var", "nex", "ith", "cor", "wyn", "ald", "ber", "cas", "dun", "el", "gar", "hol",
];

pub(crate) fn made_up_word(r: &mut Rng) -> String {
    let n = r.usize(2, 3);
    let mut w = String::new();
    for _ in 0..n {
        w.push_str(r.pick(SYLLABLES));
    }
    capitalize(&w)
}

/// splitmix64: tiny, seedable, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_F00D)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        assert!(lo <= hi);
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }
    pub fn usize(&mut self, lo: usize, hi: usize) -> usize {
        self.range(lo as i64, hi as i64) as usize
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - p
    }
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.usize(0, xs.len() - 1)]
    }
    /// `k` distinct elements of `xs`, in their order in `xs`.
    pub fn subset<T: Clone>(&mut self, xs: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..xs.len()).collect();
        for i in (1..idx.len()).rev() {
            let j = self.usize(0, i);
            idx.swap(i, j);
        }
        let mut chosen: Vec<usize> = idx.into_iter().take(k).collect();
        chosen.sort();
        chosen.into_iter().map(|i| xs[i].clone()).collect()
    }
}
