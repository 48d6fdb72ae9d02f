//! Metamorphic tests on generated releases with change and percent-change
//! columns, and on generated release pairs (`generator::generate_pair`).
//!
//! 1. Releases with `Change` / `$ Change` / `Increase (Decrease)` and
//!    `% Change` columns (variations `ChangeColumns`,
//!    `PercentChangeColumns`; computed from the printed figures) check
//!    clean, and one-digit changes (+1, +3, +5, +8 to a digit) of their
//!    change and percent figures are caught by a cross-footing finding
//!    labelled on the changed figure.
//! 2. Two releases of one company a year apart: the later one's year-ago
//!    figures are the earlier one's current figures. Checked with the
//!    earlier release as `--prior`: consistent pairs give no prior-release
//!    finding; two expense lines moved in opposite directions give a
//!    `prior-release-mismatch` warning on each (a `prior-release-restated`
//!    note in a column headed `(As Restated)`); one-digit changes of the
//!    comparative figures are labelled.
//!
//! `TIEOUT_GEN_COUNT` sets the number of releases (default 40 of each
//! format, 40 pairs); a debug build samples a few mutations per release,
//! a release build tries all:
//!
//! ```sh
//! TIEOUT_GEN_COUNT=1000 cargo test --release --test generated_columns -- --nocapture
//! ```
//!
//! `TIEOUT_GEN_SHOW=seed` prints one release (`TIEOUT_GEN_HTML=1` for
//! HTML, `TIEOUT_GEN_FORCE=Variation` to force one, `TIEOUT_GEN_PAIR=1` for
//! the later release of a pair with moved lines).

mod generator;

use std::collections::BTreeMap;

use generator::{Config, PairEdit, V};
use rayon::prelude::*;
use tieout::check::{CheckOptions, CheckOutput, check_document, check_document_with};
use tieout::finding::{Finding, Severity};
use tieout::prior::{Prior, PriorIndex};
use tieout::rules::RulePack;

const CROSS_FOOTING: [&str; 3] = [
    "change-column-mismatch",
    "change-off-by-rounding",
    "percent-change-mismatch",
];

fn count() -> u64 {
    std::env::var("TIEOUT_GEN_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

fn check(pack: &RulePack, bytes: &[u8]) -> CheckOutput {
    let doc = tieout::parse::parse(bytes);
    check_document(&doc, pack, bytes)
}

/// `later` checked with `earlier` as its prior release.
fn check_with_prior(pack: &RulePack, earlier: &[u8], later: &[u8]) -> CheckOutput {
    let edoc = tieout::parse::parse(earlier);
    let mut index = PriorIndex::named();
    index.add_release("earlier", &edoc, pack.concepts(), &[]);
    let doc = tieout::parse::parse(later);
    check_document_with(
        &doc,
        pack,
        later,
        CheckOptions {
            prior: Some(Prior {
                index: &index,
                path: "current",
                companies: &[],
            }),
            ..CheckOptions::default()
        },
    )
}

/// Findings of warning level or above, but the `total-off-by-rounding`
/// the generator's deliberate one-unit-off total earns.
fn false_findings<'a>(rel: &generator::Release, out: &'a CheckOutput) -> Vec<&'a Finding> {
    out.findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .filter(|f| {
            !(f.rule == "total-off-by-rounding"
                && rel
                    .off_by_one
                    .as_ref()
                    .is_some_and(|(_, row)| f.labels.iter().any(|l| row.contains(&l.span.offset))))
        })
        .collect()
}

fn labelled(f: &Finding, at: usize) -> bool {
    f.labels
        .iter()
        .any(|l| l.span.offset <= at && at < l.span.end())
}

fn mutated(bytes: &[u8], at: usize, d: u8) -> Vec<u8> {
    let mut m = bytes.to_vec();
    m[at] = b'0' + (m[at] - b'0' + d) % 10;
    m
}

fn context(bytes: &[u8], at: usize) -> String {
    let from = at.saturating_sub(50);
    String::from_utf8_lossy(&bytes[from..(at + 10).min(bytes.len())])
        .replace('\n', " | ")
        .replace('\r', "")
}

const DELTAS: [u8; 4] = [1, 3, 5, 8];

/// Every (digit, delta) of the figures, sampled down to `k` in a debug
/// build.
fn sites(
    rng: &mut generator::Rng,
    bytes: &[u8],
    figs: &[&generator::CellAt],
    k: usize,
) -> Vec<(usize, u8)> {
    let mut all = Vec::new();
    for c in figs {
        for at in c.range.clone() {
            if bytes[at].is_ascii_digit() {
                for d in DELTAS {
                    all.push((at, d));
                }
            }
        }
    }
    if cfg!(debug_assertions) && all.len() > k {
        rng.subset(&all, k)
    } else {
        all
    }
}

#[test]
fn show() {
    let Some(seed) = std::env::var("TIEOUT_GEN_SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
    else {
        return;
    };
    let html = std::env::var("TIEOUT_GEN_HTML").is_ok_and(|v| v == "1");
    let cfg = match std::env::var("TIEOUT_GEN_FORCE") {
        Ok(name) => {
            let v = generator::ALL
                .iter()
                .find(|v| format!("{v:?}") == name)
                .copied()
                .expect("TIEOUT_GEN_FORCE names a variation");
            let mut cfg = Config::columns(html);
            cfg.enabled.push(v);
            cfg.forced = Some(v);
            cfg
        }
        Err(_) => Config::columns(html),
    };
    let pack = RulePack::default_pack();
    let (rel, out) = if std::env::var("TIEOUT_GEN_PAIR").is_ok() {
        let (early, late, moved) = generator::generate_pair(seed, &cfg, PairEdit::Moved);
        println!("moved: {moved:?}");
        if let Ok(path) = std::env::var("TIEOUT_GEN_OUT") {
            std::fs::write(format!("{path}.earlier"), &early.text).expect("write");
        }
        let out = check_with_prior(&pack, early.text.as_bytes(), late.text.as_bytes());
        (late, out)
    } else {
        let rel = generator::generate_with(seed, &cfg);
        let out = check(&pack, rel.text.as_bytes());
        (rel, out)
    };
    println!("seed {seed}: {}\n{}", rel.summary, rel.text);
    if let Ok(path) = std::env::var("TIEOUT_GEN_OUT") {
        std::fs::write(&path, &rel.text).expect("write TIEOUT_GEN_OUT");
    }
    for f in &out.findings {
        println!("FINDING {:?} {}: {}", f.severity, f.rule, f.message);
    }
}

/// Every figure the generator reports holds digits where it says.
#[test]
fn generated_figure_ranges_hold_digits() {
    let mut changes = 0;
    let mut percents = 0;
    for seed in 0..30 {
        for html in [false, true] {
            let rel = generator::generate_with(seed, &Config::columns(html));
            for c in &rel.cells {
                let s = &rel.text[c.range.clone()];
                assert!(
                    !s.is_empty()
                        && s.bytes().next().is_some_and(|b| b.is_ascii_digit())
                        && s.bytes()
                            .all(|b| b.is_ascii_digit() || b == b'.' || b == b','),
                    "seed {seed} html {html}: {:?} {} col {} holds {s:?}",
                    c.kind,
                    c.label,
                    c.col
                );
            }
            changes += rel.change_figures().len();
            percents += rel.percent_figures().len();
        }
    }
    assert!(changes > 100 && percents > 100, "{changes} {percents}");
}

struct Clean {
    seed: u64,
    html: bool,
    summary: String,
    findings: Vec<(String, String)>,
    /// Change and percent figures printed, and tied by cross-footing.
    figures: usize,
    tied: usize,
    /// Those not tied, with their line.
    untied: Vec<String>,
    /// Quarterly trend figures printed, and tied by a period sum.
    quarterly: usize,
    quarterly_tied: usize,
}

fn clean_runs(pack: &RulePack, n: u64, cfg_of: impl Fn(bool) -> Config + Sync) -> Vec<Clean> {
    (0..n)
        .into_par_iter()
        .flat_map_iter(|seed| [false, true].map(|html| (seed, html)))
        .map(|(seed, html)| {
            let rel = generator::generate_with(seed, &cfg_of(html));
            let bytes = rel.text.as_bytes();
            let doc = tieout::parse::parse(bytes);
            let options = CheckOptions {
                record: true,
                ..CheckOptions::default()
            };
            let out = check_document_with(&doc, pack, bytes, options);
            let figs: Vec<&generator::CellAt> = rel
                .change_figures()
                .into_iter()
                .chain(rel.percent_figures())
                .collect();
            let is_tied = |c: &&&generator::CellAt| {
                out.tied
                    .iter()
                    .any(|s| s.offset <= c.range.start && c.range.start < s.end())
            };
            let tied = figs.iter().filter(is_tied).count();
            let untied = figs
                .iter()
                .filter(|c| !is_tied(c))
                .map(|c| {
                    format!(
                        "seed {seed} html {html}: {} ({:?}) ...{}...",
                        c.label,
                        c.extra,
                        context(rel.text.as_bytes(), c.range.start)
                    )
                })
                .collect();
            let qfigs = rel.quarterly_figures();
            let sums: Vec<tieout::span::Span> = out
                .ticks
                .iter()
                .filter(|t| PERIOD_SUMS.contains(&t.rule.as_str()))
                .flat_map(|t| t.labels.iter().map(|l| l.span))
                .collect();
            let quarterly_tied = qfigs
                .iter()
                .filter(|c| {
                    sums.iter()
                        .any(|s| s.offset <= c.range.start && c.range.start < s.end())
                })
                .count();
            Clean {
                seed,
                html,
                quarterly: qfigs.len(),
                quarterly_tied,
                summary: rel.summary.clone(),
                findings: false_findings(&rel, &out)
                    .into_iter()
                    .map(|f| (f.rule.clone(), f.message.clone()))
                    .collect(),
                figures: figs.len(),
                tied,
                untied,
            }
        })
        .collect()
}

fn report_clean(name: &str, outcomes: &[Clean]) -> usize {
    let failing: Vec<&Clean> = outcomes.iter().filter(|o| !o.findings.is_empty()).collect();
    let mut classes: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    for o in &failing {
        for (rule, msg) in &o.findings {
            classes
                .entry(rule.as_str())
                .or_insert_with(|| (0, format!("seed {} html {}: {msg}", o.seed, o.html)))
                .0 += 1;
        }
    }
    for o in failing.iter().take(6) {
        println!("[{name}] seed {} html {} ({})", o.seed, o.html, o.summary);
        for (rule, msg) in &o.findings {
            println!("    FALSE {rule}: {msg}");
        }
    }
    for (rule, (k, e)) in &classes {
        println!("[{name}] class {rule}: {k} findings; e.g. {e}");
    }
    for u in outcomes.iter().flat_map(|o| &o.untied).take(8) {
        println!("[{name}] not tied: {u}");
    }
    let figures: usize = outcomes.iter().map(|o| o.figures).sum();
    let tied: usize = outcomes.iter().map(|o| o.tied).sum();
    let with = outcomes.iter().filter(|o| o.figures > 0).count();
    println!(
        "[{name}] {} releases ({with} with change columns), {} with a false finding; change and \
         percent figures: {figures} printed, {tied} tied by cross-footing",
        outcomes.len(),
        failing.len()
    );
    let quarterly: usize = outcomes.iter().map(|o| o.quarterly).sum();
    let quarterly_tied: usize = outcomes.iter().map(|o| o.quarterly_tied).sum();
    let with_q = outcomes.iter().filter(|o| o.quarterly > 0).count();
    println!(
        "[{name}] {with_q} releases with a quarterly trend table: {quarterly} figures printed, \
         {quarterly_tied} tied by a period sum"
    );
    failing.len()
}

#[test]
fn releases_with_change_columns_check_clean() {
    let pack = RulePack::default_pack();
    let outcomes = clean_runs(&pack, count(), Config::columns);
    let failing = report_clean("columns", &outcomes);
    assert_eq!(failing, 0, "generated releases with a false finding");
    let with = outcomes.iter().filter(|o| o.figures > 0).count();
    assert!(
        with * 2 > outcomes.len(),
        "too few releases with change columns"
    );
}

/// One change-column variation, forced wherever it can be: no false
/// finding, and every change and percent figure tied by cross-footing.
fn forced(v: V) {
    let pack = RulePack::default_pack();
    let outcomes = clean_runs(&pack, count(), |html| {
        let mut cfg = Config::columns(html);
        cfg.enabled.push(v);
        cfg.forced = Some(v);
        cfg
    });
    let failing = report_clean(&format!("{v:?}"), &outcomes);
    assert_eq!(failing, 0, "{v:?}: generated releases with a false finding");
    let figures: usize = outcomes.iter().map(|o| o.figures).sum();
    let tied: usize = outcomes.iter().map(|o| o.tied).sum();
    assert!(figures > 0, "{v:?}: no change or percent figure printed");
    assert_eq!(tied, figures, "{v:?}: change and percent figures not tied");
}

#[test]
fn variation_better_worse_columns() {
    forced(V::BetterWorseColumns);
}

#[test]
fn variation_lone_change_header_line() {
    forced(V::LoneChangeHeaderLine);
}

#[test]
fn variation_bare_percent_header() {
    forced(V::BarePercentHeader);
}

#[test]
fn variation_nm_in_text() {
    forced(V::NmText);
}

/// A printed magnitude and the unit of its last digit: `1,064` is
/// (1064, 1), `9.1` is (9.1, 0.1).
fn magnitude(s: &[u8]) -> (f64, f64) {
    let s: String = s.iter().map(|&b| b as char).filter(|&c| c != ',').collect();
    let dec = s.find('.').map_or(0, |i| s.len() - i - 1);
    (s.parse().unwrap_or(0.0), 10f64.powi(-(dec as i32)))
}

/// Whether a percent-change figure (the digits at `pct` in `bytes`) is
/// one the printed current and prior figures of its row allow: some
/// amounts they may stand for give it at its printed precision (as
/// `percent-change-mismatch` reads them). `None` when the row's figures
/// cannot be read back (a dash for the current figure).
fn percent_allowed(
    rel: &generator::Release,
    bytes: &[u8],
    pct: &generator::CellAt,
) -> Option<bool> {
    let cur = rel.in_row(pct, 0)?;
    let prior = rel.in_row(pct, 1)?;
    let (c, cu) = magnitude(&bytes[cur.range.clone()]);
    let (p, pu) = magnitude(&bytes[prior.range.clone()]);
    let (v, u) = magnitude(&bytes[pct.range.clone()]);
    let neg = pct.range.start > 0 && matches!(bytes[pct.range.start - 1], b'(' | b'-');
    let v = if neg { -v } else { v };
    let mut lo = f64::MAX;
    let mut hi = f64::MIN;
    for pp in [p - pu / 2.0, p + pu / 2.0] {
        for cc in [c - cu / 2.0, c + cu / 2.0] {
            let x = (cc - pp) / pp * 100.0;
            lo = lo.min(x);
            hi = hi.max(x);
        }
    }
    let eps = 1e-9;
    Some(v + u / 2.0 >= lo - eps && v - u / 2.0 <= hi + eps)
}

/// (tried, caught, misses) of one kind of figure.
#[derive(Default)]
struct Tally(usize, usize, Vec<String>);

impl Tally {
    fn add(&mut self, other: Tally) {
        self.0 += other.0;
        self.1 += other.1;
        self.2.extend(other.2);
    }
    fn rate(&self) -> f64 {
        self.1 as f64 / self.0.max(1) as f64
    }
}

/// Mutations of one release's change figures, of its percent figures, and
/// (counted only) percent mutations the printed amounts still allow.
fn mutate_columns(pack: &RulePack, seed: u64, html: bool) -> Option<(Tally, Tally, Tally)> {
    let rel = generator::generate_with(seed, &Config::columns(html));
    let bytes = rel.text.as_bytes();
    let out = check(pack, bytes);
    if !false_findings(&rel, &out).is_empty() || rel.off_by_one.is_some() {
        return None;
    }
    let mut rng = generator::Rng::new(seed ^ 0xC0C0);
    let mut tallies = Vec::new();
    let mut allowed = Tally::default();
    for (k, figs) in [rel.change_figures(), rel.percent_figures()]
        .into_iter()
        .enumerate()
    {
        let mut t = Tally::default();
        for (at, d) in sites(&mut rng, bytes, &figs, 12) {
            let m = mutated(bytes, at, d);
            if k == 1 {
                // A percentage the printed amounts still allow is no
                // inconsistency: counted apart.
                let fig = figs.iter().find(|c| c.range.contains(&at)).copied();
                if fig.and_then(|f| percent_allowed(&rel, &m, f)) == Some(true) {
                    allowed.0 += 1;
                    continue;
                }
            }
            t.0 += 1;
            let out = check(pack, &m);
            let caught = out.findings.iter().any(|f| {
                f.severity >= Severity::Warning
                    && CROSS_FOOTING.contains(&f.rule.as_str())
                    && labelled(f, at)
            });
            if caught {
                t.1 += 1;
            } else {
                t.2.push(format!(
                    "seed {seed} html {html} @{at} +{d}: ...{}...",
                    context(bytes, at)
                ));
            }
        }
        tallies.push(t);
    }
    let p = tallies.pop()?;
    let c = tallies.pop()?;
    Some((c, p, allowed))
}

const PERIOD_SUMS: [&str; 2] = ["period-sum-mismatch", "period-sum-off-by-rounding"];

const TOTAL_COLUMNS: [&str; 2] = ["total-column-mismatch", "total-column-off-by-rounding"];

/// The figure's value, in units of its last digit (`1,254` is 1254).
fn units(bytes: &[u8], range: std::ops::Range<usize>) -> i64 {
    bytes[range]
        .iter()
        .filter(|b| b.is_ascii_digit())
        .fold(0i64, |v, b| v * 10 + i64::from(b - b'0'))
}

/// Mutations of one release's figures `figs` picks (its quarterly trend
/// table, or its segment-column table): (tried, caught by a finding
/// labelled on the figure, caught by one of `rules`), the same for the
/// figures of the table's last column alone (the year to date, the total),
/// and, counted apart, changes small enough for the rounding of a row sum
/// of rounded figures to allow when `rounding` (a total of n terms may be
/// (n + 1) / 2 units off their sum).
fn mutate_table(
    pack: &RulePack,
    seed: u64,
    html: bool,
    figs: fn(&generator::Release) -> Vec<&generator::CellAt>,
    rules: &[&str],
    rounding: bool,
) -> Option<[Tally; 5]> {
    let rel = generator::generate_with(seed, &Config::columns(html));
    let figs = figs(&rel);
    if figs.is_empty() {
        return None;
    }
    let bytes = rel.text.as_bytes();
    let out = check(pack, bytes);
    if !false_findings(&rel, &out).is_empty() {
        return None;
    }
    let last_col = figs.iter().map(|c| c.col).max()?;
    let mut rng = generator::Rng::new(seed ^ 0x0A7A);
    let mut t: [Tally; 5] = Default::default();
    for (at, d) in sites(&mut rng, bytes, &figs, 16) {
        let Some(fig) = figs.iter().find(|c| c.range.contains(&at)) else {
            continue;
        };
        let m = mutated(bytes, at, d);
        if rounding {
            let terms = figs
                .iter()
                .filter(|c| c.row == fig.row && c.col != last_col)
                .count() as i64;
            let delta = units(&m, fig.range.clone()) - units(bytes, fig.range.clone());
            if 2 * delta.abs() <= terms + 1 {
                t[4].0 += 1;
                continue;
            }
        }
        let out = check(pack, &m);
        let on = |f: &&Finding| f.severity >= Severity::Warning && labelled(f, at);
        let any = out.findings.iter().any(|f| on(&f));
        let by_rule = out
            .findings
            .iter()
            .any(|f| on(&f) && rules.contains(&f.rule.as_str()));
        let last = fig.col == last_col;
        for (k, hit) in [(0, any), (1, by_rule)] {
            let (whole, lasts) = t.split_at_mut(2);
            for tally in [Some(&mut whole[k]), last.then_some(&mut lasts[k])]
                .into_iter()
                .flatten()
            {
                tally.0 += 1;
                if hit {
                    tally.1 += 1;
                } else if k == 0 {
                    tally.2.push(format!(
                        "seed {seed} html {html} @{at} +{d} ({} col {}): ...{}...",
                        fig.label,
                        fig.col,
                        context(bytes, at)
                    ));
                }
            }
        }
    }
    Some(t)
}

/// Runs [`mutate_table`] over the releases, prints and asserts the rates.
fn table_mutations(
    name: &str,
    last: &str,
    figs: fn(&generator::Release) -> Vec<&generator::CellAt>,
    rules: &[&str],
    by: &str,
    rounding: bool,
) {
    let pack = RulePack::default_pack();
    let results: Vec<[Tally; 5]> = (0..count())
        .into_par_iter()
        .flat_map_iter(|seed| [false, true].map(|html| (seed, html)))
        .filter_map(|(seed, html)| mutate_table(&pack, seed, html, figs, rules, rounding))
        .collect();
    let n = results.len();
    let mut all: [Tally; 5] = Default::default();
    for r in results {
        for (a, b) in all.iter_mut().zip(r) {
            a.add(b);
        }
    }
    for m in all[0].2.iter().take(8) {
        println!("[{name}] missed: {m}");
    }
    if rounding {
        println!(
            "[{name}] changes within the rounding of a row sum (not counted): {} of {}",
            all[4].0,
            all[4].0 + all[0].0
        );
    }
    for (what, any, by_rule) in [(name, &all[0], &all[1]), (last, &all[2], &all[3])] {
        println!(
            "[{name}] {what} figures (+1/+3/+5/+8 to a digit) over {n} releases: {} of {} \
             labelled by a warning or above ({:.1}%), {} by {by} ({:.1}%)",
            any.1,
            any.0,
            any.rate() * 100.0,
            by_rule.1,
            by_rule.rate() * 100.0
        );
        assert!(any.0 > 0, "no {what} figure to mutate");
        assert!(any.rate() >= 0.95, "{what}: {:.3} below 0.95", any.rate());
    }
    assert!(n >= 5, "only {n} releases with a {name} table");
}

#[test]
fn quarterly_trend_mutations_are_caught() {
    table_mutations(
        "quarterly trend",
        "year-to-date",
        |rel| rel.quarterly_figures(),
        &PERIOD_SUMS,
        "a period-sum rule",
        false,
    );
}

#[test]
fn segment_column_mutations_are_caught() {
    table_mutations(
        "segment columns",
        "total column",
        |rel| rel.segment_column_figures(false),
        &TOTAL_COLUMNS,
        "a total-column rule",
        true,
    );
}

#[test]
fn change_and_percent_mutations_are_caught() {
    let pack = RulePack::default_pack();
    let results: Vec<(Tally, Tally, Tally)> = (0..count())
        .into_par_iter()
        .flat_map_iter(|seed| [false, true].map(|html| (seed, html)))
        .filter_map(|(seed, html)| mutate_columns(&pack, seed, html))
        .collect();
    let n = results.len();
    let (mut change, mut percent, mut allowed) =
        (Tally::default(), Tally::default(), Tally::default());
    for (c, p, a) in results {
        change.add(c);
        percent.add(p);
        allowed.add(a);
    }
    println!(
        "[mutations] percent mutations the printed amounts still allow (not counted): {} of {}",
        allowed.0,
        allowed.0 + percent.0
    );
    for (what, t) in [("change", &change), ("percent", &percent)] {
        for m in t.2.iter().take(8) {
            println!("[mutations] missed {what}: {m}");
        }
        println!(
            "[mutations] {what} figures (+1/+3/+5/+8 to a digit): {} of {} caught ({:.1}%) over \
             {n} clean releases",
            t.1,
            t.0,
            t.rate() * 100.0
        );
        assert!(t.0 > 0, "no {what} figure to mutate");
        assert!(
            t.rate() >= 0.95,
            "{what} detection {:.3} below 0.95",
            t.rate()
        );
    }
}

// ------------------------------------------------------------ pairs

const PRIOR_RULES: [&str; 2] = ["prior-release-mismatch", "prior-release-restated"];

fn pair_cfg(html: bool) -> Config {
    Config::columns(html)
}

/// Seeds and formats of the pair runs.
fn pair_runs() -> Vec<(u64, bool)> {
    (0..count())
        .flat_map(|seed| [false, true].map(|html| (seed, html)))
        .collect()
}

struct PairClean {
    seed: u64,
    html: bool,
    /// Findings of warning level or above, and prior-release findings.
    findings: Vec<(String, String)>,
    compared: usize,
}

#[test]
fn consistent_pairs_check_clean() {
    let pack = RulePack::default_pack();
    let outcomes: Vec<PairClean> = pair_runs()
        .into_par_iter()
        .map(|(seed, html)| {
            let (early, late, _) = generator::generate_pair(seed, &pair_cfg(html), PairEdit::Same);
            let mut findings = Vec::new();
            for (name, out) in [
                ("earlier", check(&pack, early.text.as_bytes())),
                (
                    "later",
                    check_with_prior(&pack, early.text.as_bytes(), late.text.as_bytes()),
                ),
            ] {
                for f in out.findings.iter().filter(|f| {
                    f.severity >= Severity::Warning || PRIOR_RULES.contains(&f.rule.as_str())
                }) {
                    findings.push((f.rule.clone(), format!("{name}: {}", f.message)));
                }
            }
            let out = check_with_prior(&pack, early.text.as_bytes(), late.text.as_bytes());
            PairClean {
                seed,
                html,
                findings,
                compared: out.stats.prior_compared,
            }
        })
        .collect();
    let failing: Vec<&PairClean> = outcomes.iter().filter(|o| !o.findings.is_empty()).collect();
    for o in failing.iter().take(8) {
        for (rule, msg) in &o.findings {
            println!(
                "[pairs] seed {} html {}: FALSE {rule}: {msg}",
                o.seed, o.html
            );
        }
    }
    let compared: usize = outcomes.iter().map(|o| o.compared).sum();
    let none = outcomes.iter().filter(|o| o.compared == 0).count();
    println!(
        "[pairs] {} consistent pairs, {} with a false finding; {compared} comparative figures \
         compared with the earlier release ({none} pairs with none)",
        outcomes.len(),
        failing.len()
    );
    assert!(failing.is_empty(), "consistent pairs with findings");
    assert_eq!(none, 0, "pairs whose comparatives tieout did not compare");
}

/// A moved pair: whether each moved figure got the expected finding
/// (labelled on the later release's figure, with the earlier release's
/// figure elsewhere), and the unexpected findings.
fn moved_pair(
    pack: &RulePack,
    seed: u64,
    html: bool,
    edit: PairEdit,
) -> (usize, usize, Vec<String>) {
    let (early, late, moved) = generator::generate_pair(seed, &pair_cfg(html), edit);
    let out = check_with_prior(pack, early.text.as_bytes(), late.text.as_bytes());
    let expected = if edit == PairEdit::Restated {
        "prior-release-restated"
    } else {
        "prior-release-mismatch"
    };
    let mut hit = 0;
    let mut wrong = Vec::new();
    let mut on_moved = Vec::new();
    for label in &moved {
        let kind = generator::model::Kind::Income;
        let (Some(here), Some(there)) = (late.cell(kind, label, 1), early.cell(kind, label, 0))
        else {
            wrong.push(format!("seed {seed} html {html}: {label} not printed"));
            continue;
        };
        on_moved.push(here.range.start);
        let found = out.findings.iter().any(|f| {
            f.rule == expected
                && labelled(f, here.range.start)
                && f.elsewhere
                    .iter()
                    .any(|e| e.span.offset <= there.range.start && there.range.start < e.span.end())
        });
        if found {
            hit += 1;
        } else {
            wrong.push(format!("seed {seed} html {html}: no {expected} on {label}"));
        }
    }
    for f in &out.findings {
        let on_a_moved = on_moved.iter().any(|&at| labelled(f, at));
        let unexpected = if edit == PairEdit::Restated {
            f.severity >= Severity::Warning || (f.rule == "prior-release-restated" && !on_a_moved)
        } else {
            (f.severity >= Severity::Warning || PRIOR_RULES.contains(&f.rule.as_str()))
                && !(f.rule == expected && on_a_moved)
        };
        if unexpected {
            wrong.push(format!(
                "seed {seed} html {html}: unexpected {}: {}",
                f.rule, f.message
            ));
        }
    }
    (moved.len(), hit, wrong)
}

fn moved_run(edit: PairEdit) {
    let pack = RulePack::default_pack();
    let results: Vec<(usize, usize, Vec<String>)> = pair_runs()
        .into_par_iter()
        .map(|(seed, html)| moved_pair(&pack, seed, html, edit))
        .collect();
    let moved: usize = results.iter().map(|r| r.0).sum();
    let hit: usize = results.iter().map(|r| r.1).sum();
    let wrong: Vec<&String> = results.iter().flat_map(|r| r.2.iter()).collect();
    for w in wrong.iter().take(10) {
        println!("[{edit:?}] {w}");
    }
    println!(
        "[{edit:?}] {} pairs, {moved} comparative figures moved, {hit} reported as expected, {} \
         unexpected or missing",
        results.len(),
        wrong.len()
    );
    assert!(moved > results.len(), "too few figures moved");
    assert!(wrong.is_empty(), "{edit:?}: findings missing or unexpected");
}

#[test]
fn moved_comparatives_are_reported_with_the_earlier_figure() {
    moved_run(PairEdit::Moved);
}

#[test]
fn restated_comparatives_give_notes() {
    moved_run(PairEdit::Restated);
}

/// One-digit changes of the later release's comparative figures (the
/// year-ago column of its income statement, segment table and EBITDA
/// reconciliation): (tried, labelled by a warning or above, of which by
/// prior-release-mismatch).
fn mutate_pair(pack: &RulePack, seed: u64, html: bool) -> (usize, usize, usize, Vec<String>) {
    let (early, late, _) = generator::generate_pair(seed, &pair_cfg(html), PairEdit::Same);
    let bytes = late.text.as_bytes();
    let figs: Vec<&generator::CellAt> = late
        .cells
        .iter()
        .filter(|c| c.col == 1 && c.kind != generator::model::Kind::Balance)
        .collect();
    let mut rng = generator::Rng::new(seed ^ 0x9A19);
    let (mut tried, mut caught, mut prior, mut misses) = (0, 0, 0, Vec::new());
    for (at, d) in sites(&mut rng, bytes, &figs, 8) {
        tried += 1;
        let out = check_with_prior(pack, early.text.as_bytes(), &mutated(bytes, at, d));
        let on = |f: &&Finding| f.severity >= Severity::Warning && labelled(f, at);
        if out.findings.iter().any(|f| on(&f)) {
            caught += 1;
        } else {
            misses.push(format!(
                "seed {seed} html {html} @{at} +{d}: ...{}...",
                context(bytes, at)
            ));
        }
        if out
            .findings
            .iter()
            .any(|f| on(&f) && f.rule == "prior-release-mismatch")
        {
            prior += 1;
        }
    }
    (tried, caught, prior, misses)
}

#[test]
fn comparative_mutations_are_labelled() {
    let pack = RulePack::default_pack();
    let results: Vec<(usize, usize, usize, Vec<String>)> = pair_runs()
        .into_par_iter()
        .map(|(seed, html)| mutate_pair(&pack, seed, html))
        .collect();
    let tried: usize = results.iter().map(|r| r.0).sum();
    let caught: usize = results.iter().map(|r| r.1).sum();
    let prior: usize = results.iter().map(|r| r.2).sum();
    for m in results.iter().flat_map(|r| r.3.iter()).take(10) {
        println!("[comparatives] missed {m}");
    }
    let pct = |k: usize| 100.0 * k as f64 / tried.max(1) as f64;
    println!(
        "[comparatives] one-digit changes (+1/+3/+5/+8) of the year-ago figures over {} pairs: \
         {caught} of {tried} labelled by a warning or above ({:.1}%), {prior} by \
         prior-release-mismatch ({:.1}%)",
        results.len(),
        pct(caught),
        pct(prior)
    );
    assert!(tried > 0);
    assert!(
        caught as f64 >= 0.95 * tried as f64,
        "comparative mutations labelled: {caught} of {tried}"
    );
}

/// `tieout check --pair` over a folder holding a generated pair pairs them
/// by company: the moved figures are reported in the later release.
#[test]
fn the_cli_pairs_generated_releases() {
    let (early, late, moved) = generator::generate_pair(3, &pair_cfg(false), PairEdit::Moved);
    assert_eq!(moved.len(), 2);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("earlier.txt"), &early.text).unwrap();
    std::fs::write(dir.path().join("later.txt"), &late.text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tieout"))
        .env("NO_COLOR", "1")
        .current_dir(dir.path())
        .args(["check", "--pair", "--format", "json", "."])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    let rules = |path: &str| -> Vec<String> {
        files.iter().find(|f| f["path"] == path).unwrap()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    let later = rules("later.txt");
    assert_eq!(
        later
            .iter()
            .filter(|r| *r == "prior-release-mismatch")
            .count(),
        2,
        "{later:?}"
    );
    assert!(
        later.iter().all(|r| r == "prior-release-mismatch"),
        "{later:?}"
    );
    assert!(rules("earlier.txt").is_empty());
}
