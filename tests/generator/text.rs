//! The plain-text renderer: fixed-width tables, wrapped paragraphs, and
//! the layout variations real EX-99.1 text exhibits show.

use std::ops::Range;

use super::model::{Col, Extra, Kind, Line, MRow, Model, Piece, Statement, Val, XKind, commas};
use super::{CellAt, Config, Rng, V};

struct Style {
    label_w: usize,
    col_w: usize,
    gap: usize,
    ncol: usize,
    /// 0: attached `$48,215`, 1: detached `$  48,215`, 2: no `$`.
    dollar: u8,
    /// `$` one space after the label on the first column.
    dollar_after_label: bool,
    parens: bool,
    /// `($2,860)` rather than `$(2,860)`.
    dollar_in_parens: bool,
    nil: &'static str,
    segments: bool,
    double_rules: bool,
    ind: usize,
    tot_ind: usize,
    /// `Dec.` for December in abbreviated headers (else `December`).
    abbrev_dec: bool,
    /// `nm` for a percentage not meaningful (else the nil dash).
    nm_word: bool,
    /// A stacked change header may start a line of its own over a
    /// one-line period header (else it is printed on one line).
    lone_header: bool,
}

fn abbrev(st: &Style, c: &Col) -> String {
    if c.month == 11 && !st.abbrev_dec {
        c.month_name().to_string()
    } else {
        c.abbrev()
    }
}

impl Style {
    fn col_start(&self, c: usize) -> usize {
        self.label_w + self.gap + c * (self.col_w + 1 + self.gap)
    }
    fn width(&self) -> usize {
        self.col_start(self.ncol) - self.gap
    }
}

fn pad_to(line: &mut String, col: usize) {
    let n = line.chars().count();
    for _ in n..col {
        line.push(' ');
    }
}

fn render_cell(st: &Style, cell: Val, dollar: bool) -> String {
    if let Val::Pct(v, dec) = cell {
        let digits = pct_digits(v, dec);
        let body = if v < 0 && st.parens {
            format!("({digits})%")
        } else if v < 0 {
            format!("-{digits}%")
        } else {
            format!("{digits}%")
        };
        return format!("{body:>w$} ", w = st.col_w);
    }
    let (neg, digits) = match cell {
        Val::Pct(..) => unreachable!(),
        Val::Nm if st.nm_word => (false, "nm".to_string()),
        Val::Nm => (false, st.nil.to_string()),
        Val::Nil => (false, st.nil.to_string()),
        Val::Int(v) => (v < 0, commas(v.unsigned_abs())),
        Val::Cents(c) => (
            c < 0,
            format!("{}.{:02}", c.unsigned_abs() / 100, c.unsigned_abs() % 100),
        ),
    };
    let dollar = dollar && st.dollar != 2 && !matches!(cell, Val::Nil | Val::Nm);
    let mut body = String::new();
    if neg && st.parens {
        body.push('(');
    } else if neg {
        body.push('-');
    }
    if dollar && st.dollar == 0 {
        if neg && st.parens && st.dollar_in_parens {
            body.push('$');
        } else {
            body.insert(0, '$');
        }
    }
    body.push_str(&digits);
    let n = body.chars().count();
    let mut out = String::new();
    if dollar && st.dollar == 1 {
        out.push('$');
        for _ in (n + 1)..st.col_w {
            out.push(' ');
        }
    } else {
        for _ in n..st.col_w {
            out.push(' ');
        }
    }
    out.push_str(&body);
    out.push(if neg && st.parens { ')' } else { ' ' });
    out
}

/// `9.1` for `Pct(91, 1)`: the magnitude at its decimals.
pub fn pct_digits(v: i64, dec: u8) -> String {
    let scale = 10u64.pow(u32::from(dec));
    let a = v.unsigned_abs();
    if dec == 0 {
        commas(a)
    } else {
        format!(
            "{}.{:0w$}",
            commas(a / scale),
            a % scale,
            w = usize::from(dec)
        )
    }
}

/// The byte range of the digits (first to last) in a rendered cell.
fn digit_range(cell: &str) -> Option<Range<usize>> {
    let b = cell.as_bytes();
    let first = b.iter().position(u8::is_ascii_digit)?;
    let last = b.iter().rposition(u8::is_ascii_digit)?;
    Some(first..last + 1)
}

/// One rendered table line and, for a value line, its label.
struct Out {
    /// (statement, label, column, byte range of the digits) of every
    /// printed figure.
    cells: Vec<(usize, usize, String, usize, Range<usize>)>,
    text: String,
    /// (statement, label, byte range) of every value line.
    marks: Vec<(usize, String, Range<usize>)>,
    figs: Vec<Range<usize>>,
    /// Byte ranges of table lines (for tabs).
    table_lines: Vec<Range<usize>>,
}

impl Out {
    fn push_table_line(&mut self, line: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(line.trim_end());
        let end = self.text.len();
        self.table_lines.push(start..end);
        self.text.push('\n');
        start..end
    }
}

fn render_rows(st: &Style, si: usize, rows: &[MRow], out: &mut Out) {
    for (ri, row) in rows.iter().enumerate() {
        let mut line = String::new();
        match row {
            MRow::Blank => {}
            MRow::Heading(ind, l) => {
                line.push_str(&" ".repeat(*ind));
                line.push_str(l);
            }
            MRow::Rule(double) => {
                let ch = if *double && st.double_rules { '=' } else { '-' };
                if st.segments {
                    for c in 0..st.ncol {
                        pad_to(&mut line, st.col_start(c));
                        line.push_str(&ch.to_string().repeat(st.col_w + 1));
                    }
                } else {
                    pad_to(&mut line, st.col_start(0));
                    let w = st.width() - st.col_start(0);
                    line.push_str(&ch.to_string().repeat(w));
                }
            }
            MRow::Line(l) => {
                let indent = indent_of(st, l);
                let label = label_text(l);
                if let Some((a, _)) = &l.wrap {
                    let mut first = " ".repeat(indent);
                    first.push_str(a);
                    out.push_table_line(&first);
                    line.push_str(&" ".repeat(indent + 1));
                } else {
                    line.push_str(&" ".repeat(indent));
                }
                line.push_str(&label);
                let mut figs = Vec::new();
                for (c, cell) in l.vals.iter().enumerate() {
                    let text =
                        if c == 0 && st.dollar_after_label && l.dollar && !matches!(cell, Val::Nil)
                        {
                            line.push_str(" $");
                            let sub = Style { dollar: 2, ..*st };
                            pad_to(&mut line, st.col_start(c));
                            render_cell(&sub, *cell, false)
                        } else {
                            pad_to(&mut line, st.col_start(c));
                            render_cell(st, *cell, l.dollar)
                        };
                    if let Some(d) = digit_range(&text) {
                        figs.push((c, line.len() + d.start..line.len() + d.end));
                    }
                    line.push_str(&text);
                }
                let range = out.push_table_line(&line);
                for (c, d) in figs {
                    let at = range.start + d.start..range.start + d.end;
                    out.cells.push((si, ri, l.label.clone(), c, at));
                }
                out.marks.push((si, l.label.clone(), range));
                continue;
            }
        }
        out.push_table_line(&line);
    }
}

impl Clone for Style {
    fn clone(&self) -> Self {
        *self
    }
}
impl Copy for Style {}

fn indent_of(st: &Style, l: &Line) -> usize {
    match l.depth {
        0 => 0,
        1 => st.ind,
        _ => st.tot_ind,
    }
}

/// The label as printed on the value line (the continuation if wrapped).
fn label_text(l: &Line) -> String {
    let base = match &l.wrap {
        Some((_, b)) => b.clone(),
        None => l.label.clone(),
    };
    match l.marker {
        Some(m) => format!("{base} {m}"),
        None => base,
    }
}

fn centre(w: usize, t: &str) -> String {
    let n = t.chars().count();
    format!("{}{t}\n", " ".repeat(w.saturating_sub(n) / 2))
}

/// Fills the pieces into lines of at most `width` characters, recording
/// the byte ranges of verifiable figures.
fn wrap_para(out: &mut Out, pieces: &[Piece], width: usize, prefix: &str) {
    let mut text = String::new();
    let mut figs = Vec::new();
    for p in pieces {
        match p {
            Piece::Text(s) => text.push_str(s),
            Piece::Fig(s, ok) => {
                let a = text.len();
                text.push_str(s);
                if *ok {
                    figs.push(a..text.len());
                }
            }
        }
    }
    // Break at spaces in place: byte offsets stay put.
    let mut bytes = text.into_bytes();
    let mut line_start = 0;
    let mut last_space = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' {
            last_space = Some(i);
        }
        if i - line_start >= width
            && let Some(s) = last_space
            && s > line_start
        {
            bytes[s] = b'\n';
            line_start = s + 1;
            last_space = None;
        }
        i += 1;
    }
    let text = String::from_utf8(bytes).unwrap_or_default();
    out.text.push_str(prefix);
    let base = out.text.len();
    out.text.push_str(&text);
    out.text.push('\n');
    for f in figs {
        out.figs.push(base + f.start..base + f.end);
    }
}

pub struct Rendered {
    pub text: String,
    pub off_by_one: Option<(String, Range<usize>)>,
    pub figs: Vec<Range<usize>>,
    pub cells: Vec<CellAt>,
    pub summary: Vec<String>,
    pub used: Vec<V>,
}

fn scale_lines(r: &mut Rng, in_millions: bool) -> (&'static str, &'static str) {
    let is = if in_millions {
        r.pick(&[
            "(In millions, except per share data)",
            "(in millions, except per share amounts)",
        ])
    } else {
        r.pick(&[
            "(In thousands, except per share data)",
            "(in thousands, except per share amounts)",
            "(Dollars in thousands, except per share amounts)",
        ])
    };
    let bs = if in_millions {
        r.pick(&["(In millions)", "(in millions)"])
    } else {
        r.pick(&["(In thousands)", "(in thousands)", "($000)"])
    };
    (is, bs)
}

/// Column groups: runs of columns with the same duration.
fn groups(cols: &[Col]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        match out.last_mut() {
            Some(g) if cols[g.start].months == c.months => g.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

struct Header<'a> {
    st: &'a Style,
}

impl Header<'_> {
    fn span(&self, line: &mut String, g: &Range<usize>, text: &str) {
        let from = self.st.col_start(g.start);
        let to = self.st.col_start(g.end - 1) + self.st.col_w + 1;
        let n = text.chars().count();
        let w = to - from;
        pad_to(line, from + w.saturating_sub(n) / 2);
        if !line.is_empty() && !line.ends_with(' ') {
            line.push_str("  ");
        }
        line.push_str(text);
    }
    fn per_col(&self, texts: &[String]) -> String {
        let mut l = String::new();
        for (c, t) in texts.iter().enumerate() {
            let end = self.st.col_start(c) + self.st.col_w;
            let n = t.chars().count();
            pad_to(&mut l, end.saturating_sub(n));
            if !l.is_empty() && !l.ends_with(' ') {
                l.push(' ');
            }
            l.push_str(t);
        }
        l
    }
    fn rule_under(&self, groups: Option<&[Range<usize>]>) -> String {
        let mut l = String::new();
        match groups {
            Some(gs) => {
                for g in gs {
                    let from = self.st.col_start(g.start);
                    let to = self.st.col_start(g.end - 1) + self.st.col_w + 1;
                    pad_to(&mut l, from);
                    l.push_str(&"-".repeat(to - from));
                }
            }
            None => {
                pad_to(&mut l, self.st.col_start(0));
                l.push_str(&"-".repeat(self.st.width() - self.st.col_start(0)));
            }
        }
        l
    }
}

fn is_header(
    r: &mut Rng,
    cfg: &Config,
    st: &Style,
    cols: &[Col],
    used: &mut Vec<V>,
) -> Vec<String> {
    let h = Header { st };
    let gs = groups(cols);
    let all_q = cols.iter().all(|c| c.months == 3);
    let same_md = |g: &Range<usize>| {
        cols[g.clone()]
            .iter()
            .all(|c| c.month == cols[g.start].month && c.day == cols[g.start].day)
    };
    let abbrev_months = cfg.roll(r, V::AbbrevMonthHeaders, 0.25);
    let mut style = r.pick(&[0u8, 0, 0, 1, 1, 2, 3]);
    if abbrev_months {
        style = 4;
        used.push(V::AbbrevMonthHeaders);
    }
    if style == 2 && !all_q {
        style = 0;
    }
    if style == 3 && !(all_q && cols.iter().all(|c| c.fq.is_some())) {
        style = 0;
    }
    // `Q4 2020` over a fiscal (non-calendar) quarter next to the quarter
    // before it: a variation of its own.
    let fiscal_q = cols
        .iter()
        .any(|c| c.fq.is_some_and(|(q, _)| (3 * q + 11) % 12 != c.month));
    let seq_fiscal = cols.len() == 3 && fiscal_q;
    // Per table, even when forced: the false findings come from one
    // table with `Q4 2020` headers next to one with dates.
    let force_q = r.chance(0.5) && seq_fiscal && cfg.enabled(V::FiscalQHeadersSequential);
    if seq_fiscal && all_q {
        if force_q {
            style = 3;
            used.push(V::FiscalQHeadersSequential);
        } else if style == 3 {
            style = 0;
        }
    }
    let long = |c: &Col| {
        if c.month_name().len() <= 5 {
            format!("{} {}, {}", c.month_name(), c.day, c.year)
        } else {
            format!("{} {}, {}", abbrev(st, c), c.day, c.year)
        }
    };
    if style == 2 && cols.iter().any(|c| long(c).len() > st.col_w) {
        style = 0;
    }
    let md = |c: &Col| format!("{} {},", c.month_name(), c.day);
    let years: Vec<String> = cols.iter().map(|c| c.year.to_string()).collect();
    let mut lines = Vec::new();
    match style {
        0 | 4 => {
            let fits = |g: &Range<usize>| {
                let c = &cols[g.start];
                let text = format!("{} {} {},", c.span_word(), c.month_name(), c.day);
                let w = st.col_start(g.end - 1) + st.col_w + 1 - st.col_start(g.start);
                text.len() + 2 <= w
            };
            let with_date =
                style == 0 && gs.iter().all(&same_md) && gs.iter().all(fits) && r.chance(0.5);
            let mut l = String::new();
            for g in &gs {
                let c = &cols[g.start];
                let text = if with_date {
                    format!("{} {} {},", c.span_word(), c.month_name(), c.day)
                } else {
                    c.span_word()
                };
                h.span(&mut l, g, &text);
            }
            lines.push(l);
            if r.chance(0.4) {
                lines.push(h.rule_under(Some(&gs)));
            }
            if !with_date {
                let texts: Vec<String> = if style == 4 {
                    cols.iter()
                        .map(|c| format!("{} {},", abbrev(st, c), c.day))
                        .collect()
                } else {
                    cols.iter().map(md).collect()
                };
                lines.push(h.per_col(&texts));
            }
            lines.push(h.per_col(&years));
        }
        1 => {
            let mut l = String::new();
            for g in &gs {
                h.span(&mut l, g, &cols[g.start].span_word());
            }
            lines.push(l);
            let months: Vec<String> = cols.iter().map(|c| c.month_name().to_string()).collect();
            lines.push(h.per_col(&months));
            let days: Vec<String> = cols.iter().map(|c| format!("{},", c.day)).collect();
            lines.push(h.per_col(&days));
            lines.push(h.per_col(&years));
        }
        2 => {
            lines.push(h.per_col(&vec!["Quarter Ended".to_string(); cols.len()]));
            let texts: Vec<String> = cols.iter().map(long).collect();
            lines.push(h.per_col(&texts));
        }
        _ => {
            let texts: Vec<String> = cols
                .iter()
                .map(|c| {
                    let (q, fy) = c.fq.unwrap_or((1, c.year));
                    format!("Q{q} {fy}")
                })
                .collect();
            lines.push(h.per_col(&texts));
        }
    }
    lines
}

pub fn render(r: &mut Rng, cfg: &Config, model: &Model) -> Rendered {
    let mut used = model.used.clone();
    let mut summary = model.summary.clone();
    let mark = |r: &mut Rng, v: V, p: f64, used: &mut Vec<V>| {
        let y = cfg.roll(r, v, p);
        if y && !used.contains(&v) {
            used.push(v);
        }
        y
    };
    let ncol_is = model.statements[0].cols.len();
    let mut st = Style {
        label_w: 0,
        col_w: r.usize(10, 14),
        gap: r.usize(1, 5),
        ncol: ncol_is,
        dollar: r.pick(&[0u8, 0, 1, 1, 2]),
        dollar_after_label: false,
        parens: r.chance(0.8),
        dollar_in_parens: false,
        nil: r.pick(&["\u{2014}", "-", "--"]),
        segments: r.chance(0.6),
        double_rules: r.chance(0.85),
        ind: r.usize(1, 4),
        tot_ind: 0,
        abbrev_dec: false,
        nm_word: false,
        lone_header: false,
    };
    // Drawn only for a release with change columns (the draws of the
    // others stay as they were).
    if model.x_seed.is_some() {
        st.nm_word = mark(r, V::NmText, 0.5, &mut used);
        st.lone_header = cfg.roll(r, V::LoneChangeHeaderLine, 0.5);
    }
    st.abbrev_dec = mark(r, V::AbbrevDecember, 0.5, &mut used);
    st.tot_ind = if r.chance(0.5) {
        st.ind
    } else {
        st.ind + r.usize(1, 3)
    };
    if st.dollar == 0 && st.parens && mark(r, V::DollarInsideParens, 0.4, &mut used) {
        st.dollar_in_parens = true;
    }
    if st.dollar != 2 && mark(r, V::DollarAfterLabel, 0.15, &mut used) {
        st.dollar_after_label = true;
    }
    let edgar = mark(r, V::EdgarTags, 0.2, &mut used) || cfg.forced == Some(V::TitleAboveTable);
    let title_above = edgar && mark(r, V::TitleAboveTable, 0.5, &mut used);
    let page_breaks = edgar && r.chance(0.5);
    let scale_in_label = mark(r, V::ScaleInLabelColumn, 0.15, &mut used);
    let short_scale = !scale_in_label && mark(r, V::ShortScaleLine, 0.15, &mut used);
    let unaudited_under = mark(r, V::UnauditedUnderRule, 0.2, &mut used);
    let tabs = mark(r, V::Tabs, 0.15, &mut used);
    let wide_titles = ncol_is > 2 && mark(r, V::WideCentredTitles, 0.5, &mut used);
    let crlf = mark(r, V::Crlf, 0.15, &mut used);
    let (scale_is, scale_bs) = scale_lines(r, model.in_millions);
    let scale_is = if short_scale {
        if model.in_millions {
            "(In millions)"
        } else {
            "(In thousands)"
        }
    } else {
        scale_is
    };

    // Label column: the longest label (with its indent) plus a gap.
    let longest = model
        .statements
        .iter()
        .flat_map(|s| s.rows.iter())
        .filter_map(|row| match row {
            MRow::Line(l) => {
                let mut n = indent_of(&st, l) + 1 + label_text(l).chars().count();
                if let Some((a, _)) = &l.wrap {
                    n = n.max(indent_of(&st, l) + a.len());
                }
                if st.dollar_after_label {
                    n += 2;
                }
                Some(n)
            }
            MRow::Heading(i, l) => Some(i + l.len()),
            _ => None,
        })
        .max()
        .unwrap_or(40);
    st.label_w = longest + r.usize(1, 8);
    if scale_in_label {
        st.label_w = st.label_w.max(scale_is.len() + 2);
    }
    let widest_month = model
        .statements
        .iter()
        .flat_map(|s| s.cols.iter())
        .map(|c| c.month_name().len() + 4)
        .max()
        .unwrap_or(11);
    st.col_w = st.col_w.max(widest_month).max(11);
    // Room for the change columns' headers and `(As Restated)`.
    for s in &model.statements {
        for x in &s.extra {
            for part in &x.header {
                st.col_w = st.col_w.max(part.len() + 1);
            }
        }
        for a in s.annot.iter().flatten() {
            st.col_w = st.col_w.max(a.len() + 1);
        }
    }
    if ncol_is > 2 {
        // Room for "Twelve Months Ended" over two columns.
        st.col_w = st.col_w.max(11);
    }
    // Room for the segment names.
    for s in &model.statements {
        for m in &s.members {
            st.col_w = st.col_w.max(m.len() + 1);
        }
    }
    // Room for `Nine Months Ended` over the quarterly trend table's one
    // year-to-date column.
    for s in &model.statements {
        for g in groups(&s.cols) {
            if g.len() == 1 && s.cols[g.start].months > 0 {
                st.col_w = st.col_w.max(s.cols[g.start].span_word().len() + 1);
            }
        }
    }
    summary.push(format!(
        "col {} gap {} dollar {} parens {} nil {:?} segments {}",
        st.col_w, st.gap, st.dollar, st.parens, st.nil, st.segments
    ));

    let mut out = Out {
        cells: Vec::new(),
        text: String::new(),
        marks: Vec::new(),
        figs: Vec::new(),
        table_lines: Vec::new(),
    };
    out.text.push_str(&model.headline);
    out.text.push_str("\n\n");
    let width = r.usize(70, 84);
    let mut in_bullets = false;
    for (i, p) in model.paras.iter().enumerate() {
        if p.bullet {
            if !in_bullets && i > 0 {
                out.text.push('\n');
            }
            in_bullets = true;
            wrap_para(&mut out, &p.pieces, width, "-- ");
            continue;
        }
        in_bullets = false;
        if i > 0 {
            out.text.push('\n');
        }
        wrap_para(&mut out, &p.pieces, width, "");
    }

    let title_name = if r.chance(0.7) {
        model.legal.to_uppercase()
    } else {
        model.legal.clone()
    };
    let unaudited_line = r.chance(0.4);
    for (si, s) in model.statements.iter().enumerate() {
        let nper = s.cols.len();
        st.ncol = nper + s.extra.len();
        // Titles centred over the label column and two columns, or (a
        // variation) over the whole of a wider table.
        let w = if st.ncol > 2 && wide_titles {
            st.width()
        } else {
            st.col_start(2) - st.gap
        };
        out.text.push_str("\n\n");
        if page_breaks && si > 0 {
            out.text.push_str("<PAGE>\n\n");
        }
        let scale = if s.per_share { scale_is } else { scale_bs };
        match s.kind {
            Kind::Income | Kind::Balance => {
                out.text.push_str(&centre(w, &title_name));
            }
            _ => {}
        }
        out.text.push_str(&centre(w, &s.title));
        if s.kind == Kind::Income && unaudited_line && !unaudited_under {
            out.text.push_str(&centre(w, "(Unaudited)"));
        }
        if !scale_in_label {
            out.text.push_str(&centre(w, scale));
        }
        if !title_above {
            out.text.push('\n');
        }
        if edgar {
            out.text.push_str("<TABLE>\n");
            if r.chance(0.5) {
                out.text.push_str("<CAPTION>\n");
            }
        }
        let mut header = match s.kind {
            Kind::Balance => bs_header(r, &st, &s.cols),
            Kind::SegmentColumns => member_header(&st, s),
            _ => is_header(r, cfg, &st, &s.cols, &mut used),
        };
        if scale_in_label && let Some(first) = header.first_mut() {
            let rest: String = first.chars().skip(scale.len()).collect();
            *first = format!("{scale}{rest}");
        }
        let h = Header { st: &st };
        extra_headers(&st, nper, &s.extra, &mut header, &mut used);
        if s.annot.iter().any(Option::is_some) {
            let texts: Vec<String> = s
                .annot
                .iter()
                .map(|a| a.clone().unwrap_or_default())
                .collect();
            header.push(h.per_col(&texts));
        }
        if !unaudited_under && s.kind == Kind::Income && !unaudited_line && r.chance(0.3) {
            header.push(h.per_col(&vec!["(unaudited)".to_string(); nper]));
        }
        if !unaudited_under && s.kind == Kind::Balance && r.chance(0.4) {
            let mut v = vec![String::new(); nper];
            v[0] = "(unaudited)".into();
            header.push(h.per_col(&v));
        }
        header.push(h.rule_under(None));
        if unaudited_under && s.kind != Kind::Balance {
            let mut l = String::new();
            h.span(&mut l, &(0..nper), "(unaudited)");
            header.push(l);
        }
        for l in &header {
            out.push_table_line(l);
        }
        if edgar {
            let mut l = String::from("<S>");
            for c in 0..st.ncol {
                pad_to(&mut l, st.col_start(c));
                l.push_str("<C>");
            }
            out.push_table_line(&l);
        }
        render_rows(&st, si, &s.rows, &mut out);
        let marked = s.rows.iter().find_map(|row| match row {
            MRow::Line(l) => l.marker,
            _ => None,
        });
        if let Some(m) = marked {
            if edgar {
                out.text.push_str("<FN>\n");
            } else {
                out.text.push('\n');
            }
            out.text.push_str(&format!(
                "{m} Includes stock-based compensation and related payroll taxes.\n"
            ));
            if edgar {
                out.text.push_str("</FN>\n");
            }
        }
        if edgar {
            out.text.push_str("</TABLE>\n");
        }
        let _ = s as &Statement;
    }
    out.text
        .push_str("\n\nCONTACT: Investor Relations, ir@example.invalid\n");

    let off = model.off_by_one.as_ref().and_then(|(si, label)| {
        out.marks
            .iter()
            .find(|m| m.0 == *si && m.1 == *label)
            .map(|m| (m.1.clone(), m.2.clone()))
    });
    let mut text = out.text;
    let mut figs = out.figs;
    let mut off = off;
    let mut cell_ranges: Vec<Range<usize>> = out.cells.iter().map(|c| c.4.clone()).collect();
    if tabs {
        let (t, map) = unexpand(&text, &out.table_lines);
        text = t;
        remap(&map, &mut figs, &mut off);
        remap(&map, &mut cell_ranges, &mut None);
    }
    if crlf {
        let (t, map) = to_crlf(&text);
        text = t;
        remap(&map, &mut figs, &mut off);
        remap(&map, &mut cell_ranges, &mut None);
    }
    let cells = out
        .cells
        .into_iter()
        .zip(cell_ranges)
        .map(|((si, row, label, col, _), range)| {
            let s = &model.statements[si];
            CellAt {
                si,
                row,
                kind: s.kind,
                label,
                col,
                extra: col.checked_sub(s.cols.len()).map(|k| s.extra[k].kind),
                range,
            }
        })
        .collect();
    Rendered {
        text,
        off_by_one: off,
        figs,
        cells,
        summary,
        used,
    }
}

/// A segment-column table's header: the period centred over every column
/// (its span of months, then its date, ruled), then the segment names.
fn member_header(st: &Style, s: &Statement) -> Vec<String> {
    let h = Header { st };
    let all = 0..s.cols.len();
    let c = &s.cols[0];
    let mut lines = Vec::new();
    for text in [
        c.span_word(),
        format!("{} {}, {}", c.month_name(), c.day, c.year),
    ] {
        let mut l = String::new();
        h.span(&mut l, &all, &text);
        lines.push(l);
    }
    lines.push(h.rule_under(Some(std::slice::from_ref(&all))));
    lines.push(h.per_col(&s.members));
    lines
}

/// The headers of the change and percent-change columns, right-aligned
/// over their columns and bottom-aligned on the header's text lines (not
/// its rules).
fn extra_headers(
    st: &Style,
    nper: usize,
    extra: &[Extra],
    header: &mut Vec<String>,
    used: &mut Vec<V>,
) {
    let is_rule = |l: &str| !l.trim().is_empty() && l.trim().chars().all(|c| c == '-');
    let text_lines = |header: &Vec<String>| {
        (0..header.len())
            .filter(|&i| !is_rule(&header[i]))
            .collect::<Vec<usize>>()
    };
    // Over a one-line period header, a stacked header keeps to one line
    // (`Change`, `% Change`) unless `LoneChangeHeaderLine`.
    let one_line = |x: &Extra| -> Vec<&'static str> {
        match (x.header.len(), x.kind) {
            (1, _) => x.header.clone(),
            (_, XKind::Percent(_)) => vec!["% Change"],
            (_, XKind::BetterWorse) => vec!["B/(W)"],
            _ => vec!["Change"],
        }
    };
    let short = text_lines(header).len();
    let lone = extra.iter().any(|x| x.header.len() > short);
    let extra: Vec<Extra> = if lone && !st.lone_header {
        extra
            .iter()
            .map(|x| Extra {
                kind: x.kind,
                header: one_line(x),
            })
            .collect()
    } else {
        if lone && !used.contains(&V::LoneChangeHeaderLine) {
            used.push(V::LoneChangeHeaderLine);
        }
        extra.to_vec()
    };
    let depth = extra.iter().map(|x| x.header.len()).max().unwrap_or(0);
    if depth == 0 {
        return;
    }
    while text_lines(header).len() < depth {
        header.insert(0, String::new());
    }
    let lines = text_lines(header);
    let lines = &lines[lines.len() - depth..];
    for (k, x) in extra.iter().enumerate() {
        let end = st.col_start(nper + k) + st.col_w;
        for (j, part) in x.header.iter().enumerate() {
            let line = &mut header[lines[depth - x.header.len() + j]];
            pad_to(line, end.saturating_sub(part.len()));
            if !line.is_empty() && !line.ends_with(' ') {
                line.push(' ');
            }
            line.push_str(part);
        }
    }
    let _ = XKind::Change;
}

fn bs_header(r: &mut Rng, st: &Style, cols: &[Col]) -> Vec<String> {
    let h = Header { st };
    let mut lines = Vec::new();
    let one_line: Vec<String> = cols
        .iter()
        .map(|c| format!("{} {}, {}", abbrev(st, c), c.day, c.year))
        .collect();
    if r.chance(0.5) || one_line.iter().any(|t| t.len() > st.col_w) {
        lines.push(
            h.per_col(
                &cols
                    .iter()
                    .map(|c| format!("{} {},", c.month_name(), c.day))
                    .collect::<Vec<_>>(),
            ),
        );
        lines.push(h.per_col(&cols.iter().map(|c| c.year.to_string()).collect::<Vec<_>>()));
    } else {
        lines.push(h.per_col(&one_line));
    }
    lines
}

fn remap(map: &[usize], figs: &mut [Range<usize>], off: &mut Option<(String, Range<usize>)>) {
    // A range ends after its last byte (an ASCII digit or letter): map
    // that byte, not the one after it (a `\n` that gains a `\r`).
    let f = |x: usize| map[x.min(map.len() - 1)];
    let g = |r: &Range<usize>| {
        if r.end > r.start {
            f(r.start)..f(r.end - 1) + 1
        } else {
            f(r.start)..f(r.start)
        }
    };
    for r in figs.iter_mut() {
        *r = g(r);
    }
    if let Some((_, r)) = off {
        *r = g(r);
    }
}

/// Tabs for runs of spaces in table lines, at 8-column tab stops (as
/// `unexpand -a` writes them); `map[old byte] = new byte`.
fn unexpand(text: &str, lines: &[Range<usize>]) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = vec![0; text.len() + 1];
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut li = 0;
    while i < bytes.len() {
        while li < lines.len() && lines[li].end < i {
            li += 1;
        }
        let in_table = li < lines.len() && lines[li].start == i;
        if in_table {
            // Walk the line by display column (ASCII apart from dashes).
            let line = &text[lines[li].clone()];
            let mut col = 0;
            let mut pend: Vec<usize> = Vec::new(); // byte offsets of pending spaces
            for (k, ch) in line.char_indices() {
                let at = i + k;
                if ch == ' ' {
                    pend.push(at);
                    col += 1;
                    if col % 8 == 0 {
                        if pend.len() >= 2 {
                            for &p in &pend {
                                map[p] = out.len();
                            }
                            out.push('\t');
                        } else {
                            for &p in &pend {
                                map[p] = out.len();
                                out.push(' ');
                            }
                        }
                        pend.clear();
                    }
                } else {
                    for &p in &pend {
                        map[p] = out.len();
                        out.push(' ');
                    }
                    pend.clear();
                    for b in 0..ch.len_utf8() {
                        map[at + b] = out.len() + b;
                    }
                    out.push(ch);
                    col += 1;
                }
            }
            for &p in &pend {
                map[p] = out.len();
                out.push(' ');
            }
            i = lines[li].end;
            li += 1;
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        for b in 0..ch.len_utf8() {
            map[i + b] = out.len() + b;
        }
        out.push(ch);
        i += ch.len_utf8();
    }
    map[text.len()] = out.len();
    (out, map)
}

fn to_crlf(text: &str) -> (String, Vec<usize>) {
    let mut map = vec![0; text.len() + 1];
    let mut bytes = Vec::with_capacity(text.len() + text.len() / 40);
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b == b'\n' {
            bytes.push(b'\r');
        }
        map[i] = bytes.len();
        bytes.push(b);
    }
    map[text.len()] = bytes.len();
    (String::from_utf8(bytes).unwrap_or_default(), map)
}
