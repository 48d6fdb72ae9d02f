//! A readable text rendering of a document, for diagnostics on HTML.
//!
//! Workiva files hold a whole release on two or three lines of markup: a
//! snippet of the raw line is unreadable, and miette cannot lay out a
//! label a million columns wide. A [`DocView`] prints the AST as a reader
//! sees it (paragraphs wrapped, each table row as a line of label and
//! right-aligned figures) and maps file spans to positions in that text, so
//! a finding's labels land on the figures themselves. The original byte
//! offset, line and column are still what every machine format reports.

use crate::ast::{Block, Cell, Document, Paragraph, Table};
use crate::span::Span;

/// The document as text, and where each printed piece of the file landed.
#[derive(Debug, Default)]
pub struct DocView {
    pub text: String,
    /// `(file start, file end, view start, view end)`, sorted by file start.
    map: Vec<(usize, usize, usize, usize)>,
    /// Where each line of `text` starts (the first at 0).
    pub line_starts: Vec<usize>,
}

const WRAP: usize = 96;

/// At most this many lines of a column's header are shown (the bottom ones).
const HEADER_LINES: usize = 4;

impl DocView {
    pub fn new(doc: &Document) -> DocView {
        let mut v = DocView::default();
        for block in doc.exhibits.iter().flat_map(|e| &e.blocks) {
            match block {
                Block::Paragraph(p) => v.paragraph(p),
                Block::Table(t) => v.table(t),
            }
            v.text.push('\n');
        }
        v.map.sort_unstable();
        v.line_starts = crate::span::all_line_starts(v.text.as_bytes());
        v
    }

    /// The view range of file span `s`: from the first to the last mapped
    /// piece it touches.
    pub fn range(&self, s: Span) -> Option<(usize, usize)> {
        let (start, end) = (s.offset, s.offset + s.len.max(1));
        // Pieces that start before the span's end and end after its start.
        let upto = self.map.partition_point(|m| m.0 < end);
        let mut found: Option<(usize, usize)> = None;
        for &(fs, fe, vs, ve) in &self.map[..upto] {
            if fe <= start {
                continue;
            }
            // Within a piece, positions move together (paragraph runs).
            let (a, b) = if fe - fs == ve - vs {
                (vs + start.saturating_sub(fs), ve - (fe.saturating_sub(end)))
            } else {
                (vs, ve)
            };
            let (a, b) = (a.min(ve), b.max(a.min(ve)));
            found = Some(match found {
                None => (a, b),
                Some((x, y)) => (x.min(a), y.max(b)),
            });
        }
        found.map(|(a, b)| (a, b.max(a)))
    }

    fn piece(&mut self, file: Span, text: &str) {
        let vs = self.text.len();
        self.text.push_str(text);
        if file.len > 0 {
            self.map
                .push((file.offset, file.offset + file.len, vs, self.text.len()));
        }
    }

    fn paragraph(&mut self, p: &Paragraph) {
        let base = self.text.len();
        // Wrapped by turning spaces into newlines: text positions stay.
        let mut col = 0;
        for (i, c) in p.text.char_indices() {
            if c == ' ' && col >= WRAP {
                self.text.push('\n');
                col = 0;
                continue;
            }
            let _ = i;
            self.text.push(c);
            col += 1;
        }
        self.text.push('\n');
        for (k, &(t, f)) in p.line_starts.iter().enumerate() {
            let next = p.line_starts.get(k + 1).map_or(p.text.len(), |&(t2, _)| t2);
            if next > t {
                self.map.push((f, f + (next - t), base + t, base + next));
            }
        }
    }

    fn table(&mut self, t: &Table) {
        for line in &t.title {
            self.piece(line.span, &line.text);
            self.text.push('\n');
        }
        let label_width = t
            .rows
            .iter()
            .map(|r| r.indent + r.label.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(12, 60);
        let cells: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| c.as_ref().map_or_else(String::new, printed))
                    .collect()
            })
            .collect();
        // Columns are as wide as their widest figure, and as their longest
        // header word (within reason), so headers wrap between words.
        let longest_word = t
            .columns
            .iter()
            .flat_map(|c| &c.header)
            .flat_map(|h| h.text.split_whitespace())
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
            .min(20);
        let width = cells
            .iter()
            .flatten()
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0)
            .max(12)
            .max(longest_word);
        // Headers stacked as printed, wrapped to the column's width and
        // bottom-aligned; a label on a header lands on its bottom line.
        let stacks: Vec<Vec<String>> = t
            .columns
            .iter()
            .map(|c| {
                let lines = wrap(&c.header_text(), width);
                let skip = lines.len().saturating_sub(HEADER_LINES);
                lines.into_iter().skip(skip).collect()
            })
            .collect();
        let height = stacks.iter().map(Vec::len).max().unwrap_or(0);
        for line in 0..height {
            self.text.push_str(&" ".repeat(label_width));
            for (c, stack) in t.columns.iter().zip(&stacks) {
                self.text.push_str("  ");
                let Some(h) = (line + stack.len()).checked_sub(height).map(|i| &stack[i]) else {
                    self.text.push_str(&" ".repeat(width));
                    continue;
                };
                self.text
                    .push_str(&" ".repeat(width.saturating_sub(h.chars().count())));
                if line + 1 == height {
                    self.piece(c.span, h);
                } else {
                    self.text.push_str(h);
                }
            }
            // No trailing blanks on a header line.
            let kept = self.text.trim_end_matches(' ').len();
            self.text.truncate(kept);
            self.text.push('\n');
        }
        for (r, row_cells) in t.rows.iter().zip(&cells) {
            let indent = r.indent.min(20);
            self.text.push_str(&" ".repeat(indent));
            let label: String = r
                .label
                .chars()
                .take(label_width.saturating_sub(indent))
                .collect();
            let pad = label_width.saturating_sub(indent + label.chars().count());
            self.piece(r.label_span, &label);
            self.text.push_str(&" ".repeat(pad));
            for (cell, shown) in r.cells.iter().zip(row_cells) {
                self.text.push_str("  ");
                self.text
                    .push_str(&" ".repeat(width.saturating_sub(shown.chars().count())));
                if let Some(c) = cell {
                    self.piece(c.span, shown);
                }
            }
            self.text.push('\n');
        }
        for f in &t.footnotes {
            self.piece(f.span, &f.text);
            self.text.push('\n');
        }
    }
}

/// `text` in lines of at most `width` characters, broken between words; a
/// longer word is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        if word.is_empty() {
            continue;
        }
        let n = line.chars().count();
        if n > 0 && n + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.extend(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A cell as a release prints it: `$52,686`, `(3,904)`, `22.0%`, `—`.
fn printed(c: &Cell) -> String {
    if c.nil {
        return "\u{2014}".into();
    }
    let mut s = String::new();
    if c.currency {
        s.push('$');
    }
    s.push_str(&crate::facts::format_amount(c.value));
    if c.percent {
        s.push('%');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_of_a_one_line_html_table_land_on_their_own_line() {
        let html = "<html><body><p>Revenue was $12.5 million.</p><table>\
            <tr><td></td><td>Three Months Ended March 31, 2026</td></tr>\
            <tr><td>Net sales</td><td>12,500</td></tr>\
            <tr><td>Cost of sales</td><td>(7,250</td><td>)</td></tr></table></body></html>";
        let doc = crate::parse::parse(html.as_bytes());
        let v = DocView::new(&doc);
        let at = html.find("(7,250").unwrap();
        let (a, b) = v.range(Span::new(at, 8)).expect("the cell is mapped");
        assert_eq!(&v.text[a..b], "(7,250)");
        let line = v.text[..a].rsplit('\n').next().unwrap();
        assert!(line.starts_with("Cost of sales"), "{line:?}");
        let m = html.find("$12.5").unwrap();
        let (a, b) = v.range(Span::new(m, 5)).unwrap();
        assert_eq!(&v.text[a..b], "$12.5");
    }

    #[test]
    fn long_headers_wrap_between_words_and_are_shown_whole() {
        let html = "<html><body><table>\
            <tr><td></td><td>Cash Collected</td><td>Remaining Milestone Potential</td></tr>\
            <tr><td>Licensee A</td><td>$200</td><td>$6,800</td></tr></table></body></html>";
        let doc = crate::parse::parse(html.as_bytes());
        let v = DocView::new(&doc);
        for word in ["Cash", "Collected", "Remaining", "Milestone", "Potential"] {
            assert!(
                v.text.split_whitespace().any(|w| w == word),
                "{word} in {:?}",
                v.text
            );
        }
        // A label on the header lands on its bottom line, over the figures.
        let at = html.find("Remaining").unwrap();
        let (a, b) = v.range(Span::new(at, 29)).expect("the header is mapped");
        assert_eq!(&v.text[a..b], "Potential");
        assert_eq!(
            wrap("Remaining Milestone Potential", 12),
            ["Remaining", "Milestone", "Potential"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }
}
