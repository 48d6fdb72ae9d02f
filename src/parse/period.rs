//! Dates and period phrases in column headers.
//!
//! ```text
//! header_text = (annotation | duration | date | year | word)*
//! annotation  = "(" [^)]* ")"                      (unaudited), (As Restated)
//! duration    = count ws unit ws ("ended" | "ending")?
//!             | ("quarter" | "qtr." | "fiscal" ws "year" | "year") ws ("ended" | "ending")
//! count       = digits | number_word                3, Three, Twenty-Six, Fifty-Two
//! unit        = "months" | "month" | "mos." | "weeks" | "week"
//! date        = month "."? ws day ","? ws year      March 31, 2006 / Sept. 30, 2003
//!             | month ws year                       December 2004 (the month's last day)
//!             | month "."? ws day ","?              with a standalone year elsewhere
//! ```
//!
//! The header text of a column is its stacked header pieces joined by spaces
//! (`Three Months Ended(a) March 31, 2006`); [`column_period`] reads it.

use std::borrow::Cow;

use chrono::{Datelike, Days, Months, NaiveDate};
use nom::branch::alt;
use nom::bytes::complete::{tag_no_case, take_while_m_n, take_while1};
use nom::character::complete::{char, multispace0, multispace1};
use nom::combinator::opt;
use nom::{IResult, Parser};

use crate::ast::{ColumnKind, Period, PeriodLength};

/// Month names and abbreviations, lowercase (shared with the narrative
/// mention grammar).
pub const MONTHS: [(&str, u32); 24] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("sept", 9),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// For each letter `a`..=`z`, the [`MONTHS`] entries starting with it, one
/// bit each, in their order.
pub(crate) static MONTHS_BY_INITIAL: [u32; 26] = {
    let mut t = [0; 26];
    let mut k = 0;
    while k < MONTHS.len() {
        t[(MONTHS[k].0.as_bytes()[0] - b'a') as usize] |= 1 << k;
        k += 1;
    }
    t
};

/// True when `input` starts with the first three letters of a month, in any
/// case: every name in [`MONTHS`] does, so every word [`month`] accepts does.
#[inline(always)]
pub(crate) fn month_prefix(input: &[u8]) -> bool {
    let [a, b, c, ..] = *input else {
        return false;
    };
    // Most words are refused on the first letter alone: one bit per letter
    // `a`..=`z`, set for `a`, `d`, `f`, `j`, `m`, `n`, `o` and `s`.
    const INITIALS: u32 = 1 | 1 << 3 | 1 << 5 | 1 << 9 | 1 << 12 | 1 << 13 | 1 << 14 | 1 << 18;
    if INITIALS >> ((a | 0x20).wrapping_sub(b'a') & 31) & 1 == 0 {
        return false;
    }
    // `| 0x20` lowercases letters and maps no other byte onto one.
    matches!(
        [a | 0x20, b | 0x20, c | 0x20],
        [b'j', b'a', b'n']
            | [b'f', b'e', b'b']
            | [b'm', b'a', b'r']
            | [b'a', b'p', b'r']
            | [b'm', b'a', b'y']
            | [b'j', b'u', b'n']
            | [b'j', b'u', b'l']
            | [b'a', b'u', b'g']
            | [b's', b'e', b'p']
            | [b'o', b'c', b't']
            | [b'n', b'o', b'v']
            | [b'd', b'e', b'c']
    )
}

/// A nom error of `kind` at `i`.
fn error<I>(i: I, kind: nom::error::ErrorKind) -> nom::Err<nom::error::Error<I>> {
    nom::Err::Error(nom::error::Error::new(i, kind))
}

/// `parser` run on the bytes of `i`, the rest given back as text. The
/// period grammars read ASCII words, digits, spaces and punctuation only, so
/// every byte they consume is a whole character and the rest starts on a
/// character boundary (byte comparisons also keep a non-ASCII character from
/// matching an ASCII letter, as the Kelvin sign `K` would match `k` in a
/// `str` comparison).
#[inline]
fn on_bytes<'a, O>(
    i: &'a str,
    parser: impl FnOnce(&'a [u8]) -> IResult<&'a [u8], O>,
    kind: nom::error::ErrorKind,
) -> IResult<&'a str, O> {
    match parser(i.as_bytes()) {
        Ok((rest, o)) => match i.get(i.len() - rest.len()..) {
            Some(rest) => Ok((rest, o)),
            None => Err(error(i, kind)),
        },
        Err(_) => Err(error(i, kind)),
    }
}

/// The value of one to four ASCII digits.
fn digits_value(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0'))
}

/// `month = (full name | abbreviation) "."?`: a run of ASCII letters that is
/// one of the [`MONTHS`], in any case.
#[inline]
pub fn month(i: &str) -> IResult<&str, u32> {
    // Every name starts with a month's first three letters: refuse other
    // words before running the parser.
    if !month_prefix(i.as_bytes()) {
        return Err(error(i, nom::error::ErrorKind::Tag));
    }
    on_bytes(i, month_name, nom::error::ErrorKind::Tag)
}

/// The grammar of [`month`], without its prefilter.
fn month_name(i: &[u8]) -> IResult<&[u8], u32> {
    let (rest, word) = take_while1(|c: u8| c.is_ascii_alphabetic()).parse(i)?;
    // Only the names with the word's first letter are compared; names are
    // lowercase ASCII, compared without a lowercased copy.
    let mut names = MONTHS_BY_INITIAL
        .get(usize::from(word[0].to_ascii_lowercase().wrapping_sub(b'a')))
        .copied()
        .unwrap_or(0);
    while names != 0 {
        let (name, m) = MONTHS[names.trailing_zeros() as usize];
        if name.as_bytes().eq_ignore_ascii_case(word) {
            let (rest, _) = opt(char('.')).parse(rest)?;
            return Ok((rest, m));
        }
        names &= names - 1;
    }
    Err(error(i, nom::error::ErrorKind::Tag))
}

/// `day = 1 or 2 digits from 1 to 31` not followed by another digit.
fn day(i: &[u8]) -> IResult<&[u8], u32> {
    let (rest, d) = take_while_m_n(1, 2, |c: u8| c.is_ascii_digit())
        .map(digits_value)
        .parse(i)?;
    if rest.first().is_some_and(u8::is_ascii_digit) || !(1..=31).contains(&d) {
        return Err(error(i, nom::error::ErrorKind::Digit));
    }
    Ok((rest, d))
}

/// `year = 4 digits from 1900 to 2100` not followed by another digit.
#[inline]
pub fn year(i: &str) -> IResult<&str, i32> {
    // Every such year starts with `1` or `2`: refuse other starts before
    // running the parser.
    if !matches!(i.as_bytes().first(), Some(b'1' | b'2')) {
        return Err(error(i, nom::error::ErrorKind::Digit));
    }
    on_bytes(i, year_digits, nom::error::ErrorKind::Digit)
}

/// The grammar of [`year`], without its prefilter.
fn year_digits(i: &[u8]) -> IResult<&[u8], i32> {
    let (rest, y) = take_while_m_n(4, 4, |c: u8| c.is_ascii_digit())
        .map(|d| digits_value(d) as i32)
        .parse(i)?;
    if rest.first().is_some_and(u8::is_ascii_digit) || !(1900..=2100).contains(&y) {
        return Err(error(i, nom::error::ErrorKind::Digit));
    }
    Ok((rest, y))
}

/// A date as printed; `day` or `year` may be missing from a stacked header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialDate {
    pub month: u32,
    pub day: Option<u32>,
    pub year: Option<i32>,
}

impl PartialDate {
    /// The calendar date, a missing day meaning the month's last day.
    pub fn resolve(self, year: i32) -> Option<NaiveDate> {
        match self.day {
            Some(d) => NaiveDate::from_ymd_opt(year, self.month, d),
            None => last_day_of_month(year, self.month),
        }
    }
}

pub fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    first.checked_add_months(Months::new(1))?.pred_opt()
}

/// `date = month ws day ","? (ws? year)? | month ws ","? ws? year`
#[inline]
pub fn date(i: &str) -> IResult<&str, PartialDate> {
    // A date starts with a month: refuse other words before running the
    // parser.
    if !month_prefix(i.as_bytes()) {
        return Err(error(i, nom::error::ErrorKind::Tag));
    }
    on_bytes(i, date_parts, nom::error::ErrorKind::Tag)
}

/// The grammar of [`date`], without its prefilter.
fn date_parts(i: &[u8]) -> IResult<&[u8], PartialDate> {
    let (i, m) = month_name(i)?;
    let (i, _) = multispace1(i)?;
    alt((
        (day, opt(char(',')), opt((multispace0, year_digits))).map(|(d, _, y)| PartialDate {
            month: m,
            day: Some(d),
            year: y.map(|(_, y)| y),
        }),
        (opt(char(',')), multispace0, year_digits).map(|(_, _, y)| PartialDate {
            month: m,
            day: None,
            year: Some(y),
        }),
    ))
    .parse(i)
}

const NUMBER_WORDS: [(&str, u32); 16] = [
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("six", 6),
    ("nine", 9),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("sixteen", 16),
    ("twenty-six", 26),
    ("twenty-seven", 27),
    ("thirty-nine", 39),
    ("forty", 40),
    ("fifty-two", 52),
    ("fifty-three", 53),
];

/// `count = digits | number_word`: a run of ASCII letters, digits and `-`
/// that reads as a number from 1 to 60.
fn count(i: &[u8]) -> IResult<&[u8], u32> {
    let (rest, word) = take_while1(|c: u8| c.is_ascii_alphanumeric() || c == b'-').parse(i)?;
    // `str::parse::<u32>` on the run: all digits, and no overflow.
    let n = word
        .iter()
        .try_fold(0u32, |n, &d| {
            if d.is_ascii_digit() {
                n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
            } else {
                None
            }
        })
        .or_else(|| {
            NUMBER_WORDS
                .iter()
                .find(|(w, _)| w.as_bytes().eq_ignore_ascii_case(word))
                .map(|p| p.1)
        });
    match n {
        Some(n) if (1..=60).contains(&n) => Ok((rest, n)),
        _ => Err(error(i, nom::error::ErrorKind::Digit)),
    }
}

/// The words that open the second and third forms of [`duration`].
const PERIOD_WORDS: [&str; 4] = ["quarter", "qtr.", "fiscal", "year"];

/// For each letter `a`..=`z`, one bit per letter `a`..=`z` that follows it
/// at the start of a [`NUMBER_WORDS`] entry or of one of the
/// [`PERIOD_WORDS`] (every one starts with two letters): with a digit, the
/// starts a duration can have.
const DURATION_STARTS: [u32; 26] = {
    let mut t = [0; 26];
    let mut k = 0;
    while k < NUMBER_WORDS.len() + PERIOD_WORDS.len() {
        let w = if k < NUMBER_WORDS.len() {
            NUMBER_WORDS[k].0.as_bytes()
        } else {
            PERIOD_WORDS[k - NUMBER_WORDS.len()].as_bytes()
        };
        t[(w[0] - b'a') as usize] |= 1 << (w[1] - b'a');
        k += 1;
    }
    t
};

/// `duration = count ws unit | ("quarter" | "qtr.") ws ("ended" | "ending")
/// | ("fiscal" ws)? "year" ws ("ended" | "ending")`, ASCII
/// case-insensitively; what follows is not read.
#[inline]
pub fn duration(i: &str) -> IResult<&str, PeriodLength> {
    // A duration starts with a digit or the first two letters of a number
    // word or period word: refuse other starts before running the parser.
    let may_start = match *i.as_bytes() {
        [c, ..] if c.is_ascii_digit() => true,
        [c, d, ..] if c.is_ascii_alphabetic() && d.is_ascii_alphabetic() => {
            let (c, d) = (c.to_ascii_lowercase() - b'a', d.to_ascii_lowercase() - b'a');
            DURATION_STARTS[usize::from(c)] >> d & 1 == 1
        }
        _ => false,
    };
    if !may_start {
        return Err(error(i, nom::error::ErrorKind::Tag));
    }
    on_bytes(i, duration_bytes, nom::error::ErrorKind::Tag)
}

/// The grammar of [`duration`], without its prefilter, on bytes.
fn duration_bytes(i: &[u8]) -> IResult<&[u8], PeriodLength> {
    alt((
        (
            count,
            multispace1,
            alt((
                tag_no_case("months").map(|_| true),
                tag_no_case("month").map(|_| true),
                tag_no_case("mos.").map(|_| true),
                tag_no_case("weeks").map(|_| false),
                tag_no_case("week").map(|_| false),
            )),
        )
            .map(|(n, _, months)| {
                if months {
                    PeriodLength::Months(n)
                } else {
                    PeriodLength::Weeks(n)
                }
            }),
        (
            alt((tag_no_case("quarter"), tag_no_case("qtr."))),
            multispace1,
            alt((tag_no_case("ended"), tag_no_case("ending"))),
        )
            .map(|_| PeriodLength::Months(3)),
        (
            opt((tag_no_case("fiscal"), multispace1)),
            tag_no_case("year"),
            multispace1,
            alt((tag_no_case("ended"), tag_no_case("ending"))),
        )
            .map(|_| PeriodLength::Months(12)),
    ))
    .parse(i)
}

/// Header words that say nothing about a column's member (the words of a
/// fiscal period's name, `First Quarter`, `Full Year`, `Q3`, included;
/// `Total Company` is the entity, as `Consolidated` is).
const FILLER_WORDS: [&str; 46] = [
    "first",
    "second",
    "third",
    "fourth",
    "1st",
    "2nd",
    "3rd",
    "4th",
    "full",
    "half",
    "q1",
    "q2",
    "q3",
    "q4",
    "fy",
    "for",
    "the",
    "and",
    "ended",
    "ending",
    "as",
    "of",
    "at",
    "fiscal",
    "year",
    "years",
    "quarter",
    "months",
    "weeks",
    "to",
    "date",
    "ytd",
    "period",
    "periods",
    "amount",
    "amounts",
    "actual",
    "reported",
    "unaudited",
    "audited",
    "total",
    "consolidated",
    "company",
    "revenue",
    "revenues",
    "sales",
];

/// What a column header says.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnHeader {
    pub kind: ColumnKind,
    pub period: Option<Period>,
    pub annotations: Vec<String>,
    /// Header words that are not about the period (`Domestic`, `Sears
    /// Canada`): a segment or other breakdown the column reports.
    pub member: Option<String>,
    /// Why a period column could not be dated.
    pub problem: Option<String>,
}

/// Classes of bytes for the scans of header text, one bit each.
const ALNUM: u8 = 1;
/// `-`, which glues a word to the next (`Fifty-Two`).
const HYPHEN: u8 = 2;
/// The first byte of a non-ASCII character.
const LEAD: u8 = 4;
/// A first byte of a [`PERIOD_WORDS_IN_TEXT`] word (any case).
const PERIOD_INITIAL: u8 = 8;
/// A first byte of a year (`1`, `2`) or of a month name (any case).
const DATE_INITIAL: u8 = 16;
/// A first byte of a [`column_kind`] word (any case).
const KIND_INITIAL: u8 = 32;

/// The words [`period_word_at`] looks for (`ended` only after a space).
const PERIOD_WORDS_IN_TEXT: [&str; 11] = [
    "%",
    "(unaudited)",
    "restated",
    "ended",
    "ending",
    "months",
    "weeks",
    "quarter",
    "year",
    "as of",
    "change",
];

/// The words [`column_kind`] looks for.
const KIND_WORDS: [&str; 12] = [
    "%",
    "percent",
    "change",
    "increase",
    "decrease",
    "variance",
    "inc.",
    "dec.",
    "better",
    "b/(w)",
    "favorable",
    "favourable",
];

/// The classes of each byte.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            ALNUM
        } else if c == b'-' {
            HYPHEN
        } else if c >= 0xc0 {
            LEAD
        } else {
            0
        };
        b += 1;
    }
    /// Sets `class` on the first byte of each word, in both cases.
    const fn initials(t: &mut [u8; 256], words: &[&str], class: u8) {
        let mut k = 0;
        while k < words.len() {
            let c = words[k].as_bytes()[0];
            t[c.to_ascii_lowercase() as usize] |= class;
            t[c.to_ascii_uppercase() as usize] |= class;
            k += 1;
        }
    }
    initials(&mut t, &PERIOD_WORDS_IN_TEXT, PERIOD_INITIAL);
    initials(&mut t, &KIND_WORDS, KIND_INITIAL);
    let mut k = 0;
    while k < MONTHS.len() {
        let c = MONTHS[k].0.as_bytes()[0];
        t[c as usize] |= DATE_INITIAL;
        t[c.to_ascii_uppercase() as usize] |= DATE_INITIAL;
        k += 1;
    }
    t[b'1' as usize] |= DATE_INITIAL;
    t[b'2' as usize] |= DATE_INITIAL;
    t
};

/// True when the alphanumeric character at byte `i` of `text` starts a
/// word: it comes first, or after a character that is neither alphanumeric
/// (Unicode letters and digits count) nor `-`.
#[inline(always)]
fn starts_word(text: &str, i: usize) -> bool {
    let Some(p) = i.checked_sub(1) else {
        return true;
    };
    let prev = text.as_bytes()[p];
    if BYTE_CLASS[usize::from(prev)] & (ALNUM | HYPHEN) != 0 {
        false
    } else if prev.is_ascii() {
        true
    } else {
        !text
            .get(..i)
            .and_then(|t| t.chars().next_back())
            .is_some_and(char::is_alphanumeric)
    }
}

/// The first word start of `text` at or after byte `from`: an alphanumeric
/// character (Unicode letters and digits count) after anything but a letter,
/// a digit or `-`.
fn next_word_start(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        let class = BYTE_CLASS[usize::from(b)];
        // Only a non-ASCII character's first byte is decoded (`é` is
        // alphanumeric); its other bytes start nothing.
        let alnum = class & ALNUM != 0
            || (class & LEAD != 0
                && text
                    .get(i..)
                    .and_then(|t| t.chars().next())
                    .is_some_and(char::is_alphanumeric));
        if alnum && starts_word(text, i) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `Percent` when `text` contains `%` or `percent`, else `Change` when it
/// contains `change`, `increase`, `decrease`, `variance`, `inc.`, `dec.`,
/// `better`, `b/(w)`, `favorable` or `favourable`,
/// else `Period` (ASCII case-insensitively): the [`KIND_WORDS`]. One pass,
/// dispatching on the byte each word starts with.
fn column_kind(text: &[u8]) -> ColumnKind {
    let at = |i: usize, w: &[u8]| {
        text.get(i + 1..i + w.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(&w[1..]))
    };
    let mut change = false;
    for i in 0..text.len() {
        if BYTE_CLASS[usize::from(text[i])] & KIND_INITIAL == 0 {
            continue;
        }
        match text[i].to_ascii_lowercase() {
            b'%' => return ColumnKind::Percent,
            b'p' if at(i, b"percent") => return ColumnKind::Percent,
            b'c' if !change => change = at(i, b"change"),
            b'i' if !change => change = at(i, b"increase") || at(i, b"inc."),
            b'd' if !change => {
                // `Dec. 31, 2025` is a date, not a decrease.
                let day_after = || {
                    text[(i + 4).min(text.len())..]
                        .iter()
                        .find(|b| !b.is_ascii_whitespace())
                        .is_some_and(u8::is_ascii_digit)
                };
                change = at(i, b"decrease") || (at(i, b"dec.") && !day_after());
            }
            b'v' if !change => change = at(i, b"variance"),
            // Better (worse), B/(W), favorable (unfavorable): a change
            // printed with a cost's increase negative.
            b'b' if !change => change = at(i, b"better") || at(i, b"b/(w)"),
            b'f' if !change => change = at(i, b"favorable") || at(i, b"favourable"),
            _ => {}
        }
    }
    if change {
        ColumnKind::Change
    } else {
        ColumnKind::Period
    }
}

/// Reads a column's stacked header text. The same headers come back over
/// and over (each statement of a release prints `Three Months Ended ...`):
/// a header read on this thread is remembered, up to
/// [`HEADER_CACHE_LIMITS`] (entries, bytes per header), then the memory is
/// emptied, so a sweep's memory stays flat.
pub fn column_period(text: &str) -> ColumnHeader {
    use std::cell::RefCell;
    thread_local! {
        static READ: RefCell<rustc_hash::FxHashMap<Box<str>, ColumnHeader>> =
            RefCell::default();
    }
    if text.len() > HEADER_CACHE_LIMITS.1 {
        return read_column_period(text);
    }
    READ.with_borrow_mut(|read| {
        if let Some(h) = read.get(text) {
            return h.clone();
        }
        let h = read_column_period(text);
        if read.len() >= HEADER_CACHE_LIMITS.0 {
            read.clear();
        }
        read.insert(text.into(), h.clone());
        h
    })
}

/// How many headers [`column_period`] remembers, and the longest it does.
pub const HEADER_CACHE_LIMITS: (usize, usize) = (4096, 256);

/// [`column_period`], read afresh.
fn read_column_period(text: &str) -> ColumnHeader {
    // Annotations are parenthesised words; footnote markers `(a)` are
    // dropped, and each parenthesis becomes a space.
    let mut annotations = Vec::new();
    let plain: Cow<'_, str> = match text.find('(') {
        None => Cow::Borrowed(text),
        Some(_) => {
            let mut plain = String::with_capacity(text.len());
            let mut rest = text;
            while let Some(open) = rest.find('(') {
                plain.push_str(&rest[..open]);
                plain.push(' ');
                match rest[open..].find(')') {
                    Some(close) => {
                        let inner = rest[open + 1..open + close].trim();
                        if inner.len() > 2 {
                            let mut a = String::with_capacity(inner.len() + 2);
                            a.push('(');
                            a.push_str(inner);
                            a.push(')');
                            annotations.push(a);
                        }
                        rest = &rest[open + close + 1..];
                    }
                    None => {
                        rest = &rest[open + 1..];
                    }
                }
            }
            plain.push_str(rest);
            Cow::Owned(plain)
        }
    };
    let plain: &str = &plain;
    let kind = match column_kind(plain.as_bytes()) {
        // `B/(W)` loses its `(W)` to the annotations.
        ColumnKind::Period
            if text
                .bytes()
                .filter(|b| !b.is_ascii_whitespace())
                .collect::<Vec<u8>>()
                .to_ascii_lowercase()
                .windows(5)
                .any(|w| w == b"b/(w)") =>
        {
            ColumnKind::Change
        }
        k => k,
    };

    let mut length = None;
    // The first date, and any others (most headers have one).
    let mut first_date: Option<PartialDate> = None;
    let mut more_dates: Vec<PartialDate> = Vec::new();
    let mut last_year: Option<i32> = None;
    // Where the next word start is looked for: past the last phrase read.
    let mut from = 0;
    // The member words, joined by spaces.
    let mut member = String::new();
    while let Some(start) = next_word_start(plain, from) {
        from = start + 1;
        let s = &plain[start..];
        // Durations start with a count or a period word, dates with a month
        // name and years with a digit: `duration`, `date` and `year` refuse
        // the other words before parsing.
        let first = s.as_bytes()[0];
        if length.is_none()
            && let Ok((r, l)) = duration(s)
        {
            length = Some(l);
            from = plain.len() - r.len();
            continue;
        }
        if first.is_ascii_alphabetic()
            && let Ok((r, d)) = date(s)
        {
            if first_date.is_none() {
                first_date = Some(d);
            } else {
                more_dates.push(d);
            }
            from = plain.len() - r.len();
            continue;
        }
        if first.is_ascii_digit()
            && let Ok((r, y)) = year(s)
        {
            last_year = Some(y);
            from = plain.len() - r.len();
            continue;
        }
        let word = s
            .split(|c: char| c.is_whitespace() || c == ',')
            .next()
            .unwrap_or("")
            .trim_end_matches(['.', '*', ':']);
        let filler = FILLER_WORDS.iter().any(|f| f.eq_ignore_ascii_case(word))
            || month(word).is_ok()
            || word.chars().all(|c| c.is_ascii_digit());
        if !filler && !word.is_empty() {
            if !member.is_empty() {
                member.push(' ');
            }
            member.push_str(word);
        }
    }

    let mut header = ColumnHeader {
        kind,
        period: None,
        annotations,
        member: (!member.is_empty()).then_some(member),
        problem: None,
    };
    if kind != ColumnKind::Period {
        return header;
    }
    // A standalone year picks among several dates (`July 3, 2004 and June
    // 28, 2003` over a `2004` column) and completes a date without one.
    let own_year = last_year;
    let chosen = match (first_date, own_year) {
        (None, _) => None,
        (Some(d), y) if more_dates.is_empty() => Some((d, d.year.or(y))),
        (Some(d), Some(y)) => {
            let dates = || std::iter::once(d).chain(more_dates.iter().copied());
            dates()
                .find(|d| d.year == Some(y))
                .or_else(|| dates().find(|d| d.year.is_none()))
                .map(|d| (d, Some(y)))
        }
        (Some(d), None) => Some((d, d.year)),
    };
    let end = match chosen {
        Some((d, Some(y))) => d.resolve(y),
        _ => None,
    };
    match end {
        None => {
            header.problem = Some(if first_date.is_none() && last_year.is_none() {
                "the header names no date".to_string()
            } else {
                "the header's date is incomplete (no month, day or year)".to_string()
            });
        }
        Some(end) => {
            header.period = Some(match length {
                None => Period::Instant { date: end },
                Some(length) => Period::Duration {
                    start: duration_start(end, length).unwrap_or(end),
                    end,
                    length,
                },
            });
        }
    }
    header
}

/// The first day of a duration of `length` ending on `end` (inclusive).
pub fn duration_start(end: NaiveDate, length: PeriodLength) -> Option<NaiveDate> {
    match length {
        PeriodLength::Months(n) => {
            let after = end.succ_opt()?;
            // A period ending on a month's last day starts on a month's first.
            if after.day() == 1 {
                after.checked_sub_months(Months::new(n))
            } else {
                end.checked_sub_months(Months::new(n))?.succ_opt()
            }
        }
        PeriodLength::Weeks(n) => end.checked_sub_days(Days::new(u64::from(n) * 7 - 1)),
    }
}

/// Does this header text talk about periods (months, years, "ended")?
pub fn is_period_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    // One pass for the period words and for the years and dates at word
    // starts: a year starts with `1` or `2` and a date with a month's first
    // three letters, and `year` and `date` refuse other word starts before
    // parsing. Most bytes start none of them.
    (0..bytes.len()).any(|i| {
        let class = BYTE_CLASS[usize::from(bytes[i])];
        (class & PERIOD_INITIAL != 0 && period_word_at(bytes, i))
            || (class & DATE_INITIAL != 0
                && starts_word(text, i)
                && if bytes[i].is_ascii_digit() {
                    year(&text[i..]).is_ok()
                } else {
                    date(&text[i..]).is_ok()
                })
    })
}

/// Does one of the [`PERIOD_WORDS_IN_TEXT`] start at byte `i` of `text`,
/// ignoring ASCII case: `%`, `(unaudited)`, `restated`, ` ended`, `ending`,
/// `months`, `weeks`, `quarter`, `year`, `as of` or `change`? Dispatches on
/// the byte at `i`.
fn period_word_at(text: &[u8], i: usize) -> bool {
    let at = |w: &[u8]| {
        text.get(i + 1..i + w.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(&w[1..]))
    };
    match text[i].to_ascii_lowercase() {
        b'%' => true,
        b'(' => at(b"(unaudited)"),
        b'r' => at(b"restated"),
        b'e' => (i > 0 && text[i - 1] == b' ' && at(b"ended")) || at(b"ending"),
        b'm' => at(b"months"),
        b'w' => at(b"weeks"),
        b'q' => at(b"quarter"),
        b'y' => at(b"year"),
        b'a' => at(b"as of"),
        b'c' => at(b"change"),
        _ => false,
    }
}

/// `hay` starts with `prefix` (lowercase ASCII), ignoring ASCII case.
pub(crate) fn starts_with_ignore_ascii_case(hay: &[u8], prefix: &[u8]) -> bool {
    hay.get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

/// `hay` contains `needle` (lowercase ASCII), ignoring ASCII case.
///
/// The search looks for the needle's rarest byte in English prose (the `g`
/// of `rounding`, not its `r`), in either case, and compares the needle
/// around each one found: a common first letter would stop it at a tenth
/// of the bytes of a paragraph.
pub(crate) fn contains_ignore_ascii_case(hay: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    // The first of the rarest bytes.
    let (at, rare) = needle
        .iter()
        .enumerate()
        .fold((0, needle[0]), |(at, rare), (i, &b)| {
            if RARITY[usize::from(b)] > RARITY[usize::from(rare)] {
                (i, b)
            } else {
                (at, rare)
            }
        });
    let window = &hay[at..last_start + at + 1];
    let upper = rare.to_ascii_uppercase();
    // Whether the needle starts at `i`, its rarest byte being at `i` of
    // `window`.
    let found = |i: usize| hay[i..i + needle.len()].eq_ignore_ascii_case(needle);
    // A short text (a row label) is looked through eight bytes at a time:
    // setting up the vectorised search costs more than the bytes it would
    // skip, and most labels hold no candidate at all.
    if window.len() <= 48 {
        return any_folded(window, rare | 0x20, found);
    }
    memchr::memchr2_iter(rare, upper, window).any(found)
}

/// Whether `f` holds at an index of `hay` whose byte, with bit `0x20` set,
/// is `folded`: every byte equal to `folded` in either ASCII case, and a
/// few others (`f` decides). Eight bytes at a time: in each word the bytes
/// that differ from `folded` by nothing but that bit are flagged (the
/// zero-byte test, whose borrow may flag a byte above a true one, never
/// one below), then tried in order.
fn any_folded(hay: &[u8], folded: u8, mut f: impl FnMut(usize) -> bool) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pattern = LO * u64::from(folded);
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = (u64::from_le_bytes(word) | (LO * 0x20)) ^ pattern;
        let mut flagged = x.wrapping_sub(LO) & !x & HI;
        while flagged != 0 {
            if f(base + (flagged.trailing_zeros() / 8) as usize) {
                return true;
            }
            flagged &= flagged - 1;
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .enumerate()
        .any(|(k, &b)| b | 0x20 == folded && f(base + k))
}

/// How rare each (lowercase) byte is in English prose: letters by their
/// frequency (`e` commonest), a space commonest of all, other bytes rarer
/// than any letter.
static RARITY: [u8; 256] = {
    const BY_FREQUENCY: &[u8; 26] = b"etaoinshrdlcumwfgypbvkjxqz";
    let mut t = [28u8; 256];
    t[b' ' as usize] = 0;
    let mut k = 0;
    while k < BY_FREQUENCY.len() {
        t[BY_FREQUENCY[k] as usize] = k as u8 + 1;
        k += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The search by the needle's rarest byte finds what a search of
        /// the lowercased text finds, wherever the needle starts or ends.
        #[test]
        fn contains_ignoring_case_finds_what_lowercase_text_contains(
            hay in "[a-zA-Z ,.0-9é]{0,120}",
            needle in "[a-z ,.0-9]{0,6}",
            cut in 0usize..8,
        ) {
            // Needles taken from the text itself, cut at both ends, as
            // well as drawn at random.
            let lower = hay.to_ascii_lowercase();
            let inner = lower.get(cut.min(lower.len())..).unwrap_or("");
            let inner = inner.get(..inner.len().min(cut + 3)).unwrap_or("");
            for n in [needle.as_str(), inner] {
                proptest::prop_assert_eq!(
                    contains_ignore_ascii_case(hay.as_bytes(), n.as_bytes()),
                    lower.contains(n),
                    "{:?} in {:?}", n, hay
                );
            }
        }
    }

    proptest::proptest! {
        /// The word-at-a-time search misses no byte that folds to the one
        /// sought, wherever it lies in the words and whatever bytes (zeros,
        /// `0x01`s that a borrow can flag) lie around it.
        #[test]
        fn folded_search_misses_no_candidate(
            hay in proptest::collection::vec(proptest::prop_oneof![
                proptest::prelude::any::<u8>(),
                proptest::prelude::Just(0u8),
                proptest::prelude::Just(1u8),
                proptest::prelude::Just(b's'),
                proptest::prelude::Just(b'S'),
            ], 0..60),
            folded in proptest::prop_oneof![
                proptest::prelude::Just(b's'),
                proptest::prelude::Just(b' '),
                proptest::strategy::Strategy::prop_map(proptest::prelude::any::<u8>(), |b| b | 0x20),
            ],
            from in 0usize..64,
        ) {
            let wanted = |i: usize| hay[i] | 0x20 == folded && i >= from;
            let mut tried = Vec::new();
            let found = any_folded(&hay, folded, |i| {
                tried.push(i);
                wanted(i)
            });
            proptest::prop_assert_eq!(found, (0..hay.len()).any(wanted));
            // In order, each at most once.
            proptest::prop_assert!(tried.windows(2).all(|w| w[0] < w[1]), "{:?}", tried);
        }
    }

    #[test]
    fn contains_ignoring_case_at_both_ends() {
        assert!(contains_ignore_ascii_case(b"Rounding", b"rounding"));
        assert!(contains_ignore_ascii_case(b"due to ROUNDING", b"rounding"));
        assert!(!contains_ignore_ascii_case(b"roundin", b"rounding"));
        assert!(!contains_ignore_ascii_case(b"ounding", b"rounding"));
        assert!(contains_ignore_ascii_case(b"", b""));
        assert!(contains_ignore_ascii_case(b"Third Quarter", b"quarter"));
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_remembered_header_reads_as_a_fresh_one() {
        let mut headers = vec![
            "Three Months Ended(a) March 31, 2006".to_string(),
            "Nine Months Ended Sept. 30, 2002 (As Restated) (unaudited)".to_string(),
            "Domestic Year Ended December 31, 2025".to_string(),
            "B/(W)".to_string(),
            "% Change".to_string(),
            "Fifty-Two Weeks Ended".to_string(),
            String::new(),
            "x".repeat(HEADER_CACHE_LIMITS.1 + 1),
        ];
        // More headers than are remembered: the memory is emptied and
        // filled again along the way.
        headers.extend(
            (0..HEADER_CACHE_LIMITS.0 + 10)
                .map(|i| format!("Quarter Ended June {}, {}", 1 + i % 30, 1900 + i / 30)),
        );
        for round in 0..2 {
            for h in &headers {
                assert_eq!(
                    column_period(h),
                    read_column_period(h),
                    "{h:?}, round {round}"
                );
            }
        }
    }

    #[test]
    fn stacked_three_month_header() {
        let h = column_period("Three Months Ended(a) March 31, 2006");
        assert_eq!(
            h.period,
            Some(Period::Duration {
                start: ymd(2006, 1, 1),
                end: ymd(2006, 3, 31),
                length: PeriodLength::Months(3)
            })
        );
        assert!(h.annotations.is_empty());
    }

    #[test]
    fn abbreviated_month_and_annotations() {
        let h = column_period("Nine Months Ended Sept. 30, 2002 (As Restated) (unaudited)");
        assert_eq!(h.period.unwrap().end(), ymd(2002, 9, 30));
        assert_eq!(h.annotations, ["(As Restated)", "(unaudited)"]);
    }

    #[test]
    fn instant_and_month_only() {
        let h = column_period("December 31, 2005");
        assert_eq!(
            h.period,
            Some(Period::Instant {
                date: ymd(2005, 12, 31)
            })
        );
        let h = column_period("3 Months Ended December 2004");
        assert_eq!(h.period.unwrap().end(), ymd(2004, 12, 31));
    }

    #[test]
    fn year_picks_among_dates() {
        let h = column_period("For the 13 Weeks Ended July 3, 2004 and June 28, 2003 2003");
        let p = h.period.unwrap();
        assert_eq!(p.end(), ymd(2003, 6, 28));
        assert_eq!(
            p,
            Period::Duration {
                start: ymd(2003, 3, 30),
                end: ymd(2003, 6, 28),
                length: PeriodLength::Weeks(13)
            }
        );
        let h = column_period("Year Ended December 31, 2025");
        assert_eq!(h.period.unwrap().end(), ymd(2025, 12, 31));
        let h = column_period("Fifty-Three Weeks Ended January 31, 2026");
        assert!(matches!(
            h.period,
            Some(Period::Duration {
                length: PeriodLength::Weeks(53),
                ..
            })
        ));
    }

    #[test]
    fn change_columns_and_undated() {
        assert_eq!(column_period("Change").kind, ColumnKind::Change);
        assert_eq!(column_period("% Change").kind, ColumnKind::Percent);
        let h = column_period("Domestic");
        assert!(h.period.is_none() && h.problem.is_some());
        // `Dec.` before a day is December, not a decrease.
        let h = column_period("Dec. 31, 2025");
        assert_eq!(h.kind, ColumnKind::Period);
        assert_eq!(
            h.period,
            Some(Period::Instant {
                date: ymd(2025, 12, 31)
            })
        );
        assert_eq!(column_period("Inc. (Dec.)").kind, ColumnKind::Change);
    }

    #[test]
    fn odd_fiscal_quarter_start() {
        let s = duration_start(ymd(2005, 4, 1), PeriodLength::Months(3)).unwrap();
        assert_eq!(s, ymd(2005, 1, 2));
    }

    /// The grammars and scans as they were written on `str`, before the
    /// prefilters, the byte readings and the one-pass scans: the reference
    /// the fast versions must agree with.
    mod on_str {
        use super::super::{MONTHS, NUMBER_WORDS, PartialDate};
        use crate::ast::{ColumnKind, PeriodLength};
        use nom::branch::alt;
        use nom::bytes::complete::{tag_no_case, take_while_m_n, take_while1};
        use nom::character::complete::{char, multispace0, multispace1};
        use nom::combinator::{map_res, opt};
        use nom::error::{Error, ErrorKind};
        use nom::{IResult, Parser};

        fn fail<T>(i: &str) -> IResult<&str, T> {
            Err(nom::Err::Error(Error::new(i, ErrorKind::Tag)))
        }

        pub fn month(i: &str) -> IResult<&str, u32> {
            let (rest, word) = take_while1(|c: char| c.is_ascii_alphabetic()).parse(i)?;
            match MONTHS.iter().find(|(n, _)| n.eq_ignore_ascii_case(word)) {
                Some(&(_, m)) => {
                    let (rest, _) = opt(char('.')).parse(rest)?;
                    Ok((rest, m))
                }
                None => fail(i),
            }
        }

        fn day(i: &str) -> IResult<&str, u32> {
            let (rest, d) = map_res(
                take_while_m_n(1, 2, |c: char| c.is_ascii_digit()),
                str::parse::<u32>,
            )
            .parse(i)?;
            if rest.starts_with(|c: char| c.is_ascii_digit()) || !(1..=31).contains(&d) {
                return fail(i);
            }
            Ok((rest, d))
        }

        pub fn year(i: &str) -> IResult<&str, i32> {
            let (rest, y) = map_res(
                take_while_m_n(4, 4, |c: char| c.is_ascii_digit()),
                str::parse::<i32>,
            )
            .parse(i)?;
            if rest.starts_with(|c: char| c.is_ascii_digit()) || !(1900..=2100).contains(&y) {
                return fail(i);
            }
            Ok((rest, y))
        }

        pub fn date(i: &str) -> IResult<&str, PartialDate> {
            let (i, m) = month(i)?;
            let (i, _) = multispace1(i)?;
            alt((
                (day, opt(char(',')), opt((multispace0, year))).map(|(d, _, y)| PartialDate {
                    month: m,
                    day: Some(d),
                    year: y.map(|(_, y)| y),
                }),
                (opt(char(',')), multispace0, year).map(|(_, _, y)| PartialDate {
                    month: m,
                    day: None,
                    year: Some(y),
                }),
            ))
            .parse(i)
        }

        fn count(i: &str) -> IResult<&str, u32> {
            let (rest, word) =
                take_while1(|c: char| c.is_ascii_alphanumeric() || c == '-').parse(i)?;
            let n = word.parse::<u32>().ok().or_else(|| {
                NUMBER_WORDS
                    .iter()
                    .find(|(w, _)| w.eq_ignore_ascii_case(word))
                    .map(|p| p.1)
            });
            match n {
                Some(n) if (1..=60).contains(&n) => Ok((rest, n)),
                _ => fail(i),
            }
        }

        pub fn duration(i: &str) -> IResult<&str, PeriodLength> {
            alt((
                (
                    count,
                    multispace1,
                    alt((
                        tag_no_case("months").map(|_| true),
                        tag_no_case("month").map(|_| true),
                        tag_no_case("mos.").map(|_| true),
                        tag_no_case("weeks").map(|_| false),
                        tag_no_case("week").map(|_| false),
                    )),
                )
                    .map(|(n, _, months)| {
                        if months {
                            PeriodLength::Months(n)
                        } else {
                            PeriodLength::Weeks(n)
                        }
                    }),
                (
                    alt((tag_no_case("quarter"), tag_no_case("qtr."))),
                    multispace1,
                    alt((tag_no_case("ended"), tag_no_case("ending"))),
                )
                    .map(|_| PeriodLength::Months(3)),
                (
                    opt((tag_no_case("fiscal"), multispace1)),
                    tag_no_case("year"),
                    multispace1,
                    alt((tag_no_case("ended"), tag_no_case("ending"))),
                )
                    .map(|_| PeriodLength::Months(12)),
            ))
            .parse(i)
        }

        pub fn word_starts(text: &str) -> Vec<usize> {
            let mut prev_alnum = false;
            text.char_indices()
                .filter_map(move |(i, c)| {
                    let alnum = c.is_alphanumeric();
                    let start = alnum && !prev_alnum;
                    prev_alnum = alnum || c == '-';
                    start.then_some(i)
                })
                .collect()
        }

        fn contains(hay: &str, needle: &str) -> bool {
            hay.to_ascii_lowercase().contains(needle)
        }

        pub fn is_period_text(text: &str) -> bool {
            let names = [
                "(unaudited)",
                "restated",
                " ended",
                "ending",
                "months",
                "weeks",
                "quarter",
                "year",
                "as of",
                "change",
                "%",
            ];
            names.iter().any(|w| contains(text, w))
                || word_starts(text).into_iter().any(|s| {
                    let c = text.as_bytes()[s];
                    (c.is_ascii_digit() && year(&text[s..]).is_ok())
                        || (c.is_ascii_alphabetic() && date(&text[s..]).is_ok())
                })
        }

        pub fn column_kind(plain: &str) -> ColumnKind {
            if contains(plain, "%") || contains(plain, "percent") {
                ColumnKind::Percent
            } else if [
                "change",
                "increase",
                "decrease",
                "variance",
                "inc.",
                "better",
                "b/(w)",
                "favorable",
                "favourable",
            ]
            .iter()
            .any(|w| contains(plain, w))
                || {
                    // `dec.` not followed by a day (`Dec. 31`).
                    let lower = plain.to_ascii_lowercase();
                    lower.match_indices("dec.").any(|(at, _)| {
                        !lower[at + 4..]
                            .trim_start_matches(|c: char| c.is_ascii_whitespace())
                            .starts_with(|c: char| c.is_ascii_digit())
                    })
                }
            {
                ColumnKind::Change
            } else {
                ColumnKind::Period
            }
        }
    }

    /// Texts made of header words, numbers, punctuation and non-ASCII
    /// characters, in any order and case.
    fn header_texts(n: usize) -> Vec<String> {
        let pieces = [
            "March",
            "MAR.",
            "sept",
            "Sept.",
            "dec",
            "December",
            "june",
            "Junk",
            "MAY",
            "Three",
            "twenty-six",
            "Fifty-Two",
            "FOUR",
            "one",
            "the",
            "For",
            "13",
            "3",
            "007",
            "61",
            "2005",
            "1899",
            "2101",
            "20051",
            "31",
            " ",
            " ",
            "  ",
            "\t",
            "\n",
            ",",
            ".",
            "-",
            "(",
            ")",
            "%",
            "Months",
            "month",
            "MOS.",
            "weeks",
            "Week",
            "Quarter",
            "qtr.",
            "Fiscal",
            "year",
            "Ended",
            "ending",
            "percent",
            "Change",
            "inc.",
            "Dec.",
            "Dec. 31,",
            "as of",
            "restated",
            "(unaudited)",
            "é",
            "Ü",
            "€",
            "\u{a0}",
            "ſ",
            "İ",
            "x",
            "Q4",
            "March 31, 2006",
            "Sept. 30 2003",
            "JUNE 28,2003",
            "December 2004",
            "Nov 5",
            "3 Months",
            "Thirteen Weeks",
            "Year Ended",
            "QTR. ENDING",
            "fiscal year ended",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        (0..n)
            .map(|_| {
                let len = next() % 12;
                (0..len)
                    .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn prefiltered_grammars_read_what_the_str_grammars_read() {
        // The prefilters refuse only what the grammars refuse, and reading
        // bytes instead of characters changes nothing, from every character
        // boundary of every text.
        let mut texts = header_texts(3000);
        for (w, _) in NUMBER_WORDS {
            for w in [
                w.to_string(),
                w.to_ascii_uppercase(),
                w[..1].to_ascii_uppercase() + &w[1..],
            ] {
                texts.push(format!("{w} Months Ended"));
                texts.push(format!("{w}  weeks"));
            }
        }
        for w in PERIOD_WORDS {
            texts.push(format!("{w} ended"));
            texts.push(format!("{} Ending", w.to_ascii_uppercase()));
        }
        texts.push("Fiscal\tYear\nEnded".into());
        for (m, _) in MONTHS {
            texts.push(format!("{m}. 31, 2005"));
            texts.push(format!("{} 2004", m.to_ascii_uppercase()));
            texts.push(format!("{m},2004"));
        }
        let mut read = 0;
        for t in &texts {
            for (p, _) in t.char_indices() {
                let s = &t[p..];
                assert_eq!(month(s).ok(), on_str::month(s).ok(), "{s:?}");
                assert_eq!(date(s).ok(), on_str::date(s).ok(), "{s:?}");
                assert_eq!(year(s).ok(), on_str::year(s).ok(), "{s:?}");
                assert_eq!(duration(s).ok(), on_str::duration(s).ok(), "{s:?}");
                read += usize::from(date(s).is_ok() || duration(s).is_ok());
            }
        }
        // The texts hold many dates and durations, not only refusals.
        assert!(read > 2000, "{read}");
    }

    #[test]
    fn one_pass_scans_match_the_str_scans() {
        for t in header_texts(3000) {
            let mut starts = Vec::new();
            let mut from = 0;
            while let Some(s) = next_word_start(&t, from) {
                starts.push(s);
                from = s + 1;
            }
            assert_eq!(starts, on_str::word_starts(&t), "{t:?}");
            assert_eq!(is_period_text(&t), on_str::is_period_text(&t), "{t:?}");
            assert_eq!(column_kind(t.as_bytes()), on_str::column_kind(&t), "{t:?}");
        }
    }

    #[test]
    fn kelvin_sign_is_not_a_k() {
        // `K` (U+212A) lowercases to an ASCII `k`: compared as characters it
        // matched the `k` of `weeks`, and the parser then split the text
        // inside it.
        assert!(duration("13 Wee\u{212A}s Ended").is_err());
        let h = column_period("13 Wee\u{212A}s Ended January 31, 2026");
        assert_eq!(
            h.period,
            Some(Period::Instant {
                date: ymd(2026, 1, 31)
            })
        );
        assert_eq!(h.member.as_deref(), Some("Wee\u{212A}s"));
    }
}
