//! The HTML renderer: the model as a Workiva-like (one long line, inline
//! styles, `$` and `)` in their own cells, spacer columns), Donnelley-like
//! (uppercase tags, unclosed `<P>`, `<FONT>`, `&nbsp;` indentation,
//! `&#151;` dashes) or plain HTML exhibit.

use std::ops::Range;

use super::model::{Col, Kind, MRow, Model, Piece, Statement, Val, commas};
use super::text::pct_digits;
use super::{CellAt, Config, Rng, V};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Flavor {
    Workiva,
    Donnelley,
    Plain,
}

pub struct Rendered {
    pub text: String,
    pub off_by_one: Option<(String, Range<usize>)>,
    pub figs: Vec<Range<usize>>,
    pub cells: Vec<CellAt>,
    pub summary: Vec<String>,
    pub used: Vec<V>,
}

struct W {
    s: String,
    fl: Flavor,
    figs: Vec<Range<usize>>,
    /// Newline between elements (Workiva writes everything on one line).
    nl: &'static str,
}

impl W {
    fn push(&mut self, s: &str) {
        self.s.push_str(s);
    }
    fn tag(&self, t: &str) -> String {
        if self.fl == Flavor::Donnelley {
            t.to_uppercase()
        } else {
            t.to_string()
        }
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const WFONT: &str = "color:#000000;font-family:'Times New Roman',serif;font-size:10pt;font-weight:400;line-height:120%";

fn para(w: &mut W, pieces: &[Piece], bullet: bool) {
    let open = match w.fl {
        Flavor::Workiva => format!(
            "<div style=\"text-align:justify\"><font style=\"{WFONT}\">{}",
            if bullet { "&#8226;&#160;" } else { "" }
        ),
        Flavor::Donnelley => format!(
            "<P STYLE=\"margin-top:12px;margin-bottom:0px\"><FONT STYLE=\"font-family:Times New Roman\" SIZE=\"2\">{}",
            if bullet { "&#149;&nbsp;" } else { "" }
        ),
        Flavor::Plain => {
            if bullet {
                "<li>".to_string()
            } else {
                "<p>".to_string()
            }
        }
    };
    w.push(&open);
    for p in pieces {
        match p {
            Piece::Text(t) => {
                let mut t = esc(t);
                if w.fl == Flavor::Donnelley {
                    t = t.replace(" -- ", "&#151;");
                }
                w.push(&t);
            }
            Piece::Fig(f, ok) => {
                let a = w.s.len();
                w.push(f);
                if *ok {
                    w.figs.push(a..w.s.len());
                }
            }
        }
    }
    let close = match w.fl {
        Flavor::Workiva => "</font></div><div><font><br></font></div>",
        // Donnelley leaves some paragraphs open.
        Flavor::Donnelley => "</FONT>",
        Flavor::Plain => {
            if bullet {
                "</li>"
            } else {
                "</p>"
            }
        }
    };
    w.push(close);
    let nl = w.nl;
    w.push(nl);
}

/// Digits are wrapped in these while a cell is built, to find them in it.
const FIG_START: char = '\u{1}';
const FIG_END: char = '\u{2}';

fn fig_text(v: Val, nil: &str) -> (bool, String) {
    match v {
        Val::Nil => (false, nil.to_string()),
        Val::Nm => (false, "nm".to_string()),
        Val::Pct(p, dec) => (p < 0, format!("{FIG_START}{}{FIG_END}", pct_digits(p, dec))),
        Val::Int(x) => (
            x < 0,
            format!("{FIG_START}{}{FIG_END}", commas(x.unsigned_abs())),
        ),
        Val::Cents(c) => (
            c < 0,
            format!(
                "{FIG_START}{}.{:02}{FIG_END}",
                c.unsigned_abs() / 100,
                c.unsigned_abs() % 100
            ),
        ),
    }
}

/// Pushes a cell, and returns the byte range of the figure's digits in it.
fn push_cell(w: &mut W, cell: &str) -> Option<Range<usize>> {
    let (Some(a), Some(b)) = (cell.find(FIG_START), cell.find(FIG_END)) else {
        w.push(cell);
        return None;
    };
    let start = w.s.len() + a;
    let end = start + (b - a - FIG_START.len_utf8());
    w.push(&cell.replace([FIG_START, FIG_END], ""));
    Some(start..end)
}

struct TStyle {
    paren_cell: bool,
    hidden: bool,
    rule_rows: bool,
    br_headers: bool,
    scale_in_label: bool,
    unclosed_td: bool,
}

/// Grid slots per data column: Workiva and Donnelley `$`, figure, `)`;
/// plain one.
fn slots(fl: Flavor) -> usize {
    match fl {
        Flavor::Plain => 1,
        _ => 3,
    }
}

fn td(w: &W, ts: &TStyle, attrs: &str, body: &str) -> String {
    match w.fl {
        Flavor::Donnelley => {
            let close = if ts.unclosed_td { "" } else { "</TD>" };
            format!("<TD VALIGN=\"bottom\"{attrs}>{body}{close}")
        }
        _ => format!("<td{attrs}>{body}</td>"),
    }
}

fn style_attr(w: &W, css: &str) -> String {
    if css.is_empty() {
        String::new()
    } else if w.fl == Flavor::Donnelley {
        format!(" STYLE=\"{css}\"")
    } else {
        format!(" style=\"{css}\"")
    }
}

fn font(w: &W, text: &str, bold: bool) -> String {
    match w.fl {
        Flavor::Workiva => format!(
            "<font style=\"color:#000000;font-family:'Times New Roman',serif;font-size:9pt;font-weight:{};line-height:100%\">{text}</font>",
            if bold { 700 } else { 400 }
        ),
        Flavor::Donnelley => {
            if bold {
                format!("<FONT SIZE=\"2\"><B>{text}</B></FONT>")
            } else {
                format!("<FONT SIZE=\"2\">{text}</FONT>")
            }
        }
        Flavor::Plain => {
            if bold {
                format!("<b>{text}</b>")
            } else {
                text.to_string()
            }
        }
    }
}

fn colspan(w: &W, n: usize) -> String {
    if n <= 1 {
        String::new()
    } else if w.fl == Flavor::Donnelley {
        format!(" COLSPAN=\"{n}\"")
    } else {
        format!(" colspan=\"{n}\"")
    }
}

/// Writes the cells of one data row (after the label cell); returns the
/// byte ranges of the figures' digits, by column.
#[allow(clippy::too_many_arguments)]
fn value_cells(
    w: &mut W,
    ts: &TStyle,
    vals: &[Val],
    dollar: bool,
    border: &str,
    nil: &str,
) -> Vec<(usize, Range<usize>)> {
    let ncol = vals.len();
    let mut figs = Vec::new();
    for (c, v) in vals.iter().enumerate() {
        let pct = if matches!(v, Val::Pct(..)) { "%" } else { "" };
        if c > 0 && w.fl != Flavor::Plain {
            let sp = td(w, ts, "", "");
            w.push(&sp);
        }
        let (neg, digits) = fig_text(*v, nil);
        let dollar = dollar && !matches!(v, Val::Nil | Val::Nm | Val::Pct(..));
        let css = if border.is_empty() {
            String::new()
        } else {
            border.to_string()
        };
        match w.fl {
            Flavor::Plain => {
                let mut body = String::new();
                if neg {
                    body.push('(');
                }
                if dollar {
                    body.insert(0, '$');
                }
                body.push_str(&digits);
                if neg {
                    body.push(')');
                }
                body.push_str(pct);
                let css = format!("text-align:right;{css}");
                let cell = td(w, ts, &style_attr(w, &css), &body);
                if let Some(r) = push_cell(w, &cell) {
                    figs.push((c, r));
                }
            }
            _ => {
                let dcell = td(
                    w,
                    ts,
                    &style_attr(w, &css),
                    &if dollar {
                        font(w, "$", false)
                    } else {
                        String::new()
                    },
                );
                w.push(&dcell);
                let mut body = String::new();
                if neg {
                    body.push('(');
                }
                body.push_str(&digits);
                if neg && !ts.paren_cell {
                    body.push(')');
                } else if !neg && w.fl == Flavor::Workiva {
                    body.push_str("&#160;");
                }
                let fcss = format!("text-align:right;{css}");
                let attrs = if w.fl == Flavor::Donnelley {
                    format!(" ALIGN=\"right\"{}", style_attr(w, &css))
                } else {
                    style_attr(w, &fcss)
                };
                let f = font(w, &body, false);
                let cell = td(w, ts, &attrs, &f);
                if let Some(r) = push_cell(w, &cell) {
                    figs.push((c, r));
                }
                let close = if neg && ts.paren_cell { ")" } else { "" };
                let pbody = if close.is_empty() && pct.is_empty() {
                    String::new()
                } else {
                    font(w, &format!("{close}{pct}"), false)
                };
                let cell = td(w, ts, &style_attr(w, &css), &pbody);
                w.push(&cell);
            }
        }
        let _ = ncol;
    }
    if ts.hidden {
        let cell = td(w, ts, &style_attr(w, "display:none"), "&#160;");
        w.push(&cell);
    }
    figs
}

fn tr_open(w: &W) -> String {
    w.tag("<tr>")
}
fn tr_close(w: &W) -> String {
    format!("{}{}", w.tag("</tr>"), w.nl)
}

#[allow(clippy::too_many_arguments)]
fn table(
    r: &mut Rng,
    w: &mut W,
    ts: &TStyle,
    s: &Statement,
    si: usize,
    scale: &str,
    title: &str,
    marks: &mut Vec<(usize, String, Range<usize>)>,
    cells: &mut Vec<(usize, usize, String, usize, Range<usize>)>,
) {
    let nl = w.nl;
    // Title and scale above the table.
    let centred = |w: &W, t: &str, bold: bool| match w.fl {
        Flavor::Workiva => format!(
            "<div style=\"text-align:center\">{}</div>",
            font(w, &esc(t), bold)
        ),
        Flavor::Donnelley => format!(
            "<P STYLE=\"margin-top:0px;margin-bottom:0px\" ALIGN=\"center\">{}</P>",
            font(w, &esc(t), bold)
        ),
        Flavor::Plain => format!("<p style=\"text-align:center\">{}</p>", esc(t)),
    };
    if !title.is_empty() {
        let t = centred(w, title, true);
        w.push(&t);
        w.push(nl);
    }
    let t = centred(w, &s.title, true);
    w.push(&t);
    w.push(nl);
    if !ts.scale_in_label {
        let t = centred(w, scale, false);
        w.push(&t);
        w.push(nl);
    }
    let ncol = s.cols.len() + s.extra.len();
    let sl = slots(w.fl);
    let label_span = if w.fl == Flavor::Workiva { 3 } else { 1 };
    let open = match w.fl {
        Flavor::Workiva => "<table style=\"border-collapse:collapse;display:inline-table;margin-bottom:5pt;vertical-align:text-bottom;width:100.000%\">".to_string(),
        Flavor::Donnelley => "<TABLE CELLSPACING=\"0\" CELLPADDING=\"0\" WIDTH=\"100%\" BORDER=\"0\" ALIGN=\"center\">".to_string(),
        Flavor::Plain => "<table>".to_string(),
    };
    w.push(&open);
    w.push(nl);
    // The width row of Workiva and Donnelley tables.
    if w.fl != Flavor::Plain {
        let mut row = tr_open(w);
        for _ in 0..label_span {
            row.push_str(&td(w, ts, &style_attr(w, "width:15.0%"), ""));
        }
        for c in 0..ncol {
            if c > 0 {
                row.push_str(&td(w, ts, &style_attr(w, "width:1.0%"), ""));
            }
            for k in 0..sl {
                let wd = if k == 1 { "width:11.0%" } else { "width:0.5%" };
                row.push_str(&td(w, ts, &style_attr(w, wd), ""));
            }
        }
        if ts.hidden {
            row.push_str(&td(w, ts, &style_attr(w, "display:none"), ""));
        }
        row.push_str(&tr_close(w));
        w.push(&row);
    }
    // Column header rows.
    let per_col_span = |w: &W| if w.fl == Flavor::Plain { 1 } else { sl };
    let group_span = |w: &W, n: usize| {
        if w.fl == Flavor::Plain {
            n
        } else {
            n * sl + (n - 1)
        }
    };
    let mut header_rows: Vec<Vec<(usize, String, bool)>> = if s.members.is_empty() {
        header_cells(r, ts, &s.cols)
    } else {
        // A segment-column table: the period over every column, then the
        // segment names.
        let c = &s.cols[0];
        let period = format!("{} {} {}, {}", c.span_word(), c.month_name(), c.day, c.year);
        vec![
            vec![(s.cols.len(), period, true)],
            s.members.iter().map(|m| (1, esc(m), true)).collect(),
        ]
    };
    // Change columns: their headers bottom-aligned; `(As Restated)` on a
    // row of its own.
    let nh = header_rows.len();
    for x in &s.extra {
        for (i, hrow) in header_rows.iter_mut().enumerate() {
            let k = (i + x.header.len()).checked_sub(nh);
            let text = k.map_or(String::new(), |k| esc(x.header[k]));
            hrow.push((1, text, i + 1 == nh));
        }
    }
    if s.annot.iter().any(Option::is_some) {
        let mut row: Vec<(usize, String, bool)> = s
            .annot
            .iter()
            .map(|a| (1, esc(a.as_deref().unwrap_or("")), false))
            .collect();
        row.extend(s.extra.iter().map(|_| (1, String::new(), false)));
        header_rows.push(row);
    }
    for (hi, hrow) in header_rows.iter().enumerate() {
        let mut row = tr_open(w);
        let label = if hi == 0 && ts.scale_in_label {
            font(w, scale, false)
        } else {
            "&#160;".to_string()
        };
        row.push_str(&td(w, ts, &colspan(w, label_span), &label));
        let mut first = true;
        for (n, text, border) in hrow {
            if !first && w.fl != Flavor::Plain {
                row.push_str(&td(w, ts, "", ""));
            }
            first = false;
            let span = if *n == 1 {
                per_col_span(w)
            } else {
                group_span(w, *n)
            };
            let css = if *border {
                "text-align:center;border-bottom:1pt solid #000000"
            } else {
                "text-align:center"
            };
            let attrs = format!("{}{}", colspan(w, span), style_attr(w, css));
            row.push_str(&td(w, ts, &attrs, &font(w, text, true)));
        }
        if ts.hidden {
            row.push_str(&td(w, ts, &style_attr(w, "display:none"), "&#160;"));
        }
        row.push_str(&tr_close(w));
        w.push(&row);
    }
    // Body.
    let nil = if w.fl == Flavor::Donnelley {
        "&#151;"
    } else {
        r.pick(&["&#8212;", "&#8212;", "-"])
    };
    let rows = &s.rows;
    for (i, row) in rows.iter().enumerate() {
        match row {
            MRow::Blank => {
                let mut t = tr_open(w);
                let n = label_span
                    + ncol * per_col_span(w)
                    + if w.fl == Flavor::Plain { 0 } else { ncol - 1 };
                t.push_str(&td(w, ts, &colspan(w, n), "&#160;"));
                t.push_str(&tr_close(w));
                w.push(&t);
            }
            MRow::Heading(_, l) => {
                let mut t = tr_open(w);
                t.push_str(&td(
                    w,
                    ts,
                    &colspan(w, label_span),
                    &font(w, &esc(l), false),
                ));
                t.push_str(&tr_close(w));
                w.push(&t);
            }
            MRow::Rule(double) => {
                if ts.rule_rows {
                    // An empty row whose figure cells carry the rule.
                    let mut t = tr_open(w);
                    t.push_str(&td(w, ts, &colspan(w, label_span), ""));
                    let css = if *double {
                        "border-top:3pt double #000000"
                    } else {
                        "border-top:1pt solid #000000"
                    };
                    for c in 0..ncol {
                        if c > 0 && w.fl != Flavor::Plain {
                            t.push_str(&td(w, ts, "", ""));
                        }
                        let attrs =
                            format!("{}{}", colspan(w, per_col_span(w)), style_attr(w, css));
                        t.push_str(&td(w, ts, &attrs, ""));
                    }
                    if ts.hidden {
                        t.push_str(&td(w, ts, &style_attr(w, "display:none"), ""));
                    }
                    t.push_str(&tr_close(w));
                    w.push(&t);
                }
            }
            MRow::Line(l) => {
                let start = w.s.len();
                // A rule after this row: a bottom border on its cells.
                let border = match rows.get(i + 1) {
                    Some(MRow::Rule(d)) if !ts.rule_rows => {
                        if *d {
                            "border-bottom:3pt double #000000"
                        } else {
                            "border-bottom:1pt solid #000000"
                        }
                    }
                    _ => "",
                };
                let mut label = esc(&l.label);
                if let Some(m) = l.marker {
                    label.push_str(&format!(" {m}"));
                }
                let t = tr_open(w);
                w.push(&t);
                let pad = l.depth * 10;
                let cell = match w.fl {
                    Flavor::Donnelley => {
                        let ind = "&nbsp;&nbsp;".repeat(l.depth);
                        td(w, ts, "", &format!("{ind}{}", font(w, &label, false)))
                    }
                    Flavor::Workiva => td(
                        w,
                        ts,
                        &format!(
                            "{}{}",
                            colspan(w, label_span),
                            style_attr(
                                w,
                                &format!("padding:2px 1pt 2px {}pt;text-align:left", pad + 1)
                            )
                        ),
                        &font(w, &label, false),
                    ),
                    Flavor::Plain => td(
                        w,
                        ts,
                        &style_attr(w, &format!("padding-left:{pad}pt")),
                        &label,
                    ),
                };
                w.push(&cell);
                for (c, range) in value_cells(w, ts, &l.vals, l.dollar, border, nil) {
                    cells.push((si, i, l.label.clone(), c, range));
                }
                let t = tr_close(w);
                w.push(&t);
                marks.push((si, l.label.clone(), start..w.s.len()));
            }
        }
    }
    let close = w.tag("</table>");
    w.push(&close);
    w.push(nl);
    if let Some(m) = rows.iter().find_map(|r| match r {
        MRow::Line(l) => l.marker,
        _ => None,
    }) {
        let p = match w.fl {
            Flavor::Plain => {
                format!("<p>{m} Includes stock-based compensation and related payroll taxes.</p>")
            }
            _ => format!(
                "<div>{}</div>",
                font(
                    w,
                    &format!("{m} Includes stock-based compensation and related payroll taxes."),
                    false
                )
            ),
        };
        w.push(&p);
        w.push(nl);
    }
}

/// Header rows: cells of (columns spanned, text, bottom border).
fn header_cells(r: &mut Rng, ts: &TStyle, cols: &[Col]) -> Vec<Vec<(usize, String, bool)>> {
    let mut gs: Vec<Range<usize>> = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        match gs.last_mut() {
            Some(g) if cols[g.start].months == c.months => g.end = i + 1,
            _ => gs.push(i..i + 1),
        }
    }
    let instant = cols.iter().all(|c| c.months == 0);
    let md = |c: &Col| format!("{} {},", c.month_name(), c.day);
    let mut rows = Vec::new();
    if instant {
        if ts.br_headers {
            rows.push(
                cols.iter()
                    .map(|c| (1, format!("{}<br>{}", md(c), c.year), true))
                    .collect(),
            );
        } else {
            rows.push(cols.iter().map(|c| (1, md(c), false)).collect());
            rows.push(cols.iter().map(|c| (1, c.year.to_string(), true)).collect());
        }
        return rows;
    }
    let same_md = gs.iter().all(|g| {
        cols[g.clone()]
            .iter()
            .all(|c| c.month == cols[g.start].month && c.day == cols[g.start].day)
    });
    if same_md && (ts.br_headers || r.chance(0.3)) {
        let sep = if ts.br_headers { "<br>" } else { " " };
        rows.push(
            gs.iter()
                .map(|g| {
                    let c = &cols[g.start];
                    (g.len(), format!("{}{sep}{}", c.span_word(), md(c)), true)
                })
                .collect(),
        );
        rows.push(cols.iter().map(|c| (1, c.year.to_string(), true)).collect());
    } else {
        rows.push(
            gs.iter()
                .map(|g| (g.len(), cols[g.start].span_word(), true))
                .collect(),
        );
        if ts.br_headers {
            rows.push(
                cols.iter()
                    .map(|c| (1, format!("{}<br>{}", md(c), c.year), true))
                    .collect(),
            );
        } else {
            rows.push(cols.iter().map(|c| (1, md(c), false)).collect());
            rows.push(cols.iter().map(|c| (1, c.year.to_string(), true)).collect());
        }
    }
    rows
}

pub fn render(r: &mut Rng, cfg: &Config, model: &Model) -> Rendered {
    let mut used = model.used.clone();
    let mut summary = model.summary.clone();
    let flavors: Vec<(V, Flavor)> = [
        (V::HtmlWorkiva, Flavor::Workiva),
        (V::HtmlDonnelley, Flavor::Donnelley),
        (V::HtmlPlain, Flavor::Plain),
    ]
    .into_iter()
    .filter(|(v, _)| cfg.enabled(*v))
    .collect();
    let pick = r.usize(0, 2);
    let fl = if let Some((_, f)) = flavors.iter().find(|(v, _)| cfg.forced == Some(*v)) {
        *f
    } else if cfg.forced == Some(V::HtmlHiddenCells) {
        Flavor::Workiva
    } else if cfg.forced == Some(V::HtmlParenCell) {
        [Flavor::Workiva, Flavor::Donnelley][pick % 2]
    } else if flavors.is_empty() {
        Flavor::Plain
    } else {
        flavors[pick % flavors.len()].1
    };
    match fl {
        Flavor::Workiva => used.push(V::HtmlWorkiva),
        Flavor::Donnelley => used.push(V::HtmlDonnelley),
        Flavor::Plain => used.push(V::HtmlPlain),
    }
    let roll = |r: &mut Rng, v: V, p: f64, used: &mut Vec<V>| {
        let y = cfg.roll(r, v, p);
        if y && !used.contains(&v) {
            used.push(v);
        }
        y
    };
    let paren_cell = fl != Flavor::Plain && roll(r, V::HtmlParenCell, 0.6, &mut used);
    let hidden = fl == Flavor::Workiva && roll(r, V::HtmlHiddenCells, 0.3, &mut used);
    let rule_rows = roll(r, V::HtmlRuleRows, 0.2, &mut used);
    let br_headers = roll(r, V::HtmlBrHeaders, 0.3, &mut used);
    let scale_in_label = fl != Flavor::Plain && roll(r, V::ScaleInLabelColumn, 0.2, &mut used);
    let ts = TStyle {
        paren_cell,
        hidden,
        rule_rows,
        br_headers,
        scale_in_label,
        unclosed_td: fl == Flavor::Donnelley && r.chance(0.5),
    };
    summary.push(format!("html {fl:?}"));
    let mut w = W {
        s: String::new(),
        fl,
        figs: Vec::new(),
        nl: if fl == Flavor::Workiva { "" } else { "\n" },
    };
    let title = esc(&format!("{} Exhibit 99.1", model.legal));
    match fl {
        Flavor::Workiva => w.push(&format!(
            "<html><head>\n<title>{title}</title></head><body>"
        )),
        Flavor::Donnelley => w.push(&format!(
            "<HTML><HEAD>\n<TITLE>{title}</TITLE>\n</HEAD>\n <BODY BGCOLOR=\"WHITE\">\n"
        )),
        Flavor::Plain => w.push(&format!(
            "<!DOCTYPE html>\n<html>\n<head><title>{title}</title></head>\n<body>\n"
        )),
    }
    let head = match fl {
        Flavor::Workiva => format!(
            "<div style=\"text-align:center\"><font style=\"{WFONT}\">{}</font></div><div><font><br></font></div>",
            esc(&model.headline)
        ),
        Flavor::Donnelley => format!(
            "<P STYLE=\"margin-top:12px;margin-bottom:0px\" ALIGN=\"center\"><FONT SIZE=\"2\"><B>{}</B></FONT></P>\n",
            esc(&model.headline)
        ),
        Flavor::Plain => format!("<h1>{}</h1>\n", esc(&model.headline)),
    };
    w.push(&head);
    let mut in_list = false;
    for p in &model.paras {
        if fl == Flavor::Plain && p.bullet && !in_list {
            w.push("<ul>\n");
            in_list = true;
        }
        if fl == Flavor::Plain && !p.bullet && in_list {
            w.push("</ul>\n");
            in_list = false;
        }
        para(&mut w, &p.pieces, p.bullet);
    }
    let (scale_is, scale_bs) = if model.in_millions {
        (
            r.pick(&[
                "(In millions, except per share data)",
                "(in millions, except per share amounts)",
            ]),
            "(In millions)",
        )
    } else {
        (
            r.pick(&[
                "(In thousands, except per share data)",
                "(in thousands, except per share amounts)",
            ]),
            "(In thousands)",
        )
    };
    let mut marks = Vec::new();
    let mut cells = Vec::new();
    let legal = model.legal.to_uppercase();
    for (si, s) in model.statements.iter().enumerate() {
        if fl == Flavor::Workiva {
            w.push("<div style=\"page-break-after:always\"><hr style=\"page-break-after:always\"></div>");
        } else if fl == Flavor::Donnelley && si > 0 {
            w.push("<P STYLE=\"margin-top:0px;margin-bottom:0px\">&nbsp;</P>\n<HR SIZE=\"3\" NOSHADE>\n");
        }
        let scale = if s.per_share { scale_is } else { scale_bs };
        let title = match s.kind {
            Kind::Income | Kind::Balance => legal.as_str(),
            _ => "",
        };
        table(r, &mut w, &ts, s, si, scale, title, &mut marks, &mut cells);
    }
    let tail = match fl {
        Flavor::Workiva => {
            "<div><font>CONTACT: Investor Relations, ir@example.invalid</font></div></body></html>\n"
        }
        Flavor::Donnelley => "<P>CONTACT: Investor Relations, ir@example.invalid\n</BODY></HTML>\n",
        Flavor::Plain => {
            "<p>CONTACT: Investor Relations, ir@example.invalid</p>\n</body>\n</html>\n"
        }
    };
    w.push(tail);
    let off = model.off_by_one.as_ref().and_then(|(si, label)| {
        marks
            .iter()
            .find(|m| m.0 == *si && m.1 == *label)
            .map(|m| (m.1.clone(), m.2.clone()))
    });
    let cells = cells
        .into_iter()
        .map(|(si, row, label, col, range)| {
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
        text: w.s,
        off_by_one: off,
        figs: w.figs,
        cells,
        summary,
        used,
    }
}
