//! Page layout: from classified lines to tables and paragraphs.
//!
//! ```text
//! exhibit    = (paragraph | table | blank)*
//! table      = title_line* header_line* body footnote*
//! title_line = text line left of or centred above the columns, not a period
//! header_line= rule_line | year_row | text over the columns | stub text (scale)
//! body       = (value_line | label_line | heading | rule_line | blank{0,3})+
//! value_line = label? cell+                       (see `cell`)
//! label_line = text that wraps onto the next value line
//! heading    = text line without values ("Operating expenses:")
//! footnote   = prose starting with a marker ("(a)", "*", "(1)") or `<FN>` text
//! paragraph  = consecutive non-blank lines outside tables
//! ```
//!
//! Tables are anchored on value lines. A body grows downwards while value
//! lines keep coming (up to three blank lines, rules, headings and wrapped
//! labels in between) and stops at prose, at `</TABLE>`, or at a new header.
//! Columns are the clusters of the digits' horizontal extents; header pieces
//! are stacked onto the columns they overlap; a piece underlined by a rule
//! segment spans every column the segment covers.

use std::borrow::Cow;

use crate::ast::{
    Block, Cell, Column, ColumnKind, Paragraph, ParseIssue, ParseIssueKind, Row, RowKind, RuleKind,
    Table, TextLine,
};
use crate::parse::cell::{
    ROW_LIMITS, RawCell, exceeds_row_limits, is_figure_word, split_row_line_into,
};
use crate::parse::period::{
    column_period, contains_ignore_ascii_case, is_period_text, starts_with_ignore_ascii_case,
};
use crate::parse::phrases::{scale_of, split_markers};
use crate::parse::source::{
    Line, SPACES, Source, eight_at, splat, trim_end_ws, trim_start_ws, trim_ws, word_count,
};

/// SGML tags EDGAR puts in plain-text exhibits as layout hints.
const TAGS: [&str; 12] = [
    "TABLE", "/TABLE", "CAPTION", "/CAPTION", "S", "C", "FN", "/FN", "PAGE", "/PAGE", "PRE", "/PRE",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    TableStart,
    TableEnd,
    Footnotes,
    Other,
}

#[derive(Clone, Debug)]
struct ValueLine {
    /// The label is `clean[label_start..label_start + label_len]` of its
    /// line: a range rather than a `String`, so value lines do not allocate.
    label_len: usize,
    label_start: usize,
    /// The line's cells: a range of the parser's list of every value line's
    /// cells ([`Lists::cells`]), not a list of their own.
    cells: (usize, usize),
    /// A figure the cell grammar could not read (`((139))`), printed after
    /// the label text across a gap: its range in the line. It is not part
    /// of the label; the row reports it.
    unread: Option<(usize, usize)>,
}

/// The label's last word when it is a figure the cell grammar did not take
/// (`Other expense, net      ((139))`): figure characters with a digit,
/// after a gap of two or more blanks. Returns the label without it (its
/// length, trimmed) and the figure's range, relative to the label.
fn unread_figure(label: &str) -> Option<(usize, (usize, usize))> {
    let word_at = label.rfind([' ', '\t'])? + 1;
    let word = &label[word_at..];
    let figure = is_figure_word(word);
    let head = label[..word_at].trim_end();
    let gap = word_at - head.len();
    (figure && gap >= 2 && !head.is_empty()).then_some((head.len(), (word_at, label.len())))
}

#[derive(Clone, Debug)]
enum Kind {
    Blank,
    Tag(Tag),
    /// Segments in display columns (a range of [`Lists::segments`]) and
    /// whether the rule is double (`=`).
    Rule((usize, usize), bool),
    Values(ValueLine),
    /// A line of years over the columns (`2006   2005   2005`).
    YearRow,
    Text,
}

struct L<'t> {
    line: Line<'t>,
    /// The line with SGML tags blanked out (same byte positions).
    clean: Cow<'t, str>,
    /// Byte range of `clean.trim()`, computed once: `text()` is asked for
    /// again and again by the layout passes.
    trimmed: (usize, usize),
    kind: Kind,
    /// For a line of figures wider than a table row ([`ROW_LIMITS`]): how
    /// many figures it holds. It is text, and reported.
    oversized: Option<usize>,
    /// `is_prose_line(text())`, computed on first use: prose groups are
    /// re-examined for every value line near them.
    prose: std::cell::Cell<Option<bool>>,
    /// `is_period_text(text())`, computed on first use for the same reason.
    period: std::cell::Cell<Option<bool>>,
    /// For a text line: whether its group of adjacent text lines holds a
    /// prose line, set for the whole group on first use.
    group_prose: std::cell::Cell<Option<bool>>,
}

impl L<'_> {
    fn indent(&self) -> usize {
        // `trimmed` starts where `trim_start_ws(&self.clean)` does.
        self.line.col(self.trimmed.0)
    }
    fn text(&self) -> &str {
        &self.clean[self.trimmed.0..self.trimmed.1]
    }
    fn is_period(&self) -> bool {
        if let Some(p) = self.period.get() {
            return p;
        }
        let p = is_period_text(self.text());
        self.period.set(Some(p));
        p
    }
    fn is_prose(&self) -> bool {
        if let Some(p) = self.prose.get() {
            return p;
        }
        let p = is_prose_line(self.text());
        self.prose.set(Some(p));
        p
    }
    fn is_text(&self) -> bool {
        matches!(self.kind, Kind::Text)
    }
}

fn strip_tags(text: &str) -> (Cow<'_, str>, Option<Tag>) {
    if memchr::memchr(b'<', text.as_bytes()).is_none() {
        return (Cow::Borrowed(text), None);
    }
    let mut out = text.to_string();
    let mut found = None;
    let mut search = 0;
    while let Some(open) = out[search..].find('<').map(|p| p + search) {
        let Some(close) = out[open..].find('>').map(|p| p + open) else {
            break;
        };
        let name = out[open + 1..close].trim().to_ascii_uppercase();
        if TAGS.contains(&name.as_str()) {
            let tag = match name.as_str() {
                "TABLE" => Tag::TableStart,
                "/TABLE" => Tag::TableEnd,
                "FN" => Tag::Footnotes,
                _ => Tag::Other,
            };
            found = Some(match found {
                Some(Tag::TableStart | Tag::TableEnd | Tag::Footnotes) => found.unwrap_or(tag),
                _ => tag,
            });
            out.replace_range(open..=close, &" ".repeat(close - open + 1));
        }
        search = close + 1;
    }
    if found.is_none() {
        return (Cow::Borrowed(text), None);
    }
    (Cow::Owned(out), found)
}

/// What the lines of an exhibit hold beyond their kind, every line's in one
/// list rather than a list per line.
#[derive(Default)]
struct Lists {
    /// Every value line's cells, line after line ([`ValueLine::cells`]).
    cells: Vec<RawCell>,
    /// Every rule line's segments, line after line ([`Kind::Rule`]).
    segments: Vec<(usize, usize)>,
}

impl Lists {
    /// A value line's cells.
    fn cells(&self, v: &ValueLine) -> &[RawCell] {
        self.cells.get(v.cells.0..v.cells.1).unwrap_or_default()
    }

    /// A rule line's segments.
    fn segments(&self, range: (usize, usize)) -> &[(usize, usize)] {
        self.segments.get(range.0..range.1).unwrap_or_default()
    }
}

/// Classifies a line; a value line's cells and a rule line's segments go
/// onto `lists`.
fn classify<'t>(line: Line<'t>, tags: bool, lists: &mut Lists) -> L<'t> {
    let (clean, tag) = if tags {
        strip_tags(line.text)
    } else {
        (Cow::Borrowed(line.text), None)
    };
    let trimmed = trim_ws(&clean);
    let trimmed_range = {
        let start = trimmed.as_ptr() as usize - clean.as_ptr() as usize;
        (start, start + trimmed.len())
    };
    // A line of figures too wide for a table row (see `report_oversized_rows`).
    let oversized = (trimmed.len() >= 2 * ROW_LIMITS.1 - 1)
        .then(|| exceeds_row_limits(&clean))
        .flatten();
    // Where this line's cells start, if it is a value line.
    let base = lists.cells.len();
    let kind = if trimmed.is_empty() {
        match tag {
            Some(t) => Kind::Tag(t),
            None => Kind::Blank,
        }
    } else if let Some(rule) = rule_segments(&line, &clean, trimmed, &mut lists.segments) {
        rule
    } else if trimmed.starts_with('(') && trimmed.ends_with(')') && scale_of(trimmed).is_some() {
        // `($000)` reads like a value but is a scale note.
        Kind::Text
    } else if oversized.is_some() {
        // Reported, not half read.
        Kind::Text
    } else if let Some((label, label_start)) = split_row_line_into(&clean, &mut lists.cells) {
        let (label_len, unread) = match unread_figure(label) {
            Some((len, (a, b))) => (len, Some((label_start + a, label_start + b))),
            None => (label.len(), None),
        };
        if lists.cells[base..].iter().all(|c| c.year_like) {
            // A year row's cells are not read as figures.
            lists.cells.truncate(base);
            Kind::YearRow
        } else {
            Kind::Values(ValueLine {
                label_len,
                label_start,
                cells: (base, lists.cells.len()),
                unread,
            })
        }
    } else {
        Kind::Text
    };
    // Only a line that became text for being too wide is reported.
    let oversized = oversized.filter(|_| matches!(kind, Kind::Text));
    L {
        line,
        trimmed: trimmed_range,
        clean,
        kind,
        oversized,
        prose: std::cell::Cell::new(None),
        period: std::cell::Cell::new(None),
        group_prose: std::cell::Cell::new(None),
    }
}

/// `t` is `clean.trim()`, not empty. A rule line's segments are pushed
/// onto `segments`.
fn rule_segments(
    line: &Line<'_>,
    clean: &str,
    t: &str,
    segments: &mut Vec<(usize, usize)>,
) -> Option<Kind> {
    // A rule line is made of rule characters and blanks only, and `t` is
    // trimmed, so it starts with a rule character: most lines stop here.
    if !t
        .as_bytes()
        .first()
        .is_some_and(|b| matches!(b, b'-' | b'=' | b'_'))
    {
        return None;
    }
    // One pass over `t` (`clean` around it is whitespace): runs of rule
    // characters are the segments, and only rule characters, blanks and
    // tabs may appear. These characters are ASCII, so a byte of a non-ASCII
    // character ends a run at a boundary.
    let t_start = t.as_ptr() as usize - clean.as_ptr() as usize;
    let t_end = t_start + t.len();
    let is_rule = |b: u8| matches!(b, b'-' | b'=' | b'_');
    let b = clean.as_bytes();
    let base = segments.len();
    let mut dashes = 0;
    let mut i = t_start;
    while i < t_end {
        let c = b[i];
        if is_rule(c) {
            // A run is usually one character repeated: eight at a time.
            let s = i;
            let same = splat(c);
            while i + 8 <= t_end && eight_at(b, i) == same {
                i += 8;
            }
            while i < t_end && is_rule(b[i]) {
                i += 1;
            }
            dashes += i - s;
            segments.push((line.col(s), line.col(i)));
            continue;
        }
        if c != b' ' && c != b'\t' {
            segments.truncate(base);
            return None;
        }
        i += 1;
        while i + 8 <= t_end && eight_at(b, i) == SPACES {
            i += 8;
        }
    }
    if dashes < 3 {
        segments.truncate(base);
        return None;
    }
    let double = memchr::memchr(b'=', t.as_bytes()).is_some();
    Some(Kind::Rule((base, segments.len()), double))
}

/// Prose: a sentence-like line, too long or too wordy to be a label.
fn is_prose_line(text: &str) -> bool {
    let t = trim_ws(text);
    let words = word_count(t);
    if words >= 10 && is_date_row(t) {
        // `April 30,  July 31,  October 31,  January 31,  January 31,`
        // over five columns: a header, however many words.
        return false;
    }
    if words >= 10 {
        // `For the 13 Weeks Ended July 3, 2004 and June 28, 2003` is a header.
        let period_title = words <= 14
            && !ends_sentence(t)
            && !footnote_marker(t)
            && (contains_ignore_ascii_case(t.as_bytes(), b"ended")
                || contains_ignore_ascii_case(t.as_bytes(), b"ending"))
            && is_period_text(t)
            && !has_sentence_break(t);
        return !period_title && !is_heading_case(t);
    }
    words >= 6 && (ends_sentence(t) || has_sentence_break(t))
}

/// A table title that names periods without dating any (`Quarterly
/// Results of Operations`, `Statements of Operations by Quarter`): centred
/// over the label column and the first columns, it is no column header.
/// Headers that start left of the columns date their periods (`For the 13
/// Weeks Ended July 3, 2004`) or name a change (`Increase (Decrease)`).
fn is_period_title(t: &str) -> bool {
    let b = t.as_bytes();
    word_count(t) >= 3
        && !b.iter().any(u8::is_ascii_digit)
        && !b.contains(&b'%')
        && ![
            &b"ended"[..],
            b"ending",
            b"change",
            b"as of",
            b"(unaudited)",
            b"restated",
        ]
        .iter()
        .any(|w| contains_ignore_ascii_case(b, w))
}

/// A line of month names and day numbers only (`April 30,  July 31,`,
/// `Dec. 31,  Sept. 30,`): a column header's dates.
fn is_date_row(t: &str) -> bool {
    t.split_whitespace().all(|w| {
        let core = w.trim_end_matches(',');
        let day = core.len() <= 4 && core.bytes().all(|b| b.is_ascii_digit());
        let month = crate::parse::period::month(core).is_ok_and(|(rest, _)| rest.is_empty());
        !core.is_empty() && (day || month)
    })
}

/// A long heading (`Unaudited Reconciliation of GAAP Net Income (Loss) to
/// Adjusted EBITDA`): outside parentheses the words other than short
/// function words start with a capital letter or a digit (one in five may
/// be a lowercased line item, `GAAP Net income`), and the line is no
/// sentence. Prose lines wrapped from a paragraph hold more lowercase words.
fn is_heading_case(t: &str) -> bool {
    const MINOR: &[&str] = &[
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "per",
        "the", "to", "vs", "vs.", "with", "except", "ended", "ending", "and/or",
    ];
    if ends_sentence(t) || has_sentence_break(t) || footnote_marker(t) || t.ends_with([',', ';']) {
        return false;
    }
    let mut depth = 0usize;
    let (mut major, mut minor) = (0, 0);
    for w in t.split_whitespace() {
        let inside = depth > 0 || w.starts_with('(');
        depth = (depth + w.matches('(').count()).saturating_sub(w.matches(')').count());
        if inside {
            continue;
        }
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = core.chars().next() else {
            continue;
        };
        if !first.is_lowercase() {
            major += 1;
        } else if !MINOR.iter().any(|m| m.eq_ignore_ascii_case(core)) {
            // A lowercased line item inside a heading (`GAAP Net income`).
            minor += 1;
        }
    }
    major >= 4 && minor * 4 <= major
}

/// Ends with a full stop that is not a company abbreviation (`Inc.`).
fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end_matches('"');
    let Some(body) = t.strip_suffix('.') else {
        return false;
    };
    let last = body
        .rsplit(|c: char| c.is_whitespace() || c == ',')
        .next()
        .unwrap_or("");
    ![
        "inc", "corp", "co", "ltd", "llc", "l.p", "n.a", "plc", "s.a", "no",
    ]
    .iter()
    .any(|w| w.eq_ignore_ascii_case(last))
}

/// `word. Word` where `word` is a lowercase word of four letters or more
/// (so `Sept. 30` and `Inc. The` are not sentence breaks).
fn has_sentence_break(t: &str) -> bool {
    // Each `.` that ends a word is looked at: the word is the lowercase run
    // before it, which must start the text or follow whitespace.
    let b = t.as_bytes();
    memchr::memchr_iter(b'.', b).any(|dot| {
        let after = &t[dot + 1..];
        if !after.starts_with(char::is_whitespace) {
            return false;
        }
        let start = b[..dot]
            .iter()
            .rposition(|c| !c.is_ascii_lowercase())
            .map_or(0, |p| p + 1);
        dot - start >= 4
            && (start == 0 || t[..start].ends_with(char::is_whitespace))
            && trim_start_ws(after).starts_with(char::is_uppercase)
    })
}

/// Starts with a footnote marker: `(a)`, `(1)`, `*`, `Note:`.
fn footnote_marker(text: &str) -> bool {
    let t = text.trim_start();
    if t.starts_with('*') || starts_with_ignore_ascii_case(t.as_bytes(), b"note") {
        return true;
    }
    if let Some(rest) = t.strip_prefix('(')
        && let Some(close) = rest.find(')')
    {
        return close <= 2 && rest[..close].chars().all(|c| c.is_ascii_alphanumeric());
    }
    false
}

/// A horizontal piece of a header line.
#[derive(Clone, Debug)]
struct Chunk<'a> {
    start: usize,
    end: usize,
    /// Display columns.
    cols: (usize, usize),
    text: &'a str,
}

/// Splits a line into chunks separated by two or more spaces (or a tab).
fn chunks<'a>(l: &'a L<'_>) -> Vec<Chunk<'a>> {
    let s: &str = &l.clean;
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_non_ws = 0;
    let mut gap = 0;
    // The separators are ASCII, so bytes find the same boundaries as chars:
    // a chunk starts at a lead byte and ends after its last byte.
    // Gaps between header pieces are long runs of spaces: eight at a time.
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b' ' || c == b'\t' || c == 0x0c {
            if c == b' ' && i + 8 <= b.len() && eight_at(b, i) == SPACES {
                gap += 8;
                i += 8;
            } else {
                gap += if c == b'\t' { 2 } else { 1 };
                i += 1;
            }
            if let Some(st) = start
                && gap >= 2
            {
                push_pieces(l, st, last_non_ws, &mut out);
                start = None;
            }
        } else {
            if start.is_none() {
                start = Some(i);
            }
            gap = 0;
            i += 1;
            last_non_ws = i;
        }
    }
    if let Some(st) = start {
        push_pieces(l, st, last_non_ws, &mut out);
    }
    out
}

/// Pushes the chunk `l.clean[a..b]`, split where dates are set one space
/// apart (`June 28, January 3,`): those are separate pieces.
fn push_pieces<'a>(l: &'a L<'_>, a: usize, b: usize, out: &mut Vec<Chunk<'a>>) {
    let s: &str = &l.clean;
    let mut push = |x: usize, y: usize| {
        out.push(Chunk {
            start: x,
            end: y,
            cols: (l.line.col(x), l.line.col(y)),
            text: &s[x..y],
        })
    };
    let mut from = a;
    let piece = &s[a..b];
    for i in memchr::memchr_iter(b' ', piece.as_bytes()) {
        let (before, after) = (&piece[..i], &piece[i + 1..]);
        let last_word = before.rsplit(' ').next().unwrap_or("");
        let prev_done = before.ends_with(',')
            || (last_word.starts_with(|c: char| c.is_ascii_digit())
                && crate::parse::period::year(last_word).is_ok());
        let month_next = || {
            after.starts_with(|c: char| c.is_ascii_alphabetic())
                && crate::parse::period::date(after).is_ok()
                && crate::parse::period::month(last_word).is_err()
        };
        if prev_done && a + i > from && month_next() {
            push(from, a + i);
            from = a + i + 1;
        }
    }
    push(from, b);
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// Columns found from the digits of value lines.
fn cluster_columns(
    ls: &[L<'_>],
    lists: &Lists,
    body: std::ops::Range<usize>,
) -> Vec<(usize, usize)> {
    // Nil marks sit anywhere in their column's width, so only digits (and a
    // hanging `%`) define the columns; nil marks join the nearest one.
    // Each extent is sorted as one integer, start column above end column
    // (columns beyond u32::MAX, which no real line reaches, are clamped).
    let pack = |a: usize, b: usize| {
        let clamp = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        (u64::from(clamp(a)) << 32) | u64::from(clamp(b))
    };
    let mut extents: Vec<u64> = Vec::with_capacity(4 * body.len());
    for l in &ls[body] {
        if let Kind::Values(v) = &l.kind {
            for c in lists.cells(v).iter().filter(|c| !c.nil) {
                let end = if c.percent { c.end } else { c.digits.1 };
                extents.push(pack(l.line.col(c.digits.0), l.line.col(end)));
            }
        }
    }
    extents.sort_unstable();
    let mut cols: Vec<(usize, usize, usize)> = Vec::new();
    for e in extents {
        let (a, b) = ((e >> 32) as usize, (e & u64::from(u32::MAX)) as usize);
        match cols.last_mut() {
            Some(last) if a < last.1 => {
                last.1 = last.1.max(b);
                last.2 += 1;
            }
            _ => cols.push((a, b, 1)),
        }
    }
    // A cluster of one cell in a big table is a misaligned value, unless it
    // sits far from every other column.
    let max = cols.iter().map(|c| c.2).max().unwrap_or(0);
    if max >= 4 {
        let merged = std::mem::take(&mut cols);
        cols = merged
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                if c.2 > 1 {
                    return true;
                }
                let near = |j: Option<&(usize, usize, usize)>| {
                    j.is_some_and(|n| n.2 > 1 && (n.0.abs_diff(c.1) <= 2 || n.1.abs_diff(c.0) <= 2))
                };
                !(near(i.checked_sub(1).and_then(|j| merged.get(j))) || near(merged.get(i + 1)))
            })
            .map(|(_, c)| *c)
            .collect();
    }
    cols.into_iter().map(|(a, b, _)| (a, b)).collect()
}

/// The column a cell belongs to: the one its digits overlap, or the nearest
/// one within two display columns.
/// Spanning headers are centred over the columns they head: where two
/// pieces of a header line head adjacent runs of columns (`Three Months
/// Ended` over four quarters, `Year Ended` over one), the boundary between
/// the runs moves to where both pieces are best centred over their runs.
/// Nearest-piece assignment alone can give a wide group's last column the
/// next piece, when that piece is nearer its figures than the group's own
/// centred heading.
fn centre_runs(
    mut nearest: Vec<Option<usize>>,
    regions: &[(usize, usize)],
    ranges: &[(usize, usize)],
) -> Vec<Option<usize>> {
    let mid = |r: (usize, usize)| (r.0 + r.1) as i64;
    let cost = |p: usize, a: usize, b: usize| {
        (mid(ranges[p]) - (regions[a].0 + regions[b].1) as i64).abs()
    };
    let n = nearest.len();
    let mut c = 0;
    while c < n {
        // The run of piece p from c, then the run of the next piece.
        let Some(p) = nearest[c] else {
            c += 1;
            continue;
        };
        let end_a = (c..n)
            .take_while(|&i| nearest[i] == Some(p))
            .last()
            .unwrap_or(c);
        let Some(q) = nearest.get(end_a + 1).copied().flatten() else {
            c = end_a + 1;
            continue;
        };
        let end_b = (end_a + 1..n)
            .take_while(|&i| nearest[i] == Some(q))
            .last()
            .unwrap_or(end_a + 1);
        // Every split leaving each piece at least one column.
        let best = (c..end_b)
            .min_by_key(|&split| {
                (
                    cost(p, c, split) + cost(q, split + 1, end_b),
                    split != end_a,
                )
            })
            .unwrap_or(end_a);
        for (i, slot) in nearest.iter_mut().enumerate().take(end_b + 1).skip(c) {
            *slot = Some(if i <= best { p } else { q });
        }
        c = best + 1;
    }
    nearest
}

fn column_of(cols: &[(usize, usize)], ext: (usize, usize), slack: usize) -> Option<usize> {
    if let Some(i) = cols.iter().position(|&c| overlap(c, ext) > 0) {
        return Some(i);
    }
    cols.iter()
        .enumerate()
        .map(|(i, &c)| (i, c.0.abs_diff(ext.1).min(c.1.abs_diff(ext.0))))
        .filter(|&(_, d)| d <= slack)
        .min_by_key(|&(_, d)| d)
        .map(|(i, _)| i)
}

/// Parses one exhibit's text (`src.text[start..end]`) into blocks.
pub fn parse_blocks(
    src: &Source<'_>,
    start: usize,
    end: usize,
    issues: &mut Vec<ParseIssue>,
) -> Vec<Block> {
    let text = &src.text[start..end];
    // Lines need their SGML tags blanked only when the text has a `<`.
    let tags = memchr::memchr(b'<', text.as_bytes()).is_some();
    let mut ls: Vec<L<'_>> =
        Vec::with_capacity(crate::parse::source::count_byte(text.as_bytes(), b'\n') + 1);
    // Earnings releases print about a cell for every 40 bytes: sized once
    // for most, rather than copied as it grows.
    let mut lists = Lists {
        cells: Vec::with_capacity(text.len() / 40),
        segments: Vec::new(),
    };
    ls.extend(crate::parse::source::lines(text, start).map(|l| classify(l, tags, &mut lists)));
    let mut p = Parser {
        src,
        ls,
        lists,
        issues,
        used: Vec::new(),
        blocks: Vec::new(),
    };
    p.used = vec![false; p.ls.len()];
    p.report_oversized_rows();
    p.run();
    p.blocks
}

struct Parser<'s, 't, 'i> {
    src: &'s Source<'s>,
    ls: Vec<L<'t>>,
    /// The cells and rule segments of the lines.
    lists: Lists,
    issues: &'i mut Vec<ParseIssue>,
    used: Vec<bool>,
    /// (first line, block) so that blocks can be sorted into document order.
    blocks: Vec<Block>,
}

struct Region {
    head: usize,
    body: usize,
    end: usize,
    /// The columns found from the body's digits (the text lines above the
    /// first value line add no cells, so they are the same for the body).
    cols: Vec<(usize, usize)>,
}

impl Parser<'_, '_, '_> {
    /// Lines of figures beyond [`ROW_LIMITS`] (classified as text): each is
    /// a region whose figures tieout did not read.
    fn report_oversized_rows(&mut self) {
        for i in 0..self.ls.len() {
            let Some(n) = self.ls[i].oversized else {
                continue;
            };
            let span = self.span_of_line(i);
            self.issues.push(ParseIssue {
                span,
                kind: ParseIssueKind::TooLarge,
                message: format!(
                    "a line of {n} figures ({} bytes) is wider than tieout reads as a table row \
                     ({} bytes, {} figures); its figures were not read",
                    span.len, ROW_LIMITS.0, ROW_LIMITS.1
                ),
            });
        }
    }

    /// The span of line `i` without its surrounding blanks (SGML tags, which
    /// `clean` blanks out, included).
    fn span_of_line(&self, i: usize) -> crate::span::Span {
        let li = &self.ls[i];
        let l = &li.line;
        let (s, e) = if matches!(li.clean, Cow::Borrowed(_)) {
            // `clean` is the line itself: its trimmed range is known.
            li.trimmed
        } else {
            let t = l.text;
            (t.len() - trim_start_ws(t).len(), trim_end_ws(t).len())
        };
        self.src.span(l.start + s, l.start + e.max(s))
    }

    fn span_in_line(&self, i: usize, a: usize, b: usize) -> crate::span::Span {
        let l = &self.ls[i].line;
        self.src.span(l.start + a, l.start + b)
    }

    /// Is line `i` inside a group of text lines that reads as prose?
    fn prose_group(&self, i: usize) -> bool {
        if let Some(p) = self.ls[i].group_prose.get() {
            return p;
        }
        let mut a = i;
        while a > 0 && self.ls[a - 1].is_text() {
            a -= 1;
        }
        let mut b = i;
        while b + 1 < self.ls.len() && self.ls[b + 1].is_text() {
            b += 1;
        }
        let prose = (a..=b).any(|k| self.ls[k].is_prose());
        // Every text line of the group has the same answer.
        if self.ls[i].is_text() {
            for l in &self.ls[a..=b] {
                l.group_prose.set(Some(prose));
            }
        }
        prose
    }

    /// A text line that belongs to a header: positioned over the columns, or
    /// naming a date or year.
    fn header_like(&self, i: usize, col_start: usize) -> bool {
        let l = &self.ls[i];
        match &l.kind {
            Kind::YearRow => true,
            Kind::Text => {
                // A chunk can reach past `col_start` only if the line does:
                // that is checked before the period words are looked for.
                l.indent() + 4 >= col_start
                    || (l.line.col(l.trimmed.1) > col_start
                        && l.is_period()
                        && !is_period_title(l.text())
                        && chunks(l).iter().any(|c| c.cols.1 > col_start)
                        && word_count(l.text()) <= 14)
            }
            _ => false,
        }
    }

    fn run(&mut self) {
        let n = self.ls.len();
        let mut floor = 0;
        let mut i = 0;
        let mut tables: Vec<(usize, Table)> = Vec::new();
        while i < n {
            let is_value = matches!(self.ls[i].kind, Kind::Values(_));
            if !is_value || self.used[i] {
                i += 1;
                continue;
            }
            let Some(region) = self.region_at(i, floor) else {
                i += 1;
                continue;
            };
            let made = self.build_tables(&region, tables.last().map(|t| &t.1));
            for k in region.head..region.end {
                self.used[k] = true;
            }
            let mut next = region.end;
            let made_any = !made.is_empty();
            for t in made {
                tables.push((region.head, t));
            }
            // Footnotes: marker-led prose right after the table.
            if made_any {
                next = self.attach_footnotes(region.end, &mut tables);
            }
            floor = next;
            i = next.max(i + 1);
        }
        // Paragraphs from every line not used by a table.
        let mut blocks: Vec<(usize, Block)> = tables
            .into_iter()
            .map(|(k, t)| (k, Block::Table(t)))
            .collect();
        let mut k = 0;
        while k < n {
            if self.used[k]
                || matches!(self.ls[k].kind, Kind::Blank | Kind::Tag(_) | Kind::Rule(..))
            {
                k += 1;
                continue;
            }
            let first = k;
            let mut last = k;
            let mut j = k + 1;
            while j < n
                && !self.used[j]
                && !matches!(self.ls[j].kind, Kind::Blank | Kind::Tag(_) | Kind::Rule(..))
            {
                // A line indented more than the previous one starts a
                // paragraph (first-line indents), unless the previous line
                // runs on: a hanging indent under a bullet (`--  Loss per
                // share ... holders of` / `common stock ... was $0.12`).
                let prev = &self.ls[j - 1];
                let runs_on = !prev.text().ends_with(['.', '!', '?', ':', '"', ')']);
                if self.ls[j].indent() > prev.indent() + 2 && j > first && !runs_on {
                    break;
                }
                last = j;
                j += 1;
            }
            blocks.push((first, Block::Paragraph(self.paragraph(first, last))));
            k = last + 1;
        }
        blocks.sort_by_key(|(k, _)| *k);
        self.blocks = blocks.into_iter().map(|(_, b)| b).collect();
    }

    fn paragraph(&self, first: usize, last: usize) -> Paragraph {
        let mut text = String::with_capacity(self.ls[last].line.end() - self.ls[first].line.start);
        let mut line_starts = Vec::with_capacity(last + 1 - first);
        // In UTF-16 every character changes length (an ASCII letter is two
        // bytes of file), so the map restarts after each, and each run's
        // end in the file is recorded.
        let utf16 = matches!(
            self.src.encoding,
            crate::parse::source::Encoding::Utf16 { .. }
        );
        // For UTF-16, each entry of `line_starts`: where its run starts in
        // the source text, and where its line's body ends there.
        let mut origins: Vec<(usize, usize)> = Vec::new();
        for k in first..=last {
            let l = &self.ls[k].line;
            let t = l.text;
            let lead = t.len() - trim_start_ws(t).len();
            let body = trim_ws(t);
            if body.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            let at = l.start + lead;
            line_starts.push((text.len(), self.src.file_offset(at)));
            if utf16 {
                origins.push((at, at + body.len()));
            }
            // Where decoding changed a character's length (a Latin-1 byte is
            // two bytes of text), the map restarts after that character so
            // text and file stay one to one within each segment.
            if self.src.encoding != crate::parse::source::Encoding::Utf8 {
                for (i, c) in body.char_indices() {
                    if utf16 || c.len_utf8() > 1 {
                        let after = i + c.len_utf8();
                        line_starts.push((text.len() + after, self.src.file_offset(at + after)));
                        if utf16 {
                            origins.push((at + after, at + body.len()));
                        }
                    }
                }
            }
            text.push_str(body);
        }
        // Where a character's bytes in the file are not its bytes of text
        // (UTF-16), each run ends where its last character ends in the file,
        // not one byte after the character's start.
        let run_ends = if utf16 {
            (0..line_starts.len())
                .map(|k| {
                    let next = line_starts.get(k + 1).map_or(text.len(), |&(t, _)| t);
                    let (from, body_end) = origins[k];
                    let len = next - line_starts[k].0;
                    self.src.file_offset((from + len).min(body_end))
                })
                .collect()
        } else {
            Vec::new()
        };
        let span = self.span_of_line(first).join(self.span_of_line(last));
        let mut p = Paragraph {
            span,
            text,
            line_starts,
            run_ends,
            mentions: Vec::new(),
        };
        p.mentions = crate::parse::mentions_of(&p);
        p
    }

    /// Finds the table region whose body starts at value line `i`.
    fn region_at(&self, i: usize, floor: usize) -> Option<Region> {
        let n = self.ls.len();
        if self.prose_neighbourhood(i) {
            return None;
        }
        // Extend the body downwards.
        let mut last_val = i;
        let mut values = 1;
        let mut blanks = 0;
        let mut j = i + 1;
        // The first column of the first value line: its leftmost digits.
        let col_start = match &self.ls[i].kind {
            Kind::Values(v) => self
                .lists
                .cells(v)
                .iter()
                .find(|c| !c.nil)
                .map_or(usize::MAX, |c| self.ls[i].line.col(c.digits.0)),
            _ => usize::MAX,
        };
        while j < n {
            match &self.ls[j].kind {
                Kind::Values(_) => {
                    if self.prose_neighbourhood(j) {
                        break;
                    }
                    last_val = j;
                    values += 1;
                    blanks = 0;
                }
                Kind::Blank => {
                    blanks += 1;
                    if blanks > 3 {
                        break;
                    }
                }
                Kind::Rule(..) => blanks = 0,
                Kind::Tag(Tag::TableEnd) => break,
                Kind::Tag(_) => {}
                Kind::YearRow => break,
                Kind::Text => {
                    // Two blank lines and then text: the next table's title.
                    if blanks >= 2 || self.prose_group(j) || self.header_like(j, col_start) {
                        break;
                    }
                    blanks = 0;
                }
            }
            j += 1;
        }
        if values < 2 {
            return None;
        }
        // Rules directly under the last value line belong to the table.
        let mut end = last_val + 1;
        while end < n && matches!(self.ls[end].kind, Kind::Rule(..)) {
            end += 1;
        }
        let cols = cluster_columns(&self.ls, &self.lists, i..end);
        let col_start = cols.first().map_or(usize::MAX, |c| c.0);
        // Wrapped labels and headings directly above the first value line.
        let mut body = i;
        while body > floor
            && self.ls[body - 1].is_text()
            && !self.prose_group(body - 1)
            && !self.header_like(body - 1, col_start)
        {
            body -= 1;
        }
        // Header and title lines above.
        let mut head = body;
        let mut blanks = 0;
        while head > floor {
            match &self.ls[head - 1].kind {
                Kind::Blank => {
                    blanks += 1;
                    if blanks > 2 {
                        break;
                    }
                }
                Kind::Rule(..) | Kind::YearRow => blanks = 0,
                Kind::Tag(Tag::TableEnd) | Kind::Values(_) => break,
                Kind::Tag(_) => blanks = 0,
                Kind::Text => {
                    if self.prose_group(head - 1) || is_exhibit_label(self.ls[head - 1].text()) {
                        break;
                    }
                    blanks = 0;
                }
            }
            head -= 1;
        }
        while head < body && matches!(self.ls[head].kind, Kind::Blank) {
            head += 1;
        }
        Some(Region {
            head,
            body,
            end,
            cols,
        })
    }

    /// A value line inside a prose paragraph (justified text ending in a
    /// number) is not a table row.
    fn prose_neighbourhood(&self, i: usize) -> bool {
        let before = i > 0 && self.ls[i - 1].is_text() && self.prose_group(i - 1);
        let after = i + 1 < self.ls.len() && self.ls[i + 1].is_text() && self.prose_group(i + 1);
        before && after
    }

    fn attach_footnotes(&mut self, from: usize, tables: &mut [(usize, Table)]) -> usize {
        let n = self.ls.len();
        let mut k = from;
        let mut blanks = 0;
        let mut next = from;
        while k < n {
            match &self.ls[k].kind {
                Kind::Blank | Kind::Tag(Tag::Other) => {
                    blanks += 1;
                    if blanks > 2 {
                        break;
                    }
                    k += 1;
                }
                Kind::Tag(Tag::Footnotes) => {
                    self.used[k] = true;
                    k += 1;
                }
                Kind::Text if footnote_marker(self.ls[k].text()) => {
                    // The whole group of text lines is the footnote.
                    let mut e = k;
                    while e + 1 < n
                        && self.ls[e + 1].is_text()
                        && !footnote_marker(self.ls[e + 1].text())
                    {
                        e += 1;
                    }
                    // A short marker line followed by values starts the next table.
                    if !(k..=e).any(|x| self.ls[x].is_prose()) {
                        break;
                    }
                    let text = (k..=e)
                        .map(|x| self.ls[x].text().to_string())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let span = self.span_of_line(k).join(self.span_of_line(e));
                    if let Some((_, t)) = tables.last_mut() {
                        t.footnotes.push(TextLine { span, text });
                    }
                    for x in k..=e {
                        self.used[x] = true;
                    }
                    k = e + 1;
                    next = k;
                    blanks = 0;
                }
                Kind::Tag(Tag::TableEnd) => {
                    self.used[k] = true;
                    k += 1;
                    next = k;
                }
                _ => break,
            }
        }
        next
    }

    /// Builds the table(s) of a region: one, or several when anonymous totals
    /// or headed sections split a body that shares one header.
    fn build_tables(&mut self, r: &Region, previous: Option<&Table>) -> Vec<Table> {
        let cols = r.cols.clone();
        if cols.is_empty() {
            return Vec::new();
        }
        let col_start = cols[0].0;
        // Title and header lines.
        let mut title = Vec::new();
        let mut scale = None;
        let mut header_lines = Vec::new();
        let mut in_header = false;
        for k in r.head..r.body {
            let l = &self.ls[k];
            match &l.kind {
                Kind::Blank | Kind::Tag(_) => continue,
                Kind::Rule(..) | Kind::YearRow => in_header = true,
                Kind::Text => {
                    if !in_header
                        && ((l.indent() + 4 < col_start
                            && !(self.header_like(k, col_start) && l.is_period()))
                            || (cols.len() > 1 && is_centred_note(l)))
                    {
                        if let Some(mut s) = scale_of(l.text()) {
                            s.span = self.span_of_line(k);
                            scale = Some(s);
                        }
                        title.push(TextLine {
                            span: self.span_of_line(k),
                            text: l.text().to_string(),
                        });
                        continue;
                    }
                    in_header = true;
                }
                Kind::Values(_) => {}
            }
            header_lines.push(k);
        }
        // Text left of the columns after the last header line over them is
        // a heading of the body (`Income Account-` above the `<S>` line),
        // not header text.
        let col_start = cols[0].0;
        let mut body_start = r.body;
        while let Some(&k) = header_lines.last() {
            let l = &self.ls[k];
            let left_only =
                matches!(l.kind, Kind::Text) && chunks(l).iter().all(|c| c.cols.1 + 1 < col_start);
            if !left_only || header_lines.len() == 1 {
                break;
            }
            header_lines.pop();
            body_start = k;
        }
        let (mut columns, stub) = self.stack_headers(&cols, &header_lines);
        for (k, text) in stub {
            if scale.is_none()
                && let Some(mut s) = scale_of(&text)
            {
                s.span = self.span_of_line(k);
                scale = Some(s);
            }
        }
        // A table without a header inherits the previous table's columns
        // when they line up (a reconciliation printed under its statement).
        let headerless = columns.iter().all(|c| c.header.is_empty());
        if headerless
            && let Some(prev) = previous
            && prev.columns.len() == columns.len()
            && prev.columns.iter().zip(&columns).all(|(a, b)| {
                overlap(a.extent, b.extent) > 0 || a.extent.0.abs_diff(b.extent.0) <= 3
            })
        {
            for (c, p) in columns.iter_mut().zip(&prev.columns) {
                c.kind = p.kind;
                c.period = p.period;
                c.annotations = p.annotations.clone();
                c.member = p.member.clone();
            }
            if scale.is_none() {
                scale = prev.scale.clone();
            }
        } else {
            for c in &columns {
                if c.kind == ColumnKind::Period && c.period.is_none() && !c.header.is_empty() {
                    self.issues.push(ParseIssue {
                        span: c.span,
                        kind: ParseIssueKind::UndatedColumn,
                        message: format!(
                            "the column header \"{}\" names no period, so its figures are footed but tied to no period or statement",
                            c.header_text()
                        ),
                    });
                }
            }
        }
        if headerless && previous.is_none_or(|p| p.columns.len() != columns.len()) {
            for c in &mut columns {
                c.kind = ColumnKind::Other;
            }
        }
        let mut row_issues = Vec::new();
        let (rows, after_blank) = self.rows(body_start, r.end, &columns, &mut row_issues);
        self.issues.extend(row_issues);
        let head_span = if r.head < r.body {
            self.span_of_line(r.head)
        } else {
            self.span_of_line(r.body)
        };
        // Split into sub-tables.
        let mut out = Vec::new();
        let mut current: Vec<Row> = Vec::with_capacity(rows.len());
        let flush = |rows: Vec<Row>, out: &mut Vec<Table>, first: bool| {
            if !rows.iter().any(Row::has_values) {
                return;
            }
            let mut rows = rows;
            let mut t_title = if first { title.clone() } else { Vec::new() };
            if t_title.is_empty() && rows.first().is_some_and(|r| r.kind == RowKind::Heading) {
                let h = rows.remove(0);
                t_title.push(TextLine {
                    span: h.label_span,
                    text: h.label.to_string(),
                });
            }
            let start = if first { head_span } else { rows[0].span };
            let span = rows.iter().fold(start, |s, r| s.join(r.span));
            out.push(Table {
                span,
                title: t_title,
                scale: scale.clone(),
                // Filled in below, once the number of tables is known.
                columns: Vec::new(),
                rows,
                footnotes: Vec::new(),
            });
        };
        let mut first = true;
        // A headed section printed under a double rule and a blank line is a
        // table of its own (`Revenue by product line:` under a reconciliation).
        let mut prev_double = false;
        for (row, blank) in rows.into_iter().zip(after_blank) {
            let split_before =
                row.kind == RowKind::Heading && row.label.ends_with(':') && prev_double && blank;
            if split_before && current.iter().any(Row::has_values) {
                flush(std::mem::take(&mut current), &mut out, first);
                first = false;
            }
            let anonymous_total =
                row.has_values() && row.label.is_empty() && row.rule_above != RuleKind::None;
            prev_double = row.has_values() && row.rule_below == RuleKind::Double;
            current.push(row);
            if anonymous_total {
                flush(std::mem::take(&mut current), &mut out, first);
                first = false;
            }
        }
        flush(current, &mut out, first);
        // Every sub-table has the region's columns: clones for all but the
        // last, which takes them.
        if let Some((last, others)) = out.split_last_mut() {
            for t in others {
                t.columns = columns.clone();
            }
            last.columns = columns;
        }
        out
    }

    /// Stacks header pieces onto columns. Returns the columns and the stub
    /// texts (header text left of the columns, e.g. a scale note).
    fn stack_headers(
        &self,
        cols: &[(usize, usize)],
        header_lines: &[usize],
    ) -> (Vec<Column>, Vec<(usize, String)>) {
        let mut columns: Vec<Column> = cols.iter().map(|&extent| Column::at(extent)).collect();
        let col_start = cols.first().map_or(0, |c| c.0);
        // Widen each column to a rule segment that covers it alone.
        let mut widened: Vec<(usize, usize)> = cols.to_vec();
        for &k in header_lines {
            if let Kind::Rule(segs, _) = self.ls[k].kind {
                for &seg in self.lists.segments(segs) {
                    let mut hit = (0..cols.len()).filter(|&c| overlap(cols[c], seg) > 0);
                    if let (Some(c), None) = (hit.next(), hit.next()) {
                        widened[c] = (widened[c].0.min(seg.0), widened[c].1.max(seg.1));
                    }
                }
            }
        }
        let mut stub = Vec::new();
        // Per column, the header lines it took from a spanning piece (lone,
        // or reaching left of the columns) that is not over it (`Three
        // Months Ended` centred over the period columns, beside a `%`
        // column): settled once the column's own header is known.
        let mut outside: Vec<Vec<usize>> = vec![Vec::new(); columns.len()];
        // Figures are right-aligned, so a column's header may sit
        // anywhere from the previous column's end to its own: a
        // spanning piece centred over wide columns can end left of the
        // figures of its last column, nearer them than the next piece
        // starts.
        let mut regions: Vec<(usize, usize)> = widened
            .iter()
            .enumerate()
            .map(|(c, &w)| match c.checked_sub(1).map(|p| widened[p].1) {
                Some(prev) if prev < w.0 => (prev + 1, w.1),
                _ => w,
            })
            .collect();
        // The first column reaches as far left as the second is wide.
        if let [first, second, ..] = regions[..] {
            let pitch = second.1 - second.0;
            regions[0] = (first.0.min(first.1.saturating_sub(pitch)), first.1);
        }
        // The lists each header line and piece fill, kept from one to the
        // next.
        let (mut ranges, mut over, mut targets): (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) =
            Default::default();
        for (pos, &k) in header_lines.iter().enumerate() {
            let l = &self.ls[k];
            if matches!(l.kind, Kind::Rule(..)) {
                continue;
            }
            let pieces: Vec<Chunk> = chunks(l);
            // A rule directly below a text piece extends it to the segment
            // (a spanning header); the rule closing the header does not.
            let is_text = !matches!(l.kind, Kind::Rule(..));
            let below: &[(usize, usize)] = header_lines
                .get(pos + 1)
                .filter(|_| is_text && pos + 2 < header_lines.len())
                .and_then(|&b| match &self.ls[b].kind {
                    Kind::Rule(segs, _) => Some(self.lists.segments(*segs)),
                    _ => None,
                })
                .unwrap_or_default();
            ranges.clear();
            ranges.extend(pieces.iter().map(|piece| {
                let mut range = piece.cols;
                for &seg in below {
                    // A segment under several pieces (`2022    2021`
                    // over a rule across all columns) underlines none
                    // of them: the text below it is more header.
                    let under = pieces.iter().filter(|p| overlap(seg, p.cols) > 0).count();
                    if under == 1 && overlap(seg, range) > 0 && seg.1 - seg.0 > range.1 - range.0 {
                        range = (range.0.min(seg.0), range.1.max(seg.1));
                    }
                }
                range
            }));
            // A text line of several pieces over the columns (`Three Months
            // Ended   Nine Months Ended`, `(unaudited)  (unaudited)`) gives
            // each column the piece nearest to it.
            over.clear();
            over.extend((0..pieces.len()).filter(|&p| {
                ranges[p].1 > col_start.saturating_sub(1) && pieces[p].cols != (0, 0)
            }));
            let multi = is_text && over.len() >= 2;
            let nearest: Vec<Option<usize>> = regions
                .iter()
                .map(|&c| {
                    over.iter()
                        .map(|&p| {
                            let r = ranges[p];
                            let dist = if overlap(r, c) > 0 {
                                0
                            } else {
                                r.0.abs_diff(c.1).min(r.1.abs_diff(c.0))
                            };
                            (p, dist, usize::MAX - overlap(r, c))
                        })
                        .filter(|&(p, d, _)| d <= 4.max((ranges[p].1 - ranges[p].0) / 2))
                        .min_by_key(|&(_, d, o)| (d, o))
                        .map(|(p, _, _)| p)
                })
                .collect();
            let nearest = if multi {
                centre_runs(nearest, &regions, &ranges)
            } else {
                nearest
            };
            for (piece_index, piece) in pieces.into_iter().enumerate() {
                let range = ranges[piece_index];
                let in_stub = range.1 <= col_start.saturating_sub(1) || piece.cols == (0, 0);
                if in_stub {
                    stub.push((k, piece.text.to_string()));
                    continue;
                }
                let table_wide = range.0 + 4 < col_start;
                // A lone piece over the columns (`Three Months Ended`, `June
                // 30,`) is centred over all of them; a lone annotation such as
                // `(As Restated)` belongs to the columns it overlaps.
                let lone = is_text && over.len() == 1 && !piece.text.starts_with('(');
                // But a lone change or percent heading (`Increase` alone over
                // `Q3 2026   Q3 2025   (Decrease)`) heads the columns it is
                // over, as any other piece: were it over every column, none
                // would be a period column and nothing would be checked.
                let lone = lone && !multi && !table_wide;
                let lone_change = lone && column_period(piece.text).kind != ColumnKind::Period;
                let spanning = !multi && (table_wide || (lone && !lone_change));
                targets.clear();
                if multi {
                    targets.extend(
                        (0..columns.len())
                            .filter(|&c| nearest.get(c).copied().flatten() == Some(piece_index)),
                    );
                } else if spanning {
                    targets.extend(0..columns.len());
                } else {
                    let w = |c: (usize, usize)| c.1 - c.0;
                    targets.extend((0..columns.len()).filter(|&c| {
                        let o = overlap(widened[c], range);
                        o > 0 && o * 10 >= 3 * w(widened[c]).min(w(range)).max(1)
                    }));
                    if targets.is_empty() {
                        targets.extend((0..columns.len()).min_by_key(|&c| {
                            let mid = (widened[c].0 + widened[c].1) / 2;
                            mid.abs_diff((range.0 + range.1) / 2)
                        }));
                    }
                }
                let span = self.span_in_line(k, piece.start, piece.end);
                for &c in &targets {
                    if spanning && overlap(widened[c], range) == 0 {
                        outside[c].push(columns[c].header.len());
                    }
                    columns[c].header.push(TextLine {
                        span,
                        text: piece.text.to_string(),
                    });
                    columns[c].span = columns[c].span.join(span);
                }
            }
        }
        for (c, outside) in columns.iter_mut().zip(&outside) {
            // A spanning heading not over a column whose own header reads as a
            // change or percent heading is not its heading: `Three Months
            // Ended` centred over the period columns does not make the `%`
            // after them `Three Months Ended %` (a bare `%` after a change
            // column is its percentage). A change or percent column needs
            // no period; a period column keeps every lone heading, one
            // printed off centre as well.
            if !outside.is_empty() {
                let own = c
                    .header
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !outside.contains(i))
                    .map(|(_, t)| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                if !own.is_empty() && column_period(&own).kind != ColumnKind::Period {
                    let mut i = 0;
                    c.header.retain(|_| {
                        i += 1;
                        !outside.contains(&(i - 1))
                    });
                    c.span = c
                        .header
                        .iter()
                        .fold(Default::default(), |s: crate::span::Span, t| s.join(t.span));
                }
            }
            if c.header.is_empty() {
                continue;
            }
            let h = column_period(&c.header_text());
            c.kind = h.kind;
            c.period = h.period;
            c.annotations = h.annotations;
            c.member = h.member;
        }
        (columns, stub)
    }

    /// Rows of a body: wrapped labels joined, headings kept, rules noted,
    /// cells placed in their columns.
    /// Also returns, per row, whether a blank line preceded it.
    fn rows(
        &self,
        body: usize,
        end: usize,
        columns: &[Column],
        issues: &mut Vec<ParseIssue>,
    ) -> (Vec<Row>, Vec<bool>) {
        let extents: Vec<(usize, usize)> = columns.iter().map(|c| c.extent).collect();
        let mut rows: Vec<Row> = Vec::with_capacity(end - body);
        let mut after_blank: Vec<bool> = Vec::with_capacity(end - body);
        let mut blank = false;
        let mut pending: Vec<usize> = Vec::new();
        let mut pending_rule = RuleKind::None;
        for k in body..end {
            match &self.ls[k].kind {
                Kind::Blank | Kind::Tag(_) => {
                    self.flush_headings(&mut pending, &mut rows, &mut pending_rule);
                }
                Kind::Rule(_, double) => {
                    self.flush_headings(&mut pending, &mut rows, &mut pending_rule);
                    let kind = if *double {
                        RuleKind::Double
                    } else {
                        RuleKind::Single
                    };
                    if let Some(last) = rows.last_mut()
                        && last.rule_below == RuleKind::None
                        && pending_rule == RuleKind::None
                    {
                        last.rule_below = kind;
                    }
                    pending_rule = pending_rule.max(kind);
                }
                Kind::Text | Kind::YearRow => pending.push(k),
                Kind::Values(v) => {
                    let row = self.value_row(
                        k,
                        v,
                        &mut pending,
                        &mut rows,
                        &mut pending_rule,
                        &extents,
                        issues,
                    );
                    rows.push(row);
                }
            }
            // The first row made after a blank line remembers it.
            while after_blank.len() < rows.len() {
                after_blank.push(std::mem::take(&mut blank));
            }
            if matches!(self.ls[k].kind, Kind::Blank) {
                blank = true;
            }
        }
        self.flush_headings(&mut pending, &mut rows, &mut pending_rule);
        while after_blank.len() < rows.len() {
            after_blank.push(std::mem::take(&mut blank));
        }
        (rows, after_blank)
    }

    fn flush_headings(
        &self,
        pending: &mut Vec<usize>,
        rows: &mut Vec<Row>,
        pending_rule: &mut RuleKind,
    ) {
        for k in pending.drain(..) {
            let (label, markers) = split_markers(self.ls[k].text());
            let span = self.span_of_line(k);
            rows.push(Row {
                span,
                label,
                label_span: span,
                markers,
                indent: self.ls[k].indent(),
                kind: RowKind::Heading,
                rule_above: std::mem::take(pending_rule),
                rule_below: RuleKind::None,
                cells: Vec::new(),
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn value_row(
        &self,
        k: usize,
        v: &ValueLine,
        pending: &mut Vec<usize>,
        rows: &mut Vec<Row>,
        pending_rule: &mut RuleKind,
        extents: &[(usize, usize)],
        issues: &mut Vec<ParseIssue>,
    ) -> Row {
        let l = &self.ls[k];
        let own_label = &l.clean[v.label_start..v.label_start + v.label_len];
        let own_indent = if own_label.is_empty() {
            usize::MAX
        } else {
            l.line.col(v.label_start)
        };
        // Which pending text lines wrap onto this row's label.
        let mut wrap_from = pending.len();
        let mut next_indent = own_indent;
        let mut next_text: &str = own_label;
        for (idx, &p) in pending.iter().enumerate().rev() {
            let pl = &self.ls[p];
            let t = pl.text();
            let heading = t.ends_with(':') || (is_all_caps(t) && !is_all_caps(next_text));
            let dangling = ends_dangling(t);
            // A label wraps when its line dangles (`... and`, `... per`) or
            // the next line carries on in lowercase or with a parenthesis;
            // a capitalised line under it is a heading (`Current assets`).
            let continues = next_indent != usize::MAX
                && (dangling || next_text.starts_with(|c: char| c.is_lowercase() || c == '('));
            if heading || !continues || !matches!(pl.kind, Kind::Text) {
                break;
            }
            wrap_from = idx;
            next_indent = pl.indent();
            next_text = t;
        }
        let wrapped: Vec<usize> = pending.drain(wrap_from..).collect();
        self.flush_headings(pending, rows, pending_rule);
        // Most labels do not wrap: split the line's own label in place.
        let (label, markers) = if wrapped.is_empty() {
            split_markers(own_label)
        } else {
            let mut label_parts: Vec<&str> = wrapped.iter().map(|&p| self.ls[p].text()).collect();
            if !own_label.is_empty() {
                label_parts.push(own_label);
            }
            split_markers(&label_parts.join(" "))
        };
        let label_span = if own_label.is_empty() {
            match wrapped.last() {
                Some(&p) => self.span_of_line(p),
                None => self.span_in_line(k, 0, 0),
            }
        } else {
            self.span_in_line(k, v.label_start, v.label_start + v.label_len)
        };
        let mut cells: Vec<Option<Cell>> = vec![None; extents.len()];
        for c in self.lists.cells(v) {
            let ext = (l.line.col(c.digits.0), l.line.col(c.digits.1));
            let span = self.span_in_line(k, c.start, c.end);
            let ext = if c.percent {
                (ext.0, l.line.col(c.end))
            } else {
                ext
            };
            match column_of(extents, ext, if c.nil { 4 } else { 2 }) {
                Some(ci) if cells[ci].is_none() => {
                    if c.out_of_range {
                        issues.push(crate::parse::cell::out_of_range_issue(
                            span,
                            &l.clean[c.start..c.end],
                            &label,
                        ));
                    }
                    cells[ci] = Some(Cell {
                        basis_points: false,
                        out_of_range: c.out_of_range,
                        span,
                        value: c.value,
                        decimals: c.decimals,
                        currency: c.currency,
                        percent: c.percent,
                        nil: c.nil,
                    });
                }
                _ => issues.push(ParseIssue {
                    span,
                    kind: ParseIssueKind::UnalignedCell,
                    message: format!(
                        "the value {} in row \"{}\" does not line up with any column",
                        &l.clean[c.start..c.end],
                        label
                    ),
                }),
            }
        }
        if let Some((a, b)) = v.unread {
            // Its column, by the digits' extent as for any cell, holds a
            // figure of unknown value: it makes no fact and no total of
            // that column is checked over it.
            let digits = l.clean[a..b]
                .find(|c: char| c.is_ascii_digit())
                .zip(l.clean[a..b].rfind(|c: char| c.is_ascii_digit()));
            if let Some((d0, d1)) = digits {
                let ext = (l.line.col(a + d0), l.line.col(a + d1 + 1));
                if let Some(ci) = column_of(extents, ext, 2).filter(|&ci| cells[ci].is_none()) {
                    cells[ci] = Some(Cell {
                        basis_points: false,
                        out_of_range: true,
                        span: self.span_in_line(k, a, b),
                        value: rust_decimal::Decimal::ZERO,
                        decimals: 0,
                        currency: false,
                        percent: false,
                        nil: false,
                    });
                }
            }
            issues.push(ParseIssue {
                span: self.span_in_line(k, a, b),
                kind: ParseIssueKind::UnalignedCell,
                message: format!(
                    "the figure {} in row \"{}\" could not be read",
                    &l.clean[a..b],
                    label
                ),
            });
        }
        let first = wrapped.first().copied().unwrap_or(k);
        let indent = if let Some(&p) = wrapped.first() {
            self.ls[p].indent()
        } else if own_label.is_empty() {
            l.indent()
        } else {
            own_indent
        };
        let last_end = self.lists.cells(v).last().map_or(0, |c| c.end);
        let span = self
            .span_of_line(first)
            .join(self.span_in_line(k, 0, last_end));
        let span = crate::span::Span::range(
            if wrapped.is_empty() {
                self.span_in_line(k, v.label_start, v.label_start).offset
            } else {
                span.offset
            },
            span.end(),
        );
        Row {
            span,
            label,
            label_span,
            markers,
            indent,
            kind: RowKind::Values,
            rule_above: std::mem::take(pending_rule),
            rule_below: RuleKind::None,
            cells,
        }
    }
}

/// `Exhibit 99.1`: the exhibit's own label, never part of a table.
/// A line that only states the scale or `(Unaudited)`, printed as one piece
/// above the column headers (centred over a wide table, it reaches over the
/// first columns): part of the title, not a column header.
fn is_centred_note(l: &L<'_>) -> bool {
    let t = l.text();
    let unaudited = t
        .trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace())
        .eq_ignore_ascii_case("unaudited");
    (unaudited || (scale_of(t).is_some() && word_count(t) <= 8 && !l.is_period()))
        && chunks(l).len() == 1
}

fn is_exhibit_label(t: &str) -> bool {
    starts_with_ignore_ascii_case(t.as_bytes(), b"exhibit") && word_count(t) <= 3
}

fn is_all_caps(t: &str) -> bool {
    let mut letters = 0;
    for c in t.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 3
}

/// Words after which a label carries on to the next line.
const DANGLING_WORDS: [&str; 18] = [
    "and", "of", "or", "the", "per", "to", "for", "in", "before", "after", "from", "on", "&", "-",
    "a", "with", "by", "net",
];

fn ends_dangling(t: &str) -> bool {
    let last = t.split_whitespace().next_back().unwrap_or("");
    let count = |c: u8| crate::parse::source::count_byte(t.as_bytes(), c);
    DANGLING_WORDS.iter().any(|w| w.eq_ignore_ascii_case(last))
        || t.ends_with(',')
        || t.ends_with('(')
        || count(b'(') > count(b')')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `has_sentence_break` as first written, word by word.
    fn sentence_break_by_words(t: &str) -> bool {
        let mut words = t.split_whitespace().peekable();
        while let Some(a) = words.next() {
            if a.len() >= 5
                && a.ends_with('.')
                && a[..a.len() - 1].bytes().all(|c| c.is_ascii_lowercase())
                && words
                    .peek()
                    .is_some_and(|b| b.starts_with(|c: char| c.is_uppercase()))
            {
                return true;
            }
        }
        false
    }

    proptest! {
        #[test]
        fn sentence_breaks_match_the_word_by_word_reading(
            t in "([a-z]{1,6}|[A-Z]|\\.|,| |\u{a0}|\t|\u{c9}|\u{e9}|7){0,16}"
        ) {
            prop_assert_eq!(has_sentence_break(&t), sentence_break_by_words(&t));
        }
    }

    fn kind_of(line: &str) -> Kind {
        kind_and_lists(line).0
    }

    fn kind_and_lists(line: &str) -> (Kind, Lists) {
        let l = crate::parse::source::lines(line, 0).next().unwrap();
        let mut lists = Lists::default();
        (classify(l, false, &mut lists).kind, lists)
    }

    #[test]
    fn rule_lines_split_into_segments() {
        match kind_and_lists("    ----------------   =============\t__") {
            (Kind::Rule(segs, double), lists) => {
                assert_eq!(lists.segments(segs), [(4, 20), (23, 36), (40, 42)]);
                assert!(double);
            }
            _ => panic!("not a rule line"),
        }
        match kind_and_lists("  --------          --------   ") {
            (Kind::Rule(segs, double), lists) => {
                assert_eq!(lists.segments(segs), [(2, 10), (20, 28)]);
                assert!(!double);
            }
            _ => panic!("not a rule line"),
        }
        assert!(matches!(kind_of("----------------- x"), Kind::Text));
        assert!(matches!(kind_of("--"), Kind::Text | Kind::Values(_)));
    }

    #[test]
    fn sentence_breaks() {
        assert!(has_sentence_break("grew strongly. Revenue rose"));
        assert!(has_sentence_break("grew strongly.\u{a0}\u{c9}lan"));
        assert!(!has_sentence_break("Sept. 30, 2006"));
        assert!(!has_sentence_break("Kestrel Inc. The"));
        assert!(!has_sentence_break("rose sharply. revenue"));
        assert!(!has_sentence_break("ended."));
    }

    #[test]
    fn markers_split_off_labels() {
        assert_eq!(
            split_markers("development (b)"),
            ("development".into(), vec!["(b)".to_string()])
        );
        assert_eq!(
            split_markers("Three Months Ended(a)"),
            ("Three Months Ended".into(), vec!["(a)".to_string()])
        );
        assert_eq!(
            split_markers("Net loss (c)*"),
            ("Net loss".into(), vec!["(c)".to_string(), "*".to_string()])
        );
        assert_eq!(&*split_markers("Income (loss)").0, "Income (loss)");
    }

    #[test]
    fn prose_detection() {
        assert!(is_prose_line(
            "the safe harbors created under the Securities Act of 1933 and the Securities"
        ));
        assert!(!is_prose_line("Research and product"));
        assert!(!is_prose_line(
            "Unaudited Reconciliation of GAAP Net Income (Loss) to Adjusted EBITDA"
        ));
        assert!(!is_prose_line(
            "Unaudited Reconciliation of GAAP Net income (loss) to Adjusted EBITDA"
        ));
        assert!(!is_prose_line(
            "Condensed Consolidated Statements of Operations (Unaudited, in millions of dollars)"
        ));
        assert!(is_prose_line(
            "Revenue for the First Quarter of Fiscal 2026 rose sharply, and the Company"
        ));
        assert!(is_prose_line(
            "ZANT) today announced financial results for its fiscal first quarter, which"
        ));
        assert!(!is_prose_line(
            "(b) Amounts include stock-based compensation cost as follows:"
        ));
        // Five columns of dates are ten words, and a header.
        assert!(!is_prose_line(
            "April 30,       July 31,    October 31,    January 31,    January 31,"
        ));
        assert!(!is_prose_line(
            "Dec. 31,  Sept. 30,  June 30,  March 31,  Dec. 31,"
        ));
        assert!(is_prose_line(
            "Revenue was up in April, May and June, compared with July 31, August and more,"
        ));
    }

    /// A title naming periods without dating them is no column header; a
    /// header that starts left of the columns dates its periods.
    #[test]
    fn period_titles() {
        assert!(is_period_title("Quarterly Results of Operations"));
        assert!(is_period_title(
            "Condensed Consolidated Statements of Operations by Quarter"
        ));
        assert!(!is_period_title(
            "For the 13 Weeks Ended July 3, 2004 and June 28, 2003"
        ));
        assert!(!is_period_title("Three Months Ended"));
        assert!(!is_period_title("Year-over-Year Change"));
        assert!(!is_period_title("Fiscal Year"));
    }

    /// A quarterly trend table under a title that says `Quarterly`, its
    /// dates five to a line and `Three Months Ended` centred over four wide
    /// columns beside `Year Ended`: every column gets its own period.
    #[test]
    fn quarterly_trend_header() {
        let text = "\
                                                  Quarterly Results of Operations
                                                          (In thousands)

                                                                           Three Months Ended                          Year Ended
                                                          December           March            June       September       September
                                                               31,             31,             30,             30,             30,
                                                              2022            2023            2023            2023            2023
                                                     ------------------------------------------------------------------------------
Revenue:
  Product revenue                                          210,135         284,689          85,493         169,835         750,152
  Maintenance and support revenue                           83,478         274,758         273,577         284,977         916,790
                                                     ------------------------------------------------------------------------------
   Total revenue                                           293,613         559,447         359,070         454,812       1,666,942
Cost of revenues                                           108,636         212,589         122,083         163,732         607,040
";
        let doc = crate::parse::parse(text.as_bytes());
        let t = doc.exhibits[0].tables().next().expect("a table");
        assert_eq!(
            t.title_text(),
            "Quarterly Results of Operations / (In thousands)"
        );
        let periods: Vec<String> = t
            .columns
            .iter()
            .map(|c| c.period.map(|p| p.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(
            periods,
            [
                "3 months ended 2022-12-31",
                "3 months ended 2023-03-31",
                "3 months ended 2023-06-30",
                "3 months ended 2023-09-30",
                "12 months ended 2023-09-30"
            ]
        );
        assert!(t.columns.iter().all(|c| c.member.is_none()));
    }
}
