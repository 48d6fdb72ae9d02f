//! Hostile HTML, tested: the HTML front end returns a document for any
//! bytes sniffed as HTML, in bounded time and memory, every span it returns
//! lies inside the input, and `check_document` runs on the result.
//!
//! The cases are the ones a sweep of an EDGAR archive meets or a fuzzer
//! finds: tags never closed, nesting 100,000 deep, absurd `colspan` and
//! `rowspan`, a 50 MB file on one line, a tag with 10,000 attributes,
//! comments and scripts that never end, NUL bytes and invalid UTF-8, files
//! cut mid-entity and mid-tag, and the entities whose decoding moves text
//! away from its bytes. The last tests run the `tieout` binary over a folder
//! holding a hostile, a binary and a good release.
//!
//! Each case runs on its own thread under a generous deadline: a hang fails
//! the test instead of stalling the suite, and a recursion that overflows
//! a thread's stack aborts it loudly. The deadline is a hang detector, not
//! a speed claim (`benches/parse.rs` measures speed).

#[path = "common/spans.rs"]
mod common_spans;
use common_spans::spans;

use std::path::Path;
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tieout::ast::{Cell, Document, DocumentKind, ParseIssueKind};
use tieout::check::{CheckOutput, check_document};
use tieout::rules::RulePack;
use tieout::span::Span;

fn pack() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(RulePack::default_pack)
}

/// Far above what any case takes in a debug build; only a hang reaches it.
const DEADLINE: Duration = Duration::from_secs(120);

/// What one hostile input gave.
struct Outcome {
    doc: Document,
    check: CheckOutput,
    parse_took: Duration,
    check_took: Duration,
}

/// Parses and checks `bytes` on a thread of its own, failing when it takes
/// longer than [`DEADLINE`], and asserts every span (finding labels
/// included) lies within the input.
fn hostile(name: &str, bytes: Vec<u8>) -> (Outcome, Vec<u8>) {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            let start = Instant::now();
            let doc = tieout::parse::parse(&bytes);
            let parse_took = start.elapsed();
            let start = Instant::now();
            let check = check_document(&doc, pack(), &bytes);
            let check_took = start.elapsed();
            let _ = tx.send((
                Outcome {
                    doc,
                    check,
                    parse_took,
                    check_took,
                },
                bytes,
            ));
        })
        .expect("a thread for the case");
    let (out, bytes) = match rx.recv_timeout(DEADLINE) {
        Ok(done) => done,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{name}: parse + check did not return within {DEADLINE:?}")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The worker panicked: surface its message.
            match worker.join() {
                Err(e) => std::panic::resume_unwind(e),
                Ok(()) => panic!("{name}: the worker ended without a result"),
            }
        }
    };
    println!(
        "{name}: {} bytes, parse {:?}, check {:?}, {} blocks, {} tables, {} rows",
        bytes.len(),
        out.parse_took,
        out.check_took,
        out.doc
            .exhibits
            .iter()
            .map(|e| e.blocks.len())
            .sum::<usize>(),
        tables(&out.doc).count(),
        rows(&out.doc),
    );
    assert_eq!(out.doc.span, Span::new(0, bytes.len()), "{name}");
    if !has_issue(&out.doc, ParseIssueKind::Unreadable) {
        assert_eq!(out.doc.kind, DocumentKind::Html, "{name}: sniffed as HTML");
    }
    for (what, span) in spans(&out.doc) {
        assert!(
            span.end() <= bytes.len(),
            "{name}: {what} span {span:?} ends past the input ({} bytes)",
            bytes.len()
        );
    }
    for f in &out.check.findings {
        for l in &f.labels {
            assert!(
                l.span.end() <= bytes.len(),
                "{name}: finding {} label {:?} ends past the input ({} bytes)",
                f.rule,
                l.span,
                bytes.len()
            );
        }
    }
    (out, bytes)
}

fn tables(doc: &Document) -> impl Iterator<Item = &tieout::ast::Table> {
    doc.exhibits.iter().flat_map(|e| e.tables())
}

fn rows(doc: &Document) -> usize {
    tables(doc).map(|t| t.rows.len()).sum()
}

/// Every cell of every table.
fn cells(doc: &Document) -> impl Iterator<Item = &Cell> {
    tables(doc)
        .flat_map(|t| &t.rows)
        .flat_map(|r| r.cells.iter().flatten())
}

fn paragraph_text(doc: &Document) -> String {
    doc.exhibits
        .iter()
        .flat_map(|e| e.paragraphs())
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn has_issue(doc: &Document, kind: ParseIssueKind) -> bool {
    doc.issues.iter().any(|i| i.kind == kind)
}

/// A small statement of operations in the markup Workiva emits: one line,
/// label cells with padding, `$` in a cell of its own, figures followed by
/// `&#160;`, a border-top total.
fn small_statement() -> String {
    let mut html = String::from(
        "<html><body><div style=\"text-align:center\"><font style=\"font-weight:700\">\
         CONDENSED STATEMENTS OF OPERATIONS</font></div>\
         <div style=\"text-align:center\"><font>(In thousands)</font></div><table>",
    );
    html.push_str(&header_rows());
    for (label, a, b) in [
        ("Net sales", "1,200", "1,100"),
        ("Other revenue", "300", "250"),
    ] {
        html.push_str(&value_row(label, a, b, ""));
    }
    html.push_str(&value_row(
        "Total revenue",
        "1,500",
        "1,350",
        "border-top:1pt solid #000000;",
    ));
    html.push_str("</table></body></html>");
    html
}

fn header_rows() -> String {
    let cell = |text: &str| {
        format!(
            "<td colspan=\"3\" style=\"border-bottom:1pt solid #000000;padding:2px 1pt;\
             text-align:center;vertical-align:bottom\"><font style=\"font-size:9pt;\
             font-weight:700\">{text}</font></td>"
        )
    };
    format!(
        "<tr><td style=\"padding:2px 1pt\"><font>&#160;</font></td>{}</tr>\
         <tr><td style=\"padding:2px 1pt\"><font>&#160;</font></td>{}{}</tr>",
        "<td colspan=\"6\" style=\"border-bottom:1pt solid #000000;text-align:center\">\
         <font style=\"font-weight:700\">Three Months Ended March 31,</font></td>",
        cell("2026"),
        cell("2025"),
    )
}

/// One row as Workiva writes it: about 1.1 KB of markup for a label and
/// two figures.
fn value_row(label: &str, a: &str, b: &str, extra_style: &str) -> String {
    let font = "<font style=\"color:#000000;font-family:'Times New Roman',serif;\
                font-size:9pt;font-weight:400;line-height:100%\">";
    let figure = |v: &str| {
        format!(
            "<td style=\"{extra_style}padding:2px 0 2px 1pt;text-align:left;\
             vertical-align:bottom\">{font}$</font></td>\
             <td style=\"{extra_style}padding:2px 0;text-align:right;vertical-align:bottom\">\
             {font}{v}&#160;</font></td>\
             <td style=\"{extra_style}padding:2px 1pt 2px 0;text-align:right;\
             vertical-align:bottom\"></td>"
        )
    };
    format!(
        "<tr><td style=\"background-color:#cceeff;padding:2px 1pt 2px 10pt;text-align:left;\
         vertical-align:bottom\">{font}{label}</font></td>{}{}</tr>",
        figure(a),
        figure(b),
    )
}

// ---------------------------------------------------------------------------
// Tags never closed.

#[test]
fn unclosed_cells_and_rows_are_read_as_a_table() {
    let text = "<table><tr><td>1,000<td>2,000<tr><td>Total<td>3,000";
    let (out, bytes) = hostile("unclosed cells", text.as_bytes().to_vec());
    assert_eq!(out.doc.kind, DocumentKind::Html);
    // Whatever the table becomes, a figure that is read points at its bytes.
    for cell in cells(&out.doc) {
        let printed = cell.span.slice(&bytes);
        assert!(
            [&b"1,000"[..], b"2,000", b"3,000"].contains(&printed),
            "cell span {:?} covers {:?}",
            cell.span,
            String::from_utf8_lossy(printed)
        );
    }
}

#[test]
fn nothing_is_ever_closed() {
    // Every element opened and none closed: paragraphs, inline styles,
    // lists, sections, a table inside a list item inside a table cell.
    let text = "<html><body><div><p>Revenue grew <b>12%<i> to \
                $1.5 million.<p>Net income <font>rose<ul><li>first<li>second\
                <table><thead><tr><th>Item<th>2026<tbody><tr><td>Revenue<td>1,500\
                <td><table><tr><td>nested<td>7<tr><td>Total<td>1,507<tfoot><tr><td>End";
    let (out, _) = hostile("nothing closed", text.as_bytes().to_vec());
    let text = paragraph_text(&out.doc);
    assert!(text.contains("Revenue grew"), "{text:?}");
}

/// A `<head>` that is never closed ends where the body starts, as in a
/// browser (`<body>`, or any element that belongs in a body): the release's
/// text must not be dropped with it.
#[test]
fn unclosed_head_ends_at_the_body() {
    for text in [
        "<html><head><title>Q1</title><body><p>Revenue grew 5% to $3 million.</p></body></html>",
        "<HTML><HEAD><TITLE>Q1</TITLE><META NAME=x><P>Revenue grew 5% to $3 million.",
    ] {
        let (out, _) = hostile("unclosed head", text.as_bytes().to_vec());
        let got = paragraph_text(&out.doc);
        assert!(
            got.contains("Revenue grew 5% to $3 million."),
            "{text}: {got:?}"
        );
    }
}

#[test]
fn stray_end_tags_close_nothing() {
    let text = "</td></tr></table></p></div></body></html><p>Revenue was $3 million.\
                </li></ul></b></sup></script></style></head>\
                <table></tr></td><tr><td>Sales</td></table></td><td>4,000</td></tr></table>";
    let (out, _) = hostile("stray end tags", text.as_bytes().to_vec());
    assert!(paragraph_text(&out.doc).contains("Revenue was $3 million."));
}

// ---------------------------------------------------------------------------
// Depth.

#[test]
fn a_hundred_thousand_nested_divs() {
    let mut html = "<div>".repeat(100_000);
    html.push_str("<p>Revenue was $52.7 million.</p>");
    html.push_str(&"</div>".repeat(100_000));
    let (out, _) = hostile("100,000 nested divs", html.into_bytes());
    assert!(
        paragraph_text(&out.doc).contains("Revenue was $52.7 million."),
        "the text at the bottom is read"
    );
}

#[test]
fn a_hundred_thousand_nested_tables() {
    let mut html = "<table><tr><td>".repeat(100_000);
    html.push_str("Net sales</td><td>1,234");
    let (out, _) = hostile("100,000 nested tables", html.into_bytes());
    // Nesting is flattened below a fixed depth: at most one table per
    // level that is kept, not one per `<table>`.
    let tables = tables(&out.doc).count();
    assert!(tables <= 1_000, "{tables} tables");
}

#[test]
fn a_hundred_thousand_nested_tables_closed() {
    let mut html = "<table><tr><td>".repeat(100_000);
    html.push('7');
    html.push_str(&"</td></tr></table>".repeat(100_000));
    hostile("100,000 nested tables, closed", html.into_bytes());
}

/// Below the depth limit nested tables are flattened into one text, and a
/// figure at every level makes it one paragraph with a mention per level.
/// The narrative check is quadratic in the mentions of a paragraph
/// (`tieout::narrative::claim::tokenize` searches every mention at every
/// byte): 10,000 levels check in 0.2 s and 40,000 in 4.2 s in a release
/// build, so this case keeps to 5,000 levels, which a debug build checks in
/// a few seconds.
#[test]
fn nested_tables_with_a_figure_at_every_level() {
    let html = "<table><tr><td>Net sales<td>1,200<td>".repeat(5_000);
    let (out, _) = hostile("5,000 nested tables with figures", html.into_bytes());
    assert!(
        out.doc
            .exhibits
            .iter()
            .map(|e| e.blocks.len())
            .sum::<usize>()
            > 0
    );
}

/// One paragraph of 2,000 money figures. The same quadratic as above: in a
/// release build 10,000 figures (330 KB) check in 0.9 s, 40,000 (1.3 MB)
/// in 16 s.
#[test]
fn one_paragraph_of_two_thousand_figures() {
    let html = format!(
        "<html><p>{}</p>",
        "revenue of $1.5 million in 2026, ".repeat(2_000)
    );
    let (out, _) = hostile("2,000 figures in one paragraph", html.into_bytes());
    let mentions: usize = out
        .doc
        .exhibits
        .iter()
        .flat_map(|e| e.paragraphs())
        .map(|p| p.mentions.len())
        .sum();
    assert!(mentions >= 2_000, "{mentions} mentions");
}

#[test]
fn a_hundred_thousand_nested_inline_elements() {
    let mut html = String::from("<p>");
    html.push_str(&"<font><b><span>".repeat(100_000));
    html.push_str("Revenue was $52.7 million.");
    let (out, _) = hostile("300,000 nested inline elements", html.into_bytes());
    assert!(paragraph_text(&out.doc).contains("Revenue was $52.7 million."));
}

// ---------------------------------------------------------------------------
// Spans.

fn spanned_table(attrs: &str) -> String {
    format!(
        "<table><tr><td></td><td>2026</td><td>2025</td></tr>\
         <tr><td>Net sales</td><td {attrs}>1,200</td><td>1,100</td></tr>\
         <tr><td>Cost of sales</td><td>700</td><td {attrs}>650</td></tr>\
         <tr><td {attrs}>Gross profit</td><td>500</td><td>450</td></tr></table>"
    )
}

#[test]
fn absurd_colspan_and_rowspan() {
    for attrs in [
        "colspan=2000000000",
        "rowspan=2000000000",
        "colspan=2000000000 rowspan=2000000000",
        "colspan=4294967296 rowspan=18446744073709551616",
        "colspan=99999999999999999999999999999",
        "colspan=-1",
        "rowspan=-2000000000",
        "colspan=0 rowspan=0",
        "colspan=abc rowspan=xyz",
        "colspan=\"\" rowspan=''",
        "colspan=1e9 rowspan=0x7fffffff",
        "colspan=\" 3 \" rowspan=\"+2\"",
        "colspan=3.5 rowspan=2,000",
        "colspan=\u{0663}",
    ] {
        let (out, _) = hostile(attrs, spanned_table(attrs).into_bytes());
        for t in tables(&out.doc) {
            assert!(
                t.columns.len() <= 2_000,
                "{attrs}: {} columns",
                t.columns.len()
            );
            for r in &t.rows {
                assert!(r.cells.len() <= 2_000, "{attrs}: {} cells", r.cells.len());
            }
        }
    }
}

#[test]
fn every_cell_spans_the_maximum() {
    // 2,000 rows of cells that each claim 2,000,000,000 columns and rows.
    let mut html = String::from("<table>");
    for i in 0..2_000 {
        html.push_str(&format!(
            "<tr><td colspan=2000000000 rowspan=2000000000>Row {i}</td>\
             <td colspan=2000000000>{i}</td><td rowspan=2000000000>1,000</td></tr>"
        ));
    }
    hostile("2,000 rows of maximal spans", html.into_bytes());
}

// ---------------------------------------------------------------------------
// Size.

/// A one-line Workiva-like release of about `len` bytes: a title, a header
/// and one realistic value row repeated, with no line break anywhere.
fn one_line_release(len: usize) -> (Vec<u8>, usize) {
    let mut html = small_statement();
    html.truncate(html.len() - "</table></body></html>".len());
    let mut rows = 0;
    let row = value_row("Net sales", "1,200", "1,100", "");
    html.reserve(len + row.len());
    while html.len() < len {
        html.push_str(&row);
        rows += 1;
    }
    html.push_str("</table></body></html>");
    (html.into_bytes(), rows)
}

/// Full size: a debug build parses the 50 MB in about 10 s and checks it
/// in about 1 s (peak memory about 230 MB), within the suite's budget, so
/// the case is not reduced. `benches/parse.rs` measures the same markup at
/// 5 MB in a release build.
#[test]
fn one_line_release_of_fifty_megabytes() {
    let (bytes, written) = one_line_release(50 << 20);
    assert!(!bytes.contains(&b'\n'));
    let (out, _) = hostile("50 MB on one line", bytes);
    assert_eq!(out.doc.kind, DocumentKind::Html);
    let read = rows(&out.doc);
    // The table is read, but not without bound: a table of a release has a
    // few hundred rows, and the lowering stops at 20,000.
    assert!(read > 0, "the table is read");
    assert!(read <= written + 3, "{read} rows read of {written} written");
    assert!(read <= 20_000, "{read} rows read");
}

/// `n` attributes ` a0=Q0Q a1=Q1Q ...` quoted with `quote`.
fn attributes(n: usize, quote: &str) -> String {
    (0..n)
        .map(|i| format!(" data-a{i}={quote}{i}{quote}"))
        .collect()
}

#[test]
fn ten_thousand_attributes_on_one_tag() {
    // Unquoted and single-quoted values, repeated `colspan` and `style`, and
    // one `style` of 10,000 declarations. Double-quoted values are the case
    // below: html5gum recurses once per attribute on them.
    for attrs in [
        attributes(10_000, ""),
        attributes(10_000, "'"),
        " colspan=2000000000 rowspan=7 style='border-top:1pt solid'".repeat(10_000),
        format!(" style='{}'", "padding-left:1pt;".repeat(10_000)),
    ] {
        let html = format!(
            "<html><table><tr><td{attrs}>Net sales</td><td{attrs}>1,200</td></tr>\
             <tr><td>Total</td><td>1,200</td></tr></table><p{attrs}>Done.</p>"
        );
        let (out, _) = hostile(&attrs[..24], html.into_bytes());
        assert!(paragraph_text(&out.doc).contains("Done."));
    }
}

/// html5gum 0.9.0 calls the next attribute state from inside the current
/// one for double-quoted values (`AttributeValueDoubleQuoted` ->
/// `AfterAttributeValueQuoted` -> `BeforeAttributeName` -> ... through
/// `ControlToken::inline_next_state`), so its stack grows with the
/// attributes of one tag: on a 2 MB thread stack about 6,900 attributes
/// overflowed it in a release build and about 170 in a debug build, and the
/// overflow aborted the whole sweep (exit 134) with no report for any file.
/// `Tree::build_bounded` (src/parse/html/tree.rs) now tokenizes such input
/// on a thread with a stack sized to the number of `"` bytes.
///
/// The test runs the binary rather than parsing in process, so that an
/// abort fails this test and not the whole test binary.
#[test]
fn ten_thousand_double_quoted_attributes_on_one_tag() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let html = format!(
        "<html><table><tr><td{}>Net sales</td><td>1,200</td></tr></table>",
        attributes(10_000, "\"")
    );
    std::fs::write(d.join("attributes.htm"), &html).unwrap();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/14-html-workiva.htm");
    std::fs::copy(&good, d.join("good.htm")).unwrap();
    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .current_dir(d)
        .args(["check", "--no-config", "--format", "jsonl", "."])
        .timeout(DEADLINE)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "tieout ended with {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("attributes.htm") && stdout.contains("good.htm"));
    hostile("10,000 double-quoted attributes", html.into_bytes());
}

#[test]
fn one_megabyte_attribute_value_and_tag_name() {
    let value = "x".repeat(1 << 20);
    let html = format!(
        "<html><p title=\"{value}\">Revenue was $3 million.</p><{value}>text</{value}>\
         <td style=\"{value}\">5"
    );
    hostile("1 MB attribute, tag name, style", html.into_bytes());
}

// ---------------------------------------------------------------------------
// Constructs that never end.

#[test]
fn unterminated_comment() {
    let html = "<p>Revenue was $3 million.</p><!-- <table><tr><td>Net sales<td>1,200";
    let (out, _) = hostile("unterminated comment", html.as_bytes().to_vec());
    let text = paragraph_text(&out.doc);
    assert!(text.contains("Revenue was $3 million."), "{text:?}");
    assert!(
        !text.contains("Net sales"),
        "the comment is not text: {text:?}"
    );
}

#[test]
fn unterminated_script_and_other_raw_text() {
    for open in [
        "<script>",
        "<style>",
        "<title>",
        "<textarea>",
        "<xmp>",
        "<noscript>",
        "<plaintext>",
        "<![CDATA[",
        "<!DOCTYPE",
        "<?xml",
        "<!",
        "<svg><![CDATA[",
        "<script><!--",
        "<script><!--<script>",
    ] {
        let html = format!(
            "<p>Revenue was $3 million.</p>{open} var t = '<table><tr><td>1,200'; \
             <div>Net sales 1,200"
        );
        let (out, _) = hostile(open, html.into_bytes());
        assert!(
            paragraph_text(&out.doc).contains("Revenue was $3 million."),
            "{open}"
        );
    }
}

// ---------------------------------------------------------------------------
// Bytes that are not text.

#[test]
fn nul_bytes_inside_an_html_file() {
    // Past the sniffer's first 8 KB, NUL bytes reach the HTML front end.
    let mut bytes = b"<div></div>".repeat(8192 / 11 + 1);
    assert!(bytes.len() > 8192);
    bytes.extend_from_slice(b"<p>\0Revenue\0 was $3\0 million.\0<!\0--\0-->&\0#\0;</p>");
    bytes.extend_from_slice(small_statement().as_bytes());
    bytes.extend_from_slice(b"<table\0><tr\0><td>\0Net\0sales<td\0>1,\x00200\0</\0td>");
    let (out, _) = hostile("NUL past 8 KB", bytes);
    assert!(!has_issue(&out.doc, ParseIssueKind::Unreadable));
    assert!(tables(&out.doc).count() > 0, "the statement is still read");

    // Early NUL bytes make the file binary, as for plain text.
    let mut early = b"<html><body><p>\0\0".to_vec();
    early.extend_from_slice(small_statement().as_bytes());
    let (out, _) = hostile("NUL in the first 8 KB", early);
    assert!(has_issue(&out.doc, ParseIssueKind::Unreadable));
}

#[test]
fn invalid_utf8_inside_an_html_file() {
    let mut bytes = b"<html><body><p>Soci\xe9t\xe9 \xff\xfe revenue was $3 million.\xe2\x80</p>\
        <table \xc3><tr><td>\x80\x80Net sales\xf0\x9f</td><td>\xa0\xa01,200\xc2</td></tr>\
        <tr><td \xff=\xfe>Total</td><td>1,200</td></tr></table><\xe9><p>\xed\xa0\x80 end"
        .to_vec();
    bytes.extend_from_slice(small_statement().as_bytes());
    bytes.extend_from_slice(b"\xf8\x88\x80\x80\x80 &#\xe9; &amp\xe9 &\xe9\xe9;");
    let (out, bytes) = hostile("invalid UTF-8", bytes);
    assert!(tables(&out.doc).count() > 0, "the statement is still read");
    // Latin-1 decoding moves text away from its bytes; a cell's span still
    // starts at its printed figure (or at the `$` cell joined to it) and
    // ends at its last digit.
    for cell in cells(&out.doc) {
        let printed = cell.span.slice(&bytes);
        assert!(
            printed
                .first()
                .is_some_and(|b| b.is_ascii_digit() || *b == b'$')
                && printed.last().is_some_and(u8::is_ascii_digit),
            "cell span {:?} covers {:?}",
            cell.span,
            String::from_utf8_lossy(printed)
        );
    }
}

#[test]
fn every_byte_in_a_cell_and_a_paragraph() {
    // Each byte value once in a paragraph and once in a cell, after the
    // sniffer's window so that NUL is among them.
    let all: Vec<u8> = (0..=255u8).collect();
    let mut bytes = b"<p>".repeat(3000);
    bytes.extend_from_slice(b"<p>");
    bytes.extend_from_slice(&all);
    bytes.extend_from_slice(b"</p><table><tr><td>Net sales</td><td>");
    bytes.extend_from_slice(&all);
    bytes.extend_from_slice(b"1,200</td></tr></table>");
    hostile("every byte", bytes);
}

// ---------------------------------------------------------------------------
// Truncated files.

#[test]
fn cut_mid_entity_and_mid_tag() {
    for text in [
        "<p>Revenue rose 5% &#15",
        "<p>Revenue rose 5% &#x20",
        "<p>Revenue rose 5% &nbs",
        "<p>Revenue rose 5% &",
        "<table><tr><td>Net sales<td>1,200&#1",
        "<table><tr><td>Net sales<td sty",
        "<table><tr><td>Net sales<td style=\"border-top:1pt sol",
        "<table><tr><td>Net sales<td style='",
        "<table><tr><td>Net sales<td colspan=",
        "<table><tr><td>Net sales</t",
        "<table><tr><td>Net sales<",
        "<p>Revenue<!-",
        "<p>Revenue<!DOCTY",
    ] {
        hostile(text, text.as_bytes().to_vec());
    }
}

#[test]
fn a_release_cut_at_every_byte() {
    let bytes = small_statement().into_bytes();
    for cut in 0..bytes.len() {
        let doc = tieout::parse::parse(&bytes[..cut]);
        for (what, span) in spans(&doc) {
            assert!(
                span.end() <= cut,
                "cut at {cut}: {what} span {span:?} ends past the input"
            );
        }
        check_document(&doc, pack(), &bytes[..cut]);
    }
}

// ---------------------------------------------------------------------------
// Entities and the bytes behind them.

#[test]
fn windows_1252_dash_entity_decodes_to_an_em_dash() {
    let html = "<html><body><p>Revenue rose&#151;again&#151;to $3 million.</p></body></html>";
    let (out, _) = hostile("&#151;", html.as_bytes().to_vec());
    let text = paragraph_text(&out.doc);
    assert!(
        text.contains("rose\u{2014}again\u{2014}to"),
        "&#151; is read as U+2014: {text:?}"
    );
}

#[test]
fn cell_span_skips_leading_nbsp_entities() {
    let html = "<html><body><table>\
        <tr><td></td><td>2026</td><td>2025</td></tr>\
        <tr><td>Net sales</td><td>&nbsp;&nbsp;3,769</td><td>3,500</td></tr>\
        <tr><td>Cost of sales</td><td>2,000</td><td>1,900</td></tr>\
        </table></body></html>";
    let (out, bytes) = hostile("&nbsp;&nbsp;3,769", html.as_bytes().to_vec());
    let cell = cells(&out.doc)
        .find(|c| c.value == 3769.into())
        .expect("3,769 is read");
    assert_eq!(
        cell.span.slice(&bytes),
        b"3,769",
        "the span {:?} points at the printed figure",
        cell.span
    );
    assert_eq!(cell.span.offset, html.find("3,769").unwrap());
}

/// Found by the `html` fuzz target (`fuzz/fuzz_targets/html.rs`), two
/// crashes minimized with `cargo fuzz tmin` to `&nbsp0;0` and `\x04&nbsp00`
/// after the `<html>` prefix: a legacy reference without its semicolon
/// (`&nbsp` followed by digits) at the end of a text node was read as a
/// longer reference (`&nbsp0;`, `&nbsp00`), and the characters after it
/// were placed past the end of the input. `reference_len` in
/// src/parse/html/text.rs now requires the raw text after a candidate to go
/// on with the decoded text, not merely to be a prefix of it.
#[test]
fn legacy_entity_at_the_end_of_a_text_node() {
    for text in [
        "<html>&nbsp0;0",
        "<html>\x04&nbsp00",
        "<html><p>Up 5&nbsp5;5</p>",
    ] {
        let (out, bytes) = hostile(text, text.as_bytes().to_vec());
        for m in out
            .doc
            .exhibits
            .iter()
            .flat_map(|e| e.paragraphs())
            .flat_map(|p| &p.mentions)
        {
            let printed = m.span.slice(&bytes);
            assert!(
                printed.iter().all(u8::is_ascii_digit) && !printed.is_empty(),
                "{text}: mention {:?} covers {:?}",
                m.span,
                String::from_utf8_lossy(printed)
            );
        }
    }
    let html = "<html><body><table>\
        <tr><td></td><td>2026</td><td>2025</td></tr>\
        <tr><td>Net sales</td><td>&nbsp1200</td><td>1,100</td></tr>\
        <tr><td>Cost of sales</td><td>200</td><td>100</td></tr>\
        </table></body></html>";
    let (out, bytes) = hostile("&nbsp1200", html.as_bytes().to_vec());
    let cell = cells(&out.doc)
        .find(|c| c.value == 1200.into())
        .expect("1200 is read");
    assert_eq!(cell.span.slice(&bytes), b"1200", "{:?}", cell.span);
}

// ---------------------------------------------------------------------------
// The binary over a folder.

#[test]
fn sweep_over_hostile_binary_and_good_releases() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/14-html-workiva.htm");
    std::fs::copy(&good, d.join("good.htm")).unwrap();
    let mut hostile_html = "<div>".repeat(20_000);
    hostile_html.push_str(&spanned_table("colspan=2000000000 rowspan=-1"));
    hostile_html.push_str("<table><tr><td>1,000<td>2,000<tr><td>Total<td>3,000<td sty");
    hostile_html.push_str("<p>Revenue&#151;&#15<!-- never closed <script>");
    std::fs::write(d.join("hostile.htm"), hostile_html).unwrap();
    std::fs::write(
        d.join("binary.htm"),
        b"<html>\0\x01\x02PK\x03\x04\xff\xfe\0\0",
    )
    .unwrap();

    let run = |extra: &[&str]| {
        let out = Command::cargo_bin("tieout")
            .unwrap()
            .env_remove("FORCE_COLOR")
            .current_dir(d)
            .args(["check", "--no-config", "--format", "jsonl"])
            .args(extra)
            .arg(".")
            .timeout(DEADLINE)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).expect("output is UTF-8");
        let lines: Vec<serde_json::Value> = stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        (out.status.code(), lines, stdout)
    };

    let (code, lines, stdout) = run(&[]);
    println!("{stdout}");
    let files: Vec<(&str, &str)> = lines
        .iter()
        .filter(|l| l["type"] == "file")
        .map(|l| (l["path"].as_str().unwrap(), l["status"].as_str().unwrap()))
        .collect();
    let paths: Vec<&str> = files.iter().map(|f| f.0).collect();
    assert_eq!(paths, ["binary.htm", "good.htm", "hostile.htm"]);
    let file = |p: &str| lines.iter().find(|l| l["path"] == p).unwrap();
    assert_eq!(file("binary.htm")["status"], "error");
    assert!(
        file("binary.htm")["error"]
            .as_str()
            .is_some_and(|e| e.contains("binary")),
        "{stdout}"
    );
    let good = file("good.htm");
    assert_eq!(good["status"], "ok");
    assert!(good["stats"]["tables"].as_u64().unwrap() > 0);
    assert!(
        good["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["severity"] != "error"),
        "{stdout}"
    );
    let summary = lines.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["files_checked"], 3);
    // Nothing in the hostile file can be checked: it says so, and by
    // default that fails the run (a pass would be a guess).
    assert_eq!(file("hostile.htm")["status"], "not_checked", "{stdout}");
    assert_eq!(code, Some(1), "{stdout}");
    // docs/usage.md: with `--fail-on error`, a file that cannot be checked
    // does not change the exit code, and the hostile file has no error
    // finding to report.
    let (code, _, stdout) = run(&["--fail-on", "error"]);
    assert_eq!(code, Some(0), "{stdout}");

    // With `--fail-on unreadable`, the binary file fails the sweep.
    let (code, lines, _) = run(&["--fail-on", "unreadable"]);
    assert_eq!(code, Some(1));
    assert_eq!(lines.iter().filter(|l| l["type"] == "file").count(), 3);
}
