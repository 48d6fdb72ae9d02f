//! Source text as renderers see it: decoded once, with every byte span of the
//! original file mapped to a range of the decoded text and to 1-based
//! line/column positions.
//!
//! **Decoding.** A file that is valid UTF-8 is used as is, so decoded offsets
//! equal original offsets. Any other file is decoded as Windows-1252 (the
//! superset of Latin-1 that legacy filings are actually written in), one
//! character per byte. We do not mix the two: a file with one invalid byte is
//! almost always a single-byte file whose accented letters happen to include
//! a valid UTF-8 pair by accident, so decoding the valid runs as UTF-8 would
//! give mojibake and shift columns. The five bytes Windows-1252 leaves
//! undefined become U+FFFD rather than C1 control characters, which would
//! garble a terminal.
//!
//! **Positions.** Lines end at `\n`, `\r\n` and a lone `\r`, as editors
//! and SARIF viewers count them (the `\r` of a CRLF belongs to the line it
//! ends, so CRLF files count lines exactly like LF files, and a classic Mac
//! file has its lines too).
//! Columns count characters of the decoded text, so in a Windows-1252 file a
//! column is a byte and in a UTF-8 file it is a Unicode scalar value.
//!
//! **Never out of range.** Every span is clamped to the file and widened
//! outward to character boundaries before it is used, so a label that points
//! past the end or into the middle of a character degrades to the nearest
//! valid range instead of panicking.

use std::borrow::Cow;
use std::ops::Range;

use crate::span::Span;

/// A file's text, decoded for display, with an index for positions.
#[derive(Clone, Debug)]
pub struct SourceText<'a> {
    raw: &'a [u8],
    text: Cow<'a, str>,
    /// For single-byte decoding: the decoded offset of each raw byte, plus a
    /// final entry for `raw.len()`. `None` when the file is UTF-8.
    offsets: Option<Vec<usize>>,
    /// Decoded offsets at which each line starts; always starts with 0.
    line_starts: Vec<usize>,
    /// Whether the decoded text is ASCII: a column is then a byte count.
    ascii: bool,
    /// For long lines of other text: the number of characters before each
    /// multiple of [`MARK`] bytes, built on first need, so a column on a
    /// line of megabytes (a Workiva file) costs at most [`MARK`] bytes of
    /// counting.
    char_marks: std::sync::OnceLock<Vec<usize>>,
    /// Spans already located elsewhere (a report read back from JSONL by
    /// `tieout merge`, whose file is not at hand): `locate` answers from
    /// them instead of the text.
    known: Option<&'a [KnownLocation]>,
}

/// A label's location as a JSON report gives it: the span (clamped), its
/// first and after-last positions, and the text it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownLocation {
    pub span: Span,
    pub start: Position,
    pub end: Position,
    pub snippet: String,
}

/// The distance between two entries of [`SourceText::char_marks`].
const MARK: usize = 4096;

/// A 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where a span lies, resolved against a [`SourceText`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location<'t> {
    /// The span clamped to the file and widened to whole characters, in
    /// original bytes.
    pub span: Span,
    /// The covered range of the decoded text (on character boundaries).
    pub decoded: Range<usize>,
    /// The position of the first character.
    pub start: Position,
    /// The position just after the last character (exclusive end, as in
    /// SARIF); equal to `start` for an empty span.
    pub end: Position,
    /// The position of the last character (inclusive end, as GitHub
    /// annotations want); equal to `start` for an empty span.
    pub last: Position,
    /// The decoded text the span covers.
    pub snippet: &'t str,
}

/// A UTF-16 file (after its byte order mark) decoded for display, with the
/// decoded offset of each raw byte (the byte order mark and both bytes of a
/// code unit map to the start of its character) and one for the end.
fn decode_utf16(raw: &[u8], little_endian: bool) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(raw.len() / 2);
    let mut offsets = vec![0, 0];
    for (_, c, width) in crate::parse::source::utf16_chars(&raw[2..], little_endian) {
        offsets.extend(std::iter::repeat_n(text.len(), width));
        text.push(c);
    }
    // An odd last byte belongs to no character.
    offsets.resize(raw.len(), text.len());
    offsets.push(text.len());
    (text, offsets)
}

impl<'a> SourceText<'a> {
    pub fn new(raw: &'a [u8]) -> Self {
        let utf16 = crate::parse::source::utf16_bom(raw);
        let (text, offsets) = match std::str::from_utf8(raw) {
            _ if utf16.is_some() => {
                let (text, offsets) = decode_utf16(raw, utf16 == Some(true));
                (Cow::Owned(text), Some(offsets))
            }
            Ok(text) => (Cow::Borrowed(text), None),
            Err(_) => {
                let mut text = String::with_capacity(raw.len() + raw.len() / 8);
                let mut offsets = Vec::with_capacity(raw.len() + 1);
                for &byte in raw {
                    offsets.push(text.len());
                    text.push(windows_1252(byte));
                }
                offsets.push(text.len());
                (Cow::Owned(text), Some(offsets))
            }
        };
        let line_starts = crate::span::all_line_starts(text.as_bytes());
        let ascii = text.is_ascii();
        SourceText {
            raw,
            text,
            offsets,
            line_starts,
            ascii,
            char_marks: std::sync::OnceLock::new(),
            known: None,
        }
    }

    /// A text of which only the locations in `known` are known: `locate`
    /// returns them for their spans (and line 1, column 1 for any other).
    pub fn from_known(known: &'a [KnownLocation]) -> Self {
        SourceText {
            raw: &[],
            text: Cow::Borrowed(""),
            offsets: None,
            line_starts: vec![0],
            ascii: true,
            char_marks: std::sync::OnceLock::new(),
            known: Some(known),
        }
    }

    /// The original bytes.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The decoded text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where each line of the decoded text starts (the first at 0), lines
    /// ending as [`crate::span::line_starts`] says.
    pub(super) fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    /// Whether the file was valid UTF-8 (so decoded offsets equal byte offsets).
    pub fn is_utf8(&self) -> bool {
        self.offsets.is_none()
    }

    /// `span` limited to the file: it never starts or ends past the last byte.
    pub fn clamp(&self, span: Span) -> Span {
        let len = self.raw.len();
        let start = span.offset.min(len);
        let end = span.offset.saturating_add(span.len).min(len);
        Span::range(start, end)
    }

    /// The decoded range a span covers, clamped and widened to character
    /// boundaries.
    pub fn decoded_range(&self, span: Span) -> Range<usize> {
        let span = self.clamp(span);
        match &self.offsets {
            Some(offsets) => offsets[span.offset]..offsets[span.end()],
            None => {
                let mut start = span.offset;
                while !self.text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = span.end();
                while !self.text.is_char_boundary(end) {
                    end += 1;
                }
                start..end
            }
        }
    }

    /// The position of a decoded offset. Offsets that are not on a char
    /// boundary (never produced by [`Self::decoded_range`]) count as the
    /// start of their line rather than panicking.
    pub(super) fn position(&self, decoded: usize) -> Position {
        let line_index = self.line_starts.partition_point(|&s| s <= decoded) - 1;
        let line_start = self.line_starts[line_index];
        let column = match self.text.get(line_start..decoded) {
            None => 0,
            Some(_) if self.ascii => decoded - line_start,
            Some(s) if s.len() <= 2 * MARK => s.chars().count(),
            Some(_) => self.chars_before(decoded) - self.chars_before(line_start),
        } + 1;
        Position {
            line: line_index + 1,
            column,
        }
    }

    /// The number of characters before decoded offset `at` (a character
    /// boundary): the mark at or before it, plus a count of at most
    /// [`MARK`] bytes.
    fn chars_before(&self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        let marks = self.char_marks.get_or_init(|| {
            let mut marks = Vec::with_capacity(bytes.len() / MARK + 1);
            let mut count = 0;
            for chunk in bytes.chunks(MARK) {
                marks.push(count);
                count += starts_of_chars(chunk);
            }
            marks
        });
        let k = at / MARK;
        marks.get(k).copied().unwrap_or(0) + starts_of_chars(&bytes[k * MARK..at])
    }

    /// Resolves a span: clamped bytes, decoded range, positions and snippet.
    pub fn locate(&self, span: Span) -> Location<'_> {
        if let Some(known) = self.known {
            let first = Position { line: 1, column: 1 };
            return match known.iter().find(|k| k.span == span) {
                Some(k) => Location {
                    span,
                    decoded: 0..0,
                    start: k.start,
                    end: k.end,
                    last: k.end,
                    snippet: &k.snippet,
                },
                None => Location {
                    span,
                    decoded: 0..0,
                    start: first,
                    end: first,
                    last: first,
                    snippet: "",
                },
            };
        }
        let decoded = self.decoded_range(span);
        // For UTF-8 the widened decoded range is the byte range; for
        // single-byte decoding every byte is a whole character already.
        let span = match self.offsets {
            Some(_) => self.clamp(span),
            None => Span::range(decoded.start, decoded.end),
        };
        let snippet = &self.text[decoded.clone()];
        let last = match snippet.chars().next_back() {
            Some(c) => self.position(decoded.end - c.len_utf8()),
            None => self.position(decoded.start),
        };
        Location {
            span,
            start: self.position(decoded.start),
            end: self.position(decoded.end),
            last,
            snippet,
            decoded,
        }
    }
}

/// How many characters start in `bytes` (UTF-8): the bytes that are not
/// continuation bytes.
fn starts_of_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// Decodes one Windows-1252 byte. Bytes 0x80–0x9F are the printable
/// characters Windows puts there; the five it leaves undefined become U+FFFD.
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
        '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ',
        '\u{FFFD}', 'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_borrowed_and_positions_count_characters() {
        let src = "ab\ncé f\n".as_bytes();
        let text = SourceText::new(src);
        assert!(text.is_utf8());
        // 'f' is at byte 7 (é is two bytes), column 4.
        let loc = text.locate(Span::new(7, 1));
        assert_eq!(loc.start, Position { line: 2, column: 4 });
        assert_eq!(loc.end, Position { line: 2, column: 5 });
        assert_eq!(loc.snippet, "f");
    }

    #[test]
    fn windows_1252_maps_every_byte_to_one_character() {
        let src = b"caf\xe9 \x93up\x94 \x81";
        let text = SourceText::new(src);
        assert!(!text.is_utf8());
        assert_eq!(text.text(), "café “up” \u{FFFD}");
        let loc = text.locate(Span::new(5, 4));
        assert_eq!(loc.snippet, "“up”");
        assert_eq!(loc.start.column, 6);
        assert_eq!(loc.end.column, 10);
    }

    #[test]
    fn mid_character_spans_widen_to_boundaries() {
        let src = "xé".as_bytes();
        let text = SourceText::new(src);
        assert_eq!(text.decoded_range(Span::new(2, 1)), 1..3);
        assert_eq!(text.locate(Span::new(2, 1)).snippet, "é");
    }

    #[test]
    fn spans_past_the_end_are_clamped() {
        let text = SourceText::new(b"abc");
        let loc = text.locate(Span::new(usize::MAX - 1, 10));
        assert_eq!(loc.span, Span::new(3, 0));
        assert_eq!(loc.start, Position { line: 1, column: 4 });
        assert_eq!(loc.snippet, "");
        let empty = SourceText::new(b"");
        assert_eq!(
            empty.locate(Span::new(5, 5)).start,
            Position { line: 1, column: 1 }
        );
    }

    #[test]
    fn lone_cr_files_have_lines() {
        let text = SourceText::new(b"one\rtwo\r\nthree\nfour");
        assert_eq!(
            text.locate(Span::new(4, 3)).start,
            Position { line: 2, column: 1 }
        );
        assert_eq!(
            text.locate(Span::new(9, 5)).start,
            Position { line: 3, column: 1 }
        );
        assert_eq!(
            text.locate(Span::new(15, 4)).start,
            Position { line: 4, column: 1 }
        );
    }

    #[test]
    fn columns_on_a_long_line_of_other_text_count_characters() {
        // Long enough for the marks; an é (two bytes) every ten characters.
        let line: String = (0..5_000)
            .map(|i| if i % 10 == 0 { 'é' } else { 'x' })
            .collect();
        let src = format!("head\n{line}tail");
        let text = SourceText::new(src.as_bytes());
        let at = src.find("tail").unwrap();
        assert_eq!(
            text.locate(Span::new(at, 4)).start,
            Position {
                line: 2,
                column: 5_001
            }
        );
        let mid = 5 + line.char_indices().nth(3_001).unwrap().0;
        assert_eq!(
            text.locate(Span::new(mid, 1)).start,
            Position {
                line: 2,
                column: 3_002
            }
        );
    }
}
