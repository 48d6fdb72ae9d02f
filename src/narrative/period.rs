//! Period phrases in narrative text and their resolution to table periods.
//!
//! [`find_periods`] reads phrases such as "the first quarter of 2006",
//! "Q4 2005", "the quarter ended September 30, 2003", "the first nine months
//! of fiscal 2003", "fiscal 2025" or "the year-ago quarter". [`resolve`] maps a
//! phrase to one of the duration periods the document's own tables print.
//!
//! # Phrase grammar (over lowercase words; hyphens split words)
//!
//! ```text
//! phrase     ::= ["the"] (ended | quarter | q_form | ytd | year | same | relative | bare_year)
//! ended      ::= (["fiscal"] "quarter" | count "months" | count "weeks"
//!                 | ["fiscal"] "year") ["period"] ("ended" | "ending") date
//! quarter    ::= ordinal ["fiscal"] "quarter" (("ended" | "ending") date
//!                 | ["of"] ["fiscal" ["year"]] year)?
//!              | ["fiscal"] year ["fiscal"] (ordinal "quarter" | "q1".."q4")
//! q_form     ::= ["fiscal"] "q1".."q4" [["fiscal" | "fy"] year]
//! ytd        ::= "first" (count "months" | "half") ["of" ["fiscal"] year]
//! year       ::= "fiscal" ["year"] year | "full" ["fiscal"] "year" year
//!              | year ("fiscal" | "full") "year" | "calendar" ["year"] year
//! bare_year  ::= year                  (right after "in", "for" or "during")
//! same       ::= ("same" | "comparable" | "corresponding") ("period" | "quarter")
//!                ("of" | "in") ["fiscal"] year
//! relative   ::= "last quarter" | "previous quarter" | "sequential" ...
//!              | "year ago quarter" | "same quarter last year" | ...
//!              | "prior year" | "last year" | "this quarter" | "the quarter" ...
//! ordinal    ::= "first" | "second" | "third" | "fourth" | "1st" .. "4th"
//! year       ::= 1990..2100 | "fy" digits | "'" two digits
//! ```
//!
//! # Resolution
//!
//! The document's fiscal calendar is the set of duration periods its tables
//! print. The fiscal year's first month is read from the longest
//! year-to-date duration in that calendar (a nine-month column starting in
//! January, a 26-week column starting early February); without one,
//! quarters are calendar quarters. Fiscal years are named the way filers
//! name them: a calendar year, or a retail year starting in February, is
//! named after the calendar year it starts in (a retailer's fiscal 2012 runs
//! February 2012 to January 2013); a year starting in March to December
//! after the year it ends in (fiscal 2026 runs April 2025 to March 2026, or
//! July 2025 to June 2026). Quarter `n` of `Y` is the three-month (or 12 to
//! 14 week) duration ending within 15 days of the last day of its month, so
//! 52/53-week years resolve.
//!
//! Relative phrases are relative to a *reference* period when the caller
//! has one ([`resolve_in`]): a compared figure's reference is the period of
//! the claim it is compared with, a change's base is relative to the
//! changing claim's period. "A year ago", "last year", "the prior year" and
//! "the year-ago quarter" then mean the period of the reference's length
//! ending a year before it (after a quarter, "last year" is the year-ago
//! quarter; after a nine-month figure, the prior nine months); "in 2024" and
//! "the same period of 2024" mean the reference's period in fiscal 2024 (a
//! full year after a full-year figure); "the prior quarter" is the quarter
//! before a quarter reference. Without a reference, relative phrases are
//! relative to the anchor, the current reporting period, and a bare year is
//! that fiscal year. A phrase that matches no printed period
//! resolves to `None`: the claim cannot be verified, which is not an error.

use chrono::{Datelike, Months, NaiveDate};
use rustc_hash::FxHashMap;

use crate::ast::{Period, PeriodLength};
use crate::narrative::mention::parse_date;
use crate::parse::source::any_ascii_word_with;

/// A period as the narrative states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeriodPhrase {
    /// "first quarter of 2006", "Q4 2005", "fourth quarter", "third quarter of
    /// fiscal 2026".
    Quarter {
        n: u8,
        year: Option<i32>,
        fiscal: bool,
    },
    /// "the quarter ended September 30, 2003".
    QuarterEnded(NaiveDate),
    /// "nine months ended September 30, 2003".
    MonthsEnded { months: u32, end: NaiveDate },
    /// "13 weeks ended July 3, 2004".
    WeeksEnded { weeks: u32, end: NaiveDate },
    /// "first nine months of fiscal 2003", "first half of 2005".
    YearToDate {
        months: u32,
        year: Option<i32>,
        fiscal: bool,
    },
    /// "fiscal 2025", "full year 2025".
    Year { year: i32, fiscal: bool },
    /// "the year ended December 31, 2005".
    YearEnded(NaiveDate),
    /// "at June 30, 2008", "as of March 31, 2026": a balance sheet date.
    AsOf(NaiveDate),
    /// "last quarter", "the previous quarter", "sequential".
    PriorQuarter,
    /// "year-ago quarter", "same quarter last year", "prior year quarter".
    YearAgoQuarter,
    /// "prior year", "last year".
    PriorYear,
    /// "the quarter", "this quarter", "the current quarter".
    CurrentQuarter,
    /// "the current year", "this year".
    CurrentYear,
    /// A year alone after "in", "for" or "during" ("compared with $1.9
    /// million for 2024"): the reference's period in that fiscal year, else
    /// the fiscal year.
    BareYear(i32),
    /// "the same period of 2024", "the comparable quarter in 2024": the
    /// reference's period in that fiscal year.
    SamePeriodOf(i32),
}

impl PeriodPhrase {
    /// True for phrases whose meaning depends on a reference period
    /// ("last year", "in 2024", "the same period of 2024").
    pub fn is_contextual(&self) -> bool {
        matches!(
            self,
            PeriodPhrase::PriorQuarter
                | PeriodPhrase::YearAgoQuarter
                | PeriodPhrase::PriorYear
                | PeriodPhrase::BareYear(_)
                | PeriodPhrase::SamePeriodOf(_)
        )
    }
}

/// A period phrase found in text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodHit {
    pub phrase: PeriodPhrase,
    /// Byte range in the text passed to [`find_periods`], a leading "the"
    /// included.
    pub range: (usize, usize),
}

/// A word of the text: its byte range and lowercase form (a slice of the
/// text's lowercase copy, made once for all words).
#[derive(Clone, Debug)]
struct Word<'a> {
    start: usize,
    end: usize,
    lower: &'a str,
}

/// The words of `text`, their lowercase forms taken from `lower`, which is
/// `text.to_ascii_lowercase()` (same byte positions).
fn words_of<'a>(text: &str, lower: &'a str) -> Vec<Word<'a>> {
    // About a word for every six bytes of prose: grown rarely.
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    // Word characters are ASCII, so bytes serve: a byte of a multi-byte
    // character ends a word at that character's first byte, as a char would.
    // A word's letters, digits and apostrophes (an apostrophe between
    // words starts none).
    any_ascii_word_with(
        text.as_bytes(),
        |c| c == b'\'',
        |start, end| {
            // `'05` keeps its apostrophe; a trailing possessive does not matter.
            let word = &lower[start..end];
            out.push(Word {
                start,
                end,
                lower: word.strip_suffix("'s").unwrap_or(word),
            });
            false
        },
    );
    out
}

/// Finds period phrases in `text`, in order, without overlaps.
pub fn find_periods(text: &str) -> Vec<PeriodHit> {
    find_periods_lower(text, &text.to_ascii_lowercase())
}

/// [`find_periods`] of `text` whose `to_ascii_lowercase()` the caller has.
pub fn find_periods_lower(text: &str, lower: &str) -> Vec<PeriodHit> {
    find_periods_where(text, lower, may_start_phrase)
}

/// [`find_periods`], trying the matchers only at words `may_start` accepts.
fn find_periods_where(text: &str, lower: &str, may_start: impl Fn(&str) -> bool) -> Vec<PeriodHit> {
    let words = words_of(text, lower);
    let mut hits = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let lead = usize::from(words[k].lower == "the");
        if may_start(w(&words, k + lead))
            && let Some((phrase, next)) = phrase_at(text, &words, k + lead)
        {
            let end = words[next - 1].end;
            hits.push(PeriodHit {
                phrase,
                range: (words[k].start, end),
            });
            k = next;
            continue;
        }
        k += 1;
    }
    hits
}

/// The lowercase word at `k`, or "" past the end.
fn w<'a>(words: &[Word<'a>], k: usize) -> &'a str {
    words.get(k).map_or("", |w| w.lower)
}

/// Matches the longest phrase starting at word `k`; returns the phrase and
/// the index of the first word after it.
fn phrase_at(text: &str, words: &[Word], k: usize) -> Option<(PeriodPhrase, usize)> {
    ended(text, words, k)
        .or_else(|| as_of(text, words, k))
        .or_else(|| ordinal_quarter(text, words, k))
        .or_else(|| year_first_quarter(words, k))
        .or_else(|| q_form(words, k))
        .or_else(|| year_to_date(words, k))
        .or_else(|| full_year(words, k))
        .or_else(|| same_period_of(words, k))
        .or_else(|| relative(words, k))
        .or_else(|| bare_year(words, k))
}

/// `as_of ::= ("at" | "as" "of") date`
fn as_of(text: &str, words: &[Word], k: usize) -> Option<(PeriodPhrase, usize)> {
    let i = match (w(words, k), w(words, k + 1)) {
        ("at", _) => k + 1,
        ("as", "of") => k + 2,
        _ => return None,
    };
    let (date, next) = date_at(text, words, i)?;
    Some((PeriodPhrase::AsOf(date), next))
}

/// `bare_year ::= year`, right after "in", "for" or "during".
fn bare_year(words: &[Word], k: usize) -> Option<(PeriodPhrase, usize)> {
    if k == 0 || !matches!(w(words, k - 1), "in" | "for" | "during") {
        return None;
    }
    let y = year(w(words, k)).filter(|_| w(words, k).len() == 4)?;
    Some((PeriodPhrase::BareYear(y), k + 1))
}

/// `same ::= ("same" | "comparable" | "corresponding") ("period" | "quarter")
/// ("of" | "in") ["fiscal"] year`
fn same_period_of(words: &[Word], k: usize) -> Option<(PeriodPhrase, usize)> {
    if !matches!(w(words, k), "same" | "comparable" | "corresponding")
        || !matches!(w(words, k + 1), "period" | "quarter")
        || !matches!(w(words, k + 2), "of" | "in")
    {
        return None;
    }
    let mut i = k + 3;
    if w(words, i) == "fiscal" {
        i += 1;
    }
    let y = year(w(words, i))?;
    Some((PeriodPhrase::SamePeriodOf(y), i + 1))
}

/// A date starting at word `k`: the date and the index of the word after it.
fn date_at(text: &str, words: &[Word], k: usize) -> Option<(NaiveDate, usize)> {
    let start = words.get(k)?.start;
    let (date, end) = parse_date(text, start)?;
    let date = date?;
    let next = words.partition_point(|w| w.start < end);
    Some((date, next))
}

fn ordinal(word: &str) -> Option<u8> {
    match word {
        "first" | "1st" => Some(1),
        "second" | "2nd" => Some(2),
        "third" | "3rd" => Some(3),
        "fourth" | "4th" => Some(4),
        _ => None,
    }
}

/// `year ::= 1990..2100 | "fy" digits | "'" two digits`
fn year(word: &str) -> Option<i32> {
    let digits = word
        .strip_prefix("fy")
        .or_else(|| word.strip_prefix('\''))
        .unwrap_or(word);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match digits.len() {
        4 => digits.parse().ok().filter(|y| (1990..=2100).contains(y)),
        2 if digits.len() != word.len() => digits.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

/// A count of months or weeks in words or digits ("nine", "twenty six", "13");
/// returns the count and the number of words used.
fn count(words: &[Word], k: usize) -> Option<(u32, usize)> {
    let unit = |s: &str| -> Option<u32> {
        Some(match s {
            "one" => 1,
            "two" => 2,
            "three" => 3,
            "four" => 4,
            "five" => 5,
            "six" => 6,
            "seven" => 7,
            "eight" => 8,
            "nine" => 9,
            "ten" => 10,
            "eleven" => 11,
            "twelve" => 12,
            "thirteen" => 13,
            "fourteen" => 14,
            "sixteen" => 16,
            "seventeen" => 17,
            "eighteen" => 18,
            _ => return s.parse().ok().filter(|&n| n > 0 && n < 60),
        })
    };
    let tens = |s: &str| -> Option<u32> {
        Some(match s {
            "twenty" => 20,
            "thirty" => 30,
            "forty" => 40,
            "fifty" => 50,
            _ => return None,
        })
    };
    let a = w(words, k);
    if let Some(t) = tens(a) {
        return match unit(w(words, k + 1)).filter(|&u| u < 10) {
            Some(u) => Some((t + u, 2)),
            None => Some((t, 1)),
        };
    }
    unit(a).map(|n| (n, 1))
}

/// `ended ::= (["fiscal"] "quarter" | count "months" | count "weeks" |
/// ["fiscal"] "year") ["period"] ("ended" | "ending") date`
fn ended(text: &str, words: &[Word], k: usize) -> Option<(PeriodPhrase, usize)> {
    enum Unit {
        Quarter,
        Months(u32),
        Weeks(u32),
        Year,
    }
    let mut i = k;
    if w(words, i) == "fiscal" {
        i += 1;
    }
    let unit = match w(words, i) {
        "quarter" => {
            i += 1;
            Unit::Quarter
        }
        "year" => {
            i += 1;
            Unit::Year
        }
        _ => {
            let (n, used) = count(words, i)?;
            i += used;
            let u = match w(words, i) {
                "months" | "month" => Unit::Months(n),
                "weeks" | "week" => Unit::Weeks(n),
                _ => return None,
            };
            i += 1;
            u
        }
    };
    if w(words, i) == "period" {
        i += 1;
    }
    if !matches!(w(words, i), "ended" | "ending") {
        return None;
    }
    let (date, next) = date_at(text, words, i + 1)?;
    let phrase = match unit {
        Unit::Quarter => PeriodPhrase::QuarterEnded(date),
        Unit::Year => PeriodPhrase::YearEnded(date),
        Unit::Months(3) => PeriodPhrase::QuarterEnded(date),
        Unit::Months(12) => PeriodPhrase::YearEnded(date),
        Unit::Months(months) => PeriodPhrase::MonthsEnded { months, end: date },
        Unit::Weeks(weeks) => PeriodPhrase::WeeksEnded { weeks, end: date },
    };
    Some((phrase, next))
}

/// `ordinal ["fiscal"] "quarter" (("ended" | "ending") date | ["of"]
/// ["fiscal" ["year"]] year)?`
fn ordinal_quarter(text: &str, words: &[Word], k: usize) -> Option<(PeriodPhrase, usize)> {
    let n = ordinal(w(words, k))?;
    let mut i = k + 1;
    let mut fiscal = false;
    if w(words, i) == "fiscal" {
        fiscal = true;
        i += 1;
    }
    if w(words, i) != "quarter" {
        return None;
    }
    i += 1;
    if matches!(w(words, i), "ended" | "ending")
        && let Some((date, next)) = date_at(text, words, i + 1)
    {
        return Some((PeriodPhrase::QuarterEnded(date), next));
    }
    let mut j = i;
    if w(words, j) == "of" {
        j += 1;
    }
    if w(words, j) == "fiscal" {
        fiscal = true;
        j += 1;
        if w(words, j) == "year" {
            j += 1;
        }
    }
    Some(quarter_with_year(n, year(w(words, j)), fiscal, i, j))
}

/// `["fiscal"] year ["fiscal"] (ordinal "quarter" | "q1".."q4")`
fn year_first_quarter(words: &[Word], k: usize) -> Option<(PeriodPhrase, usize)> {
    let mut i = k;
    let mut fiscal = false;
    if w(words, i) == "fiscal" {
        fiscal = true;
        i += 1;
    }
    let y = year(w(words, i))?;
    i += 1;
    if w(words, i) == "fiscal" {
        fiscal = true;
        i += 1;
    }
    // `Fiscal 2014 Q4`, a header of a quarterly history.
    let q = w(words, i)
        .strip_prefix('q')
        .and_then(|d| d.parse::<u8>().ok())
        .filter(|n| (1..=4).contains(n));
    let (n, next) = match q {
        Some(n) => (n, i + 1),
        None => {
            let n = ordinal(w(words, i))?;
            if w(words, i + 1) != "quarter" {
                return None;
            }
            (n, i + 2)
        }
    };
    Some((
        PeriodPhrase::Quarter {
            n,
            year: Some(y),
            fiscal,
        },
        next,
    ))
}

/// `["fiscal"] "q1".."q4" [["fiscal" | "fy"] year]`, also `Q4FY05`.
fn q_form(words: &[Word], k: usize) -> Option<(PeriodPhrase, usize)> {
    let mut i = k;
    let mut fiscal = false;
    if w(words, i) == "fiscal" {
        fiscal = true;
        i += 1;
    }
    let word = w(words, i);
    let rest = word.strip_prefix('q')?;
    let n: u8 = rest
        .get(..1)?
        .parse()
        .ok()
        .filter(|n| (1..=4).contains(n))?;
    let glued = &rest[1..];
    if !glued.is_empty() {
        let y = year(glued)?;
        return Some((
            PeriodPhrase::Quarter {
                n,
                year: Some(y),
                fiscal: fiscal || glued.starts_with("fy"),
            },
            i + 1,
        ));
    }
    i += 1;
    let mut j = i;
    if matches!(w(words, j), "fiscal" | "fy") {
        fiscal = true;
        j += 1;
    }
    let wj = w(words, j);
    if wj.starts_with("fy") {
        fiscal = true;
    }
    Some(quarter_with_year(n, year(wj), fiscal, i, j))
}

/// A quarter phrase whose year (when there is one) is word `j`: the phrase
/// then ends after it, otherwise at word `i`.
fn quarter_with_year(
    n: u8,
    y: Option<i32>,
    fiscal: bool,
    i: usize,
    j: usize,
) -> (PeriodPhrase, usize) {
    let end = if y.is_some() { j + 1 } else { i };
    (PeriodPhrase::Quarter { n, year: y, fiscal }, end)
}

/// `ytd ::= "first" (count "months" | "half") ["of" ["fiscal"] year]`
fn year_to_date(words: &[Word], k: usize) -> Option<(PeriodPhrase, usize)> {
    if w(words, k) != "first" {
        return None;
    }
    let (months, mut i) = if w(words, k + 1) == "half" {
        (6, k + 2)
    } else {
        let (n, used) = count(words, k + 1)?;
        if w(words, k + 1 + used) != "months" {
            return None;
        }
        (n, k + 2 + used)
    };
    let mut fiscal = false;
    let mut y = None;
    if w(words, i) == "of" {
        let mut j = i + 1;
        if w(words, j) == "fiscal" {
            fiscal = true;
            j += 1;
        }
        if let Some(v) = year(w(words, j)) {
            y = Some(v);
            i = j + 1;
        }
    }
    Some((
        PeriodPhrase::YearToDate {
            months,
            year: y,
            fiscal,
        },
        i,
    ))
}

/// `year ::= "fiscal" ["year"] year | "full" ["fiscal"] "year" year |
/// year ("fiscal" | "full") "year" | "calendar" ["year"] year`
fn full_year(words: &[Word], k: usize) -> Option<(PeriodPhrase, usize)> {
    let a = w(words, k);
    let mut i = k + 1;
    let fiscal = match a {
        "fiscal" => true,
        "full" | "calendar" => false,
        _ => {
            let y = year(a)?;
            let fiscal = match (w(words, k + 1), w(words, k + 2)) {
                ("fiscal", "year") => true,
                ("full", "year") => false,
                _ => return None,
            };
            return Some((PeriodPhrase::Year { year: y, fiscal }, k + 3));
        }
    };
    let mut fiscal = fiscal;
    if a == "full" && w(words, i) == "fiscal" {
        fiscal = true;
        i += 1;
    }
    if w(words, i) == "year" {
        i += 1;
    } else if a == "full" {
        return None;
    }
    let y = year(w(words, i))?;
    Some((PeriodPhrase::Year { year: y, fiscal }, i + 1))
}

/// Relative phrases, longest first.
fn relative(words: &[Word], k: usize) -> Option<(PeriodPhrase, usize)> {
    // The patterns by their first word, in `RELATIVE`'s order: a word is
    // compared with the few patterns it can start, not all of them.
    static BY_FIRST: std::sync::LazyLock<FxHashMap<&'static str, Vec<usize>>> =
        std::sync::LazyLock::new(|| {
            let mut m: FxHashMap<&'static str, Vec<usize>> = FxHashMap::default();
            for (i, (pattern, _)) in RELATIVE.iter().enumerate() {
                m.entry(pattern[0]).or_default().push(i);
            }
            m
        });
    let candidates = BY_FIRST.get(w(words, k))?;
    for (pattern, phrase) in candidates.iter().map(|&i| &RELATIVE[i]) {
        if pattern
            .iter()
            .enumerate()
            .all(|(j, p)| w(words, k + j) == *p)
        {
            // A bare "quarter" counts only after "the" ("for the quarter").
            if pattern.len() == 1 && *pattern == ["quarter"] && (k == 0 || w(words, k - 1) != "the")
            {
                continue;
            }
            return Some((phrase.clone(), k + pattern.len()));
        }
    }
    None
}

/// Relative phrases, longest first.
const RELATIVE: &[(&[&str], PeriodPhrase)] = {
    use PeriodPhrase::*;
    &[
        (&["same", "quarter", "of", "last", "year"], YearAgoQuarter),
        (
            &["same", "quarter", "of", "the", "prior", "year"],
            YearAgoQuarter,
        ),
        (
            &["same", "quarter", "of", "the", "previous", "year"],
            YearAgoQuarter,
        ),
        (&["same", "quarter", "last", "year"], YearAgoQuarter),
        (&["same", "quarter", "a", "year", "ago"], YearAgoQuarter),
        (&["same", "period", "last", "year"], YearAgoQuarter),
        (&["same", "period", "a", "year", "ago"], YearAgoQuarter),
        (&["same", "period", "of", "last", "year"], YearAgoQuarter),
        (
            &["corresponding", "quarter", "of", "last", "year"],
            YearAgoQuarter,
        ),
        (&["year", "ago", "quarter"], YearAgoQuarter),
        (&["year", "ago", "period"], YearAgoQuarter),
        (&["year", "earlier", "quarter"], YearAgoQuarter),
        (&["year", "earlier", "period"], YearAgoQuarter),
        (&["prior", "year", "quarter"], YearAgoQuarter),
        (&["prior", "year", "period"], YearAgoQuarter),
        (&["previous", "year", "quarter"], YearAgoQuarter),
        (&["last", "year", "quarter"], YearAgoQuarter),
        (&["year", "over", "year"], YearAgoQuarter),
        (&["a", "year", "ago"], YearAgoQuarter),
        (&["a", "year", "earlier"], YearAgoQuarter),
        (&["current", "year", "quarter"], CurrentQuarter),
        (&["current", "fiscal", "year", "quarter"], CurrentQuarter),
        (&["current", "fiscal", "quarter"], CurrentQuarter),
        (&["current", "quarter"], CurrentQuarter),
        (&["this", "quarter"], CurrentQuarter),
        (&["quarter"], CurrentQuarter),
        (&["last", "quarter"], PriorQuarter),
        (&["previous", "quarter"], PriorQuarter),
        (&["prior", "quarter"], PriorQuarter),
        (&["preceding", "quarter"], PriorQuarter),
        (&["linked", "quarter"], PriorQuarter),
        (&["sequential", "quarter"], PriorQuarter),
        (&["sequentially"], PriorQuarter),
        (&["sequential"], PriorQuarter),
        (&["prior", "fiscal", "year"], PriorYear),
        (&["prior", "year"], PriorYear),
        (&["previous", "year"], PriorYear),
        (&["preceding", "year"], PriorYear),
        (&["last", "year"], PriorYear),
        (&["current", "fiscal", "year"], CurrentYear),
        (&["current", "year"], CurrentYear),
        (&["this", "year"], CurrentYear),
    ]
};

/// Whether a period phrase can start with the word `first` (lowercase):
/// every matcher of [`phrase_at`] needs its first word to be a number or a
/// year (`13`, `2024`, `'05`, `fy05`, `1st`), a `q` form, a count, an ordinal,
/// or one of the words below. Most words of a paragraph are none of these
/// and are passed over without trying each matcher.
fn may_start_phrase(first: &str) -> bool {
    match first.as_bytes().first() {
        None => false,
        Some(b'0'..=b'9' | b'\'' | b'q') => true,
        _ => {
            first.starts_with("fy")
                || matches!(
                    first,
                    // `ended`, `full_year`, `year_first_quarter`, `q_form`
                    "fiscal" | "quarter" | "year" | "full" | "calendar"
                    // `as_of`
                    | "at" | "as"
                    // counts
                    | "one" | "two" | "three" | "four" | "five" | "six" | "seven" | "eight"
                    | "nine" | "ten" | "eleven" | "twelve" | "thirteen" | "fourteen"
                    | "sixteen" | "seventeen" | "eighteen" | "twenty" | "thirty" | "forty"
                    | "fifty"
                    // ordinals and year to date
                    | "first" | "second" | "third" | "fourth"
                    // `same_period_of` and `relative`
                    | "same" | "comparable" | "corresponding" | "prior" | "previous" | "last"
                    | "a" | "current" | "this" | "preceding" | "linked" | "sequential"
                    | "sequentially"
                )
        }
    }
}

/// True for a duration of about three months.
fn is_quarter(p: &Period) -> bool {
    match p {
        Period::Duration { length, .. } => matches!(
            length,
            PeriodLength::Months(3) | PeriodLength::Weeks(12..=14)
        ),
        Period::Instant { .. } => false,
    }
}

/// The length of a duration in months, weeks rounded to months (13 → 3,
/// 26 → 6, 39 → 9, 52/53 → 12).
fn months_of(p: &Period) -> Option<u32> {
    match p {
        Period::Duration {
            length: PeriodLength::Months(m),
            ..
        } => Some(*m),
        Period::Duration {
            length: PeriodLength::Weeks(w),
            ..
        } => Some(((*w as f64) * 12.0 / 52.0).round() as u32),
        Period::Instant { .. } => None,
    }
}

fn days_apart(a: NaiveDate, b: NaiveDate) -> i64 {
    (a - b).num_days().abs()
}

use crate::parse::period::last_day_of_month as month_end;

/// A release's statement of which quarter of its fiscal year ends when:
/// `its fiscal first quarter ended December 31, 2022`, `the second fiscal
/// quarter ended July 31, 2024`, `the third quarter of fiscal 2020 ended
/// June 30, 2020`. Returns the quarter's number and end date.
pub fn quarter_end_statement(text: &str) -> Option<(u8, NaiveDate)> {
    // Most paragraphs never say "quarter": those are not split into words.
    if !crate::parse::period::contains_ignore_ascii_case(text.as_bytes(), b"quarter") {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let words = words_of(text, &lower);
    (0..words.len()).find_map(|k| {
        let n = ordinal(w(&words, k))?;
        let mut i = k + 1;
        if w(&words, i) == "fiscal" {
            i += 1;
        }
        if w(&words, i) != "quarter" {
            return None;
        }
        i += 1;
        if w(&words, i) == "of" && w(&words, i + 1) == "fiscal" {
            i += 2;
            if w(&words, i) == "year" {
                i += 1;
            }
            w(&words, i).parse::<i32>().ok()?;
            i += 1;
        }
        if !matches!(w(&words, i), "ended" | "ending") {
            return None;
        }
        let (date, _) = date_at(text, &words, i + 1)?;
        Some((n, date))
    })
}

/// The fiscal year that a release's own statement implies (`fiscal first
/// quarter ended December 31, 2022`: the year of October 2022 to September
/// 2023), as a twelve-month period to add to a calendar that does not show
/// the fiscal year ([`fiscal_year_evident`]). Only when the tables print
/// that quarter, so a misread sentence cannot move the calendar.
pub fn stated_fiscal_year(calendar: &[Period], n: u8, quarter_end: NaiveDate) -> Option<Period> {
    if !(1..=4).contains(&n) || fiscal_year_evident(calendar) {
        return None;
    }
    duration_near(calendar, 3, quarter_end, 7)?;
    let months = Months::new(3 * u32::from(4 - n));
    let end = if month_end(quarter_end.year(), quarter_end.month()) == Some(quarter_end) {
        let e = quarter_end.checked_add_months(months)?;
        month_end(e.year(), e.month())?
    } else {
        quarter_end.checked_add_days(chrono::Days::new(91 * u64::from(4 - n)))?
    };
    let length = PeriodLength::Months(12);
    Some(Period::Duration {
        start: crate::parse::period::duration_start(end, length)?,
        end,
        length,
    })
}

/// The current reporting period: the latest-ending quarter-length duration.
pub fn anchor_of(calendar: &[Period]) -> Option<Period> {
    calendar
        .iter()
        .filter(|p| is_quarter(p))
        .max_by_key(|p| p.end())
        .copied()
}

/// The first month of the fiscal year, read from the longest duration of
/// more than three months (its start, rounded to the nearest month start);
/// without one, from the balance sheet's dates (see
/// [`year_end_of_instants`]); else January.
pub fn fiscal_start_month(calendar: &[Period]) -> u32 {
    calendar
        .iter()
        .filter_map(|p| match p {
            Period::Duration { start, .. } => months_of(p).filter(|&m| m > 3).map(|m| (m, *start)),
            Period::Instant { .. } => None,
        })
        .max_by_key(|&(m, start)| (m, start))
        .map(|(_, start)| {
            let shifted = start + chrono::Duration::days(15);
            shifted.month()
        })
        .or_else(|| year_end_of_instants(calendar).map(|m| m % 12 + 1))
        .unwrap_or(1)
}

/// The month the fiscal year ends in, from a balance sheet that prints the
/// quarter's end beside the prior year's end: the latest instant and an
/// earlier one three, six or nine months (within a fortnight) before it,
/// the earlier being the year end. Week-based year ends (`December 2,
/// 2022`) count for the month they close (November). Two instants a year
/// apart say nothing.
pub fn year_end_of_instants(calendar: &[Period]) -> Option<u32> {
    let latest = calendar
        .iter()
        .filter(|p| p.is_instant())
        .map(Period::end)
        .max()?;
    calendar
        .iter()
        .filter(|p| p.is_instant())
        .map(Period::end)
        .filter(|&d| d < latest)
        .max()
        .filter(|&d| {
            [3, 6, 9].into_iter().any(|m| {
                d.checked_add_months(Months::new(m))
                    .is_some_and(|e| days_apart(e, latest) <= 15)
            })
        })
        .map(|d| (d - chrono::Duration::days(15)).month())
}

/// True when a fiscal year starting in `start_month` is named after the
/// calendar year it starts in: calendar years, and retail years starting in
/// February (fiscal 2025 runs February 2025 to January 2026). A year starting
/// in March to December is named after the year it ends in (fiscal 2026 runs
/// April 2025 to March 2026, or July 2025 to June 2026).
fn named_after_start(start_month: u32) -> bool {
    start_month <= 2
}

/// The name (year) of the fiscal year a period ending on `end` falls in.
/// Week-based periods may end a few days into the next month, hence the
/// fortnight taken off.
fn fiscal_year_of(end: NaiveDate, start_month: u32) -> i32 {
    let d = end - chrono::Duration::days(15);
    let start_year = if d.month() >= start_month {
        d.year()
    } else {
        d.year() - 1
    };
    if named_after_start(start_month) {
        start_year
    } else {
        start_year + 1
    }
}

/// The end of quarter `n` of the fiscal year named `y`, for a fiscal year
/// starting in `start_month`.
fn fiscal_quarter_end(y: i32, n: u8, start_month: u32) -> Option<NaiveDate> {
    // Months from January of the fiscal year's starting calendar year.
    let first_year = if named_after_start(start_month) {
        y
    } else {
        y - 1
    };
    let offset = start_month - 1 + 3 * u32::from(n) - 1;
    month_end(first_year + (offset / 12) as i32, offset % 12 + 1)
}

/// Whether the calendar says when the fiscal year starts: it prints a
/// duration longer than a quarter, or a balance sheet beside the prior year
/// end ([`year_end_of_instants`]). Without that, quarters are taken to be
/// calendar quarters, which a phrase that says "fiscal" may not be.
pub fn fiscal_year_evident(calendar: &[Period]) -> bool {
    calendar.iter().any(|p| months_of(p).is_some_and(|m| m > 3))
        || year_end_of_instants(calendar).is_some()
}

/// The period a quarter or fiscal-year phrase names by the fiscal calendar
/// alone, printed or not (`Fiscal 2013 Q2` in a quarterly history), when
/// the calendar is evident: its year's start month is read from a
/// duration longer than a quarter or from the balance sheet's dates, and
/// every duration it prints ends on a month's last day (52/53-week years
/// are not computed: their quarters end on no fixed day).
pub fn computed(phrase: &PeriodPhrase, calendar: &[Period]) -> Option<Period> {
    let evident = fiscal_year_evident(calendar);
    let month_based = calendar
        .iter()
        .filter(|p| !p.is_instant())
        .all(|p| month_end(p.end().year(), p.end().month()) == Some(p.end()));
    if !evident || !month_based {
        return None;
    }
    let start_month = fiscal_start_month(calendar);
    let (end, months) = match *phrase {
        PeriodPhrase::Quarter {
            n, year: Some(y), ..
        } => (fiscal_quarter_end(y, n, start_month)?, 3),
        PeriodPhrase::Year { year, .. } => (fiscal_quarter_end(year, 4, start_month)?, 12),
        _ => return None,
    };
    let length = PeriodLength::Months(months);
    Some(Period::Duration {
        start: crate::parse::period::duration_start(end, length)?,
        end,
        length,
    })
}

/// The duration in `calendar` with `months` months ending near `end`.
fn duration_near(calendar: &[Period], months: u32, end: NaiveDate, slack: i64) -> Option<Period> {
    calendar
        .iter()
        .filter(|p| !p.is_instant() && months_of(p) == Some(months))
        .filter(|p| days_apart(p.end(), end) <= slack)
        .min_by_key(|p| days_apart(p.end(), end))
        .copied()
}

/// The duration in `calendar` as long as `reference` and ending `years`
/// years before it (a 14-week quarter matches a 13-week one).
fn shifted(calendar: &[Period], reference: &Period, years: i32) -> Option<Period> {
    let months = months_of(reference)?;
    let end = if years >= 0 {
        reference
            .end()
            .checked_sub_months(Months::new(12 * years as u32))?
    } else {
        reference
            .end()
            .checked_add_months(Months::new(12 * (-years) as u32))?
    };
    duration_near(calendar, months, end, 15)
}

/// Maps a period phrase to a period the tables print, relative phrases
/// relative to `reference` (see the module documentation).
///
/// `reference` is the resolved period of the claim a compared figure or a
/// change's base is stated against; without one this is [`resolve`].
pub fn resolve_in(
    phrase: &PeriodPhrase,
    calendar: &[Period],
    anchor: Option<&Period>,
    reference: Option<&Period>,
) -> Option<Period> {
    // Read from the calendar only by the phrases that need it.
    let start = std::cell::OnceCell::new();
    let start_month = || *start.get_or_init(|| fiscal_start_month(calendar));
    match (phrase, reference) {
        (PeriodPhrase::YearAgoQuarter | PeriodPhrase::PriorYear, Some(r)) => {
            shifted(calendar, r, 1)
        }
        (PeriodPhrase::PriorQuarter, Some(r)) if is_quarter(r) => {
            let target = r.end().checked_sub_months(Months::new(3))?;
            duration_near(calendar, 3, target, 15)
        }
        (PeriodPhrase::BareYear(y) | PeriodPhrase::SamePeriodOf(y), Some(r))
            if months_of(r) != Some(12) =>
        {
            shifted(calendar, r, fiscal_year_of(r.end(), start_month()) - y)
        }
        (PeriodPhrase::SamePeriodOf(y), None) => {
            let a = anchor?;
            shifted(calendar, a, fiscal_year_of(a.end(), start_month()) - y)
        }
        _ => resolve(phrase, calendar, anchor),
    }
}

/// Maps a period phrase to a period the tables print.
///
/// `calendar` is the document's duration periods (instants are ignored);
/// `anchor` is the current reporting period, needed for relative phrases and
/// quarters stated without a year. `None` means no printed period matches.
pub fn resolve(
    phrase: &PeriodPhrase,
    calendar: &[Period],
    anchor: Option<&Period>,
) -> Option<Period> {
    // Read from the calendar only by the phrases that need it.
    let start = std::cell::OnceCell::new();
    let start_month = || *start.get_or_init(|| fiscal_start_month(calendar));
    let fiscal_year_of = |end: NaiveDate| fiscal_year_of(end, start_month());
    match *phrase {
        // "the fourth quarter of fiscal 2020" of a company whose fiscal
        // year is not evident: not a calendar quarter by default.
        PeriodPhrase::Quarter { fiscal: true, .. } if !fiscal_year_evident(calendar) => None,
        PeriodPhrase::Quarter { n, year, .. } => {
            let y = match year {
                Some(y) => y,
                None => {
                    // The latest quarter `n` not after the anchor.
                    let a = anchor?;
                    let fy = fiscal_year_of(a.end());
                    return [fy, fy - 1].into_iter().find_map(|y| {
                        let end = fiscal_quarter_end(y, n, start_month())?;
                        (end <= a.end() + chrono::Duration::days(15))
                            .then(|| duration_near(calendar, 3, end, 15))
                            .flatten()
                    });
                }
            };
            let end = fiscal_quarter_end(y, n, start_month())?;
            duration_near(calendar, 3, end, 15)
        }
        PeriodPhrase::QuarterEnded(end) => duration_near(calendar, 3, end, 7),
        PeriodPhrase::MonthsEnded { months, end } => duration_near(calendar, months, end, 7),
        PeriodPhrase::WeeksEnded { weeks, end } => calendar
            .iter()
            .filter(|p| {
                matches!(p, Period::Duration { length: PeriodLength::Weeks(w), .. } if *w == weeks)
                    && days_apart(p.end(), end) <= 3
            })
            .copied()
            .next()
            .or_else(|| duration_near(calendar, (weeks * 12 + 26) / 52, end, 7)),
        PeriodPhrase::YearToDate { months, year, .. } => {
            let y = match year {
                Some(y) => y,
                None => fiscal_year_of(anchor?.end()),
            };
            calendar
                .iter()
                .filter(|p| !p.is_instant() && months_of(p) == Some(months))
                .filter(|p| fiscal_year_of(p.end()) == y)
                .max_by_key(|p| p.end())
                .copied()
        }
        PeriodPhrase::Year { year, .. }
        | PeriodPhrase::BareYear(year)
        | PeriodPhrase::SamePeriodOf(year) => calendar
            .iter()
            .filter(|p| !p.is_instant() && months_of(p) == Some(12))
            .filter(|p| fiscal_year_of(p.end()) == year)
            // Of trailing twelve-month periods, the one the year ends with.
            .max_by_key(|p| p.end())
            .copied(),
        PeriodPhrase::YearEnded(end) => duration_near(calendar, 12, end, 7),
        // A balance sheet date the tables print (within a few days: a
        // 52/53-week year ends on a Saturday the text may round).
        PeriodPhrase::AsOf(date) => calendar
            .iter()
            .filter(|p| p.is_instant() && days_apart(p.end(), date) <= 3)
            .min_by_key(|p| days_apart(p.end(), date))
            .copied(),
        PeriodPhrase::CurrentQuarter => anchor.copied(),
        PeriodPhrase::PriorQuarter => {
            let a = anchor?;
            let target = a.end().checked_sub_months(Months::new(3))?;
            duration_near(calendar, 3, target, 15)
        }
        PeriodPhrase::YearAgoQuarter => {
            let a = anchor?;
            let target = a.end().checked_sub_months(Months::new(12))?;
            duration_near(calendar, 3, target, 15)
        }
        PeriodPhrase::CurrentYear => {
            let a = anchor?;
            calendar
                .iter()
                .filter(|p| !p.is_instant() && months_of(p) == Some(12))
                .find(|p| days_apart(p.end(), a.end()) <= 15)
                .copied()
        }
        PeriodPhrase::PriorYear => {
            let a = anchor?;
            let target = a.end().checked_sub_months(Months::new(12))?;
            duration_near(calendar, 12, target, 15)
        }
    }
}

#[cfg(test)]
mod tests {
    /// The byte-by-byte state machine `words_of` replaced: the reference
    /// its two loops are held to.
    fn words_of_by_state(text: &str, lower: &str) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, &c) in text.as_bytes().iter().enumerate() {
            let part = c.is_ascii_alphanumeric() || (c == b'\'' && start.is_some());
            if part {
                if start.is_none() {
                    start = Some(i);
                }
            } else if let Some(s) = start.take() {
                out.push((s, i, lower[s..i].to_string()));
            }
        }
        if let Some(s) = start {
            out.push((s, text.len(), lower[s..].to_string()));
        }
        for w in &mut out {
            if let Some(stripped) = w.2.strip_suffix("'s") {
                w.2 = stripped.to_string();
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn words_split_as_the_state_machine_did(
            text in "([a-zA-Z0-9' ,.\\-]|\\'s|é|’|\\n){0,40}"
        ) {
            let lower = text.to_ascii_lowercase();
            let words: Vec<(usize, usize, String)> = words_of(&text, &lower)
                .into_iter()
                .map(|w| (w.start, w.end, w.lower.to_string()))
                .collect();
            proptest::prop_assert_eq!(words, words_of_by_state(&text, &lower));
        }
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_lead_states_which_quarter_ends_when() {
        for (text, n, d) in [
            (
                "today announced financial results for its fiscal first\nquarter ended December 31, 2022.",
                1,
                date(2022, 12, 31),
            ),
            (
                "results for the second fiscal quarter ended July 31, 2024",
                2,
                date(2024, 7, 31),
            ),
            (
                "for the third quarter of fiscal 2020 ended June 30, 2020",
                3,
                date(2020, 6, 30),
            ),
            ("Fourth Quarter Ending Sept. 30, 2021", 4, date(2021, 9, 30)),
        ] {
            assert_eq!(quarter_end_statement(text), Some((n, d)), "{text}");
        }
        for text in [
            "Third Quarter 2020 Financial Results",
            "the quarter ended June 30, 2020",
            "first quarter revenue ended higher",
        ] {
            assert_eq!(quarter_end_statement(text), None, "{text}");
        }
    }

    #[test]
    fn a_stated_quarter_gives_the_fiscal_year_only_when_printed_and_not_evident() {
        let q = |y, m, d| Period::Duration {
            start: crate::parse::period::duration_start(date(y, m, d), PeriodLength::Months(3))
                .unwrap(),
            end: date(y, m, d),
            length: PeriodLength::Months(3),
        };
        // Two quarters a year apart say nothing of the fiscal year; the lead's
        // "fiscal first quarter ended December 31, 2022" does.
        let cal = vec![q(2021, 12, 31), q(2022, 12, 31)];
        assert!(!fiscal_year_evident(&cal));
        let year = stated_fiscal_year(&cal, 1, date(2022, 12, 31)).unwrap();
        assert_eq!(year.end(), date(2023, 9, 30));
        let mut with = cal.clone();
        with.push(year);
        assert!(fiscal_year_evident(&with));
        assert_eq!(fiscal_start_month(&with), 10);
        let first = PeriodPhrase::Quarter {
            n: 1,
            year: Some(2023),
            fiscal: true,
        };
        assert_eq!(resolve(&first, &cal, None), None);
        assert_eq!(resolve(&first, &with, None), Some(cal[1]));
        // A quarter the tables do not print, or a calendar that already
        // shows its year, is not moved.
        assert_eq!(stated_fiscal_year(&cal, 1, date(2022, 9, 30)), None);
        assert_eq!(stated_fiscal_year(&with, 1, date(2022, 12, 31)), None);
        assert_eq!(stated_fiscal_year(&cal, 5, date(2022, 12, 31)), None);
    }

    #[test]
    fn every_relative_phrase_may_start_a_phrase() {
        for (pattern, _) in RELATIVE {
            assert!(may_start_phrase(pattern[0]), "{}", pattern[0]);
        }
    }

    proptest! {
        /// The guard never hides a phrase: texts made of period words,
        /// numbers, dates and other words give the same hits either way.
        #[test]
        fn guard_finds_what_every_matcher_finds(
            words in proptest::collection::vec(prop_oneof![
                Just("the"), Just("three"), Just("Months"), Just("ended"), Just("March 31, 2024"),
                Just("fiscal"), Just("year"), Just("quarter"), Just("first"), Just("half"),
                Just("of"), Just("2024"), Just("'05"), Just("FY05"), Just("Q3"), Just("q4fy05"),
                Just("same"), Just("period"), Just("last"), Just("a"), Just("ago"), Just("prior"),
                Just("twenty"), Just("six"), Just("weeks"), Just("ending"), Just("full"),
                Just("calendar"), Just("in"), Just("for"), Just("sequentially"), Just("revenue"),
                Just("rose"), Just("13"), Just("2nd"), Just("comparable"), Just("this"),
                Just("Kestrel's"), Just("corresponding"), Just("current"), Just("linked"),
            ], 0..24)
        ) {
            let text = words.join(" ");
            // Without the guard every matcher is tried at every word.
            prop_assert_eq!(
                find_periods(&text),
                find_periods_where(&text, &text.to_ascii_lowercase(), |_| true)
            );
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn months(start: NaiveDate, end: NaiveDate, m: u32) -> Period {
        Period::Duration {
            start,
            end,
            length: PeriodLength::Months(m),
        }
    }

    fn phrases(text: &str) -> Vec<(PeriodPhrase, String)> {
        find_periods(text)
            .into_iter()
            .map(|h| (h.phrase, text[h.range.0..h.range.1].to_string()))
            .collect()
    }

    #[test]
    fn balance_sheet_dates() {
        let p = phrases("were $2.5 million at March 31, 2026 and $2.4 million as of Dec. 31, 2025");
        assert_eq!(
            p,
            vec![
                (
                    PeriodPhrase::AsOf(date(2026, 3, 31)),
                    "at March 31, 2026".into()
                ),
                (
                    PeriodPhrase::AsOf(date(2025, 12, 31)),
                    "as of Dec. 31, 2025".into()
                ),
            ]
        );
        let at = |y, m, d| Period::Instant {
            date: date(y, m, d),
        };
        let cal = vec![at(2026, 3, 28), at(2025, 12, 27)];
        let phrase = PeriodPhrase::AsOf(date(2026, 3, 31));
        assert_eq!(resolve(&phrase, &cal, None), Some(at(2026, 3, 28)));
        let phrase = PeriodPhrase::AsOf(date(2026, 6, 30));
        assert_eq!(resolve(&phrase, &cal, None), None);
        // "at" without a date is no period.
        assert!(phrases("at the close of business").is_empty());
    }

    #[test]
    fn quarter_phrases() {
        let p = phrases(
            "in the second quarter of 2011, Q3 2010, the fourth quarter, the third quarter of \
             fiscal 2026 and the 2011 first quarter",
        );
        let q = |n, year: Option<i32>, fiscal| PeriodPhrase::Quarter { n, year, fiscal };
        assert_eq!(
            p[0],
            (q(2, Some(2011), false), "the second quarter of 2011".into())
        );
        assert_eq!(p[1], (q(3, Some(2010), false), "Q3 2010".into()));
        assert_eq!(p[2], (q(4, None, false), "the fourth quarter".into()));
        assert_eq!(p[3].0, q(3, Some(2026), true));
        assert_eq!(p[4].0, q(1, Some(2011), false));
        assert_eq!(p.len(), 5);
    }

    #[test]
    fn ended_phrases() {
        let p = phrases(
            "for the quarter ended June 30, 2012, the nine months ended Sept. 30, 2012, the \
             13 weeks ended May 4, 2013, the fiscal year ended January 31, 2013 and the third \
             quarter ended October 31, 2012",
        );
        assert_eq!(p[0].0, PeriodPhrase::QuarterEnded(date(2012, 6, 30)));
        assert_eq!(p[0].1, "the quarter ended June 30, 2012");
        assert_eq!(
            p[1].0,
            PeriodPhrase::MonthsEnded {
                months: 9,
                end: date(2012, 9, 30)
            }
        );
        assert_eq!(
            p[2].0,
            PeriodPhrase::WeeksEnded {
                weeks: 13,
                end: date(2013, 5, 4)
            }
        );
        assert_eq!(p[3].0, PeriodPhrase::YearEnded(date(2013, 1, 31)));
        assert_eq!(p[4].0, PeriodPhrase::QuarterEnded(date(2012, 10, 31)));
    }

    #[test]
    fn year_to_date_and_years() {
        let p = phrases(
            "the first nine months of fiscal 2009, the first half of 2010, fiscal 2025 and full year 2024",
        );
        assert_eq!(
            p[0].0,
            PeriodPhrase::YearToDate {
                months: 9,
                year: Some(2009),
                fiscal: true
            }
        );
        assert_eq!(
            p[1].0,
            PeriodPhrase::YearToDate {
                months: 6,
                year: Some(2010),
                fiscal: false
            }
        );
        assert_eq!(
            p[2].0,
            PeriodPhrase::Year {
                year: 2025,
                fiscal: true
            }
        );
        assert_eq!(
            p[3].0,
            PeriodPhrase::Year {
                year: 2024,
                fiscal: false
            }
        );
    }

    #[test]
    fn relative_phrases() {
        let p = phrases(
            "over last quarter, versus the year-ago quarter, the same quarter last year, the \
             prior year quarter, the previous quarter, sequential growth, this quarter, the prior year",
        );
        use PeriodPhrase::*;
        let got: Vec<PeriodPhrase> = p.into_iter().map(|x| x.0).collect();
        assert_eq!(
            got,
            vec![
                PriorQuarter,
                YearAgoQuarter,
                YearAgoQuarter,
                YearAgoQuarter,
                PriorQuarter,
                PriorQuarter,
                CurrentQuarter,
                PriorYear
            ]
        );
    }

    fn calendar_quarters() -> Vec<Period> {
        vec![
            months(date(2012, 1, 1), date(2012, 3, 31), 3),
            months(date(2011, 10, 1), date(2011, 12, 31), 3),
            months(date(2011, 1, 1), date(2011, 3, 31), 3),
        ]
    }

    #[test]
    fn resolves_calendar_quarters_and_relatives() {
        let cal = calendar_quarters();
        let anchor = anchor_of(&cal).unwrap();
        assert_eq!(anchor.end(), date(2012, 3, 31));
        let q = |n, y| PeriodPhrase::Quarter {
            n,
            year: Some(y),
            fiscal: false,
        };
        assert_eq!(resolve(&q(1, 2012), &cal, Some(&anchor)), Some(cal[0]));
        assert_eq!(resolve(&q(4, 2011), &cal, Some(&anchor)), Some(cal[1]));
        assert_eq!(resolve(&q(1, 2011), &cal, Some(&anchor)), Some(cal[2]));
        assert_eq!(resolve(&q(2, 2011), &cal, Some(&anchor)), None);
        assert_eq!(
            resolve(&PeriodPhrase::PriorQuarter, &cal, Some(&anchor)),
            Some(cal[1])
        );
        assert_eq!(
            resolve(&PeriodPhrase::YearAgoQuarter, &cal, Some(&anchor)),
            Some(cal[2])
        );
        assert_eq!(
            resolve(&PeriodPhrase::CurrentQuarter, &cal, Some(&anchor)),
            Some(cal[0])
        );
        let fourth = PeriodPhrase::Quarter {
            n: 4,
            year: None,
            fiscal: false,
        };
        assert_eq!(resolve(&fourth, &cal, Some(&anchor)), Some(cal[1]));
        let qe = PeriodPhrase::QuarterEnded(date(2011, 12, 31));
        assert_eq!(resolve(&qe, &cal, Some(&anchor)), Some(cal[1]));
        let qe = PeriodPhrase::QuarterEnded(date(2011, 9, 30));
        assert_eq!(resolve(&qe, &cal, Some(&anchor)), None);
    }

    #[test]
    fn resolves_fiscal_year_from_the_balance_sheet_dates() {
        let at = |y, m, d| Period::Instant {
            date: date(y, m, d),
        };
        // A first quarter of fiscal 2023 for a 52/53-week year ending the
        // Friday nearest November 30: no year-to-date column, but the
        // balance sheet prints March 3, 2023 beside December 2, 2022.
        let q = months(date(2022, 12, 3), date(2023, 3, 3), 3);
        let cal = vec![at(2022, 12, 2), q, at(2023, 3, 3)];
        assert_eq!(year_end_of_instants(&cal), Some(11));
        assert_eq!(fiscal_start_month(&cal), 12);
        let first = PeriodPhrase::Quarter {
            n: 1,
            year: Some(2023),
            fiscal: true,
        };
        assert_eq!(resolve(&first, &cal, anchor_of(&cal).as_ref()), Some(q));
        // Two year ends a year apart, or one date, say nothing.
        assert_eq!(
            year_end_of_instants(&[at(2013, 5, 31), at(2014, 5, 31)]),
            None
        );
        assert_eq!(year_end_of_instants(&[at(2014, 5, 31)]), None);
        // Calendar year: March 31 beside December 31.
        assert_eq!(
            year_end_of_instants(&[at(2021, 12, 31), at(2022, 3, 31)]),
            Some(12)
        );
    }

    #[test]
    fn resolves_fiscal_year_from_year_to_date_columns() {
        // A fiscal year starting in July: the six-month column starts July 1.
        let cal = vec![
            months(date(2025, 10, 1), date(2025, 12, 31), 3),
            months(date(2025, 7, 1), date(2025, 12, 31), 6),
            months(date(2024, 10, 1), date(2024, 12, 31), 3),
        ];
        let anchor = anchor_of(&cal).unwrap();
        assert_eq!(fiscal_start_month(&cal), 7);
        let q2 = PeriodPhrase::Quarter {
            n: 2,
            year: Some(2026),
            fiscal: true,
        };
        assert_eq!(resolve(&q2, &cal, Some(&anchor)), Some(cal[0]));
        let ytd = PeriodPhrase::YearToDate {
            months: 6,
            year: Some(2026),
            fiscal: true,
        };
        assert_eq!(resolve(&ytd, &cal, Some(&anchor)), Some(cal[1]));
    }

    #[test]
    fn resolves_week_based_quarters() {
        let cal = vec![
            Period::Duration {
                start: date(2013, 2, 3),
                end: date(2013, 5, 4),
                length: PeriodLength::Weeks(13),
            },
            Period::Duration {
                start: date(2012, 1, 29),
                end: date(2013, 2, 2),
                length: PeriodLength::Weeks(53),
            },
        ];
        let anchor = anchor_of(&cal).unwrap();
        let q1 = PeriodPhrase::Quarter {
            n: 1,
            year: Some(2013),
            fiscal: false,
        };
        // The 53-week year starts in February, so quarter 1 of fiscal 2013
        // ends in early May 2013.
        assert_eq!(resolve(&q1, &cal, Some(&anchor)), Some(cal[0]));
        let we = PeriodPhrase::WeeksEnded {
            weeks: 13,
            end: date(2013, 5, 4),
        };
        assert_eq!(resolve(&we, &cal, Some(&anchor)), Some(cal[0]));
    }
}
