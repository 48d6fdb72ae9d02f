//! Arithmetic across periods: flows that add up over time, and the cash a
//! cash flow statement ends with.
//!
//! **Period sums.** In one table row, a flow printed for a period and for
//! periods that exactly cover it end to end (four quarters and the year;
//! nine months and the fourth quarter; two quarters and the half year)
//! adds up: the longer period's figure is the sum of the shorter ones',
//! within the rounding of every printed figure. Only money flows are added:
//! per-share amounts, share counts, percentages and ratios do not add, and
//! rows that state a balance in a flow column (`Cash at end of period`,
//! `Balance, beginning of year`) are left out.
//!
//! **Cash tie.** A cash flow statement's `Cash and cash equivalents at end
//! of period` equals the balance sheet's cash and cash equivalents at the
//! period's end, and its beginning cash the balance sheet's at the day
//! before the period starts, when the balance sheet prints that date. A
//! cash flow statement that ends with cash *and restricted cash* is not
//! compared (the balance sheet prints them apart), nor is a balance sheet
//! whose cash line includes investments.

use chrono::Days;
use rustc_hash::FxHashMap;

use crate::ast::{Exhibit, Period, Table};
use crate::check::{Fit, Judgement};
use crate::facts::{Fact, format_amount};
use crate::finding::{Finding, Label, Tick};
use crate::rules::{Interval, Rule, Unit};
use crate::span::Span;

/// Pairs of words that say the same as [`not_additive_word`]'s, one space
/// between them (the label is normalized).
const NOT_ADDITIVE_PAIRS: &[(&str, &str)] = &[("end", "of"), ("per", "share")];

/// Whether `word` is a word of a row label that says its figure is a
/// balance, a ratio or an average, which no sum of periods gives. A
/// `match`, which tells most words apart by their length, not a comparison
/// with each (this runs for every word of every row label).
fn not_additive_word(word: &str) -> bool {
    matches!(
        word,
        "beginning"
            | "ending"
            | "balance"
            | "outstanding"
            | "average"
            | "margin"
            | "rate"
            | "ratio"
            | "percent"
            | "days"
            | "headcount"
            | "employees"
            | "backlog"
    )
}

/// Whether a row label names a word [`not_additive_word`] takes or one of
/// [`NOT_ADDITIVE_PAIRS`], or a `%` standing alone.
fn not_additive(label: &str) -> bool {
    // Whole words: `ratio` is in `operations`, `rate` in `corporate`,
    // `ending` in `lending`. One pass over the label's words (this runs
    // for every row of a release); a pair is two words one space apart.
    let mut previous: Option<(&str, usize)> = None;
    let named = crate::check::any_label_word(label, |word| {
        let start = word.as_ptr() as usize - label.as_ptr() as usize;
        let pair = previous.is_some_and(|(before, end)| {
            label.get(end..start) == Some(" ") && NOT_ADDITIVE_PAIRS.contains(&(before, word))
        });
        previous = Some((word, start + word.len()));
        pair || not_additive_word(word)
    });
    if named {
        return true;
    }
    // A `%` standing alone, not after a figure (`(%)`, `in %`).
    label.match_indices('%').any(|(i, _)| {
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        !word(label[..i].chars().next_back()) && !word(label[i + 1..].chars().next())
    })
}

fn duration(p: Period) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    match p {
        Period::Duration { start, end, .. } => Some((start, end)),
        Period::Instant { .. } => None,
    }
}

/// The parts of `whole` among `parts` that cover it end to end, finest
/// first (shorter periods are tried first at each step); `None` when no
/// two or more of them do.
fn cover<'f>(whole: &Fact<'_>, parts: &[&'f Fact<'f>]) -> Option<Vec<&'f Fact<'f>>> {
    let (ws, we) = duration(whole.period)?;
    let inside = |f: &&Fact| {
        duration(f.period).is_some_and(|(s, e)| s >= ws && e <= we && (s, e) != (ws, we))
    };
    // Most periods (a quarter) hold fewer than two others, and one part
    // never covers the whole: nothing to search (or gather). One pass.
    let mut inside_parts = parts.iter().copied().filter(inside);
    let (first, second) = (inside_parts.next()?, inside_parts.next()?);
    let mut sorted: Vec<&Fact> = vec![first, second];
    sorted.extend(inside_parts);
    sorted.sort_by_key(|f| duration(f.period));
    // Depth-first from the whole's start; at most a handful of columns.
    fn walk<'f>(
        from: chrono::NaiveDate,
        end: chrono::NaiveDate,
        sorted: &[&'f Fact<'f>],
        path: &mut Vec<&'f Fact<'f>>,
        depth: usize,
    ) -> bool {
        if depth > 16 {
            return false;
        }
        for &f in sorted {
            let Some((s, e)) = duration(f.period) else {
                continue;
            };
            if s != from {
                continue;
            }
            path.push(f);
            if e == end {
                return true;
            }
            if let Some(next) = e.checked_add_days(Days::new(1))
                && walk(next, end, sorted, path, depth + 1)
            {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = Vec::new();
    (walk(ws, we, &sorted, &mut path, 0) && path.len() >= 2).then_some(path)
}

/// Whether a table's notes say its periods' figures may not add up
/// because of rounding (`The sum of the quarterly financial information
/// may vary from year-to-date financial information due to rounding`).
fn says_sums_vary(t: &Table) -> bool {
    t.footnotes
        .iter()
        .chain(&t.title)
        .any(|l| says_sums_vary_text(&l.text))
}

fn says_sums_vary_text(text: &str) -> bool {
    // Most paragraphs do not mention rounding: no lowercase copy for them.
    if !crate::parse::period::contains_ignore_ascii_case(text.as_bytes(), b"rounding") {
        return false;
    }
    let x = text.to_ascii_lowercase();
    [
        "may vary",
        "may not",
        "may differ",
        "might not",
        "do not sum",
        "not add",
        "not sum",
    ]
    .iter()
    .any(|w| x.contains(w))
}

/// The sum of the parts' printed intervals.
fn sum(parts: &[&Fact]) -> Option<Interval> {
    let mut it = parts.iter();
    let first = it.next()?.interval;
    it.try_fold(first, |acc, f| acc.add(f.interval))
}

/// Every sum of periods of an exhibit's tables (the whole, its parts, and
/// how they fit), and whether the release warns that its sums may vary by
/// rounding (read only when a sum is not exact: `false` when none is).
/// Read once per exhibit for both period-sum rules.
pub struct PeriodSums<'f> {
    sums: Vec<(&'f Fact<'f>, Vec<&'f Fact<'f>>, Fit)>,
    noted: bool,
}

impl<'f> PeriodSums<'f> {
    pub fn new(exhibit: &Exhibit, facts: &'f [Fact], tables: &[&Table]) -> PeriodSums<'f> {
        // Each row's money flows, by segment: (table, row, member) keys, in
        // key order, each with its facts in the order printed.
        type RowKey<'k> = (usize, usize, Option<&'k str>);
        let mut entries: Vec<(RowKey<'_>, &Fact)> = Vec::with_capacity(facts.len());
        // Facts come row by row: a row's label is read once.
        let mut last_row: Option<((usize, usize), bool)> = None;
        for f in facts {
            if f.unit != Unit::Money || f.period.is_instant() {
                continue;
            }
            let skip = match last_row {
                Some((row, skip)) if row == (f.table, f.row) => skip,
                _ => {
                    let skip = not_additive(f.label);
                    last_row = Some(((f.table, f.row), skip));
                    skip
                }
            };
            if !skip {
                entries.push(((f.table, f.row, f.member), f));
            }
        }
        // Facts come in table and row order, so the stable sort only puts
        // a row's segments in order (and keeps each one's facts as printed).
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        // The note may stand as a paragraph of its own, or under another piece
        // of the same schedule: it speaks for the release's quarterly figures.
        // It matters only to a sum that is not exact (an exact one fits and
        // is reported by neither rule, warned or not): the release is read
        // for it when the first such sum is found.
        let mut warned: Option<bool> = None;
        let mut noted = || {
            *warned.get_or_insert_with(|| {
                exhibit.paragraphs().any(|p| says_sums_vary_text(&p.text))
                    || tables.iter().any(|t| says_sums_vary(t))
            })
        };
        let mut sums = Vec::new();
        // One list for every row in turn: one fact per period (the first
        // printed).
        let mut row: Vec<&Fact> = Vec::new();
        for group in entries.chunk_by(|a, b| a.0 == b.0) {
            row.clear();
            for &(_, f) in group {
                if !row.iter().any(|g| g.period == f.period) {
                    row.push(f);
                }
            }
            for &whole in &row {
                let Some(parts) = cover(whole, &row) else {
                    continue;
                };
                let Some(total) = sum(&parts) else {
                    continue;
                };
                let exact =
                    parts.iter().map(|f| f.value).sum::<rust_decimal::Decimal>() == whole.value;
                let fit = if exact {
                    Fit::Exact
                } else {
                    let unit = whole.scale.factor() * rust_decimal::Decimal::new(1, whole.decimals);
                    // A release that warns its quarters may not add to the year
                    // because of rounding rounded them more than once (each
                    // quarter from year-to-date figures): one unit per part more.
                    let slack = if noted() {
                        rust_decimal::Decimal::from(parts.len()) * unit
                    } else {
                        rust_decimal::Decimal::ZERO
                    };
                    let total = Interval::new(total.lo - slack, total.hi + slack);
                    if total.intersects(whole.interval) {
                        Fit::Rounded
                    } else {
                        Fit::No
                    }
                };
                sums.push((whole, parts, fit));
            }
        }
        PeriodSums {
            sums,
            noted: warned.unwrap_or(false),
        }
    }
}

/// Reports the period sums of an exhibit `rule` finds wrong. Returns
/// whether any was checked.
pub fn period_sums(
    analysis: &PeriodSums<'_>,
    rule: &Rule,
    findings: &mut Vec<Finding>,
    tied: &mut Vec<Span>,
    mut ticks: Option<&mut Vec<Tick>>,
) -> bool {
    let PeriodSums { sums, noted } = analysis;
    let noted = *noted;
    // `scope: document`: the release's convention. When its sums are
    // exact (at least four, at most one in ten rounded) and it does not
    // warn that they may not be, a sum that only holds by rounding is
    // reported: more likely a typo than rounding.
    let judge = Judgement::new(rule, sums.iter().map(|s| s.2), noted);
    let (convention, exact) = (judge.convention, judge.exact);
    for (whole, parts, fit) in sums {
        let report = judge.reports(*fit);
        let terms = || {
            parts
                .iter()
                .map(|f| format_amount(f.printed))
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let labels = || {
            let mut labels = vec![Label::new(
                whole.span,
                format!("{} ({})", whole.text(), whole.period),
            )];
            labels.extend(
                parts
                    .iter()
                    .map(|f| Label::new(f.span, format!("{} ({})", f.text(), f.period))),
            );
            labels
        };
        if !report {
            if judge.ties(*fit) {
                tied.push(whole.span);
                tied.extend(parts.iter().map(|f| f.span));
                if let Some(t) = ticks.as_deref_mut() {
                    t.push(Tick {
                        rule: rule.id.clone(),
                        text: format!(
                            "{}: {} = {} ({})",
                            whole.row_label,
                            format_amount(whole.printed),
                            terms(),
                            whole.period
                        ),
                        labels: labels(),
                    });
                }
            }
            continue;
        }
        let (terms, labels) = (terms(), labels());
        let unit = whole.scale.factor() * rust_decimal::Decimal::new(1, whole.decimals);
        let printed_sum: rust_decimal::Decimal = parts.iter().map(|f| f.value).sum();
        let diff = (printed_sum - whole.value) / unit;
        let half = rust_decimal::Decimal::from(parts.len() + 1) / rust_decimal::Decimal::TWO;
        let allowance = if convention {
            format!("within rounding, but the release's other {exact} sums of periods are exact")
        } else if noted {
            format!(
                "rounding allows {}, the release saying its sums may vary by rounding",
                (half + rust_decimal::Decimal::from(parts.len())).normalize()
            )
        } else {
            format!("rounding allows {}", half.normalize())
        };
        let message = format!(
            "{}: {} for the {} but the {} periods it covers add to {} ({terms}); \
             difference {} ({allowance})",
            whole.row_label,
            format_amount(whole.printed),
            whole.period,
            parts.len(),
            format_amount(
                (printed_sum / whole.scale.factor())
                    .round_dp(whole.decimals)
                    .normalize()
            ),
            format_amount(diff.abs().normalize()),
        );
        let mut finding = crate::check::finding(rule, message, labels);
        finding.difference = Some(diff.abs());
        findings.push(finding);
    }
    !sums.is_empty()
}

/// `cash and cash equivalents at end of period` (normalized): `Some(true)`
/// for an ending balance, `Some(false)` for a beginning one.
fn cash_flow_balance(label: &str) -> Option<bool> {
    use std::sync::LazyLock;
    static RE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:cash|cash and cash equivalents|cash and equivalents),? (?:at |as of )?(?:the )?(end|beginning|start) of (?:the )?(?:fiscal )?(?:period|year|quarter|month|six months|nine months)s?$",
        )
        .expect("a valid pattern")
    });
    // Asked of every flow's label: most do not start as the pattern does.
    if !label.starts_with("cash") {
        return None;
    }
    let c = RE.captures(label)?;
    Some(&c[1] == "end")
}

/// Checks the cash flow statement's beginning and ending cash against the
/// balance sheet. Returns whether any pair was compared.
pub fn cash_ties(
    facts: &[Fact],
    rule: &Rule,
    findings: &mut Vec<Finding>,
    tied: &mut Vec<Span>,
    mut ticks: Option<&mut Vec<Tick>>,
) -> bool {
    // The balance sheet's cash by date; a date printed with two amounts
    // (two balance sheets that disagree) is not compared.
    let mut sheet: FxHashMap<chrono::NaiveDate, Option<&Fact>> = FxHashMap::default();
    for f in facts {
        if f.member.is_none()
            && f.concept
                .as_ref()
                .is_some_and(|c| c.as_str() == "cash_and_equivalents")
            && let Period::Instant { date } = f.period
        {
            sheet
                .entry(date)
                .and_modify(|e| {
                    if e.is_some_and(|g| !g.interval.intersects(f.interval)) {
                        *e = None;
                    }
                })
                .or_insert(Some(f));
        }
    }
    let mut checked = false;
    for f in facts {
        let Some((start, end)) = duration(f.period) else {
            continue;
        };
        if f.member.is_some() || f.unit != Unit::Money {
            continue;
        }
        let Some(ending) = cash_flow_balance(f.label) else {
            continue;
        };
        let date = if ending {
            end
        } else {
            match start.checked_sub_days(Days::new(1)) {
                Some(d) => d,
                None => continue,
            }
        };
        let Some(Some(b)) = sheet.get(&date) else {
            continue;
        };
        // Both must be in different tables: a statement that prints its own
        // cash line twice is not a tie of two statements.
        if b.table == f.table {
            continue;
        }
        checked = true;
        let labels = vec![
            Label::new(f.span, format!("{} ({})", f.text(), f.period)),
            Label::new(b.span, format!("{} ({})", b.text(), b.period)),
        ];
        if f.interval.intersects(b.interval) {
            tied.extend(labels.iter().map(|l| l.span));
            if let Some(t) = ticks.as_deref_mut() {
                t.push(Tick {
                    rule: rule.id.clone(),
                    text: format!(
                        "{} = balance sheet cash at {date}: {}",
                        f.text(),
                        format_amount(b.printed)
                    ),
                    labels,
                });
            }
            continue;
        }
        let unit = f.scale.factor() * rust_decimal::Decimal::new(1, f.decimals);
        let diff = (f.value - b.value) / unit;
        let message = format!(
            "{}: {} for the {}, but the balance sheet's {} at {date} is {}; difference {}",
            f.row_label,
            format_amount(f.printed),
            f.period,
            b.row_label.to_lowercase(),
            format_amount(b.printed),
            format_amount(diff.abs().normalize()),
        );
        let mut finding = crate::check::finding(rule, message, labels);
        finding.difference = Some(diff.abs());
        findings.push(finding);
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cash_flow_balances() {
        assert_eq!(
            cash_flow_balance("cash and cash equivalents at end of period"),
            Some(true)
        );
        assert_eq!(
            cash_flow_balance("cash and cash equivalents, beginning of year"),
            Some(false)
        );
        assert_eq!(
            cash_flow_balance("cash, cash equivalents and restricted cash at end of period"),
            None
        );
        assert_eq!(cash_flow_balance("cash paid for interest"), None);
    }

    #[test]
    fn balances_and_ratios_do_not_add() {
        assert!(not_additive("cash at end of period"));
        assert!(not_additive("gross margin"));
        assert!(!not_additive("net revenue"));
    }

    /// The words [`not_additive_word`] matches, as a list.
    const NOT_ADDITIVE_WORDS: &[&str] = &[
        "beginning",
        "ending",
        "balance",
        "outstanding",
        "average",
        "margin",
        "rate",
        "ratio",
        "percent",
        "days",
        "headcount",
        "employees",
        "backlog",
    ];

    /// The words as `not_additive` read them before ASCII labels were
    /// split by bytes: every label split by characters.
    fn not_additive_by_chars(label: &str) -> bool {
        let words: Vec<(usize, &str)> = label
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| (w.as_ptr() as usize - label.as_ptr() as usize, w))
            .collect();
        let named = words.iter().enumerate().any(|(k, &(start, w))| {
            NOT_ADDITIVE_WORDS.contains(&w)
                || k > 0 && {
                    let (s0, before) = words[k - 1];
                    label.get(s0 + before.len()..start) == Some(" ")
                        && NOT_ADDITIVE_PAIRS.contains(&(before, w))
                }
        });
        named
            || label.match_indices('%').any(|(i, _)| {
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                !word(label[..i].chars().next_back()) && !word(label[i + 1..].chars().next())
            })
    }

    #[test]
    fn the_word_match_is_the_list() {
        for w in NOT_ADDITIVE_WORDS {
            assert!(not_additive_word(w), "{w}");
            // Near misses: a letter more, a letter less, another case.
            assert!(!not_additive_word(&format!("{w}s")), "{w}s");
            assert!(!not_additive_word(&w[1..]), "{w}");
            assert!(!not_additive_word(&w.to_uppercase()), "{w}");
        }
        for w in [
            "", "end", "of", "per", "share", "net", "rates", "income", "days1",
        ] {
            assert_eq!(not_additive_word(w), NOT_ADDITIVE_WORDS.contains(&w), "{w}");
        }
    }

    proptest::proptest! {
        /// Splitting an ASCII label by bytes finds the words splitting by
        /// characters finds; other labels go the character way.
        #[test]
        fn byte_split_labels_read_as_char_split_ones(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![
                        "end", "of", "per", "share", "rate", "ratio", "margin", "days",
                        "net", "income", "%", "10%", "(%)", "é", "ø1", "café",
                    ]),
                    proptest::sample::select(vec![" ", "  ", "-", ", ", "(", ")", "/"]),
                ],
                0..12,
            ),
        ) {
            let label = words.concat();
            proptest::prop_assert_eq!(not_additive(&label), not_additive_by_chars(&label), "{:?}", label);
        }
    }

    #[test]
    fn additivity_goes_by_whole_words() {
        assert!(!not_additive("income (loss) from operations"));
        assert!(!not_additive("corporate and other"));
        assert!(!not_additive("net lending income"));
        assert!(not_additive("gross margin"));
        assert!(not_additive("cash at end of period"));
        assert!(not_additive("effective tax rate"));
        assert!(not_additive("weighted average shares outstanding"));
        assert!(not_additive("gross margin %"));
        assert!(not_additive("net income per share"));
        assert!(not_additive("days sales outstanding"));
        assert!(not_additive("segment margin (%)"));
        assert!(!not_additive("income at 10% notes"));
        assert!(!not_additive("spend of capital"));
        assert!(!not_additive("appendix, per shareholder"));
        assert!(!not_additive("rated notes"));
    }
}
