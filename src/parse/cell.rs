//! The grammar of a table line: a label followed by printed values.
//!
//! ```text
//! value_line = indent label? (gap cell)+ trailing_ws
//! gap        = " "{2,} | "\t"+            (between the label and the first cell)
//! cell       = nil | percent | money
//! nil        = "-" | "--" | "---" | "—" | "–" | "$" ws* "-"
//! money      = "(" ws* "$"? ws* number ws* ")"        (negative)
//!            | "$" ws* "(" ws* number ws* ")"         (negative)
//!            | "-" "$"? number | "$" ws* "-" number    (negative)
//!            | "$"? ws* number
//! percent    = money ws* "%"
//! number     = digits ("," digits)* ("." digits)? | "." digits
//! ```
//!
//! Cells are found from the right end of the line: the longest run of words
//! that parses as cells, whose first cell is separated from the label by a
//! gap of two or more columns. A narrative line ending in `$53.2` after a
//! single space is therefore prose, not a row.
//!
//! The grammar runs on the line's bytes: every token is ASCII or a whole
//! UTF-8 sequence (`—`, `–`, `−`), so cells start and end on char boundaries.
//! Cells that print a number starting with a digit, most of them, are read
//! by a byte-level fast path ([`money_cell`]) that follows the grammar and is
//! tested against it; the grammar decides every other word.

use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::character::complete::{char, digit1};
use nom::combinator::{opt, recognize};
use nom::multi::many0_count;
use nom::sequence::preceded;
use nom::{IResult, Parser};
use rust_decimal::Decimal;
use std::cell::RefCell;

use crate::parse::source::{HIGH, LOW7, eight_at, not_spaces, splat};

const MAX_LINE: usize = 4_000;
const MAX_WORDS: usize = 48;

/// A value found on a line, positions are byte indices into the line.
#[derive(Clone, Debug, PartialEq)]
pub struct RawCell {
    pub start: usize,
    pub end: usize,
    /// Byte range of the digits (or nil mark), used for column alignment:
    /// numbers are right-aligned on their last digit, parentheses and `%` hang.
    pub digits: (usize, usize),
    pub value: Decimal,
    pub decimals: u32,
    pub currency: bool,
    pub percent: bool,
    pub nil: bool,
    /// The printed text had no `$`, sign, comma or decimals and is a plausible
    /// year (`2006`): header lines are rows of years.
    pub year_like: bool,
    /// More digits than tieout reads ([`MAX_INTEGER_DIGITS`] before the
    /// point, [`MAX_DECIMALS`] after): no financial figure prints that many,
    /// and its total or rounding could overflow `Decimal`. The value is not
    /// known (zero here) and the figure takes part in no check.
    pub out_of_range: bool,
}

/// The most digits before the decimal point of a figure tieout reads.
pub const MAX_INTEGER_DIGITS: u32 = 15;
/// The most digits after the decimal point of a figure tieout reads.
pub const MAX_DECIMALS: u32 = 17;

type Bytes<'a> = &'a [u8];

/// `ws = (" " | "\t")*`, a leaf parser that skips long gaps eight bytes at
/// a time (the `%` of `percent` is looked for past the gap after a cell).
fn ws(i: Bytes<'_>) -> IResult<Bytes<'_>, Bytes<'_>> {
    let (gap, rest) = i.split_at(space_run(i));
    Ok((rest, gap))
}

/// `number = digits ("," digits)* ("." digits)? | "." digits`
///
/// Groups after a comma are not held to three digits (`1,23` is a number).
fn number(i: Bytes<'_>) -> IResult<Bytes<'_>, Bytes<'_>> {
    alt((
        recognize((
            digit1,
            many0_count(preceded(char(','), digit1)),
            opt(preceded(char('.'), digit1)),
        )),
        recognize(preceded(char('.'), digit1)),
    ))
    .parse(i)
}

/// `nil = "-" | "--" | "---" | "—" | "–"` (a lone dash, not followed by a digit)
fn nil(i: Bytes<'_>) -> IResult<Bytes<'_>, Bytes<'_>> {
    alt((
        tag("---"),
        tag("--"),
        tag("-"),
        tag("\u{2014}"),
        tag("\u{2013}"),
    ))
    .parse(i)
}

/// A parsed cell; offsets are from the start of the cell.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Parsed {
    /// Length of the cell.
    len: u16,
    /// Range of the digits (or nil mark).
    digits_at: u16,
    digits_end: u16,
    /// The number's digits as one integer, commas and point dropped (it
    /// wraps past `MAX_EXACT` digits), how many there are and how many
    /// follow the point; all zero for a nil mark.
    mantissa: u64,
    digit_count: u16,
    decimals: u16,
    negative: bool,
    currency: bool,
    percent: bool,
    nil: bool,
}

impl Parsed {
    const NONE: Parsed = Parsed {
        len: 0,
        digits_at: 0,
        digits_end: 0,
        mantissa: 0,
        digit_count: 0,
        decimals: 0,
        negative: false,
        currency: false,
        percent: false,
        nil: false,
    };
}

/// Numbers of up to this many digits are built from their mantissa; longer
/// ones are parsed as text (which rounds past 28 digits).
const MAX_EXACT: u16 = 18;

/// Appends the digits at `b[i..]` to `mantissa`; the index after them.
fn digit_run(b: Bytes<'_>, mut i: usize, mantissa: &mut u64) -> usize {
    while let Some(&c) = b.get(i) {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        *mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
        i += 1;
    }
    i
}

/// `mantissa`, `digit_count` and `decimals` of a number the grammar read.
fn read_number(digits: Bytes<'_>) -> (u64, u16, u16) {
    let mut mantissa: u64 = 0;
    let mut count = 0;
    let mut decimals = 0;
    let mut point = false;
    for &c in digits {
        if c.is_ascii_digit() {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            count += 1;
            decimals += u16::from(point);
        } else if c == b'.' {
            point = true;
        }
    }
    (mantissa, count, decimals)
}

/// One cell, ending at a word boundary.
fn cell(input: Bytes<'_>) -> IResult<Bytes<'_>, Parsed> {
    let i = input;
    let (i, dollar1) = opt(char('$')).parse(i)?;
    let (i, _) = ws(i)?;
    let (i, open) = opt(char('(')).parse(i)?;
    let (i, _) = ws(i)?;
    let (i, dollar2) = opt(char('$')).parse(i)?;
    let (i, _) = ws(i)?;
    let before_minus = input.len() - i.len();
    let (i, minus) = opt(alt((tag("-"), tag("\u{2212}")))).parse(i)?;
    let (i, dollar3) = opt(char('$')).parse(i)?;
    let currency = dollar1.is_some() || dollar2.is_some() || dollar3.is_some();
    // A minus followed by a number is a sign; a lone dash is a nil mark.
    let num = number(i);
    let mut digits_at = input.len() - i.len();
    let (i, digits_len, is_nil, minus) = match num {
        Ok((rest, d)) => (rest, d.len(), false, minus.is_some()),
        Err(_) if open.is_none() => {
            // nil: "-" was consumed as minus, or an em dash remains.
            if minus.is_some() {
                let (rest, _) = opt(alt((tag("--"), tag("-")))).parse(i)?;
                digits_at = before_minus;
                let mark_end = input.len() - rest.len();
                (rest, mark_end - before_minus, true, false)
            } else {
                let (rest, d) = nil(i)?;
                (rest, d.len(), true, false)
            }
        }
        Err(e) => return Err(e),
    };
    let (i, close) = if open.is_some() {
        let (i, _) = ws(i)?;
        let (i, c) = char(')').parse(i)?;
        (i, Some(c))
    } else {
        (i, None)
    };
    let (i, pct) = opt(preceded(ws, char('%'))).parse(i)?;
    // The cell must end at whitespace or the end of the line.
    if !matches!(i.first(), None | Some(b' ' | b'\t')) {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Verify,
        )));
    }
    let (mantissa, digit_count, decimals) = if is_nil {
        (0, 0, 0)
    } else {
        read_number(&input[digits_at..digits_at + digits_len])
    };
    // Lines are at most MAX_LINE bytes, so offsets fit in u16.
    Ok((
        i,
        Parsed {
            len: (input.len() - i.len()) as u16,
            digits_at: digits_at as u16,
            digits_end: (digits_at + digits_len) as u16,
            mantissa,
            digit_count,
            decimals,
            negative: minus || close.is_some(),
            currency,
            percent: pct.is_some(),
            nil: is_nil,
        },
    ))
}

/// Fast path for the common cells, those printing a number that starts
/// with a digit (`1,234.5`, `$ 12`, `(3,750)`, `-12`, `$(0.12)`, `45.2 %`).
/// It follows [`cell`] step by step up to the number; `None` when it does not
/// get there (a nil mark, `−`, `.5`, text), and [`cell`] decides.
///
/// `gap`, when known, is a range `from..to` of `b` that holds only spaces and
/// tabs and is not followed by either: the `ws` from `from` ends at `to`.
#[inline]
fn money_cell(b: Bytes<'_>, gap: Option<(usize, usize)>) -> Option<Option<Parsed>> {
    let ws_end = |i: usize| match gap {
        Some((from, to)) if from == i => to,
        _ => i + space_run(&b[i..]),
    };
    let mut i = 0;
    let mut currency = false;
    let mut open = false;
    let mut minus = false;
    if !b.first().is_some_and(u8::is_ascii_digit) {
        if b.first() == Some(&b'$') {
            currency = true;
            i = ws_end(1);
        }
        open = b.get(i) == Some(&b'(');
        if open {
            i = ws_end(i + 1);
        }
        if b.get(i) == Some(&b'$') {
            currency = true;
            i = ws_end(i + 1);
        }
        minus = b.get(i) == Some(&b'-');
        if minus {
            i += 1;
        }
        if b.get(i) == Some(&b'$') {
            currency = true;
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
    }
    // number = digits ("," digits)* ("." digits)?
    let digits_at = i;
    let mut mantissa = 0;
    let mut separators = 0;
    let followed_by_digit = |i: usize| b.get(i + 1).is_some_and(u8::is_ascii_digit);
    i = digit_run(b, i, &mut mantissa);
    while b.get(i) == Some(&b',') && followed_by_digit(i) {
        separators += 1;
        i = digit_run(b, i + 1, &mut mantissa);
    }
    let mut decimals = 0;
    if b.get(i) == Some(&b'.') && followed_by_digit(i) {
        separators += 1;
        let point = i;
        i = digit_run(b, i + 1, &mut mantissa);
        decimals = i - point - 1;
    }
    let digits_end = i;
    if open {
        i = ws_end(i);
        if b.get(i) != Some(&b')') {
            return Some(None);
        }
        i += 1;
    }
    let pct = ws_end(i);
    let percent = b.get(pct) == Some(&b'%');
    let end = if percent { pct + 1 } else { i };
    if !matches!(b.get(end), None | Some(b' ' | b'\t')) {
        return Some(None);
    }
    Some(Some(Parsed {
        len: end as u16,
        digits_at: digits_at as u16,
        digits_end: digits_end as u16,
        mantissa,
        digit_count: (digits_end - digits_at - separators) as u16,
        decimals: decimals as u16,
        negative: minus || open,
        currency,
        percent,
        nil: false,
    }))
}

/// The cell starting at the word start `s`, if one parses there; `gap` as
/// for [`money_cell`].
#[inline]
fn cell_at(b: Bytes<'_>, s: usize, gap: Option<(usize, usize)>) -> Option<Parsed> {
    match b[s] {
        b'0'..=b'9' | b'$' | b'(' | b'-' => match money_cell(&b[s..], gap) {
            Some(decided) => decided,
            None => cell(&b[s..]).ok().map(|(_, p)| p),
        },
        // Every other cell starts with one of these (`—`, `–` and `−` are
        // E2 xx xx in UTF-8); a word starting with a letter is never a cell.
        b'.' | 0xE2 => cell(&b[s..]).ok().map(|(_, p)| p),
        _ => None,
    }
}

/// A cell whose `$` stands apart from its figure (`$      3,393`): the
/// dollar sign of an aligned column, which ends the label however close it
/// is printed to it (`Product revenue $      3,393`).
fn detached_dollar(cell: Bytes<'_>) -> bool {
    cell.first() == Some(&b'$') && space_run(&cell[1..]) >= 2
}

/// Whether the text from `s` to the next space or tab has a letter.
fn word_has_letter(line: &str, s: usize) -> bool {
    for (i, &c) in line.as_bytes()[s..].iter().enumerate() {
        match c {
            b' ' | b'\t' => return false,
            _ if c.is_ascii_alphabetic() => return true,
            0x80.. => {
                // `s + i` follows ASCII bytes, so it is a char boundary.
                return line[s + i..]
                    .split([' ', '\t'])
                    .next()
                    .is_some_and(|w| w.chars().any(char::is_alphabetic));
            }
            _ => {}
        }
    }
    false
}

/// Word separators: a word starts after one of these or at the line start.
fn is_sep(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == 0x0c
}

/// The eight bytes that end at `at`, the last one most significant.
fn eight_before(b: Bytes<'_>, at: usize) -> u64 {
    eight_at(b, at - 8)
}

/// The high bit set in each byte of `x` below 0x21 (separators and other
/// control characters), and no other bit.
const fn below_0x21(x: u64) -> u64 {
    !(((x & LOW7) + splat(0x5f)) | x) & HIGH
}

/// The number of spaces and tabs that start `b`.
fn space_run(b: Bytes<'_>) -> usize {
    let mut i = 0;
    while i + 8 <= b.len() {
        let other = not_spaces(eight_at(b, i));
        if other != 0 {
            i += (other.trailing_zeros() / 8) as usize;
            break;
        }
        i += 8;
    }
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// The start of the word that ends at `at`.
#[inline]
fn word_start(b: Bytes<'_>, mut at: usize) -> usize {
    while at >= 8 {
        let low = below_0x21(eight_before(b, at));
        if low != 0 {
            // The most significant one is the last before `at`.
            let after = at - (low.leading_zeros() / 8) as usize;
            if is_sep(b[after - 1]) {
                return after;
            }
            // Another control character: go byte by byte.
            break;
        }
        at -= 8;
    }
    while at > 0 && !is_sep(b[at - 1]) {
        at -= 1;
    }
    at
}

/// The start of the run of separators that ends at `at`. Gaps in tables
/// are long runs of spaces, skipped eight at a time.
#[inline]
fn skip_seps_back(b: Bytes<'_>, mut at: usize, form_feed: &mut bool) -> usize {
    loop {
        if at >= 8 {
            let other = not_spaces(eight_before(b, at));
            if other == 0 {
                at -= 8;
                continue;
            }
            at -= other.leading_zeros() as usize / 8;
        } else {
            while at > 0 && b[at - 1] == b' ' {
                at -= 1;
            }
        }
        // The byte before `at` is not a space.
        match at.checked_sub(1).map(|i| b[i]) {
            Some(b'\t') => at -= 1,
            Some(0x0c) => {
                *form_feed = true;
                at -= 1;
            }
            _ => return at,
        }
    }
}

/// `s.trim_end()`: most lines end in a printed character and are returned
/// as they are; the rest go through the shared ASCII-first trim.
#[inline]
fn trim_end(s: &str) -> &str {
    match s.as_bytes().last() {
        Some(&c) if c > b' ' && c < 0x80 => s,
        _ => crate::parse::source::trim_end_ws(s),
    }
}

/// The index of the first character of `s` that is not whitespace.
fn first_non_whitespace(s: &str) -> Option<usize> {
    let indent = space_run(s.as_bytes());
    let p = indent
        + s.as_bytes()[indent..]
            .iter()
            .position(|c| !matches!(c, b' ' | b'\t'..=b'\r'))?;
    if s.as_bytes()[p] < 0x80 {
        Some(p)
    } else {
        s[p..].find(|c: char| !c.is_whitespace()).map(|q| p + q)
    }
}

fn word_count(b: Bytes<'_>) -> usize {
    let mut n = 0;
    let mut prev_sep = true;
    for &c in b {
        let sep = is_sep(c);
        n += usize::from(prev_sep && !sep);
        prev_sep = sep;
    }
    n
}

/// `digits` parsed as text, commas dropped; zero when it does not fit.
fn parse_decimal(digits: &str) -> Decimal {
    let clean: String = digits.chars().filter(|&c| c != ',').collect();
    clean.parse::<Decimal>().unwrap_or(Decimal::ZERO)
}

/// The value of a parsed number printed at `line[digits.0..digits.1]`, as
/// parsing that text would give; the text is only read past `MAX_EXACT`
/// digits.
fn number_value(p: &Parsed, line: &str, digits: (usize, usize)) -> Decimal {
    let v = if p.digit_count <= MAX_EXACT {
        // Below 10^18: two 32-bit words, and the scale is at most 18.
        let m = p.mantissa;
        Decimal::from_parts(m as u32, (m >> 32) as u32, 0, false, u32::from(p.decimals))
    } else {
        parse_decimal(&line[digits.0..digits.1])
    };
    if p.negative { -v } else { v }
}

fn raw_cell(line: &str, start: usize, p: &Parsed) -> RawCell {
    let digits = (
        start + usize::from(p.digits_at),
        start + usize::from(p.digits_end),
    );
    let value = if p.nil {
        Decimal::ZERO
    } else {
        number_value(p, line, digits)
    };
    let year_like = !p.nil
        && !p.currency
        && !p.negative
        && !p.percent
        && p.digits_end - p.digits_at == 4
        && p.digit_count == 4
        && (1900..=2100).contains(&p.mantissa);
    let decimals = u32::from(p.decimals);
    let out_of_range = !p.nil
        && (decimals > MAX_DECIMALS
            || u32::from(p.digit_count).saturating_sub(decimals) > MAX_INTEGER_DIGITS);
    RawCell {
        start,
        end: start + usize::from(p.len),
        digits,
        value: if out_of_range { Decimal::ZERO } else { value },
        decimals: if out_of_range { 0 } else { decimals },
        currency: p.currency,
        percent: p.percent,
        nil: p.nil,
        year_like,
        out_of_range,
    }
}

/// The issue of a figure with more digits than tieout reads.
pub fn out_of_range_issue(
    span: crate::span::Span,
    printed: &str,
    label: &str,
) -> crate::ast::ParseIssue {
    crate::ast::ParseIssue {
        span,
        kind: crate::ast::ParseIssueKind::FigureOutOfRange,
        message: format!(
            "the figure {printed} in row \"{label}\" has more digits than tieout reads \
             ({MAX_INTEGER_DIGITS} before the decimal point, {MAX_DECIMALS} after), so it was not checked"
        ),
    }
}

/// Reads one printed figure that is the whole of `text` (an HTML table
/// cell, blanks around it allowed): `(3,750)`, `$ 52,686`, `22.0%`, `—`.
/// `None` for anything else, text around a figure included.
pub fn parse_figure(text: &str) -> Option<RawCell> {
    let t = trim_end(text.trim_start());
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    let b = t.as_bytes();
    let p = cell_at(b, 0, None)?;
    (usize::from(p.len) == b.len()).then(|| raw_cell(t, 0, &p))
}

/// A line split into label and cells.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitLine<'a> {
    /// The label text, trimmed; empty when the line holds only values.
    pub label: &'a str,
    /// Byte index of the label's first character in the line.
    pub label_start: usize,
    pub cells: Vec<RawCell>,
}

/// The last words of a line as the right-to-left scan of
/// [`split_value_line`] tried them; index 0 is the last word.
struct Words {
    start: [u16; MAX_WORDS],
    /// Where the separators before the word begin (the end of the word
    /// before it), once the scan has gone past them.
    gap_start: [u16; MAX_WORDS],
    /// Cells parse from the word to the end of the line.
    runs_to_end: [bool; MAX_WORDS],
    /// When `runs_to_end`: the cell at the word, and the word after it
    /// (`END` at the end of the line).
    cell: [Parsed; MAX_WORDS],
    next: [u8; MAX_WORDS],
}

const END: u8 = u8::MAX;

/// Splits a line into label and trailing cells (see the module grammar).
/// Returns `None` when the line does not end in values.
pub fn split_value_line(line: &str) -> Option<SplitLine<'_>> {
    with_own_cells(line, split_value_line_into)
}

/// A reading of a line that pushes its cells onto a shared list and
/// returns the label and where it starts ([`split_value_line_into`],
/// [`split_row_line_into`]).
type SplitInto = for<'a> fn(&'a str, &mut Vec<RawCell>) -> Option<(&'a str, usize)>;

/// `into`'s reading of `line` with a list of cells of its own.
fn with_own_cells(line: &str, into: SplitInto) -> Option<SplitLine<'_>> {
    let mut cells = Vec::new();
    let (label, label_start) = into(line, &mut cells)?;
    Some(SplitLine {
        label,
        label_start,
        cells,
    })
}

/// [`split_value_line`] with the cells pushed onto `pool`, which is left as
/// it was when the line is not a value line: the label and where it
/// starts. A table's lines share one list rather than one each.
pub fn split_value_line_into<'a>(
    line: &'a str,
    pool: &mut Vec<RawCell>,
) -> Option<(&'a str, usize)> {
    let line = trim_end(line);
    let b = line.as_bytes();
    // A value line ends in a digit, a closing parenthesis, a percent sign or
    // a nil mark; anything else is text, decided without allocating.
    let &last = b.last()?;
    let ends_in_value = last.is_ascii_digit()
        || matches!(last, b')' | b'%' | b'-')
        || (last >= 0x80 && line.ends_with(['\u{2014}', '\u{2013}']));
    if !ends_in_value {
        return None;
    }
    // Table lines are short; a huge line is prose or garbage, and the scan
    // below must stay linear on hostile input. (A line of more than
    // MAX_WORDS * 8 words is longer than 2 * MAX_WORDS * 8 bytes.)
    if line.len() > MAX_LINE || (line.len() > 2 * MAX_WORDS * 8 && word_count(b) > MAX_WORDS * 8) {
        return None;
    }
    WORDS.with_borrow_mut(|words| split_words(line, words, pool))
}

thread_local! {
    /// The scan's table, kept between lines rather than zeroed for each
    /// (it is 1.4 kB); every entry read is written first on each line.
    static WORDS: RefCell<Words> = const {
        RefCell::new(Words {
            start: [0; MAX_WORDS],
            gap_start: [0; MAX_WORDS],
            runs_to_end: [false; MAX_WORDS],
            cell: [Parsed::NONE; MAX_WORDS],
            next: [0; MAX_WORDS],
        })
    };
}

/// The longest line, in bytes, and the most cells a line can hold that
/// [`split_value_line`] reads as a table row. Beyond them a line that ends
/// in figures is reported ([`exceeds_row_limits`]), never half read.
pub const ROW_LIMITS: (usize, usize) = (MAX_LINE, MAX_WORDS);

/// A line that ends in a figure and holds figures separated by blanks, but
/// that [`split_value_line`] does not read in full: longer than
/// [`ROW_LIMITS`]`.0` bytes with eight or more figures, or more than
/// [`ROW_LIMITS`]`.1` figures (a table of hundreds of columns). Such a line
/// is not a table row tieout can check; the caller reports it. Returns the
/// number of figures.
pub fn exceeds_row_limits(line: &str) -> Option<usize> {
    // A row of a wide table is much shorter than MAX_LINE and holds far
    // fewer than MAX_WORDS words: counting the words (eight bytes at a
    // time) bounds the figures without reading any. Any whitespace splits
    // words there, the figures split at ASCII blanks only: a line has at
    // least as many words as figures either way.
    exceeds_row_limits_with(line, |line| {
        crate::parse::source::word_count(line) <= MAX_WORDS
    })
}

/// [`exceeds_row_limits`], where `few_words` tells, without reading a
/// figure, that a line of at most MAX_LINE bytes holds at most MAX_WORDS
/// figures.
fn exceeds_row_limits_with(line: &str, few_words: impl Fn(&str) -> bool) -> Option<usize> {
    let line = trim_end(line);
    // More than MAX_WORDS figures take at least 2 * MAX_WORDS - 1 bytes.
    if line.len() < 2 * MAX_WORDS - 1 {
        return None;
    }
    let &last = line.as_bytes().last()?;
    if !(last.is_ascii_digit() || matches!(last, b')' | b'%')) {
        return None;
    }
    if line.len() <= MAX_LINE && few_words(line) {
        return None;
    }
    let figures = line
        .split_ascii_whitespace()
        .filter(|w| is_figure_word(w))
        .count();
    let too_long = line.len() > MAX_LINE && figures >= 8;
    (too_long || figures > MAX_WORDS).then_some(figures)
}

/// A mark printed where a figure would be that is not one: `nm` (not
/// meaningful), `n/m`, `n/a`, `*`. (A dash is a nil figure: zero.)
pub fn is_mark(t: &str) -> bool {
    // Asked of the last word of every text line: compared in place, with
    // no lowercase copy.
    t.len() <= 4
        && ["nm", "n/m", "n.m.", "na", "n/a", "n.a.", "*", "**", "nmf"]
            .iter()
            .any(|m| t.eq_ignore_ascii_case(m))
}

/// [`split_value_line`], reading a not-meaningful mark ([`is_mark`]) printed
/// in place of a figure as an empty cell. A percent-change column prints
/// `nm` where the prior figure is zero or the sign changed; the grammar
/// reads no cell there, and the row's other figures would be lost with it
/// (the line becomes text, and the table ends or the row joins the next
/// one's label). A mark counts only after a gap (two blanks or a tab) that
/// follows a figure, a nil mark or another such mark, so a label's words
/// and prose stay what they were. It gives no cell: it places no column
/// and takes part in no check, as in an HTML table.
pub fn split_row_line(line: &str) -> Option<SplitLine<'_>> {
    with_own_cells(line, split_row_line_into)
}

/// [`split_row_line`] with the cells pushed onto `pool`, as
/// [`split_value_line_into`] does.
pub fn split_row_line_into<'a>(line: &'a str, pool: &mut Vec<RawCell>) -> Option<(&'a str, usize)> {
    let base = pool.len();
    let split = split_value_line_into(line, pool);
    // Only a line that ends in a mark (no split) or whose label ends in one
    // (`Revenue   100   nm   200`) can hold a mark after a figure.
    let tail = match split {
        None => trim_end(line),
        Some((label, _)) => label,
    };
    // The last word (blanks are single bytes: a byte search, not a char one).
    let last = memchr::memrchr2(b' ', b'\t', tail.as_bytes()).map_or(tail, |i| &tail[i + 1..]);
    if !is_mark(last) {
        return split;
    }
    let Some(blanked) = blank_marks(line) else {
        return split;
    };
    let Some(s) = split_value_line(&blanked) else {
        return split;
    };
    // The blanked line's reading replaces the first one.
    pool.truncate(base);
    pool.extend(s.cells);
    // Marks were blanked byte for byte: the label (which starts at
    // `label_start` when there is one) is at the same place in the line.
    let label = &line[s.label_start..s.label_start + s.label.len()];
    Some((label, s.label_start))
}

/// `line` with the marks that stand in a figure's place ([`split_row_line`])
/// blanked out, or `None` when it has none.
fn blank_marks(line: &str) -> Option<String> {
    let b = line.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    // Whether the previous word was a figure, a nil mark or a blanked mark,
    // and where it ended.
    let mut after_figure = false;
    let mut prev_end = 0;
    let mut i = 0;
    while i < b.len() {
        if matches!(b[i], b' ' | b'\t') {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        let word = &line[start..i];
        let gap = &b[prev_end..start];
        let spaced = gap.len() >= 2 || gap.contains(&b'\t');
        if after_figure && spaced && is_mark(word) {
            out.get_or_insert_with(|| b.to_vec())[start..i].fill(b' ');
        } else {
            after_figure = is_figure_word(word)
                || matches!(word, "-" | "--" | "---" | "\u{2014}" | "\u{2013}");
        }
        prev_end = i;
    }
    // Only ASCII bytes were replaced, by spaces: still UTF-8.
    out.map(|v| String::from_utf8(v).expect("ASCII marks blanked"))
}

/// A word made of figure characters (digits, `,` `.` `$` `(` `)` `%` `-`)
/// with at least one digit: `1,234`, `($46)`, `((139))`, `12.5%`.
pub fn is_figure_word(w: &str) -> bool {
    w.bytes().any(|c| c.is_ascii_digit())
        && w.bytes().all(|c| {
            c.is_ascii_digit() || matches!(c, b',' | b'.' | b'$' | b'(' | b')' | b'%' | b'-')
        })
}

/// [`split_value_line_into`] past its first checks.
#[inline(always)]
fn split_words<'a>(
    line: &'a str,
    words: &mut Words,
    pool: &mut Vec<RawCell>,
) -> Option<(&'a str, usize)> {
    // Right to left, each of the last MAX_WORDS word starts is tried once:
    // it starts a run of cells to the end of the line when one cell parses
    // there and the run continues at the next word after it. The separators
    // are ASCII, so a byte scan finds the same char boundaries as decoding
    // would.
    let b = line.as_bytes();
    let mut tried = 0;
    let mut best: Option<usize> = None;
    let mut form_feed = false;
    let mut at = b.len();
    while tried < MAX_WORDS {
        let next_start = at;
        let word_end = skip_seps_back(b, at, &mut form_feed);
        if tried > 0 {
            words.gap_start[tried - 1] = word_end as u16;
        }
        if word_end == 0 {
            break;
        }
        let k = tried;
        tried += 1;
        if b[word_end - 1].is_ascii_alphabetic() {
            // A word with letters is the label: no cell starts further left
            // (and this one is not a cell, having a letter).
            break;
        }
        at = word_start(b, word_end);
        words.start[k] = at as u16;
        words.runs_to_end[k] = false;
        // The gap after the word, known to hold only spaces and tabs.
        let gap = (!form_feed).then_some((word_end - at, next_start - at));
        if let Some(p) = cell_at(b, at, gap) {
            // The word after the cell: the first one starting at or after
            // its end (a cell such as `$ 12` spans several words).
            let end = at + usize::from(p.len);
            let next = (0..k).rev().find(|&n| usize::from(words.start[n]) >= end);
            if next.is_none_or(|n| words.runs_to_end[n]) {
                words.runs_to_end[k] = true;
                words.cell[k] = p;
                words.next[k] = next.map_or(END, |n| n as u8);
            }
        }
        if words.runs_to_end[k] {
            best = Some(k);
        } else if word_has_letter(line, at) {
            // A word with letters is the label: no cell starts further left.
            break;
        }
    }
    let best = best?;
    // The run of cells from `best`, one cell per word at most. A form feed
    // between two cells ends the run early, and then the line is not a
    // value line.
    let base = pool.len();
    let mut k = best;
    loop {
        pool.push(raw_cell(line, usize::from(words.start[k]), &words.cell[k]));
        if words.next[k] == END {
            break;
        }
        let next = usize::from(words.next[k]);
        if form_feed {
            let end = usize::from(words.start[k]) + usize::from(words.cell[k].len);
            if b[end..usize::from(words.start[next])].contains(&0x0c) {
                pool.truncate(base);
                return None;
            }
        }
        k = next;
    }
    let cells = &pool[base..];
    // The first cell must be separated from the label by a real gap.
    let mut first = 0;
    let (label_part, label_end) = loop {
        let start = cells[first].start;
        let label_part = if first == 0 && best + 1 < tried {
            usize::from(words.gap_start[best])
        } else {
            skip_seps_back(b, start, &mut false)
        };
        if label_part == 0 {
            // The cells start the line.
            break (0, 0);
        }
        let gap = &b[label_part..start];
        if gap.len() >= 2
            || gap.contains(&b'\t')
            || b[..label_part].ends_with(b"..")
            || detached_dollar(&b[start..])
        {
            break (label_part, start);
        }
        // Give the first cell back to the label.
        first += 1;
        if first == cells.len() {
            pool.truncate(base);
            return None;
        }
    };
    if first > 0 {
        pool.drain(base..base + first);
    }
    // The label is the text before the gap, trimmed.
    let indent = space_run(b);
    let label_start = if indent < label_end && b[indent] > b' ' && b[indent] < 0x80 {
        indent
    } else {
        first_non_whitespace(&line[..label_end]).unwrap_or(label_end)
    };
    let label = if label_start < label_part {
        trim_end(&line[label_start..label_part])
    } else {
        ""
    };
    Some((label, label_start))
}

/// The grammar and scan as first written (`&str` parsers, a `Vec` of word
/// starts, cells re-read left to right): the oracle the fast paths are
/// compared with.
#[cfg(test)]
mod reference {
    use super::{MAX_LINE, MAX_WORDS, RawCell, SplitLine};
    use nom::branch::alt;
    use nom::bytes::complete::{tag, take_while};
    use nom::character::complete::{char, digit1};
    use nom::combinator::{opt, recognize};
    use nom::multi::many0;
    use nom::sequence::preceded;
    use nom::{IResult, Parser};
    use rust_decimal::Decimal;

    fn ws(i: &str) -> IResult<&str, &str> {
        take_while(|c: char| c == ' ' || c == '\t').parse(i)
    }

    /// `number = digits ("," digits)* ("." digits)? | "." digits`
    fn number(i: &str) -> IResult<&str, &str> {
        alt((
            recognize((
                digit1,
                many0(preceded(char(','), digit1)),
                opt(preceded(char('.'), digit1)),
            )),
            recognize(preceded(char('.'), digit1)),
        ))
        .parse(i)
    }

    /// `nil = "-" | "--" | "---" | "—" | "–"` (a lone dash, not followed by a digit)
    fn nil(i: &str) -> IResult<&str, &str> {
        alt((
            tag("---"),
            tag("--"),
            tag("-"),
            tag("\u{2014}"),
            tag("\u{2013}"),
        ))
        .parse(i)
    }

    #[derive(Clone, Copy)]
    struct Parsed<'a> {
        digits: &'a str,
        /// Offset of the digits (or nil mark) from the start of the cell input.
        digits_at: usize,
        negative: bool,
        currency: bool,
        percent: bool,
        nil: bool,
    }

    /// One cell, ending at a word boundary.
    fn cell(input: &str) -> IResult<&str, Parsed<'_>> {
        let i = input;
        let (i, dollar1) = opt(char('$')).parse(i)?;
        let (i, _) = ws(i)?;
        let (i, open) = opt(char('(')).parse(i)?;
        let (i, _) = ws(i)?;
        let (i, dollar2) = opt(char('$')).parse(i)?;
        let (i, _) = ws(i)?;
        let before_minus = input.len() - i.len();
        let (i, minus) = opt(alt((char('-'), char('\u{2212}')))).parse(i)?;
        let (i, dollar3) = opt(char('$')).parse(i)?;
        let currency = dollar1.is_some() || dollar2.is_some() || dollar3.is_some();
        // A minus followed by a number is a sign; a lone dash is a nil mark.
        let num = number(i);
        let mut digits_at = input.len() - i.len();
        let (i, digits, is_nil, minus) = match num {
            Ok((rest, d)) => (rest, d, false, minus.is_some()),
            Err(_) if open.is_none() => {
                // nil: "-" was consumed as minus, or an em dash remains.
                if minus.is_some() {
                    let (rest, _) = opt(alt((tag("--"), tag("-")))).parse(i)?;
                    digits_at = before_minus;
                    let mark = &input[before_minus..input.len() - rest.len()];
                    (rest, mark, true, false)
                } else {
                    let (rest, d) = nil(i)?;
                    (rest, d, true, false)
                }
            }
            Err(e) => return Err(e),
        };
        let (i, close) = if open.is_some() {
            let (i, _) = ws(i)?;
            let (i, c) = char(')').parse(i)?;
            (i, Some(c))
        } else {
            (i, None)
        };
        let (i, pct) = opt(preceded(ws, char('%'))).parse(i)?;
        // The cell must end at whitespace or the end of the line.
        if !(i.is_empty() || i.starts_with([' ', '\t'])) {
            return Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::Verify,
            )));
        }
        Ok((
            i,
            Parsed {
                digits,
                digits_at,
                negative: minus || close.is_some(),
                currency,
                percent: pct.is_some(),
                nil: is_nil,
            },
        ))
    }

    /// Cells already parsed at word starts: `parsed[k - lowest]` is the result of
    /// `cell(&line[starts[k]..])` as (rest, cell), when it parsed.
    struct KnownCells<'a, 'p> {
        starts: &'p [usize],
        lowest: usize,
        parsed: &'p [Option<(&'a str, Parsed<'a>)>],
    }

    /// Parses every cell from `line[from..]` to the end; `None` unless all of it
    /// is cells. Cells the right-to-left scan parsed already are reused.
    fn cells_to_end<'a>(
        line: &'a str,
        from: usize,
        known: &KnownCells<'a, '_>,
    ) -> Option<Vec<RawCell>> {
        let mut out = Vec::new();
        let mut pos = from;
        loop {
            let rest = &line[pos..];
            let trimmed = rest.trim_start_matches([' ', '\t']);
            if trimmed.is_empty() {
                break;
            }
            pos += rest.len() - trimmed.len();
            let cached = known
                .starts
                .binary_search(&pos)
                .ok()
                .and_then(|k| k.checked_sub(known.lowest))
                .and_then(|i| known.parsed.get(i).copied().flatten());
            let (after, p) = match cached {
                Some(hit) => hit,
                None => cell(trimmed).ok()?,
            };
            let end = pos + (trimmed.len() - after.len());
            let dstart = pos + p.digits_at;
            let dend = dstart + p.digits.len();
            let text = &line[pos..end];
            let decimals = decimals_of(p.digits);
            let integer = p
                .digits
                .split('.')
                .next()
                .map_or(0, |d| d.bytes().filter(u8::is_ascii_digit).count() as u32);
            let out_of_range =
                !p.nil && (decimals > super::MAX_DECIMALS || integer > super::MAX_INTEGER_DIGITS);
            out.push(RawCell {
                start: pos,
                end: end - (text.len() - text.trim_end().len()),
                digits: (dstart, dend),
                value: if out_of_range {
                    Decimal::ZERO
                } else {
                    to_decimal(p.digits, p.negative, p.nil)
                },
                decimals: if out_of_range { 0 } else { decimals },
                out_of_range,
                currency: p.currency,
                percent: p.percent,
                nil: p.nil,
                year_like: !p.nil
                    && !p.currency
                    && !p.negative
                    && !p.percent
                    && p.digits.len() == 4
                    && matches!(p.digits.parse::<u32>(), Ok(1900..=2100)),
            });
            pos = end;
        }
        if out.is_empty() { None } else { Some(out) }
    }

    pub(super) fn decimals_of(digits: &str) -> u32 {
        digits
            .find('.')
            .map_or(0, |p| (digits.len() - p - 1) as u32)
    }

    pub(super) fn to_decimal(digits: &str, negative: bool, nil: bool) -> Decimal {
        if nil {
            return Decimal::ZERO;
        }
        // Only grouped numbers need a copy without their commas.
        let v = if digits.contains(',') {
            let clean: String = digits.chars().filter(|&c| c != ',').collect();
            clean.parse::<Decimal>()
        } else {
            digits.parse::<Decimal>()
        }
        .unwrap_or(Decimal::ZERO);
        if negative { -v } else { v }
    }

    /// Splits a line into label and trailing cells (see the module grammar).
    /// Returns `None` when the line does not end in values.
    pub(super) fn split_value_line(line: &str) -> Option<SplitLine<'_>> {
        let content_end = line.trim_end().len();
        let line = &line[..content_end];
        // A value line ends in a digit, a closing parenthesis, a percent sign or
        // a nil mark; anything else is text, decided without allocating.
        let last = line.chars().next_back()?;
        if !(last.is_ascii_digit() || matches!(last, ')' | '%' | '-' | '\u{2014}' | '\u{2013}')) {
            return None;
        }
        // Word starts, left to right. The separators are ASCII, so a byte scan
        // finds the same char boundaries as decoding would.
        let mut starts = Vec::with_capacity(32);
        let mut prev_ws = true;
        for (i, &b) in line.as_bytes().iter().enumerate() {
            let is_ws = b == b' ' || b == b'\t' || b == 0x0c;
            if !is_ws && prev_ws {
                starts.push(i);
            }
            prev_ws = is_ws;
        }
        // Table lines are short; a huge line is prose or garbage, and the scan
        // below must stay linear on hostile input.
        if line.len() > MAX_LINE || starts.len() > MAX_WORDS * 8 {
            return None;
        }
        // Right to left, each word start is tried once: it starts a run of
        // cells to the end of the line when one cell parses there and the run
        // continues at the next word after it.
        let n = starts.len();
        let lowest = n.saturating_sub(MAX_WORDS);
        // `runs_to_end[k - lowest]`: a fixed array, as at most MAX_WORDS word
        // starts are tried (plus the end of the line).
        let mut runs_to_end = [false; MAX_WORDS + 1];
        runs_to_end[n - lowest] = true;
        let mut parsed: [Option<(&str, Parsed<'_>)>; MAX_WORDS] = [None; MAX_WORDS];
        let mut best: Option<usize> = None;
        for k in (lowest..n).rev() {
            let s = starts[k];
            if let Ok((rest, p)) = cell(&line[s..]) {
                parsed[k - lowest] = Some((rest, p));
                let end = line.len() - rest.len();
                let next = starts[k + 1..]
                    .iter()
                    .position(|&x| x >= end)
                    .map_or(n, |p| k + 1 + p);
                runs_to_end[k - lowest] = runs_to_end[next - lowest]
                    && line[end..starts.get(next).copied().unwrap_or(line.len())]
                        .trim()
                        .is_empty();
            }
            if runs_to_end[k - lowest] {
                best = Some(k);
            } else if line[s..]
                .split([' ', '\t'])
                .next()
                .is_some_and(|w| w.chars().any(char::is_alphabetic))
            {
                // A word with letters is the label: no cell starts further left.
                break;
            }
        }
        let known = KnownCells {
            starts: &starts,
            lowest,
            parsed: &parsed,
        };
        let best = best.and_then(|k| cells_to_end(line, starts[k], &known).map(|cells| (k, cells)));
        let (mut k, mut cells) = best?;
        // The first cell must be separated from the label by a real gap.
        while k > 0 {
            let label_part = line[..starts[k]].trim_end_matches([' ', '\t', '\u{c}']);
            let gap = &line[label_part.len()..starts[k]];
            let wide_gap = gap.contains('\t')
                || gap.len() >= 2
                || label_part.ends_with("..")
                || super::detached_dollar(&line.as_bytes()[starts[k]..]);
            if wide_gap {
                break;
            }
            // Give the first cell back to the label.
            let first_end = cells[0].end;
            cells.remove(0);
            if cells.is_empty() {
                return None;
            }
            k = starts
                .iter()
                .position(|&s| s >= first_end)
                .unwrap_or(starts.len());
            while k < starts.len() && starts[k] < cells[0].start {
                k += 1;
            }
        }
        let label_end = if k == 0 { 0 } else { starts[k] };
        let raw_label = &line[..label_end];
        let label_start = raw_label
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(label_end);
        let label = raw_label[label_start..].trim_end();
        Some(SplitLine {
            label,
            label_start,
            cells,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_meaningful_marks_are_empty_cells_of_a_row() {
        for mark in ["nm", "NM", "n/m", "n/a", "N/A", "*", "n.m."] {
            let line = format!("Other income, net      (3,381)   (1,961)   (1,420)    {mark}");
            let s = split_row_line(&line).unwrap_or_else(|| panic!("{mark}"));
            assert_eq!(s.label, "Other income, net");
            let v: Vec<String> = s.cells.iter().map(|c| c.value.to_string()).collect();
            assert_eq!(v, ["-3381", "-1961", "-1420"], "{mark}");
        }
        // Between figures, and after a nil mark.
        let s = split_row_line("Other, net\t  12\t  nm\t  (4)\t  --\t  NM").unwrap();
        assert_eq!(s.label, "Other, net");
        assert_eq!(s.cells.len(), 3);
        assert_eq!(s.cells[1].value, Decimal::from(-4));
        // Not a mark: a word of the label, one space after a figure, a
        // line of marks only, prose.
        let s = split_row_line("Revenue, nm basis     100    200").unwrap();
        assert_eq!(s.label, "Revenue, nm basis");
        // A mark between figures: the line is read again with it blanked,
        // and only the second reading's cells are kept.
        let s = split_row_line("Revenue      100   nm   200").unwrap();
        assert_eq!(s.label, "Revenue");
        let v: Vec<String> = s.cells.iter().map(|c| c.value.to_string()).collect();
        assert_eq!(v, ["100", "200"]);
        // Read into a list shared with other lines, as `split_row_line`
        // reads into a list of its own.
        for line in [
            "Other income, net      (3,381)   (1,961)   (1,420)    nm",
            "Other, net\t  12\t  nm\t  (4)\t  --\t  NM",
            "Revenue, nm basis     100    200",
            "Revenue      100 nm",
            "Revenue      nm     n/a",
            "   12     nm",
            "Sales     100  nm   200   nm",
            // Read once with a cell (`200`), then again with two.
            "Revenue      100   nm   200",
        ] {
            crate::parse::cell::equivalence::assert_into_a_shared_list(
                line,
                split_row_line(line),
                split_row_line_into,
            );
        }
        assert!(split_row_line("Revenue      100 nm").is_none());
        assert!(split_row_line("Revenue      nm     n/a").is_none());
        // No label.
        let s = split_row_line("   12     nm").unwrap();
        assert_eq!((s.label, s.cells.len()), ("", 1));
        assert!(split_row_line("The change was not meaningful, or nm").is_none());
        assert_eq!(
            split_row_line("Revenue      100    200"),
            split_value_line("Revenue      100    200")
        );
    }

    fn values(line: &str) -> Vec<String> {
        split_value_line(line)
            .map(|s| s.cells.iter().map(|c| c.value.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn accounting_negatives_and_currency() {
        let s = split_value_line(
            "     Net loss                           ($3,904)  ($107,151)  ($5,131)",
        )
        .unwrap();
        assert_eq!(s.label, "Net loss");
        assert_eq!(
            values("     Net loss          ($3,904)  ($107,151)  ($5,131)"),
            ["-3904", "-107151", "-5131"]
        );
        assert!(s.cells[0].currency);
        assert_eq!(
            values("Net revenue      $ 52,686  $   53,205  $ 27,563"),
            ["52686", "53205", "27563"]
        );
        assert_eq!(values("EPS       $(1.50)   $ (0.12)"), ["-1.50", "-0.12"]);
        assert_eq!(values("Operating loss    -3,750    −12"), ["-3750", "-12"]);
        assert_eq!(values("Gain          ( 3,750 )   12"), ["-3750", "12"]);
    }

    #[test]
    fn nil_marks_are_zero() {
        let s = split_value_line("Realized loss          -         360         -").unwrap();
        assert_eq!(s.cells.len(), 3);
        assert!(s.cells[0].nil && s.cells[2].nil);
        assert_eq!(
            values("Other     --    —    $    -   5"),
            ["0", "0", "0", "5"]
        );
    }

    #[test]
    fn percentages_and_decimals() {
        let s = split_value_line("Gross margin        45.2%     44.0 %").unwrap();
        assert!(s.cells[0].percent && s.cells[1].percent);
        assert_eq!(s.cells[0].decimals, 1);
    }

    #[test]
    fn prose_is_not_a_row() {
        assert!(
            split_value_line("quarter of 2005 was $52.7 million compared with $53.2").is_none()
        );
        assert!(
            split_value_line(
                "    --  Revenues of $22.2 million for the quarter ended September 30,"
            )
            .is_none()
        );
        assert!(split_value_line("Exchange Act of 1934.").is_none());
    }

    #[test]
    fn digits_give_alignment_anchor() {
        let line = "Operating loss   (3,750)";
        let s = split_value_line(line).unwrap();
        let (a, b) = s.cells[0].digits;
        assert_eq!(&line[a..b], "3,750");
    }

    #[test]
    fn unusual_numbers_keep_their_reading() {
        // Groups are not held to three digits; a bare fraction is a number.
        assert_eq!(
            values("Ratio     1,23    .5   0.00"),
            ["123", "0.5", "0.00"]
        );
        // A dangling comma is no number, so `1,` joins the label.
        let s = split_value_line("Bad     1,  2").unwrap();
        assert_eq!((s.label, s.cells.len()), ("Bad     1,", 1));
        // Past 15 digits before the point or 17 after, a figure is out of
        // range: its value is not read (zero), and it says so.
        let s =
            split_value_line("Big    123456789012345678901234567890   1234567890123456").unwrap();
        assert!(s.cells.iter().all(|c| c.out_of_range && c.value.is_zero()));
        let s = split_value_line("Fits    123456789012345.12345678901234567").unwrap();
        assert!(!s.cells[0].out_of_range);
        assert_eq!(s.cells[0].decimals, 17);
        assert_eq!(values("Neg    (0.50)   -0"), ["-0.50", "-0"]);
        let s = split_value_line("Tiny     .000000000000000000001").unwrap();
        assert!(s.cells[0].out_of_range);
        assert_eq!(s.cells[0].decimals, 0);
    }

    #[test]
    fn non_ascii_text_and_separators() {
        // Minus sign, en and em dashes are cells; letters beyond ASCII are
        // a label.
        assert_eq!(values("Écart      −1,5   –   —"), ["-15", "0", "0"]);
        assert_eq!(values("Straße 1   2"), ["2"]);
        assert!(split_value_line("Umsatz  Ä1   Ö2").is_none());
        // A no-break space is neither a gap nor part of a cell.
        assert!(split_value_line("Sales\u{a0}\u{a0}12").is_none());
        // A tab is a gap; a form feed separates words but ends a run of cells.
        assert_eq!(values("Sales\t12\t13"), ["12", "13"]);
        assert!(split_value_line("Sales   12 \u{c} 13").is_none());
        assert_eq!(values("Sales \u{c}  12   13"), ["12", "13"]);
        assert!(split_value_line("Sales   12\u{c}13").is_none());
    }

    #[test]
    fn a_single_space_gives_the_first_cell_back() {
        let s = split_value_line("Note 3  12   14").unwrap();
        assert_eq!(s.label, "Note 3");
        assert_eq!(s.cells.len(), 2);
        let s = split_value_line("   12 14").unwrap();
        assert_eq!((s.label, s.label_start, s.cells.len()), ("", 0, 2));
        assert!(split_value_line("Page 3").is_none());
        // A detached dollar sign ends the label even one space after it.
        let s = split_value_line("Product revenue $      3,393   $1,959").unwrap();
        assert_eq!((s.label, s.cells.len()), ("Product revenue", 2));
        assert_eq!(s.cells[0].value, Decimal::from(3393));
        let s = split_value_line("  Net loss $        (589)   $ (758)").unwrap();
        assert_eq!((s.label, s.cells.len()), ("Net loss", 2));
        // A dollar sign printed against its figure does not.
        let s = split_value_line("Paid in cash $3,393   1,959").unwrap();
        assert_eq!((s.label, s.cells.len()), ("Paid in cash $3,393", 1));
    }

    #[test]
    fn years_are_flagged() {
        let s = split_value_line("          2006        2005      2005").unwrap();
        assert!(s.label.is_empty());
        assert!(s.cells.iter().all(|c| c.year_like));
    }
}

#[cfg(test)]
mod equivalence {
    use super::*;

    /// Everything `split_value_line` returns, with values compared by their
    /// exact representation (`1.50` is not `1.5`).
    fn outcome(s: Option<SplitLine<'_>>) -> Option<(String, usize, Vec<String>)> {
        s.map(|s| {
            let cells = s
                .cells
                .iter()
                .map(|c| format!("{c:?} {:?} {}", c.value.serialize(), c.value))
                .collect();
            (s.label.to_string(), s.label_start, cells)
        })
    }

    fn check(line: &str) {
        let split = split_value_line(line);
        assert_eq!(
            outcome(split.clone()),
            outcome(reference::split_value_line(line)),
            "line {line:?}"
        );
        assert_into_a_shared_list(line, split, split_value_line_into);
    }

    /// Read into a list that already holds another line's cells, `line`
    /// leaves them as they are and adds its own after them (none when it
    /// is not a value line), with the label `split` has.
    pub(super) fn assert_into_a_shared_list(
        line: &str,
        split: Option<SplitLine<'_>>,
        into: SplitInto,
    ) {
        let before = split_value_line("Sales    1,234   (56)").unwrap().cells;
        let mut list = before.clone();
        let got = into(line, &mut list);
        assert_eq!(list[..before.len()], before[..], "line {line:?}");
        assert_eq!(
            got,
            split.as_ref().map(|s| (s.label, s.label_start)),
            "line {line:?}"
        );
        let cells = split.as_ref().map_or(&[][..], |s| &s.cells[..]);
        assert_eq!(&list[before.len()..], cells, "line {line:?}");
    }

    /// xorshift64*: deterministic test input without a dependency.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
        }
        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.below(from.len())]
        }
    }

    const TOKENS: &[&str] = &[
        "Net",
        "revenue",
        "a",
        "é",
        "Total:",
        "..",
        "...",
        "(a)",
        "1",
        "12",
        "2006",
        "1900",
        "2100",
        "2101",
        "0206",
        "1,234",
        "1,23",
        "1,2345",
        "12,345,678",
        "1.5",
        ".5",
        "0.00",
        "1,234.56",
        "5.",
        "1,",
        "1,.5",
        "1.2.3",
        "1..2",
        "$",
        "(",
        ")",
        "%",
        "-",
        "--",
        "---",
        "----",
        "—",
        "–",
        "−",
        "$(",
        "($",
        "-$",
        "$-",
        "-$-",
        "−$",
        "$—",
        ",",
        ".",
        "(1)",
        "(1,234)",
        "($1.50)",
        "$(1.50)",
        "45.2%",
        "44.0 %",
        "-3,750",
        "−12",
        "-.5",
        "(-5)",
        "( 3,750 )",
        "$ 52,686",
        "$  (0.12)",
        "$      1,197",
        "$\t\t(589)",
        "$   -",
        "(0)",
        "-0",
        "-0.00",
        "\u{a0}",
        "Ä",
        "x1",
        "1x",
        "1%%",
        "%1",
        "12)",
        "(12",
        "$$",
        "$$$-",
        "−−",
        "—1",
        "1—",
        "\u{2212}$5",
        "123456789012345678",
        "1234567890123456789",
        "99999999999999999999",
        "0.000000000000000001",
        "123456789012345678901234567890",
        "1,234,567,890,123,456,789,012.345678",
        ".12345678901234567890123456789012",
        "0000000000000000000000000000001",
    ];
    const GAPS: &[&str] = &[
        "",
        " ",
        " ",
        "  ",
        "  ",
        "   ",
        "      ",
        "\t",
        " \t",
        "\u{c}",
        " \u{c} ",
        "  \u{c}",
        "\r",
        "\u{a0}",
        " \u{2003} ",
    ];

    #[test]
    fn same_results_as_the_reference_on_generated_lines() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let rounds = if cfg!(debug_assertions) {
            20_000
        } else {
            200_000
        };
        let mut line = String::new();
        for _ in 0..rounds {
            line.clear();
            if rng.below(2) == 0 {
                line.push_str(rng.pick(&[
                    "",
                    " ",
                    "    ",
                    "\t",
                    "\u{c}",
                    "\r",
                    "\u{a0}",
                    " \u{2003}",
                    "\u{85}",
                ]));
            }
            for _ in 0..1 + rng.below(9) {
                line.push_str(rng.pick(TOKENS));
                line.push_str(rng.pick(GAPS));
            }
            if rng.below(4) == 0 {
                line.push_str(rng.pick(&[" ", "  ", "\u{a0}", "\r\n", "\u{c}"]));
            }
            check(&line);
        }
    }

    #[test]
    fn same_results_as_the_reference_on_short_strings() {
        // Every string of up to five characters from a small alphabet, after
        // a label and a gap.
        const ALPHABET: &[&str] = &[
            "1", "0", ",", ".", "$", "(", ")", "%", "-", "—", "−", " ", "\t", "\u{c}", "a",
        ];
        fn all(prefix: &mut String, depth: usize) {
            for l in ["", "Sales  "] {
                check(&format!("{l}{prefix}"));
            }
            if depth == 0 {
                return;
            }
            for c in ALPHABET {
                let len = prefix.len();
                prefix.push_str(c);
                all(prefix, depth - 1);
                prefix.truncate(len);
            }
        }
        let depth = if cfg!(debug_assertions) { 4 } else { 5 };
        all(&mut String::new(), depth);
    }

    #[test]
    fn same_results_as_the_reference_on_long_and_wide_lines() {
        let many = "1 ".repeat(60);
        let prose = "word ".repeat(200) + "  12";
        let cells = "  1,234".repeat(400);
        for line in [
            many.as_str(),
            many.trim_end(),
            prose.as_str(),
            cells.as_str(),
            &format!("Label{cells}"),
            &"9 ".repeat(385),
            &"9 ".repeat(384),
            &("x".repeat(3_990) + "  12"),
            &("x".repeat(4_000) + "  12"),
        ] {
            check(line);
        }
    }

    #[test]
    fn words_found_eight_bytes_at_a_time() {
        let mut rng = Rng(11);
        const BYTES: &[u8] = b"ab1 \t\x0c\x0b\r\x00\x80\xff\x20\x2c\x8c\x89\xa0";
        let mut b = Vec::new();
        for _ in 0..20_000 {
            b.clear();
            for _ in 0..rng.below(20) {
                b.push(BYTES[rng.below(BYTES.len())]);
            }
            for at in 0..=b.len() {
                let mut slow = at;
                while slow > 0 && !is_sep(b[slow - 1]) {
                    slow -= 1;
                }
                assert_eq!(word_start(&b, at), slow, "{b:?} {at}");
                let (mut ff, mut ff_slow) = (false, false);
                let mut end = at;
                while end > 0 && is_sep(b[end - 1]) {
                    ff_slow |= b[end - 1] == 0x0c;
                    end -= 1;
                }
                assert_eq!(skip_seps_back(&b, at, &mut ff), end, "{b:?} {at}");
                assert_eq!(ff, ff_slow, "{b:?} {at}");
            }
        }
    }

    #[test]
    fn byte_trims_match_the_standard_ones() {
        let mut rng = Rng(7);
        const PIECES: &[&str] = &[
            " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{1c}", "\u{85}", "\u{a0}", "\u{2003}",
            "\u{3000}", "a", "é", "1", "—",
        ];
        let mut s = String::new();
        for _ in 0..20_000 {
            s.clear();
            for _ in 0..rng.below(7) {
                s.push_str(rng.pick(PIECES));
            }
            assert_eq!(trim_end(&s), s.trim_end(), "{s:?}");
            assert_eq!(
                first_non_whitespace(&s),
                s.find(|c: char| !c.is_whitespace()),
                "{s:?}"
            );
        }
    }

    #[test]
    fn fast_path_decides_as_the_grammar_does() {
        // Every string of up to five symbols (six in release builds).
        const ALPHABET: &[&str] = &[
            "1", "0", ",", ".", "$", "(", ")", "%", "-", " ", "\t", "a", "\u{2212}", "\u{2014}",
        ];
        fn all(text: &mut Vec<u8>, depth: usize, decided: &mut usize) {
            if !text.is_empty() && !is_sep(text[0]) {
                let nom = cell(text).ok().map(|(_, p)| p);
                if let Some(fast) = money_cell(text, None) {
                    *decided += 1;
                    assert_eq!(fast, nom, "{:?}", String::from_utf8_lossy(text));
                }
                assert_eq!(
                    cell_at(text, 0, None),
                    nom,
                    "{:?}",
                    String::from_utf8_lossy(text)
                );
                // With the extent of each gap given.
                for from in 1..text.len() {
                    if matches!(text[from - 1], b' ' | b'\t') {
                        continue;
                    }
                    let gap = Some((from, from + space_run(&text[from..])));
                    if let Some(fast) = money_cell(text, gap) {
                        assert_eq!(fast, nom, "{:?} {gap:?}", String::from_utf8_lossy(text));
                    }
                }
            }
            if depth == 0 {
                return;
            }
            for c in ALPHABET {
                text.extend_from_slice(c.as_bytes());
                all(text, depth - 1, decided);
                text.truncate(text.len() - c.len());
            }
        }
        let depth = if cfg!(debug_assertions) { 5 } else { 6 };
        let mut decided = 0;
        all(&mut Vec::new(), depth, &mut decided);
        assert!(decided > 100_000);
    }

    #[test]
    fn space_runs_counted_eight_at_a_time() {
        let mut rng = Rng(5);
        let mut b = Vec::new();
        for _ in 0..20_000 {
            b.clear();
            for _ in 0..rng.below(24) {
                b.push(*b"   \t\x0ca\x00\xa0"[..].get(rng.below(8)).unwrap_or(&b' '));
            }
            for from in 0..=b.len() {
                let slow = b[from..]
                    .iter()
                    .take_while(|&&c| c == b' ' || c == b'\t')
                    .count();
                assert_eq!(space_run(&b[from..]), slow, "{b:?} {from}");
            }
        }
    }

    #[test]
    fn values_are_built_as_parsing_the_digits_would() {
        let mut rng = Rng(42);
        let mut digits = String::new();
        for _ in 0..50_000 {
            digits.clear();
            let groups = rng.below(8);
            if groups == 0 {
                digits.push('.');
            }
            for g in 0..groups.max(1) {
                if g > 0 {
                    digits.push(',');
                }
                for _ in 0..1 + rng.below(if g == 0 { 6 } else { 4 }) {
                    digits.push(char::from(b'0' + rng.below(10) as u8));
                }
            }
            if groups > 0 && rng.below(2) == 0 {
                digits.push('.');
                for _ in 0..1 + rng.below(12) {
                    digits.push(char::from(b'0' + rng.below(10) as u8));
                }
            }
            for negative in [false, true] {
                let (mantissa, digit_count, decimals) = read_number(digits.as_bytes());
                let p = Parsed {
                    mantissa,
                    digit_count,
                    decimals,
                    negative,
                    ..Parsed::NONE
                };
                let value = number_value(&p, &digits, (0, digits.len()));
                let slow = reference::to_decimal(&digits, negative, false);
                assert_eq!(value.serialize(), slow.serialize(), "{digits}");
                assert_eq!(
                    u32::from(decimals),
                    reference::decimals_of(&digits),
                    "{digits}"
                );
            }
        }
    }

    /// `exceeds_row_limits` as first written: word starts counted byte by
    /// byte at ASCII blanks.
    fn exceeds_row_limits_by_bytes(line: &str) -> Option<usize> {
        exceeds_row_limits_with(line, |line| {
            let b = line.as_bytes();
            let blank = |c: u8| c.is_ascii_whitespace();
            let starts = usize::from(!blank(b[0]))
                + b.iter()
                    .zip(&b[1..])
                    .filter(|&(&x, &y)| blank(x) && !blank(y))
                    .count();
            starts <= MAX_WORDS
        })
    }

    proptest::proptest! {
        /// Bounding the figures by a count of words (any whitespace, eight
        /// bytes at a time) answers as the byte-by-byte count of word
        /// starts did: rows around the limits, with vertical tabs and
        /// no-break spaces, which split words in one count and not in the
        /// other.
        #[test]
        fn the_word_bound_reports_the_rows_the_byte_count_did(
            words in proptest::collection::vec(
                (
                    proptest::prop_oneof![
                        30 => proptest::sample::select(vec!["1,234", "(56)", "7%", "0.5"]),
                        1 => proptest::sample::select(vec!["Revenue", "-", "n/a", "x\u{a0}9", "8\u{b}9"]),
                    ],
                    proptest::prop_oneof![
                        20 => proptest::sample::select(vec![" ", "  ", "\t", "    "]),
                        1 => proptest::sample::select(vec!["\u{b}", "\u{a0}"]),
                    ],
                ),
                40..60,
            ),
            last in proptest::sample::select(vec!["12", "(3)", "4%", "x"]),
        ) {
            let mut line: String = words.iter().flat_map(|(w, sep)| [*w, *sep]).collect();
            line.push_str(last);
            proptest::prop_assert_eq!(
                exceeds_row_limits(&line),
                exceeds_row_limits_by_bytes(&line),
                "{:?}", line
            );
        }
    }
}
