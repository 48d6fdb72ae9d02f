//! The real releases of `../shared/corpus/text/` (EDGAR filings kept as
//! filed, outside the repository): how well the parser lines their tables
//! up, and that the checker raises no error on these correct filings.
//!
//! Run with `--nocapture` to see the per-file table counts and issues. When
//! the folder is absent the test prints a note and passes.

use std::path::PathBuf;

use tieout::ast::{Document, ParseIssueKind, Table};
use tieout::check::check_document;
use tieout::finding::Severity;
use tieout::rules::RulePack;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/text")
}

/// A table is aligned when no `UnalignedCell` issue falls inside its span.
fn aligned(doc: &Document, t: &Table) -> bool {
    !doc.issues.iter().any(|i| {
        i.kind == ParseIssueKind::UnalignedCell
            && i.span.offset >= t.span.offset
            && i.span.offset < t.span.end()
    })
}

#[test]
fn real_corpus_parses_and_checks_clean() {
    let dir = corpus_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("note: skipping, {} is absent", dir.display());
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();

    let pack = RulePack::default_pack();
    let (mut files, mut with_aligned_table) = (0usize, 0usize);
    let mut errors = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).expect("corpus file is readable");
        let doc = tieout::parse::parse(&bytes);
        let tables: Vec<&Table> = doc.exhibits.iter().flat_map(|e| e.tables()).collect();
        let n_aligned = tables.iter().filter(|t| aligned(&doc, t)).count();
        let values: usize = tables
            .iter()
            .flat_map(|t| &t.rows)
            .filter(|r| r.has_values())
            .count();
        files += 1;
        if n_aligned > 0 {
            with_aligned_table += 1;
        }
        let count = |k: ParseIssueKind| doc.issues.iter().filter(|i| i.kind == k).count();
        println!(
            "{name}: {} bytes, {} exhibit(s), {} table(s), {n_aligned} fully aligned, \
             {values} value rows; issues: {} unaligned cell, {} undated column, {} other",
            bytes.len(),
            doc.exhibits.len(),
            tables.len(),
            count(ParseIssueKind::UnalignedCell),
            count(ParseIssueKind::UndatedColumn),
            doc.issues.len()
                - count(ParseIssueKind::UnalignedCell)
                - count(ParseIssueKind::UndatedColumn),
        );
        for t in &tables {
            println!(
                "    table @{}: {} column(s), {} row(s){}",
                t.span.offset,
                t.columns.len(),
                t.rows.len(),
                if aligned(&doc, t) { "" } else { ", unaligned" }
            );
        }

        let out = check_document(&doc, &pack, &bytes);
        let by_severity = |s: Severity| out.findings.iter().filter(|f| f.severity == s).count();
        println!(
            "    check: {} facts, {} rules run, {} error(s), {} warning(s), {} note(s)",
            out.stats.facts,
            out.stats.rules_run,
            by_severity(Severity::Error),
            by_severity(Severity::Warning),
            by_severity(Severity::Note)
        );
        for f in out
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
        {
            println!("    error {}: {}", f.rule, f.message);
            errors.push(format!("{name}: {}: {}", f.rule, f.message));
        }
    }
    println!("{with_aligned_table} of {files} file(s) have at least one fully aligned table");
    if files == 0 {
        return;
    }
    assert!(
        with_aligned_table > 0,
        "no real release has a fully aligned table"
    );
    assert!(
        errors.is_empty(),
        "error findings on correct filings:\n{}",
        errors.join("\n")
    );
}

/// Mutation test over the real plain-text releases: every value cell of a
/// money row (share counts and per-share rows left out) gets one digit
/// changed; the change is caught when a finding of warning level or above
/// has a label covering the changed byte. Cells outside any footing or
/// identity (a segment table without periods, an exchange rate) cannot be
/// caught, so the rate is over all money cells and is a floor.
#[test]
fn real_corpus_mutation_detection() {
    let dir = corpus_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("note: {} absent, skipping", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    let pack = RulePack::default_pack();
    // Floors set just below the rates measured (65.9%, 80.8%).
    for (name, tens, floor) in [("last digit", false, 0.65), ("tens digit", true, 0.80)] {
        let (mut tried, mut caught) = (0usize, 0usize);
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            let doc = tieout::parse::parse(&bytes);
            let mut sites = Vec::new();
            for t in doc.exhibits.iter().flat_map(|e| e.tables()) {
                for r in &t.rows {
                    let l = r.label.to_ascii_lowercase();
                    if l.contains("per share") || l.contains("share") || l.contains("rate") {
                        continue;
                    }
                    for c in r
                        .cells
                        .iter()
                        .flatten()
                        .filter(|c| !c.nil && c.decimals == 0)
                    {
                        let digits: Vec<usize> = c
                            .span
                            .slice(&bytes)
                            .iter()
                            .enumerate()
                            .filter(|(_, b)| b.is_ascii_digit())
                            .map(|(i, _)| i)
                            .collect();
                        let pick = match digits.len() {
                            0 => continue,
                            n if tens && n >= 2 => digits[n - 2],
                            n => digits[n - 1],
                        };
                        sites.push(c.span.offset + pick);
                    }
                }
            }
            for at in sites {
                let mut m = bytes.clone();
                m[at] = b'0' + (m[at] - b'0' + 1) % 10;
                let doc = tieout::parse::parse(&m);
                let out = check_document(&doc, &pack, &m);
                tried += 1;
                if out.findings.iter().any(|f| {
                    f.severity >= Severity::Warning
                        && f.labels
                            .iter()
                            .any(|l| l.span.offset <= at && at < l.span.end())
                }) {
                    caught += 1;
                }
            }
        }
        if tried == 0 {
            return;
        }
        let rate = caught as f64 / tried as f64;
        println!(
            "real corpus mutation detection ({name} +1): {caught} of {tried} money cells ({:.1}%)",
            rate * 100.0
        );
        assert!(rate >= floor, "{name}: detection fell to {rate:.3}");
    }
}
