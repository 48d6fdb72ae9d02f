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
