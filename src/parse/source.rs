//! Decoding and line splitting that never loses a byte of position.
//!
//! A release arrives as bytes: UTF-8, or Latin-1 from older EDGAR filings,
//! with LF or CRLF line ends, tabs and form feeds. [`Source`] decodes it to a
//! `String` and keeps a map back to the original offsets; [`Line`] gives each
//! line's text with display columns (tabs expanded to stops of 8) so that
//! table columns line up, while spans still point at the original bytes.

use crate::span::Span;

/// Decoded text plus the map from text positions to file offsets.
pub struct Source<'a> {
    pub bytes: &'a [u8],
    pub text: std::borrow::Cow<'a, str>,
    /// For transcoded (Latin-1) input: `map[i]` is the file offset of text
    /// byte `i`, with one extra entry for the end. `None` means identity.
    map: Option<Vec<u32>>,
    /// Where the text came from: `Utf8` or `Latin1`.
    pub encoding: Encoding,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Latin1,
    /// UTF-16 with a byte order mark (a draft saved as "Unicode" on
    /// Windows): little-endian when `true`.
    Utf16 {
        little_endian: bool,
    },
}

/// The byte order a UTF-16 byte order mark at the start of `bytes` states:
/// `Some(true)` for little-endian (`FF FE`), `Some(false)` for big-endian.
pub fn utf16_bom(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(true),
        [0xFE, 0xFF, ..] => Some(false),
        _ => None,
    }
}

/// The characters of UTF-16 `bytes`, each with its byte offset in `bytes`
/// and its width there (2 or 4). Unpaired surrogates are U+FFFD; an odd last
/// byte belongs to no character. Shared by the parser and the renderers'
/// display text, so both read a UTF-16 file the same way.
pub fn utf16_chars(
    bytes: &[u8],
    little_endian: bool,
) -> impl Iterator<Item = (usize, char, usize)> {
    let units = bytes.chunks_exact(2).map(move |c| {
        if little_endian {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut at = 0;
    char::decode_utf16(units).map(move |c| {
        let (c, width) = match c {
            Ok(c) => (c, c.len_utf16() * 2),
            Err(_) => (char::REPLACEMENT_CHARACTER, 2),
        };
        let here = at;
        at += width;
        (here, c, width)
    })
}

/// Decodes UTF-16 after its byte order mark: the text and, for each text
/// byte, the file offset of the code unit it came from (plus the end).
fn decode_utf16(bytes: &[u8], little_endian: bool) -> (String, Vec<u32>) {
    let offset = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut map = Vec::with_capacity(bytes.len() / 2 + 1);
    for (at, c, _) in utf16_chars(&bytes[2..], little_endian) {
        map.extend(std::iter::repeat_n(offset(2 + at), c.len_utf8()));
        text.push(c);
    }
    map.push(offset(bytes.len()));
    (text, map)
}

/// The text of file bytes `slice` taken at `offset` of `file`: UTF-16 when
/// the file starts with a UTF-16 byte order mark (the slice then starts on
/// a code unit), else UTF-8 with invalid bytes replaced.
pub fn slice_text(file: &[u8], offset: usize, slice: &[u8]) -> String {
    match utf16_bom(file) {
        Some(little_endian) => {
            // Start on a code unit: an even offset, as the mark is 2 bytes.
            let slice = slice.get(offset % 2..).unwrap_or_default();
            utf16_chars(slice, little_endian)
                .map(|(_, c, _)| c)
                .collect()
        }
        None => String::from_utf8_lossy(slice).into_owned(),
    }
}

impl<'a> Source<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        if let Some(little_endian) = utf16_bom(bytes) {
            let (text, map) = decode_utf16(bytes, little_endian);
            return Source {
                bytes,
                text: std::borrow::Cow::Owned(text),
                map: Some(map),
                encoding: Encoding::Utf16 { little_endian },
            };
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => Source {
                bytes,
                text: std::borrow::Cow::Borrowed(s),
                map: None,
                encoding: Encoding::Utf8,
            },
            Err(_) => {
                // Latin-1: every byte is one character. Each multi-byte UTF-8
                // character maps back to its single source byte.
                let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
                let mut map = Vec::with_capacity(bytes.len() + bytes.len() / 8 + 1);
                let offset = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
                let mut i = 0;
                while i < bytes.len() {
                    // A run of ASCII bytes is copied as it is, one map entry each.
                    let run = bytes[i..].iter().take_while(|b| b.is_ascii()).count();
                    if run > 0 {
                        let ascii = &bytes[i..i + run];
                        text.push_str(std::str::from_utf8(ascii).unwrap_or_default());
                        match (u32::try_from(i), u32::try_from(i + run)) {
                            (Ok(a), Ok(b)) => map.extend(a..b),
                            _ => map.extend((i..i + run).map(offset)),
                        }
                        i += run;
                        continue;
                    }
                    let c = bytes[i] as char;
                    for _ in 0..c.len_utf8() {
                        map.push(offset(i));
                    }
                    text.push(c);
                    i += 1;
                }
                map.push(u32::try_from(bytes.len()).unwrap_or(u32::MAX));
                Source {
                    bytes,
                    text: std::borrow::Cow::Owned(text),
                    map: Some(map),
                    encoding: Encoding::Latin1,
                }
            }
        }
    }

    /// Whether text positions are file offsets (the file is UTF-8).
    pub fn offsets_are_positions(&self) -> bool {
        self.map.is_none()
    }

    /// File offset of text position `pos`.
    pub fn file_offset(&self, pos: usize) -> usize {
        match &self.map {
            None => pos,
            Some(map) => map.get(pos).or(map.last()).map_or(0, |&o| o as usize),
        }
    }

    /// The file span of text range `[start, end)`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::range(self.file_offset(start), self.file_offset(end))
    }
}

/// One line of decoded text, without its line terminator.
#[derive(Clone, Debug)]
pub struct Line<'t> {
    /// Text position of the first byte of the line.
    pub start: usize,
    pub text: &'t str,
    /// Display column of each char boundary would be costly to store: up to
    /// `plain` (the first tab or non-ASCII byte, or the end of the line) a
    /// byte is a column; beyond it columns are counted on demand.
    plain: usize,
    /// The line holds a tab (columns then need the tab stops).
    tabs: bool,
    /// The last column counted beyond `plain`: (byte index, its column).
    /// Callers ask for the columns of a line's cells left to right, and
    /// each count goes on from the one before instead of from `plain`
    /// (which made a tabbed line's columns quadratic in its cells).
    counted: std::cell::Cell<(usize, usize)>,
}

impl<'t> Line<'t> {
    /// Display column (0-based, tabs expanded) of byte index `i` in the line.
    pub fn col(&self, i: usize) -> usize {
        if i <= self.plain {
            return i;
        }
        let i = i.min(self.text.len());
        // From the last column counted when it is not past `i`.
        let (from, col) = match self.counted.get() {
            (at, col) if at <= i => (at, col),
            _ => (self.plain, self.plain),
        };
        // One column per character: count the bytes that start one (every
        // byte but UTF-8 continuation bytes) between `from` and `i`.
        let before = &self.text.as_bytes()[from..i];
        let starts_char = |b: u8| (b & 0xC0) != 0x80;
        let col = if self.tabs {
            before.iter().fold(col, |col, &b| match b {
                b'\t' => (col / 8 + 1) * 8,
                b if starts_char(b) => col + 1,
                _ => col,
            })
        } else {
            col + before.iter().filter(|&&b| starts_char(b)).count()
        };
        self.counted.set((i, col));
        col
    }

    pub fn is_blank(&self) -> bool {
        trim_start_ws(self.text).is_empty()
    }

    /// Display column of the first non-blank character.
    pub fn indent(&self) -> usize {
        self.col(self.text.len() - trim_start_ws(self.text).len())
    }

    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// Whitespace in the sense of `char::is_whitespace`, for ASCII bytes.
fn ascii_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

// Scanning eight bytes at a time ("SWAR"), shared by the line, layout and
// cell scanners.

/// Eight copies of byte `b` in one word.
pub(crate) const fn splat(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

pub(crate) const SPACES: u64 = splat(b' ');
pub(crate) const HIGH: u64 = splat(0x80);
pub(crate) const LOW7: u64 = splat(0x7f);

/// The eight bytes from `at`, the first one least significant (zero when
/// fewer than eight remain; callers check the length first).
pub(crate) fn eight_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|w| w.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// The high bit set in each byte of `x` that is not `c`, and no other bit.
/// (Exact per byte: the additions never carry into the next byte.)
const fn not_byte(x: u64, c: u8) -> u64 {
    let y = x ^ splat(c);
    (((y & LOW7) + LOW7) | y) & HIGH
}

/// The high bit set in each byte of `x` that is not a space, and no other
/// bit.
pub(crate) const fn not_spaces(x: u64) -> u64 {
    not_byte(x, b' ')
}

/// `s.trim_start()`, with a fast path for ASCII whitespace (and for
/// indentation, eight spaces at a time).
pub fn trim_start_ws(s: &str) -> &str {
    let b = s.as_bytes();
    // Most texts handed here start with a printed ASCII character.
    if b.first().is_some_and(|&c| c > b' ' && c < 0x80) {
        return s;
    }
    let mut lead = 0;
    while lead + 8 <= b.len() && eight_at(b, lead) == SPACES {
        lead += 8;
    }
    lead += b[lead..].iter().take_while(|&&c| ascii_ws(c)).count();
    let rest = &s[lead..];
    if rest.as_bytes().first().is_some_and(|b| !b.is_ascii()) {
        rest.trim_start()
    } else {
        rest
    }
}

/// `s.trim_end()`, with a fast path for ASCII whitespace.
pub fn trim_end_ws(s: &str) -> &str {
    let b = s.as_bytes();
    if b.last().is_some_and(|&c| c > b' ' && c < 0x80) {
        return s;
    }
    let mut trail = 0;
    while trail + 8 <= b.len() && eight_at(b, b.len() - trail - 8) == SPACES {
        trail += 8;
    }
    trail += b[..b.len() - trail]
        .iter()
        .rev()
        .take_while(|&&c| ascii_ws(c))
        .count();
    let rest = &s[..s.len() - trail];
    if rest.as_bytes().last().is_some_and(|b| !b.is_ascii()) {
        rest.trim_end()
    } else {
        rest
    }
}

/// `s.trim()`, with a fast path for ASCII whitespace.
pub fn trim_ws(s: &str) -> &str {
    trim_end_ws(trim_start_ws(s))
}

/// For eight ASCII bytes (byte 0 in the low bits): the high bit of each
/// byte that is a space, and of each that is a control blank (`\t` to
/// `\r`). Every byte is below 0x80, so no subtraction borrows across bytes.
fn blanks(x: u64) -> (u64, u64) {
    let at_least = |n: u8| ((x | HIGH) - splat(n)) & HIGH;
    let spaces = !not_spaces(x) & HIGH;
    let controls = at_least(b'\t') & !at_least(b'\r' + 1);
    (spaces, controls)
}

/// Whether each byte is an ASCII letter or digit: one load a byte where
/// `u8::is_ascii_alphanumeric` takes three range tests.
pub(crate) static ASCII_ALNUM: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = (c as u8).is_ascii_alphanumeric();
        c += 1;
    }
    table
};

/// Whether `f` holds for a word of `b`, the words in order: the runs of
/// ASCII letters and digits, as byte ranges (`f(start, end)`).
pub(crate) fn any_ascii_word(b: &[u8], f: impl FnMut(usize, usize) -> bool) -> bool {
    any_ascii_word_with(b, |_| false, f)
}

/// [`any_ascii_word`], where a word, once started by a letter or digit,
/// also takes the bytes `inner` accepts (an apostrophe: `'05`, `company's`).
/// Two tight loops over [`ASCII_ALNUM`]: the bytes between words, then a
/// word's.
pub(crate) fn any_ascii_word_with(
    b: &[u8],
    inner: impl Fn(u8) -> bool,
    mut f: impl FnMut(usize, usize) -> bool,
) -> bool {
    let mut i = 0;
    while i < b.len() {
        if !ASCII_ALNUM[usize::from(b[i])] {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < b.len() && (ASCII_ALNUM[usize::from(b[i])] || inner(b[i])) {
            i += 1;
        }
        if f(start, i) {
            return true;
        }
    }
    false
}

/// How many times `c` occurs in `b`. Counted in byte-wide lanes over
/// blocks of 255 bytes (so no lane overflows), which the compiler turns
/// into vector code.
pub fn count_byte(b: &[u8], c: u8) -> usize {
    b.chunks(255)
        .map(|block| {
            let n = block.iter().fold(0u8, |n, &x| n + u8::from(x == c));
            usize::from(n)
        })
        .sum()
}

/// `s.split_whitespace().count()`, with a fast path for ASCII text.
pub fn word_count(s: &str) -> usize {
    if !s.is_ascii() {
        return s.split_whitespace().count();
    }
    // A word starts at a non-blank byte that starts the text or follows a
    // blank; eight bytes at a time, then byte by byte.
    let b = s.as_bytes();
    let mut words = 0;
    // The high bit of the byte before the chunk: set for a blank (the
    // text's start counts as one).
    let mut prev = 0x80u64;
    let mut i = 0;
    while i + 8 <= b.len() {
        let (spaces, controls) = blanks(eight_at(b, i));
        let blank = spaces | controls;
        words += (!blank & HIGH & ((blank << 8) | prev)).count_ones() as usize;
        prev = (blank >> 56) & 0x80;
        i += 8;
    }
    let mut prev_ws = prev != 0;
    for &c in &b[i..] {
        let ws = ascii_ws(c);
        if !ws && prev_ws {
            words += 1;
        }
        prev_ws = ws;
    }
    words
}

/// Is `s` ASCII with single spaces as its only whitespace, so that (for a
/// trimmed `s`) `s.split_whitespace()` joined by `" "` gives it back
/// unchanged?
pub fn single_spaced(s: &str) -> bool {
    let b = s.as_bytes();
    let mut prev = 0u64;
    let mut i = 0;
    while i + 8 <= b.len() {
        let x = eight_at(b, i);
        if x & HIGH != 0 {
            return false;
        }
        let (spaces, controls) = blanks(x);
        if controls != 0 || spaces & ((spaces << 8) | prev) != 0 {
            return false;
        }
        prev = (spaces >> 56) & 0x80;
        i += 8;
    }
    let mut prev_space = prev != 0;
    b[i..].iter().all(|&c| {
        let space = c == b' ';
        let ok = c.is_ascii() && !(space && prev_space) && (space || !ascii_ws(c));
        prev_space = space;
        ok
    })
}

/// How many bytes `b` starts with that are ASCII and not a tab (a column
/// each); eight bytes at a time, then byte by byte.
fn plain_prefix(b: &[u8]) -> usize {
    let mut i = 0;
    while i + 8 <= b.len() {
        let x = eight_at(b, i);
        // The high bit of each byte that is not ASCII, or that is a tab.
        let stop = (x & HIGH) | (!not_byte(x, b'\t') & HIGH);
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + b[i..]
        .iter()
        .position(|&c| c == b'\t' || !c.is_ascii())
        .unwrap_or(b.len() - i)
}

/// Splits `text[range]` into lines. `\n`, `\r\n` and a lone `\r` end a
/// line; a run of `\r` before `\n` (`\r\r\n`, left by a double conversion)
/// is one line end too. Form feeds are whitespace inside the line.
pub fn lines(text: &str, base: usize) -> impl Iterator<Item = Line<'_>> {
    let bytes = text.as_bytes();
    // Most texts are plain ASCII without tabs: then every line is simple and
    // no line needs its own scan.
    let all_simple = text.is_ascii() && memchr::memchr(b'\t', bytes).is_none();
    // A line ends at LF, CRLF or a lone CR (classic Mac files, and files
    // whose parts were saved on different systems mix all three).
    let mut start = 0;
    let mut lone_until = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let (content_end, next) = match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            Some(p) => {
                let p = start + p;
                if bytes[p] == b'\n' || p < lone_until {
                    (p, p + 1)
                } else {
                    let crs = bytes[p..].iter().take_while(|&&b| b == b'\r').count();
                    if bytes.get(p + crs) == Some(&b'\n') {
                        (p, p + crs + 1)
                    } else {
                        // Each CR of the run ends a line; the run is not
                        // scanned again for each.
                        lone_until = p + crs;
                        (p, p + 1)
                    }
                }
            }
            None => (bytes.len(), bytes.len()),
        };
        let line_text = &text[start..content_end];
        let (plain, tabs) = if all_simple {
            (line_text.len(), false)
        } else {
            let lb = line_text.as_bytes();
            let plain = plain_prefix(lb);
            (plain, memchr::memchr(b'\t', &lb[plain..]).is_some())
        };
        let line = Line {
            start: base + start,
            text: line_text,
            plain,
            tabs,
            counted: std::cell::Cell::new((plain, plain)),
        };
        start = next;
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The plain prefix is where the first tab or non-ASCII byte is,
        /// as a byte-by-byte search finds it.
        #[test]
        fn the_plain_prefix_ends_at_the_first_tab_or_non_ascii_byte(
            b in proptest::collection::vec(
                prop_oneof![8 => 0x20u8..0x7f, 1 => Just(b'\t'), 1 => 0x80u8..=0xff, 1 => 0u8..0x20],
                0..40,
            ),
        ) {
            let want = b.iter().position(|&c| c == b'\t' || !c.is_ascii()).unwrap_or(b.len());
            prop_assert_eq!(plain_prefix(&b), want);
        }
    }

    proptest! {
        /// The fast paths give what `str`'s own methods give, on text of
        /// blanks (ASCII and Unicode), long indentation and words.
        #[test]
        fn trims_and_word_counts_match_std(
            s in "( {8,20}|[ \t\n\x0b\x0c\r\x01]|\u{a0}|\u{2003}|[a-z]{1,3}|\u{e9}){0,24}"
        ) {
            prop_assert_eq!(trim_start_ws(&s), s.trim_start());
            prop_assert_eq!(trim_end_ws(&s), s.trim_end());
            prop_assert_eq!(trim_ws(&s), s.trim());
            prop_assert_eq!(word_count(&s), s.split_whitespace().count());
            let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
            let t = s.trim();
            prop_assert_eq!(single_spaced(t), t.is_ascii() && joined == t);
            prop_assert_eq!(count_byte(s.as_bytes(), b' '), s.bytes().filter(|&b| b == b' ').count());
        }
    }

    proptest! {
        /// The words are the byte runs a split at every byte that is not an
        /// ASCII letter or digit leaves, in order, and the search stops at
        /// the first word `f` takes.
        #[test]
        fn ascii_words_are_the_runs_of_letters_and_digits(
            b in proptest::collection::vec(
                prop_oneof![4 => b'a'..=b'z', 2 => b'0'..=b'9', 1 => b'A'..=b'Z', 2 => 0u8..=0xff],
                0..40,
            ),
            stop in 0usize..6,
        ) {
            let want: Vec<&[u8]> = b
                .split(|c| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let mut got: Vec<&[u8]> = Vec::new();
            let found = any_ascii_word(&b, |s, e| {
                got.push(&b[s..e]);
                got.len() == stop
            });
            prop_assert_eq!(found, stop > 0 && want.len() >= stop);
            let seen = if found { stop } else { want.len() };
            prop_assert_eq!(&got[..], &want[..seen]);
        }
    }

    proptest! {
        /// A column asked for in any order, past the line's end too, is
        /// the one counted from the line's start: characters, tabs to the
        /// next stop of eight.
        #[test]
        fn columns_asked_in_any_order_are_counted_from_the_start(
            s in "([a-z ]{1,6}|\t|\u{e9}|\u{2014}|\u{1f600}){0,16}",
            at in proptest::collection::vec(0usize..80, 1..12),
        ) {
            // An empty text has no line.
            let Some(line) = lines(&s, 0).next() else {
                return Ok(());
            };
            let want = |i: usize| {
                let mut col = 0;
                for (k, c) in s.char_indices() {
                    if k >= i {
                        break;
                    }
                    col = if c == '\t' { (col / 8 + 1) * 8 } else { col + 1 };
                }
                col
            };
            for &i in &at {
                // A char boundary, as the parser asks (or past the end).
                let i = (i..=s.len()).find(|&k| s.is_char_boundary(k)).unwrap_or(i);
                prop_assert_eq!(line.col(i), want(i), "{:?} at {}", s, i);
            }
        }
    }

    #[test]
    fn byte_counts_cross_block_boundaries() {
        let text = "ab\n".repeat(700);
        assert_eq!(count_byte(text.as_bytes(), b'\n'), 700);
        assert_eq!(count_byte(&[b'x'; 600], b'x'), 600);
        assert_eq!(count_byte(b"", b'x'), 0);
    }

    #[test]
    fn latin1_offsets_map_back_to_bytes() {
        let bytes = b"Soci\xe9t\xe9 12";
        let src = Source::new(bytes);
        assert_eq!(src.encoding, Encoding::Latin1);
        assert_eq!(src.text, "Soci\u{e9}t\u{e9} 12");
        let pos = src.text.find("12").unwrap();
        assert_eq!(src.file_offset(pos), 8);
        assert_eq!(src.span(pos, pos + 2), Span::new(8, 2));
    }

    #[test]
    fn tabs_expand_to_stops_of_eight() {
        let ls: Vec<Line<'_>> = lines("a\tb\r\nxy\t\tz", 0).collect();
        assert_eq!(ls.len(), 2);
        assert_eq!(ls[0].text, "a\tb");
        assert_eq!(ls[0].col(2), 8);
        assert_eq!(ls[1].start, 5);
        assert_eq!(ls[1].col(4), 16);
    }
}
