//! Growth tests: parse + check of an input and of the same input sixteen
//! times over. A linear stage takes about sixteen times as long; a
//! quadratic one about 256 times. The test asserts the ratio stays under
//! 48, which any quadratic stage of weight crosses, with room for noise
//! (each side is the fastest of three runs, so a busy machine slows both).
//!
//! These are not speed goals (those are in `benches/` and
//! docs/performance.md): they catch a stage whose cost grows with the
//! square of the input, as the narrative claim tokenizer once did (a
//! megabyte of `Revenue was up 5%. ` took 38 s) and the table lookups of
//! every claim against every figure.

#[path = "common/corpus.rs"]
mod common_corpus;
use common_corpus::corpus;

use std::time::{Duration, Instant};

use tieout::check::check_document;
use tieout::rules::RulePack;

const LIMIT: f64 = 48.0;

fn best_of_three(pack: &RulePack, bytes: &[u8]) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            let doc = tieout::parse::parse(bytes);
            let out = check_document(&doc, pack, bytes);
            std::hint::black_box(out.findings.len());
            t.elapsed()
        })
        .min()
        .unwrap()
}

/// Asserts that `unit` repeated 16 times costs less than [`LIMIT`] times
/// `unit` repeated once (`base` copies make the 1x input big enough to
/// time).
fn assert_linear(name: &str, unit: &[u8], base: usize) {
    let pack = RulePack::try_default().unwrap();
    let one = unit.repeat(base);
    let sixteen = unit.repeat(base * 16);
    let t1 = best_of_three(&pack, &one);
    let t16 = best_of_three(&pack, &sixteen);
    let ratio = t16.as_secs_f64() / t1.as_secs_f64().max(1e-6);
    println!(
        "{name}: {} bytes {t1:?}, {} bytes {t16:?}, ratio {ratio:.1}",
        one.len(),
        sixteen.len()
    );
    assert!(
        ratio < LIMIT,
        "{name}: 16x the input took {ratio:.1}x the time ({t1:?} -> {t16:?}): a stage grows faster than linearly"
    );
}

#[test]
fn one_paragraph_of_many_sentences_is_linear() {
    // One paragraph: every sentence a claim with no period of its own.
    assert_linear("narrative", b"Revenue was up 5%. ", 800);
}

#[test]
fn many_paragraphs_of_claims_are_linear() {
    assert_linear(
        "paragraphs",
        b"Revenue for the first quarter of 2026 was $48.2 million, up 5% from $45.9 million.\n\n",
        100,
    );
}

#[test]
fn a_text_release_repeated_is_linear() {
    // Every copy adds tables, facts and claims: claims are looked up
    // against every figure of the document.
    let mut unit = corpus("01-basic-quarter.txt");
    unit.extend_from_slice(b"\n\n");
    assert_linear("text release", &unit, 1);
}

#[test]
fn an_html_release_repeated_is_linear() {
    assert_linear("html release", &corpus("15-html-donnelley.htm"), 1);
}

#[test]
fn a_tall_table_is_linear() {
    let mut unit = String::from(
        "Statement of things\n(In thousands)\n\n                                     2026        2025\n",
    );
    for r in 0..200 {
        unit.push_str(&format!(
            "Line item {r:6}                 {:>10}  {:>10}\n",
            1000 + r,
            2000 + r
        ));
    }
    // Repeating the block repeats the table under a new title each time;
    // the rows of one table grow in `a_table_of_many_rows_is_linear`.
    assert_linear("tables", unit.as_bytes(), 1);
}

#[test]
fn a_table_of_many_rows_is_linear() {
    let pack = RulePack::try_default().unwrap();
    let table = |rows: usize| {
        let mut t = String::from(
            "Statement of things\n(In thousands)\n\n                                     2026        2025\n",
        );
        for r in 0..rows {
            t.push_str(&format!(
                "Line item {r:6}                 {:>10}  {:>10}\n",
                1000 + r,
                2000 + r
            ));
        }
        t.into_bytes()
    };
    let t1 = best_of_three(&pack, &table(500));
    let t16 = best_of_three(&pack, &table(8_000));
    let ratio = t16.as_secs_f64() / t1.as_secs_f64().max(1e-6);
    println!("rows: {t1:?} -> {t16:?}, ratio {ratio:.1}");
    assert!(ratio < LIMIT, "rows: ratio {ratio:.1}");
}
