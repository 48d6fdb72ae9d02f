//! The HTML front end: an HTML exhibit lowered into the shared AST.
//!
//! ```text
//! exhibit   = flow*
//! flow      = paragraph | table
//! paragraph = the text of a block element (p, div, address, li, h1..h6,
//!             kbd ...) outside tables; <br> is a space, <hr> and
//!             page-break styles end a page
//! table     = title? <table> (see `table`): financial tables, footnotes,
//!             or prose laid out in cells
//! title     = the short paragraphs just above a financial table (statement
//!             name, `(Unaudited)`, the scale line)
//! ```
//!
//! Tokens come from html5gum (a WHATWG tokenizer that reports byte offsets
//! and decodes entities as browsers do, `&#151;` to an em dash); [`tree`]
//! builds the element tree, [`text`] maps every decoded character back to
//! its bytes, [`style`] reads the inline CSS that carries meaning, and
//! [`table`] turns a grid of cells into tables. Page furniture (page
//! numbers, `(more)`, `(continued)`) is dropped, and a sentence cut by a
//! page break is joined again.
//!
//! **Architecture Invariant:** as for the text front end, lowering never
//! fails and never panics, and every span is a byte range of the original
//! file: a cell's span covers its own printed characters, not the entities
//! or tags around them.

pub mod style;
pub mod table;
pub mod text;
pub mod tree;

use crate::ast::{Block, Paragraph, ParseIssue, ParseIssueKind, TextLine};
use crate::parse::phrases::scale_of;
use crate::parse::source::Source;
use table::{Context, Lowered};
use text::MappedText;
use tree::{Tag, Tree};

/// One item of the document's flow, in reading order.
enum Flow {
    /// A block's text; `after_break` when a page break precedes it.
    Text {
        text: MappedText,
        after_break: bool,
    },
    Table(u32),
}

/// Parses the HTML exhibit `src.text[start..end]` into blocks.
pub fn parse_blocks(
    src: &Source<'_>,
    start: usize,
    end: usize,
    issues: &mut Vec<ParseIssue>,
) -> Vec<Block> {
    let html = src.text.get(start..end).unwrap_or("");
    let tree = match Tree::build_bounded(html, start) {
        Ok(tree) => tree,
        Err(message) => {
            issues.push(ParseIssue {
                span: src.span(start, end),
                kind: ParseIssueKind::Unreadable,
                message,
            });
            return Vec::new();
        }
    };
    let flow = join_pages(flow(&tree, src));
    lower(&tree, src, flow, issues)
}

/// The flow of blocks and tables, in document order.
fn flow(tree: &Tree, src: &Source<'_>) -> Vec<Flow> {
    let mut out = Vec::new();
    let mut cur = MappedText::default();
    let mut after_break = false;
    let flush = |cur: &mut MappedText, out: &mut Vec<Flow>, after_break: &mut bool| {
        if !cur.trimmed().0.is_empty() {
            out.push(Flow::Text {
                text: std::mem::take(cur),
                after_break: std::mem::take(after_break),
            });
        } else {
            *cur = MappedText::default();
        }
    };
    // (node, leaving): a block is flushed when entered and when left.
    let mut todo: Vec<(u32, bool)> = tree.children(0).rev().map(|c| (c, false)).collect();
    while let Some((id, leaving)) = todo.pop() {
        let node = tree.node(id);
        if leaving {
            flush(&mut cur, &mut out, &mut after_break);
            if node.style.page_break {
                after_break = true;
            }
            continue;
        }
        if node.style.hidden {
            continue;
        }
        match node.tag {
            Tag::Text => cur.push_node(src, tree.text(id), node.range),
            Tag::Br => cur.space(),
            Tag::Hr => {
                flush(&mut cur, &mut out, &mut after_break);
                after_break = true;
            }
            Tag::Table => {
                flush(&mut cur, &mut out, &mut after_break);
                out.push(Flow::Table(id));
            }
            Tag::Skip | Tag::Sup => {}
            _ if node.style.superscript => {}
            tag => {
                if tag.is_block() {
                    flush(&mut cur, &mut out, &mut after_break);
                    if node.style.page_break {
                        after_break = true;
                    }
                    todo.push((id, true));
                }
                todo.extend(tree.children(id).rev().map(|c| (c, false)));
            }
        }
    }
    flush(&mut cur, &mut out, &mut after_break);
    out
}

/// Page numbers, `(more)`, `(continued)` and the like.
fn is_page_furniture(t: &str) -> bool {
    let t = t
        .trim()
        .trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace());
    let lower = t.to_ascii_lowercase();
    let lower = lower.trim_matches(|c| c == '(' || c == ')' || c == '[' || c == ']');
    if lower.is_empty() {
        return true;
    }
    if lower.len() <= 4 && lower.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if let Some(rest) = lower.strip_prefix("page ") {
        return rest
            .split_whitespace()
            .all(|w| w == "of" || w.chars().all(|c| c.is_ascii_digit()));
    }
    matches!(
        lower,
        "more" | "- more -" | "continued" | "more..." | "###" | "# # #" | "* * *"
    )
}

/// Drops page furniture and joins a sentence that a page break cut.
fn join_pages(flow: Vec<Flow>) -> Vec<Flow> {
    let mut out: Vec<Flow> = Vec::with_capacity(flow.len());
    let mut broke = false;
    for item in flow {
        match item {
            Flow::Text { text, after_break } => {
                broke |= after_break;
                if is_page_furniture(&text.text) {
                    continue;
                }
                // The continuation starts in lower case, or with a figure
                // after a sentence cut mid-phrase (`... compared with` |
                // `$135 million, ...`): a heading ends neither way.
                let first = text.trimmed().0.chars().next();
                let lower = first.is_some_and(char::is_lowercase);
                let figure = first.is_some_and(|c| c == '$' || c == '(' || c.is_ascii_digit());
                if broke
                    && (lower || figure)
                    && let Some(Flow::Text { text: prev, .. }) = out.last_mut()
                    && !prev
                        .trimmed()
                        .0
                        .ends_with(['.', '!', '?', ':', ';', '"', '\u{201d}'])
                    && (lower
                        || prev
                            .trimmed()
                            .0
                            .ends_with(|c: char| c.is_lowercase() || c == ','))
                {
                    prev.append(&text);
                } else {
                    out.push(Flow::Text {
                        text,
                        after_break: broke,
                    });
                }
                broke = false;
            }
            Flow::Table(id) => {
                out.push(Flow::Table(id));
                broke = false;
            }
        }
    }
    out
}

/// A short line that can title a table: a statement name, a date line,
/// `(Unaudited)`, a scale line.
fn is_title_like(t: &str) -> bool {
    let t = t.trim();
    if t.len() > 160 {
        return false;
    }
    let words = t.split_whitespace().count();
    if words == 0 || words > 20 {
        return false;
    }
    if scale_of(t).is_some() {
        return true;
    }
    !t.ends_with('.') || words <= 3
}

fn paragraph(m: MappedText) -> Paragraph {
    let span = m.whole_span();
    let (t, lead) = m.trimmed();
    // Trimmed, the text keeps the runs that start before its end.
    let whole = lead == 0 && t.len() == m.text.len();
    let end = lead + t.len();
    let (segs, ends) = m
        .runs
        .iter()
        .filter(|r| whole || r.text < end)
        .map(|r| ((r.text.saturating_sub(lead), r.file), r.end))
        .unzip();
    let text = if whole { m.text } else { t.to_string() };
    let mut p = Paragraph {
        span,
        text,
        line_starts: segs,
        run_ends: ends,
        mentions: Vec::new(),
    };
    p.mentions = crate::parse::mentions_of(&p);
    p
}

/// Lowers the flow: titles and scales go to the tables below them.
fn lower(
    tree: &Tree,
    src: &Source<'_>,
    flow: Vec<Flow>,
    issues: &mut Vec<ParseIssue>,
) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    // Paragraphs not yet emitted (they may title the next table).
    let mut pending: Vec<MappedText> = Vec::new();
    // The first pending paragraph a title may take: a page break ends a
    // title, so the last line of the previous page is never one.
    let mut title_floor = 0;
    let mut last_table: Option<usize> = None;
    // Whether the last block emitted is a table (footnotes attach to it).
    let mut table_last = false;
    for item in flow {
        match item {
            Flow::Text { text, after_break } => {
                pending.push(text);
                if after_break {
                    title_floor = pending.len() - 1;
                }
                if pending.len() > 6 {
                    title_floor = title_floor.saturating_sub(1);
                    let p = pending.remove(0);
                    blocks.push(Block::Paragraph(paragraph(p)));
                    table_last = false;
                }
            }
            Flow::Table(id) => {
                let floor = std::mem::take(&mut title_floor);
                // The title: the short lines right above the table.
                let n = pending[floor.min(pending.len())..]
                    .iter()
                    .rev()
                    .take_while(|m| is_title_like(&m.text))
                    .take(5)
                    .count();
                let title_lines: Vec<MappedText> = pending.split_off(pending.len() - n);
                let previous = last_table.and_then(|i| match &blocks[i] {
                    Block::Table(t) => Some(t),
                    Block::Paragraph(_) => None,
                });
                let mut scale = None;
                let mut title = Vec::new();
                for m in &title_lines {
                    let (t, lead) = m.trimmed();
                    // A scale line is the table's scale and, as in the
                    // text front end, a line of its title.
                    let span = m.span(lead, lead + t.len());
                    if let Some(mut s) = scale_of(t).filter(|_| t.len() < 120) {
                        s.span = span;
                        scale = Some(s);
                    }
                    title.push(TextLine {
                        span,
                        text: t.to_string(),
                    });
                }
                let ctx = Context {
                    title,
                    scale,
                    previous,
                };
                match table::lower(tree, id, src, ctx, issues) {
                    Lowered::Data(tables) if !tables.is_empty() => {
                        blocks.extend(pending.drain(..).map(|m| Block::Paragraph(paragraph(m))));
                        for t in tables {
                            blocks.push(Block::Table(t));
                            last_table = Some(blocks.len() - 1);
                        }
                        table_last = true;
                    }
                    Lowered::Footnotes(lines, _)
                        if table_last && pending.is_empty() && title_lines.is_empty() =>
                    {
                        if let Some(Block::Table(t)) = last_table.and_then(|i| blocks.get_mut(i)) {
                            t.footnotes.extend(lines);
                        }
                    }
                    other => {
                        pending.extend(title_lines);
                        blocks.extend(pending.drain(..).map(|m| Block::Paragraph(paragraph(m))));
                        let texts: Vec<MappedText> = match other {
                            Lowered::Prose(texts) => texts,
                            Lowered::Footnotes(_, texts) => texts,
                            Lowered::Data(_) => Vec::new(),
                        };
                        for m in texts {
                            blocks.push(Block::Paragraph(paragraph(m)));
                        }
                        table_last = false;
                    }
                }
            }
        }
    }
    blocks.extend(pending.into_iter().map(|m| Block::Paragraph(paragraph(m))));
    blocks
}
