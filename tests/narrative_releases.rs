//! The narrative check end to end: fictional releases written for these
//! tests, the corpus's broken narrative releases, and the good releases
//! (including the shared corpus when it is present) without false findings.

use std::path::{Path, PathBuf};

use tieout::ast::{Block, Document};
use tieout::check::{CheckOutput, check_document};
use tieout::finding::Severity;
use tieout::rules::RulePack;

fn check(bytes: &[u8]) -> (Document, CheckOutput) {
    let pack = RulePack::default_pack();
    let doc = tieout::parse::parse(bytes);
    let out = check_document(&doc, &pack, bytes);
    (doc, out)
}

fn problems(out: &CheckOutput) -> Vec<String> {
    out.findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| format!("{} {}", f.rule, f.message))
        .collect()
}

/// A fictional company with two segments; the paragraphs under each
/// segment heading state that segment's figures.
const SEGMENTS: &str = r#"BRAMBLEWOOD OUTFITTERS REPORTS SECOND QUARTER 2037 RESULTS

ASHEVILLE, N.C., July 28, 2037 -- Bramblewood Outfitters, Inc., a fictional
outdoor goods company, today reported results for the second quarter ended
June 30, 2037.

Net income for the second quarter of 2037 was $6.1 million, compared with
$4.8 million in the second quarter of 2036. Revenues were $64.6 million.

    Wholesale

    The Wholesale segment reported operating income of $3.2 million for the
second quarter of 2037, compared with operating income of $2.9 million in the
second quarter of 2036.

    Revenues for the second quarter increased 9.5 percent to $23.0 million.

    Retail

    Revenues for the second quarter were $41.6 million, and operating income
was $6.1 million.

    Segment Results
    (In thousands)
    For the Three Months Ended June 30, 2037 and July 1, 2036

                         Wholesale          Retail          Consolidated

                       2037      2036     2037     2036     2037     2036

    Revenues         $23,010  $21,015  $41,580  $40,210  $64,590  $61,225
    Operating income   3,215    2,880    6,120    4,410    9,335    7,290

    Net income                                           $6,140   $4,790
"#;

fn claim<'a>(out: &'a CheckOutput, stated: &str) -> &'a tieout::check_narrative::ClaimReport {
    out.claims
        .iter()
        .find(|c| c.amount.as_deref() == Some(stated))
        .unwrap_or_else(|| panic!("no claim {stated}: {:#?}", out.claims))
}

#[test]
fn segment_sections_are_checked_against_the_segment_columns() {
    let (_, out) = check(SEGMENTS.as_bytes());
    assert!(problems(&out).is_empty(), "{:?}", problems(&out));
    // Under "Wholesale", revenues of $23.0 million are the segment's.
    assert_eq!(claim(&out, "$23.0 million").status, "verified");
    assert_eq!(claim(&out, "$41.6 million").status, "verified");
    // The consolidated figure in an entity paragraph still ticks.
    assert_eq!(claim(&out, "$64.6 million").status, "verified");
}

#[test]
fn a_segment_figure_matching_nothing_stays_unverifiable() {
    let text = SEGMENTS.replace("were $41.6 million", "were $45.6 million");
    let (_, out) = check(text.as_bytes());
    assert!(problems(&out).is_empty(), "{:?}", problems(&out));
    let c = claim(&out, "$45.6 million");
    assert_eq!(c.status, "unverifiable");
    assert!(
        c.detail.as_deref().unwrap_or("").contains("Retail segment"),
        "{c:?}"
    );
}

fn txt_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[derive(serde::Deserialize)]
struct Sidecar {
    findings: Vec<Expected>,
}

#[derive(serde::Deserialize)]
struct Expected {
    rule: String,
    row: String,
    col: usize,
}

#[test]
fn broken_narrative_releases_fire_on_the_text_and_the_cell() {
    let files: Vec<PathBuf> = txt_files(&root().join("corpus/broken"))
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("narrative-"))
        })
        .collect();
    assert!(files.len() >= 5, "{files:?}");
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let side: Sidecar = serde_saphyr::from_str(
            &std::fs::read_to_string(f.with_extension("expect.yaml")).unwrap(),
        )
        .unwrap();
        let (doc, out) = check(&bytes);
        let name = f.display();
        let blocks = || doc.exhibits.iter().flat_map(|x| &x.blocks);
        let paragraphs: Vec<_> = blocks()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.span),
                Block::Table(_) => None,
            })
            .collect();
        for e in &side.findings {
            let hits: Vec<_> = out.findings.iter().filter(|x| x.rule == e.rule).collect();
            assert_eq!(
                hits.len(),
                1,
                "{name}: {} fired {} times",
                e.rule,
                hits.len()
            );
            let finding = hits[0];
            let cells: Vec<_> = blocks()
                .filter_map(|b| match b {
                    Block::Table(t) => Some(t),
                    Block::Paragraph(_) => None,
                })
                .flat_map(|t| &t.rows)
                .filter(|r| *r.label == *e.row)
                .filter_map(|r| r.cells.get(e.col).cloned().flatten())
                .map(|c| c.span)
                .collect();
            assert!(!cells.is_empty(), "{name}: no cell {} / {}", e.row, e.col);
            let on_text = finding.labels.iter().any(|l| {
                paragraphs.iter().any(|p| {
                    p.offset <= l.span.offset && l.span.offset + l.span.len <= p.offset + p.len
                })
            });
            let on_cell = finding.labels.iter().any(|l| cells.contains(&l.span));
            assert!(on_text, "{name}: no label on the narrative: {finding:#?}");
            assert!(
                on_cell,
                "{name}: no label on {} column {}: {finding:#?}",
                e.row, e.col
            );
        }
        let others: Vec<_> = problems(&out)
            .into_iter()
            .filter(|p| !side.findings.iter().any(|e| p.starts_with(&e.rule)))
            .collect();
        assert!(others.is_empty(), "{name}: {others:?}");
    }
}

/// Reasons a good release's claim may be unverifiable: coverage gaps, not
/// contradictions explained away.
const COVERAGE: &[&str] = &[
    "metric unknown",
    "no table value",
    "period not in any table",
    "base period not in any table",
    "a percentage level cannot be tied",
];

#[test]
fn good_releases_tie_without_doubts() {
    let mut files = txt_files(&root().join("corpus"));
    files.extend(txt_files(&root().join("../shared/seeds")));
    files.extend(txt_files(&root().join("../shared/corpus/text")));
    let mut bad = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let (_, out) = check(&bytes);
        for p in problems(&out) {
            bad.push(format!("{}: {p}", f.display()));
        }
        // Sears Canada's revenue is stated in its segment section.
        if f.ends_with("000_sears.txt") {
            assert_eq!(claim(&out, "$1.1 billion").status, "verified");
        }
        // The corpus's hard cases are now tied, not saved by a doubt.
        if f.starts_with(root().join("corpus")) {
            for c in out.claims.iter().filter(|c| c.status == "unverifiable") {
                let why = c.detail.as_deref().unwrap_or("");
                if !COVERAGE.iter().any(|r| why.starts_with(r)) {
                    bad.push(format!("{}: {:?} doubted: {why}", f.display(), c.amount));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A run that prints no claim (`lean_claims`) counts and ties the same as
/// one that reports them in full, and makes the same findings: over every
/// release of `corpus/` (text and HTML, broken ones included) and this
/// file's own.
#[test]
fn lean_claims_count_tie_and_find_as_full_claims_do() {
    use tieout::check::{CheckOptions, check_document_with};
    let pack = RulePack::default_pack();
    let mut files: Vec<Vec<u8>> = vec![SEGMENTS.as_bytes().to_vec()];
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(root().join("corpus"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "htm"))
        .collect();
    paths.sort();
    files.extend(paths.iter().map(|p| std::fs::read(p).expect("readable")));
    let (mut claims, mut contradicted) = (0, 0);
    for bytes in &files {
        let doc = tieout::parse::parse(bytes);
        let run = |lean_claims| {
            let options = CheckOptions {
                lean_claims,
                ..CheckOptions::default()
            };
            check_document_with(&doc, &pack, bytes, options)
        };
        let (full, lean) = (run(false), run(true));
        assert_eq!(format!("{:?}", lean.stats), format!("{:?}", full.stats));
        assert_eq!(lean.tied, full.tied);
        assert_eq!(
            format!("{:?}", lean.findings),
            format!("{:?}", full.findings)
        );
        assert_eq!(lean.claims.len(), full.claims.len());
        for (l, f) in lean.claims.iter().zip(&full.claims) {
            assert_eq!((l.span, l.status), (f.span, f.status));
            let spans = |c: &tieout::check_narrative::ClaimReport| {
                c.ticked.iter().map(|t| t.span).collect::<Vec<_>>()
            };
            assert_eq!(spans(l), spans(f));
            if f.status == "contradicted" {
                // A contradiction makes a finding: it is reported in full.
                assert_eq!(format!("{l:?}"), format!("{f:?}"));
                contradicted += 1;
            } else {
                // Only the full report names what it checked.
                assert!(l.metric.is_empty() && l.amount.is_none() && !f.metric.is_empty());
            }
        }
        claims += full.claims.len();
    }
    assert!(claims > 50, "the releases state claims: {claims}");
    assert!(
        contradicted > 0,
        "the broken releases contradict their tables"
    );
}
