//! The parser's invariant, tested: parsing never panics and every span it
//! returns lies inside the input, whatever the bytes; the checker never
//! panics on what the parser returns.
//!
//! Property tests feed arbitrary bytes, lines assembled from table-ish
//! fragments, and corpus releases with random edits; fixed cases cover the
//! degenerate files (empty, whitespace, NUL, Latin-1, a 1 MB line, a
//! truncated submission).

#[path = "common/spans.rs"]
mod common_spans;
use common_spans::spans;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use tieout::ast::{Document, ParseIssueKind};
use tieout::check::check_document;
use tieout::rules::RulePack;
use tieout::span::Span;

fn pack() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(RulePack::default_pack)
}

/// Parses and checks `bytes`, asserting every span lies within the input.
fn parse_and_check(bytes: &[u8]) -> Document {
    let doc = tieout::parse::parse(bytes);
    assert_eq!(doc.span, Span::new(0, bytes.len()));
    for (what, span) in spans(&doc) {
        assert!(
            span.end() <= bytes.len(),
            "{what} span {span:?} ends past the input ({} bytes)",
            bytes.len()
        );
    }
    let out = check_document(&doc, pack(), bytes);
    for f in &out.findings {
        for l in &f.labels {
            assert!(
                l.span.end() <= bytes.len(),
                "finding {} label {:?} ends past the input ({} bytes)",
                f.rule,
                l.span,
                bytes.len()
            );
        }
    }
    doc
}

/// Pieces of plain-text tables, EDGAR tags and dates.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("$".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(",".to_string()),
        Just("-".to_string()),
        Just("--".to_string()),
        Just("------".to_string()),
        Just("=".to_string()),
        Just("=======".to_string()),
        Just(".".to_string()),
        Just("%".to_string()),
        Just(" ".to_string()),
        Just("    ".to_string()),
        Just("\t".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\x0c".to_string()),
        Just("<TABLE>".to_string()),
        Just("</TABLE>".to_string()),
        Just("<CAPTION>".to_string()),
        Just("<S>".to_string()),
        Just("<C>".to_string()),
        Just("<DOCUMENT>".to_string()),
        Just("</DOCUMENT>".to_string()),
        Just("<TYPE>EX-99.1".to_string()),
        Just("<TEXT>".to_string()),
        Just("</TEXT>".to_string()),
        Just("<FN>".to_string()),
        Just("(In thousands, except per share data)".to_string()),
        Just("(unaudited)".to_string()),
        Just("(As Restated)".to_string()),
        Just("Three Months Ended".to_string()),
        Just("Nine Months Ended".to_string()),
        Just("13 Weeks Ended".to_string()),
        Just("Total".to_string()),
        Just("Net loss".to_string()),
        Just("Total assets".to_string()),
        Just("per share".to_string()),
        Just("million".to_string()),
        prop::sample::select(vec![
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "Sept.",
            "October",
            "November",
            "December",
        ])
        .prop_map(str::to_string),
        (1990u32..2030).prop_map(|y| y.to_string()),
        "[0-9]{1,3}(,[0-9]{3}){0,3}",
        "\\([0-9]{1,3}(,[0-9]{3}){0,2}\\)",
        "[0-9]{1,2}\\.[0-9]{1,2}",
        "[A-Za-z]{1,10}",
    ]
}

/// Lines of fragments, joined with newlines.
fn tableish() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::collection::vec(fragment(), 0..16), 0..60).prop_map(|lines| {
        lines
            .iter()
            .map(|l| l.concat())
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes()
    })
}

fn corpus_files() -> &'static [Vec<u8>] {
    static FILES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        paths.retain(|p| p.extension().is_some_and(|e| e == "txt"));
        paths.sort();
        paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
    })
}

/// A corpus release with a few bytes overwritten and possibly truncated.
fn edited_corpus_file() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<prop::sample::Index>(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
        prop::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(|(file, edits, cut)| {
            let files = corpus_files();
            if files.is_empty() {
                return Vec::new();
            }
            let mut bytes = files[file.index(files.len())].clone();
            if bytes.is_empty() {
                return bytes;
            }
            for (at, b) in edits {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len() + 1));
            }
            bytes
        })
}

/// Characters whose case folding changes their length or maps them onto an
/// ASCII letter (Kelvin sign, dotted capital I, long s, Angstrom sign, ohm
/// sign, script capital M): a case-insensitive match on text that slices by
/// the ASCII word's length would cut one of them in two.
const CASE_FOLD_TRAPS: [char; 6] = [
    '\u{212A}', '\u{0130}', '\u{017F}', '\u{212B}', '\u{2126}', '\u{2133}',
];

/// A corpus release with some ASCII letters replaced by [`CASE_FOLD_TRAPS`].
fn lookalike_corpus_file() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<prop::sample::Index>(),
        prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>()),
            1..40,
        ),
    )
        .prop_map(|(file, edits)| {
            let files = corpus_files();
            if files.is_empty() {
                return Vec::new();
            }
            let text = String::from_utf8_lossy(&files[file.index(files.len())]).into_owned();
            let mut chars: Vec<char> = text.chars().collect();
            let letters: Vec<usize> = (0..chars.len())
                .filter(|&i| chars[i].is_ascii_alphabetic())
                .collect();
            if letters.is_empty() {
                return text.into_bytes();
            }
            for (at, trap) in edits {
                chars[letters[at.index(letters.len())]] =
                    CASE_FOLD_TRAPS[trap.index(CASE_FOLD_TRAPS.len())];
            }
            chars.into_iter().collect::<String>().into_bytes()
        })
}

#[test]
fn case_fold_lookalikes_in_every_word_do_not_panic() {
    // Every letter that has a trap replaced, in every corpus release.
    for bytes in corpus_files() {
        let text = String::from_utf8_lossy(bytes);
        let swapped: String = text
            .chars()
            .map(|c| match c {
                'k' | 'K' => '\u{212A}',
                'i' => '\u{0130}',
                's' | 'S' => '\u{017F}',
                _ => c,
            })
            .collect();
        parse_and_check(swapped.as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn case_fold_lookalikes(bytes in lookalike_corpus_file()) {
        parse_and_check(&bytes);
    }

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        parse_and_check(&bytes);
    }

    #[test]
    fn arbitrary_ascii_text(text in "[ -~\t\r\n]{0,4096}") {
        parse_and_check(text.as_bytes());
    }

    #[test]
    fn tableish_lines(bytes in tableish()) {
        parse_and_check(&bytes);
    }

    #[test]
    fn edited_corpus_releases(bytes in edited_corpus_file()) {
        parse_and_check(&bytes);
    }
}

fn has_issue(doc: &Document, kind: ParseIssueKind) -> bool {
    doc.issues.iter().any(|i| i.kind == kind)
}

#[test]
fn empty_file_is_unreadable() {
    let doc = parse_and_check(b"");
    assert!(doc.exhibits.is_empty());
    assert!(has_issue(&doc, ParseIssueKind::Unreadable));
}

#[test]
fn whitespace_only_is_unreadable() {
    let doc = parse_and_check(b"  \n\t\r\n\x0c\n   \n");
    assert!(has_issue(&doc, ParseIssueKind::Unreadable));
}

#[test]
fn nul_bytes_are_binary() {
    let doc = parse_and_check(b"Net revenue   52,686\0\0\0   53,205\n");
    assert!(has_issue(&doc, ParseIssueKind::Unreadable));
    parse_and_check(&[0u8; 1024]);
}

#[test]
fn latin1_is_read() {
    let text: &[u8] = b"Soci\xe9t\xe9 G\xe9n\xe9rale\n\n\
        (In thousands)\n\
        \x20                        March 31,    December 31,\n\
        \x20                          2006           2005\n\
        \x20                        --------     ------------\n\
        Caf\xe9 assets              $  1,000      $    900\n\
        Other \xe9l\xe9ments             500           600\n\
        \x20                        --------     ------------\n\
        Total assets              $  1,500      $  1,500\n";
    let doc = parse_and_check(text);
    assert!(!has_issue(&doc, ParseIssueKind::Unreadable));
}

#[test]
fn one_megabyte_line_of_digits_is_quick() {
    let bytes = vec![b'7'; 1 << 20];
    let start = Instant::now();
    parse_and_check(&bytes);
    let took = start.elapsed();
    println!("1 MB line of digits: {took:?}");
    assert!(
        took < Duration::from_secs(30),
        "1 MB line took {took:?} (debug build)"
    );
}

fn value_lines(len: usize) -> Vec<u8> {
    let line = b"Net revenue          $  52,686   $ 53,205   $ (27,563)\n";
    line.iter().copied().cycle().take(len).collect()
}

#[test]
fn one_megabyte_of_value_lines_parses_quickly() {
    let bytes = value_lines(1 << 20);
    let start = Instant::now();
    let doc = tieout::parse::parse(&bytes);
    let took = start.elapsed();
    println!("parse of 1 MB of value lines: {took:?}");
    assert!(doc.span.end() == bytes.len());
    assert!(
        took < Duration::from_secs(30),
        "parse of 1 MB of value lines took {took:?} (debug build)"
    );
}

#[test]
fn value_lines_check_without_panic() {
    parse_and_check(&value_lines(16 << 10));
}

/// Regression: `check_document` was once quadratic in the rows of one
/// table (1 MB of value lines took about a minute); it is linear now.
#[test]
fn one_megabyte_of_value_lines_checks_quickly() {
    let bytes = value_lines(1 << 20);
    let doc = tieout::parse::parse(&bytes);
    let start = Instant::now();
    check_document(&doc, pack(), &bytes);
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(10),
        "check of 1 MB of value lines took {took:?}"
    );
}

#[test]
fn truncated_submission_is_read() {
    let bytes = b"<SEC-DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\n\
        Net revenue          $  52,686   $ 53,205\n\
        Cost of revenue         32,504     31,793\n";
    let doc = parse_and_check(bytes);
    assert_eq!(doc.kind, tieout::ast::DocumentKind::Submission);
    // Cut anywhere inside the tags as well.
    for cut in 0..bytes.len() {
        parse_and_check(&bytes[..cut]);
    }
}

#[test]
fn tags_without_bodies() {
    for text in [
        &b"<DOCUMENT>"[..],
        b"<DOCUMENT><TEXT>",
        b"<DOCUMENT>\n<TYPE>",
        b"<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT></TEXT></DOCUMENT>",
        b"</TEXT></DOCUMENT><DOCUMENT><TEXT>",
        b"<TABLE>\n<S>\n<C>\n</TABLE>",
        b"<TABLE><S><C><C><C>",
    ] {
        parse_and_check(text);
    }
}

/// Regression: mention spans after Latin-1 characters once shifted one byte
/// right per character (the paragraph text is decoded, two bytes per
/// Latin-1 character), and past the end of the file (proptest's minimal
/// case: 35 bytes `\x01`, `\x80\x80\x80`, `0`, `\x01\x01`).
#[test]
fn latin1_mention_spans_point_at_the_figure() {
    for text in [
        &b"Caf\xe9 revenue was $52.7 million in the quarter.\n"[..],
        b"Soci\xe9t\xe9 revenue was $52.7 million",
    ] {
        let doc = parse_and_check(text);
        let m = doc.exhibits[0]
            .paragraphs()
            .flat_map(|p| &p.mentions)
            .next()
            .expect("one mention");
        assert_eq!(m.span.slice(text), b"$52.7 million");
    }
    let mut tail = vec![1u8; 35];
    tail.extend_from_slice(b"\x80\x80\x800\x01\x01");
    let doc = tieout::parse::parse(&tail);
    for m in doc
        .exhibits
        .iter()
        .flat_map(|e| e.paragraphs())
        .flat_map(|p| &p.mentions)
    {
        assert!(
            m.span.end() <= tail.len(),
            "mention {:?} past the input",
            m.span
        );
    }
}

/// Figures longer than any release prints must not overflow the decimal
/// arithmetic when scaled (`$4... billion`, a 28-digit cell in a table in
/// billions, 30 decimals): they are read, and neither parse nor check panics.
#[test]
fn oversized_figures_do_not_overflow() {
    let text = "\
Northwind Holdings earned $412345678901234567890 billion and
$0.000000000000000000000000000001 million in the quarter of 2026.

                       NORTHWIND HOLDINGS
              CONDENSED STATEMENTS OF OPERATIONS
                        (In billions)

                                         Three Months Ended March 31,
                                            2026            2025
                                        -------------   -------------
Revenue                                 99999999999999999999999999999   12
Cost of revenue                         99999999999999999999999999999    4
                                        -------------   -------------
Gross profit                            99999999999999999999999999999    8
Margin                                  0.000000000000000000000000000001  1
";
    let doc = parse_and_check(text.as_bytes());
    let cells: usize = doc
        .exhibits
        .iter()
        .flat_map(|e| &e.blocks)
        .filter_map(|b| match b {
            tieout::ast::Block::Table(t) => Some(t.rows.len()),
            _ => None,
        })
        .sum();
    assert!(cells >= 3, "the table is still read");
}

/// A statement whose revenue cell is `figure`, otherwise consistent.
fn statement_with_revenue(figure: &str) -> String {
    let w = figure.len().max(14);
    let line = |label: &str, a: &str, b: &str| format!("{label:<18}{a:>w$}{b:>18}\n");
    [
        "ACME CORP\nCONSOLIDATED STATEMENTS OF OPERATIONS\n(In thousands)\n\n".to_string(),
        line("", "March 31, 2026", "March 31, 2025"),
        line("Revenue", figure, "1,000"),
        line("Cost of revenue", "400", "300"),
        line("Gross profit", "600", "700"),
    ]
    .concat()
}

#[test]
fn figures_with_more_digits_than_tieout_reads_are_reported_not_read_as_zero() {
    // 30 digits is beyond `Decimal`; 29 decimals beyond its scale (this
    // used to panic in footing). Neither may be read as 0 and make the
    // gross-profit identity fail.
    for figure in [
        "123,456,789,012,345,678,901,234,567,890",
        "1,000.00000000000000000000000000001",
        "1234567890123456",
    ] {
        let text = statement_with_revenue(figure);
        let bytes = text.as_bytes();
        let doc = tieout::parse::parse(bytes);
        assert!(
            has_issue(&doc, ParseIssueKind::FigureOutOfRange),
            "{figure}: {:?}",
            doc.issues
        );
        let out = check_document(&doc, pack(), bytes);
        let serious: Vec<_> = out
            .findings
            .iter()
            .filter(|f| f.severity >= tieout::finding::Severity::Warning)
            .map(|f| f.message.clone())
            .collect();
        assert!(serious.is_empty(), "{figure}: {serious:?}");
        assert!(
            out.findings
                .iter()
                .any(|f| f.message.contains("more digits than tieout reads")),
            "{figure}: {:?}",
            out.findings
        );
    }
    // Fifteen digits are read.
    let text = statement_with_revenue("123,456,789,012,345");
    let doc = tieout::parse::parse(text.as_bytes());
    assert!(!has_issue(&doc, ParseIssueKind::FigureOutOfRange));
}
