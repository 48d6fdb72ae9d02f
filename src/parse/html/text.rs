//! Text as the reader sees it, mapped back to the bytes it came from.
//!
//! html5gum hands over a text node decoded (`&nbsp;&nbsp;3,769` is one
//! token, `\u{a0}\u{a0}3,769`) with the range of its raw bytes. A
//! [`MappedText`] collapses whitespace as a browser does and records, for
//! every run of characters that corresponds byte for byte to the file, the
//! `(text position, file offset)` where the run starts, so that `3,769`
//! points at `3,769` and not at the entities before it. Decoded characters
//! are aligned with the raw bytes: literal text matches itself, a character
//! reference (`&#151;`, `&nbsp;`, `&copy` without its semicolon) is the
//! shortest raw stretch after which the rest matches again.

use crate::parse::source::Source;
use crate::span::Span;

/// Decoded, whitespace-collapsed text and its map to file offsets.
#[derive(Clone, Debug, Default)]
pub struct MappedText {
    pub text: String,
    /// The runs where text and file correspond byte for byte, in order.
    /// One list, not one of starts and one of ends: an HTML cell's text
    /// makes one allocation for its map, not two.
    pub runs: Vec<Run>,
    /// A space is due before the next printed character.
    pending_space: Option<usize>,
    /// Where the last character pushed ends in the file.
    file_end: usize,
    /// Leading no-break spaces before the first printed character (an
    /// indentation of the label).
    pub lead_nbsp: usize,
}

/// A stretch of the text that the file prints byte for byte (or one
/// decoded character and the raw bytes it came from, `&#37;`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Run {
    /// Position in the text where the run starts.
    pub text: usize,
    /// File offset where it starts.
    pub file: usize,
    /// File offset where it ends.
    pub end: usize,
}

/// Whitespace for collapsing: ASCII blanks, no-break and other Unicode spaces.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{200b}' || c == '\u{feff}'
}

impl MappedText {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// A break between words (`<br>`, a cell or block boundary).
    /// A break between words (a block boundary, `<br>`). Before any
    /// printed character it ends a line of blanks, whose no-break spaces
    /// indent nothing (a spacer paragraph of `&nbsp;` above a label).
    pub fn space(&mut self) {
        if self.text.is_empty() {
            self.lead_nbsp = 0;
        } else if self.pending_space.is_none() {
            self.pending_space = Some(self.file_end);
        }
    }

    fn push_char(&mut self, c: char, file: usize, file_len: usize) {
        if is_space(c) {
            if self.text.is_empty() {
                if c == '\u{a0}' {
                    self.lead_nbsp += 1;
                }
            } else if self.pending_space.is_none() {
                self.pending_space = Some(file);
            }
            return;
        }
        if let Some(at) = self.pending_space.take() {
            // The space stands for the blank at `at`: one byte of it. A run
            // that ends there takes it (a word and the blank after it), so
            // prose makes one run rather than one per word; text positions
            // map to the same offsets either way.
            let ends_at_blank = self.runs.last().is_some_and(|r| r.end == at);
            self.map_next(at, 1, ends_at_blank);
            self.text.push(' ');
        }
        self.map_next(file, file_len, file_len == c.len_utf8());
        self.text.push(c);
        self.file_end = file + file_len;
    }

    /// Maps the text pushed next to the file from `file` on, `file_len`
    /// bytes: the last run takes it when `byte_for_byte` and the run reaches
    /// `file` in step with the text; otherwise it starts a run.
    fn map_next(&mut self, file: usize, file_len: usize, byte_for_byte: bool) {
        let at = self.text.len();
        match self.runs.last_mut() {
            Some(r) if byte_for_byte && r.file + (at - r.text) == file => r.end = file + file_len,
            _ => self.runs.push(Run {
                text: at,
                file,
                end: file + file_len,
            }),
        }
    }

    /// Appends a text node: `decoded` came from `src.text[raw.0..raw.1]`.
    pub fn push_node(&mut self, src: &Source<'_>, decoded: &str, raw: (usize, usize)) {
        let raw_text = src.text.get(raw.0..raw.1).unwrap_or("");
        // The text grows by at most the node (plus a space), at once rather
        // than doubling character by character.
        self.text.reserve(decoded.len() + 1);
        if raw_text == decoded && src.offsets_are_positions() {
            // Text positions are file offsets: a run of ASCII characters
            // that are not blanks is pushed at once, as `push_char` would
            // push it character by character (its first character starts
            // or extends a piece, the others extend it).
            let b = decoded.as_bytes();
            let mut i = 0;
            while i < b.len() {
                let run = b[i..]
                    .iter()
                    .take_while(|c| c.is_ascii() && !c.is_ascii_whitespace() && **c != 0x0b)
                    .count();
                if run > 0 {
                    self.push_run(&decoded[i..i + run], raw.0 + i);
                    i += run;
                    continue;
                }
                let Some(c) = decoded[i..].chars().next() else {
                    break;
                };
                self.push_char(c, raw.0 + i, c.len_utf8());
                i += c.len_utf8();
            }
            return;
        }
        if src.offsets_are_positions() {
            // References or CRs in the node: the stretches between them
            // are pushed as runs, the rest character by character.
            self.push_aligned(raw.0, decoded, raw_text);
            return;
        }
        if raw_text == decoded {
            for (i, c) in decoded.char_indices() {
                let at = raw.0 + i;
                let f = src.file_offset(at);
                let len = src.file_offset(at + c.len_utf8()) - f;
                self.push_char(c, f, len);
            }
            return;
        }
        align(decoded, raw_text, |a| {
            for (c, at, len) in a.chars(decoded) {
                let f = src.file_offset(raw.0 + at);
                let flen = src.file_offset(raw.0 + at + len) - f;
                self.push_char(c, f, flen);
            }
        });
    }

    /// Appends `run`, ASCII characters without blanks that the file
    /// prints as they are from offset `file` on, as pushing each would:
    /// the first starts or extends a piece, the others extend it.
    fn push_run(&mut self, run: &str, file: usize) {
        let Some(&first) = run.as_bytes().first() else {
            return;
        };
        self.push_char(char::from(first), file, 1);
        let end = file + run.len();
        self.text.push_str(&run[1..]);
        if let Some(r) = self.runs.last_mut() {
            r.end = end;
        }
        self.file_end = end;
    }

    /// Appends `decoded`, which came from `raw` at file offset `base` (text
    /// positions being file offsets), as [`align`] places its characters:
    /// a stretch that the file prints as it is (ASCII, no blank, no
    /// reference or CR) is pushed as one run, and only the characters of
    /// references, CRs, blanks and other characters one at a time (a text
    /// node of prose with one `&amp;` in it was pushed character by
    /// character).
    fn push_aligned(&mut self, base: usize, decoded: &str, raw: &str) {
        align(decoded, raw, |a| match a {
            Aligned::Run { text, raw, len } => {
                self.push_run(&decoded[text..text + len], base + raw)
            }
            Aligned::Char(c, at, len) => self.push_char(c, base + at, len),
        });
    }

    /// Appends another text, a space between the two.
    pub fn append(&mut self, other: &MappedText) {
        if other.text.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            let at = self.file_end;
            self.runs.push(Run {
                text: self.text.len(),
                file: at,
                end: at,
            });
            self.text.push(' ');
        }
        let base = self.text.len();
        self.text.push_str(&other.text);
        self.runs.extend(other.runs.iter().map(|&r| Run {
            text: r.text + base,
            ..r
        }));
        self.file_end = other.file_end;
        self.pending_space = None;
    }

    /// File offset of text position `pos` (a character start).
    fn file_at(&self, pos: usize) -> usize {
        let i = self.runs.partition_point(|r| r.text <= pos);
        match i.checked_sub(1).and_then(|i| self.runs.get(i)) {
            Some(r) => r.file + (pos - r.text),
            None => self.runs.first().map_or(0, |r| r.file),
        }
    }

    /// The file span of `text[start..end]`: from the first character's
    /// first byte to the last character's last byte.
    pub fn span(&self, start: usize, end: usize) -> Span {
        if end <= start {
            let f = self.file_at(start);
            return Span::range(f, f);
        }
        let s = self.file_at(start);
        // The run holding the last character: its end when the range ends
        // with the run (an entity is one run), else the character's bytes.
        let run = self
            .runs
            .partition_point(|r| r.text < end)
            .saturating_sub(1);
        let run_end_text = self.runs.get(run + 1).map_or(self.text.len(), |r| r.text);
        let e = if end >= run_end_text {
            self.runs.get(run).map_or(s, |r| r.end)
        } else {
            self.file_at(end - 1) + 1
        };
        Span::range(s, e.max(s))
    }

    /// The span of the whole text.
    pub fn whole_span(&self) -> Span {
        self.span(0, self.text.len())
    }

    /// The text trimmed, with the offset where it starts.
    pub fn trimmed(&self) -> (&str, usize) {
        let t = self.text.trim_start();
        let lead = self.text.len() - t.len();
        (t.trim_end(), lead)
    }
}

/// A step of [`align`].
enum Aligned {
    /// A decoded character, where its raw bytes start and how many.
    Char(char, usize, usize),
    /// `len` ASCII characters without blanks, from text position `text`,
    /// that the raw text prints as they are from position `raw` on.
    Run { text: usize, raw: usize, len: usize },
}

impl Aligned {
    /// Its characters, each with its raw position and raw length (a run's
    /// one by one).
    fn chars(self, decoded: &str) -> impl Iterator<Item = (char, usize, usize)> + '_ {
        let (first, rest) = match self {
            Aligned::Char(c, at, len) => (Some((c, at, len)), None),
            Aligned::Run { text, raw, len } => (None, Some((text, raw, len))),
        };
        first
            .into_iter()
            .chain(rest.into_iter().flat_map(move |(text, raw, len)| {
                decoded.as_bytes()[text..text + len]
                    .iter()
                    .enumerate()
                    .map(move |(k, &b)| (char::from(b), raw + k, 1))
            }))
    }
}

/// Aligns decoded characters with the raw text they came from, passing
/// each to `f` with its raw position and raw length, and the stretches the
/// raw text prints as they are (ASCII, no blank, no `&` or CR, which start
/// a reference or a line end) as one [`Aligned::Run`].
fn align(decoded: &str, raw: &str, mut f: impl FnMut(Aligned)) {
    let rb = raw.as_bytes();
    let db = decoded.as_bytes();
    let plain = |b: u8| b.is_ascii_graphic() && b != b'&';
    let mut i = 0;
    let mut chars = decoded.char_indices().peekable();
    while let Some((j, c)) = chars.next() {
        if i >= rb.len() {
            f(Aligned::Char(c, rb.len(), 0));
            continue;
        }
        if plain(db[j]) && rb[i] == db[j] {
            let len = 1 + db[j + 1..]
                .iter()
                .zip(&rb[i + 1..])
                .take_while(|&(&d, &r)| d == r && plain(d))
                .count();
            f(Aligned::Run {
                text: j,
                raw: i,
                len,
            });
            i += len;
            if len > 1 {
                chars.nth(len - 2);
            }
            continue;
        }
        if rb[i] == b'\r' && c == '\n' {
            let len = if rb.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            f(Aligned::Char(c, i, len));
            i += len;
            continue;
        }
        if rb[i] == b'&' {
            let rest = &decoded[j + c.len_utf8()..];
            if let Some(len) = reference_len(rb, i, rest) {
                f(Aligned::Char(c, i, len));
                i += len;
                // A reference that decodes to two characters: the second
                // shares the raw bytes.
                if let Some(&(_, c2)) = chars.peek()
                    && !raw[i..].starts_with(c2)
                    && rest.starts_with(c2)
                    && !raw[i..].starts_with('&')
                    && c2 != '\n'
                    && is_two_char_reference(&raw[i - len..i])
                {
                    chars.next();
                    f(Aligned::Char(c2, i - len, len));
                }
                continue;
            }
        }
        let len = c.len_utf8();
        if raw[i..].starts_with(c) {
            f(Aligned::Char(c, i, len));
            i += len;
        } else {
            // Out of step (should not happen): keep the position, never
            // point past the raw text.
            f(Aligned::Char(c, i, 0));
        }
    }
}

/// Named references that decode to two characters are rare (`&NotEqualTilde;`);
/// any named reference is allowed to, none numeric.
fn is_two_char_reference(r: &str) -> bool {
    !r.starts_with("&#")
}

/// Length of the character reference at `raw[i]` (an `&`) whose decoding
/// is followed by `rest`: the shortest plausible reference after which the
/// raw text goes on with `rest`. `None` for a literal `&`.
fn reference_len(raw: &[u8], i: usize, rest: &str) -> Option<usize> {
    let after = |e: usize| -> bool {
        let tail = &raw[e.min(raw.len())..];
        let want = rest.as_bytes();
        if want.is_empty() {
            return tail.is_empty();
        }
        // Compare the next few characters; entities and CRs in the tail
        // decode differently, so the comparison stops at one. A tail that
        // ends before the decoded text does is no match (`&nbsp0;0` is
        // `&nbsp` and `0;0`, not `&nbsp0;` and `0`).
        for (k, &w) in want.iter().take(8).enumerate() {
            match tail.get(k) {
                None => return false,
                Some(b'&' | b'\r') => return true,
                Some(&b) if b != w => return false,
                Some(_) => {}
            }
        }
        true
    };
    let mut e = i + 1;
    if raw.get(e) == Some(&b'#') {
        e += 1;
        let hex = matches!(raw.get(e), Some(b'x' | b'X'));
        if hex {
            e += 1;
        }
        let digits_from = e;
        while raw.get(e).is_some_and(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        }) {
            e += 1;
        }
        if e == digits_from {
            return None;
        }
        if raw.get(e) == Some(&b';') {
            e += 1;
        }
        return Some(e - i);
    }
    let name_from = e;
    while raw.get(e).is_some_and(u8::is_ascii_alphanumeric) && e - name_from < 40 {
        e += 1;
    }
    if e == name_from {
        return None;
    }
    if raw.get(e) == Some(&b';') && after(e + 1) {
        return Some(e + 1 - i);
    }
    // Legacy references without a semicolon (`&copy2004`, `&nbsp`): the
    // longest name after which the raw text goes on with what follows.
    (name_from + 1..=e).rev().find(|&k| after(k)).map(|k| k - i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(raw: &str, decoded: &str) -> (MappedText, Vec<u8>) {
        let bytes = raw.as_bytes().to_vec();
        let src = Source::new(&bytes);
        let mut m = MappedText::default();
        m.push_node(&src, decoded, (0, raw.len()));
        (m, bytes)
    }

    /// Character by character, as `push_node` read a text node before it
    /// pushed runs of ASCII at once.
    fn by_chars(m: &mut MappedText, src: &Source<'_>, decoded: &str, raw: (usize, usize)) {
        for (i, c) in decoded.char_indices() {
            let f = src.file_offset(raw.0 + i);
            m.push_char(c, f, src.file_offset(raw.0 + i + c.len_utf8()) - f);
        }
    }

    proptest::proptest! {
        /// Runs pushed at once leave the text, its pieces and their ends
        /// as pushing each character did, node after node.
        #[test]
        fn runs_are_pushed_as_characters_would_be(
            nodes in proptest::collection::vec("[ a-z0-9,.$()\t\n\u{0b}\u{a0}\u{2014}é]{0,12}", 1..6),
            spaces in proptest::collection::vec(proptest::bool::ANY, 6),
        ) {
            let raw: String = nodes.concat();
            let bytes = raw.as_bytes().to_vec();
            let src = Source::new(&bytes);
            let (fast, slow) = fed_both(
                &nodes,
                &spaces,
                (0, |n: &String| n.len()),
                |m, n, at| m.push_node(&src, n, (at, at + n.len())),
                |m, n, at| by_chars(m, &src, n, (at, at + n.len())),
            );
            proptest::prop_assert_eq!(state(&fast), state(&slow));
        }
    }

    /// Every character of `decoded` pushed alone where [`align`] places it
    /// in `raw` (from file offset `base`): runs one character at a time.
    fn by_chars_aligned(m: &mut MappedText, decoded: &str, raw: &str, base: usize) {
        align(decoded, raw, |a| {
            for (c, at, len) in a.chars(decoded) {
                m.push_char(c, base + at, len);
            }
        });
    }

    /// Everything a text keeps that the next push reads or a reader sees.
    fn state(m: &MappedText) -> (&str, &[Run], usize, usize, Option<usize>) {
        (&m.text, &m.runs, m.lead_nbsp, m.file_end, m.pending_space)
    }

    /// Two texts fed the same nodes, each by its own push, from file
    /// offset `start` on (a node's raw length is `len` of it), a space
    /// after each node `spaces` marks.
    fn fed_both<N>(
        nodes: &[N],
        spaces: &[bool],
        (start, len): (usize, impl Fn(&N) -> usize),
        mut fast: impl FnMut(&mut MappedText, &N, usize),
        mut slow: impl FnMut(&mut MappedText, &N, usize),
    ) -> (MappedText, MappedText) {
        let (mut a, mut b) = (MappedText::default(), MappedText::default());
        let mut at = start;
        for (n, &space) in nodes.iter().zip(spaces) {
            fast(&mut a, n, at);
            slow(&mut b, n, at);
            if space {
                a.space();
                b.space();
            }
            at += len(n);
        }
        (a, b)
    }

    /// A raw text and its decoding, built from pieces: literal text, named
    /// and numeric references (one that decodes to two characters), a bare
    /// `&`, and line ends.
    fn piece() -> impl proptest::strategy::Strategy<Value = (String, String)> {
        use proptest::prelude::*;
        prop_oneof![
            "[a-z0-9,.$() \t\u{a0}é]{1,8}".prop_map(|t| (t.clone(), t)),
            Just(("&amp;".to_string(), "&".to_string())),
            Just(("&nbsp;".to_string(), "\u{a0}".to_string())),
            Just(("&nbsp".to_string(), "\u{a0}".to_string())),
            Just(("&#151;".to_string(), "\u{2014}".to_string())),
            Just(("&#x2019;".to_string(), "\u{2019}".to_string())),
            Just(("&copy".to_string(), "©".to_string())),
            Just(("&NotEqualTilde;".to_string(), "\u{2242}\u{338}".to_string())),
            Just(("&".to_string(), "&".to_string())),
            Just(("AT&T".to_string(), "AT&T".to_string())),
            Just(("\r\n".to_string(), "\n".to_string())),
            Just(("\r".to_string(), "\n".to_string())),
        ]
    }

    proptest::proptest! {
        /// A node with references pushed stretch by stretch leaves the
        /// text, its pieces and their ends as pushing each character did
        /// (as `push_node` read such a node before): nodes built from
        /// references and text, and raw and decoded texts that do not
        /// match at all.
        #[test]
        fn aligned_runs_are_pushed_as_characters_would_be(
            nodes in proptest::collection::vec(proptest::collection::vec(piece(), 0..6), 1..4),
            wild in proptest::collection::vec(
                ("[a-c&;#x0-9\r\n \u{a0}é]{0,10}", "[a-c&;#x0-9\r\n \u{a0}é]{0,10}"),
                0..3,
            ),
            spaces in proptest::collection::vec(proptest::bool::ANY, 8),
        ) {
            let mut pairs: Vec<(String, String)> = nodes
                .iter()
                .map(|n| (n.iter().map(|p| p.0.as_str()).collect(), n.iter().map(|p| p.1.as_str()).collect()))
                .collect();
            pairs.extend(wild);
            let (fast, slow) = fed_both(
                &pairs,
                &spaces,
                (3, |(raw, _): &(String, String)| raw.len()),
                |m, (raw, decoded), at| m.push_aligned(at, decoded, raw),
                |m, (raw, decoded), at| by_chars_aligned(m, decoded, raw, at),
            );
            proptest::prop_assert_eq!(state(&fast), state(&slow));
        }
    }

    /// `m` as it was when every blank started a piece of its own: each
    /// piece split before each space inside it.
    fn unmerged(m: &MappedText) -> MappedText {
        let mut out = MappedText {
            text: m.text.clone(),
            ..MappedText::default()
        };
        for (
            k,
            &Run {
                text: t,
                file: f,
                end: e,
            },
        ) in m.runs.iter().enumerate()
        {
            let next = m.runs.get(k + 1).map_or(m.text.len(), |r| r.text);
            out.runs.push(Run {
                text: t,
                file: f,
                end: e,
            });
            for p in (t + 1..next).filter(|&p| m.text.as_bytes()[p] == b' ') {
                out.runs.last_mut().unwrap().end = f + (p - t);
                // A blank's piece ended after its one byte, unless the
                // characters after it extended it.
                out.runs.push(Run {
                    text: p,
                    file: f + (p - t),
                    end: if p + 1 == next { f + (p - t) + 1 } else { e },
                });
            }
        }
        out
    }

    proptest::proptest! {
        /// A blank taken into the run before it maps every range of the
        /// text to the file bytes it mapped to when the blank started a
        /// piece of its own.
        #[test]
        fn blanks_joining_runs_keep_every_span(
            nodes in proptest::collection::vec("[ a-z0-9,.$()\t\n\u{a0}\u{2014}é]{0,12}|&amp;|&#160;", 1..6),
            spaces in proptest::collection::vec(proptest::bool::ANY, 6),
        ) {
            let raw: String = nodes.concat();
            let bytes = raw.as_bytes().to_vec();
            let src = Source::new(&bytes);
            let mut m = MappedText::default();
            let mut at = 0;
            for (k, n) in nodes.iter().enumerate() {
                let decoded = n.replace("&amp;", "&").replace("&#160;", "\u{a0}");
                m.push_node(&src, &decoded, (at, at + n.len()));
                if spaces[k] {
                    m.space();
                }
                at += n.len();
            }
            let old = unmerged(&m);
            let bounds: Vec<usize> = (0..=m.text.len()).filter(|&i| m.text.is_char_boundary(i)).collect();
            for (k, &s) in bounds.iter().enumerate() {
                for &e in &bounds[k..] {
                    proptest::prop_assert_eq!(m.span(s, e), old.span(s, e), "{:?} {}..{}", m.text, s, e);
                }
            }
        }
    }

    /// Prose is one piece per stretch the file prints byte for byte, not
    /// one per word.
    #[test]
    fn prose_is_one_run() {
        let (m, bytes) = mapped(
            "Net sales rose 5% to $12.1 million",
            "Net sales rose 5% to $12.1 million",
        );
        assert_eq!(m.runs.len(), 1);
        let at = m.text.find("$12.1").unwrap();
        assert_eq!(m.span(at, at + 5).slice(&bytes), b"$12.1");
        let (m, _) = mapped("a  b\n c", "a  b\n c");
        assert_eq!((m.text.as_str(), m.runs.len()), ("a b c", 3));
    }

    #[test]
    fn blanks_on_a_line_of_their_own_indent_nothing() {
        let raw = "&nbsp;&nbsp;Total";
        let bytes = raw.as_bytes().to_vec();
        let src = Source::new(&bytes);
        let mut m = MappedText::default();
        m.push_node(&src, "\u{a0}", (0, 6));
        m.space();
        m.push_node(&src, "\u{a0}Total", (6, raw.len()));
        assert_eq!((m.text.as_str(), m.lead_nbsp), ("Total", 1));
    }

    #[test]
    fn a_figure_after_entities_points_at_its_own_digits() {
        let (m, bytes) = mapped("&nbsp;&nbsp;3,769", "\u{a0}\u{a0}3,769");
        assert_eq!(m.text, "3,769");
        assert_eq!(m.lead_nbsp, 2);
        assert_eq!(m.whole_span().slice(&bytes), b"3,769");
    }

    #[test]
    fn references_inside_text_keep_the_rest_in_place() {
        let raw = "Net&#160;sales &amp; other&#151;&copy2004 x";
        let dec = "Net\u{a0}sales & other\u{2014}\u{a9}2004 x";
        let (m, bytes) = mapped(raw, dec);
        assert_eq!(m.text, "Net sales & other\u{2014}\u{a9}2004 x");
        let at = m.text.find("other").unwrap();
        assert_eq!(m.span(at, at + 5).slice(&bytes), b"other");
        let dash = m.text.find('\u{2014}').unwrap();
        assert_eq!(m.span(dash, dash + 3).slice(&bytes), b"&#151;");
        let y = m.text.find("2004").unwrap();
        assert_eq!(m.span(y, y + 4).slice(&bytes), b"2004");
        assert_eq!(m.span(0, 9).slice(&bytes), b"Net&#160;sales");
    }

    #[test]
    fn whitespace_collapses_and_crlf_maps() {
        let (m, bytes) = mapped("  a \r\n\t b  ", "  a \n\t b  ");
        assert_eq!(m.text, "a b");
        assert_eq!(m.span(2, 3).slice(&bytes), b"b");
    }

    #[test]
    fn latin1_characters_keep_their_single_byte() {
        let bytes = b"caf\xe9 12".to_vec();
        let src = Source::new(&bytes);
        let text = src.text.to_string();
        let mut m = MappedText::default();
        m.push_node(&src, &text, (0, text.len()));
        let at = m.text.find("12").unwrap();
        assert_eq!(m.span(at, at + 2).slice(&bytes), b"12");
        assert_eq!(m.span(0, 5).slice(&bytes), b"caf\xe9");
    }
}
