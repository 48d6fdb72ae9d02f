//! What the rule checks of a release tied, and the releases of a folder:
//! shared by the tests that change tied figures one digit at a time
//! (included with `#[path = "common/ticks.rs"] mod common_ticks;`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use tieout::check::{CheckOptions, check_document_with};
use tieout::finding::Finding;
use tieout::parse::parse;
use tieout::rules::RulePack;
use tieout::span::Span;

/// The figures the ticks of `rules` name, with the rule: every figure of
/// each tick, or only its first (the figure the check is about) when
/// `first_only`. Sorted; a figure tied by two of the rules is kept once.
pub fn ticked(
    bytes: &[u8],
    pack: &RulePack,
    rules: &[&str],
    first_only: bool,
) -> Vec<(Span, String)> {
    let doc = parse(bytes);
    let options = CheckOptions {
        record: true,
        ..CheckOptions::default()
    };
    let out = check_document_with(&doc, pack, bytes, options);
    let mut cells: Vec<(Span, String)> = out
        .ticks
        .iter()
        .filter(|t| rules.contains(&t.rule.as_str()))
        .flat_map(|t| {
            let n = if first_only { 1 } else { t.labels.len() };
            t.labels.iter().take(n).map(|l| (l.span, t.rule.clone()))
        })
        .collect();
    cells.sort();
    cells.dedup_by(|a, b| a.0 == b.0);
    cells
}

/// The digits of the figure at `span`, not those of markup inside it
/// (`(9</FONT></TD><TD><FONT SIZE="2">)%`).
pub fn figure_digits(bytes: &[u8], span: Span) -> Vec<usize> {
    let mut in_tag = false;
    (span.offset..span.end())
        .filter(|&i| {
            match bytes[i] {
                b'<' => in_tag = true,
                b'>' => in_tag = false,
                _ => {}
            }
            !in_tag && bytes[i].is_ascii_digit()
        })
        .collect()
}

/// The bundled `corpus/` folder.
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// `corpus/`, and the seeds and real releases of `../shared/` when present
/// (saying so when they are not).
pub fn release_dirs() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![corpus_dir()];
    for d in ["../shared/seeds", "../shared/corpus"] {
        if root.join(d).is_dir() {
            dirs.push(root.join(d));
        } else {
            eprintln!("{d} is absent: checked on corpus/ only");
        }
    }
    dirs
}

/// Every finding of a release, notes included.
pub fn findings(bytes: &[u8], pack: &RulePack) -> Vec<Finding> {
    let doc = parse(bytes);
    check_document_with(&doc, pack, bytes, CheckOptions::default()).findings
}

/// The releases under `dir` (`.txt`, `.htm`, `.html`), sorted, leaving
/// out `broken/` variants.
pub fn releases(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "txt" || e == "htm" || e == "html")
        })
        .filter(|p| !p.components().any(|c| c.as_os_str() == "broken"))
        .collect();
    files.sort();
    files
}
