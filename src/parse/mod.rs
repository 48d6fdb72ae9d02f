//! The nom grammar for plain-text releases.

pub mod cell;
pub mod period;
pub mod source;

use crate::ast::{Document, DocumentKind, Exhibit};
use crate::span::Span;

/// Parses a whole file. Never fails: problems travel in `Document::issues`.
pub fn parse(src: &[u8]) -> Document {
    let span = Span::new(0, src.len());
    Document {
        span,
        kind: DocumentKind::PlainText,
        exhibits: vec![Exhibit {
            span,
            doc_type: None,
            blocks: Vec::new(),
        }],
        issues: Vec::new(),
    }
}
