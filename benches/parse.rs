//! Parse throughput over the `corpus/*.txt` releases, alone and with the
//! default rule pack's check. Each file is a separate input; throughput is
//! reported over the total bytes of one pass.
//!
//! The `html` group does the same for the HTML front end: over the
//! `corpus/*.htm` releases together with the real ones in
//! `../shared/corpus/html/` when that folder is present, and over one
//! synthetic Workiva-like release of about 5 MB on a single line.
//!
//! The `generated` group measures releases nobody wrote by hand: 100
//! plain-text and 100 HTML releases of the test generator
//! (`tests/generator/`, the default variations, seeds 1 to 100), whose
//! companies, labels, layouts and narrative differ from release to release.
//!
//! `cargo bench --bench parse` (add `-- --quick` for a short run, `-- html`
//! for the HTML group only).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tieout::check::check_document;
use tieout::rules::RulePack;

#[path = "../tests/generator/mod.rs"]
mod generator;

// The allocator of the `tieout` binary, so that the figures are the tool's;
// `cargo bench --features system-alloc` measures with the system allocator,
// as a library user who keeps it gets.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: tieout::alloc::Mimalloc = tieout::alloc::Mimalloc;

fn corpus() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    files_in(&dir, "txt").expect("corpus/ is readable")
}

/// The files of `dir` whose extension is `ext`, sorted by name.
fn files_in(dir: &Path, ext: &str) -> std::io::Result<Vec<Vec<u8>>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    paths.sort();
    paths.iter().map(std::fs::read).collect()
}

/// `corpus/*.htm`, then `../shared/corpus/html/*.htm` when present.
fn html_corpus() -> Vec<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = files_in(&root.join("corpus"), "htm").expect("corpus/ is readable");
    match files_in(&root.join("../shared/corpus/html"), "htm") {
        Ok(shared) => files.extend(shared),
        Err(_) => eprintln!("note: ../shared/corpus/html/ is absent; corpus/*.htm only"),
    }
    files
}

/// A release of about `len` bytes in Workiva's markup, on one line: a title,
/// a scale line, a two-row period header, then value rows (a padded label
/// cell, `$` in a cell of its own, the figure followed by `&#160;`, an empty
/// trailer cell) repeated, a border-top total every tenth row.
fn workiva_one_line(len: usize) -> Vec<u8> {
    const FONT: &str = "<font style=\"color:#000000;font-family:'Times New Roman',serif;\
                        font-size:9pt;font-weight:400;line-height:100%\">";
    let figure = |v: &str, style: &str| {
        format!(
            "<td style=\"{style}padding:2px 0 2px 1pt;text-align:left;vertical-align:bottom\">\
             {FONT}$</font></td><td style=\"{style}padding:2px 0;text-align:right;\
             vertical-align:bottom\">{FONT}{v}&#160;</font></td><td style=\"{style}\
             padding:2px 1pt 2px 0;text-align:right;vertical-align:bottom\"></td>"
        )
    };
    let row = |label: &str, a: &str, b: &str, style: &str| {
        format!(
            "<tr><td style=\"{style}padding:2px 1pt 2px 10pt;text-align:left;\
             vertical-align:bottom\">{FONT}{label}</font></td>{}{}</tr>",
            figure(a, style),
            figure(b, style)
        )
    };
    let mut html = String::with_capacity(len + 4096);
    html.push_str(
        "<html><body><div style=\"text-align:center\"><font style=\"font-weight:700\">\
         CONDENSED CONSOLIDATED STATEMENTS OF INCOME</font></div><div style=\"text-align:\
         center\"><font>(In thousands, except per share data)</font></div><table>\
         <tr><td></td><td colspan=\"6\" style=\"border-bottom:1pt solid #000000;\
         text-align:center\"><font style=\"font-weight:700\">Thirteen Weeks Ended</font>\
         </td></tr><tr><td></td><td colspan=\"3\" style=\"text-align:center\">\
         <font>October 31, 2026</font></td><td colspan=\"3\" style=\"text-align:center\">\
         <font>November 1, 2025</font></td></tr>",
    );
    const LINES: [&str; 9] = [
        "Selling, general and administrative",
        "Research and development",
        "Depreciation and amortization",
        "Store pre-opening costs",
        "Occupancy",
        "Distribution",
        "Marketing",
        "Restructuring charges",
        "Other operating expenses",
    ];
    while html.len() < len {
        // Nine lines and their total, so that each block foots.
        for label in LINES {
            html.push_str(&row(label, "1,200", "1,100", ""));
        }
        html.push_str(&row(
            "Total operating expenses",
            "10,800",
            "9,900",
            "border-top:1pt solid #000000;",
        ));
    }
    html.push_str("</table></body></html>");
    html.into_bytes()
}

/// `parse` and `parse+check` over `files`, each file a separate input.
fn parse_and_check(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    files: &[Vec<u8>],
    pack: &RulePack,
) {
    group.bench_function("parse", |b| {
        b.iter(|| {
            for f in files {
                black_box(tieout::parse::parse(black_box(f)));
            }
        })
    });
    group.bench_function("parse+check", |b| {
        b.iter(|| {
            for f in files {
                let doc = tieout::parse::parse(black_box(f));
                black_box(check_document(&doc, pack, f));
            }
        })
    });
}

fn bench(c: &mut Criterion) {
    // As the binary does (the first group runs first).
    tieout::alloc::no_huge_pages();
    let files = corpus();
    let total: u64 = files.iter().map(|f| f.len() as u64).sum();
    let pack = RulePack::default_pack();

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(total));
    parse_and_check(&mut group, &files, &pack);
    group.finish();
}

fn html(c: &mut Criterion) {
    let files = html_corpus();
    let total: u64 = files.iter().map(|f| f.len() as u64).sum();
    let pack = RulePack::default_pack();

    let mut group = c.benchmark_group("html");
    // One pass over the real releases takes a good part of a second.
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(total));
    parse_and_check(&mut group, &files, &pack);

    let synthetic = workiva_one_line(5 << 20);
    group.throughput(Throughput::Bytes(synthetic.len() as u64));
    group.bench_function("workiva-5MB-one-line/parse", |b| {
        b.iter(|| black_box(tieout::parse::parse(black_box(&synthetic))))
    });
    group.bench_function("workiva-5MB-one-line/parse+check", |b| {
        b.iter(|| {
            let doc = tieout::parse::parse(black_box(&synthetic));
            black_box(check_document(&doc, &pack, &synthetic))
        })
    });
    group.finish();
}

fn generated(c: &mut Criterion) {
    let pack = RulePack::default_pack();
    for (name, html) in [("generated/text", false), ("generated/html", true)] {
        let files: Vec<Vec<u8>> = (1..=100)
            .map(|seed| {
                let cfg = if html {
                    generator::Config::html()
                } else {
                    generator::Config::text()
                };
                generator::generate_with(seed, &cfg).text.into_bytes()
            })
            .collect();
        let total: u64 = files.iter().map(|f| f.len() as u64).sum();
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(total));
        parse_and_check(&mut group, &files, &pack);
        group.finish();
    }
}

criterion_group!(benches, bench, html, generated);
criterion_main!(benches);
