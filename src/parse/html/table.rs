//! An HTML `<table>` lowered into AST tables, or into prose and footnotes.
//!
//! ```text
//! grid     = rows of cells placed in slots (colspan/rowspan occupancy;
//!            hidden cells take their slots and show nothing)
//! piece    = the text of one visible, non-empty cell
//! figure   = ("$" | "(" | "$(")? piece-with-digits (")" | "%" | ")%")?
//!            across neighbouring pieces of a row, read by the cell grammar
//! columns  = slot ranges of the body's figures, overlapping ranges merged
//! header   = rows above the first row with a figure that is not a year,
//!            their pieces stacked onto the columns they overlap
//! row      = label pieces left of the first column, one figure per column
//! ```
//!
//! Rules between rows come from borders (a cell's `border-top`, the row
//! above's `border-bottom`, or an empty row that carries a border); a table
//! that boxes every cell draws no rules. Indentation is ranked per table.
//! A row without figures that states a scale starts a sub-table with that
//! scale (`(Shares in millions)` only sets the share scale); a row of
//! period headers under the body starts a sub-table with new columns.

use crate::ast::{
    Cell, Column, ColumnKind, ParseIssue, ParseIssueKind, Row, RowKind, RuleKind, ScaleLine, Table,
    TextLine,
};
use crate::parse::cell::{RawCell, is_mark, out_of_range_issue, parse_figure};
use crate::parse::period::column_period;
use crate::parse::phrases::{scale_of, split_markers};
use crate::parse::source::Source;
use crate::span::Span;

use super::text::MappedText;
use super::tree::{Tag, Tree};

/// Rows and slots beyond these are not read (a table of a release has a
/// few hundred rows and at most about a hundred slots).
const MAX_ROWS: usize = 20_000;
const MAX_SLOTS: usize = 2_000;

/// One cell of the grid.
#[derive(Debug)]
struct GridCell {
    slots: (usize, usize),
    text: MappedText,
    indent_pt: f32,
    border_top: RuleKind,
    border_bottom: RuleKind,
    boxed: bool,
}

/// What a piece of a row is, once read.
#[derive(Debug)]
enum Piece {
    Text,
    Figure(RawCell),
    /// A mark in a figure's place that is no figure: `nm` (not
    /// meaningful), `n/a`, `*`. Its cell stays empty.
    Mark,
}

/// A visible piece of a row with its slot range.
#[derive(Debug)]
struct RowPiece {
    slots: (usize, usize),
    text: MappedText,
    /// The printed text with the `$`, `(`, `)` or `%` of neighbouring
    /// cells joined to a figure; `None` when nothing was joined, and the
    /// printed text is the cell's own (see [`RowPiece::joined`]).
    joined: Option<String>,
    /// Span of the printed text (all the joined pieces).
    span: Span,
    kind: Piece,
    /// The figure was printed in basis points (`32 bps`).
    bps: bool,
    /// The first slot of the printed text: of the `$` cell joined to a
    /// figure, else `slots.0`.
    reach: usize,
}

impl RowPiece {
    /// The printed text, joined cells included.
    fn joined(&self) -> &str {
        self.joined
            .as_deref()
            .unwrap_or_else(|| self.text.trimmed().0)
    }
}

#[derive(Debug, Default)]
struct GridRow {
    cells: Vec<GridCell>,
    pieces: Vec<RowPiece>,
}

impl GridRow {
    fn figures(&self) -> impl Iterator<Item = (&RowPiece, &RawCell)> {
        self.pieces.iter().filter_map(|p| match &p.kind {
            Piece::Figure(f) => Some((p, f)),
            Piece::Text | Piece::Mark => None,
        })
    }

    fn is_data(&self) -> bool {
        self.figures().any(|(_, f)| !f.year_like)
    }

    fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }
}

/// What a table turned out to be.
pub enum Lowered {
    /// Financial tables (several when the scale or the header changes).
    Data(Vec<Table>),
    /// Footnotes (`(1)` / text rows), to attach to the table above; the
    /// same rows as prose for when no table is above.
    Footnotes(Vec<TextLine>, Vec<MappedText>),
    /// Prose laid out in a table (bullets, outlook ranges, contacts): one
    /// text per row.
    Prose(Vec<MappedText>),
}

/// Context the flow gives a table: title lines and a scale from the
/// paragraphs just above it, and the previous data table's columns.
pub struct Context<'a> {
    pub title: Vec<TextLine>,
    pub scale: Option<ScaleLine>,
    pub previous: Option<&'a Table>,
}

/// Lowers table node `id`.
pub fn lower(
    tree: &Tree,
    id: u32,
    src: &Source<'_>,
    ctx: Context<'_>,
    issues: &mut Vec<ParseIssue>,
) -> Lowered {
    let (mut rows, cut) = grid(tree, id, src);
    if let Some((node, what)) = cut {
        let (a, b) = tree.node(node).range;
        issues.push(ParseIssue {
            span: src.span(a, b),
            kind: ParseIssueKind::TooLarge,
            message: format!(
                "the table has more {what} than tieout reads ({MAX_ROWS} rows, {MAX_SLOTS} \
                 columns); the {what} from here on were not read"
            ),
        });
    }
    for r in &mut rows {
        r.pieces = pieces(&mut r.cells);
    }
    let Some(first_data) = rows.iter().position(GridRow::is_data) else {
        return prose_or_footnotes(rows);
    };
    if is_footnote_list(&rows) {
        return prose_or_footnotes(rows);
    }
    let figure_count: usize = rows.iter().map(|r| r.figures().count()).sum();
    let labelled = rows[first_data..]
        .iter()
        .filter(|r| r.is_data())
        .any(|r| matches!(r.pieces.first().map(|p| &p.kind), Some(Piece::Text)));
    if figure_count < 2 || !labelled && figure_count < 4 {
        return prose_or_footnotes(rows);
    }
    if looks_like_prose(&rows) {
        return prose_or_footnotes(rows);
    }
    let groups = column_groups(&rows[first_data..]);
    if groups.is_empty() {
        return prose_or_footnotes(rows);
    }
    Lowered::Data(build(rows, first_data, &groups, ctx, issues))
}

/// Rows of mostly sentences: a figure or two inside prose cells.
fn looks_like_prose(rows: &[GridRow]) -> bool {
    let (mut words, mut figures) = (0, 0);
    for r in rows {
        for p in &r.pieces {
            match p.kind {
                Piece::Text => words += crate::parse::source::word_count(&p.text.text),
                Piece::Figure(_) | Piece::Mark => figures += 1,
            }
        }
    }
    words > 40 * figures.max(1)
}

/// Reads the rows of table `id` into the grid: cells placed in slots.
/// The grid of table `id`, and where it was cut when the table is larger
/// than [`MAX_ROWS`] rows or [`MAX_SLOTS`] columns (the first row or cell
/// left out, and which of the two).
fn grid(tree: &Tree, id: u32, src: &Source<'_>) -> (Vec<GridRow>, Option<(u32, &'static str)>) {
    let mut cut = None;
    let mut trs = Vec::new();
    // Rows of this table only: sections are walked into, nested tables not.
    let mut todo: Vec<u32> = tree.children(id).rev().collect();
    while let Some(n) = todo.pop() {
        let node = tree.node(n);
        match node.tag {
            Tag::Tr => trs.push(n),
            Tag::Section => todo.extend(tree.children(n).rev()),
            _ => {}
        }
        if trs.len() > MAX_ROWS {
            cut = trs.pop().map(|tr| (tr, "rows"));
            break;
        }
    }
    let mut busy: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(trs.len());
    for (ri, &tr) in trs.iter().enumerate() {
        let row_style = tree.node(tr).style;
        let mut row = GridRow::default();
        let mut slot = 0;
        for td in tree.children(tr) {
            let node = tree.node(td);
            if node.tag != Tag::Td {
                continue;
            }
            while busy.get(slot).is_some_and(|&until| until > ri) {
                slot += 1;
            }
            let span = node.colspan as usize;
            if slot + span > MAX_SLOTS {
                cut = cut.or(Some((td, "columns")));
                break;
            }
            let end = slot + span;
            if node.rowspan > 1 {
                if busy.len() < end {
                    busy.resize(end, 0);
                }
                for b in &mut busy[slot..end] {
                    *b = ri + node.rowspan as usize;
                }
            }
            let mut cell = cell_of(tree, td, src, &mut todo);
            cell.slots = (slot, end);
            cell.border_top = cell.border_top.max(row_style.border_top);
            cell.border_bottom = cell.border_bottom.max(row_style.border_bottom);
            row.cells.push(cell);
            slot = end;
        }
        out.push(row);
    }
    (out, cut)
}

/// A cell's visible text and the styles of the cell and what it holds.
/// `todo` is scratch space, kept from one cell to the next.
fn cell_of(tree: &Tree, id: u32, src: &Source<'_>, todo: &mut Vec<u32>) -> GridCell {
    let node = tree.node(id);
    let mut cell = GridCell {
        slots: (0, 0),
        text: MappedText::default(),
        indent_pt: node.style.indent_pt,
        border_top: node.style.border_top,
        border_bottom: node.style.border_bottom,
        boxed: node.style.border_side,
    };
    if node.style.hidden {
        return cell;
    }
    let mut first_block_indent = None;
    // Depth-first, skipping hidden subtrees and superscripts (footnote
    // markers set by position run into the label otherwise).
    todo.clear();
    todo.extend(tree.children(id).rev());
    while let Some(n) = todo.pop() {
        let child = tree.node(n);
        if child.style.hidden || child.tag == Tag::Skip {
            continue;
        }
        match child.tag {
            Tag::Text => cell.text.push_node(src, tree.text(n), child.range),
            Tag::Br => cell.text.space(),
            Tag::Sup => continue,
            _ if child.style.superscript => continue,
            tag => {
                if tag.is_block() {
                    cell.text.space();
                    // The indent of the block the text starts in: a
                    // spacer paragraph above the label sets none.
                    if cell.text.is_empty() {
                        first_block_indent = Some(child.style.indent_pt);
                    }
                }
                cell.border_top = cell.border_top.max(child.style.border_top);
                cell.border_bottom = cell.border_bottom.max(child.style.border_bottom);
                todo.extend(tree.children(n).rev());
            }
        }
    }
    // A no-break space is about a quarter of an em of 10 points.
    cell.indent_pt += first_block_indent.unwrap_or(0.0) + cell.text.lead_nbsp as f32 * 2.5;
    cell
}

/// A `$` or `(` printed in a cell of its own, before its figure.
fn is_prefix(t: &str) -> bool {
    matches!(t, "$" | "(" | "$(" | "($" | "$ (" | "US$")
}

/// A `)` or `%` printed in a cell of its own, after its figure.
fn is_suffix(t: &str) -> bool {
    matches!(t, ")" | "%" | ")%" | "%)" | ") %")
}

/// The unit words of a basis-point figure, any case: the text before them.
fn bps_suffix(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    ["basis points", "bps", "bp"]
        .iter()
        .find(|s| b.len() >= s.len() && b[b.len() - s.len()..].eq_ignore_ascii_case(s.as_bytes()))
        // The words are ASCII: what matched them is too, and ends at a
        // character boundary.
        .map(|s| t[..t.len() - s.len()].trim_end())
}

/// What a piece's joined text is: a figure (perhaps in basis points), a
/// mark, or text.
fn piece_kind(joined: &str) -> (Piece, bool) {
    if let Some(f) = parse_figure(joined) {
        return (Piece::Figure(f), false);
    }
    if let Some(f) = bps_suffix(joined).and_then(parse_figure)
        && !f.percent
        && !f.currency
        && !f.nil
    {
        return (Piece::Figure(f), true);
    }
    if is_mark(joined) {
        return (Piece::Mark, false);
    }
    (Piece::Text, false)
}

/// The visible pieces of a row, figures joined across cells: a `$` or `(`
/// alone joins the next piece, a `)` or `%` alone the previous one, and
/// the figure's span is the union of the pieces. A piece takes the text of
/// the cell it starts at (the cells' texts are not read again).
fn pieces(cells: &mut [GridCell]) -> Vec<RowPiece> {
    let mut out: Vec<RowPiece> = Vec::new();
    let mut prefix: Option<(String, Span, usize)> = None;
    for c in cells.iter_mut() {
        let (t, lead) = c.text.trimmed();
        if t.is_empty() {
            continue;
        }
        let own = c.text.span(lead, lead + t.len());
        if is_prefix(t) {
            prefix = Some(match prefix.take() {
                Some((s, sp, from)) => (s + t, sp.join(own), from),
                None => (t.to_string(), own, c.slots.0),
            });
            continue;
        }
        if prefix.is_none()
            && let Some(last) = out.last_mut()
            && (is_suffix(t)
                || (bps_suffix(t).is_some_and(str::is_empty)
                    && matches!(last.kind, Piece::Figure(_))))
        {
            let joined = if is_suffix(t) {
                format!("{}{t}", last.joined())
            } else {
                format!("{} {t}", last.joined())
            };
            if let (Piece::Figure(f), bps) = piece_kind(&joined) {
                last.kind = Piece::Figure(f);
                last.bps = bps;
                last.joined = Some(joined);
                last.span = last.span.join(own);
                continue;
            }
        }
        // A cell printed alone keeps its own text: it is not copied.
        let (joined, span, reach) = match prefix.take() {
            Some((pre, sp, from)) => (Some(pre + t), sp.join(own), from),
            None => (None, own, c.slots.0),
        };
        let (kind, bps) = piece_kind(joined.as_deref().unwrap_or(t));
        out.push(RowPiece {
            slots: c.slots,
            // Nothing reads a cell's text once its row is in pieces: it
            // moves to its piece rather than being copied.
            text: std::mem::take(&mut c.text),
            joined,
            span,
            kind,
            bps,
            reach,
        });
    }
    out
}

/// Column slot ranges: the slots of the body's figures, overlapping ranges
/// merged. Figures spanning many slots do not set columns.
fn column_groups(rows: &[GridRow]) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = rows
        .iter()
        .flat_map(|r| r.figures())
        .filter(|(p, _)| p.slots.1 - p.slots.0 <= 4)
        .map(|(p, _)| p.slots)
        .collect();
    // Figures in the label position (a row's first piece) do not make a
    // column unless other rows put figures there too.
    ranges.sort_unstable();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match groups.last_mut() {
            Some(g) if s < g.1 => g.1 = g.1.max(e),
            _ => groups.push((s, e)),
        }
    }
    groups
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// The column a figure at `slots` belongs to: the group holding its last
/// slot, else the one it overlaps.
fn column_of(groups: &[(usize, usize)], slots: (usize, usize)) -> Option<usize> {
    let last = slots.1.saturating_sub(1);
    groups
        .iter()
        .position(|g| g.0 <= last && last < g.1)
        .or_else(|| groups.iter().position(|&g| overlaps(g, slots)))
}

/// The first slot each column reaches: its figures' and the `$` cells
/// printed with them.
fn reaches(rows: &[GridRow], groups: &[(usize, usize)]) -> Vec<usize> {
    // One pass over the figures, each placed in its column once.
    let mut reach: Vec<usize> = groups.iter().map(|g| g.0).collect();
    for (p, _) in rows.iter().flat_map(|r| r.figures()) {
        if let Some(first) = column_of(groups, p.slots).and_then(|i| reach.get_mut(i)) {
            *first = (*first).min(p.reach);
        }
    }
    reach
}

/// The column a figure belongs to ([`column_of`]); else the one column whose
/// reach (its `$` cells) it overlaps: a figure printed a few slots left of
/// its column's digits, under the column's `$` (Workiva's share counts
/// under a `$ | 11.15` column).
fn column_reached(
    groups: &[(usize, usize)],
    reach: &[usize],
    slots: (usize, usize),
) -> Option<usize> {
    column_of(groups, slots).or_else(|| {
        let mut hit = groups
            .iter()
            .zip(reach)
            .enumerate()
            .filter(|(_, (g, r))| overlaps((**r, g.1), slots))
            .map(|(i, _)| i);
        match (hit.next(), hit.next()) {
            (Some(i), None) => Some(i),
            _ => None,
        }
    })
}

/// A row's role once the columns are known.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    /// Text over the columns (period headers), or a row of years.
    Header,
    /// Text only left of the columns.
    LabelOnly,
    /// Figures.
    Data,
    Empty,
}

fn role(r: &GridRow, groups: &[(usize, usize)]) -> Role {
    if r.is_empty() {
        return Role::Empty;
    }
    if r.is_data() {
        return Role::Data;
    }
    let first = groups[0].0;
    // A heading cell that starts in the label column and spans the table
    // (`<td colspan=4>Revenues:</td>`) is a heading, not a column header.
    let spanning_heading = match r.pieces.as_slice() {
        [p] => {
            let t = p.text.text.trim();
            p.slots.0 < first && t.ends_with(':') && !t.bytes().any(|b| b.is_ascii_digit())
        }
        _ => false,
    };
    if !spanning_heading && r.pieces.iter().any(|p| p.slots.1 > first) {
        Role::Header
    } else {
        Role::LabelOnly
    }
}

/// Builds the AST tables: header blocks, body rows, sub-tables.
fn build(
    rows: Vec<GridRow>,
    first_data: usize,
    groups: &[(usize, usize)],
    ctx: Context<'_>,
    issues: &mut Vec<ParseIssue>,
) -> Vec<Table> {
    let roles: Vec<Role> = rows.iter().map(|r| role(r, groups)).collect();
    let reach = reaches(&rows, groups);
    let boxed = {
        let data_cells: Vec<&GridCell> = rows
            .iter()
            .flat_map(|r| r.cells.iter())
            .filter(|c| c.slots.0 >= groups[0].0)
            .collect();
        let n = data_cells.len().max(1);
        data_cells
            .iter()
            .filter(|c| c.boxed && c.border_top != RuleKind::None)
            .count()
            * 5
            >= n * 4
    };
    // Rules drawn between grid rows, from the cells over the columns.
    let rule_of = |r: &GridRow, top: bool| -> RuleKind {
        if boxed {
            return RuleKind::None;
        }
        r.cells
            .iter()
            .filter(|c| groups.iter().any(|&g| overlaps(g, c.slots)))
            .map(|c| if top { c.border_top } else { c.border_bottom })
            .max()
            .unwrap_or_default()
    };

    let mut tables: Vec<Table> = Vec::new();
    let mut title = ctx.title;
    let mut scale = ctx.scale;
    let mut header_rows: Vec<usize> = Vec::new();
    let mut body: Vec<Row> = Vec::new();
    // The rule between the last row pushed and the next one.
    let mut pending_rule = RuleKind::None;
    let mut in_header = true;
    let mut columns: Vec<Column> = Vec::new();
    let mut indents: Vec<f32> = Vec::new();

    let flush = |body: &mut Vec<Row>,
                 columns: &[Column],
                 title: &mut Vec<TextLine>,
                 scale: &Option<ScaleLine>,
                 indents: &mut Vec<f32>,
                 tables: &mut Vec<Table>| {
        if !body.iter().any(Row::has_values) {
            body.clear();
            indents.clear();
            return;
        }
        let mut rows = std::mem::take(body);
        rank_indents(&mut rows, indents);
        indents.clear();
        let span = rows
            .iter()
            .map(|r| r.span)
            .chain(columns.iter().map(|c| c.span).filter(|s| s.len > 0))
            .reduce(Span::join)
            .unwrap_or_default();
        tables.push(Table {
            span,
            title: std::mem::take(title),
            scale: scale.clone(),
            columns: columns.to_vec(),
            rows,
            footnotes: Vec::new(),
        });
    };

    for (ri, row) in rows.iter().enumerate() {
        let r = roles[ri];
        let top = rule_of(row, true);
        let bottom = rule_of(row, false);
        match r {
            Role::Empty => {
                if !in_header {
                    let rule = top.max(bottom);
                    pending_rule = pending_rule.max(carried(body.last(), rule));
                    if let Some(last) = body.last_mut()
                        && last.rule_below == RuleKind::None
                    {
                        last.rule_below = rule;
                    }
                }
                continue;
            }
            Role::Header if ri < first_data || !in_header && header_like(row, groups) => {
                if !in_header {
                    // A new header under a body: a sub-table with its own
                    // columns.
                    flush(
                        &mut body,
                        &columns,
                        &mut title,
                        &scale,
                        &mut indents,
                        &mut tables,
                    );
                    // A banner over the whole table (`CONSTRUCTION
                    // INDUSTRIES`) heads its sub-tables too.
                    header_rows.retain(|&h| banner(&rows[h], groups));
                    in_header = true;
                }
                header_rows.push(ri);
                continue;
            }
            Role::LabelOnly if in_header && ri < first_data && body.is_empty() => {
                // Above or beside the header: the corner text (scale,
                // title, `(Unaudited)`).
                let text = row
                    .pieces
                    .iter()
                    .map(|p| p.text.text.as_str())
                    .collect::<Vec<_>>();
                let text = text.join(" ");
                if let Some(mut s) = scale_of(&text) {
                    s.span = row.pieces[0].span;
                    scale = Some(s);
                } else if header_rows.is_empty() {
                    title.push(TextLine {
                        span: row.pieces[0].text.whole_span(),
                        text,
                    });
                } else {
                    // A heading right under the header: the body starts.
                    if in_header {
                        columns = header_columns(&rows, &header_rows, groups, &mut scale, issues);
                        inherit(&mut columns, &header_rows, ctx.previous, &mut scale);
                        in_header = false;
                        pending_rule = RuleKind::None;
                    }
                    body.push(heading_row(row));
                    indents.push(label_indent(row, groups));
                }
                continue;
            }
            _ => {}
        }
        if in_header {
            columns = header_columns(&rows, &header_rows, groups, &mut scale, issues);
            inherit(&mut columns, &header_rows, ctx.previous, &mut scale);
            in_header = false;
            pending_rule = RuleKind::None;
        } else {
            pending_rule = pending_rule.max(top);
        }
        if r != Role::Data {
            // A row of text only: a heading, or a scale change.
            let text: String = label_text(row, groups);
            if let Some(s) = scale_of(&text).filter(|_| text.len() < 80) {
                let lower = text.to_ascii_lowercase();
                if lower.contains("share") && !lower.contains("except") {
                    if let Some(cur) = scale.as_mut() {
                        cur.shares_scale = Some(s.scale);
                    } else {
                        scale = Some(ScaleLine {
                            shares_scale: Some(s.scale),
                            ..s
                        });
                    }
                } else if scale.as_ref().is_none_or(|c| c.scale != s.scale) {
                    flush(
                        &mut body,
                        &columns,
                        &mut title,
                        &scale,
                        &mut indents,
                        &mut tables,
                    );
                    let mut s = s;
                    s.span = row.pieces[0].span;
                    scale = Some(s);
                }
                continue;
            }
            let mut h = heading_row(row);
            h.rule_above = std::mem::take(&mut pending_rule);
            if let Some(last) = body.last_mut()
                && last.rule_below == RuleKind::None
            {
                last.rule_below = h.rule_above;
            }
            body.push(h);
            indents.push(label_indent(row, groups));
            pending_rule = carried(body.last(), bottom);
            continue;
        }
        let mut v = value_row(row, groups, &reach, columns.len(), issues);
        v.rule_above = std::mem::take(&mut pending_rule);
        if let Some(last) = body.last_mut()
            && last.rule_below == RuleKind::None
        {
            last.rule_below = v.rule_above;
        }
        body.push(v);
        if let Some(last) = body.last_mut() {
            last.rule_below = last.rule_below.max(bottom);
        }
        pending_rule = carried(body.last(), bottom);
        indents.push(label_indent(row, groups));
    }
    if let Some(last) = body.last_mut()
        && last.rule_below == RuleKind::None
    {
        last.rule_below = pending_rule;
    }
    flush(
        &mut body,
        &columns,
        &mut title,
        &scale,
        &mut indents,
        &mut tables,
    );
    tables
}

/// The rule a border under row `above` draws above the next row. Under a
/// total (a row ruled above or labelled `Total`) a single border closes
/// that total, as a rule under a subtotal does; under any other row it is
/// the rule a total is printed under.
fn carried(above: Option<&Row>, rule: RuleKind) -> RuleKind {
    let closes = above.is_some_and(|r| {
        r.has_values()
            && (r.rule_above != RuleKind::None || r.label.to_ascii_lowercase().starts_with("total"))
    });
    if closes && rule == RuleKind::Single {
        RuleKind::None
    } else {
        rule
    }
}

/// A header row that is one text over every column and names no period
/// (a segment's name or a caption over the whole table).
fn banner(row: &GridRow, groups: &[(usize, usize)]) -> bool {
    let over: Vec<&RowPiece> = row
        .pieces
        .iter()
        .filter(|p| p.slots.1 > groups[0].0)
        .collect();
    let (Some(first), Some(last)) = (groups.first(), groups.last()) else {
        return false;
    };
    match over.as_slice() {
        [p] => {
            p.slots.0 <= first.0
                && p.slots.1 >= last.1
                && !crate::parse::period::is_period_text(&p.text.text)
        }
        _ => false,
    }
}

/// A row under the body that reads as column headers: no figures, text
/// over the columns that names a period or a change.
fn header_like(row: &GridRow, groups: &[(usize, usize)]) -> bool {
    let text: Vec<&str> = row
        .pieces
        .iter()
        .filter(|p| p.slots.1 > groups[0].0)
        .map(|p| p.text.text.as_str())
        .collect();
    !text.is_empty() && text.iter().any(|t| crate::parse::period::is_period_text(t))
}

/// A headerless table takes the columns of the data table above it when
/// they are as many (a reconciliation printed under its statement).
fn inherit(
    columns: &mut [Column],
    header_rows: &[usize],
    previous: Option<&Table>,
    scale: &mut Option<ScaleLine>,
) {
    if !header_rows.is_empty() {
        return;
    }
    match previous {
        Some(prev) if prev.columns.len() == columns.len() => {
            for (c, p) in columns.iter_mut().zip(&prev.columns) {
                c.kind = p.kind;
                c.period = p.period;
                c.annotations = p.annotations.clone();
                c.member = p.member.clone();
            }
            if scale.is_none() {
                *scale = prev.scale.clone();
            }
        }
        _ => {
            for c in columns {
                c.kind = ColumnKind::Other;
            }
        }
    }
}

/// The columns with their stacked headers.
fn header_columns(
    rows: &[GridRow],
    header_rows: &[usize],
    groups: &[(usize, usize)],
    scale: &mut Option<ScaleLine>,
    issues: &mut Vec<ParseIssue>,
) -> Vec<Column> {
    let mut columns: Vec<Column> = groups.iter().map(|&g| Column::at(g)).collect();
    // A header over the `$` but not over the digits (a ragged header row,
    // `High` over slots 21 to 29 and `$ | 11.15` in 27 to 31) is still
    // that column's, when it heads no other column.
    let reach = reaches(rows, groups);
    for &ri in header_rows {
        for p in &rows[ri].pieces {
            let (t, lead) = p.text.trimmed();
            if p.slots.1 <= groups[0].0 {
                // The corner: the scale, split over several text nodes.
                if scale.is_none()
                    && let Some(mut s) = scale_of(t)
                {
                    s.span = p.text.span(lead, lead + t.len());
                    *scale = Some(s);
                }
                continue;
            }
            let line = TextLine {
                span: p.text.span(lead, lead + t.len()),
                text: t.to_string(),
            };
            let mut headed = false;
            for (c, &g) in columns.iter_mut().zip(groups) {
                if overlaps(g, p.slots) {
                    c.header.push(line.clone());
                    headed = true;
                }
            }
            if !headed
                && let [i] = groups
                    .iter()
                    .enumerate()
                    .filter(|&(i, &g)| overlaps((reach[i], g.1), p.slots))
                    .map(|(i, _)| i)
                    .collect::<Vec<_>>()[..]
                && !rows[ri]
                    .pieces
                    .iter()
                    .any(|q| !std::ptr::eq(q, p) && overlaps(groups[i], q.slots))
            {
                columns[i].header.push(line.clone());
            }
        }
    }
    // A banner over the table heads the columns the rows under it head; a
    // column those leave blank has no header of its own.
    let banner_rows: Vec<usize> = header_rows
        .iter()
        .copied()
        .filter(|&ri| banner(&rows[ri], groups))
        .collect();
    if !banner_rows.is_empty() && banner_rows.len() < header_rows.len() {
        let banners: Vec<Span> = banner_rows
            .iter()
            .flat_map(|&ri| rows[ri].pieces.iter().map(|p| p.text.whole_span()))
            .collect();
        let inside = |h: Span| {
            banners
                .iter()
                .any(|b| b.offset <= h.offset && h.offset + h.len <= b.offset + b.len)
        };
        for c in &mut columns {
            if c.header.iter().all(|h| inside(h.span)) {
                c.header.clear();
            }
        }
    }
    for c in &mut columns {
        if c.header.is_empty() {
            continue;
        }
        c.span = c
            .header
            .iter()
            .map(|h| h.span)
            .reduce(Span::join)
            .unwrap_or_default();
        let h = column_period(&c.header_text());
        c.kind = h.kind;
        c.period = h.period;
        c.annotations = h.annotations;
        c.member = h.member;
    }
    borrow_month_and_day(&mut columns);
    for c in &columns {
        if c.kind == ColumnKind::Period && c.period.is_none() && !c.header.is_empty() {
            issues.push(ParseIssue {
                span: c.span,
                kind: ParseIssueKind::UndatedColumn,
                message: format!("the column header \"{}\" names no period, so its figures are footed but tied to no period or statement", c.header_text()),
            });
        }
    }
    columns
}

/// A column that prints only its year (`2025`) beside one that prints the
/// whole date (`March 31,<br>2026`) under the same spanning header: the date
/// is printed once, and the year column takes its month and day, as a reader
/// does. Only a bare year borrows, and only from the nearest dated column.
fn borrow_month_and_day(columns: &mut [Column]) {
    let bare_year = |c: &Column| -> Option<String> {
        let last = c.header.last()?.text.trim();
        (last.len() == 4
            && last.bytes().all(|b| b.is_ascii_digit())
            && matches!(&last[..2], "19" | "20"))
        .then(|| last.to_string())
    };
    for i in 0..columns.len() {
        let c = &columns[i];
        if c.kind != ColumnKind::Period || c.period.is_some() {
            continue;
        }
        let Some(year) = bare_year(c) else { continue };
        let donor = (0..columns.len())
            .filter(|&j| j != i && columns[j].period.is_some())
            .min_by_key(|&j| (j.abs_diff(i), j > i));
        let Some(d) = donor else { continue };
        let text = columns[d].header_text();
        let Some(at) = text
            .char_indices()
            .rev()
            .find(|&(k, _)| {
                text.get(k..k + 4)
                    .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()) && y != year)
            })
            .map(|(k, _)| k)
        else {
            continue;
        };
        let borrowed = format!("{}{}{}", &text[..at], year, &text[at + 4..]);
        let own: Vec<&str> = columns[i].header.iter().map(|h| h.text.as_str()).collect();
        // The rest of the year column's header must be the donor's too
        // (the spanning `Three Months Ended`).
        if !own[..own.len() - 1].iter().all(|l| text.contains(l)) {
            continue;
        }
        let h = column_period(&borrowed);
        if h.period.is_some() && h.kind == ColumnKind::Period {
            let c = &mut columns[i];
            c.period = h.period;
            c.annotations = h.annotations;
        }
    }
}

/// The label text of a row: its pieces left of the first column.
fn label_text(row: &GridRow, groups: &[(usize, usize)]) -> String {
    label_pieces(row, groups)
        .map(|p| p.text.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The pieces of a row's label: text that starts left of the first column.
fn label_pieces<'a>(
    row: &'a GridRow,
    groups: &'a [(usize, usize)],
) -> impl Iterator<Item = &'a RowPiece> {
    let first = groups[0].0;
    row.pieces
        .iter()
        .filter(move |p| matches!(p.kind, Piece::Text) && p.slots.0 < first)
}

fn label_indent(row: &GridRow, groups: &[(usize, usize)]) -> f32 {
    let first = label_pieces(row, groups).next();
    match first {
        Some(p) => row
            .cells
            .iter()
            .find(|c| c.slots == p.slots)
            .map_or(0.0, |c| c.indent_pt),
        None => 0.0,
    }
}

fn label_of(row: &GridRow, groups: &[(usize, usize)]) -> (std::sync::Arc<str>, Vec<String>, Span) {
    let text = label_text(row, groups);
    let span = label_pieces(row, groups)
        .map(|p| {
            let (t, lead) = p.text.trimmed();
            p.text.span(lead, lead + t.len())
        })
        .reduce(Span::join)
        .unwrap_or_default();
    let (label, markers) = split_markers(&text);
    (label, markers, span)
}

fn heading_row(row: &GridRow) -> Row {
    let text = row
        .pieces
        .iter()
        .map(|p| p.text.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let span = row
        .pieces
        .iter()
        .map(|p| {
            let (t, lead) = p.text.trimmed();
            p.text.span(lead, lead + t.len())
        })
        .reduce(Span::join)
        .unwrap_or_default();
    let (label, markers) = split_markers(&text);
    Row {
        span,
        label,
        label_span: span,
        markers,
        indent: 0,
        kind: RowKind::Heading,
        rule_above: RuleKind::None,
        rule_below: RuleKind::None,
        cells: Vec::new(),
    }
}

fn value_row(
    row: &GridRow,
    groups: &[(usize, usize)],
    reach: &[usize],
    ncols: usize,
    issues: &mut Vec<ParseIssue>,
) -> Row {
    let (label, markers, label_span) = label_of(row, groups);
    let mut cells: Vec<Option<Cell>> = vec![None; ncols];
    let mut span = label_span;
    for (p, f) in row.figures() {
        let cell = Cell {
            span: p.span,
            value: f.value,
            decimals: f.decimals,
            currency: f.currency,
            percent: f.percent,
            nil: f.nil,
            basis_points: p.bps,
            out_of_range: f.out_of_range,
        };
        if f.out_of_range {
            issues.push(out_of_range_issue(p.span, p.joined(), &label));
        }
        span = if span.len == 0 {
            p.span
        } else {
            span.join(p.span)
        };
        match column_reached(groups, reach, p.slots) {
            Some(c) if c < ncols && cells[c].is_none() => cells[c] = Some(cell),
            _ => issues.push(ParseIssue {
                span: p.span,
                kind: ParseIssueKind::UnalignedCell,
                message: format!(
                    "the value {} in row \"{}\" does not line up with any column",
                    p.joined(),
                    label
                ),
            }),
        }
    }
    Row {
        span,
        label,
        label_span,
        markers,
        indent: 0,
        kind: RowKind::Values,
        rule_above: RuleKind::None,
        rule_below: RuleKind::None,
        cells,
    }
}

/// Indentation ranked per table: the distinct indents, smallest first,
/// become 0, 2, 4 ... display columns.
fn rank_indents(rows: &mut [Row], indents: &[f32]) {
    let mut distinct: Vec<i32> = indents.iter().map(|&x| (x * 2.0).round() as i32).collect();
    distinct.sort_unstable();
    distinct.dedup();
    for (r, &x) in rows.iter_mut().zip(indents) {
        let key = (x * 2.0).round() as i32;
        r.indent = 2 * distinct.partition_point(|&d| d < key);
    }
}

/// Footnote marker (`(1)`, `(a)`, `*`, `†`) or bullet (`●`, `•`, `-`).
fn marker_kind(t: &str) -> Option<bool> {
    let t = t.trim();
    let footnote = (t.starts_with('(') && t.ends_with(')') && (3..=4).contains(&t.len()))
        || (!t.is_empty() && t.len() <= 3 && t.chars().all(|c| c == '*' || c == '†' || c == '‡'))
        || (t.len() <= 2 && t.chars().all(|c| c.is_ascii_digit()));
    if footnote {
        return Some(true);
    }
    let bullet = matches!(
        t,
        "●" | "•" | "·" | "▪" | "■" | "-" | "–" | "—" | "o" | "◦" | "Ø" | "§"
    );
    bullet.then_some(false)
}

/// Rows of a marker and its text only (`1` | `Elimination of Financial
/// Products' revenues ...`): footnotes, even when the markers are bare
/// numbers that read as figures.
fn is_footnote_list(rows: &[GridRow]) -> bool {
    let mut rows = rows.iter().filter(|r| !r.is_empty()).peekable();
    rows.peek().is_some()
        && rows.all(|r| {
            r.pieces.len() == 2
                && marker_kind(r.pieces[0].text.trimmed().0) == Some(true)
                && matches!(r.pieces[1].kind, Piece::Text)
                && r.pieces[1].text.text.split_whitespace().count() >= 3
        })
}

fn prose_or_footnotes(rows: Vec<GridRow>) -> Lowered {
    let rows: Vec<GridRow> = rows.into_iter().filter(|r| !r.is_empty()).collect();
    let footnotes = !rows.is_empty()
        && rows.iter().all(|r| {
            r.pieces.len() == 2 && marker_kind(r.pieces[0].text.trimmed().0) == Some(true)
        });
    if footnotes {
        let lines = rows
            .iter()
            .map(|r| {
                let text = format!(
                    "{} {}",
                    r.pieces[0].text.trimmed().0,
                    r.pieces[1].text.trimmed().0
                );
                TextLine {
                    span: r.pieces[0]
                        .text
                        .whole_span()
                        .join(r.pieces[1].text.whole_span()),
                    text,
                }
            })
            .collect();
        return Lowered::Footnotes(lines, prose(rows));
    }
    Lowered::Prose(prose(rows))
}

/// Each row's text, a bullet glyph left out.
fn prose(rows: Vec<GridRow>) -> Vec<MappedText> {
    let mut out = Vec::new();
    for r in rows {
        let mut m = MappedText::default();
        for (i, p) in r.pieces.into_iter().enumerate() {
            // A bullet glyph is not part of the sentence.
            if i == 0 && marker_kind(p.text.trimmed().0) == Some(false) {
                continue;
            }
            m.append(&p.text);
        }
        if !m.is_empty() {
            out.push(m);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The basis-point words as first found: in a lowercase copy.
    fn bps_suffix_by_copy(t: &str) -> Option<&str> {
        let lower = t.to_ascii_lowercase();
        ["basis points", "bps", "bp"]
            .iter()
            .find(|s| lower.ends_with(*s))
            .map(|s| t[..t.len() - s.len()].trim_end())
    }

    proptest::proptest! {
        /// Matched in place, any case, the words leave the text before them
        /// as the copy did, next to multi-byte characters too.
        #[test]
        fn bps_suffix_reads_as_the_lowercase_copy(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "25", " ", "BPS", "bp", "Bp", "basis", " points", "POINTS", "é", "s",
                    "\u{212a}", "(", ")", "b", "p",
                ]),
                0..6,
            ),
        ) {
            let t = parts.concat();
            proptest::prop_assert_eq!(bps_suffix(&t), bps_suffix_by_copy(&t), "{:?}", t);
        }
    }
}
