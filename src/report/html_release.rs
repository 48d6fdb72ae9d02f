//! A release shown inside a report page, with its figures marked.
//!
//! A text release is shown in a fixed-width block. An HTML release is
//! rebuilt from its own markup through an allowlist: the elements that lay
//! out text and tables (`p`, `div`, `table`, `tr`, `td`, `b`, `i`, `font`
//! ...), each written as a valid HTML5 element (`font` as a `span`,
//! `center` as a `div`, `align` and `bgcolor` as inline CSS), with only the
//! CSS properties that place and colour text, and nothing else: no script,
//! no style sheet, no image, no link, no event attribute, no `url(...)`.
//! The page's Content-Security-Policy forbids scripts and every fetch as a
//! second line of defence.
//!
//! The markup is written well formed whatever the release's tag soup:
//! implied ends are closed, stray end tags dropped, a block inside an inline
//! element closes it and reopens it inside the block (as a browser does),
//! text or cells straight inside a table get their row and cell, so that a
//! browser reads the page into the tree the report meant (a mark is never
//! moved out of its table by the parser).
//!
//! **Architecture Invariant:** nothing from the release reaches the page
//! unescaped. Text is decoded (entities as a browser reads them) and then
//! escaped; attribute values are built by the report, never copied.

use std::ops::Range;

use html5gum::{DefaultEmitter, Token, Tokenizer};

use crate::parse::html::tree::{GuardedReader, is_void};

/// What a renderer calls where a mark starts and ends. Marks are given as
/// disjoint, sorted ranges of the decoded text; one may be written in
/// several parts (a range that crosses tags).
pub(super) trait Marks {
    /// The ranges to mark, sorted and disjoint.
    fn ranges(&self) -> &[Range<usize>];
    /// Opens a part of mark `k`.
    fn open(&mut self, k: usize, out: &mut String);
    /// Closes a part of mark `k`; `last` when the part ends where the mark
    /// does.
    fn close(&mut self, k: usize, last: bool, out: &mut String);
}

/// Escapes text for an element's content or a double-quoted attribute.
/// Characters HTML does not allow in a document (controls other than
/// whitespace, noncharacters) become U+FFFD.
pub(super) fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\u{c}' => out.push(c),
            '\r' => out.push('\n'),
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) => out.push('\u{fffd}'),
            c if is_noncharacter(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(s, &mut out);
    out
}

fn is_noncharacter(c: char) -> bool {
    let u = c as u32;
    (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE
}

/// Walks `range` of `text`, cutting it at the marks: `piece` writes an
/// unmarked or marked stretch, the marks are opened and closed around the
/// marked ones. `cursor` is the first mark that may still be reached.
fn split_at_marks(
    range: Range<usize>,
    marks: &mut dyn Marks,
    cursor: &mut usize,
    out: &mut String,
    piece: &mut dyn FnMut(Range<usize>, &mut String),
) {
    let mut pos = range.start;
    while *cursor < marks.ranges().len() && marks.ranges()[*cursor].end <= pos {
        *cursor += 1;
    }
    while pos < range.end {
        let next = marks.ranges().get(*cursor).cloned();
        match next {
            Some(m) if m.start <= pos => {
                let end = m.end.min(range.end);
                marks.open(*cursor, out);
                piece(pos..end, out);
                marks.close(*cursor, end == m.end, out);
                pos = end;
                if end == m.end {
                    *cursor += 1;
                }
            }
            Some(m) if m.start < range.end => {
                piece(pos..m.start, out);
                pos = m.start;
            }
            _ => {
                piece(pos..range.end, out);
                pos = range.end;
            }
        }
    }
}

/// A text release (or the text of a submission around its HTML exhibits):
/// `text[range]`, escaped, with its marks, for a `<pre>` block.
pub(super) fn render_text(
    text: &str,
    range: Range<usize>,
    marks: &mut dyn Marks,
    cursor: &mut usize,
    out: &mut String,
) {
    split_at_marks(range, marks, cursor, out, &mut |r, out| {
        if let Some(s) = text.get(r) {
            escape_into(s, out);
        }
    });
}

/// The kinds of element the rebuilt markup holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Holds flow content (`div`, `td`): blocks, tables and text.
    Flow,
    /// Holds text only (`p`).
    Para,
    /// Text formatting (`b`, `span`): reopened inside a block that closes
    /// it.
    Inline,
    Table,
    Row,
    Cell,
}

/// An element written and still open.
#[derive(Clone, Debug)]
struct Open {
    /// The release's tag name (lowercase), for its end tag.
    src: Vec<u8>,
    /// The element written.
    name: &'static str,
    /// Its start tag as written, for reopening.
    tag: String,
    kind: Kind,
    /// For formatting: its entry in [`Builder::active`].
    active: Option<u64>,
}

/// Text formatting in force until its end tag (or its container's): it is
/// reopened inside a block that closed it, before the block's text.
#[derive(Clone, Debug)]
struct Active {
    id: u64,
    open: Open,
    /// The depth of the cell or table it was opened in (0: none).
    container: usize,
}

/// Open elements past this depth are read as if their tags were absent.
const MAX_OPEN: usize = 256;
/// Formatting kept in force past this many is dropped, oldest first (a
/// release of unclosed `<b>` tags would otherwise reopen them all before
/// every word).
const MAX_ACTIVE: usize = 12;

/// How the release's elements are written.
enum Map {
    Block(&'static str, &'static str),
    Para,
    Inline(&'static str),
    Table,
    Row,
    Cell(&'static str),
    Br,
    Hr,
    /// Dropped with its content (`script`, `style`, `head` ...).
    Skip,
    /// Dropped, its content kept (`a`, `html`, `tbody` ...).
    Unwrap,
}

fn map(name: &[u8]) -> Map {
    match name {
        b"p" => Map::Para,
        b"div" | b"center" | b"blockquote" | b"address" | b"dl" | b"dt" | b"dd" | b"form"
        | b"section" | b"article" | b"header" | b"footer" | b"main" | b"nav" | b"aside"
        | b"figure" | b"figcaption" | b"fieldset" | b"details" | b"summary" => {
            Map::Block("div", "")
        }
        b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => Map::Block("div", "h"),
        b"pre" | b"listing" | b"xmp" | b"plaintext" => Map::Block("div", "pre"),
        b"ul" | b"ol" | b"menu" | b"dir" => Map::Block("div", "ul"),
        b"li" => Map::Block("div", "li"),
        b"table" => Map::Table,
        b"tr" => Map::Row,
        b"td" => Map::Cell("td"),
        b"th" => Map::Cell("th"),
        b"b" | b"strong" => Map::Inline("b"),
        b"i" | b"em" | b"cite" | b"var" | b"dfn" => Map::Inline("i"),
        b"u" | b"ins" => Map::Inline("u"),
        b"s" | b"strike" | b"del" => Map::Inline("s"),
        b"sup" => Map::Inline("sup"),
        b"sub" => Map::Inline("sub"),
        b"small" => Map::Inline("small"),
        b"font" | b"span" | b"big" | b"tt" | b"code" | b"kbd" | b"samp" | b"abbr" | b"acronym"
        | b"nobr" | b"label" | b"q" | b"mark" | b"time" | b"data" => Map::Inline("span"),
        b"br" => Map::Br,
        b"hr" => Map::Hr,
        // Never shown: dropped with their content (an unclosed one runs to
        // the end, as in a browser, whose tokenizer reads them the same).
        b"script" | b"style" | b"head" | b"title" | b"noscript" | b"template" | b"iframe"
        | b"noembed" | b"noframes" | b"textarea" | b"select" | b"datalist" => Map::Skip,
        _ => Map::Unwrap,
    }
}

/// The CSS properties kept from a release's `style` attributes: they
/// place, size and colour text and borders; none can fetch anything.
const KEPT_CSS: &[&str] = &[
    "color",
    "background-color",
    "font-weight",
    "font-style",
    "font-size",
    "font-family",
    "font-variant",
    "text-align",
    "vertical-align",
    "text-decoration",
    "text-indent",
    "text-transform",
    "white-space",
    "line-height",
    "letter-spacing",
    "padding",
    "padding-top",
    "padding-bottom",
    "padding-left",
    "padding-right",
    "margin",
    "margin-top",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "border",
    "border-top",
    "border-bottom",
    "border-left",
    "border-right",
    "border-width",
    "border-style",
    "border-color",
    "border-top-width",
    "border-bottom-width",
    "border-left-width",
    "border-right-width",
    "border-top-style",
    "border-bottom-style",
    "border-left-style",
    "border-right-style",
    "border-top-color",
    "border-bottom-color",
    "border-left-color",
    "border-right-color",
    "border-collapse",
    "border-spacing",
    "width",
    "min-width",
    "max-width",
    "height",
    "display",
];

/// A CSS value that can only be a length, a colour, a keyword or a font
/// name: no function but `rgb()`/`rgba()`, no escape, no at-rule, no
/// markup.
fn safe_css_value(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    if v.len() > 200
        || v.chars()
            .any(|c| matches!(c, '\\' | '@' | '<' | '>' | '{' | '}' | ';' | '&') || c.is_control())
    {
        return false;
    }
    if lower.contains("url") || lower.contains("expression") || lower.contains("script") {
        return false;
    }
    let bare = lower.replace("rgba(", "").replace("rgb(", "");
    let opens = lower.matches('(').count();
    let rgb = lower.matches("rgb").count();
    !bare.contains('(') || opens == rgb
}

/// Adds the kept declarations of a `style` attribute to `css`.
fn keep_style(style: &str, css: &mut String) {
    for decl in style.split(';') {
        let Some((prop, value)) = decl.split_once(':') else {
            continue;
        };
        let prop = prop.trim().to_ascii_lowercase();
        let value = value.trim();
        let value = value
            .strip_suffix("!important")
            .map_or(value, str::trim_end);
        if value.is_empty() || !KEPT_CSS.contains(&prop.as_str()) || !safe_css_value(value) {
            continue;
        }
        if prop == "display" && !matches!(value, "none" | "block" | "inline" | "inline-block") {
            continue;
        }
        css.push_str(&prop);
        css.push(':');
        css.push_str(value);
        css.push(';');
    }
}

/// An attribute value made of the characters a length, a colour name or
/// number, or a font name needs.
fn plain_value(v: &str) -> Option<&str> {
    let v = v.trim();
    (!v.is_empty()
        && v.len() <= 64
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '#' | '%' | '.' | '-' | ' ' | ',')))
    .then_some(v)
}

/// A length attribute (`width="50%"`, `width=120`) as CSS.
fn length(v: &str) -> Option<String> {
    let v = plain_value(v)?;
    if let Some(p) = v.strip_suffix('%') {
        p.parse::<f64>().ok().map(|_| format!("{p}%"))
    } else {
        let n = v.strip_suffix("px").unwrap_or(v);
        n.parse::<f64>().ok().map(|_| format!("{n}px"))
    }
}

/// The start tag written for a release element: its name, the class the
/// report styles it with, and inline CSS from its presentational
/// attributes and kept style; `span` attributes for cells.
fn start_tag(
    name: &'static str,
    class: &str,
    attrs: &dyn Fn(&[u8]) -> Option<String>,
    table: bool,
) -> String {
    let mut css = String::new();
    if let Some(a) = attrs(b"align").as_deref().and_then(plain_value) {
        let a = a.to_ascii_lowercase();
        if matches!(a.as_str(), "left" | "right" | "center" | "justify") {
            if table {
                if a == "center" {
                    css.push_str("margin-left:auto;margin-right:auto;");
                }
            } else {
                css.push_str("text-align:");
                css.push_str(&a);
                css.push(';');
            }
        }
    }
    if let Some(a) = attrs(b"valign").as_deref().and_then(plain_value) {
        let a = a.to_ascii_lowercase();
        if matches!(a.as_str(), "top" | "middle" | "bottom" | "baseline") {
            css.push_str("vertical-align:");
            css.push_str(&a);
            css.push(';');
        }
    }
    if let Some(w) = attrs(b"width").as_deref().and_then(length) {
        css.push_str("width:");
        css.push_str(&w);
        css.push(';');
    }
    if let Some(c) = attrs(b"bgcolor").as_deref().and_then(plain_value) {
        css.push_str("background-color:");
        css.push_str(c);
        css.push(';');
    }
    if let Some(c) = attrs(b"color").as_deref().and_then(plain_value) {
        css.push_str("color:");
        css.push_str(c);
        css.push(';');
    }
    if let Some(f) = attrs(b"face").as_deref().and_then(plain_value) {
        css.push_str("font-family:");
        css.push_str(f);
        css.push(';');
    }
    if let Some(s) = attrs(b"size").as_deref().and_then(plain_value) {
        let size = match s.trim_start_matches('+') {
            "1" => Some("x-small"),
            "2" => Some("small"),
            "3" => Some("medium"),
            "4" => Some("large"),
            "5" => Some("x-large"),
            "6" | "7" => Some("xx-large"),
            "-1" | "-2" => Some("smaller"),
            _ => None,
        };
        if let Some(size) = size.filter(|_| name == "span") {
            css.push_str("font-size:");
            css.push_str(size);
            css.push(';');
        }
    }
    if let Some(s) = attrs(b"style") {
        keep_style(&s, &mut css);
    }
    let mut tag = format!("<{name}");
    if !class.is_empty() {
        tag.push_str(" class=\"");
        tag.push_str(class);
        tag.push('"');
    }
    if matches!(name, "td" | "th") {
        for (attr, key) in [("colspan", &b"colspan"[..]), ("rowspan", &b"rowspan"[..])] {
            if let Some(n) = attrs(key)
                .and_then(|v| v.trim().parse::<u32>().ok())
                .filter(|&n| n > 1)
            {
                tag.push_str(&format!(" {attr}=\"{}\"", n.min(1000)));
            }
        }
    }
    if attrs(b"hidden").is_some() {
        tag.push_str(" hidden");
    }
    if !css.is_empty() {
        tag.push_str(" style=\"");
        escape_into(&css, &mut tag);
        tag.push('"');
    }
    tag.push('>');
    tag
}

/// The rebuilt markup: a stack of open elements over the output.
struct Builder<'o> {
    out: &'o mut String,
    stack: Vec<Open>,
    active: Vec<Active>,
    next_id: u64,
}

impl Builder<'_> {
    fn top_kind(&self) -> Kind {
        self.stack.last().map_or(Kind::Flow, |o| o.kind)
    }

    /// The depth of the innermost cell or table: formatting does not cross
    /// one (as in a browser, where they are markers in the list of active
    /// formatting elements).
    fn marker_depth(&self) -> usize {
        self.stack
            .iter()
            .rposition(|o| matches!(o.kind, Kind::Cell | Kind::Table))
            .map_or(0, |i| i + 1)
    }

    fn push(&mut self, o: Open) -> bool {
        if self.stack.len() >= MAX_OPEN {
            return false;
        }
        self.out.push_str(&o.tag);
        self.stack.push(o);
        true
    }

    fn pop(&mut self) -> Option<Open> {
        let o = self.stack.pop()?;
        self.out.push_str("</");
        self.out.push_str(o.name);
        self.out.push('>');
        if matches!(o.kind, Kind::Cell | Kind::Table) {
            // Formatting opened inside a closed cell or table is over.
            let depth = self.stack.len();
            self.active.retain(|a| a.container <= depth);
        }
        Some(o)
    }

    /// Pops to `depth` open elements.
    fn pop_to(&mut self, depth: usize) {
        while self.stack.len() > depth {
            self.pop();
        }
    }

    /// Makes the top able to hold text or a formatting element (a row and a
    /// cell inside a bare table, a cell inside a bare row), then reopens
    /// the formatting in force that a block closed.
    fn phrasing(&mut self) {
        self.cellular();
        let depth = self.marker_depth();
        let reopen: Vec<Active> = self
            .active
            .iter()
            .filter(|a| a.container == depth)
            .filter(|a| !self.stack[depth..].iter().any(|o| o.active == Some(a.id)))
            .cloned()
            .collect();
        for a in reopen {
            let mut o = a.open;
            o.active = Some(a.id);
            self.push(o);
        }
    }

    /// Inside a table or row, opens what a cell needs.
    fn cellular(&mut self) {
        if self.top_kind() == Kind::Table {
            self.push(plain("tr", Kind::Row));
        }
        if self.top_kind() == Kind::Row {
            self.push(plain("td", Kind::Cell));
        }
    }

    /// Before a block: closes formatting and paragraphs up to the innermost
    /// flow container, or opens a cell in a table.
    fn block(&mut self) {
        let flow = self
            .stack
            .iter()
            .rposition(|o| matches!(o.kind, Kind::Flow | Kind::Cell | Kind::Table | Kind::Row))
            .map_or(0, |i| i + 1);
        self.pop_to(flow);
        self.cellular();
    }

    /// The nearest open element `pred` accepts, not looking past one that
    /// `boundary` accepts.
    fn find(
        &self,
        pred: &dyn Fn(&Open) -> bool,
        boundary: &dyn Fn(&Open) -> bool,
    ) -> Option<usize> {
        for (i, o) in self.stack.iter().enumerate().rev() {
            if pred(o) {
                return Some(i);
            }
            if boundary(o) {
                return None;
            }
        }
        None
    }

    fn start(&mut self, name: &[u8], attrs: &dyn Fn(&[u8]) -> Option<String>) {
        let element = |el: &'static str, class: &str, kind: Kind, table: bool| Open {
            src: name.to_vec(),
            name: el,
            tag: start_tag(el, class, attrs, table),
            kind,
            active: None,
        };
        match map(name) {
            Map::Skip | Map::Unwrap => {}
            Map::Br => {
                self.phrasing();
                self.out.push_str("<br>");
            }
            Map::Hr => {
                self.block();
                self.out.push_str("<hr>");
            }
            Map::Inline(el) => {
                self.phrasing();
                let mut o = element(el, "", Kind::Inline, false);
                let id = self.next_id;
                self.next_id += 1;
                o.active = Some(id);
                let container = self.marker_depth();
                if self.push(o.clone()) {
                    if self.active.len() >= MAX_ACTIVE {
                        self.active.remove(0);
                    }
                    self.active.push(Active {
                        id,
                        open: o,
                        container,
                    });
                }
            }
            Map::Para => {
                self.block();
                self.push(element("p", "", Kind::Para, false));
            }
            Map::Block(el, class) => {
                self.block();
                self.push(element(el, class, Kind::Flow, false));
            }
            Map::Table => {
                self.block();
                self.push(element("table", "", Kind::Table, true));
            }
            Map::Row => {
                let Some(t) = self.find(&|o| o.kind == Kind::Table, &|_| false) else {
                    return;
                };
                self.pop_to(t + 1);
                self.push(element("tr", "", Kind::Row, false));
            }
            Map::Cell(el) => {
                let Some(t) = self.find(&|o| o.kind == Kind::Table, &|_| false) else {
                    return;
                };
                match self.find(&|o| o.kind == Kind::Row, &|o| o.kind == Kind::Table) {
                    Some(r) => self.pop_to(r + 1),
                    None => {
                        self.pop_to(t + 1);
                        self.push(plain("tr", Kind::Row));
                    }
                }
                self.push(element(el, "", Kind::Cell, false));
            }
        }
    }

    fn end(&mut self, name: &[u8]) {
        match map(name) {
            Map::Table => {
                if let Some(i) = self.find(&|o| o.kind == Kind::Table, &|_| false) {
                    self.pop_to(i);
                }
            }
            Map::Row => {
                if let Some(i) = self.find(&|o| o.kind == Kind::Row, &|o| o.kind == Kind::Table) {
                    self.pop_to(i);
                }
            }
            Map::Cell(_) => {
                if let Some(i) = self.find(&|o| o.kind == Kind::Cell, &|o| o.kind == Kind::Table) {
                    self.pop_to(i);
                }
            }
            Map::Inline(_) => {
                // The formatting in force of this name ends, open or not.
                let Some(k) = self
                    .active
                    .iter()
                    .rposition(|a| a.open.src.as_slice() == name)
                else {
                    return;
                };
                let id = self.active.remove(k).id;
                let boundary = |o: &Open| matches!(o.kind, Kind::Table | Kind::Row | Kind::Cell);
                if let Some(i) = self.find(&|o| o.active == Some(id), &boundary) {
                    // Formatting opened inside it is closed with it and
                    // reopened before the next text.
                    self.pop_to(i);
                }
            }
            Map::Para | Map::Block(..) => {
                let boundary = |o: &Open| matches!(o.kind, Kind::Table | Kind::Row | Kind::Cell);
                if let Some(i) = self.find(&|o| o.src == name && o.kind != Kind::Inline, &boundary)
                {
                    self.pop_to(i);
                }
            }
            Map::Skip | Map::Unwrap | Map::Br | Map::Hr => {}
        }
    }

    fn finish(&mut self) {
        self.pop_to(0);
    }
}

/// An element the builder adds (a row or cell a bare table needs).
fn plain(name: &'static str, kind: Kind) -> Open {
    Open {
        src: Vec::new(),
        name,
        tag: format!("<{name}>"),
        kind,
        active: None,
    }
}

/// `text[range]`, an HTML exhibit, rebuilt safe with its marks. Falls back
/// to the markup shown as text when the tokenizer cannot read it (a tag
/// with more attributes than its stack allows).
pub(super) fn render_html(
    text: &str,
    range: Range<usize>,
    marks: &mut dyn Marks,
    cursor: &mut usize,
    out: &mut String,
) {
    let html = text.get(range.clone()).unwrap_or("");
    let mut body = String::new();
    let mut probe = *cursor;
    // Marks are stateful (parts opened, popups written): tokenize first,
    // and write only a complete rendering.
    let tokens = tokenize(html);
    match tokens {
        Some(tokens) => {
            let mut b = Builder {
                out: &mut body,
                stack: Vec::new(),
                active: Vec::new(),
                next_id: 0,
            };
            let mut skip: Option<(Vec<u8>, usize)> = None;
            for t in tokens {
                match t {
                    Tok::Start { name, attrs } => {
                        if let Some((skipped, depth)) = &mut skip {
                            if *skipped == name && !is_void(&name) {
                                *depth += 1;
                            } else if skipped.as_slice() == b"head"
                                && matches!(
                                    map(&name),
                                    Map::Block(..) | Map::Para | Map::Table | Map::Inline(_)
                                )
                                || name == b"body"
                            {
                                skip = None;
                            } else {
                                continue;
                            }
                            if skip.is_some() {
                                continue;
                            }
                        }
                        if matches!(map(&name), Map::Skip) {
                            if !is_void(&name) {
                                skip = Some((name, 1));
                            }
                            continue;
                        }
                        let get = |k: &[u8]| {
                            attrs
                                .iter()
                                .find(|(n, _)| n.as_slice() == k)
                                .map(|(_, v)| v.clone())
                        };
                        b.start(&name, &get);
                    }
                    Tok::End { name } => {
                        if let Some((skipped, depth)) = &mut skip {
                            if *skipped == name {
                                *depth -= 1;
                                if *depth == 0 {
                                    skip = None;
                                }
                            }
                            continue;
                        }
                        b.end(&name);
                    }
                    Tok::Text { raw } => {
                        if skip.is_some() {
                            continue;
                        }
                        let abs = range.start + raw.start..range.start + raw.end;
                        let raw_text = text.get(abs.clone()).unwrap_or("");
                        let blank = raw_text.bytes().all(|c| c.is_ascii_whitespace());
                        if blank && matches!(b.top_kind(), Kind::Table | Kind::Row) {
                            continue;
                        }
                        if blank && !marks_within(marks, probe, &abs) {
                            b.out.push_str(&escape(raw_text));
                            continue;
                        }
                        b.phrasing();
                        split_at_marks(abs, marks, &mut probe, b.out, &mut |r, out| {
                            if let Some(s) = text.get(r) {
                                escape_into(&decode(s), out);
                            }
                        });
                    }
                }
            }
            b.finish();
            *cursor = probe;
            out.push_str(&fix_tables(&body));
        }
        None => {
            out.push_str("<pre class=\"release\">");
            render_text(text, range, marks, cursor, out);
            out.push_str("</pre>");
        }
    }
}

/// A cell of a table being fixed: where its start tag is in the markup,
/// its row, and its spans.
struct GridCell {
    tag: Range<usize>,
    row: usize,
    colspan: usize,
    rowspan: usize,
}

/// Spans the HTML table model accepts: releases lay tables out on a grid
/// of narrow columns, and a column in which no cell begins (every row
/// spans across it), or a row span past the last row, is an error to a
/// validator and means nothing to a reader. Such columns are taken out of
/// the spans across them and row spans are cut at the last row. `html` is
/// markup this module wrote (tags well formed, text escaped), so a scan for
/// `<` finds every tag.
fn fix_tables(html: &str) -> String {
    // One frame per open table: its rows so far and its cells.
    let mut frames: Vec<(usize, Vec<GridCell>)> = Vec::new();
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut pos = 0;
    while let Some(lt) = html[pos..].find('<').map(|i| pos + i) {
        let gt = html[lt..].find('>').map_or(html.len(), |i| lt + i + 1);
        let tag = &html[lt..gt];
        pos = gt;
        let name_end = tag[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '/')
            .map_or(tag.len(), |i| i + 1);
        match &tag[1..name_end] {
            "table" => frames.push((0, Vec::new())),
            "tr" => {
                if let Some((rows, _)) = frames.last_mut() {
                    *rows += 1;
                }
            }
            "td" | "th" => {
                if let Some((rows, cells)) = frames.last_mut() {
                    let attr = |name: &str| {
                        tag.find(&format!(" {name}=\""))
                            .and_then(|i| {
                                let rest = &tag[i + name.len() + 3..];
                                rest[..rest.find('"')?].parse::<usize>().ok()
                            })
                            .unwrap_or(1)
                    };
                    cells.push(GridCell {
                        tag: lt..gt,
                        row: rows.saturating_sub(1),
                        colspan: attr("colspan").max(1),
                        rowspan: attr("rowspan").max(1),
                    });
                }
            }
            "/table" => {
                if let Some((rows, cells)) = frames.pop() {
                    fix_grid(html, rows, &cells, &mut edits);
                }
            }
            _ => {}
        }
    }
    if edits.is_empty() {
        return html.to_owned();
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (r, new) in edits {
        out.push_str(&html[at..r.start]);
        out.push_str(&new);
        at = r.end;
    }
    out.push_str(&html[at..]);
    out
}

/// Places one table's cells on its grid and adds the edits of the start
/// tags whose spans change.
fn fix_grid(html: &str, rows: usize, cells: &[GridCell], edits: &mut Vec<(Range<usize>, String)>) {
    // Rows still covered by a row span, per column.
    let mut carry: Vec<usize> = Vec::new();
    let mut begins: Vec<bool> = Vec::new();
    let mut placed: Vec<(usize, usize, usize)> = Vec::with_capacity(cells.len());
    let mut k = 0;
    for row in 0..rows {
        let mut col = 0;
        while k < cells.len() && cells[k].row == row {
            let c = &cells[k];
            while carry.get(col).is_some_and(|&n| n > 0) {
                col += 1;
            }
            let rowspan = c.rowspan.min(rows - row);
            let end = col + c.colspan;
            if carry.len() < end {
                carry.resize(end, 0);
                begins.resize(end, false);
            }
            begins[col] = true;
            for slot in &mut carry[col..end] {
                // Counted down once for this row below.
                *slot = rowspan;
            }
            placed.push((col, end, rowspan));
            col = end;
            k += 1;
        }
        for n in &mut carry {
            *n = n.saturating_sub(1);
        }
    }
    for (c, &(start, end, rowspan)) in cells.iter().zip(&placed) {
        let colspan = (start..end).filter(|&i| begins[i]).count().max(1);
        if colspan == c.colspan && rowspan == c.rowspan {
            continue;
        }
        let tag = &html[c.tag.clone()];
        let mut new = String::with_capacity(tag.len());
        let name_end = tag.find([' ', '>']).unwrap_or(tag.len());
        new.push_str(&tag[..name_end]);
        if colspan > 1 {
            new.push_str(&format!(" colspan=\"{colspan}\""));
        }
        if rowspan > 1 {
            new.push_str(&format!(" rowspan=\"{rowspan}\""));
        }
        // The other attributes as they were.
        let mut rest = tag[name_end..].to_owned();
        for name in ["colspan", "rowspan"] {
            let key = format!(" {name}=\"");
            if let Some(i) = rest.find(&key) {
                let value = i + key.len();
                let close = rest[value..]
                    .find('"')
                    .map_or(rest.len(), |j| value + j + 1);
                rest.replace_range(i..close, "");
            }
        }
        new.push_str(&rest);
        edits.push((c.tag.clone(), new));
    }
}

/// Whether a mark starts inside `r`.
fn marks_within(marks: &dyn Marks, from: usize, r: &Range<usize>) -> bool {
    marks.ranges()[from.min(marks.ranges().len())..]
        .iter()
        .take_while(|m| m.start < r.end)
        .any(|m| m.end > r.start)
}

/// A token as the builder needs it.
enum Tok {
    Start {
        name: Vec<u8>,
        attrs: Vec<(Vec<u8>, String)>,
    },
    End {
        name: Vec<u8>,
    },
    /// A text token: its raw range in the markup.
    Text {
        raw: Range<usize>,
    },
}

/// The tokens of `html`, or `None` when the tokenizer ran out of stack.
fn tokenize(html: &str) -> Option<Vec<Tok>> {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut toks = Vec::new();
    for token in Tokenizer::new_with_emitter(GuardedReader::new(html), emitter) {
        match token.ok()? {
            Token::StartTag(t) => {
                let attrs = t
                    .attributes
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.to_ascii_lowercase(),
                            String::from_utf8_lossy(&v.value).into_owned(),
                        )
                    })
                    .collect();
                toks.push(Tok::Start {
                    name: t.name.to_ascii_lowercase(),
                    attrs,
                });
            }
            Token::EndTag(t) => toks.push(Tok::End {
                name: t.name.to_ascii_lowercase(),
            }),
            Token::String(s) => toks.push(Tok::Text {
                raw: s.span.start..s.span.end,
            }),
            Token::Comment(_) | Token::Doctype(_) | Token::Error(_) => {}
        }
    }
    Some(toks)
}

/// The text of a stretch of raw markup text, entities decoded as a browser
/// decodes them (`&#151;` is an em dash).
fn decode(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_owned();
    }
    let mut s = String::with_capacity(raw.len());
    for token in Tokenizer::new(raw).flatten() {
        match token {
            Token::String(t) => s.push_str(&String::from_utf8_lossy(&t.value)),
            // `a < b` is text.
            Token::Error(_) | Token::Comment(_) | Token::Doctype(_) => {}
            Token::StartTag(_) | Token::EndTag(_) => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoMarks(Vec<Range<usize>>, Vec<String>);

    impl Marks for NoMarks {
        fn ranges(&self) -> &[Range<usize>] {
            &self.0
        }
        fn open(&mut self, k: usize, out: &mut String) {
            out.push_str(&format!("<mark data-k=\"{k}\">"));
        }
        fn close(&mut self, k: usize, last: bool, out: &mut String) {
            out.push_str("</mark>");
            if last {
                self.1.push(format!("closed {k}"));
            }
        }
    }

    fn render(html: &str, marks: Vec<Range<usize>>) -> (String, Vec<String>) {
        let mut m = NoMarks(marks, Vec::new());
        let mut out = String::new();
        let mut cursor = 0;
        render_html(html, 0..html.len(), &mut m, &mut cursor, &mut out);
        (out, m.1)
    }

    #[test]
    fn scripts_styles_events_and_links_are_gone() {
        let html = r#"<html><head><title>x</title><style>p{background:url(http://e/)}</style>
<script>alert(1)</script><link rel=stylesheet href="http://e/x.css"></head>
<body onload="alert(2)"><p style="color:red;background:url(http://e/);font-weight:bold" onclick="x()">A <a href="javascript:alert(3)">link</a>
<img src="http://e/i.png" onerror="alert(4)"><iframe src="http://e/"></iframe>
<svg><script>alert(5)</script></svg>&lt;script&gt;alert(6)&lt;/script&gt;</p></body></html>"#;
        let (out, _) = render(html, vec![]);
        let lower = out.to_ascii_lowercase();
        for bad in [
            "<script",
            "onload",
            "onclick",
            "onerror",
            "href",
            "src=",
            "url(",
            "<img",
            "<iframe",
            "<svg",
            "<link",
            "<style",
            "javascript",
        ] {
            assert!(!lower.contains(bad), "{bad} in {out}");
        }
        assert!(out.contains("color:red;font-weight:bold;"), "{out}");
        assert!(
            out.contains("&lt;script&gt;alert(6)&lt;/script&gt;"),
            "{out}"
        );
        assert!(out.contains("A link"), "{out}");
    }

    #[test]
    fn tag_soup_is_written_well_formed() {
        let html = "<font size=2><p>one<p>two</font><table><tr><td>a<td>b</table></p></div><b>bold<div>block</div>tail</b>";
        let (out, _) = render(html, vec![]);
        assert_eq!(
            out,
            "<span style=\"font-size:small;\"></span><p><span style=\"font-size:small;\">one</span></p>\
             <p><span style=\"font-size:small;\">two</span></p><table><tr><td>a</td><td>b</td></tr></table>\
             <b>bold</b><div><b>block</b></div><b>tail</b>"
        );
    }

    #[test]
    fn text_in_a_bare_table_gets_a_cell_and_marks_survive() {
        let html = "<table>Revenue<tr><td>1,234</td></tr></table>";
        let at = html.find("1,234").unwrap();
        let (out, closed) = render(html, std::iter::once(at..at + 5).collect());
        assert_eq!(
            out,
            "<table><tr><td>Revenue</td></tr><tr><td><mark data-k=\"0\">1,234</mark></td></tr></table>"
        );
        assert_eq!(closed, ["closed 0"]);
    }

    #[test]
    fn spans_over_columns_where_no_cell_begins_are_narrowed() {
        // Column 2 begins no cell: every row spans across it. The last
        // row's row span runs past the table.
        let html = "<table><tr><td colspan=3>a</td><td>b</td></tr>\
                    <tr><td>c</td><td colspan=2 style='color:red'>d</td><td rowspan=4>e</td></tr></table>";
        let (out, _) = render(html, vec![]);
        assert_eq!(
            out,
            "<table><tr><td colspan=\"2\">a</td><td>b</td></tr>\
             <tr><td>c</td><td style=\"color:red;\">d</td><td>e</td></tr></table>"
        );
    }

    #[test]
    fn entities_are_decoded_then_escaped() {
        let html = "<p>AT&amp;T &#151; &lt;b&gt; 1&nbsp;000</p>";
        let (out, _) = render(html, vec![]);
        assert_eq!(out, "<p>AT&amp;T \u{2014} &lt;b&gt; 1\u{a0}000</p>");
    }

    #[test]
    fn a_mark_across_tags_is_written_in_parts() {
        let html = "<p>$<b>1,2</b>34</p>";
        let (out, closed) = render(html, std::iter::once(3..16).collect());
        assert_eq!(
            out,
            "<p><mark data-k=\"0\">$</mark><b><mark data-k=\"0\">1,2</mark></b><mark data-k=\"0\">34</mark></p>"
        );
        assert_eq!(closed, ["closed 0"]);
    }
}
