//! `tieout parse`: the AST as a readable outline or as JSON.

use std::fmt::Write as _;

use crate::ast::{Block, ColumnKind, Document, RowKind, RuleKind, Table};
use crate::span::line_col;

/// Version of the `tieout parse --format json` document.
pub const PARSE_JSON_VERSION: u32 = 1;

/// A readable outline: each table with its columns' periods and a grid of
/// parsed values, paragraphs reduced to their position and mention count.
pub fn outline(path: &str, src: &[u8], doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{path}: {:?} document, {} exhibit(s)",
        doc.kind,
        doc.exhibits.len()
    );
    for ex in &doc.exhibits {
        if let Some(t) = &ex.doc_type {
            let (line, _) = line_col(src, ex.span.offset);
            let _ = writeln!(out, "exhibit {t} (line {line})");
        }
        for block in &ex.blocks {
            match block {
                Block::Paragraph(p) => {
                    let (line, _) = line_col(src, p.span.offset);
                    let _ = writeln!(
                        out,
                        "  paragraph line {line}: {} chars, {} mention(s)",
                        p.text.len(),
                        p.mentions.len()
                    );
                }
                Block::Table(t) => table_outline(&mut out, src, t),
            }
        }
    }
    for issue in &doc.issues {
        let (line, col) = line_col(src, issue.span.offset);
        let _ = writeln!(out, "  issue {line}:{col}: {}", issue.message);
    }
    out
}

fn table_outline(out: &mut String, src: &[u8], t: &Table) {
    let (line, _) = line_col(src, t.span.offset);
    let title = if t.title.is_empty() {
        "(untitled)".to_string()
    } else {
        t.title_text()
    };
    let _ = writeln!(out, "  table line {line}: {title}");
    if let Some(s) = &t.scale {
        let _ = writeln!(
            out,
            "    scale: {}{}",
            s.scale.name(),
            if s.except_per_share {
                ", except per share"
            } else {
                ""
            }
        );
    }
    for (i, c) in t.columns.iter().enumerate() {
        let what = match (c.kind, &c.period) {
            (ColumnKind::Period, Some(p)) => p.to_string(),
            (ColumnKind::Period, None) => "undated".to_string(),
            (ColumnKind::Change, _) => "change".to_string(),
            (ColumnKind::Percent, _) => "percent".to_string(),
            (ColumnKind::Other, _) => "other".to_string(),
        };
        let mut ann = if c.annotations.is_empty() {
            String::new()
        } else {
            format!(" {}", c.annotations.join(" "))
        };
        if let Some(m) = &c.member {
            ann = format!(" [{m}]{ann}");
        }
        let _ = writeln!(out, "    col {i}: {what}{ann}  [{}]", c.header_text());
    }
    for r in &t.rows {
        let rule = match r.rule_above {
            RuleKind::None => "",
            RuleKind::Single => "-",
            RuleKind::Double => "=",
        };
        let indent = " ".repeat(r.indent.min(12) / 2);
        match r.kind {
            RowKind::Heading => {
                let _ = writeln!(out, "    {rule:1} {indent}{}", r.label);
            }
            RowKind::Values => {
                let cells: Vec<String> = r
                    .cells
                    .iter()
                    .map(|c| match c {
                        Some(c) => format!(
                            "{:>12}",
                            c.value.to_string()
                                + if c.percent {
                                    "%"
                                } else if c.basis_points {
                                    "bp"
                                } else {
                                    ""
                                }
                        ),
                        None => format!("{:>12}", "."),
                    })
                    .collect();
                let label: String = format!("{indent}{}", r.label);
                let _ = writeln!(out, "    {rule:1} {label:<48.48}{}", cells.join(""));
            }
        }
    }
    for f in &t.footnotes {
        let (line, _) = line_col(src, f.span.offset);
        let _ = writeln!(out, "    footnote line {line}");
    }
}

/// The AST as a JSON document (`version`, `path`, `document`).
pub fn json(path: &str, doc: &Document) -> serde_json::Value {
    serde_json::json!({
        "version": PARSE_JSON_VERSION,
        "path": path,
        "document": doc,
    })
}
