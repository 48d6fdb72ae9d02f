//! The data-driven checker test over `corpus/`.
//!
//! Good releases must produce no error or warning. Each `corpus/broken/`
//! release must produce the finding its sidecar names, with a label on the
//! named cell, and nothing else at warning level or above; its rendered
//! miette output is pinned in a snapshot.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tieout::ast::Block;
use tieout::finding::Severity;
use tieout::report::{FileReport, FileStatus, Format, RenderOptions, render_all};
use tieout::rules::RulePack;

#[derive(Deserialize)]
struct Sidecar {
    #[serde(default)]
    findings: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    rule: String,
    #[allow(dead_code)]
    severity: String,
    row: Option<String>,
    col: Option<usize>,
}

/// Broken releases whose error tieout does not detect yet. The test fails
/// when one of them starts being detected, so this list cannot go stale.
const KNOWN_GAPS: &[&str] = &[];

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "txt" || x == "htm" || x == "html")
        })
        .collect();
    v.sort();
    v
}

fn run(path: &Path, pack: &RulePack) -> (FileReport, tieout::ast::Document) {
    let bytes = std::fs::read(path).unwrap();
    let doc = tieout::parse::parse(&bytes);
    let out = tieout::check::check_document(&doc, pack, &bytes);
    let name = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string();
    (
        FileReport {
            path: name,
            status: FileStatus::Ok,
            error: None,
            stats: out.stats,
            findings: out.findings,
            source: std::sync::Arc::new(bytes),
            view: doc
                .exhibits
                .iter()
                .any(|e| e.html)
                .then(|| std::sync::Arc::new(tieout::report::view::DocView::new(&doc))),
            known: None,
            claims: Vec::new(),
            untouched: Vec::new(),
            review: None,
        },
        doc,
    )
}

#[test]
fn good_releases_have_no_errors_or_warnings() {
    let pack = RulePack::default_pack();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut problems = Vec::new();
    for f in files(&dir) {
        let (report, _) = run(&f, &pack);
        assert!(report.stats.rules_run > 0, "{}: no rule ran", f.display());
        for x in report
            .findings
            .iter()
            .filter(|x| x.severity >= Severity::Warning)
        {
            problems.push(format!("{}: {} {}", f.display(), x.rule, x.message));
        }
    }
    assert!(
        problems.is_empty(),
        "false findings on correct releases:\n{}",
        problems.join("\n")
    );
}

#[test]
fn broken_releases_report_their_one_error() {
    let pack = RulePack::default_pack();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/broken");
    let mut problems = Vec::new();
    let mut covered = std::collections::BTreeSet::new();
    for f in files(&dir) {
        let stem = f.file_stem().unwrap().to_string_lossy().to_string();
        let side: Sidecar = serde_saphyr::from_str(
            &std::fs::read_to_string(f.with_extension("expect.yaml")).unwrap(),
        )
        .unwrap();
        let (report, doc) = run(&f, &pack);
        let expected_rules: Vec<&str> = side.findings.iter().map(|e| e.rule.as_str()).collect();
        if KNOWN_GAPS.contains(&stem.as_str()) {
            if report
                .findings
                .iter()
                .any(|x| expected_rules.contains(&x.rule.as_str()))
            {
                problems.push(format!("{stem}: now detected; remove it from KNOWN_GAPS"));
            }
            continue;
        }
        for x in report
            .findings
            .iter()
            .filter(|x| x.severity >= Severity::Warning)
        {
            if !expected_rules.contains(&x.rule.as_str()) {
                problems.push(format!("{stem}: unexpected {} {}", x.rule, x.message));
            }
        }
        for e in &side.findings {
            covered.insert(e.rule.clone());
            let hits: Vec<_> = report
                .findings
                .iter()
                .filter(|x| x.rule == e.rule)
                .collect();
            if hits.is_empty() {
                problems.push(format!("{stem}: {} did not fire", e.rule));
                continue;
            }
            // The named cell must carry a label.
            if let (Some(row), Some(col)) = (&e.row, e.col) {
                let cell = doc
                    .exhibits
                    .iter()
                    .flat_map(|x| &x.blocks)
                    .filter_map(|b| match b {
                        Block::Table(t) => Some(t),
                        Block::Paragraph(_) => None,
                    })
                    .flat_map(|t| &t.rows)
                    .filter(|r| *r.label == **row)
                    .filter_map(|r| r.cells.get(col).cloned().flatten())
                    .map(|c| c.span)
                    .collect::<Vec<_>>();
                let labelled = hits
                    .iter()
                    .any(|x| x.labels.iter().any(|l| cell.contains(&l.span)));
                if !labelled {
                    problems.push(format!(
                        "{stem}: no {} label on row \"{row}\" column {col}",
                        e.rule
                    ));
                }
            }
        }
        let mut text = Vec::new();
        render_all(
            Format::Human,
            &[report],
            &[],
            &RenderOptions::default(),
            &mut text,
        )
        .unwrap();
        insta::assert_snapshot!(format!("broken-{stem}"), String::from_utf8_lossy(&text));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every assert, footing and cross-statement rule of the default pack
    // has a broken release.
    for rule in pack.rules() {
        // Prior-release rules need two releases: tests/prior_release.rs
        // runs them on the pair of corpus/pairs/.
        let structural = !rule.id.starts_with("narrative-") && !rule.id.starts_with("prior-");
        if structural {
            assert!(
                covered.contains(&rule.id),
                "no broken release for {}",
                rule.id
            );
        }
    }
}

/// `narrative-unverifiable` is a note listed with `--claims`: a corpus
/// release whose text names a quarter no table prints gets one, labelled on
/// the stated figure, and never anything louder than a note.
#[test]
fn unverifiable_claims_are_listed_as_notes() {
    let pack = RulePack::default_pack();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut listed = 0;
    for f in files(&dir) {
        let bytes = std::fs::read(&f).unwrap();
        let doc = tieout::parse::parse(&bytes);
        let out = tieout::check::check_document(&doc, &pack, &bytes);
        let notes = tieout::check_narrative::unverifiable_notes(&out.claims, &pack);
        assert_eq!(
            notes.len(),
            out.stats.claims_unverifiable,
            "{}",
            f.display()
        );
        for n in &notes {
            assert_eq!(n.rule, "narrative-unverifiable");
            assert_eq!(n.severity, Severity::Note);
            let span = n.primary().expect("labelled");
            assert!(
                !span.slice(&bytes).is_empty(),
                "the label covers the stated figure"
            );
        }
        listed += notes.len();
    }
    assert!(listed > 0, "the corpus has claims that no table can tick");
}
