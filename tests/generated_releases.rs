//! Metamorphic tests on generated releases: `generator::generate(seed)`
//! writes a fictional plain-text release whose figures all tie (totals
//! foot, identities hold, narrative claims agree with the tables), so
//!
//! 1. tieout should report nothing at warning level or above on it, and
//! 2. a one-digit change to a figure tieout ties should be caught by a
//!    finding of warning level or above labelled on the changed byte.
//!
//! The big run (5000 releases, every tied figure mutated):
//!
//! ```sh
//! TIEOUT_GEN_COUNT=5000 cargo test --release --test generated_releases -- --nocapture
//! ```
//!
//! A debug build checks 200 releases and samples a few mutations of each.
//! `TIEOUT_GEN_SHOW=seed` prints one generated release.

mod generator;

use std::collections::BTreeMap;

use rayon::prelude::*;
use tieout::check::{CheckOutput, check_document};
use tieout::finding::{Finding, Severity};
use tieout::rules::RulePack;

fn count() -> u64 {
    std::env::var("TIEOUT_GEN_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

fn check(pack: &RulePack, bytes: &[u8]) -> CheckOutput {
    let doc = tieout::parse::parse(bytes);
    check_document(&doc, pack, bytes)
}

/// The findings of warning level or above that a consistent release should
/// not earn. A `total-off-by-rounding` warning on the one total the
/// generator printed a unit off on purpose is the rule working as
/// documented, not a false finding.
fn false_findings<'a>(rel: &generator::Release, out: &'a CheckOutput) -> Vec<&'a Finding> {
    out.findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .filter(|f| {
            let expected = f.rule == "total-off-by-rounding"
                && rel
                    .off_by_one
                    .as_ref()
                    .is_some_and(|(_, row)| f.labels.iter().any(|l| row.contains(&l.span.offset)));
            !expected
        })
        .collect()
}

struct Outcome {
    seed: u64,
    summary: String,
    findings: Vec<(String, String)>,
    /// Notes (rule, message): regions not read, claims not tied.
    notes: Vec<(String, String)>,
    facts: usize,
    tied: usize,
    claims: usize,
    verified: usize,
    /// Unverifiable claims: (metric, reason).
    unverifiable: Vec<(String, String)>,
    /// Whether the generator printed one total a unit off, and whether
    /// `total-off-by-rounding` reported it.
    off_by_one: Option<bool>,
}

fn run_clean(pack: &RulePack, n: u64) -> Vec<Outcome> {
    (0..n)
        .into_par_iter()
        .map(|seed| {
            let rel = generator::generate(seed);
            let out = check(pack, rel.text.as_bytes());
            let findings = false_findings(&rel, &out)
                .into_iter()
                .map(|f| (f.rule.clone(), f.message.clone()))
                .collect();
            let notes = out
                .findings
                .iter()
                .filter(|f| f.severity < Severity::Warning)
                .map(|f| (f.rule.clone(), f.message.clone()))
                .collect();
            Outcome {
                seed,
                summary: rel.summary,
                findings,
                notes,
                facts: out.stats.facts,
                tied: out.tied.len(),
                claims: out.stats.claims_found,
                verified: out.stats.claims_verified,
                unverifiable: out
                    .claims
                    .iter()
                    .filter(|c| c.status != "verified")
                    .map(|c| {
                        (
                            c.metric.clone(),
                            format!("{}: {}", c.status, c.detail.clone().unwrap_or_default()),
                        )
                    })
                    .collect(),
                off_by_one: rel.off_by_one.as_ref().map(|_| {
                    out.findings
                        .iter()
                        .any(|f| f.rule == "total-off-by-rounding")
                }),
            }
        })
        .collect()
}

#[test]
fn generator_is_deterministic() {
    for seed in [0, 1, 17, 4242] {
        assert_eq!(
            generator::generate(seed).text,
            generator::generate(seed).text
        );
    }
    if let Some(seed) = std::env::var("TIEOUT_GEN_SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        let rel = generator::generate(seed);
        println!("seed {seed}: {}\n{}", rel.summary, rel.text);
    }
}

#[test]
fn generated_releases_check_clean() {
    let pack = RulePack::default_pack();
    let n = count();
    let outcomes = run_clean(&pack, n);
    let failing: Vec<&Outcome> = outcomes.iter().filter(|o| !o.findings.is_empty()).collect();
    for o in failing.iter().take(8) {
        println!("seed {} ({}):", o.seed, o.summary);
        for (rule, msg) in &o.findings {
            println!("    FALSE {rule}: {msg}");
        }
    }
    // Failure classes: rule -> (releases, findings, first example).
    let mut classes: BTreeMap<&str, (usize, usize, String)> = BTreeMap::new();
    for o in &failing {
        let mut seen = std::collections::BTreeSet::new();
        for (rule, msg) in &o.findings {
            let e = classes
                .entry(rule.as_str())
                .or_insert_with(|| (0, 0, format!("seed {}: {msg}", o.seed)));
            e.1 += 1;
            if seen.insert(rule.as_str()) {
                e.0 += 1;
            }
        }
    }
    for (rule, (releases, findings, example)) in &classes {
        println!("class {rule}: {releases} releases, {findings} findings; e.g. {example}");
    }
    // What was read: a clean run means little if the tables were skipped.
    let mut notes: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    for o in &outcomes {
        for (rule, msg) in &o.notes {
            notes
                .entry(rule.as_str())
                .or_insert_with(|| (0, format!("seed {}: {msg}", o.seed)))
                .0 += 1;
        }
    }
    for (rule, (k, example)) in &notes {
        println!("note {rule}: {k}; e.g. {example}");
    }
    let mut unverifiable: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for o in &outcomes {
        for (metric, why) in &o.unverifiable {
            unverifiable
                .entry(format!("{metric}: {why}"))
                .or_insert((0, o.seed))
                .0 += 1;
        }
    }
    for (what, (k, seed)) in &unverifiable {
        println!("claim not verified {what}: {k} (e.g. seed {seed})");
    }
    let offs: Vec<bool> = outcomes.iter().filter_map(|o| o.off_by_one).collect();
    println!(
        "deliberate one-unit-off totals: {} releases, total-off-by-rounding reported on {}",
        offs.len(),
        offs.iter().filter(|&&x| x).count()
    );
    let sum = |f: fn(&Outcome) -> usize| outcomes.iter().map(f).sum::<usize>();
    let unread = outcomes
        .iter()
        .filter(|o| o.facts == 0 || o.tied == 0)
        .count();
    println!(
        "read: {} facts, {} figures tied, claims {} found / {} verified; {unread} of {n} \
         releases with no fact or nothing tied",
        sum(|o| o.facts),
        sum(|o| o.tied),
        sum(|o| o.claims),
        sum(|o| o.verified)
    );
    let rate = failing.len() as f64 / n.max(1) as f64;
    println!(
        "generated releases with a false finding: {} of {n} ({:.1}%)",
        failing.len(),
        rate * 100.0
    );
    // A ratchet, not a pretend pass; the target is zero. Measured: 0 of 200
    // releases (debug) and 0 of 5000 (`TIEOUT_GEN_COUNT=5000`, release).
    // 467 of the 5000 carry a deliberate one-unit-off total, and
    // total-off-by-rounding reports each of them (expected, not counted).
    const FLOOR: f64 = 0.0;
    assert!(
        rate <= FLOOR,
        "false-finding rate {rate:.4} above the floor {FLOOR}"
    );
}

#[test]
fn generated_mutations_are_caught() {
    let pack = RulePack::default_pack();
    let n = count();
    // A debug build tries a few sampled sites per release, a release build
    // every tied figure.
    let per_release = if cfg!(debug_assertions) {
        3
    } else {
        usize::MAX
    };
    let results: Vec<(usize, usize, Vec<String>)> = (0..n)
        .into_par_iter()
        .filter_map(|seed| {
            let rel = generator::generate(seed);
            let bytes = rel.text.as_bytes();
            let out = check(&pack, bytes);
            if !false_findings(&rel, &out).is_empty() || rel.off_by_one.is_some() {
                return None;
            }
            let mut sites: Vec<usize> = out
                .tied
                .iter()
                .filter_map(|s| {
                    let raw = s.slice(bytes);
                    raw.iter()
                        .rposition(|b| b.is_ascii_digit())
                        .map(|i| s.offset + i)
                })
                .collect();
            sites.dedup();
            let mut rng = generator::Rng::new(seed ^ 0xA5A5);
            let sites = if sites.len() > per_release {
                rng.subset(&sites, per_release)
            } else {
                sites
            };
            let mut missed = Vec::new();
            for &at in &sites {
                let mut m = bytes.to_vec();
                m[at] = b'0' + (m[at] - b'0' + 1) % 10;
                let out = check(&pack, &m);
                let caught = out.findings.iter().any(|f| {
                    f.severity >= Severity::Warning
                        && f.labels
                            .iter()
                            .any(|l| l.span.offset <= at && at < l.span.end())
                });
                if !caught {
                    let from = at.saturating_sub(50);
                    let line = String::from_utf8_lossy(&bytes[from..(at + 10).min(bytes.len())])
                        .replace('\n', " | ");
                    missed.push(format!("seed {seed} @{at}: ...{line}..."));
                }
            }
            Some((sites.len(), sites.len() - missed.len(), missed))
        })
        .collect();
    let tried: usize = results.iter().map(|r| r.0).sum();
    let caught: usize = results.iter().map(|r| r.1).sum();
    for m in results.iter().flat_map(|r| r.2.iter()).take(12) {
        println!("    missed {m}");
    }
    let rate = caught as f64 / tried.max(1) as f64;
    println!(
        "generated mutation detection (last digit +1): {caught} of {tried} ({:.1}%) over {} \
         clean releases",
        rate * 100.0,
        results.len()
    );
    // The issue's target is 97%. Measured: 549 of 558 (98.4%) sampled sites
    // over 186 clean releases (debug, 3 per release) and 340,921 of 348,535
    // (97.8%) over 4533 releases (release build, every tied figure). The
    // misses are weighted share counts and EPS figures whose one-digit
    // change stays inside the interval net income / shares allows at the
    // printed precision. The floor sits just under the release figure.
    const FLOOR: f64 = 0.975;
    assert!(tried > 0, "no tied figure to mutate");
    assert!(rate >= FLOOR, "detection {rate:.3} below the floor {FLOOR}");
}
