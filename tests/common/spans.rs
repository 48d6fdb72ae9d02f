//! Helpers shared by the robustness tests (`parse_robustness`,
//! `html_hostile`).

use tieout::ast::{Block, Document};
use tieout::span::Span;

/// Every span of the document as `(what, span)`.
pub fn spans(doc: &Document) -> Vec<(String, Span)> {
    let mut out = vec![("document".to_string(), doc.span)];
    for issue in &doc.issues {
        out.push((format!("issue {:?}", issue.kind), issue.span));
    }
    for (e, ex) in doc.exhibits.iter().enumerate() {
        out.push((format!("exhibit {e}"), ex.span));
        for (b, block) in ex.blocks.iter().enumerate() {
            let at = format!("exhibit {e} block {b}");
            match block {
                Block::Paragraph(p) => {
                    out.push((format!("{at} paragraph"), p.span));
                    for m in &p.mentions {
                        out.push((format!("{at} mention"), m.span));
                    }
                }
                Block::Table(t) => {
                    out.push((format!("{at} table"), t.span));
                    for l in t.title.iter().chain(&t.footnotes) {
                        out.push((format!("{at} title/footnote"), l.span));
                    }
                    if let Some(s) = &t.scale {
                        out.push((format!("{at} scale"), s.span));
                    }
                    for (c, col) in t.columns.iter().enumerate() {
                        out.push((format!("{at} column {c}"), col.span));
                        for h in &col.header {
                            out.push((format!("{at} column {c} header"), h.span));
                        }
                    }
                    for (r, row) in t.rows.iter().enumerate() {
                        out.push((format!("{at} row {r}"), row.span));
                        out.push((format!("{at} row {r} label"), row.label_span));
                        for (c, cell) in row.cells.iter().enumerate() {
                            if let Some(cell) = cell {
                                out.push((format!("{at} row {r} cell {c}"), cell.span));
                            }
                        }
                    }
                }
            }
        }
    }
    out
}
