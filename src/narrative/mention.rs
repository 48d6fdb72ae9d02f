//! Numeric mentions in narrative text: money, percentages, counts and dates.
//!
//! The input is a paragraph's joined text (lines joined by single spaces), so
//! `$53.2` + newline + `million` arrives as `$53.2 million`. Each mention
//! carries its byte range in that text; [`MentionHit::to_mention`] and
//! [`mentions_in`] turn hits into spanned [`Mention`]s.
//!
//! # Grammar
//!
//! ```text
//! mention    ::= money | percent | date | count
//! money      ::= ["("] "$" [" "] ["("] number [")"] [scale] [per_share]
//! percent    ::= number [" "] ("%" | "percent" | "per cent" | "pct")
//! date       ::= month ["."] " " day ["," ] " " year
//! count      ::= number [scale]
//! number     ::= digit{1,3} ("," digit{3})+ ["." digit+]
//!              | digit+ ["." digit+]
//! scale      ::= [" "] ("thousand" | "million" | "billion")
//!              | ("K" | "M" | "MM" | "B" | "bn")          (glued to the number)
//! per_share  ::= " " ("per" | "a") " " (qualifier " "){0,4} "share"
//! qualifier  ::= "basic" | "diluted" | "fully" | "and" | "common" | "ordinary"
//! ```
//!
//! A `number` must end at a boundary: the next character is not a letter
//! (`27A`, `123R`, `56k`) and not a digit, and no `.`, `-`, `/`, `:` or `,`
//! followed by a digit comes next (`800.591.6945`, `617-614-4911`, `5:00`,
//! `1-866-499-4546`). A number glued to a letter, `=`, `/`, `#` or `-` on its
//! left (`Q4`, `eventID=919413`, `S-4`) is not a mention either.
//!
//! # What is refused
//!
//! - Any number inside a URL or e-mail word (`://`, `www.`, `@`, `=`, `&`).
//! - Times: a number followed by `a.m.`/`p.m.` or containing `:`.
//! - Counts that are identifiers: four or more digits without grouping commas
//!   (years, zip codes, passcodes, street numbers, `access code: 7072`), numbers
//!   after words like `passcode`, `code`, `section`, `item`, `form`, `rule`,
//!   `suite`, `number`, `no.`, and a bare number in parentheses (`(510)`,
//!   footnote markers `(1)`).
//! - A month and day without a year (`July 22`) is consumed without a mention
//!   so the day does not become a count.
//!
//! # Per-share amounts
//!
//! A money amount is per share when (a) it is followed by a per-share phrase
//! (`$0.03 per share`, `$1.04 per diluted share`, `$0.10 a share`); or (b) it
//! has no scale word, exactly two decimals, an absolute value below $10, and
//! either it is printed negative in parentheses (`$(0.12)`) or the sentence
//! before it speaks of a per-share figure (`per share`, `per basic`,
//! `per diluted`, `EPS`); or (c) it opens a range whose other end is per share
//! (`$0.03 to $0.05 per share`).
//!
//! Numbers written in words (`one million`) are not read. Percentages in
//! parentheses are read as positive: direction comes from words.

use crate::parse::period::starts_with_ignore_ascii_case;
use chrono::NaiveDate;
use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while_m_n, take_while1};
use nom::character::complete::{char, digit1};
use nom::combinator::{opt, recognize};
use nom::multi::many1_count;
use nom::sequence::preceded;
use nom::{IResult, Parser};
use rust_decimal::Decimal;
use std::str::FromStr;

use crate::ast::{Mention, MentionKind, Paragraph, Scale};
use crate::span::Span;

/// A mention found in text, before it is placed in a file.
#[derive(Clone, Debug, PartialEq)]
pub struct MentionHit {
    /// Byte range in the text passed to [`find_mentions`].
    pub range: (usize, usize),
    pub kind: MentionKind,
    /// Value with the scale applied (`$52.7 million` is 52,700,000; `8%` is
    /// 8). Zero for dates.
    pub value: Decimal,
    /// Digits printed after the decimal point.
    pub decimals: u32,
    pub scale: Scale,
}

impl MentionHit {
    /// Money amounts (per share or not).
    pub fn is_money(&self) -> bool {
        matches!(self.kind, MentionKind::Money { .. })
    }

    pub fn is_per_share(&self) -> bool {
        matches!(self.kind, MentionKind::Money { per_share: true })
    }

    pub fn is_percent(&self) -> bool {
        matches!(self.kind, MentionKind::Percent)
    }

    /// The hit a paragraph's [`Mention`] was made from
    /// ([`MentionHit::to_mention`]).
    pub fn of_mention(m: &Mention) -> MentionHit {
        MentionHit {
            range: m.text_range,
            kind: m.kind.clone(),
            value: m.value,
            decimals: m.decimals,
            scale: m.scale,
        }
    }

    /// The mention placed at `span` in the file.
    pub fn to_mention(&self, span: Span) -> Mention {
        Mention {
            span,
            text_range: self.range,
            kind: self.kind.clone(),
            value: self.value,
            decimals: self.decimals,
            scale: self.scale,
        }
    }
}

/// The mentions of a paragraph, spanned into the file.
pub fn mentions_in(paragraph: &Paragraph) -> Vec<Mention> {
    find_mentions(&paragraph.text)
        .into_iter()
        .map(|h| {
            let span = paragraph.source_span(h.range.0, h.range.1);
            h.to_mention(span)
        })
        .collect()
}

/// Finds every numeric mention in `text`, in order, without overlaps.
pub fn find_mentions(text: &str) -> Vec<MentionHit> {
    let bytes = text.as_bytes();
    let mut hits: Vec<MentionHit> = Vec::new();
    let mut starts = Starts::new(bytes);
    let mut i = 0;
    // The whitespace-delimited word last judged: where it ends, and whether
    // it is a URL or e-mail address.
    let mut word = (0, false);
    while let Some((p, scan)) = starts.next_from(i) {
        i = p;
        // Numbers inside URLs and e-mail addresses are not mentions: skip
        // the whole word. Words are judged only when something in them could
        // be read, once each.
        if i >= word.0 {
            word = judge_word(text, i);
        }
        if word.1 {
            i = word.0;
            continue;
        }
        match scan(text, i) {
            Scan::Hit(h) => {
                if hits.capacity() == 0 {
                    // Room for a mention every 32 bytes of the rest of the
                    // text, more than most paragraphs hold: the vector is
                    // allocated once, and rarely grows.
                    hits.reserve((text.len() - i) / 32 + 1);
                }
                i = h.range.1;
                hits.push(h);
            }
            Scan::Skip(end) => i = end.max(i + 1),
            Scan::Nothing => i += 1,
        }
    }
    mark_per_share_ranges(text, &mut hits);
    hits
}

/// What a byte can open.
#[derive(Clone, Copy)]
enum Opens {
    Nothing,
    /// `$`: money.
    Money,
    /// `(`: money when `$` follows.
    Paren,
    /// The capital of a month's initial (`A`, `D`, `F`, `J`, `M`, `N`, `O`,
    /// `S`): a date, when it starts a month. Other capitals open nothing.
    Capital,
    /// A digit: a count or a percentage.
    Digit,
}

/// What each byte can open.
static OPENS: [Opens; 256] = {
    let mut t = [Opens::Nothing; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'$' => Opens::Money,
            b'(' => Opens::Paren,
            b'0'..=b'9' => Opens::Digit,
            _ => Opens::Nothing,
        };
        b += 1;
    }
    let mut k = 0;
    while k < MONTHS.len() {
        t[MONTHS[k].0.as_bytes()[0].to_ascii_uppercase() as usize] = Opens::Capital;
        k += 1;
    }
    t
};

/// The bytes of a text where a mention may start, left to right, with the
/// scanner to try there. Bytes are read eight at a time, and the cheap
/// refusals (a letter or digit glued to what precedes it, a capitalized
/// word that is not a month) are made here.
struct Starts<'a> {
    bytes: &'a [u8],
    /// Start of the eight bytes `maybe` covers.
    base: usize,
    /// The high bit of each byte of `bytes[base..base + 8]` that may open a
    /// mention and has not been passed: every byte in `$`..=`(` or
    /// `0`..=`Z`. Few of them open nothing (`'`, `%`, `:`, `@`, ...).
    maybe: u64,
}

impl<'a> Starts<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Starts {
            bytes,
            base: 0,
            maybe: maybe_opening(bytes, 0),
        }
    }

    /// The first start at or after `from`, and its scanner.
    fn next_from(&mut self, from: usize) -> Option<(usize, Scanner)> {
        if from < self.base || from >= self.base + 8 {
            self.base = from;
            self.maybe = maybe_opening(self.bytes, from);
        } else {
            self.maybe &= u64::MAX << ((from - self.base) * 8);
        }
        let bytes = self.bytes;
        loop {
            while self.maybe != 0 {
                let k = self.base + (self.maybe.trailing_zeros() / 8) as usize;
                self.maybe &= self.maybe - 1;
                let scan: Scanner = match OPENS[bytes[k] as usize] {
                    Opens::Nothing => continue,
                    Opens::Money => scan_money,
                    Opens::Paren if bytes.get(k + 1) == Some(&b'$') => scan_money,
                    Opens::Paren => continue,
                    // Not a month when it is not a month's first three
                    // letters (`parse_date` would refuse it).
                    Opens::Capital if left_boundary(bytes, k) && month_prefix(&bytes[k..]) => {
                        scan_date
                    }
                    Opens::Capital => continue,
                    Opens::Digit if left_boundary(bytes, k) => scan_number,
                    Opens::Digit => continue,
                };
                return Some((k, scan));
            }
            loop {
                self.base += 8;
                if self.base >= bytes.len() {
                    return None;
                }
                self.maybe = maybe_opening(bytes, self.base);
                if self.maybe != 0 {
                    break;
                }
            }
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = ONES * 0x80;

/// The high bit of each of the eight bytes from `at` (zeros past the end)
/// that lies in `$`..=`(` or `0`..=`Z`: a superset of the bytes that can
/// open a mention.
#[inline(always)]
fn maybe_opening(bytes: &[u8], at: usize) -> u64 {
    let x = match bytes.get(at..at + 8) {
        Some(chunk) => u64::from_le_bytes(chunk.try_into().unwrap_or_default()),
        None => tail_chunk(bytes, at),
    };
    // With its high bit cleared a byte is at most 0x7f: adding `0x80 - c`
    // sets the high bit exactly when the byte is at least `c`, and never
    // carries into the next byte.
    let y = x & !HIGH;
    let at_least = |c: u8| y + ONES * u64::from(0x80 - c);
    ((at_least(b'$') & !at_least(b'(' + 1)) | (at_least(b'0') & !at_least(b'Z' + 1)))
        & !x // bytes with the high bit set are not ASCII
        & HIGH
}

/// The bytes from `at` to the end (fewer than eight) as a little-endian
/// word, padded with zeros.
#[cold]
fn tail_chunk(bytes: &[u8], at: usize) -> u64 {
    let len = bytes.len();
    if len >= 8 && at < len {
        // The last eight bytes, shifted so that byte `at` comes first.
        let last: [u8; 8] = bytes[len - 8..].try_into().unwrap_or_default();
        u64::from_le_bytes(last) >> (8 * (at + 8 - len))
    } else {
        let tail = bytes.get(at..).unwrap_or_default();
        tail.iter().rev().fold(0, |x, &b| (x << 8) | u64::from(b))
    }
}

/// A scanner of one kind of mention, at a byte of a text.
type Scanner = fn(&str, usize) -> Scan;

enum Scan {
    Hit(MentionHit),
    /// Consume up to this byte without a mention.
    Skip(usize),
    Nothing,
}

/// Classes of bytes for reading words.
const PLAIN: u8 = 0;
const SPACE: u8 = 1;
const MARK: u8 = 2;
const NON_ASCII: u8 = 3;

/// The class of each byte: ASCII whitespace as `char::is_whitespace` sees
/// it, the marks of URLs and e-mail addresses (`.`, `:`, `@`, `=`, `&`),
/// the bytes of non-ASCII characters, and the rest.
static WORD_BYTE: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => SPACE,
            b'.' | b':' | b'@' | b'=' | b'&' => MARK,
            0x80.. => NON_ASCII,
            _ => PLAIN,
        };
        b += 1;
    }
    t
};

/// The end of the whitespace-delimited word holding the ASCII byte at `k`,
/// and whether that word is a URL or an e-mail address.
fn judge_word(text: &str, k: usize) -> (usize, bool) {
    let b = text.as_bytes();
    let mut url = false;
    let mut s = k;
    loop {
        while s > 0 && WORD_BYTE[b[s - 1] as usize] == PLAIN {
            s -= 1;
        }
        if s == 0 {
            break;
        }
        match WORD_BYTE[b[s - 1] as usize] {
            SPACE => break,
            MARK => {
                url = url || url_mark(b, s - 1);
                s -= 1;
            }
            _ => {
                // Decode only non-ASCII characters (`char::is_whitespace`
                // knows a few, such as U+00A0).
                let Some(ch) = text[..s].chars().next_back() else {
                    break;
                };
                if ch.is_whitespace() {
                    break;
                }
                s -= ch.len_utf8();
            }
        }
    }
    let mut e = k + 1;
    loop {
        while e < b.len() && WORD_BYTE[b[e] as usize] == PLAIN {
            e += 1;
        }
        if e == b.len() {
            break;
        }
        match WORD_BYTE[b[e] as usize] {
            SPACE => break,
            MARK => {
                url = url || url_mark(b, e);
                e += 1;
            }
            _ => {
                let Some(ch) = text[e..].chars().next() else {
                    break;
                };
                if ch.is_whitespace() {
                    break;
                }
                e += ch.len_utf8();
            }
        }
    }
    (e, url)
}

/// True when the mark at byte `j` (`.`, `:`, `@`, `=` or `&`) makes its word
/// a URL or an e-mail address: `@`, `=` and `&` do, and so do `://`, `www.`,
/// `.com`, `.net`, `.org`, `.htm` and `.gov` (ASCII case-insensitively).
/// The bytes such a pattern spans are not whitespace, so they are in the
/// mark's word.
fn url_mark(b: &[u8], j: usize) -> bool {
    match b[j] {
        b'@' | b'=' | b'&' => true,
        b':' => b[j + 1..].starts_with(b"//"),
        _ => {
            (j >= 3 && b[j - 3..j].eq_ignore_ascii_case(b"www"))
                || b.get(j + 1..j + 4).is_some_and(|t| {
                    [b"com", b"net", b"org", b"htm", b"gov"]
                        .iter()
                        .any(|d| t.eq_ignore_ascii_case(*d))
                })
        }
    }
}

/// Bytes that glue a token to what precedes it: letters, digits, `=`, `/`,
/// `#`, `_`, `.`, `&` and `:`.
static GLUE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric()
            || matches!(c, b'=' | b'/' | b'#' | b'_' | b'.' | b'&' | b':');
        b += 1;
    }
    t
};

/// True when position `i` starts a token: the byte before is not a letter,
/// digit or a glue character (`Q4`, `id=9`, `S-4`, `#3`, `1.5`).
fn left_boundary(bytes: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let p = bytes[i - 1];
    if GLUE[p as usize] {
        return false;
    }
    if p == b'-' {
        // A leading minus of a spaced-out number is fine; a hyphen glued to a
        // word or a digit group (`S-4`, `1-866`) is not.
        return i < 2 || !bytes[i - 2].is_ascii_alphanumeric();
    }
    true
}

/// `number ::= digit{1,3} ("," digit{3})+ ["." digit+] | digit+ ["." digit+]`
///
/// Read on bytes: every byte of a number is ASCII.
fn number(input: &[u8]) -> IResult<&[u8], &[u8]> {
    // `grouped` needs a `,` right after its one to three leading digits:
    // without one only `digit+ ["." digit+]` can match, and is tried alone.
    let digit_at = |k: usize| input.get(k).is_some_and(u8::is_ascii_digit);
    let lead = if !digit_at(0) {
        0
    } else if !digit_at(1) {
        1
    } else if !digit_at(2) {
        2
    } else {
        3
    };
    if input.get(lead) != Some(&b',') {
        return recognize((digit1, opt((char('.'), digit1)))).parse_complete(input);
    }
    let grouped = recognize((
        take_while_m_n(1, 3, |c: u8| c.is_ascii_digit()),
        many1_count((char(','), take_while_m_n(3, 3, |c: u8| c.is_ascii_digit()))),
    ));
    recognize((alt((grouped, digit1)), opt((char('.'), digit1)))).parse_complete(input)
}

/// True when `rest` (what follows a number) keeps the number whole: no digit,
/// no letter, and no separator followed by a digit (phone numbers, times,
/// ranges such as `2003-2004`, dotted identifiers).
fn right_boundary(rest: &[u8]) -> bool {
    match rest.first() {
        None => true,
        Some(c) if c.is_ascii_alphanumeric() => false,
        Some(b'.' | b'-' | b'/' | b':' | b',') => !rest.get(1).is_some_and(u8::is_ascii_digit),
        Some(_) => true,
    }
}

/// The value and printed decimals of a `number` lexeme.
fn decimal_of(lexeme: &str) -> Option<(Decimal, u32)> {
    // A lexeme of up to 18 bytes has at most 18 digits, which fit a `u64`:
    // build the decimal from its digits and the count of digits after the
    // point (grouping commas come before it), which is what
    // `Decimal::from_str` makes of them.
    let b = lexeme.as_bytes();
    if b.len() > 18 || !b.first().is_some_and(u8::is_ascii_digit) {
        return decimal_of_str(lexeme);
    }
    let mut mantissa: u64 = 0;
    let mut decimals = 0;
    for (k, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => mantissa = mantissa * 10 + u64::from(c - b'0'),
            b'.' => decimals = (b.len() - k - 1) as u32,
            _ => {}
        }
    }
    let (lo, mid) = (mantissa as u32, (mantissa >> 32) as u32);
    Some((Decimal::from_parts(lo, mid, 0, false, decimals), decimals))
}

/// [`decimal_of`] through `Decimal::from_str`, for long lexemes.
fn decimal_of_str(lexeme: &str) -> Option<(Decimal, u32)> {
    let plain: std::borrow::Cow<'_, str> = if lexeme.contains(',') {
        lexeme
            .chars()
            .filter(|&c| c != ',')
            .collect::<String>()
            .into()
    } else {
        lexeme.into()
    };
    let d = Decimal::from_str(&plain).ok()?;
    let decimals = plain.split_once('.').map_or(0, |(_, f)| f.len() as u32);
    // Longer figures than any release prints are not mentions: scaled by a
    // billion (or for half a unit of 18+ decimals) they would overflow
    // `Decimal`. Below 10^19 the scaled value stays under 10^28.
    let fits = decimals <= 17 && d.abs() < Decimal::from(10_000_000_000_000_000_000u64);
    fits.then_some((d, decimals))
}

/// `value * scale.factor()`. Multiplying by one leaves a decimal as it is,
/// except that a zero comes out as a plain `0`: units skip the product.
fn scaled(value: Decimal, scale: Scale) -> Decimal {
    match scale {
        Scale::Units if value.is_zero() => Decimal::ZERO,
        Scale::Units => value,
        _ => value * scale.factor(),
    }
}

/// `scale ::= [" "] ("thousand" | "million" | "billion") | glued K/M/MM/B/bn`,
/// returning the scale and the bytes consumed.
fn scale_word(rest: &[u8]) -> Option<(Scale, usize)> {
    // The scale words start with different letters: the one after the
    // optional space picks the only word that can match, and most numbers
    // are followed by none of them.
    let initial = match rest {
        [b' ', c, ..] | [c, ..] => c.to_ascii_lowercase(),
        [] => return None,
    };
    let (word, scale) = match initial {
        b't' => ("thousand", Scale::Thousands),
        b'm' => ("million", Scale::Millions),
        b'b' => ("billion", Scale::Billions),
        _ => ("", Scale::Units),
    };
    if !word.is_empty() {
        let spaced: IResult<&[u8], (Option<char>, &[u8])> =
            (opt(char(' ')), tag_no_case(word)).parse_complete(rest);
        if let Ok((after, _)) = spaced
            && !after.first().is_some_and(u8::is_ascii_alphabetic)
        {
            return Some((scale, rest.len() - after.len()));
        }
    }
    // Glued scales start with `M`, `b`, `K` or `B`.
    if !matches!(rest[0], b'M' | b'b' | b'K' | b'B') {
        return None;
    }
    let glued: IResult<&[u8], &[u8]> =
        alt((tag("MM"), tag("bn"), tag("K"), tag("M"), tag("B"))).parse_complete(rest);
    if let Ok((after, word)) = glued
        && !after.first().is_some_and(u8::is_ascii_alphanumeric)
    {
        let scale = match word {
            b"K" => Scale::Thousands,
            b"M" | b"MM" => Scale::Millions,
            _ => Scale::Billions,
        };
        return Some((scale, word.len()));
    }
    None
}

/// `per_share ::= " " ("per" | "a") " " (qualifier " "){0,4} "share"`,
/// returning the bytes consumed.
fn per_share_phrase(rest: &str) -> Option<usize> {
    // Words are runs of ASCII letters, compared ASCII case-insensitively and
    // read lazily: `rest` is the whole remainder of the paragraph and at most
    // six words matter. The first starts within two bytes, after whitespace
    // only, and is `per` or `a`.
    let b = rest.as_bytes();
    let first_start = b.iter().take(3).position(u8::is_ascii_alphabetic)?;
    if !matches!(b[first_start] | 0x20, b'p' | b'a') || !rest[..first_start].trim_start().is_empty()
    {
        return None;
    }
    let mut words = AlphaWords {
        s: b,
        pos: first_start,
    };
    let (_, first_end) = words.next()?;
    let first = &b[first_start..first_end];
    if !(first.eq_ignore_ascii_case(b"per") || first.eq_ignore_ascii_case(b"a")) {
        return None;
    }
    for (s, end) in words.take(5) {
        let w = &b[s..end];
        if w.eq_ignore_ascii_case(b"share") || w.eq_ignore_ascii_case(b"shares") {
            return Some(end);
        }
        if ![
            "basic",
            "diluted",
            "fully",
            "and",
            "common",
            "ordinary",
            "outstanding",
        ]
        .iter()
        .any(|q| w.eq_ignore_ascii_case(q.as_bytes()))
        {
            return None;
        }
    }
    None
}

/// Byte ranges of the runs of ASCII letters of `s` from `pos`, left to
/// right.
struct AlphaWords<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Iterator for AlphaWords<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let b = self.s;
        let start = self.pos + b[self.pos..].iter().position(u8::is_ascii_alphabetic)?;
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphabetic())
            .map_or(b.len(), |p| start + p);
        self.pos = end;
        Some((start, end))
    }
}

/// `money ::= ["("] "$" [" "] ["("] number [")"] [scale] [per_share]`
fn scan_money(text: &str, at: usize) -> Scan {
    let bytes = text.as_bytes();
    let mut i = at;
    let mut open = false;
    if bytes[i] == b'(' {
        open = true;
        i += 1;
    }
    i += 1; // the `$`
    if bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    if bytes.get(i) == Some(&b'(') {
        open = true;
        i += 1;
    }
    let Ok((rest, _)) = number(&bytes[i..]) else {
        return Scan::Nothing;
    };
    let mut end = text.len() - rest.len();
    if !right_boundary(rest) && !matches!(rest.first(), Some(b'M' | b'K' | b'B' | b'b')) {
        return Scan::Skip(end);
    }
    let Some((mut value, decimals)) = decimal_of(&text[i..end]) else {
        return Scan::Nothing;
    };
    let mut close = false;
    if open && bytes.get(end) == Some(&b')') {
        close = true;
        end += 1;
    }
    let mut scale = Scale::Units;
    if let Some((s, n)) = scale_word(&bytes[end..]) {
        scale = s;
        end += n;
        if open && !close && bytes.get(end) == Some(&b')') {
            close = true;
            end += 1;
        }
    } else if !right_boundary(&bytes[end..]) {
        return Scan::Skip(end);
    }
    value = scaled(value, scale);
    let negative = open && close;
    if negative {
        value = -value;
    }
    let start = if bytes[at] == b'(' && !negative {
        at + 1
    } else {
        at
    };
    let mut per_share = false;
    if scale == Scale::Units {
        if let Some(n) = per_share_phrase(&text[end..]) {
            per_share = true;
            end += n;
        } else if decimals == 2 && value.abs() < Decimal::TEN {
            per_share = negative || per_share_context(&text[..start]);
        }
    }
    Scan::Hit(MentionHit {
        range: (start, end),
        kind: MentionKind::Money { per_share },
        value,
        decimals,
        scale,
    })
}

/// The sentence before a bare amount speaks of a per-share figure.
fn per_share_context(before: &str) -> bool {
    let from = sentence_start_within(before, before.len().saturating_sub(200));
    let from = (from..=before.len())
        .find(|&p| before.is_char_boundary(p))
        .unwrap_or(before.len());
    // Any of `per share`, `per basic`, `per diluted`, `per common`,
    // `per-share` or `eps`, ASCII case-insensitively (which is what
    // lowercasing then `contains` amounted to), in one pass.
    let s = &before.as_bytes()[from..];
    (0..s.len()).any(|j| {
        let rest = &s[j..];
        match s[j] | 0x20 {
            b'p' => {
                starts_with_ignore_ascii_case(rest, b"per-share")
                    || starts_with_ignore_ascii_case(rest, b"per ")
                        && ["share", "basic", "diluted", "common"]
                            .iter()
                            .any(|w| starts_with_ignore_ascii_case(&rest[4..], w.as_bytes()))
            }
            b'e' => starts_with_ignore_ascii_case(rest, b"eps"),
            _ => false,
        }
    })
}

/// Where the sentence containing the end of `before` starts, or `floor` when
/// that is later: the sentence is looked for only after `floor`.
fn sentence_start_within(before: &str, floor: usize) -> usize {
    let b = before.as_bytes();
    (floor.max(1)..b.len())
        .rev()
        .find(|&i| b[i] == b' ' && is_sentence_end(before, i - 1))
        .map_or(0, |i| i + 1)
        .max(floor)
}

/// The abbreviations whose period does not end a sentence, written once:
/// as [`ABBREVIATIONS`] (which sizes the lowercase copy and which the tests
/// read) and as the byte-string `match` of [`is_listed_abbreviation`].
macro_rules! abbreviations {
    ($($word:literal),* $(,)?) => {
        /// Abbreviations whose period does not end a sentence.
        const ABBREVIATIONS: &[&[u8]] = &[$($word),*];

        /// Whether `lower` (lowercase ASCII) is one of [`ABBREVIATIONS`].
        fn is_listed_abbreviation(lower: &[u8]) -> bool {
            matches!(lower, $($word)|*)
        }
    };
}

abbreviations![
    b"inc", b"corp", b"co", b"ltd", b"llc", b"mr", b"mrs", b"ms", b"dr", b"jr", b"sr", b"st",
    b"no", b"vs", b"jan", b"feb", b"mar", b"apr", b"jun", b"jul", b"aug", b"sep", b"sept", b"oct",
    b"nov", b"dec", b"approx", b"est", b"e.g", b"i.e", b"etc",
];

/// True when the `.`, `!` or `?` at byte `dot` ends a sentence: it closes a
/// number or a word that is not an abbreviation (`Inc.`, `Sept.`) and has no
/// inner dots (`U.S.`, `p.m.`).
pub(crate) fn is_sentence_end(text: &str, dot: usize) -> bool {
    let b = text.as_bytes();
    if !matches!(b.get(dot), Some(b'.' | b'!' | b'?')) || dot == 0 {
        return false;
    }
    let word = word_before(text, dot);
    if word.is_empty() || word.contains('.') {
        return false;
    }
    let letters = word.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    if letters.len() == 1 && letters.starts_with(|c: char| c.is_ascii_uppercase()) {
        return false; // an initial
    }
    !is_abbreviation(letters)
}

/// Whether `letters` is one of [`ABBREVIATIONS`], in any case: a `match` on
/// its lowercase copy, which tells most words apart by their length, not a
/// comparison with each (this runs for every `.` of the prose).
fn is_abbreviation(letters: &str) -> bool {
    let mut lower = [0u8; LONGEST_ABBREVIATION];
    let Some(lower) = lower.get_mut(..letters.len()) else {
        return false;
    };
    lower.copy_from_slice(letters.as_bytes());
    lower.make_ascii_lowercase();
    is_listed_abbreviation(lower)
}

/// The length of the longest of [`ABBREVIATIONS`]: a longer word is none.
const LONGEST_ABBREVIATION: usize = {
    let mut longest = 0;
    let mut k = 0;
    while k < ABBREVIATIONS.len() {
        if ABBREVIATIONS[k].len() > longest {
            longest = ABBREVIATIONS[k].len();
        }
        k += 1;
    }
    longest
};

/// The word that ends at byte `end` of `text`: back to the last whitespace
/// character, `(` or `"` before it. ASCII is read byte by byte; a word with
/// other characters is read by characters (a no-break space ends a word).
fn word_before(text: &str, end: usize) -> &str {
    let head = &text[..end];
    for (i, &c) in head.as_bytes().iter().enumerate().rev() {
        if !c.is_ascii() {
            return head
                .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
                .next()
                .unwrap_or("");
        }
        if matches!(c, b'\t'..=b'\r' | b' ' | b'(' | b'"') {
            return &head[i + 1..];
        }
    }
    head
}

/// `$0.03 to $0.05 per share`: the first end of a range takes the per-share
/// reading of the second.
fn mark_per_share_ranges(text: &str, hits: &mut [MentionHit]) {
    for k in 1..hits.len() {
        let (a, b) = (&hits[k - 1], &hits[k]);
        if b.is_per_share()
            && matches!(a.kind, MentionKind::Money { per_share: false })
            && a.scale == Scale::Units
            && a.value.abs() < Decimal::TEN
        {
            let between = text[a.range.1..b.range.0].trim();
            if ["to", "and", "-", "through"]
                .iter()
                .any(|w| between.eq_ignore_ascii_case(w))
            {
                hits[k - 1].kind = MentionKind::Money { per_share: true };
            }
        }
    }
}

/// `percent ::= number [" "] ("%" | "percent" | "per cent" | "pct")` or
/// `count ::= number [scale]`, starting at a digit.
fn scan_number(text: &str, at: usize) -> Scan {
    let bytes = text.as_bytes();
    let Ok((rest, _)) = number(&bytes[at..]) else {
        return Scan::Nothing;
    };
    let mut end = text.len() - rest.len();
    let lexeme = &text[at..end];
    // `decimal_of` refuses only lexemes longer than 18 bytes: the value of
    // the others is read only for a mention.
    if lexeme.len() > 18 && decimal_of(lexeme).is_none() {
        return Scan::Nothing;
    }
    // Every percent sign or word starts with `%` or `p` after the optional
    // space: try the parsers only then, and only the sign or the words.
    let initial = match rest {
        [b' ', c, ..] | [c, ..] => *c,
        [] => 0,
    };
    if matches!(initial, b'%' | b'p' | b'P') {
        let pct: IResult<&[u8], (Option<char>, &[u8])> = if initial == b'%' {
            (opt(char(' ')), tag("%")).parse_complete(rest)
        } else {
            (
                opt(char(' ')),
                alt((
                    tag_no_case("percent"),
                    tag_no_case("per cent"),
                    tag_no_case("pct"),
                )),
            )
                .parse_complete(rest)
        };
        if let Ok((after, (_, word))) = pct
            && (word == b"%" || !after.first().is_some_and(u8::is_ascii_alphabetic))
            && let Some((value, decimals)) = decimal_of(lexeme)
        {
            return Scan::Hit(MentionHit {
                range: (at, text.len() - after.len()),
                kind: MentionKind::Percent,
                value,
                decimals,
                scale: Scale::Units,
            });
        }
    }
    let scale = scale_word(rest);
    if scale.is_none() && !right_boundary(rest) {
        // Part of a phone number, time, range or identifier: skip the whole
        // run so its tail is not read as a number of its own.
        let run = bytes[at..]
            .iter()
            .position(|&c| {
                !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'/' | b':' | b','))
            })
            .map_or(text.len(), |n| at + n);
        return Scan::Skip(run);
    }
    if !is_count(text, at, end, lexeme) {
        return Scan::Skip(end);
    }
    let Some((value, decimals)) = decimal_of(lexeme) else {
        return Scan::Nothing;
    };
    let mut scale_v = Scale::Units;
    if let Some((s, n)) = scale {
        scale_v = s;
        end += n;
    }
    Scan::Hit(MentionHit {
        range: (at, end),
        kind: MentionKind::Count,
        value: scaled(value, scale_v),
        decimals,
        scale: scale_v,
    })
}

/// Words after which a number is an identifier, not a quantity.
#[rustfmt::skip]
const IDENTIFIER_WORDS: &[&str] = &[
    "passcode", "code", "pin", "id", "section", "sections", "item", "form", "rule", "note", "notes",
    "suite", "box", "route", "number", "no", "extension", "ext", "version", "exhibit", "schedule",
    "article", "chapter", "part", "title", "page", "room", "floor", "phase", "series", "class",
    "level", "tier", "top", "sfas", "fas", "asc", "topic", "statement", "reservation",
];

/// For each first letter `a`..=`z`, one bit per length of the
/// [`IDENTIFIER_WORDS`] starting with it (all are lowercase and shorter than
/// 16 bytes).
static IDENTIFIER_SHAPES: [u16; 26] = {
    let mut t = [0; 26];
    let mut k = 0;
    while k < IDENTIFIER_WORDS.len() {
        let w = IDENTIFIER_WORDS[k].as_bytes();
        t[(w[0] - b'a') as usize] |= 1 << w.len();
        k += 1;
    }
    t
};

/// A bare number is a count only when it reads as a quantity.
fn is_count(text: &str, at: usize, end: usize, lexeme: &str) -> bool {
    // Four or more digits without grouping commas: years, zip codes,
    // passcodes, street numbers, model numbers.
    let int = lexeme
        .bytes()
        .position(|c| c == b'.')
        .map_or(lexeme, |dot| &lexeme[..dot]);
    if int.len() >= 4 && !int.contains(',') {
        return false;
    }
    // Case-insensitive prefix tests on the text itself: lowercasing the rest
    // of the paragraph for every number made long paragraphs quadratic.
    let after = text[end..].trim_start().as_bytes();
    if after
        .first()
        .is_some_and(|c| matches!(c | 0x20, b'a' | b'p' | b'o'))
        && ["a.m", "p.m", "am ", "pm ", "o'clock"]
            .iter()
            .any(|p| starts_with_ignore_ascii_case(after, p.as_bytes()))
    {
        return false;
    }
    let bytes = text.as_bytes();
    if at > 0 && bytes[at - 1] == b'(' && bytes.get(end) == Some(&b')') {
        return false;
    }
    // `text[..at]` without trailing ` `, `:`, `.` and `#`.
    let mut before_end = at;
    while before_end > 0 && matches!(bytes[before_end - 1], b' ' | b':' | b'.' | b'#') {
        before_end -= 1;
    }
    let before = &bytes[..before_end];
    let word_start = before
        .iter()
        .rposition(|c| !c.is_ascii_alphabetic())
        .map_or(0, |p| p + 1);
    let last_word = &before[word_start..];
    // The first letter and the length refuse most words at once.
    let Some(&first) = last_word.first() else {
        return true;
    };
    let shape = IDENTIFIER_SHAPES[usize::from(first.to_ascii_lowercase() - b'a')];
    if last_word.len() >= 16 || shape >> last_word.len() & 1 == 0 {
        return true;
    }
    !IDENTIFIER_WORDS
        .iter()
        .any(|w| w.as_bytes().eq_ignore_ascii_case(last_word))
}

use crate::parse::period::{MONTHS, MONTHS_BY_INITIAL, month_prefix};

/// `month ::= full month name | three-letter abbreviation | "Sept"`, with an
/// optional `.` after abbreviations.
fn month(input: &[u8]) -> IResult<&[u8], u32> {
    let (rest, word) = take_while1(|c: u8| c.is_ascii_alphabetic()).parse_complete(input)?;
    // Only the names with the word's first letter are compared.
    let mut names = MONTHS_BY_INITIAL
        .get(usize::from(word[0].to_ascii_lowercase().wrapping_sub(b'a')))
        .copied()
        .unwrap_or(0);
    let mut found = None;
    while names != 0 {
        let (n, m) = MONTHS[names.trailing_zeros() as usize];
        if n.as_bytes().eq_ignore_ascii_case(word) {
            found = Some((n, m));
            break;
        }
        names &= names - 1;
    }
    let Some((name, m)) = found else {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        )));
    };
    let abbreviated = name.len() <= 4 && name != "june" && name != "july" && name != "may";
    let rest = if abbreviated {
        rest.strip_prefix(b".").unwrap_or(rest)
    } else {
        rest
    };
    Ok((rest, m))
}

/// The value of one to four ASCII digits.
fn small_number(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0'))
}

/// A parsed date phrase: the date when a year was given, and the bytes the
/// phrase covers.
pub(crate) fn parse_date(text: &str, at: usize) -> Option<(Option<NaiveDate>, usize)> {
    // Sliced as text first: `at` must be a character boundary.
    let input: &str = &text[at..];
    let input = input.as_bytes();
    // Most capitalized words are not months: refuse them on their first
    // three letters before the parsers run.
    if !input.first().is_some_and(u8::is_ascii_uppercase) || !month_prefix(input) {
        return None;
    }
    let day = take_while_m_n(1, 2, |c: u8| c.is_ascii_digit());
    let (rest, (m, _, d)) = (month, char(' '), day).parse_complete(input).ok()?;
    if rest.first().is_some_and(u8::is_ascii_digit) {
        // `June 1999`: a month and a year, not a day.
        return None;
    }
    let day = small_number(d);
    let year: IResult<&[u8], &[u8]> = preceded(
        (opt(char(',')), char(' ')),
        take_while_m_n(4, 4, |c: u8| c.is_ascii_digit()),
    )
    .parse_complete(rest);
    match year {
        Ok((after, y)) if !after.first().is_some_and(u8::is_ascii_digit) => {
            let date = NaiveDate::from_ymd_opt(small_number(y) as i32, m, day)?;
            Some((Some(date), text.len() - after.len()))
        }
        _ => Some((None, text.len() - rest.len())),
    }
}

/// `date ::= month ["."] " " day ["," ] " " year`
fn scan_date(text: &str, at: usize) -> Scan {
    match parse_date(text, at) {
        Some((Some(date), end)) => Scan::Hit(MentionHit {
            range: (at, end),
            kind: MentionKind::Date { date },
            value: Decimal::ZERO,
            decimals: 0,
            scale: Scale::Units,
        }),
        Some((None, end)) => Scan::Skip(end),
        None => Scan::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The abbreviation `match` takes the words of the list, in any case,
    /// and nothing else: the list's words cut, lengthened and changed.
    #[test]
    fn the_abbreviation_match_is_the_list() {
        let listed = |w: &str| {
            ABBREVIATIONS
                .iter()
                .any(|a| a.eq_ignore_ascii_case(w.as_bytes()))
        };
        let mut words: Vec<String> = vec![String::new(), "x".into(), "approxi".into(), "é".into()];
        for a in ABBREVIATIONS {
            let a = std::str::from_utf8(a).unwrap();
            words.push(a.to_string());
            words.push(a.to_ascii_uppercase());
            words.push(a[..a.len() - 1].to_string());
            words.push(format!("{a}s"));
            words.push(format!("{a}\u{e9}"));
            words.push(a.replacen(|c: char| c.is_ascii_alphabetic(), "q", 1));
        }
        for w in &words {
            assert_eq!(is_abbreviation(w), listed(w), "{w:?}");
        }
        assert!(words.iter().filter(|w| is_abbreviation(w)).count() >= 2 * ABBREVIATIONS.len());
    }

    proptest::proptest! {
        /// The word before a byte, read byte by byte, is the one the
        /// character split gives, with tabs, line breaks, no-break and
        /// other Unicode spaces, brackets and quotes about.
        #[test]
        fn the_word_before_a_byte_is_the_character_split_one(
            text in "[a-zA-Z0-9.,$%(\")\t\n\r\x0b\x0c \u{a0}\u{2009}\u{85}é]{0,24}",
        ) {
            for end in (0..=text.len()).filter(|&e| text.is_char_boundary(e)) {
                let by_chars = text[..end]
                    .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
                    .next()
                    .unwrap_or("");
                proptest::prop_assert_eq!(word_before(&text, end), by_chars, "{:?} to {}", text, end);
            }
        }
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn kinds(text: &str) -> Vec<(String, MentionKind, Decimal)> {
        find_mentions(text)
            .into_iter()
            .map(|h| (text[h.range.0..h.range.1].to_string(), h.kind, h.value))
            .collect()
    }

    fn money(per_share: bool) -> MentionKind {
        MentionKind::Money { per_share }
    }

    #[test]
    fn money_with_scale_words() {
        let t = "Acme Widgets said sales were $41.3 million, up from $1,154,000 and $2.9 billion.";
        let hits = find_mentions(t);
        assert_eq!(hits.len(), 3);
        assert_eq!(hits[0].value, d("41300000"));
        assert_eq!(hits[0].decimals, 1);
        assert_eq!(hits[0].scale, Scale::Millions);
        assert_eq!(&t[hits[0].range.0..hits[0].range.1], "$41.3 million");
        assert_eq!(hits[1].value, d("1154000"));
        assert_eq!(hits[1].scale, Scale::Units);
        assert_eq!(hits[2].value, d("2900000000"));
        assert!(hits.iter().all(|h| h.kind == money(false)));
    }

    #[test]
    fn scale_word_after_joined_line() {
        // `$8.4` ended one line and `million` began the next.
        let t = "compared with $8.4 million for the prior quarter";
        let h = &find_mentions(t)[0];
        assert_eq!(h.value, d("8400000"));
        assert_eq!(h.scale, Scale::Millions);
    }

    #[test]
    fn per_share_amounts() {
        let t = "a loss of $0.07 per share, or $(0.21) per diluted share, and $(1.75).";
        let k = kinds(t);
        assert_eq!(k[0], ("$0.07 per share".into(), money(true), d("0.07")));
        assert_eq!(
            k[1],
            ("$(0.21) per diluted share".into(), money(true), d("-0.21"))
        );
        assert_eq!(k[2], ("$(1.75)".into(), money(true), d("-1.75")));
    }

    #[test]
    fn per_share_from_context_and_ranges() {
        let t = "Loss per basic share was $0.44. Guidance for earnings per share is $0.10 to $0.15 per share.";
        let k = kinds(t);
        assert!(k.iter().all(|(_, kind, _)| *kind == money(true)), "{k:?}");
        assert_eq!(k.len(), 3);
        let t = "Orbital Foods had cash of $4.25 at the kiosk.";
        assert_eq!(kinds(t)[0].1, money(false));
    }

    #[test]
    fn negative_money_in_parentheses() {
        let t = "an operating result of ($3.2 million)";
        let h = &find_mentions(t)[0];
        assert_eq!(h.value, d("-3200000"));
        assert_eq!(h.kind, money(false));
    }

    #[test]
    fn percentages() {
        let t = "up 7%, a 12.5 percent gain and 30.0 percent of sales; margin fell 3 per cent";
        let k = kinds(t);
        let pcts: Vec<Decimal> = k.iter().map(|x| x.2).collect();
        assert_eq!(pcts, vec![d("7"), d("12.5"), d("30.0"), d("3")]);
        assert!(k.iter().all(|x| x.1 == MentionKind::Percent));
        assert_eq!(find_mentions(t)[2].decimals, 1);
    }

    #[test]
    fn counts_and_dates() {
        let t = "Bramble Mills shipped 412,000 spindles to 17 mills by Sept. 30, 2004 and Oct. 7, 2004.";
        let k = kinds(t);
        assert_eq!(k[0], ("412,000".into(), MentionKind::Count, d("412000")));
        assert_eq!(k[1], ("17".into(), MentionKind::Count, d("17")));
        let d = NaiveDate::from_ymd_opt(2004, 9, 30).unwrap();
        assert_eq!(k[2].1, MentionKind::Date { date: d });
        assert_eq!(k[2].0, "Sept. 30, 2004");
        let d = NaiveDate::from_ymd_opt(2004, 10, 7).unwrap();
        assert_eq!(k[3].1, MentionKind::Date { date: d });
        assert_eq!(k.len(), 4);
        let t = "for the quarter ended March 31, 2007 and December 31, 2006";
        assert_eq!(kinds(t).len(), 2);
    }

    #[test]
    fn things_that_are_not_figures() {
        let t = "Call 800.555.0199 or 212-555-0142 or 1-877-555-0100 (Canada), passcode \
                 55512345, access code: 6021, at 4:30 p.m. EDT or 9 a.m. local time. \
                 The offices at 1200 Harbor Road, Springfield, IL 62704 hold the Form 10-K \
                 filed under Section 27A and SFAS 123R in 2005. Visit www.example.com/ir?id=2005&x=77 \
                 or http://example.com/q3-2005.htm or write to ir@example.com. \
                 Reached on July 9 at (555) 010-4477, extension 204, Q3 and FY2005, Item 2.02.";
        let k = kinds(t);
        assert!(k.is_empty(), "{k:?}");
    }

    #[test]
    fn words_and_glued_numbers_are_not_counts() {
        let t = "a 56k modem, the S-4 filing, Rule 10b-5, Model X200 and route 66";
        assert!(kinds(t).is_empty(), "{:?}", kinds(t));
    }

    #[test]
    fn counts_with_scale() {
        let t = "on 48.2 million weighted shares";
        let h = &find_mentions(t)[0];
        assert_eq!(h.kind, MentionKind::Count);
        assert_eq!(h.value, d("48200000"));
    }

    #[test]
    fn non_ascii_text_around_figures() {
        // Latin-1 text decoded to UTF-8, a euro sign and a no-break space.
        let t = "Café revenue of $4.5 million rose 12 percent; the Zürich unit sold 7 looms \
                 and €3 of \u{a0}17 units.";
        let k = kinds(t);
        assert_eq!(k[0], ("$4.5 million".into(), money(false), d("4500000")));
        assert_eq!(k[1], ("12 percent".into(), MentionKind::Percent, d("12")));
        assert_eq!(k[2], ("7".into(), MentionKind::Count, d("7")));
        // `€3`: the byte before the digit is part of a character, not a
        // letter or digit.
        assert_eq!(k[3], ("3".into(), MentionKind::Count, d("3")));
        assert_eq!(k[4], ("17".into(), MentionKind::Count, d("17")));
        assert_eq!(k.len(), 5);
        // Letters outside ASCII glue nothing, and `é` next to a number does
        // not hide it.
        assert_eq!(kinds("é5 units and 6é").len(), 2);
    }

    #[test]
    fn urls_with_non_ascii_and_unicode_spaces() {
        // The no-break space ends the URL word, so `17` is read.
        let t = "see www.example.com/é2005\u{a0}17 units or http://x.org/ü/$5";
        let k = kinds(t);
        assert_eq!(k, vec![("17".into(), MentionKind::Count, d("17"))]);
        // A word that only ends in `www.` is a URL; the next word is not.
        assert_eq!(kinds("visit www. 5 units")[0].0, "5");
        assert_eq!(
            kinds("mail ir@acme2005.com 5$"),
            vec![("5".into(), MentionKind::Count, d("5"))]
        );
        assert!(kinds("ir@acme.com$5").is_empty());
        assert_eq!(kinds("U.S.$5 million")[0].0, "$5 million");
    }

    #[test]
    fn months_in_any_case() {
        let t = "MARCH 31, 2007, SEPT. 30, 2004, mar. 3, 2005 and Dec 1, 2006; MARKET 4, 2005";
        let dates: Vec<String> = kinds(t)
            .into_iter()
            .filter(|k| matches!(k.1, MentionKind::Date { .. }))
            .map(|k| k.0)
            .collect();
        // Lowercase `mar.` opens nothing: a date starts with a capital.
        assert_eq!(
            dates,
            vec!["MARCH 31, 2007", "SEPT. 30, 2004", "Dec 1, 2006"]
        );
        // A capitalized word that is not a month, or a month glued to a
        // letter, is not a date.
        assert!(
            kinds("XMarch 31, 2007")
                .iter()
                .all(|k| !matches!(k.1, MentionKind::Date { .. }))
        );
        assert_eq!(parse_date("Junk 5, 2005", 0), None);
        let d = NaiveDate::from_ymd_opt(2005, 6, 5).unwrap();
        assert_eq!(parse_date("JUNE 5, 2005.", 0), Some((Some(d), 12)));
        assert_eq!(parse_date("July 22 said", 0), Some((None, 7)));
    }

    #[test]
    fn figures_at_the_end_of_text() {
        for t in [
            "$", "($", "$ ", "($ (", "a $", "up 7", "7", "(1", "$5", "12%", "$0.5",
        ] {
            let _ = find_mentions(t);
        }
        assert!(kinds("costs of $").is_empty());
        assert_eq!(kinds("$5")[0].0, "$5");
        assert_eq!(kinds("up 7%")[0].0, "7%");
        assert_eq!(kinds("x 8")[0].0, "8");
        // Every position of a figure relative to eight-byte blocks.
        for pad in 0..20 {
            let t = format!("{}rose 9 percent to $4.2 million", " ".repeat(pad));
            let k = kinds(&t);
            assert_eq!(k.len(), 2, "{t:?}");
            assert_eq!(k[1].2, d("4200000"));
        }
    }

    #[test]
    fn scale_and_percent_words_in_any_case() {
        let k =
            kinds("$5 MILLION, $6 Thousand, $7M, $8bn, $9K, 10 PERCENT, 11 Per Cent, 12pct, 13 %");
        let values: Vec<Decimal> = k.iter().map(|x| x.2).collect();
        assert_eq!(
            values,
            vec![
                d("5000000"),
                d("6000"),
                d("7000000"),
                d("8000000000"),
                d("9000"),
                d("10"),
                d("11"),
                d("12"),
                d("13")
            ]
        );
        // `mm` is not a glued scale (only `MM` is).
        assert!(kinds("$5mm").is_empty());
    }

    #[test]
    fn values_keep_their_printed_decimals() {
        let h = &find_mentions("margin of 30.0 percent")[0];
        assert_eq!(h.value.to_string(), "30.0");
        let h = &find_mentions("a charge of $0.00")[0];
        assert_eq!(h.value.to_string(), "0");
        assert_eq!(h.decimals, 2);
        // Longer than a `u64` holds: read through `Decimal::from_str`.
        let h = &find_mentions("1,234,567,890,123,456,789 units")[0];
        assert_eq!(h.value, d("1234567890123456789"));
        let h = &find_mentions("$1,234,567,890,123,456.789")[0];
        assert_eq!(h.value.to_string(), "1234567890123456.789");
        assert_eq!(h.decimals, 3);
    }

    #[test]
    fn decimal_of_matches_from_str() {
        let mut lexemes: Vec<String> = [
            "0",
            "7",
            "00",
            "0.00",
            "1.5",
            "30.0",
            "12,345",
            "1,234.50",
            "999999999999999999",
            "99999999999999999.9",
            "0.12345678901234567",
            "123,456,789,012,345,678",
            "1234567890123456789",
            "1,234,567,890,123,456,789.12",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for n in [
            1u64,
            9,
            10,
            99,
            100,
            4_294_967_295,
            4_294_967_296,
            123_456_789_012,
        ] {
            for dot in 0..6 {
                let s = n.to_string();
                if dot < s.len() {
                    lexemes.push(format!("{}.{}", &s[..s.len() - dot], &s[s.len() - dot..]));
                }
                lexemes.push(s);
            }
        }
        for l in &lexemes {
            let (a, b) = (decimal_of(l).unwrap(), decimal_of_str(l).unwrap());
            assert_eq!(
                (a.0.mantissa(), a.0.scale(), a.1),
                (b.0.mantissa(), b.0.scale(), b.1),
                "{l}"
            );
        }
    }

    #[test]
    fn starts_match_a_byte_by_byte_reading() {
        // Texts whose figures fall at every offset of the eight-byte blocks.
        let pieces = [
            "a", " ", "$", "(", "($", "7", "Q", "March", "é", ",", "-", "'", "@", "Z9",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..2000 {
            let mut t = String::new();
            for _ in 0..(seed % 24) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let b = t.as_bytes();
            let expected: Vec<usize> = (0..b.len())
                .filter(|&k| match b[k] {
                    b'$' => true,
                    b'(' => b.get(k + 1) == Some(&b'$'),
                    b'A'..=b'Z' => left_boundary(b, k) && parse_date(&t, k).is_some(),
                    b'0'..=b'9' => left_boundary(b, k),
                    _ => false,
                })
                .collect();
            let mut found = Vec::new();
            let mut starts = Starts::new(b);
            let mut from = 0;
            while let Some((k, _)) = starts.next_from(from) {
                found.push(k);
                from = k + 1;
            }
            // Capitals that pass the month check but are not dates are
            // refused by `parse_date` later.
            found.retain(|&k| !b[k].is_ascii_uppercase() || parse_date(&t, k).is_some());
            assert_eq!(found, expected, "{t:?}");
        }
    }

    #[test]
    fn lookup_tables_hold_their_assumptions() {
        for (name, _) in MONTHS {
            assert!(month_prefix(name.as_bytes()), "{name}");
            assert!(name.bytes().all(|c| c.is_ascii_lowercase()), "{name}");
        }
        // Only the capitals that start a month open a date: a date under
        // any other capital is refused by `parse_date` anyway.
        for c in b'A'..=b'Z' {
            let opens = matches!(OPENS[usize::from(c)], Opens::Capital);
            let initial = MONTHS
                .iter()
                .any(|(n, _)| n.as_bytes()[0].to_ascii_uppercase() == c);
            assert_eq!(opens, initial, "{}", c as char);
            for (name, _) in MONTHS {
                let t = format!("{}{} 5, 2005", c as char, &name[1..]);
                let own = name.as_bytes()[0].to_ascii_uppercase() == c;
                assert_eq!(parse_date(&t, 0).is_some(), own, "{t}");
            }
        }
        for w in IDENTIFIER_WORDS {
            assert!(
                w.len() < 16 && w.bytes().all(|c| c.is_ascii_lowercase()),
                "{w}"
            );
        }
    }
}
