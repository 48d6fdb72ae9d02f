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
//! an ignored test in `generated_releases.rs`.

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
];

/// Variations tieout does not check clean yet (see the ignored tests in
/// `generated_releases.rs`): left out of the default run.
pub const FAILING: &[V] = &[];

/// Variations that check clean but whose narrative amounts tieout does not
/// verify (one-digit changes go uncaught): left out of the default run too,
/// so that its narrative detection rate measures what tieout reads.
pub const UNVERIFIED: &[V] = &[];

/// The variations tieout checks clean today (the default run): every one
/// but [`FAILING`] and [`UNVERIFIED`].
pub fn default_set() -> Vec<V> {
    ALL.iter()
        .copied()
        .filter(|v| !FAILING.contains(v) && !UNVERIFIED.contains(v))
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
    /// The variations applied.
    pub used: Vec<V>,
    /// A one-line summary of the choices made, for debugging.
    pub summary: String,
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
    let model = model::build(r, cfg);
    let (text, off_by_one, narrative, mut used, mut summary) = if cfg.html {
        let h = html::render(r, cfg, &model);
        (h.text, h.off_by_one, h.figs, h.used, h.summary)
    } else {
        let t = text::render(r, cfg, &model);
        (t.text, t.off_by_one, t.figs, t.used, t.summary)
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
