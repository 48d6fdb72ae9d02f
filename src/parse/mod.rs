//! Parsing: bytes in, the spanned AST out.
//!
//! ```text
//! file       = submission | exhibit
//! submission = header? ("<DOCUMENT>" "<TYPE>" type ... "<TEXT>" exhibit "</TEXT>" "</DOCUMENT>")+
//! exhibit    = text exhibit (see `text`) | HTML exhibit (see `html`)
//! ```
//!
//! Two front ends lower into one AST: [`text`] reads fixed-width plain-text
//! exhibits, `html` reads HTML ones. What they share sits here: decoding
//! ([`source`]), the submission splitter ([`submission`]), the grammar of a
//! printed figure ([`cell`]), of dates and period headers ([`period`]) and
//! the scale and marker phrases ([`phrases`]).
//!
//! **Architecture Invariant:** parsing never fails and never panics. It
//! returns a [`Document`] plus [`ParseIssue`]s for what it could not read,
//! and every span points into the original bytes, whatever the encoding.

pub mod cell;
pub mod fiscal;
pub mod html;
pub mod period;
pub mod phrases;
pub mod source;
pub mod submission;
pub mod text;

use crate::ast::{Document, DocumentKind, Exhibit, Mention, Paragraph, ParseIssue, ParseIssueKind};
use crate::span::Span;
use source::Source;

/// Why a file cannot be read as a release at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    #[error("the file is empty")]
    Empty,
    #[error("the file is binary (NUL byte at offset {0}), not a text release")]
    Binary(usize),
}

/// Rejects files that are not text: empty, or with NUL bytes early on.
pub fn sniff(bytes: &[u8]) -> Result<(), Unreadable> {
    // UTF-16 text is half NUL bytes; its byte order mark says what it is.
    if source::utf16_bom(bytes).is_some() {
        let text = &bytes[2..];
        if text.iter().all(|&b| b == 0 || b.is_ascii_whitespace()) {
            return Err(Unreadable::Empty);
        }
        return Ok(());
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Unreadable::Empty);
    }
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(p) = memchr::memchr(0, head) {
        return Err(Unreadable::Binary(p));
    }
    Ok(())
}

/// Parses a whole file. Never fails: problems travel in `Document::issues`.
pub fn parse(bytes: &[u8]) -> Document {
    let span = Span::new(0, bytes.len());
    let mut issues = Vec::new();
    if let Err(e) = sniff(bytes) {
        issues.push(ParseIssue {
            span,
            kind: ParseIssueKind::Unreadable,
            message: e.to_string(),
        });
        return Document {
            span,
            kind: DocumentKind::PlainText,
            exhibits: Vec::new(),
            issues,
        };
    }
    let src = Source::new(bytes);
    let docs = submission::documents(&src.text);
    let (kind, exhibits) = if docs.is_empty() {
        let html = looks_like_html(&src.text);
        let blocks = exhibit_blocks(&src, 0, src.text.len(), html, &mut issues);
        (
            if html {
                DocumentKind::Html
            } else {
                DocumentKind::PlainText
            },
            vec![Exhibit {
                span,
                doc_type: None,
                html,
                blocks,
            }],
        )
    } else {
        let mut exhibits = Vec::new();
        for d in &docs {
            if !d.doc_type.to_ascii_uppercase().starts_with("EX-99") {
                continue;
            }
            let html = looks_like_html(&src.text[d.text.0..d.text.1]);
            let blocks = exhibit_blocks(&src, d.text.0, d.text.1, html, &mut issues);
            exhibits.push(Exhibit {
                span: src.span(d.text.0, d.text.1),
                doc_type: Some(d.doc_type.clone()),
                html,
                blocks,
            });
        }
        if exhibits.is_empty() {
            issues.push(ParseIssue {
                span,
                kind: ParseIssueKind::NoExhibit,
                message: format!(
                    "the submission holds no EX-99 exhibit (documents: {})",
                    docs.iter()
                        .map(|d| d.doc_type.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        (DocumentKind::Submission, exhibits)
    };
    let mut exhibits = exhibits;
    fiscal::date_named_periods(&mut exhibits, &mut issues);
    Document {
        span,
        kind,
        exhibits,
        issues,
    }
}

fn exhibit_blocks(
    src: &Source<'_>,
    start: usize,
    end: usize,
    html: bool,
    issues: &mut Vec<ParseIssue>,
) -> Vec<crate::ast::Block> {
    if html {
        html::parse_blocks(src, start, end, issues)
    } else {
        text::parse_blocks(src, start, end, issues)
    }
}

/// An exhibit is HTML when its first 20,000 bytes hold an `<html`, `<td`,
/// `<p>` or `<div` tag (any case).
fn looks_like_html(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(20_000)];
    memchr::memchr_iter(b'<', head).any(|i| {
        [&b"html"[..], b"td", b"p>", b"div"].iter().any(|tag| {
            head.get(i + 1..i + 1 + tag.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(tag))
        })
    })
}

/// Numeric mentions of a paragraph (money, percentages, counts, dates).
pub(crate) fn mentions_of(p: &Paragraph) -> Vec<Mention> {
    crate::narrative::mention::mentions_in(p)
}
