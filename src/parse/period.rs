//! Dates and period phrases in column headers.
//!
//! ```text
//! header_text = (annotation | duration | date | year | word)*
//! annotation  = "(" [^)]* ")"                      (unaudited), (As Restated)
//! duration    = count ws unit ws ("ended" | "ending")?
//!             | ("quarter" | "fiscal year" | "year") ws ("ended" | "ending")
//! count       = digits | number_word                3, Three, Twenty-Six, Fifty-Two
//! unit        = "months" | "month" | "mos." | "weeks" | "week"
//! date        = month "."? ws day ","? ws year      March 31, 2006 / Sept. 30, 2003
//!             | month ws year                       December 2004 (the month's last day)
//!             | month "."? ws day ","?              with a standalone year elsewhere
//! ```
//!
//! The header text of a column is its stacked header pieces joined by spaces
//! (`Three Months Ended(a) March 31, 2006`); [`column_period`] reads it.

use chrono::{Datelike, Days, Months, NaiveDate};
use nom::branch::alt;
use nom::bytes::complete::{tag_no_case, take_while_m_n, take_while1};
use nom::character::complete::{char, multispace0, multispace1};
use nom::combinator::{map_res, opt};
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

/// `month = full name | abbreviation "."?`
pub fn month(i: &str) -> IResult<&str, u32> {
    // Every name starts with one of these letters: reject other words
    // before running the parser.
    if !i
        .as_bytes()
        .first()
        .is_some_and(|b| b"jfmasondJFMASOND".contains(b))
    {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Tag,
        )));
    }
    let (rest, word) = take_while1(|c: char| c.is_ascii_alphabetic()).parse(i)?;
    // Names are lowercase ASCII: compare without allocating a lowercased copy.
    match MONTHS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
    {
        Some(&(_, m)) => {
            let (rest, _) = opt(char('.')).parse(rest)?;
            Ok((rest, m))
        }
        None => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Tag,
        ))),
    }
}

fn day(i: &str) -> IResult<&str, u32> {
    let (rest, d) = map_res(
        take_while_m_n(1, 2, |c: char| c.is_ascii_digit()),
        str::parse::<u32>,
    )
    .parse(i)?;
    if rest.starts_with(|c: char| c.is_ascii_digit()) || !(1..=31).contains(&d) {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Digit,
        )));
    }
    Ok((rest, d))
}

/// `year = 19dd | 20dd` not followed by another digit.
pub fn year(i: &str) -> IResult<&str, i32> {
    let (rest, y) = map_res(
        take_while_m_n(4, 4, |c: char| c.is_ascii_digit()),
        str::parse::<i32>,
    )
    .parse(i)?;
    if rest.starts_with(|c: char| c.is_ascii_digit()) || !(1900..=2100).contains(&y) {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Digit,
        )));
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

/// `date = month ws day ","? (ws year)? | month ","? ws year`
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

fn count(i: &str) -> IResult<&str, u32> {
    let (rest, word) = take_while1(|c: char| c.is_ascii_alphanumeric() || c == '-').parse(i)?;
    let n = word.parse::<u32>().ok().or_else(|| {
        NUMBER_WORDS
            .iter()
            .find(|(w, _)| w.eq_ignore_ascii_case(word))
            .map(|p| p.1)
    });
    match n {
        Some(n) if (1..=60).contains(&n) => Ok((rest, n)),
        _ => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Digit,
        ))),
    }
}

/// `duration = count ws unit | "quarter" | "fiscal year" | "year"`, followed
/// by "ended" / "ending" / "to date" or the end of the phrase.
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

/// Header words that say nothing about a column's member.
const FILLER_WORDS: [&str; 30] = [
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

/// Word starts of `text` (positions after whitespace or punctuation).
fn word_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut prev_alnum = false;
    text.char_indices().filter_map(move |(i, c)| {
        let alnum = c.is_alphanumeric();
        let start = alnum && !prev_alnum;
        prev_alnum = alnum || c == '-';
        start.then_some(i)
    })
}

/// Reads a column's stacked header text.
pub fn column_period(text: &str) -> ColumnHeader {
    // Annotations are parenthesised words; footnote markers `(a)` are dropped.
    let mut annotations = Vec::new();
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        plain.push_str(&rest[..open]);
        plain.push(' ');
        match rest[open..].find(')') {
            Some(close) => {
                let inner = rest[open + 1..open + close].trim();
                if inner.len() > 2 {
                    annotations.push(format!("({inner})"));
                }
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open + 1..];
            }
        }
    }
    plain.push_str(rest);
    let lower = plain.as_bytes();

    let kind = if lower.contains(&b'%') || contains_ignore_ascii_case(lower, b"percent") {
        ColumnKind::Percent
    } else if [
        &b"change"[..],
        b"increase",
        b"decrease",
        b"variance",
        b"inc.",
        b"dec.",
    ]
    .iter()
    .any(|w| contains_ignore_ascii_case(lower, w))
    {
        ColumnKind::Change
    } else {
        ColumnKind::Period
    };

    let mut length = None;
    let mut dates = Vec::new();
    let mut years = Vec::new();
    let mut skip_to = 0;
    let mut member_words: Vec<&str> = Vec::new();
    for start in word_starts(&plain) {
        if start < skip_to {
            continue;
        }
        let s = &plain[start..];
        // Durations start with a count or a period word, dates with a month
        // name and years with a digit: a word that cannot start one is not
        // parsed for it.
        let first = s.as_bytes()[0];
        if length.is_none()
            && (count(s).is_ok()
                || ["quarter", "qtr.", "fiscal", "year"]
                    .iter()
                    .any(|w| starts_with_ignore_ascii_case(s.as_bytes(), w.as_bytes())))
            && let Ok((r, l)) = duration(s)
        {
            length = Some(l);
            skip_to = plain.len() - r.len();
            continue;
        }
        if first.is_ascii_alphabetic()
            && let Ok((r, d)) = date(s)
        {
            dates.push(d);
            skip_to = plain.len() - r.len();
            continue;
        }
        if first.is_ascii_digit()
            && let Ok((r, y)) = year(s)
        {
            years.push(y);
            skip_to = plain.len() - r.len();
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
            member_words.push(word);
        }
    }

    let mut header = ColumnHeader {
        kind,
        period: None,
        annotations,
        member: (!member_words.is_empty()).then(|| member_words.join(" ")),
        problem: None,
    };
    if kind != ColumnKind::Period {
        return header;
    }
    // A standalone year picks among several dates (`July 3, 2004 and June
    // 28, 2003` over a `2004` column) and completes a date without one.
    let own_year = years.last().copied();
    let chosen = match (dates.len(), own_year) {
        (0, _) => None,
        (1, y) => Some((dates[0], dates[0].year.or(y))),
        (_, Some(y)) => dates
            .iter()
            .find(|d| d.year == Some(y))
            .or_else(|| dates.iter().find(|d| d.year.is_none()))
            .map(|d| (*d, Some(y))),
        (_, None) => Some((dates[0], dates[0].year)),
    };
    let end = match chosen {
        Some((d, Some(y))) => d.resolve(y),
        _ => None,
    };
    match end {
        None => {
            header.problem = Some(if dates.is_empty() && years.is_empty() {
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
    if names_a_period(bytes) {
        return true;
    }
    // A year starts with a digit and a date with a month name: other word
    // starts need no parsing.
    word_starts(text).any(|s| match bytes[s] {
        b'0'..=b'9' => year(&text[s..]).is_ok(),
        b if b.is_ascii_alphabetic() => date(&text[s..]).is_ok(),
        _ => false,
    })
}

/// Does `text` contain, ignoring ASCII case, one of the period words:
/// `(unaudited)`, `restated`, ` ended`, `ending`, `months`, `weeks`,
/// `quarter`, `year`, `as of`, `change` or `%`? One pass, dispatching on
/// the byte each word starts with.
fn names_a_period(text: &[u8]) -> bool {
    let at = |i: usize, w: &[u8]| {
        text.get(i + 1..i + w.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(&w[1..]))
    };
    (0..text.len()).any(|i| match text[i].to_ascii_lowercase() {
        b'%' => true,
        b'(' => at(i, b"(unaudited)"),
        b'r' => at(i, b"restated"),
        b'e' => (i > 0 && text[i - 1] == b' ' && at(i, b"ended")) || at(i, b"ending"),
        b'm' => at(i, b"months"),
        b'w' => at(i, b"weeks"),
        b'q' => at(i, b"quarter"),
        b'y' => at(i, b"year"),
        b'a' => at(i, b"as of"),
        b'c' => at(i, b"change"),
        _ => false,
    })
}

/// `hay` starts with `prefix` (lowercase ASCII), ignoring ASCII case.
pub(crate) fn starts_with_ignore_ascii_case(hay: &[u8], prefix: &[u8]) -> bool {
    hay.get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

/// `hay` contains `needle` (lowercase ASCII), ignoring ASCII case.
pub(crate) fn contains_ignore_ascii_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let last_start = match hay.len().checked_sub(needle.len()) {
        Some(l) => l,
        None => return false,
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &hay[..=last_start])
        .any(|i| hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
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
    }

    #[test]
    fn odd_fiscal_quarter_start() {
        let s = duration_start(ymd(2005, 4, 1), PeriodLength::Months(3)).unwrap();
        assert_eq!(s, ymd(2005, 1, 2));
    }
}
