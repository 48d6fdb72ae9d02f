//! `--format html`: the reviewer's view, a ticked copy of the release.
//!
//! One self-contained page per release: the release as its reader sees it
//! (a text release in a fixed-width block, an HTML release rebuilt from its
//! own markup by [`super::html_release`]), every figure a check looked at
//! marked with a tick (it ties), a cross (it does not, or it takes part in
//! a check that does not) or a question mark (it could not be checked),
//! and the table figures no check used underlined with dots. Hovering or
//! focusing a mark shows each check it took part in: the rule, the
//! arithmetic on the printed figures, and links to the other figures. A
//! summary at the top gives the counts, the coverage of the tables'
//! figures and every finding with a link to its mark.
//!
//! The page has no script at all: the pop-ups are CSS (`:hover`,
//! `:focus-within`), and a Content-Security-Policy forbids scripts and any
//! fetch, so nothing a release contains can run or call out.
//!
//! A sweep writes a folder: `index.html` with a row per release, and a page
//! per release under `pages/`.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::ops::Range;
use std::path::PathBuf;

use super::html_release::{Marks, escape, escape_into, render_html, render_text};
use super::spool::Spool;
use super::{FileReport, FileStatus, RenderOptions, SourceText, Summary};
use crate::finding::Severity;

/// What a mark says about its figure, worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum State {
    /// Read, used by no check.
    Unused,
    /// Tied: a total that foots, an identity that holds, a verified claim.
    Ok,
    /// Could not be checked (an unverifiable claim, a note).
    Unknown,
    /// Took part in a check that fails, not as the figure it blames.
    Involved,
    /// The figure a failing check blames.
    Bad,
}

impl State {
    fn class(self) -> &'static str {
        match self {
            State::Unused => "un",
            State::Ok => "ok",
            State::Unknown => "unk",
            State::Involved => "inv",
            State::Bad => "bad",
        }
    }
}

/// Something a figure took part in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
    Finding(usize),
    Tick(usize),
    Claim(usize),
    Figure(usize),
}

/// The marks of one page: disjoint ranges of the decoded text, each with
/// the items that cover it.
struct PageMarks<'r> {
    report: &'r FileReport,
    ranges: Vec<Range<usize>>,
    items: Vec<Vec<(Item, State)>>,
    /// Parts written of each mark (the first carries the id and pop-up).
    written: Vec<u32>,
    popup_done: Vec<bool>,
    /// For each finding, the mark of its first label.
    finding_mark: Vec<Option<usize>>,
    text: &'r SourceText<'r>,
}

impl<'r> PageMarks<'r> {
    fn new(report: &'r FileReport, text: &'r SourceText<'r>) -> PageMarks<'r> {
        let len = text.text().len();
        let range_of = |span: crate::span::Span| -> Option<Range<usize>> {
            let r = text.decoded_range(span);
            if r.start < r.end {
                return Some(r);
            }
            // An empty span marks the character after it.
            let s = text.text();
            let start = r.start.min(len);
            let end = s[start..].chars().next().map(|c| start + c.len_utf8())?;
            Some(start..end)
        };
        let mut spans: Vec<(Range<usize>, Item, State)> = Vec::new();
        for (i, f) in report.findings.iter().enumerate() {
            for (j, l) in f.labels.iter().enumerate() {
                let state = match (f.severity, j) {
                    (Severity::Note, _) => State::Unknown,
                    (_, 0) => State::Bad,
                    _ => State::Involved,
                };
                let state = if f.acknowledged {
                    State::Unknown
                } else {
                    state
                };
                if let Some(r) = range_of(l.span) {
                    spans.push((r, Item::Finding(i), state));
                }
            }
        }
        if let Some(review) = &report.review {
            for (i, t) in review.ticks.iter().enumerate() {
                for l in &t.labels {
                    if let Some(r) = range_of(l.span) {
                        spans.push((r, Item::Tick(i), State::Ok));
                    }
                }
            }
            for (i, l) in review.figures.iter().enumerate() {
                if let Some(r) = range_of(l.span) {
                    spans.push((r, Item::Figure(i), State::Unused));
                }
            }
        }
        for (i, c) in report.claims.iter().enumerate() {
            let state = match c.status {
                "verified" => State::Ok,
                "contradicted" => State::Bad,
                _ => State::Unknown,
            };
            if let Some(r) = range_of(c.span) {
                spans.push((r, Item::Claim(i), state));
            }
            for l in &c.ticked {
                if let Some(r) = range_of(l.span) {
                    spans.push((r, Item::Claim(i), State::Ok));
                }
            }
        }
        // Cut into disjoint ranges at every start and end; each keeps the
        // items covering it.
        let mut bounds: Vec<usize> = spans
            .iter()
            .flat_map(|(r, _, _)| [r.start, r.end])
            .collect();
        bounds.sort_unstable();
        bounds.dedup();
        spans.sort_by_key(|(r, _, _)| (r.start, r.end));
        let mut ranges = Vec::new();
        let mut items: Vec<Vec<(Item, State)>> = Vec::new();
        let mut active: Vec<(usize, Item, State)> = Vec::new();
        let mut next = 0;
        for w in bounds.windows(2) {
            let (a, b) = (w[0], w[1]);
            active.retain(|(end, _, _)| *end > a);
            while next < spans.len() && spans[next].0.start <= a {
                let (r, item, state) = &spans[next];
                if r.end > a {
                    active.push((r.end, *item, *state));
                }
                next += 1;
            }
            if active.is_empty() {
                continue;
            }
            let mut here: Vec<(Item, State)> = active.iter().map(|&(_, i, s)| (i, s)).collect();
            here.sort();
            here.dedup_by_key(|(i, _)| *i);
            // A figure some check used is not "used by no check".
            if here.iter().any(|(i, _)| !matches!(i, Item::Figure(_))) {
                here.retain(|(i, _)| !matches!(i, Item::Figure(_)));
            }
            ranges.push(a..b);
            items.push(here);
        }
        let mut marks = PageMarks {
            report,
            written: vec![0; ranges.len()],
            popup_done: vec![false; ranges.len()],
            finding_mark: Vec::new(),
            ranges,
            items,
            text,
        };
        marks.finding_mark = report
            .findings
            .iter()
            .map(|f| {
                f.labels
                    .first()
                    .and_then(|l| range_of(l.span))
                    .and_then(|r| marks.mark_at(r.start))
            })
            .collect();
        marks
    }

    /// The mark covering decoded offset `at`.
    fn mark_at(&self, at: usize) -> Option<usize> {
        let k = self.ranges.partition_point(|r| r.end <= at);
        self.ranges.get(k).filter(|r| r.start <= at).map(|_| k)
    }

    fn state(&self, k: usize) -> State {
        self.items[k]
            .iter()
            .map(|&(_, s)| s)
            .max()
            .unwrap_or(State::Unused)
    }

    /// A link to the mark of a span, with its label text.
    fn link(&self, span: crate::span::Span, text: &str, out: &mut String) {
        let r = self.text.decoded_range(span);
        match self.mark_at(r.start) {
            Some(k) => {
                let _ = write!(out, "<a href=\"#m{k}\">");
                escape_into(text, out);
                out.push_str("</a>");
            }
            None => escape_into(text, out),
        }
    }

    fn links(&self, labels: &[crate::finding::Label], out: &mut String) {
        if labels.is_empty() {
            return;
        }
        out.push_str("<span class=\"figs\">");
        for (i, l) in labels.iter().enumerate() {
            if i > 0 {
                out.push_str(" · ");
            }
            self.link(l.span, &l.text, out);
        }
        out.push_str("</span>");
    }

    /// What an item says, as phrasing content (it goes inside a pop-up in a
    /// table cell or a fixed-width block).
    fn describe(&self, item: Item, state: State, out: &mut String) {
        let r = self.report;
        let _ = write!(out, "<span class=\"it {}\">", state.class());
        match item {
            Item::Finding(i) => {
                let f = &r.findings[i];
                let _ = write!(
                    out,
                    "<b>{}{}[{}]</b> ",
                    if f.acknowledged { "acknowledged " } else { "" },
                    f.severity,
                    escape(&f.rule)
                );
                escape_into(&f.message, out);
                escape_into(&f.elsewhere_note(), out);
                out.push_str("<br>");
                self.links(&f.labels, out);
            }
            Item::Tick(i) => {
                if let Some(t) = r.review.as_ref().and_then(|v| v.ticks.get(i)) {
                    let _ = write!(out, "<b>ties [{}]</b> ", escape(&t.rule));
                    escape_into(&t.text, out);
                    out.push_str("<br>");
                    self.links(&t.labels, out);
                }
            }
            Item::Claim(i) => {
                let c = &r.claims[i];
                let _ = write!(out, "<b>claim {}</b> ", escape(c.status));
                escape_into(&c.metric, out);
                if let Some(a) = &c.amount {
                    out.push(' ');
                    escape_into(a, out);
                }
                if let Some(p) = &c.period {
                    out.push_str(" (");
                    escape_into(p, out);
                    out.push(')');
                }
                if let Some(d) = &c.detail {
                    out.push_str(": ");
                    escape_into(d, out);
                }
                out.push_str("<br>");
                let mut labels = vec![crate::finding::Label::new(c.span, "the claim")];
                labels.extend(c.ticked.iter().cloned());
                self.links(&labels, out);
            }
            Item::Figure(i) => {
                if let Some(l) = r.review.as_ref().and_then(|v| v.figures.get(i)) {
                    escape_into(&l.text, out);
                    out.push_str(": read, used by no check");
                }
            }
        }
        out.push_str("</span>");
    }

    fn popup(&self, k: usize, out: &mut String) {
        out.push_str("<span class=\"pop\" role=\"tooltip\">");
        for &(item, state) in &self.items[k] {
            self.describe(item, state, out);
        }
        out.push_str("</span>");
    }

    /// The `data-` attributes of mark `k`: the findings, checks and
    /// claims it takes part in, by their index in the report (for tests
    /// and tools that read the page).
    fn data(&self, k: usize, out: &mut String) {
        for (attr, pick) in [
            ("data-findings", 0u8),
            ("data-ticks", 1),
            ("data-claims", 2),
        ] {
            let mut first = true;
            for &(item, _) in &self.items[k] {
                let i = match (item, pick) {
                    (Item::Finding(i), 0) | (Item::Tick(i), 1) | (Item::Claim(i), 2) => i,
                    _ => continue,
                };
                if first {
                    let _ = write!(out, " {attr}=\"{i}");
                    first = false;
                } else {
                    let _ = write!(out, " {i}");
                }
            }
            if !first {
                out.push('"');
            }
        }
    }
}

impl Marks for PageMarks<'_> {
    fn ranges(&self) -> &[Range<usize>] {
        &self.ranges
    }

    fn open(&mut self, k: usize, out: &mut String) {
        let class = self.state(k).class();
        if self.written[k] == 0 {
            let _ = write!(out, "<span class=\"mk {class}\" id=\"m{k}\" tabindex=\"0\"");
            self.data(k, out);
            out.push('>');
        } else {
            let _ = write!(out, "<span class=\"mk {class} part\">");
        }
        self.written[k] += 1;
    }

    fn close(&mut self, k: usize, _last: bool, out: &mut String) {
        if !self.popup_done[k] {
            self.popup_done[k] = true;
            self.popup(k, out);
        }
        out.push_str("</span>");
    }
}

const STYLE: &str = r#"
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
header,section.side{padding:12px 24px;border-bottom:1px solid #d0d7de;background:#f6f8fa}
h1{font-size:20px;margin:4px 0 8px}
h2{font-size:16px;margin:12px 0 6px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.status{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:13px}
.status.pass{background:#dafbe1;color:#116329}.status.fail{background:#ffebe9;color:#a40e26}.status.none{background:#fff8c5;color:#7d4e00}
table.counts{border-collapse:collapse;margin:6px 0}
table.counts td,table.counts th{padding:2px 12px 2px 0;text-align:left}
ul.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:6px 18px}
ol.findings li{margin:4px 0}
.doc{padding:16px 24px;overflow-x:auto}
.doc table{border-collapse:collapse}
pre.release{font:13px/1.35 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre;margin:0}
.ul{padding-left:1.5em}.li{display:list-item;list-style:disc}.h{font-weight:bold}.pre{white-space:pre;font-family:monospace}
.mk{position:relative;border-radius:2px;cursor:pointer}
.mk::after{position:absolute;right:-.55em;top:-.75em;font:bold 10px/1 system-ui,sans-serif;pointer-events:none}
.mk.part::after{content:none}
.mk.ok{background:#dafbe1}.mk.ok::after{content:"\2713";color:#1a7f37}
.mk.bad{background:#ffcecb;outline:2px solid #cf222e}.mk.bad::after{content:"\2717";color:#cf222e}
.mk.inv{background:#ffebe9;outline:1px dashed #cf222e}.mk.inv::after{content:"\2717";color:#e78b87}
.mk.unk{background:#fff1b8}.mk.unk::after{content:"?";color:#9a6700}
.mk.un{border-bottom:1px dotted #6e7781}
.sym{display:inline-block;min-width:1.3em;padding:0 3px;border-radius:2px;text-align:center;font-weight:bold}
.sym.ok{background:#dafbe1;color:#1a7f37}.sym.bad{background:#ffcecb;color:#cf222e}.sym.inv{background:#ffebe9;color:#e78b87}.sym.unk{background:#fff1b8;color:#9a6700}.sym.un{border-bottom:1px dotted #6e7781}
.pop{display:none;position:absolute;z-index:20;left:0;top:1.5em;min-width:24em;max-width:44em;padding:6px 8px;background:#fff;color:#1f2328;border:1px solid #8c959f;border-radius:4px;box-shadow:0 3px 12px rgba(0,0,0,.2);font:13px/1.4 system-ui,sans-serif;white-space:normal;text-align:left;font-weight:normal;font-style:normal;text-decoration:none;text-indent:0}
.mk:hover>.pop,.mk:focus>.pop,.mk:focus-within>.pop{display:block}
.it{display:block;padding:3px 0;border-top:1px solid #eaeef2}.it:first-child{border-top:0}
.it.ok>b{color:#1a7f37}.it.bad>b,.it.inv>b{color:#cf222e}.it.unk>b{color:#9a6700}
.figs{color:#57606a}
:target{outline:3px solid #0969da !important}
table.files{border-collapse:collapse}table.files td,table.files th{padding:3px 10px;border-bottom:1px solid #eaeef2;text-align:left}table.files td.n{text-align:right}
"#;

/// The head of a page: the policy first, so nothing before it can fetch.
fn head(title: &str, out: &mut String) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n",
    );
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"tieout\">\n<title>");
    escape_into(title, out);
    out.push_str("</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
}

fn legend(out: &mut String) {
    out.push_str(
        "<ul class=\"legend\">\
         <li><span class=\"sym ok\">\u{2713}</span> ties: a total that foots, an identity that holds, a claim verified</li>\
         <li><span class=\"sym bad\">\u{2717}</span> does not tie: the figure a finding blames</li>\
         <li><span class=\"sym inv\">\u{2717}</span> part of a check that does not tie</li>\
         <li><span class=\"sym unk\">?</span> could not be checked, or a note</li>\
         <li><span class=\"sym un\">1,234</span> read, used by no check</li>\
         </ul>\n<p>Hover over a mark, or focus it (click, Tab), to see each check: the rule, the arithmetic and the other figures.</p>\n",
    );
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "–".to_owned()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// One release's page.
pub(super) fn render_page(
    report: &FileReport,
    opts: &RenderOptions,
    index: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let text = report.source_text();
    let mut marks = PageMarks::new(report, &text);
    let mut page = String::with_capacity(text.text().len() * 2 + 8192);
    head(&format!("tieout: {}", report.path), &mut page);
    page.push_str("<header>\n");
    if let Some(index) = index {
        let _ = writeln!(
            page,
            "<p><a href=\"{}\">All releases</a></p>",
            escape(index)
        );
    }
    page.push_str("<h1>Tick and tie: <code>");
    escape_into(&report.path, &mut page);
    page.push_str("</code></h1>\n");
    let open: Vec<&crate::finding::Finding> =
        report.findings.iter().filter(|f| !f.acknowledged).collect();
    let worst = open.iter().map(|f| f.severity).max();
    let (class, status) = match (report.status, worst) {
        (FileStatus::Error, _) => ("fail", "not checked: error".to_owned()),
        (FileStatus::NotChecked, _) => ("none", "nothing could be checked".to_owned()),
        (FileStatus::Ok, Some(Severity::Error)) => ("fail", "errors".to_owned()),
        (FileStatus::Ok, Some(Severity::Warning)) => ("fail", "warnings".to_owned()),
        (FileStatus::Ok, _) => ("pass", "ties".to_owned()),
    };
    let _ = writeln!(
        page,
        "<p><span class=\"status {class}\">{status}</span> tieout {}</p>",
        escape(&opts.tool_version)
    );
    if let Some(e) = &report.error {
        page.push_str("<p>");
        escape_into(e, &mut page);
        page.push_str("</p>\n");
    }
    let s = &report.stats;
    let count = |sev: Severity| open.iter().filter(|f| f.severity == sev).count();
    let ticks = report.review.as_ref().map_or(0, |r| r.ticks.len());
    let _ = writeln!(
        page,
        "<table class=\"counts\"><tr><th>Findings</th><td>{} error(s), {} warning(s), {} note(s){}</td></tr>\
         <tr><th>Checks that tie</th><td>{ticks}</td></tr>\
         <tr><th>Table figures checked</th><td>{} of {} ({})</td></tr>\
         <tr><th>Claims in the text</th><td>{} found: {} verified, {} contradicted, {} unverifiable</td></tr>\
         <tr><th>Tables</th><td>{}, of which {} no check touched</td></tr></table>",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
        match report.findings.len() - open.len() {
            0 => String::new(),
            n => format!("; {n} acknowledged"),
        },
        s.figures_checked,
        s.facts,
        percent(s.figures_checked, s.facts),
        s.claims_found,
        s.claims_verified,
        s.claims_contradicted,
        s.claims_unverifiable,
        s.tables,
        s.tables_untouched,
    );
    if report.claims.is_empty() && s.claims_found > 0 {
        page.push_str("<p>Claims are marked with <code>--claims</code>.</p>\n");
    }
    legend(&mut page);
    page.push_str("</header>\n");
    findings_section(&marks, &text, &mut page);
    // The release itself.
    page.push_str("<main class=\"doc\">\n");
    if report.status != FileStatus::Error || !report.source.is_empty() {
        render_document(report, &text, &mut marks, &mut page);
    }
    page.push_str("</main>\n");
    unshown_section(&mut marks, &mut page);
    details_sections(&marks, &mut page);
    page.push_str("</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

fn findings_section(marks: &PageMarks<'_>, text: &SourceText<'_>, page: &mut String) {
    let r = marks.report;
    if r.findings.is_empty() && r.untouched.is_empty() {
        return;
    }
    page.push_str("<section class=\"side\">\n");
    if !r.findings.is_empty() {
        let _ = writeln!(
            page,
            "<h2>Findings ({})</h2>\n<ol class=\"findings\">",
            r.findings.len()
        );
        for (i, f) in r.findings.iter().enumerate() {
            let sym = match (f.severity, f.acknowledged) {
                (_, true) | (Severity::Note, _) => ("unk", "?"),
                _ => ("bad", "\u{2717}"),
            };
            let _ = write!(
                page,
                "<li id=\"f{i}\"><span class=\"sym {}\">{}</span> <b>{}{}[{}]</b> ",
                sym.0,
                sym.1,
                if f.acknowledged { "acknowledged " } else { "" },
                f.severity,
                escape(&f.rule)
            );
            escape_into(&f.message, page);
            escape_into(&f.elsewhere_note(), page);
            if let Some(k) = marks.finding_mark.get(i).copied().flatten() {
                let line = f.primary().map(|s| text.locate(s).start.line).unwrap_or(1);
                let _ = write!(page, " <a href=\"#m{k}\">line {line}</a>");
            }
            if let Some(h) = &f.help {
                page.push_str("<br><small>");
                escape_into(h, page);
                page.push_str("</small>");
            }
            page.push_str("</li>\n");
        }
        page.push_str("</ol>\n");
    }
    if !r.untouched.is_empty() {
        let _ = writeln!(
            page,
            "<h2>Tables no check touched ({})</h2>\n<ul>",
            r.untouched.len()
        );
        for l in &r.untouched {
            let line = text.locate(l.span).start.line;
            page.push_str("<li>");
            escape_into(&l.text, page);
            let _ = writeln!(page, " (line {line})</li>");
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</section>\n");
}

/// The release: its HTML exhibits rebuilt, the text around them (or the
/// whole of a text release) in fixed-width blocks.
fn render_document(
    report: &FileReport,
    text: &SourceText<'_>,
    marks: &mut PageMarks<'_>,
    page: &mut String,
) {
    let s = text.text();
    let html: Vec<Range<usize>> = report
        .review
        .as_ref()
        .map(|r| r.html.iter().map(|&sp| text.decoded_range(sp)).collect())
        .unwrap_or_default();
    let mut cursor = 0;
    let mut pos = 0;
    let pre =
        |r: Range<usize>, marks: &mut PageMarks<'_>, cursor: &mut usize, page: &mut String| {
            if s.get(r.clone()).is_some_and(|t| !t.trim().is_empty()) {
                page.push_str("<pre class=\"release\">");
                render_text(s, r, marks, cursor, page);
                page.push_str("</pre>\n");
            }
        };
    for r in html {
        if r.start < pos {
            continue;
        }
        pre(pos..r.start, marks, &mut cursor, page);
        page.push_str("<div class=\"release html\">");
        render_html(s, r.clone(), marks, &mut cursor, page);
        page.push_str("</div>\n");
        pos = r.end;
    }
    pre(pos..s.len(), marks, &mut cursor, page);
}

/// Marks on text the page does not show (in a skipped element, between
/// exhibits): listed, so that every finding has its mark.
fn unshown_section(marks: &mut PageMarks<'_>, page: &mut String) {
    let unshown: Vec<usize> = (0..marks.ranges.len())
        .filter(|&k| marks.written[k] == 0)
        .filter(|&k| {
            marks.items[k]
                .iter()
                .any(|(i, _)| !matches!(i, Item::Figure(_)))
        })
        .collect();
    if unshown.is_empty() {
        return;
    }
    page.push_str("<section class=\"side\"><h2>Marked text the page does not show</h2>\n<ul>\n");
    let s = marks.text.text();
    for k in unshown {
        page.push_str("<li>");
        let r = marks.ranges[k].clone();
        let mut snippet: String = s.get(r).unwrap_or("").chars().take(120).collect();
        if snippet.trim().is_empty() {
            snippet = "(blank)".to_owned();
        }
        marks.open(k, page);
        escape_into(&snippet, page);
        marks.close(k, true, page);
        page.push_str("</li>\n");
    }
    page.push_str("</ul></section>\n");
}

/// Every check that tied and every claim, collapsed.
fn details_sections(marks: &PageMarks<'_>, page: &mut String) {
    let r = marks.report;
    page.push_str("<section class=\"side\">\n");
    if let Some(review) = r.review.as_ref().filter(|v| !v.ticks.is_empty()) {
        let _ = writeln!(
            page,
            "<details><summary>Every check that ties ({})</summary>\n<ol>",
            review.ticks.len()
        );
        for (i, _) in review.ticks.iter().enumerate() {
            page.push_str("<li>");
            marks.describe(Item::Tick(i), State::Ok, page);
            page.push_str("</li>\n");
        }
        page.push_str("</ol></details>\n");
    }
    if !r.claims.is_empty() {
        let _ = writeln!(
            page,
            "<details><summary>Every claim in the text ({})</summary>\n<ol>",
            r.claims.len()
        );
        for (i, c) in r.claims.iter().enumerate() {
            let state = match c.status {
                "verified" => State::Ok,
                "contradicted" => State::Bad,
                _ => State::Unknown,
            };
            page.push_str("<li>");
            marks.describe(Item::Claim(i), state, page);
            page.push_str("</li>\n");
        }
        page.push_str("</ol></details>\n");
    }
    page.push_str("</section>\n");
}

/// `--format html` as a stream: one page to the output, or with a folder,
/// a page per release and an index.
pub(super) struct HtmlStream {
    folder: Option<PathBuf>,
    /// The index's rows, spooled until the summary is known.
    rows: Spool,
    pages: usize,
}

/// The folder under the output folder that holds the pages.
const PAGES: &str = "pages";

impl HtmlStream {
    pub(super) fn new(folder: Option<PathBuf>) -> HtmlStream {
        HtmlStream {
            folder,
            rows: Spool::new(),
            pages: 0,
        }
    }

    pub(super) fn file(
        &mut self,
        report: &FileReport,
        opts: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.pages += 1;
        let Some(folder) = &self.folder else {
            return render_page(report, opts, None, out);
        };
        let name = page_name(self.pages, &report.path);
        let dir = folder.join(PAGES);
        std::fs::create_dir_all(&dir)?;
        let mut w = io::BufWriter::new(std::fs::File::create(dir.join(&name))?);
        render_page(report, opts, Some("../index.html"), &mut w)?;
        w.flush()?;
        let mut row = String::new();
        let open: Vec<&crate::finding::Finding> =
            report.findings.iter().filter(|f| !f.acknowledged).collect();
        let count = |sev: Severity| open.iter().filter(|f| f.severity == sev).count();
        let status = match report.status {
            FileStatus::Ok => "checked",
            FileStatus::Error => "error",
            FileStatus::NotChecked => "not checked",
        };
        let s = &report.stats;
        let _ = writeln!(
            row,
            "<tr><td><a href=\"{PAGES}/{}\">{}</a></td><td>{status}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} / {} / {}</td></tr>",
            escape(&name),
            escape(&report.path),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note),
            percent(s.figures_checked, s.facts),
            s.claims_verified,
            s.claims_contradicted,
            s.claims_unverifiable,
        );
        self.rows.write_all(row.as_bytes())
    }

    pub(super) fn finish(
        &mut self,
        summary: &Summary,
        opts: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let Some(folder) = &self.folder else {
            if self.pages == 0 {
                let mut page = String::new();
                head("tieout: no release", &mut page);
                page.push_str(
                    "<header><h1>No release was checked</h1></header>\n</body>\n</html>\n",
                );
                out.write_all(page.as_bytes())?;
            }
            return Ok(());
        };
        std::fs::create_dir_all(folder)?;
        let mut w = io::BufWriter::new(std::fs::File::create(folder.join("index.html"))?);
        let mut page = String::new();
        head("tieout: releases", &mut page);
        let t = &summary.totals;
        let _ = writeln!(
            page,
            "<header><h1>Tick and tie: {} release(s)</h1>\n<p>tieout {}</p>\n<table class=\"counts\">\
             <tr><th>Releases</th><td>{} checked, {} with findings, {} not readable, {} in which nothing could be checked</td></tr>\
             <tr><th>Findings</th><td>{} error(s), {} warning(s), {} note(s); {} acknowledged</td></tr>\
             <tr><th>Table figures checked</th><td>{} of {} ({})</td></tr>\
             <tr><th>Claims in the text</th><td>{} found: {} verified, {} contradicted, {} unverifiable</td></tr></table>",
            summary.files_checked,
            escape(&opts.tool_version),
            summary.files_checked,
            summary.files_with_findings,
            summary.files_error,
            summary.files_not_checked,
            summary.by_severity.get(Severity::Error),
            summary.by_severity.get(Severity::Warning),
            summary.by_severity.get(Severity::Note),
            summary.acknowledged,
            t.figures_checked,
            t.facts,
            percent(t.figures_checked, t.facts),
            t.claims_found,
            t.claims_verified,
            t.claims_contradicted,
            t.claims_unverifiable,
        );
        legend(&mut page);
        page.push_str(
            "</header>\n<main class=\"doc\">\n<table class=\"files\"><thead><tr><th>Release</th><th>Status</th><th>Errors</th><th>Warnings</th><th>Notes</th><th>Figures checked</th><th>Claims verified / contradicted / unverifiable</th></tr></thead>\n<tbody>\n",
        );
        w.write_all(page.as_bytes())?;
        self.rows.copy_to(&mut w)?;
        w.write_all(b"</tbody></table>\n</main>\n</body>\n</html>\n")?;
        w.flush()?;
        let _ = out;
        Ok(())
    }
}

/// A page's file name: its place in the run, then the path with every
/// character a file name or URL might not take replaced.
fn page_name(n: usize, path: &str) -> String {
    let mut name: String = path
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    // No `..` in a name a link is made of.
    while name.contains("..") {
        name = name.replace("..", "_.");
    }
    if name.len() > 100 {
        let cut = name.len() - 100;
        name.drain(..cut);
    }
    format!("{n:06}-{name}.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names_are_safe_and_ordered() {
        assert_eq!(
            page_name(3, "corpus/a b/<x>.txt"),
            "000003-corpus_a_b__x_.txt.html"
        );
        assert_eq!(
            page_name(1, "../../etc/passwd"),
            "000001-_.__._etc_passwd.html"
        );
        let long = "x".repeat(300);
        assert_eq!(page_name(12, &long).len(), 6 + 1 + 100 + 5);
    }
}
