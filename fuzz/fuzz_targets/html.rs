//! Fuzz target for the HTML front end: whatever follows an `<html>` tag,
//! parsing never panics, every span lies within the input, and the checker
//! never panics on what the parser returns.
//!
//! The fuzzer's bytes are prefixed with `<html>` so that the file is sniffed
//! as HTML (`looks_like_html` in `src/parse/mod.rs`), and NUL bytes in the
//! sniffer's first 8 KB are replaced by spaces: a NUL there makes the file
//! binary and ends the parse before the HTML front end, a path the `parse`
//! target already covers. NUL bytes further on are kept.
//!
//! Run with `cargo +nightly fuzz run html` from `fuzz/` (seeds in
//! `fuzz/corpus/html/`).

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tieout::ast::{Block, Document, DocumentKind};
use tieout::rules::RulePack;
use tieout::span::Span;

const PREFIX: &[u8] = b"<html>";
/// The sniffer's window for NUL bytes (`tieout::parse::sniff`).
const SNIFF_WINDOW: usize = 8192;

/// Asserts that `span` ends within the input of `len` bytes.
fn inside(what: &str, span: Span, len: usize) {
    assert!(
        span.end() <= len,
        "{what} span {span:?} ends past the input ({len} bytes)"
    );
}

fn check_spans(doc: &Document, len: usize) {
    inside("document", doc.span, len);
    for issue in &doc.issues {
        inside("issue", issue.span, len);
    }
    for ex in &doc.exhibits {
        inside("exhibit", ex.span, len);
        for block in &ex.blocks {
            match block {
                Block::Paragraph(p) => {
                    inside("paragraph", p.span, len);
                    for m in &p.mentions {
                        inside("mention", m.span, len);
                    }
                }
                Block::Table(t) => {
                    inside("table", t.span, len);
                    for l in t.title.iter().chain(&t.footnotes) {
                        inside("title or footnote", l.span, len);
                    }
                    if let Some(s) = &t.scale {
                        inside("scale", s.span, len);
                    }
                    for c in &t.columns {
                        inside("column", c.span, len);
                        for h in &c.header {
                            inside("column header", h.span, len);
                        }
                    }
                    for r in &t.rows {
                        inside("row", r.span, len);
                        inside("row label", r.label_span, len);
                        for cell in r.cells.iter().flatten() {
                            inside("cell", cell.span, len);
                        }
                    }
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = Vec::with_capacity(PREFIX.len() + data.len());
    bytes.extend_from_slice(PREFIX);
    bytes.extend_from_slice(data);
    let head = bytes.len().min(SNIFF_WINDOW);
    for b in &mut bytes[..head] {
        if *b == 0 {
            *b = b' ';
        }
    }

    let doc = tieout::parse::parse(&bytes);
    let len = bytes.len();
    assert_eq!(doc.span, Span::new(0, len));
    if doc.kind != DocumentKind::Submission {
        // The prefix makes every file that is not a submission HTML.
        assert_eq!(doc.kind, DocumentKind::Html);
    }
    check_spans(&doc, len);

    static PACK: OnceLock<RulePack> = OnceLock::new();
    let pack = PACK.get_or_init(RulePack::default_pack);
    let out = tieout::check::check_document(&doc, pack, &bytes);
    for f in &out.findings {
        for l in &f.labels {
            inside(&format!("finding {} label", f.rule), l.span, len);
        }
    }
});
