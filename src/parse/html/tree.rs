//! A small HTML tree builder over html5gum's WHATWG tokenizer.
//!
//! Earnings releases are tag soup of a tame kind: unclosed `<P>` and `<TD>`,
//! UPPERCASE tags, stray end tags, but no foster-parenting. The builder
//! knows void elements, the implied ends of `p`, `li`, `td`/`th`, `tr` and
//! table sections, and ignores end tags that close nothing open. Every node
//! keeps the position of its bytes; text nodes keep their raw range so that
//! decoded characters can be mapped back to the original bytes
//! (`super::text`).
//!
//! **Architecture Invariant:** building is linear in the input and bounded
//! in depth: below [`MAX_DEPTH`] open elements, further elements are read as
//! if their tags were absent, so 100,000 nested `<div>`s cost no more than
//! 100,000 siblings and no walk recurses.

use html5gum::emitters::callback::{Callback, CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Reader, Span, Tokenizer};

use super::style::Style;

/// Deeper elements are flattened into their ancestor at this depth.
pub const MAX_DEPTH: usize = 256;
/// A `colspan` or `rowspan` beyond this is read as this (real tables span
/// at most about a hundred slots; edgartools met `colspan=376967340`).
pub const MAX_SPAN: u32 = 1_000;

/// The elements the lowering distinguishes; everything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    Root,
    Text,
    P,
    Div,
    Address,
    Br,
    Hr,
    Table,
    Section,
    Tr,
    Td,
    Li,
    List,
    Heading,
    Bold,
    Sup,
    Skip,
    Other,
}

impl Tag {
    fn of(name: &[u8]) -> Tag {
        match name {
            b"p" => Tag::P,
            b"div" | b"center" | b"blockquote" | b"pre" | b"kbd" | b"dl" | b"dt" | b"dd"
            | b"form" | b"body" | b"html" => Tag::Div,
            b"address" => Tag::Address,
            b"br" => Tag::Br,
            b"hr" => Tag::Hr,
            b"table" => Tag::Table,
            b"tbody" | b"thead" | b"tfoot" => Tag::Section,
            b"tr" => Tag::Tr,
            b"td" | b"th" => Tag::Td,
            b"li" => Tag::Li,
            b"ul" | b"ol" => Tag::List,
            b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => Tag::Heading,
            b"b" | b"strong" => Tag::Bold,
            b"sup" => Tag::Sup,
            b"script" | b"style" | b"head" | b"title" | b"noscript" | b"template" | b"svg"
            | b"math" | b"object" | b"iframe" | b"select" | b"textarea" => Tag::Skip,
            _ => Tag::Other,
        }
    }

    /// Elements that start and end a block of text.
    pub fn is_block(self) -> bool {
        matches!(
            self,
            Tag::P
                | Tag::Div
                | Tag::Address
                | Tag::Hr
                | Tag::Table
                | Tag::Section
                | Tag::Tr
                | Tag::Td
                | Tag::Li
                | Tag::List
                | Tag::Heading
        )
    }
}

/// Elements with no end tag.
pub(crate) fn is_void(name: &[u8]) -> bool {
    matches!(
        name,
        b"br"
            | b"hr"
            | b"img"
            | b"meta"
            | b"link"
            | b"input"
            | b"col"
            | b"area"
            | b"base"
            | b"wbr"
            | b"param"
            | b"source"
            | b"track"
            | b"embed"
            | b"basefont"
            | b"frame"
            | b"keygen"
    )
}

/// One element or text node. Its children are linked (first, last, and
/// each to its siblings) and its text is a stretch of the tree's, so a node
/// holds no allocation of its own.
#[derive(Clone, Debug)]
pub struct Node {
    pub tag: Tag,
    pub parent: u32,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    prev_sibling: u32,
    pub style: Style,
    pub colspan: u32,
    pub rowspan: u32,
    /// Range of the start tag (elements) or of the raw text (text nodes),
    /// as positions in the decoded source text.
    pub range: (usize, usize),
    /// Where the decoded text of a text node (entities resolved by
    /// html5gum) is in the tree's text.
    text: (usize, usize),
}

/// No node: the end of a list of children.
const NONE: u32 = u32::MAX;

impl Node {
    fn new(
        tag: Tag,
        parent: u32,
        style: Style,
        colspan: u32,
        rowspan: u32,
        range: (usize, usize),
    ) -> Node {
        Node {
            tag,
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            prev_sibling: NONE,
            style,
            colspan,
            rowspan,
            range,
            text: (0, 0),
        }
    }
}

/// The tree; node 0 is the root.
#[derive(Debug)]
pub struct Tree {
    pub nodes: Vec<Node>,
    /// The text of every text node, one after another.
    text: String,
}

/// The children of a node, in document order (or reversed).
pub struct Children<'t> {
    nodes: &'t [Node],
    front: u32,
    back: u32,
}

impl Children<'_> {
    /// The child at the front (or the back), and the list without it.
    fn take(&mut self, front: bool) -> Option<u32> {
        let (id, other) = if front {
            (self.front, self.back)
        } else {
            (self.back, self.front)
        };
        if id == NONE {
            return None;
        }
        let n = &self.nodes[id as usize];
        match (id == other, front) {
            (true, _) => (self.front, self.back) = (NONE, NONE),
            (false, true) => self.front = n.next_sibling,
            (false, false) => self.back = n.prev_sibling,
        }
        Some(id)
    }
}

impl Iterator for Children<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        self.take(true)
    }
}

impl DoubleEndedIterator for Children<'_> {
    fn next_back(&mut self) -> Option<u32> {
        self.take(false)
    }
}

/// The stack a build leaves unused on its thread: when less is left, the
/// tokenizer is stopped (see [`Tree::build_bounded`]).
const STACK_RESERVE: usize = 128 << 10;
/// The stack of the thread a stopped build is retried on. It is reserved,
/// not touched beyond what the tokenizer uses: about 1.7 million
/// double-quoted attributes on one tag in a release build, 40,000 in a debug
/// build. Real releases have fewer than twenty.
const STACK_RETRY: usize = 512 << 20;

/// The tokenizer ran out of stack: see [`Tree::build_bounded`].
#[derive(Debug)]
pub(crate) struct StackExhausted;

impl std::fmt::Display for StackExhausted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the HTML tokenizer ran out of stack")
    }
}

impl std::error::Error for StackExhausted {}

/// html5gum's reader of a string, stopped with [`StackExhausted`] when its
/// thread's stack is nearly used up. The tokenizer returns the error
/// through every nested state with `?`, so nothing is left half-done.
///
/// It reads as html5gum's `StringReader` does, chunk for chunk (chunk
/// boundaries are observable in spans), with two costs taken out of the
/// tokenizer's inner loop, which calls it every few bytes:
/// - the stack left is worked out once, when the reader is made, and each
///   read compares the address of a local with the lowest one allowed,
///   where asking the thread for its stack limit took a thread-local lookup
///   and a call;
/// - a chunk ends at the first needle byte: most end at their first byte,
///   which is tried first; past it the needles are found with `memchr` or a
///   256-bit table, where html5gum set up an SSE4.2 search on each call.
///
/// A reader is used on the thread that made it.
pub(crate) struct GuardedReader<'a> {
    input: &'a [u8],
    /// The lowest stack address a read may run at (the stack grows down, as
    /// `stacker` assumes), or `None` where the thread's limit is unknown.
    floor: Option<usize>,
}

/// An address in the current stack frame.
#[inline(always)]
fn stack_here() -> usize {
    let marker = 0u8;
    std::ptr::from_ref(std::hint::black_box(&marker)) as usize
}

impl<'a> GuardedReader<'a> {
    pub(crate) fn new(html: &'a str) -> Self {
        let floor = stacker::remaining_stack().map(|left| {
            stack_here()
                .saturating_sub(left)
                .saturating_add(STACK_RESERVE)
        });
        GuardedReader {
            input: html.as_bytes(),
            floor,
        }
    }

    #[inline(always)]
    fn check(&self) -> Result<(), StackExhausted> {
        match self.floor {
            Some(floor) if stack_here() < floor => Err(StackExhausted),
            _ => Ok(()),
        }
    }
}

/// Where the first byte of `hay` that is in `needle` is.
#[inline]
fn find_any(needle: &[u8], hay: &[u8]) -> Option<usize> {
    // Most chunks end at their first byte: a tag's name or attribute ends
    // at the next character, and markup follows markup.
    let (&first, rest) = hay.split_first()?;
    if needle.contains(&first) {
        return Some(0);
    }
    find_any_in(needle, rest).map(|i| i + 1)
}

/// [`find_any`] past the first byte: the first bytes by a 256-bit table
/// of the needle bytes (a chunk of markup is short: an attribute's value,
/// a cell's text), then `memchr` (up to three needles per pass) or the
/// table (more than six).
fn find_any_in(needle: &[u8], hay: &[u8]) -> Option<usize> {
    const SHORT: usize = 24;
    let mut table = [0u64; 4];
    for &n in needle {
        table[usize::from(n >> 6)] |= 1 << (n & 63);
    }
    let (head, tail) = hay.split_at(hay.len().min(SHORT));
    if let Some(i) = find_in_table(&table, head) {
        return Some(i);
    }
    find_any_long(needle, tail, &table).map(|i| i + head.len())
}

/// The first byte of `hay` that `table` (a 256-bit set) holds.
fn find_in_table(table: &[u64; 4], hay: &[u8]) -> Option<usize> {
    hay.iter()
        .position(|&b| table[usize::from(b >> 6)] >> (b & 63) & 1 == 1)
}

/// [`find_any_in`] past its first bytes; `table` holds the needle bytes.
fn find_any_long(needle: &[u8], hay: &[u8], table: &[u64; 4]) -> Option<usize> {
    if hay.is_empty() {
        return None;
    }
    match *needle {
        [a, b, c, ref more @ ..] if !more.is_empty() && more.len() <= 3 => {
            // The first of the first three, then the others before it.
            let first = memchr::memchr3(a, b, c, hay);
            let before = &hay[..first.unwrap_or(hay.len())];
            find_few(more, before).or(first)
        }
        _ if needle.len() <= 3 => find_few(needle, hay),
        _ => find_in_table(table, hay),
    }
}

/// The first byte of `hay` in `needle`, of at most three bytes, by
/// `memchr` (a longer needle finds nothing).
fn find_few(needle: &[u8], hay: &[u8]) -> Option<usize> {
    use memchr::{memchr, memchr2, memchr3};
    match *needle {
        [a] => memchr(a, hay),
        [a, b] => memchr2(a, b, hay),
        [a, b, c] => memchr3(a, b, c, hay),
        _ => None,
    }
}

impl Reader for GuardedReader<'_> {
    type Error = StackExhausted;

    #[inline]
    fn read_byte(&mut self) -> Result<Option<u8>, StackExhausted> {
        self.check()?;
        let Some((&b, rest)) = self.input.split_first() else {
            return Ok(None);
        };
        self.input = rest;
        Ok(Some(b))
    }

    #[inline]
    fn try_read_string(&mut self, s: &[u8], case_sensitive: bool) -> Result<bool, StackExhausted> {
        self.check()?;
        if let Some(head) = self.input.get(..s.len())
            && (head == s || (!case_sensitive && head.eq_ignore_ascii_case(s)))
        {
            self.input = &self.input[s.len()..];
            return Ok(true);
        }
        Ok(false)
    }

    #[inline]
    fn read_until<'b>(
        &'b mut self,
        needle: &[u8],
        _char_buf: &'b mut [u8; 4],
    ) -> Result<Option<&'b [u8]>, StackExhausted> {
        self.check()?;
        if self.input.is_empty() {
            return Ok(None);
        }
        // A chunk is at least one byte: a needle byte first is a chunk of its own.
        let at = find_any(needle, self.input).map_or(self.input.len(), |i| i.max(1));
        let (chunk, rest) = self.input.split_at(at);
        self.input = rest;
        Ok(Some(chunk))
    }
}

impl Tree {
    /// Builds the tree of `html`, whose first byte is at position `base` of
    /// the decoded source, or says why it cannot.
    ///
    /// html5gum 0.9 tokenizes the double-quoted attributes of one tag by
    /// calling each attribute's states from inside the previous one's, so
    /// its stack grows with the attributes of a tag: 10,000 on one `<td>`
    /// overflow a 2 MB stack, and an overflow aborts the process, a sweep
    /// included. The tokenizer reads through [`GuardedReader`], which stops
    /// it when the thread's stack is nearly used up; the build is then
    /// retried once on a thread with a large stack, and a file that needs
    /// even more is not read.
    pub fn build_bounded(html: &str, base: usize) -> Result<Tree, String> {
        if let Ok(tree) = Tree::build(html, base) {
            return Ok(tree);
        }
        let not_read = || {
            format!(
                "not read: a tag has more attributes than the HTML tokenizer can take in {} MiB of stack",
                STACK_RETRY >> 20
            )
        };
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("tieout-html".into())
                .stack_size(STACK_RETRY)
                .spawn_scoped(scope, || Tree::build(html, base))
                .map_err(|e| format!("not read: cannot reserve stack for the HTML tokenizer: {e}"))?
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                .map_err(|StackExhausted| not_read())
        })
    }

    /// Builds the tree of `html` on this thread, or stops when the thread's
    /// stack is nearly used up (see [`Tree::build_bounded`]).
    fn build(html: &str, base: usize) -> Result<Tree, StackExhausted> {
        // About a node per tag (an element, or the text before a tag):
        // reserved once, where growing copied the nodes over and over.
        let mut nodes = Vec::with_capacity(memchr::memchr_iter(b'<', html.as_bytes()).count() + 1);
        nodes.push(Node::new(
            Tag::Root,
            0,
            Style::default(),
            1,
            1,
            (base, base),
        ));
        let mut b = Builder {
            nodes,
            text: String::new(),
            stack: vec![(0, Tag::Root)],
            skip_depth: 0,
            head: None,
        };
        // Generated markup repeats a few style attributes thousands of
        // times: each distinct one is read once (a bounded memo).
        let mut styles: rustc_hash::FxHashMap<Vec<u8>, Style> = rustc_hash::FxHashMap::default();
        let mut emitter = CallbackEmitter::new(Events {
            tag: Tag::Other,
            void: false,
            head: false,
            start: 0,
            attrs: Attrs::default(),
            current: None,
            base,
            b: &mut b,
            styles: &mut styles,
        });
        // Script and style bodies are raw text, not markup.
        emitter.naively_switch_states(true);
        let reader = GuardedReader::new(html);
        // The callback builds the tree as the tokenizer reads: it emits no
        // token, so the whole file is read by this one call.
        Tokenizer::new_with_emitter(reader, Quiet(emitter)).finish()?;
        Ok(Tree {
            nodes: b.nodes,
            text: b.text,
        })
    }

    /// Node ids of the subtree under `id` (itself included), in document
    /// order; iterative, so depth costs no stack.
    pub fn descendants(&self, id: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut todo = vec![id];
        while let Some(n) = todo.pop() {
            out.push(n);
            todo.extend(self.children(n).rev());
        }
        out
    }

    pub fn node(&self, id: u32) -> &Node {
        &self.nodes[id as usize]
    }

    /// The children of node `id`, in document order.
    pub fn children(&self, id: u32) -> Children<'_> {
        let n = &self.nodes[id as usize];
        Children {
            nodes: &self.nodes,
            front: n.first_child,
            back: n.last_child,
        }
    }

    /// The decoded text of node `id` (empty for an element).
    pub fn text(&self, id: u32) -> &str {
        let (start, end) = self.nodes[id as usize].text;
        &self.text[start..end]
    }
}

/// The most distinct style attributes remembered at once while building a
/// tree (the memo is emptied when full, so memory stays bounded).
const STYLE_CACHE: usize = 4096;

/// A start tag's attributes as far as the tree cares (`style`, `colspan`,
/// `rowspan`, and whether `hidden` is set; other attributes are not kept,
/// where html5gum's default emitter gathers every one into a map). The
/// first of a repeated attribute wins, as in html5gum's default emitter.
/// The buffers are reused from tag to tag.
#[derive(Default)]
struct Attrs {
    style: Vec<u8>,
    has_style: bool,
    colspan: Option<Vec<u8>>,
    rowspan: Option<Vec<u8>>,
    hidden: bool,
}

/// The attribute whose value the tokenizer is giving.
#[derive(Clone, Copy, PartialEq)]
enum Kept {
    Style,
    Colspan,
    Rowspan,
    Other,
}

/// html5gum's callback: builds the tree from tags and text as they are
/// read, with no token or tag name copied on the way.
struct Events<'b> {
    /// The open start tag: its element, whether it is void, whether it is
    /// `<head>`, and where it starts.
    tag: Tag,
    void: bool,
    head: bool,
    start: usize,
    attrs: Attrs,
    current: Option<Kept>,
    /// Where the markup starts in the decoded source.
    base: usize,
    b: &'b mut Builder,
    styles: &'b mut rustc_hash::FxHashMap<Vec<u8>, Style>,
}

impl Events<'_> {
    /// A start tag, read to its end at `end`.
    fn start_tag(&mut self, end: usize) {
        let span_attr = |v: Option<Vec<u8>>| {
            v.and_then(|v| std::str::from_utf8(&v).ok()?.trim().parse::<u64>().ok())
                .map_or(1, |n| n.clamp(1, u64::from(MAX_SPAN)) as u32)
        };
        let attrs = &mut self.attrs;
        let mut style = if attrs.has_style {
            match self.styles.get(attrs.style.as_slice()) {
                Some(&style) => style,
                None => {
                    let style = Style::parse(&String::from_utf8_lossy(&attrs.style));
                    if self.styles.len() >= STYLE_CACHE {
                        self.styles.clear();
                    }
                    self.styles.insert(attrs.style.clone(), style);
                    style
                }
            }
        } else {
            Style::default()
        };
        if attrs.hidden {
            style.hidden = true;
        }
        let tag = self.tag;
        let (colspan, rowspan) = if tag == Tag::Td {
            (
                span_attr(attrs.colspan.take()),
                span_attr(attrs.rowspan.take()),
            )
        } else {
            (1, 1)
        };
        let range = (self.base + self.start, self.base + end);
        let b = &mut *self.b;
        if tag.is_block() {
            b.leave_head();
        }
        let depth = b.stack.len();
        b.start(tag, self.void, style, colspan, rowspan, range);
        if self.head && b.head.is_none() && b.stack.len() > depth {
            b.head = Some(depth);
        }
    }
}

impl Callback<std::convert::Infallible, usize> for Events<'_> {
    fn handle_event(
        &mut self,
        event: CallbackEvent<'_>,
        span: Span<usize>,
    ) -> Option<std::convert::Infallible> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.tag = Tag::of(name);
                self.void = is_void(name);
                self.head = name == b"head";
                self.start = span.start;
                let a = &mut self.attrs;
                a.style.clear();
                a.has_style = false;
                a.colspan = None;
                a.rowspan = None;
                a.hidden = false;
                self.current = None;
            }
            CallbackEvent::AttributeName { name } => {
                let a = &mut self.attrs;
                self.current = Some(match name {
                    // A repeated attribute is ignored.
                    b"style" if !a.has_style => {
                        a.has_style = true;
                        Kept::Style
                    }
                    b"colspan" if a.colspan.is_none() => {
                        a.colspan = Some(Vec::new());
                        Kept::Colspan
                    }
                    b"rowspan" if a.rowspan.is_none() => {
                        a.rowspan = Some(Vec::new());
                        Kept::Rowspan
                    }
                    _ => {
                        a.hidden |= name == b"hidden";
                        Kept::Other
                    }
                });
            }
            CallbackEvent::AttributeValue { value } => {
                let a = &mut self.attrs;
                match self.current {
                    Some(Kept::Style) => a.style.extend_from_slice(value),
                    Some(Kept::Colspan) => {
                        a.colspan.get_or_insert_default().extend_from_slice(value)
                    }
                    Some(Kept::Rowspan) => {
                        a.rowspan.get_or_insert_default().extend_from_slice(value)
                    }
                    _ => {}
                }
            }
            CallbackEvent::CloseStartTag { .. } => self.start_tag(span.end),
            CallbackEvent::EndTag { name } => {
                let b = &mut *self.b;
                b.end(Tag::of(name), name);
                if b.head.is_some_and(|at| at >= b.stack.len()) {
                    b.head = None;
                }
            }
            CallbackEvent::String { value } => {
                if self.b.skip_depth == 0 {
                    // The text as decoded, copied once, into the tree's. It
                    // is UTF-8 (the file's text, and references decoded):
                    // checked as such first, which costs less than the
                    // lossy reading that stays for anything else.
                    let text = match std::str::from_utf8(value) {
                        Ok(text) => std::borrow::Cow::Borrowed(text),
                        Err(_) => String::from_utf8_lossy(value),
                    };
                    self.b
                        .text(&text, (self.base + span.start, self.base + span.end));
                }
            }
            CallbackEvent::Comment { .. }
            | CallbackEvent::Doctype { .. }
            | CallbackEvent::Error(_) => {}
        }
        None
    }
}

/// The tree builder's emitter without parse errors: it reads none of them,
/// and telling them costs html5gum a check of every character of the file.
struct Quiet<'b>(CallbackEmitter<Events<'b>, std::convert::Infallible, usize>);

impl ForwardingEmitter for Quiet<'_> {
    type Token = std::convert::Infallible;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.0
    }

    #[inline]
    fn should_emit_errors(&mut self) -> bool {
        false
    }

    #[inline]
    fn emit_error(&mut self, _error: html5gum::Error) {}
}

struct Builder {
    nodes: Vec<Node>,
    /// The text nodes' text.
    text: String,
    /// Open elements, innermost last.
    stack: Vec<(u32, Tag)>,
    /// How many skipped elements (`script`, `head`, ...) are open.
    skip_depth: usize,
    /// Where the open `<head>` is on the stack, if one is.
    head: Option<usize>,
}

impl Builder {
    fn top(&self) -> u32 {
        self.stack.last().map_or(0, |&(id, _)| id)
    }

    fn add(&mut self, mut node: Node) -> u32 {
        let id = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        let parent = node.parent as usize;
        let last = self.nodes[parent].last_child;
        node.prev_sibling = last;
        self.nodes.push(node);
        match last {
            NONE => self.nodes[parent].first_child = id,
            last => self.nodes[last as usize].next_sibling = id,
        }
        self.nodes[parent].last_child = id;
        id
    }

    /// Pops to (and including) the innermost open `tag`, searching no
    /// further than the innermost element of `boundary`. Returns whether
    /// one was open.
    fn close(&mut self, tag: Tag, boundary: &[Tag]) -> bool {
        let Some(pos) = self
            .stack
            .iter()
            .rposition(|&(_, t)| t == tag || boundary.contains(&t))
        else {
            return false;
        };
        if self.stack[pos].1 != tag || pos == 0 {
            return false;
        }
        for &(_, t) in &self.stack[pos..] {
            if t == Tag::Skip {
                self.skip_depth = self.skip_depth.saturating_sub(1);
            }
        }
        self.stack.truncate(pos);
        true
    }

    fn start(
        &mut self,
        tag: Tag,
        void: bool,
        style: Style,
        colspan: u32,
        rowspan: u32,
        range: (usize, usize),
    ) {
        const CELL: [Tag; 3] = [Tag::Td, Tag::Table, Tag::Root];
        match tag {
            Tag::P | Tag::Div | Tag::Address | Tag::Hr | Tag::Table | Tag::List | Tag::Heading => {
                self.close(Tag::P, &CELL);
            }
            Tag::Li => {
                self.close(Tag::P, &CELL);
                self.close(Tag::Li, &[Tag::List, Tag::Td, Tag::Table, Tag::Root]);
            }
            Tag::Td => {
                self.close(Tag::Td, &[Tag::Tr, Tag::Table, Tag::Root]);
                if !self.in_row() {
                    // A cell outside any row opens one.
                    self.start(Tag::Tr, false, Style::default(), 1, 1, range);
                }
            }
            Tag::Tr => {
                self.close(Tag::Td, &[Tag::Table, Tag::Root]);
                self.close(Tag::Tr, &[Tag::Table, Tag::Root]);
            }
            Tag::Section => {
                self.close(Tag::Td, &[Tag::Table, Tag::Root]);
                self.close(Tag::Tr, &[Tag::Table, Tag::Root]);
                self.close(Tag::Section, &[Tag::Table, Tag::Root]);
            }
            _ => {}
        }
        if self.skip_depth > 0 && !void {
            // Inside `<head>` or `<script>`: only nesting is tracked.
            if self.stack.len() < MAX_DEPTH {
                self.stack.push((self.top(), Tag::Skip));
                self.skip_depth += 1;
            }
            return;
        }
        let node = Node::new(tag, self.top(), style, colspan, rowspan, range);
        if void || (self.stack.len() >= MAX_DEPTH && tag != Tag::Skip) {
            if tag == Tag::Br || tag == Tag::Hr || self.stack.len() < MAX_DEPTH {
                self.add(node);
            }
            return;
        }
        let id = self.add(node);
        self.stack.push((id, tag));
        if tag == Tag::Skip {
            self.skip_depth += 1;
        }
    }

    /// Closes an open `<head>` (and whatever is open inside it) at the first
    /// block element, as browsers do when `</head>` is missing: the body
    /// of `<head><title>Q1</title><body><p>...` is read, not skipped.
    fn leave_head(&mut self) {
        let Some(at) = self.head.take() else { return };
        let skipped = self.stack[at..]
            .iter()
            .filter(|&&(_, t)| t == Tag::Skip)
            .count();
        self.skip_depth = self.skip_depth.saturating_sub(skipped);
        self.stack.truncate(at);
    }

    /// Whether a `tr` is open inside the innermost table.
    fn in_row(&self) -> bool {
        self.stack
            .iter()
            .rev()
            .find(|&&(_, t)| matches!(t, Tag::Tr | Tag::Table | Tag::Root))
            .is_some_and(|&(_, t)| t == Tag::Tr)
    }

    fn end(&mut self, tag: Tag, name: &[u8]) {
        let boundary: &[Tag] = match tag {
            Tag::Td => &[Tag::Tr, Tag::Table, Tag::Root],
            Tag::Tr | Tag::Section => &[Tag::Table, Tag::Root],
            Tag::Table => &[Tag::Root],
            Tag::Skip => &[Tag::Root],
            _ => &[Tag::Td, Tag::Table, Tag::Root],
        };
        if tag == Tag::Br {
            // `</br>` is read as `<br>`, as browsers do.
            self.start(Tag::Br, true, Style::default(), 1, 1, (0, 0));
            return;
        }
        if tag == Tag::Other || tag == Tag::Bold || tag == Tag::Sup {
            // Inline elements: close the innermost of the same kind; names
            // are not kept, so `</font>` may close a `<span>`, which only
            // matters for styles that do not reach the lowering.
            let _ = name;
        }
        self.close(tag, boundary);
    }

    fn text(&mut self, text: &str, range: (usize, usize)) {
        let mut node = Node::new(Tag::Text, self.top(), Style::default(), 1, 1, range);
        let start = self.text.len();
        self.text.push_str(text);
        node.text = (start, self.text.len());
        self.add(node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(html: &str) -> String {
        let t = Tree::build_bounded(html, 0).unwrap();
        let mut out = String::new();
        let mut todo = vec![(0u32, 0usize)];
        while let Some((id, depth)) = todo.pop() {
            let n = t.node(id);
            if id != 0 {
                out.push_str(&" ".repeat(depth));
                if n.tag == Tag::Text {
                    out.push_str(&format!("{:?}\n", t.text(id)));
                } else {
                    out.push_str(&format!("{:?}\n", n.tag));
                }
            }
            for c in t.children(id).rev() {
                todo.push((c, depth + 1));
            }
        }
        out
    }

    #[test]
    fn unclosed_cells_and_paragraphs_end_where_browsers_end_them() {
        let s = shape("<TABLE><TR><TD>a<TD>b<TR><TD>c</TABLE><P>x<P>y");
        assert_eq!(
            s,
            " Table\n  Tr\n   Td\n    \"a\"\n   Td\n    \"b\"\n  Tr\n   Td\n    \"c\"\n P\n  \"x\"\n P\n  \"y\"\n"
        );
    }

    #[test]
    fn stray_end_tags_close_nothing_outside_their_cell() {
        let s = shape("<table><tr><td><p>a</td></p><td>b</td></tr></table>");
        assert_eq!(
            s,
            " Table\n  Tr\n   Td\n    P\n     \"a\"\n   Td\n    \"b\"\n"
        );
    }

    #[test]
    fn script_style_and_head_text_is_dropped() {
        let s = shape("<head><title>T</title><style>p{}</style></head><script>a<b</script>z");
        // The skipped elements stay as empty nodes the lowering passes over.
        assert_eq!(s, " Skip\n Skip\n \"z\"\n");
    }

    #[test]
    fn deep_nesting_is_flattened_at_the_depth_limit() {
        let html = "<div>".repeat(100_000) + "x";
        let t = Tree::build_bounded(&html, 0).unwrap();
        assert!(t.nodes.len() <= MAX_DEPTH + 2);
        assert_eq!(t.descendants(0).len(), t.nodes.len());
    }

    #[test]
    fn absurd_spans_are_clamped() {
        let t = Tree::build_bounded("<table><tr><td colspan=2000000000 rowspan=-3>a", 0).unwrap();
        let td = t.nodes.iter().find(|n| n.tag == Tag::Td).unwrap();
        assert_eq!((td.colspan, td.rowspan), (MAX_SPAN, 1));
    }

    #[test]
    fn children_are_linked_in_document_order_both_ways() {
        let t = Tree::build_bounded("<div><p>a</p>b<br><p>c<p>d</div><p>e", 0).unwrap();
        let div = t.children(0).next().unwrap();
        let kinds = |ids: Vec<u32>| -> Vec<String> {
            ids.into_iter()
                .map(|id| match t.node(id).tag {
                    Tag::Text => t.text(id).to_string(),
                    tag => format!("{tag:?}"),
                })
                .collect()
        };
        let forward: Vec<u32> = t.children(div).collect();
        assert_eq!(kinds(forward.clone()), ["P", "b", "Br", "P", "P"]);
        let mut backward: Vec<u32> = t.children(div).rev().collect();
        backward.reverse();
        assert_eq!(backward, forward);
        // From both ends at once, each child once.
        let mut both = t.children(div);
        let (first, last) = (both.next(), both.next_back());
        let middle: Vec<u32> = both.collect();
        assert_eq!(first, Some(forward[0]));
        assert_eq!(last, Some(forward[4]));
        assert_eq!(middle, forward[1..4]);
        // A childless node and a text node have none.
        assert_eq!(t.children(forward[2]).count(), 0);
        assert_eq!(t.children(forward[1]).next_back(), None);
        assert_eq!(t.text(div), "");
        assert_eq!(kinds(t.children(0).collect()), ["Div", "P"]);
    }

    /// Reads `input` to its end with `read_until(needle)`, chunk by chunk.
    fn chunks<R: Reader>(mut r: R, needle: &[u8]) -> Vec<Vec<u8>>
    where
        R::Error: std::fmt::Debug,
    {
        let mut out = Vec::new();
        let mut buf = [0; 4];
        while let Some(chunk) = r.read_until(needle, &mut buf).unwrap() {
            out.push(chunk.to_vec());
        }
        out
    }

    proptest::proptest! {
        /// The reader splits a text into the same chunks as html5gum's own
        /// string reader (chunk boundaries show in spans), for any needle
        /// set html5gum asks for: one to thirteen bytes.
        #[test]
        fn reader_chunks_as_html5gum_does(
            hay in proptest::collection::vec(proptest::sample::select(
                b"<>&\"' =/\t\n\x0c\r\0-]abAB\xc3\xa9".to_vec()), 0..80),
            needle in proptest::collection::vec(proptest::sample::select(
                b"<>&\"' =/\t\n\x0c\r\0-]a".to_vec()), 1..13),
        ) {
            let text = String::from_utf8_lossy(&hay).into_owned();
            let ours = chunks(GuardedReader::new(&text), &needle);
            let theirs = chunks(html5gum::Readable::to_reader(text.as_str()), &needle);
            proptest::prop_assert_eq!(ours, theirs);
        }

        /// The same with long runs of bytes outside the needle, which the
        /// reader's search passes from its table to `memchr`.
        #[test]
        fn reader_chunks_long_runs_as_html5gum_does(
            pieces in proptest::collection::vec(
                (proptest::sample::select(b"<>&\"' =/\t\n\r\0-]ab".to_vec()), 0usize..70),
                0..8,
            ),
            needle in proptest::collection::vec(proptest::sample::select(
                b"<>&\"' =/\t\n\x0c\r\0-]a".to_vec()), 1..13),
        ) {
            let mut text = String::new();
            for (b, run) in pieces {
                text.push(char::from(b));
                text.extend(std::iter::repeat_n('x', run));
            }
            let ours = chunks(GuardedReader::new(&text), &needle);
            let theirs = chunks(html5gum::Readable::to_reader(text.as_str()), &needle);
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn reader_reads_bytes_and_strings_as_html5gum_does() {
        let mut r = GuardedReader::new("<!DOCTYPE html>x");
        assert_eq!(r.read_byte().unwrap(), Some(b'<'));
        assert_eq!(r.read_byte().unwrap(), Some(b'!'));
        assert!(!r.try_read_string(b"DOCTYPEX", false).unwrap());
        assert!(!r.try_read_string(b"doctype", true).unwrap());
        assert!(r.try_read_string(b"doctype", false).unwrap());
        assert!(r.try_read_string(b" html>", true).unwrap());
        assert!(!r.try_read_string(b"xy", true).unwrap());
        assert_eq!(r.read_byte().unwrap(), Some(b'x'));
        assert_eq!(r.read_byte().unwrap(), None);
        assert_eq!(r.read_until(b"<", &mut [0; 4]).unwrap(), None);
    }
}
