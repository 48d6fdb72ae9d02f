//! Period phrases read in context, and claims tied to the right figures.
//!
//! Every sentence here is written for these tests about fictional companies.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tieout::ast::{Period, PeriodLength, Scale};
use tieout::narrative::check::{ClaimStatus, Contradiction, Name, TableValue, check_claims};
use tieout::narrative::claim::extract_claims;
use tieout::narrative::period::{PeriodPhrase, anchor_of, find_periods, resolve, resolve_in};
use tieout::span::Span;

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

fn weeks(start: NaiveDate, end: NaiveDate, w: u32) -> Period {
    Period::Duration {
        start,
        end,
        length: PeriodLength::Weeks(w),
    }
}

fn tv(concept: &str, period: Period, printed: &'static str, scale: Scale) -> TableValue<'static> {
    let d: Decimal = printed.parse().unwrap();
    let decimals = printed.split_once('.').map_or(0, |(_, f)| f.len() as u32);
    TableValue::from_printed(
        concept,
        period,
        d,
        decimals,
        scale,
        Span::default(),
        printed,
    )
}

fn concepts(metric: &str) -> Option<Name> {
    let c = match metric {
        "revenue" | "revenues" | "net sales" | "total revenue" => "revenue",
        "net loss" | "net income" => "net_income",
        m if m.contains("per share") => "eps_basic",
        _ => return None,
    };
    Some(Name::Borrowed(c))
}

fn statuses(
    text: &str,
    values: &[TableValue<'static>],
    calendar: &[Period],
) -> Vec<ClaimStatus<'static>> {
    let claims = extract_claims(text);
    check_claims(&claims, values, calendar, &concepts)
        .into_iter()
        .map(|r| r.status)
        .collect()
}

/// A calendar-year company: two quarters and two full years.
fn calendar_year() -> (Vec<TableValue<'static>>, Vec<Period>) {
    let q4 = months(date(2031, 10, 1), date(2031, 12, 31), 3);
    let q4_prior = months(date(2030, 10, 1), date(2030, 12, 31), 3);
    let fy = months(date(2031, 1, 1), date(2031, 12, 31), 12);
    let fy_prior = months(date(2030, 1, 1), date(2030, 12, 31), 12);
    let t = Scale::Thousands;
    let values = vec![
        tv("revenue", q4, "7415", t),
        tv("revenue", q4_prior, "6822", t),
        tv("revenue", fy, "28310", t),
        tv("revenue", fy_prior, "26044", t),
        tv("net_income", q4, "312", t),
        tv("net_income", q4_prior, "-95", t),
        tv("net_income", fy, "488", t),
        tv("net_income", fy_prior, "-1218", t),
        tv("eps_basic", q4, "0.02", Scale::Units),
        tv("eps_basic", q4_prior, "-0.04", Scale::Units),
        tv("eps_basic", fy, "0.03", Scale::Units),
        tv("eps_basic", fy_prior, "-0.08", Scale::Units),
    ];
    (values, vec![q4, q4_prior, fy, fy_prior])
}

#[test]
fn a_trailing_bare_year_is_the_period_of_the_compared_figure() {
    let (values, calendar) = calendar_year();
    let text = "Full year 2031 net income totaled $0.5 million, or $0.03 per share, compared \
                with a net loss of $1.2 million, or $0.08 per share, for 2030.";
    let claims = extract_claims(text);
    assert_eq!(claims.len(), 4, "{claims:#?}");
    assert_eq!(claims[2].period, Some(PeriodPhrase::BareYear(2030)));
    assert_eq!(claims[3].period, Some(PeriodPhrase::BareYear(2030)));
    assert_eq!(
        statuses(text, &values, &calendar),
        vec![ClaimStatus::Verified; 4]
    );
    // The same figure stated for 2031 is the prior year's: a period error.
    let wrong = "Net loss for the full year 2031 was $1.2 million.";
    let s = statuses(wrong, &values, &calendar);
    assert!(
        matches!(s[0].contradiction(), Some(Contradiction::Period { .. })),
        "{s:?}"
    );
}

#[test]
fn in_a_year_after_a_quarter_means_that_quarter_of_the_year() {
    let (values, calendar) = calendar_year();
    let anchor = anchor_of(&calendar);
    let q4 = calendar[0];
    assert_eq!(
        resolve_in(
            &PeriodPhrase::BareYear(2030),
            &calendar,
            anchor.as_ref(),
            Some(&q4)
        ),
        Some(calendar[1])
    );
    // Without a reference a bare year is the fiscal year.
    assert_eq!(
        resolve(&PeriodPhrase::BareYear(2030), &calendar, anchor.as_ref()),
        Some(calendar[3])
    );
    let text = "Revenue for the fourth quarter of 2031 was $7.4 million, compared with $6.8 \
                million in 2030.";
    assert_eq!(
        statuses(text, &values, &calendar),
        vec![ClaimStatus::Verified; 2]
    );
}

#[test]
fn last_year_after_a_quarter_figure_is_the_year_ago_quarter() {
    // A retailer: 13-week quarter now, a 14-week quarter a year ago.
    let q4 = weeks(date(2032, 11, 2), date(2033, 1, 31), 13);
    let q4_prior = weeks(date(2031, 10, 27), date(2032, 2, 1), 14);
    let fy = weeks(date(2032, 2, 2), date(2033, 1, 31), 52);
    let fy_prior = weeks(date(2031, 1, 27), date(2032, 2, 1), 53);
    let calendar = vec![q4, q4_prior, fy, fy_prior];
    let m = Scale::Millions;
    let values = vec![
        tv("net_income", q4, "11.4", m),
        tv("net_income", q4_prior, "14.9", m),
        tv("net_income", fy, "40.2", m),
        tv("net_income", fy_prior, "47.5", m),
    ];
    let text = "Net income for the quarter was $11.4 million, compared with $14.9 million last \
                year.";
    let claims = extract_claims(text);
    assert_eq!(claims[1].period, Some(PeriodPhrase::PriorYear));
    assert_eq!(
        statuses(text, &values, &calendar),
        vec![ClaimStatus::Verified; 2]
    );
    // Alone, "last year" is the prior fiscal year.
    let anchor = anchor_of(&calendar);
    assert_eq!(
        resolve(&PeriodPhrase::PriorYear, &calendar, anchor.as_ref()),
        Some(fy_prior)
    );
}

#[test]
fn the_same_period_of_a_year_follows_the_reference_length() {
    let nine = months(date(2031, 1, 1), date(2031, 9, 30), 9);
    let nine_prior = months(date(2030, 1, 1), date(2030, 9, 30), 9);
    let q3 = months(date(2031, 7, 1), date(2031, 9, 30), 3);
    let calendar = vec![q3, nine, nine_prior];
    let m = Scale::Thousands;
    let values = vec![
        tv("revenue", q3, "9120", m),
        tv("revenue", nine, "25480", m),
        tv("revenue", nine_prior, "27730", m),
    ];
    let hits = find_periods("for the same period of 2030");
    assert_eq!(hits[0].phrase, PeriodPhrase::SamePeriodOf(2030));
    let text = "For the first nine months of 2031, revenue was $25.5 million compared with $27.7 \
                million for the same period of 2030.";
    assert_eq!(
        statuses(text, &values, &calendar),
        vec![ClaimStatus::Verified; 2]
    );
}

/// A fiscal year ending at the start of April, named after its end year.
fn april_year() -> (Vec<TableValue<'static>>, Vec<Period>) {
    let q4 = weeks(date(2035, 1, 2), date(2035, 4, 3), 13);
    let q4_prior = weeks(date(2034, 1, 3), date(2034, 4, 4), 13);
    let fy = weeks(date(2034, 4, 5), date(2035, 4, 3), 52);
    let fy_prior = weeks(date(2033, 4, 6), date(2034, 4, 4), 52);
    let m = Scale::Millions;
    let values = vec![
        tv("revenue", q4, "96.3", m),
        tv("revenue", q4_prior, "90.7", m),
        tv("revenue", fy, "371.8", m),
        tv("revenue", fy_prior, "348.2", m),
        tv("net_income", fy, "20.4", m),
    ];
    (values, vec![q4, q4_prior, fy, fy_prior])
}

#[test]
fn a_fiscal_year_ending_in_april_is_named_after_its_end() {
    let (values, calendar) = april_year();
    let anchor = anchor_of(&calendar);
    let fiscal = |year| PeriodPhrase::Year { year, fiscal: true };
    assert_eq!(
        resolve(&fiscal(2035), &calendar, anchor.as_ref()),
        Some(calendar[2])
    );
    assert_eq!(
        resolve(&fiscal(2034), &calendar, anchor.as_ref()),
        Some(calendar[3])
    );
    let text = "Net sales for the fourth quarter of fiscal 2035 were $96.3 million, up 6% from \
                $90.7 million in the fourth quarter of fiscal 2034. For fiscal 2035, net sales \
                were $371.8 million, an increase of 7% over fiscal 2034, and net income was \
                $20.4 million.";
    let s = statuses(text, &values, &calendar);
    // Four amounts (the base $90.7 million among them) and two changes.
    assert_eq!(s, vec![ClaimStatus::Verified; 6], "{s:?}");
}

#[test]
fn a_retail_year_starting_in_february_keeps_its_start_year_name() {
    let q1 = weeks(date(2033, 2, 6), date(2033, 5, 7), 13);
    let half = weeks(date(2033, 2, 6), date(2033, 8, 6), 26);
    let calendar = vec![q1, half];
    let anchor = anchor_of(&calendar);
    let q = PeriodPhrase::Quarter {
        n: 1,
        year: Some(2033),
        fiscal: true,
    };
    assert_eq!(resolve(&q, &calendar, anchor.as_ref()), Some(q1));
}

#[test]
fn a_change_after_compared_figures_is_the_first_figures_change() {
    let (values, calendar) = calendar_year();
    let text = "Revenue for the fourth quarter of 2031 was $7.4 million compared with $6.8 \
                million for the fourth quarter of 2030, an increase of 9% from the year-ago \
                quarter.";
    let claims = extract_claims(text);
    assert!(claims[0].comparison.is_some(), "{claims:#?}");
    assert!(claims[1].comparison.is_none());
    assert_eq!(
        statuses(text, &values, &calendar),
        vec![ClaimStatus::Verified; 3]
    );
    let wrong = text.replace("9%", "14%");
    let s = statuses(&wrong, &values, &calendar);
    let Some(Contradiction::Percent {
        current: Some(c),
        base: Some(b),
        ..
    }) = s[1].contradiction()
    else {
        panic!("{s:?}");
    };
    assert_eq!((c.period, b.period), (calendar[0], calendar[1]));
}

#[test]
fn a_compared_figure_right_after_a_change_is_its_base() {
    let (values, calendar) = calendar_year();
    for text in [
        "Revenue for the fourth quarter of 2031 was $7.4 million, an increase of 9% compared \
         with $6.8 million for the fourth quarter of 2030.",
        "Revenue for the fourth quarter of 2031 was $7.4 million, an increase of 9% over $6.8 \
         million in the fourth quarter of 2030.",
    ] {
        let claims = extract_claims(text);
        let cmp = claims[0].comparison.as_ref().expect("a change");
        assert!(cmp.base.is_some(), "{text}: {cmp:#?}");
        let s = statuses(text, &values, &calendar);
        assert_eq!(s, vec![ClaimStatus::Verified; 3], "{text}");
    }
}

#[test]
fn adjacent_per_share_figures_differ() {
    let (values, calendar) = calendar_year();
    // The table prints (0.04) for the prior quarter; $0.05 only touches it.
    let text = "Net loss for the fourth quarter of 2030 was $0.1 million, or $0.05 per share.";
    let s = statuses(text, &values, &calendar);
    assert_eq!(s[0], ClaimStatus::Verified);
    assert!(
        matches!(s[1].contradiction(), Some(Contradiction::PerShare { .. })),
        "{s:?}"
    );
}

#[test]
fn figures_listed_before_respectively_are_not_the_metrics() {
    let text = "The prior year included operating income of $41 million and $3 million, \
                respectively, from the sold marine and rail units.";
    assert!(
        extract_claims(text).is_empty(),
        "{:#?}",
        extract_claims(text)
    );
}

#[test]
fn a_percentage_level_is_not_tied_to_an_amount_row() {
    let (values, calendar) = calendar_year();
    let text = "Revenue margin for the fourth quarter of 2031 rose to 41.5% from 40.2% a year ago.";
    let concept = |m: &str| (m == "revenue margin").then_some(Name::Borrowed("revenue"));
    let claims = extract_claims(text);
    let s: Vec<ClaimStatus> = check_claims(&claims, &values, &calendar, &concept)
        .into_iter()
        .map(|r| r.status)
        .collect();
    assert!(s.iter().all(|x| x.contradiction().is_none()), "{s:?}");
}

#[test]
fn a_per_diluted_share_companion_is_the_diluted_figure() {
    let text = "Net income for the third quarter of 2031 was $2.0 million, or $0.11 per diluted \
                share.";
    let claims = extract_claims(text);
    assert_eq!(claims[1].metric, "net income per diluted share");
    let pack = tieout::rules::RulePack::default_pack();
    let dict = pack.concepts();
    assert_eq!(
        dict.match_narrative(&claims[1].metric)
            .map(|c| c.as_str().to_string()),
        Some("eps_diluted".to_string())
    );
    assert_eq!(
        dict.match_narrative("net income per share")
            .map(|c| c.as_str().to_string()),
        Some("eps_basic".to_string())
    );
}
