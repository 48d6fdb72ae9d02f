//! Column headers that name a fiscal period instead of dating it:
//! `First Quarter 2022`, `Q3 FY2025`, `Fiscal 2025 Third Quarter`,
//! `Full Year 2021`, `Six Months 2024`.
//!
//! Such a header is dated only by the document's fiscal calendar: the
//! duration periods its other columns print (`Three Months Ended March 31,
//! 2022`). The header is read with the narrative's period grammar
//! ([`crate::narrative::period`]) and resolved the way a sentence naming the
//! same period would be, so a column and a sentence about "the first quarter
//! of 2022" always mean the same period. The fiscal year's first month comes
//! from a year-to-date or full-year column, else from the balance sheet's
//! two dates (a quarter end beside the prior year end).
//!
//! A header first resolves to a period another column prints. Once one
//! does (so the document names its quarters as the calendar says), the
//! others (`Fiscal 2013 Q2` in a quarterly history) are computed from the
//! fiscal calendar, but only when that calendar is evident and month-based
//! ([`computed`]). Otherwise the column stays undated and is reported,
//! never guessed.
//!
//! The undated columns of a bridge between two periods (`Sales Volume`,
//! `Price Realization`, `Currency`) are change columns when every row adds
//! up from the earlier period to the later. A table of entity columns whose
//! rows fall in sections headed by a period becomes one table per section.
//! An adjustments column between two columns of one period, its header
//! missing only their year, takes their period. A table of entity columns (`Consolidated`, `Financial Products`) whose
//! title states one period (`For the Three Months Ended March 31, 2022`)
//! reports that period in every column. In a table of trailing-four-quarter figures (its title
//! says `trailing`, `TTM` or `LTM`), a quarter's column is the twelve
//! months ending with that quarter.

use crate::ast::{
    Block, Column, ColumnKind, Exhibit, ParseIssue, ParseIssueKind, Period, PeriodLength, Table,
    TextLine,
};
use crate::narrative::period::{
    PeriodPhrase, anchor_of, computed, find_periods, fiscal_year_evident, quarter_end_statement,
    resolve, stated_fiscal_year,
};
use crate::parse::period::{column_period, duration_start, is_period_text};
use crate::span::Span;
use chrono::Datelike;
use rust_decimal::Decimal;

/// Dates the undated period columns of every table whose header names a
/// fiscal period the document prints, and drops their undated-column issues.
pub fn date_named_periods(exhibits: &mut [Exhibit], issues: &mut Vec<ParseIssue>) {
    let mut dated = Vec::new();
    for e in exhibits.iter_mut() {
        for b in &mut e.blocks {
            if let Block::Table(t) = b {
                date_from_title(t, &mut dated);
                year_from_neighbours(t, &mut dated);
            }
        }
    }
    let columns = || {
        exhibits
            .iter()
            .flat_map(|e| &e.blocks)
            .flat_map(|b| match b {
                Block::Table(t) => t.columns.as_slice(),
                Block::Paragraph(_) => &[],
            })
    };
    if !columns().any(is_undated) {
        drop_issues(issues, &dated);
        return;
    }
    let mut calendar: Vec<Period> = columns().filter_map(|c| c.period).collect();
    calendar.sort();
    calendar.dedup();
    stated_calendar(exhibits, &mut calendar);
    let anchor = anchor_of(&calendar);
    let titled = dated.len();
    // First the headers that name a printed period; when some do, the
    // calendar names quarters as the document does, and the others (a
    // quarterly history) are computed from it.
    let durations = calendar.iter().any(|p| !p.is_instant());
    for computing in [false, true] {
        if !durations || computing && dated.len() == titled {
            break;
        }
        for e in exhibits.iter_mut() {
            for b in &mut e.blocks {
                let Block::Table(t) = b else { continue };
                let trailing = is_trailing(&t.title);
                for c in t.columns.iter_mut().filter(|c| is_undated(c)) {
                    let text = c.header_text();
                    if let Some(p) = named_period(&text, &calendar, anchor.as_ref(), computing) {
                        c.period = Some(if trailing { trailing_year(p) } else { p });
                        dated.push(c.span);
                    }
                }
            }
        }
    }
    for e in exhibits.iter_mut() {
        for b in &mut e.blocks {
            if let Block::Table(t) = b {
                bridge_columns(t, &mut dated);
                measures_by_period_rows(t, &calendar, anchor.as_ref(), &mut dated);
                ranges(t, &mut dated);
                measure_columns(t, &mut dated);
            }
        }
        let blocks = std::mem::take(&mut e.blocks);
        for b in blocks {
            match b {
                Block::Table(t) => e.blocks.extend(
                    by_period_headings(t, &calendar, anchor.as_ref(), &mut dated)
                        .into_iter()
                        .map(Block::Table),
                ),
                other => e.blocks.push(other),
            }
        }
    }
    drop_issues(issues, &dated);
}

/// The release's own statement of its quarter (`its fiscal third quarter
/// ended June 30, 2020` before the first table) adds that quarter to the
/// calendar the headers are dated by and, when the columns do not show the
/// fiscal year, its fiscal year too, so `Q3 2020` and `Q2 2020` columns are
/// dated as the company counts its quarters, not as calendar quarters.
fn stated_calendar(exhibits: &[Exhibit], calendar: &mut Vec<Period>) {
    let Some((n, end)) = exhibits
        .iter()
        .flat_map(Exhibit::lead_paragraphs)
        .find_map(|p| quarter_end_statement(&p.text))
    else {
        return;
    };
    let length = PeriodLength::Months(3);
    let Some(start) = duration_start(end, length) else {
        return;
    };
    let quarter = Period::Duration { start, end, length };
    if !calendar.contains(&quarter) {
        calendar.push(quarter);
    }
    if let Some(year) = stated_fiscal_year(calendar, n, end) {
        calendar.push(year);
    }
    calendar.sort();
}

/// The `Low` and `High` columns of a range of targets (`Fiscal Year 2023`
/// over `Low | High`, a period the release does not print yet), and the
/// undated columns of a table whose title names targets, an outlook,
/// guidance or a forecast: no reporting period's actual figures, so no
/// facts, and not reported as undated; each column still foots. Only
/// undated columns; a range only when the table has both of its ends.
fn ranges(t: &mut Table, dated: &mut Vec<Span>) {
    // A table of targets or an outlook (its title says so): its undated
    // columns are periods still to come, with no actual figures.
    let outlook = t.title.iter().any(|l| {
        l.text.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "target" | "targets" | "outlook" | "guidance" | "forecast"
            )
        })
    });
    if outlook {
        for c in t.columns.iter_mut().filter(|c| is_undated(c)) {
            c.kind = ColumnKind::Other;
            dated.push(c.span);
        }
        return;
    }
    let end_of = |c: &Column| {
        let text = c.header_text().to_ascii_lowercase();
        let last = text.split_whitespace().last().unwrap_or("").to_string();
        match last.as_str() {
            "low" | "high" => Some(last),
            _ => None,
        }
    };
    let ends: Vec<String> = t
        .columns
        .iter()
        .filter(|c| is_undated(c))
        .filter_map(end_of)
        .collect();
    if !(ends.iter().any(|e| e == "low") && ends.iter().any(|e| e == "high")) {
        return;
    }
    for c in t.columns.iter_mut().filter(|c| is_undated(c)) {
        if end_of(c).is_some() {
            c.kind = ColumnKind::Other;
            dated.push(c.span);
        }
    }
}

/// Every period column of `t` becomes `Other` (footed, no facts), and is
/// no longer reported as undated.
fn period_columns_to_other(t: &mut Table, dated: &mut Vec<Span>) {
    for c in t
        .columns
        .iter_mut()
        .filter(|c| c.kind == ColumnKind::Period)
    {
        c.kind = ColumnKind::Other;
        dated.push(c.span);
    }
}

/// A table whose columns are measures, not periods (`Cash Collected` |
/// `Remaining Milestone Potential` over a list of licensing deals): the
/// table has a title, and no header and no title line says anything about
/// a period (no date, year,
/// quarter, month, week or "ended"), and no column is dated. Its columns
/// become `Other`: each still foots, none gives facts, and none is
/// reported as undated, because nothing in them was a period to read. A
/// header that tries to name a period and fails (`Fiscal 2027`, `Current
/// quarter`) is still reported, and so is an untitled table (Sears prints
/// the period of its segment detail in a starred line above it).
fn measure_columns(t: &mut Table, dated: &mut Vec<Span>) {
    let speaks_of_periods = |text: &str| is_period_text(text) || !find_periods(text).is_empty();
    let periods = || t.columns.iter().filter(|c| c.kind == ColumnKind::Period);
    if t.title.is_empty()
        || periods().next().is_none()
        || !periods().all(is_undated)
        || t.columns
            .iter()
            .any(|c| speaks_of_periods(&c.header_text()))
        || t.title.iter().any(|l| speaks_of_periods(&l.text))
    {
        return;
    }
    period_columns_to_other(t, dated);
}

/// A table printed on its side: its columns are measures (`Operating
/// Profit`, `Profit per Share`) and its rows periods (`Three Months Ended
/// March 31, 2022 - U.S. GAAP`, the adjustments under it, `... - Adjusted`).
/// Its columns are then no period columns at all: they become `Other`, are
/// not reported as undated, and give no facts (a column header is no row
/// label the dictionary reads); the table still foots down each column.
/// Only when no header names a period, the first row with figures names a
/// printed period, and at least two rows do.
fn measures_by_period_rows(
    t: &mut Table,
    calendar: &[Period],
    anchor: Option<&Period>,
    dated: &mut Vec<Span>,
) {
    let periods: Vec<&Column> = t
        .columns
        .iter()
        .filter(|c| c.kind == ColumnKind::Period)
        .collect();
    if periods.is_empty()
        || periods.iter().any(|c| c.period.is_some())
        || t.columns
            .iter()
            .any(|c| !find_periods(&c.header_text()).is_empty())
    {
        return;
    }
    let row_period = |label: &str| {
        column_period(label)
            .period
            .filter(|p| calendar.contains(p))
            .or_else(|| named_period(label, calendar, anchor, false))
    };
    let mut with_values = t.rows.iter().filter(|r| r.has_values());
    let Some(first) = with_values.next() else {
        return;
    };
    if row_period(&first.label).is_none() || !with_values.any(|r| row_period(&r.label).is_some()) {
        return;
    }
    period_columns_to_other(t, dated);
}

/// A table whose columns are entities (`North America`, `EAME`, `Total`)
/// and whose periods are headings over sections of rows (`First Quarter
/// 2022` ... `First Quarter 2021` ...): one table per section, its columns
/// dated by the section's heading. Only when no period column dates itself,
/// every row with figures sits under such a heading, and each heading
/// states one period.
fn by_period_headings(
    t: Table,
    calendar: &[Period],
    anchor: Option<&Period>,
    dated: &mut Vec<Span>,
) -> Vec<Table> {
    let undated = t.columns.iter().any(is_undated)
        && t.columns
            .iter()
            .filter(|c| c.kind == ColumnKind::Period)
            .all(|c| c.period.is_none());
    if !undated {
        return vec![t];
    }
    let heading_period = |r: &crate::ast::Row| -> Option<Period> {
        if r.has_values() {
            return None;
        }
        column_period(&r.label)
            .period
            .or_else(|| named_period(&r.label, calendar, anchor, false))
    };
    let starts: Vec<(usize, Period)> = t
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| heading_period(r).map(|p| (i, p)))
        .collect();
    let Some(&(first, _)) = starts.first() else {
        return vec![t];
    };
    if t.rows[..first].iter().any(crate::ast::Row::has_values) {
        return vec![t];
    }
    for c in t.columns.iter().filter(|c| is_undated(c)) {
        dated.push(c.span);
    }
    let mut out = Vec::with_capacity(starts.len());
    for (k, &(from, p)) in starts.iter().enumerate() {
        let to = starts.get(k + 1).map_or(t.rows.len(), |&(i, _)| i);
        let rows = t.rows[from..to].to_vec();
        let mut columns = t.columns.clone();
        for c in columns.iter_mut().filter(|c| is_undated(c)) {
            c.period = Some(p);
        }
        let span = rows
            .iter()
            .map(|r| r.span)
            .reduce(Span::join)
            .unwrap_or(t.span);
        out.push(Table {
            // The first section keeps the title and header above it.
            span: if k == 0 {
                Span::new(
                    t.span.offset,
                    (span.offset + span.len).saturating_sub(t.span.offset),
                )
            } else {
                span
            },
            title: if k == 0 { t.title.clone() } else { Vec::new() },
            scale: t.scale.clone(),
            columns,
            rows,
            footnotes: if k + 1 == starts.len() {
                t.footnotes.clone()
            } else {
                Vec::new()
            },
        });
    }
    out
}

/// A bridge between two periods (`First Quarter 2021` | `Sales Volume` |
/// `Price Realization` | `Currency` | `First Quarter 2022`): the undated
/// columns between two dated columns of one length, the earlier first, are
/// the changes that lead from one to the other, not periods. They are
/// taken as change columns only when the arithmetic says so: every row that
/// prints all of them adds up (earlier + changes = later, within the
/// rounding of the figures added), and at least one row does.
fn bridge_columns(t: &mut Table, dated: &mut Vec<Span>) {
    let period = |i: usize| {
        let c = &t.columns[i];
        (c.kind == ColumnKind::Period).then_some(c.period).flatten()
    };
    let Some(from) = (0..t.columns.len()).find(|&i| period(i).is_some()) else {
        return;
    };
    let Some(to) = (from + 1..t.columns.len()).find(|&i| period(i).is_some()) else {
        return;
    };
    let (
        Some(Period::Duration {
            end: e0,
            length: l0,
            ..
        }),
        Some(Period::Duration {
            end: e1,
            length: l1,
            ..
        }),
    ) = (period(from), period(to))
    else {
        return;
    };
    let between = from + 1..to;
    if l0 != l1
        || e0 >= e1
        || between.is_empty()
        || !between.clone().all(|i| is_undated(&t.columns[i]))
    {
        return;
    }
    let mut rows = 0;
    for r in &t.rows {
        let cells: Option<Vec<&crate::ast::Cell>> = (from..=to)
            .map(|i| r.cells.get(i).and_then(Option::as_ref))
            .collect();
        let Some(cells) = cells else {
            if (from..=to).any(|i| r.cells.get(i).is_some_and(Option::is_some)) {
                // A row printing only some of them: not a bridge row.
                return;
            }
            continue;
        };
        if cells
            .iter()
            .any(|c| c.percent || c.basis_points || c.out_of_range)
        {
            return;
        }
        let last = cells[cells.len() - 1];
        let sum: Decimal = cells[..cells.len() - 1].iter().map(|c| c.value).sum();
        let slack: Decimal = cells.iter().map(|c| Decimal::new(5, c.decimals + 1)).sum();
        if (sum - last.value).abs() > slack {
            return;
        }
        rows += 1;
    }
    if rows == 0 {
        return;
    }
    for i in between {
        t.columns[i].kind = ColumnKind::Change;
        dated.push(t.columns[i].span);
    }
}

/// Drops the undated-column issues of the columns now dated.
fn drop_issues(issues: &mut Vec<ParseIssue>, dated: &[Span]) {
    issues.retain(|i| !(i.kind == ParseIssueKind::UndatedColumn && dated.contains(&i.span)));
}

/// An adjustments column printed between the two columns of one period
/// (`Three Months Ended May 31, 2014 GAAP` | `Three Months Ended May 31,
/// Adj.` | `Three Months Ended May 31, 2014 Non-GAAP`, the year printed over
/// the outer two only): it takes their period when its header, completed
/// with their year, states exactly that period.
fn year_from_neighbours(t: &mut Table, dated: &mut Vec<Span>) {
    for i in 1..t.columns.len().saturating_sub(1) {
        let (before, after) = (&t.columns[i - 1], &t.columns[i + 1]);
        let (Some(p), Some(q)) = (before.period, after.period) else {
            continue;
        };
        if p != q || !is_undated(&t.columns[i]) {
            continue;
        }
        let year = p.end().year();
        let completed = format!("{} {year}", t.columns[i].header_text());
        if column_period(&completed).period == Some(p) {
            t.columns[i].period = Some(p);
            dated.push(t.columns[i].span);
        }
    }
}

/// A table whose columns are entities (`Consolidated`, `Financial
/// Products`, `Consolidating Adjustments`) under a title that states one
/// period (`For the Three Months Ended March 31, 2022`, `At December 31,
/// 2021`): every column reports that period. Only when no column dates
/// itself and the title's lines state exactly one period.
fn date_from_title(t: &mut Table, dated: &mut Vec<Span>) {
    let periods: Vec<&Column> = t
        .columns
        .iter()
        .filter(|c| c.kind == ColumnKind::Period)
        .collect();
    if periods.is_empty() || periods.iter().any(|c| c.period.is_some()) {
        return;
    }
    // Headers that name periods themselves (`Q3 2020`, `Q3 2019`) are no
    // entity columns: the title's period is not theirs.
    if periods
        .iter()
        .any(|c| !find_periods(&c.header_text()).is_empty())
    {
        return;
    }
    let mut stated = t.title.iter().filter_map(|l| column_period(&l.text).period);
    let (Some(p), None) = (stated.next(), stated.next()) else {
        return;
    };
    for c in t.columns.iter_mut().filter(|c| is_undated(c)) {
        c.period = Some(p);
        dated.push(c.span);
    }
}

/// A table of trailing-four-quarter figures (`FREE CASH FLOW—TRAILING
/// 4-QUARTERS`, `LTM`): its `Fiscal 2014 Q3` column is the twelve months
/// ending with that quarter.
fn is_trailing(title: &[TextLine]) -> bool {
    title.iter().any(|l| {
        let t = l.text.to_ascii_lowercase();
        t.contains("trailing")
            || t.contains("last twelve months")
            || t.contains("last 12 months")
            || t.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| w == "ttm" || w == "ltm")
    })
}

/// The twelve months ending when `p` ends.
fn trailing_year(p: Period) -> Period {
    let length = PeriodLength::Months(12);
    match duration_start(p.end(), length) {
        Some(start) => Period::Duration {
            start,
            end: p.end(),
            length,
        },
        None => p,
    }
}

fn is_undated(c: &Column) -> bool {
    c.kind == ColumnKind::Period && c.period.is_none() && !c.header.is_empty()
}

/// The period a header names outright (no "prior year", no quarter without
/// its year), when every period phrase in it resolves to that one period;
/// with `compute`, also a period the calendar does not print.
fn named_period(
    header: &str,
    calendar: &[Period],
    anchor: Option<&Period>,
    compute: bool,
) -> Option<Period> {
    let mut found: Option<Period> = None;
    let evident = fiscal_year_evident(calendar);
    for hit in find_periods(header) {
        // `Q3 2020` counts in the company's fiscal year, which must be
        // evident: a September year's Q3 is no calendar Q3.
        if !evident
            && matches!(
                hit.phrase,
                PeriodPhrase::Quarter { .. }
                    | PeriodPhrase::Year { .. }
                    | PeriodPhrase::YearToDate { .. }
            )
        {
            return None;
        }
        let absolute = match hit.phrase {
            PeriodPhrase::Quarter { year, .. } | PeriodPhrase::YearToDate { year, .. } => {
                year.is_some()
            }
            PeriodPhrase::QuarterEnded(_)
            | PeriodPhrase::MonthsEnded { .. }
            | PeriodPhrase::WeeksEnded { .. }
            | PeriodPhrase::YearEnded(_)
            | PeriodPhrase::Year { .. } => true,
            _ => false,
        };
        if !absolute {
            return None;
        }
        let p = resolve(&hit.phrase, calendar, anchor)
            .or_else(|| compute.then(|| computed(&hit.phrase, calendar)).flatten())?;
        if found.is_some_and(|f| f != p) {
            return None;
        }
        found = Some(p);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn quarter(y: i32, m: u32, d: u32) -> Period {
        let end = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        Period::Duration {
            start: duration_start(end, PeriodLength::Months(3)).unwrap(),
            end,
            length: PeriodLength::Months(3),
        }
    }

    fn at(y: i32, m: u32, d: u32) -> Period {
        Period::Instant {
            date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        }
    }

    #[test]
    fn a_named_quarter_takes_the_printed_period() {
        // The balance sheet beside December 31 says the year is a calendar one.
        let cal = vec![
            quarter(2021, 3, 31),
            quarter(2022, 3, 31),
            at(2021, 12, 31),
            at(2022, 3, 31),
        ];
        let a = anchor_of(&cal);
        for h in [
            "First Quarter 2022",
            "Sales and Revenues by Segment First Quarter 2022",
            "Q1 2022",
        ] {
            assert_eq!(
                named_period(h, &cal, a.as_ref(), false),
                Some(quarter(2022, 3, 31)),
                "{h}"
            );
        }
        assert_eq!(
            named_period("First Quarter 2021", &cal, a.as_ref(), false),
            Some(quarter(2021, 3, 31))
        );
        // Without the balance sheet the fiscal year is not evident: a
        // September year's `Q3 2020` is no calendar quarter.
        let cal = vec![quarter(2020, 6, 30), quarter(2020, 9, 30)];
        let a = anchor_of(&cal);
        assert_eq!(named_period("Q3 2020", &cal, a.as_ref(), false), None);
        assert_eq!(
            named_period(
                "Three Months Ended September 30, 2020",
                &cal,
                a.as_ref(),
                false
            ),
            Some(quarter(2020, 9, 30))
        );
    }

    #[test]
    fn a_quarterly_history_is_computed_from_an_evident_calendar() {
        // Fiscal years ending May 31: the full-year column says so.
        let year = Period::Duration {
            start: NaiveDate::from_ymd_opt(2013, 6, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2014, 5, 31).unwrap(),
            length: PeriodLength::Months(12),
        };
        let cal = vec![quarter(2013, 5, 31), quarter(2014, 5, 31), year];
        let a = anchor_of(&cal);
        let got = |h: &str, compute| named_period(h, &cal, a.as_ref(), compute);
        assert_eq!(got("Fiscal 2014 Q4", false), Some(quarter(2014, 5, 31)));
        assert_eq!(got("Fiscal 2014 Q1", false), None);
        assert_eq!(got("Fiscal 2014 Q1", true), Some(quarter(2013, 8, 31)));
        assert_eq!(got("Fiscal 2013 Q3", true), Some(quarter(2013, 2, 28)));
        // Calendar quarters without a year-to-date column or a balance
        // sheet: the fiscal year is not evident, nothing is computed.
        let cal = vec![quarter(2021, 3, 31), quarter(2022, 3, 31)];
        let a = anchor_of(&cal);
        assert_eq!(
            named_period("Fourth Quarter 2021", &cal, a.as_ref(), true),
            None
        );
    }

    #[test]
    fn a_period_nothing_prints_or_a_relative_one_stays_undated() {
        let cal = vec![quarter(2021, 3, 31), quarter(2022, 3, 31)];
        let a = anchor_of(&cal);
        for h in [
            "Fourth Quarter 2021",
            "Prior Year",
            "Sales Volume",
            "First Quarter",
            "First Quarter 2022 First Quarter 2021",
        ] {
            assert_eq!(named_period(h, &cal, a.as_ref(), true), None, "{h}");
        }
    }

    #[test]
    fn quarter_headers_are_dated_by_the_quarter_the_lead_states() {
        let text = "Example Corp. today announced results for its fiscal third\n\
                    quarter ended June 30, 2020.\n\n\
                    Revenue for the quarter rose 6% to $254.2 million.\n\n\n\
                    \x20                            EXAMPLE CORP.\n\
                    \x20                 Consolidated Statements of Income\n\
                    \x20                          (In thousands)\n\n\
                    \x20                                 Q3 2020     Q3 2019     Q2 2020\n\
                    \x20                               ---------   ---------   ---------\n\
                    Revenue                            $ 254,238   $ 239,662   $ 244,504\n\
                    Cost of revenue                      173,389     165,532     176,042\n\
                    \x20                               ---------   ---------   ---------\n\
                    Gross profit                          80,849      74,130      68,462\n";
        let first_table = |text: &str| {
            let doc = crate::parse::parse(text.as_bytes());
            doc.exhibits
                .iter()
                .flat_map(|e| e.tables())
                .next()
                .expect("a table")
                .clone()
        };
        let t = first_table(text);
        let periods: Vec<_> = t.columns.iter().map(|c| c.period).collect();
        // A fiscal year from October: Q2 is January to March.
        assert_eq!(
            periods,
            vec![
                Some(quarter(2020, 6, 30)),
                Some(quarter(2019, 6, 30)),
                Some(quarter(2020, 3, 31)),
            ]
        );
        // Without the statement the headers name no period the release
        // shows, and stay undated.
        let bare = text.replace(
            "its fiscal third\nquarter ended June 30, 2020",
            "its results",
        );
        let t = first_table(&bare);
        assert!(t.columns.iter().all(|c| c.period.is_none()));
        // A title that states the quarter does not give it to headers that
        // name periods of their own.
        let titled = text.replace(
            "\n\nRevenue for the quarter rose 6% to $254.2 million.\n\n",
            "",
        );
        let t = first_table(&titled);
        assert!(t.title.iter().any(|l| l.text.contains("June 30, 2020")));
        assert!(t.columns.iter().all(|c| c.period.is_none()));
    }
}
