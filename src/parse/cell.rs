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
//! number     = digits ("," digit{3})* ("." digits)? | "." digits
//! ```
//!
//! Cells are found from the right end of the line: the longest run of words
//! that parses as cells, whose first cell is separated from the label by a
//! gap of two or more columns. A narrative line ending in `$53.2` after a
//! single space is therefore prose, not a row.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while};
use nom::character::complete::{char, digit1};
use nom::combinator::{opt, recognize};
use nom::multi::many0;
use nom::sequence::preceded;
use nom::{IResult, Parser};
use rust_decimal::Decimal;

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
}

fn ws(i: &str) -> IResult<&str, &str> {
    take_while(|c: char| c == ' ' || c == '\t').parse(i)
}

/// `number = digits ("," digit{3})* ("." digits)? | "." digits`
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
        out.push(RawCell {
            start: pos,
            end: end - (text.len() - text.trim_end().len()),
            digits: (dstart, dend),
            value: to_decimal(p.digits, p.negative, p.nil),
            decimals: decimals_of(p.digits),
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

fn decimals_of(digits: &str) -> u32 {
    digits
        .find('.')
        .map_or(0, |p| (digits.len() - p - 1) as u32)
}

fn to_decimal(digits: &str, negative: bool, nil: bool) -> Decimal {
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

/// A line split into label and cells.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitLine<'a> {
    /// The label text, trimmed; empty when the line holds only values.
    pub label: &'a str,
    /// Byte index of the label's first character in the line.
    pub label_start: usize,
    pub cells: Vec<RawCell>,
}

/// Splits a line into label and trailing cells (see the module grammar).
/// Returns `None` when the line does not end in values.
pub fn split_value_line(line: &str) -> Option<SplitLine<'_>> {
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
        let wide_gap = gap.contains('\t') || gap.len() >= 2 || label_part.ends_with("..");
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn years_are_flagged() {
        let s = split_value_line("          2006        2005      2005").unwrap();
        assert!(s.label.is_empty());
        assert!(s.cells.iter().all(|c| c.year_like));
    }
}
