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

use chrono::NaiveDate;
use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while_m_n, take_while1};
use nom::character::complete::{char, digit1};
use nom::combinator::{opt, recognize};
use nom::multi::many1;
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
    let excluded = excluded_words(text);
    let bytes = text.as_bytes();
    let mut hits: Vec<MentionHit> = Vec::new();
    let mut i = 0;
    // `excluded` is sorted and `i` only grows: walk it with a cursor.
    let mut next_excluded = 0;
    while i < bytes.len() {
        while next_excluded < excluded.len() && excluded[next_excluded].1 <= i {
            next_excluded += 1;
        }
        if let Some(&(s, end)) = excluded.get(next_excluded)
            && s <= i
        {
            i = end;
            continue;
        }
        if !text.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let c = bytes[i];
        if !CANDIDATE[c as usize] {
            // Most bytes start nothing: jump to the next byte that could open
            // a mention (candidates are ASCII, so always char boundaries).
            i = bytes[i..]
                .iter()
                .position(|&b| CANDIDATE[b as usize])
                .map_or(bytes.len(), |p| i + p);
            continue;
        }
        let found = if c == b'$' || (c == b'(' && bytes.get(i + 1) == Some(&b'$')) {
            scan_money(text, i)
        } else if c.is_ascii_uppercase() && left_boundary(bytes, i) {
            scan_date(text, i)
        } else if c.is_ascii_digit() && left_boundary(bytes, i) {
            scan_number(text, i)
        } else {
            Scan::Nothing
        };
        match found {
            Scan::Hit(h) => {
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

/// Bytes that can open a mention: `$`, `(` (before `$`), a capital letter
/// (a month) or a digit.
static CANDIDATE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c == b'$' || c == b'(' || c.is_ascii_uppercase() || c.is_ascii_digit();
        b += 1;
    }
    t
};

enum Scan {
    Hit(MentionHit),
    /// Consume up to this byte without a mention.
    Skip(usize),
    Nothing,
}

/// Words (whitespace-delimited) that are URLs or e-mail addresses.
fn excluded_words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<(usize, usize)>, s: usize, e: usize| {
        let w = &text.as_bytes()[s..e];
        // Only words with URL or e-mail punctuation can be excluded; most
        // words are skipped after one byte scan.
        if !w
            .iter()
            .any(|&b| matches!(b, b'.' | b'@' | b'=' | b'&' | b':'))
        {
            return;
        }
        // ASCII case-insensitive, which is what lowercasing then `contains`
        // amounted to.
        // Every pattern but `www.` needs a byte after its `.` or `:`; a word
        // whose only punctuation ends it (`million.`, `2005.`) can only end
        // in `www.`, and that is most words that get this far.
        let inner_punct = w[..w.len() - 1].iter().any(|&b| matches!(b, b'.' | b':'));
        let urlish = w.iter().any(|&b| matches!(b, b'@' | b'=' | b'&'))
            || if inner_punct {
                ["://", "www.", ".com", ".net", ".org", ".htm", ".gov"]
                    .iter()
                    .any(|t| contains_ci(w, t.as_bytes()))
            } else {
                w.len() >= 4 && w[w.len() - 4..].eq_ignore_ascii_case(b"www.")
            };
        if urlish {
            out.push((s, e));
        }
    };
    // Whitespace as `char::is_whitespace` sees it, decoding only non-ASCII
    // characters (paragraph text is nearly all ASCII).
    let bytes = text.as_bytes();
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (is_ws, len) = if b < 0x80 {
            (matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        if is_ws {
            if let Some(s) = start.take() {
                push(&mut out, s, i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
        i += len;
    }
    if let Some(s) = start {
        push(&mut out, s, text.len());
    }
    out
}

/// ASCII case-insensitive substring test (`needle` is lowercase).
fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// ASCII case-insensitive prefix test (`prefix` is lowercase).
fn starts_with_ci(hay: &[u8], prefix: &[u8]) -> bool {
    hay.get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

/// True when position `i` starts a token: the byte before is not a letter,
/// digit or a glue character (`Q4`, `id=9`, `S-4`, `#3`, `1.5`).
fn left_boundary(bytes: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let p = bytes[i - 1];
    if p.is_ascii_alphanumeric() || matches!(p, b'=' | b'/' | b'#' | b'_' | b'.' | b'&' | b':') {
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
fn number(input: &str) -> IResult<&str, &str> {
    let grouped = recognize((
        take_while_m_n(1, 3, |c: char| c.is_ascii_digit()),
        many1((
            char(','),
            take_while_m_n(3, 3, |c: char| c.is_ascii_digit()),
        )),
    ));
    recognize((alt((grouped, digit1)), opt((char('.'), digit1)))).parse_complete(input)
}

/// True when `rest` (what follows a number) keeps the number whole: no digit,
/// no letter, and no separator followed by a digit (phone numbers, times,
/// ranges such as `2003-2004`, dotted identifiers).
fn right_boundary(rest: &str) -> bool {
    let b = rest.as_bytes();
    match b.first() {
        None => true,
        Some(c) if c.is_ascii_alphanumeric() => false,
        Some(b'.' | b'-' | b'/' | b':' | b',') => !b.get(1).is_some_and(u8::is_ascii_digit),
        Some(_) => true,
    }
}

/// The value and printed decimals of a `number` lexeme.
fn decimal_of(lexeme: &str) -> Option<(Decimal, u32)> {
    // Most lexemes have no grouping commas: parse them in place.
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
    Some((d, decimals))
}

/// `scale ::= [" "] ("thousand" | "million" | "billion") | glued K/M/MM/B/bn`,
/// returning the scale and the bytes consumed.
fn scale_word(rest: &str) -> Option<(Scale, usize)> {
    let spaced: IResult<&str, (Option<char>, &str)> = (
        opt(char(' ')),
        alt((
            tag_no_case("thousand"),
            tag_no_case("million"),
            tag_no_case("billion"),
        )),
    )
        .parse_complete(rest);
    if let Ok((after, (_, word))) = spaced
        && !after.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        let scale = match word.to_ascii_lowercase().as_str() {
            "thousand" => Scale::Thousands,
            "million" => Scale::Millions,
            _ => Scale::Billions,
        };
        return Some((scale, rest.len() - after.len()));
    }
    let glued: IResult<&str, &str> =
        alt((tag("MM"), tag("bn"), tag("K"), tag("M"), tag("B"))).parse_complete(rest);
    if let Ok((after, word)) = glued
        && !after.starts_with(|c: char| c.is_ascii_alphanumeric())
    {
        let scale = match word {
            "K" => Scale::Thousands,
            "M" | "MM" => Scale::Millions,
            _ => Scale::Billions,
        };
        return Some((scale, word.len()));
    }
    None
}

/// `per_share ::= " " ("per" | "a") " " (qualifier " "){0,4} "share"`,
/// returning the bytes consumed.
fn per_share_phrase(rest: &str) -> Option<usize> {
    // Words are compared ASCII case-insensitively and read lazily: `rest` is
    // the whole remainder of the paragraph and at most six words matter.
    let mut words = AlphaWords { s: rest, pos: 0 }.take(6);
    let (first_start, first_end) = words.next()?;
    let first = &rest[first_start..first_end];
    let is = |w: &str, k: &str| w.eq_ignore_ascii_case(k);
    if !(is(first, "per") || is(first, "a")) || !rest[..first_start].trim_start().is_empty() {
        return None;
    }
    if first_start > 2 {
        return None;
    }
    for (s, end) in words {
        let w = &rest[s..end];
        if is(w, "share") || is(w, "shares") {
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
        .any(|q| is(w, q))
        {
            return None;
        }
    }
    None
}

/// Byte ranges of the runs of ASCII letters of `s`, left to right.
struct AlphaWords<'a> {
    s: &'a str,
    pos: usize,
}

impl Iterator for AlphaWords<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let b = self.s.as_bytes();
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
    let Ok((rest, lexeme)) = number(&text[i..]) else {
        return Scan::Nothing;
    };
    let mut end = text.len() - rest.len();
    if !right_boundary(rest) && !rest.starts_with(['M', 'K', 'B', 'b']) {
        return Scan::Skip(end);
    }
    let Some((mut value, decimals)) = decimal_of(lexeme) else {
        return Scan::Nothing;
    };
    let mut close = false;
    if open && bytes.get(end) == Some(&b')') {
        close = true;
        end += 1;
    }
    let mut scale = Scale::Units;
    if let Some((s, n)) = scale_word(&text[end..]) {
        scale = s;
        end += n;
        if open && !close && bytes.get(end) == Some(&b')') {
            close = true;
            end += 1;
        }
    } else if !right_boundary(&text[end..]) {
        return Scan::Skip(end);
    }
    value *= scale.factor();
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
    let from = sentence_start(before).max(before.len().saturating_sub(200));
    let from = (from..=before.len())
        .find(|&p| before.is_char_boundary(p))
        .unwrap_or(before.len());
    let s = before[from..].to_ascii_lowercase();
    [
        "per share",
        "per basic",
        "per diluted",
        "per common",
        "eps",
        "per-share",
    ]
    .iter()
    .any(|k| s.contains(k))
}

/// Where the sentence containing the end of `before` starts.
pub(crate) fn sentence_start(before: &str) -> usize {
    let b = before.as_bytes();
    (1..b.len())
        .rev()
        .find(|&i| b[i] == b' ' && is_sentence_end(before, i - 1))
        .map_or(0, |i| i + 1)
}

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "inc", "corp", "co", "ltd", "llc", "mr", "mrs", "ms", "dr", "jr", "sr", "st", "no", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
    "est", "e.g", "i.e", "etc",
];

/// True when the `.`, `!` or `?` at byte `dot` ends a sentence: it closes a
/// number or a word that is not an abbreviation (`Inc.`, `Sept.`) and has no
/// inner dots (`U.S.`, `p.m.`).
pub(crate) fn is_sentence_end(text: &str, dot: usize) -> bool {
    let b = text.as_bytes();
    if !matches!(b.get(dot), Some(b'.' | b'!' | b'?')) || dot == 0 {
        return false;
    }
    let word = text[..dot]
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    if word.is_empty() || word.contains('.') {
        return false;
    }
    let letters = word.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    if letters.len() == 1 && letters.starts_with(|c: char| c.is_ascii_uppercase()) {
        return false; // an initial
    }
    !ABBREVIATIONS.contains(&letters.to_ascii_lowercase().as_str())
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
            let between = text[a.range.1..b.range.0].trim().to_ascii_lowercase();
            if matches!(between.as_str(), "to" | "and" | "-" | "through") {
                hits[k - 1].kind = MentionKind::Money { per_share: true };
            }
        }
    }
}

/// `percent ::= number [" "] ("%" | "percent" | "per cent" | "pct")` or
/// `count ::= number [scale]`, starting at a digit.
fn scan_number(text: &str, at: usize) -> Scan {
    let Ok((rest, lexeme)) = number(&text[at..]) else {
        return Scan::Nothing;
    };
    let mut end = text.len() - rest.len();
    let Some((value, decimals)) = decimal_of(lexeme) else {
        return Scan::Nothing;
    };
    let pct: IResult<&str, (Option<char>, &str)> = (
        opt(char(' ')),
        alt((
            tag("%"),
            tag_no_case("percent"),
            tag_no_case("per cent"),
            tag_no_case("pct"),
        )),
    )
        .parse_complete(rest);
    if let Ok((after, (_, word))) = pct
        && (word == "%" || !after.starts_with(|c: char| c.is_ascii_alphabetic()))
    {
        return Scan::Hit(MentionHit {
            range: (at, text.len() - after.len()),
            kind: MentionKind::Percent,
            value,
            decimals,
            scale: Scale::Units,
        });
    }
    let scale = scale_word(rest);
    if scale.is_none() && !right_boundary(rest) {
        // Part of a phone number, time, range or identifier: skip the whole
        // run so its tail is not read as a number of its own.
        let run = text[at..]
            .find(|c: char| {
                !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/' | ':' | ','))
            })
            .map_or(text.len(), |n| at + n);
        return Scan::Skip(run);
    }
    if !is_count(text, at, end, lexeme) {
        return Scan::Skip(end);
    }
    let mut scale_v = Scale::Units;
    if let Some((s, n)) = scale {
        scale_v = s;
        end += n;
    }
    Scan::Hit(MentionHit {
        range: (at, end),
        kind: MentionKind::Count,
        value: value * scale_v.factor(),
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

/// A bare number is a count only when it reads as a quantity.
fn is_count(text: &str, at: usize, end: usize, lexeme: &str) -> bool {
    // Four or more digits without grouping commas: years, zip codes,
    // passcodes, street numbers, model numbers.
    if !lexeme.contains(',') && lexeme.split('.').next().is_some_and(|i| i.len() >= 4) {
        return false;
    }
    // Case-insensitive prefix tests on the text itself: lowercasing the rest
    // of the paragraph for every number made long paragraphs quadratic.
    let after = text[end..].trim_start().as_bytes();
    if ["a.m", "p.m", "am ", "pm ", "o'clock"]
        .iter()
        .any(|p| starts_with_ci(after, p.as_bytes()))
    {
        return false;
    }
    let bytes = text.as_bytes();
    if at > 0 && bytes[at - 1] == b'(' && bytes.get(end) == Some(&b')') {
        return false;
    }
    let before = text[..at].trim_end_matches([' ', ':', '.', '#']).as_bytes();
    let word_start = before
        .iter()
        .rposition(|c| !c.is_ascii_alphabetic())
        .map_or(0, |p| p + 1);
    let last_word = &before[word_start..];
    if IDENTIFIER_WORDS
        .iter()
        .any(|w| w.as_bytes().eq_ignore_ascii_case(last_word))
    {
        return false;
    }
    true
}

use crate::parse::period::MONTHS;

/// `month ::= full month name | three-letter abbreviation | "Sept"`, with an
/// optional `.` after abbreviations.
fn month(input: &str) -> IResult<&str, u32> {
    let (rest, word) = take_while1(|c: char| c.is_ascii_alphabetic()).parse_complete(input)?;
    let Some(&(name, m)) = MONTHS.iter().find(|(n, _)| n.eq_ignore_ascii_case(word)) else {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        )));
    };
    let abbreviated = name.len() <= 4 && name != "june" && name != "july" && name != "may";
    let rest = if abbreviated {
        rest.strip_prefix('.').unwrap_or(rest)
    } else {
        rest
    };
    Ok((rest, m))
}

/// A parsed date phrase: the date when a year was given, and the bytes the
/// phrase covers.
pub(crate) fn parse_date(text: &str, at: usize) -> Option<(Option<NaiveDate>, usize)> {
    let input = &text[at..];
    if !input.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let day = take_while_m_n(1, 2, |c: char| c.is_ascii_digit());
    let (rest, (m, _, d)) = (month, char(' '), day).parse_complete(input).ok()?;
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        // `June 1999`: a month and a year, not a day.
        return None;
    }
    let day: u32 = d.parse().ok()?;
    let year: IResult<&str, (Option<char>, char, &str)> = (
        opt(char(',')),
        char(' '),
        take_while_m_n(4, 4, |c: char| c.is_ascii_digit()),
    )
        .parse_complete(rest);
    match year {
        Ok((after, (_, _, y))) if !after.starts_with(|c: char| c.is_ascii_digit()) => {
            let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m, day)?;
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
}
