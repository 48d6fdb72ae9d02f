//! Behaviour of the HTML lowering (docs/html.md): one small release snippet
//! per feature, with fictional figures, lowered by `tieout::parse::parse`
//! and asserted on the AST: tables, column periods and kinds, row labels,
//! indentation, rules, headings, cell values and spans, paragraphs and
//! their mentions. The last tests run the binary: `tieout parse` on an
//! HTML release and acknowledgements of a finding in one.
//!
//! A test marked `#[ignore = "bug: ..."]` states the correct behaviour the
//! lowering does not have yet.

use std::path::Path;

use assert_cmd::Command;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use tieout::ast::{
    ColumnKind, Document, DocumentKind, Paragraph, Period, PeriodLength, Row, RowKind, RuleKind,
    Scale, Table,
};
use tieout::rules::RulePack;
use tieout::span::Span;

// ---------------------------------------------------------------- helpers

fn parse(html: &str) -> Document {
    tieout::parse::parse(html.as_bytes())
}

fn tables(doc: &Document) -> Vec<&Table> {
    doc.exhibits.iter().flat_map(|e| e.tables()).collect()
}

fn paragraphs(doc: &Document) -> Vec<&Paragraph> {
    doc.exhibits.iter().flat_map(|e| e.paragraphs()).collect()
}

/// The one table of a snippet.
fn only_table(doc: &Document) -> &Table {
    let t = tables(doc);
    assert_eq!(t.len(), 1, "expected one table, got {}", t.len());
    t[0]
}

/// The bytes of `src` a span covers.
fn at(src: &str, span: Span) -> &str {
    &src[span.offset..span.offset + span.len]
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The row labelled `label` (exactly).
fn row<'a>(t: &'a Table, label: &str) -> &'a Row {
    t.rows
        .iter()
        .find(|r| &*r.label == label)
        .unwrap_or_else(|| {
            panic!(
                "no row {label:?} in {:?}",
                t.rows.iter().map(|r| &r.label).collect::<Vec<_>>()
            )
        })
}

fn labels(t: &Table) -> Vec<&str> {
    t.rows.iter().map(|r| &*r.label).collect()
}

/// The values of a row, one per column.
fn values(r: &Row) -> Vec<Option<Decimal>> {
    r.cells
        .iter()
        .map(|c| c.as_ref().map(|c| c.value))
        .collect()
}

fn vals(v: &[&str]) -> Vec<Option<Decimal>> {
    v.iter()
        .map(|s| if s.is_empty() { None } else { Some(dec(s)) })
        .collect()
}

/// The printed bytes of each cell of a row (`""` for an empty slot).
fn cell_texts<'a>(src: &'a str, r: &Row) -> Vec<&'a str> {
    r.cells
        .iter()
        .map(|c| c.as_ref().map_or("", |c| at(src, c.span)))
        .collect()
}

/// `3M 2026-03-31`, `13W 2026-04-04`, `I 2026-12-31`, `change`, ... (the
/// corpus sidecar code).
fn column_codes(t: &Table) -> Vec<String> {
    t.columns
        .iter()
        .map(|c| match (c.kind, c.period) {
            (ColumnKind::Change, _) => "change".into(),
            (ColumnKind::Percent, _) => "percent".into(),
            (ColumnKind::Other, _) => "other".into(),
            (ColumnKind::Period, None) => "undated".into(),
            (ColumnKind::Period, Some(Period::Instant { date })) => format!("I {date}"),
            (ColumnKind::Period, Some(Period::Duration { end, length, .. })) => match length {
                PeriodLength::Months(n) => format!("{n}M {end}"),
                PeriodLength::Weeks(n) => format!("{n}W {end}"),
            },
        })
        .collect()
}

fn rules_above(t: &Table) -> Vec<(&str, RuleKind)> {
    t.rows.iter().map(|r| (&*r.label, r.rule_above)).collect()
}

fn paragraph_texts(doc: &Document) -> Vec<&str> {
    paragraphs(doc).iter().map(|p| p.text.as_str()).collect()
}

/// A two-column quarterly header, the label column first.
const QUARTER_HEADER: &str = "<tr><td></td>\
    <td>Three Months Ended<br>March 31, 2026</td><td></td>\
    <td>Three Months Ended<br>March 31, 2025</td></tr>";

/// A two-column balance-sheet header, the label column first.
const BALANCE_HEADER: &str = "<tr><td></td>\
    <td>March 31,<br>2026</td><td></td>\
    <td>December 31,<br>2025</td></tr>";

// ------------------------------------------------------------------- grid

#[test]
fn grid_colspan_and_rowspan_place_cells_in_their_slots() {
    // `Net revenue` spans two rows: the second row's first cell starts at
    // slot 1. The figures of the second row span two slots each.
    let html = "<html><body><table>\
        <tr><td></td><td colspan=\"2\">Three Months Ended<br>March 31, 2026</td>\
            <td></td><td colspan=\"2\">Three Months Ended<br>March 31, 2025</td></tr>\
        <tr><td rowspan=\"2\">Net revenue</td><td>$</td><td>1,250</td>\
            <td></td><td>$</td><td>1,100</td></tr>\
        <tr><td colspan=\"2\">75</td><td></td><td colspan=\"2\">60</td></tr>\
        <tr><td>Cost of revenue</td><td></td><td>700</td><td></td><td></td><td>650</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = only_table(&doc);
    assert_eq!(column_codes(t), ["3M 2026-03-31", "3M 2025-03-31"]);
    assert_eq!(labels(t), ["Net revenue", "", "Cost of revenue"]);
    assert_eq!(values(&t.rows[0]), vals(&["1250", "1100"]));
    // Under the rowspan, `75` is in the first column, not the label slot.
    assert_eq!(values(&t.rows[1]), vals(&["75", "60"]));
    assert_eq!(values(&t.rows[2]), vals(&["700", "650"]));
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
}

#[test]
fn grid_hidden_cells_take_their_slots_and_show_nothing() {
    // The hidden cell covers slots 1..4: `200` stays in slot 5 (the second
    // column), and the hidden `999` is no figure.
    let html = "<html><body><table>\
        <tr><td></td><td colspan=\"2\">Three Months Ended<br>March 31, 2026</td><td></td>\
            <td colspan=\"2\">Three Months Ended<br>March 31, 2025</td></tr>\
        <tr><td>Net revenue</td><td></td><td>1,250</td><td></td><td></td><td>1,100</td></tr>\
        <tr><td>Other income</td><td style=\"display:none\" colspan=\"3\">999</td>\
            <td></td><td>200</td></tr>\
        <tr><td>Interest income</td><td style=\"display: none\">5</td><td>30</td><td></td>\
            <td></td><td>20</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = only_table(&doc);
    assert_eq!(t.columns.len(), 2);
    assert_eq!(values(row(t, "Other income")), vals(&["", "200"]));
    assert_eq!(values(row(t, "Interest income")), vals(&["30", "20"]));
    let all: Vec<Decimal> = t
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().flatten().map(|c| c.value))
        .collect();
    assert!(
        !all.contains(&dec("999")) && !all.contains(&dec("5")),
        "{all:?}"
    );
}

#[test]
fn grid_width_row_and_spacer_columns_fall_away() {
    // A first row of empty cells that only sets widths, and spacer columns
    // between the figures (`<td></td>` and `<td>&nbsp;</td>`).
    let html = "<html><body><table>\
        <tr><td style=\"width:52%\"></td><td style=\"width:2%\"></td><td style=\"width:1%\"></td>\
            <td style=\"width:20%\"></td><td style=\"width:2%\"></td><td style=\"width:1%\"></td>\
            <td style=\"width:20%\"></td></tr>\
        <tr><td></td><td>&nbsp;</td><td colspan=\"2\">Three Months Ended<br>March 31, 2026</td>\
            <td>&nbsp;</td><td colspan=\"2\">Three Months Ended<br>March 31, 2025</td></tr>\
        <tr><td>Net revenue</td><td>&nbsp;</td><td>$</td><td>1,250</td>\
            <td>&nbsp;</td><td>$</td><td>1,100</td></tr>\
        <tr><td>Cost of revenue</td><td>&nbsp;</td><td></td><td>700</td>\
            <td>&nbsp;</td><td></td><td>650</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = only_table(&doc);
    assert_eq!(column_codes(t), ["3M 2026-03-31", "3M 2025-03-31"]);
    assert_eq!(labels(t), ["Net revenue", "Cost of revenue"]);
    for r in &t.rows {
        assert_eq!(r.cells.len(), 2, "{}", r.label);
    }
    assert_eq!(values(&t.rows[0]), vals(&["1250", "1100"]));
    assert_eq!(values(&t.rows[1]), vals(&["700", "650"]));
}

#[test]
fn grid_figure_split_over_cells_is_one_cell_spanning_all_its_pieces() {
    // Each period has three slots: the `$`, the digits, the `)`.
    let html = "<html><body><table>\
        <tr><td></td><td colspan=\"3\">Three Months Ended<br>March 31, 2026</td><td></td>\
            <td colspan=\"3\">Three Months Ended<br>March 31, 2025</td></tr>\
        <tr><td>Net revenue</td><td>$</td><td>1,250</td><td></td><td></td>\
            <td>$</td><td>1,100</td><td></td></tr>\
        <tr><td>Other income (expense), net</td><td>$</td><td>(46</td><td>)</td><td></td>\
            <td>$</td><td>12</td><td></td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = only_table(&doc);
    assert_eq!(t.columns.len(), 2);
    let r = row(t, "Other income (expense), net");
    assert_eq!(values(r), vals(&["-46", "12"]));
    let c = r.cells[0].as_ref().unwrap();
    assert!(c.currency && !c.percent && !c.nil);
    assert_eq!(c.decimals, 0);
    // The span is the union from `$` to `)`.
    assert_eq!(at(html, c.span), "$</td><td>(46</td><td>)");
    let c = r.cells[1].as_ref().unwrap();
    assert!(c.currency);
    assert_eq!(at(html, c.span), "$</td><td>12");
    assert_eq!(
        cell_texts(html, row(t, "Net revenue")),
        ["$</td><td>1,250", "$</td><td>1,100"]
    );
}

#[test]
fn grid_percent_sign_in_its_own_cell_joins_the_figure() {
    let html = "<html><body><table>".to_string()
        + QUARTER_HEADER
        + "<tr><td>Net revenue</td><td>1,250</td><td></td><td>1,100</td></tr>\
           <tr><td>Operating margin</td><td>1</td><td>%</td><td>12.5</td><td>%</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    let r = row(t, "Operating margin");
    assert_eq!(values(r), vals(&["1", "12.5"]));
    let c = r.cells[0].as_ref().unwrap();
    assert!(c.percent && !c.currency);
    assert_eq!(at(&html, c.span), "1</td><td>%");
    let c = r.cells[1].as_ref().unwrap();
    assert!(c.percent);
    assert_eq!(c.decimals, 1);
    assert_eq!(at(&html, c.span), "12.5</td><td>%");
}

// ---------------------------------------------------------------- headers

#[test]
fn headers_stacked_rows_under_a_spanning_three_months_ended() {
    let html = "<html><body><table>\
        <tr><td></td><td colspan=\"3\" style=\"text-align:center\">Three Months Ended</td></tr>\
        <tr><td></td><td>March 31,<br>2026</td><td></td><td>March 31,<br>2025</td></tr>\
        <tr><td>Net revenue</td><td>1,250</td><td></td><td>1,100</td></tr>\
        <tr><td>Cost of revenue</td><td>700</td><td></td><td>650</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = only_table(&doc);
    assert_eq!(column_codes(t), ["3M 2026-03-31", "3M 2025-03-31"]);
    assert_eq!(
        t.columns[0].period,
        Some(Period::Duration {
            start: ymd(2026, 1, 1),
            end: ymd(2026, 3, 31),
            length: PeriodLength::Months(3),
        })
    );
    assert_eq!(
        t.columns[1].period,
        Some(Period::Duration {
            start: ymd(2025, 1, 1),
            end: ymd(2025, 3, 31),
            length: PeriodLength::Months(3),
        })
    );
    // The spanning header is stacked over both columns, then each cell's
    // own text (`<br>` read as a space).
    let header: Vec<Vec<&str>> = t
        .columns
        .iter()
        .map(|c| c.header.iter().map(|h| h.text.as_str()).collect())
        .collect();
    assert_eq!(
        header,
        [
            ["Three Months Ended", "March 31, 2026"],
            ["Three Months Ended", "March 31, 2025"]
        ]
    );
    assert_eq!(at(html, t.columns[0].header[1].span), "March 31,<br>2026");
    // A column's span covers its stacked header text.
    assert_eq!(
        at(html, t.columns[1].span),
        "Three Months Ended</td></tr>\
        <tr><td></td><td>March 31,<br>2026</td><td></td><td>March 31,<br>2025"
    );
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
}

#[test]
fn headers_three_stacked_rows_with_the_date_spanning_both_years() {
    let html = "<html><body><table>\
        <tr><td></td><td colspan=\"3\">Three Months Ended</td></tr>\
        <tr><td></td><td colspan=\"3\">March 31,</td></tr>\
        <tr><td></td><td>2026</td><td></td><td>2025</td></tr>\
        <tr><td>Net revenue</td><td>1,250</td><td></td><td>1,100</td></tr>\
        <tr><td>Cost of revenue</td><td>700</td><td></td><td>650</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = only_table(&doc);
    assert_eq!(column_codes(t), ["3M 2026-03-31", "3M 2025-03-31"]);
    // The year row is a header, not a row of figures.
    assert_eq!(labels(t), ["Net revenue", "Cost of revenue"]);
}

#[test]
fn headers_a_bare_year_beside_a_dated_column_takes_its_month_and_day() {
    // The date is printed once, in the first column's cell; the second
    // column prints only its year. Read as a reader reads it: three months
    // ended March 31, 2025.
    let html = "<html><body><table>\
        <tr><td></td><td colspan=\"3\" style=\"text-align:center\">Three Months Ended</td></tr>\
        <tr><td></td><td>March 31,<br>2026</td><td></td><td>2025</td></tr>\
        <tr><td>Net revenue</td><td>1,250</td><td></td><td>1,100</td></tr>\
        <tr><td>Cost of revenue</td><td>700</td><td></td><td>650</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = only_table(&doc);
    assert_eq!(column_codes(t), ["3M 2026-03-31", "3M 2025-03-31"]);
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
}

#[test]
fn headers_naming_a_fiscal_quarter_take_the_period_the_statement_prints() {
    // `First Quarter 2026` dates nothing by itself; the statement's
    // `Three Months Ended March 31` columns say which quarter that is. The
    // balance sheet beside December 31 makes the fiscal year a calendar one.
    let html = format!(
        "<html><body><table>\
        <tr><td></td><td>First Quarter 2026</td><td></td><td>First Quarter 2025</td></tr>\
        <tr><td>Sales</td><td>1,250</td><td></td><td>1,100</td></tr>\
        </table>\
        <p>Statement of operations</p><table>{QUARTER_HEADER}\
        <tr><td>Net revenue</td><td>1,250</td><td></td><td>1,100</td></tr>\
        </table>\
        <p>Balance sheet</p><table>{BALANCE_HEADER}\
        <tr><td>Cash</td><td>400</td><td></td><td>380</td></tr>\
        </table></body></html>"
    );
    let doc = parse(&html);
    let t = tables(&doc);
    assert_eq!(column_codes(t[0]), ["3M 2026-03-31", "3M 2025-03-31"]);
    assert!(
        t[0].columns.iter().all(|c| c.member.is_none()),
        "{:?}",
        t[0].columns
    );
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);

    // Without a printed quarter to resolve to, the header stays undated
    // and is reported.
    let alone = "<html><body><table>\
        <tr><td></td><td>Fourth Quarter 2025</td><td></td><td>Fourth Quarter 2024</td></tr>\
        <tr><td>Sales</td><td>1,250</td><td></td><td>1,100</td></tr>\
        </table></body></html>";
    let doc = parse(alone);
    assert_eq!(column_codes(only_table(&doc)), ["undated", "undated"]);
    assert_eq!(doc.issues.len(), 2, "{:?}", doc.issues);
}

#[test]
fn headers_entity_columns_take_the_one_period_their_title_states() {
    let html = "<html><body>\
        <p>Supplemental Data for Results of Operations</p>\
        <p>For the Three Months Ended March 31, 2026</p>\
        <table>\
        <tr><td></td><td>Consolidated</td><td></td><td>Equipment</td><td></td><td>Financing</td></tr>\
        <tr><td>Revenues</td><td>1,250</td><td></td><td>1,000</td><td></td><td>250</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = only_table(&doc);
    assert_eq!(
        column_codes(t),
        ["3M 2026-03-31", "3M 2026-03-31", "3M 2026-03-31"]
    );
    assert_eq!(t.columns[0].member, None);
    assert_eq!(t.columns[1].member.as_deref(), Some("Equipment"));
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
}

#[test]
fn headers_a_banner_over_the_table_heads_every_sub_table() {
    // The segment's name spans the whole table; a second header row under
    // the body starts a sub-table that still belongs to the segment, so its
    // total is not compared with the consolidated one.
    let html = format!(
        "<html><body><table>\
        <tr><td></td><td colspan=\"3\">HEAVY EQUIPMENT</td></tr>\
        {QUARTER_HEADER}\
        <tr><td>Total sales</td><td>600</td><td></td><td>500</td></tr>\
        {QUARTER_HEADER}\
        <tr><td>Segment profit</td><td>90</td><td></td><td>80</td></tr>\
        </table></body></html>"
    );
    let doc = parse(&html);
    let t = tables(&doc);
    assert_eq!(t.len(), 2);
    for t in &t {
        assert_eq!(column_codes(t), ["3M 2026-03-31", "3M 2025-03-31"]);
        for c in &t.columns {
            assert_eq!(c.member.as_deref(), Some("HEAVY EQUIPMENT"), "{c:?}");
        }
    }
}

#[test]
fn headers_a_table_on_its_side_has_measure_columns_and_period_rows() {
    // Columns are measures, rows are periods and the adjustments between
    // them: no column is undated, no column gives facts, and each column
    // still foots (GAAP + adjustment = adjusted).
    let html = format!(
        "<html><body><table>{QUARTER_HEADER}\
        <tr><td>Operating profit</td><td>1,855</td><td></td><td>1,814</td></tr>\
        <tr><td>Net income</td><td>1,537</td><td></td><td>1,530</td></tr>\
        </table>\
        <p>Reconciliations of adjusted results:</p>\
        <table>\
        <tr><td></td><td>Operating Profit</td><td></td><td>Profit</td></tr>\
        <tr><td>Three Months Ended March 31, 2026 - U.S. GAAP</td><td>1,855</td><td></td><td>1,537</td></tr>\
        <tr><td>Restructuring costs</td><td>13</td><td></td><td>11</td></tr>\
        <tr><td style=\"border-top:1px solid\">Three Months Ended March 31, 2026 - Adjusted</td>\
        <td style=\"border-top:1px solid\">1,868</td><td></td><td style=\"border-top:1px solid\">1,548</td></tr>\
        <tr><td>Three Months Ended March 31, 2025 - U.S. GAAP</td><td>1,814</td><td></td><td>1,530</td></tr>\
        </table></body></html>"
    );
    let doc = parse(&html);
    let t = tables(&doc);
    assert_eq!(t.len(), 2);
    assert_eq!(column_codes(t[1]), ["other", "other"]);
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
    let pack = RulePack::default_pack();
    let out = tieout::check::check_document(&doc, &pack, html.as_bytes());
    assert!(out.findings.is_empty(), "{:#?}", out.findings);
    // A typo in the adjustment is a footing error in its column.
    let typo = html.replace("<td>13</td>", "<td>18</td>");
    let doc = parse(&typo);
    let out = tieout::check::check_document(&doc, &pack, typo.as_bytes());
    assert!(
        out.findings.iter().any(|f| f.rule == "total-does-not-foot"),
        "{:#?}",
        out.findings
    );
    // Without period rows, and with no period named in the title or the
    // headers, the release states no period for the table at all: its
    // columns are measures (footed, no facts), not headers read wrongly.
    // Once the title names a period, the headers are undated columns that
    // failed to read, and are reported.
    let bare = html
        .replace(" - U.S. GAAP", "")
        .replace("Three Months Ended March 31, 2026 - Adjusted", "Adjusted");
    let bare = bare
        .replace("Three Months Ended March 31, 2026", "GAAP")
        .replace("Three Months Ended March 31, 2025", "Prior");
    let doc = parse(&bare);
    assert_eq!(column_codes(tables(&doc)[1]), ["other", "other"]);
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
    let dated_title = bare.replace(
        "Reconciliations of adjusted results:",
        "Reconciliations of adjusted results for the quarter:",
    );
    let doc = parse(&dated_title);
    assert_eq!(column_codes(tables(&doc)[1]), ["undated", "undated"]);
    assert_eq!(doc.issues.len(), 2, "{:?}", doc.issues);
}

#[test]
fn headers_a_range_of_targets_is_low_and_high_columns_under_a_ragged_header() {
    // `High` spans the slot of the `$` of its figures but not the digits,
    // and the period over both ends stops short of the table's width, as
    // Workiva prints it. Both ends are columns of their own, neither a
    // reporting period nor undated. The share count of each end is printed
    // once, spanning slots left of its digits.
    let html = "<html><body><table>\
        <tr><td>(Shares in millions)</td><td colspan=\"4\">Fiscal Year 2027</td></tr>\
        <tr><td></td><td colspan=\"3\">Low</td><td colspan=\"5\"></td><td colspan=\"2\">High</td></tr>\
        <tr><td>GAAP net income per share</td><td>$</td><td>10.85</td>PAD<td>$</td><td>11.15</td><td></td></tr>\
        <tr><td>Stock-based compensation</td><td></td><td>3.96</td>PAD<td></td><td>3.94</td><td></td></tr>\
        <tr><td>Non-GAAP net income per share</td><td>$</td><td>14.81</td>PAD<td>$</td><td>15.09</td><td></td></tr>\
        <tr><td>Shares used</td><td colspan=\"2\">456</td><td colspan=\"3\"></td><td colspan=\"5\">456</td><td></td><td></td></tr>\
        </table></body></html>"
        .replace("PAD", "<td></td><td></td><td></td><td></td><td></td><td></td><td></td>");
    let doc = parse(&html);
    let t = only_table(&doc);
    let headers: Vec<String> = t.columns.iter().map(|c| c.header_text()).collect();
    assert_eq!(headers, ["Fiscal Year 2027 Low", "High"]);
    assert_eq!(column_codes(t), ["other", "other"]);
    // The share count printed under the `$` of each end, left of its
    // digits, is that end's.
    assert_eq!(values(row(t, "Shares used")), vals(&["456", "456"]));
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
}

#[test]
fn headers_a_table_of_targets_has_no_reporting_periods() {
    // A period still to come, under a title naming targets: not undated,
    // no facts; the same header under an ordinary title is reported.
    let table = "<table>\
        <tr><td></td><td>Second Quarter Fiscal 2027</td></tr>\
        <tr><td>GAAP tax rate</td><td>21.5%</td></tr>\
        <tr><td>Adjustments</td><td>(3.0)</td></tr>\
        <tr><td>Non-GAAP tax rate</td><td>18.5%</td></tr>\
        </table>";
    let html = format!(
        "<html><body><p>Reconciliation of GAAP to Non-GAAP Financial Targets</p>{table}</body></html>"
    );
    let doc = parse(&html);
    assert_eq!(column_codes(only_table(&doc)), ["other"]);
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
    let html = format!(
        "<html><body><p>Reconciliation of GAAP to Non-GAAP Tax Rate</p>{table}</body></html>"
    );
    let doc = parse(&html);
    assert_eq!(column_codes(only_table(&doc)), ["undated"]);
    assert_eq!(doc.issues.len(), 1, "{:?}", doc.issues);
}

#[test]
fn headers_measure_columns_under_a_title_that_names_no_period_are_other() {
    // Columns that are measures, not periods, under a title that says
    // nothing of periods: no undated notes, no facts, and each column still
    // foots (the total below is 6 off in the first column).
    let table = "<table>\
        <tr><td></td><td>Cash Collected</td><td></td><td>Remaining Potential</td></tr>\
        <tr><td>Licensee A</td><td>$200</td><td></td><td>$6,800</td></tr>\
        <tr><td>Licensee B</td><td>296</td><td></td><td>6,704</td></tr>\
        <tr><td style=\"border-top:solid 1px\">Total</td>\
            <td style=\"border-top:solid 1px\">$502</td><td></td>\
            <td style=\"border-top:solid 1px\">$13,504</td></tr>\
        </table>";
    let html = format!("<html><body><p>Licensing Milestones by Partner</p>{table}</body></html>");
    let doc = parse(&html);
    assert_eq!(column_codes(only_table(&doc)), ["other", "other"]);
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
    let pack = RulePack::default_pack();
    let out = tieout::check::check_document(&doc, &pack, html.as_bytes());
    let footing: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule == "total-does-not-foot")
        .collect();
    assert_eq!(footing.len(), 1, "{:?}", out.findings);
    assert!(footing[0].message.contains("496"), "{}", footing[0].message);
    // The same columns with no title, or under a title that names a
    // period, may be periods the parser failed to read: reported.
    for html in [
        format!("<html><body>{table}</body></html>"),
        format!("<html><body><p>Milestones for the Year Ended 2026</p>{table}</body></html>"),
    ] {
        let doc = parse(&html);
        assert_eq!(
            column_codes(only_table(&doc)),
            ["undated", "undated"],
            "{html}"
        );
        assert_eq!(doc.issues.len(), 2, "{:?}", doc.issues);
    }
}

#[test]
fn headers_a_bridge_between_two_periods_is_change_columns_when_it_adds_up() {
    let bridge = |later: &str| {
        format!(
            "<html><body><table>\
            <tr><td></td><td>Three Months Ended<br>March 31, 2025</td><td></td>\
            <td>Sales Volume</td><td></td><td>Price Realization</td><td></td>\
            <td>Currency</td><td></td><td>Three Months Ended<br>March 31, 2026</td></tr>\
            <tr><td>Heavy Equipment</td><td>5,459</td><td></td><td>325</td><td></td>\
            <td>421</td><td></td><td>(101)</td><td></td><td>{later}</td></tr>\
            <tr><td>Engines</td><td>2,178</td><td></td><td>527</td><td></td>\
            <td>169</td><td></td><td>(34)</td><td></td><td>2,840</td></tr>\
            </table></body></html>"
        )
    };
    let doc = parse(&bridge("6,104"));
    assert_eq!(
        column_codes(only_table(&doc)),
        [
            "3M 2025-03-31",
            "change",
            "change",
            "change",
            "3M 2026-03-31"
        ]
    );
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
    // A row that does not add up: the columns are not known to be a bridge
    // and are reported as unread, not guessed.
    let doc = parse(&bridge("6,114"));
    assert_eq!(
        column_codes(only_table(&doc)),
        [
            "3M 2025-03-31",
            "undated",
            "undated",
            "undated",
            "3M 2026-03-31"
        ]
    );
    assert_eq!(doc.issues.len(), 3, "{:?}", doc.issues);
}

#[test]
fn headers_an_adjustments_column_between_one_periods_columns_takes_their_year() {
    let html = "<html><body><table>\
        <tr><td></td><td colspan=\"5\">Three Months Ended May 31,</td></tr>\
        <tr><td></td><td>2026</td><td></td><td></td><td></td><td>2026</td></tr>\
        <tr><td></td><td>GAAP</td><td></td><td>Adj.</td><td></td><td>Non-GAAP</td></tr>\
        <tr><td>Operating income</td><td>4,909</td><td></td><td>847</td><td></td><td>5,756</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = only_table(&doc);
    assert_eq!(
        column_codes(t),
        ["3M 2026-05-31", "3M 2026-05-31", "3M 2026-05-31"]
    );
    assert_eq!(t.columns[1].member.as_deref(), Some("Adj"));
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
}

#[test]
fn headers_periods_as_headings_over_sections_of_rows_make_one_table_each() {
    // Columns are regions; each section of rows is headed by its period.
    let html = "<html><body><table>\
        <tr><td></td><td>North</td><td></td><td>South</td><td></td><td>Total</td></tr>\
        <tr><td>Three Months Ended March 31, 2026</td><td></td><td></td><td></td><td></td><td></td></tr>\
        <tr><td>Equipment</td><td>600</td><td></td><td>400</td><td></td><td>1,000</td></tr>\
        <tr><td>Services</td><td>60</td><td></td><td>40</td><td></td><td>100</td></tr>\
        <tr><td>Three Months Ended March 31, 2025</td><td></td><td></td><td></td><td></td><td></td></tr>\
        <tr><td>Equipment</td><td>500</td><td></td><td>300</td><td></td><td>800</td></tr>\
        <tr><td>Services</td><td>50</td><td></td><td>30</td><td></td><td>80</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = tables(&doc);
    assert_eq!(t.len(), 2);
    assert_eq!(column_codes(t[0]), ["3M 2026-03-31"; 3]);
    assert_eq!(column_codes(t[1]), ["3M 2025-03-31"; 3]);
    assert_eq!(values(row(t[1], "Equipment")), vals(&["500", "300", "800"]));
    assert_eq!(t[0].columns[0].member.as_deref(), Some("North"));
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
}

#[test]
fn headers_thirteen_weeks_ended() {
    let html = "<html><body><table>\
        <tr><td></td><td colspan=\"3\">Thirteen Weeks Ended</td></tr>\
        <tr><td></td><td>April 4,<br>2026</td><td></td><td>March 29,<br>2025</td></tr>\
        <tr><td>Net sales</td><td>512.4</td><td></td><td>498.0</td></tr>\
        <tr><td>Cost of sales</td><td>300.1</td><td></td><td>290.7</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = only_table(&doc);
    assert_eq!(column_codes(t), ["13W 2026-04-04", "13W 2025-03-29"]);
    assert_eq!(
        t.columns[0].period,
        Some(Period::Duration {
            start: ymd(2026, 1, 4),
            end: ymd(2026, 4, 4),
            length: PeriodLength::Weeks(13),
        })
    );
    assert_eq!(values(row(t, "Net sales")), vals(&["512.4", "498.0"]));
}

#[test]
fn headers_change_and_percent_change_columns_get_their_kinds() {
    let html = "<html><body><table>\
        <tr><td></td><td colspan=\"3\">Three Months Ended</td><td></td>\
            <td colspan=\"3\">Change</td></tr>\
        <tr><td></td><td>March 31,<br>2026</td><td></td><td>March 31,<br>2025</td><td></td>\
            <td>$</td><td></td><td>%</td></tr>\
        <tr><td>Net revenue</td><td>1,250</td><td></td><td>1,100</td><td></td>\
            <td>150</td><td></td><td>13.6%</td></tr>\
        <tr><td>Cost of revenue</td><td>700</td><td></td><td>650</td><td></td>\
            <td>50</td><td></td><td>7.7%</td></tr>\
        </table>\
        <table>\
        <tr><td></td><td>2026</td><td></td><td>2025</td><td></td>\
            <td>Increase<br>(Decrease)</td><td></td><td>% Change</td></tr>\
        <tr><td>Orders</td><td>4,100</td><td></td><td>4,300</td><td></td>\
            <td>(200</td><td>)</td><td>(4.7</td><td>)%</td></tr>\
        <tr><td>Backlog</td><td>9,000</td><td></td><td>8,000</td><td></td>\
            <td>1,000</td><td></td><td>12.5</td><td>%</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = tables(&doc);
    assert_eq!(t.len(), 2);
    assert_eq!(
        column_codes(t[0]),
        ["3M 2026-03-31", "3M 2025-03-31", "change", "percent"]
    );
    let kinds: Vec<ColumnKind> = t[1].columns.iter().map(|c| c.kind).collect();
    assert_eq!(
        &kinds[2..],
        [ColumnKind::Change, ColumnKind::Percent],
        "{:?}",
        column_codes(t[1])
    );
    assert_eq!(values(row(t[1], "Orders"))[2..], vals(&["-200", "-4.7"]));
    assert!(row(t[1], "Orders").cells[3].as_ref().unwrap().percent);
}

// ------------------------------------------------------------------- rows

#[test]
fn rows_indent_from_padding_margin_text_indent_and_leading_nbsp() {
    let html = "<html><body><table>".to_string()
        + QUARTER_HEADER
        + "<tr><td>Operating expenses:</td><td></td><td></td><td></td></tr>\
           <tr><td style=\"padding-left:10pt\">Research and development</td>\
               <td>400</td><td></td><td>380</td></tr>\
           <tr><td style=\"margin-left:10pt\">Selling and marketing</td>\
               <td>300</td><td></td><td>290</td></tr>\
           <tr><td><p style=\"text-indent:10pt\">General and administrative</p></td>\
               <td>200</td><td></td><td>210</td></tr>\
           <tr><td>&nbsp;&nbsp;&nbsp;&nbsp;Restructuring</td><td>50</td><td></td><td>0</td></tr>\
           <tr><td style=\"padding-left:20pt\">Total operating expenses</td>\
               <td>950</td><td></td><td>880</td></tr>\
           <tr><td>Operating income</td><td>100</td><td></td><td>90</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    let indent = |l: &str| row(t, l).indent;
    let flush = indent("Operating expenses:");
    assert_eq!(flush, indent("Operating income"));
    let one = indent("Research and development");
    assert!(one > flush, "padding-left indents");
    // 10pt of padding, margin and text-indent, and four no-break spaces,
    // are the same depth.
    assert_eq!(indent("Selling and marketing"), one, "margin-left");
    assert_eq!(indent("General and administrative"), one, "text-indent");
    assert_eq!(indent("Restructuring"), one, "leading &nbsp;");
    // Deeper indent, larger value.
    assert!(indent("Total operating expenses") > one);
    // The no-break spaces are not part of the label.
    assert_eq!(
        at(&html, row(t, "Restructuring").label_span),
        "Restructuring"
    );
}

#[test]
fn rows_indent_is_ranked_per_table() {
    // The same three depths in points far apart in two tables rank the
    // same: the least indented label of each table is at 0.
    let table = |a: u32, b: u32, c: u32| {
        format!(
            "<table>{QUARTER_HEADER}\
             <tr><td style=\"padding-left:{a}pt\">Revenues:</td><td></td><td></td><td></td></tr>\
             <tr><td style=\"padding-left:{b}pt\">Product</td><td>800</td><td></td><td>700</td></tr>\
             <tr><td style=\"padding-left:{c}pt\">Hardware</td><td>500</td><td></td><td>450</td></tr>\
             <tr><td style=\"padding-left:{b}pt\">Service</td><td>450</td><td></td><td>400</td></tr>\
             </table>"
        )
    };
    let html = format!(
        "<html><body>{}<p>Segment results follow.</p>{}</body></html>",
        table(0, 10, 20),
        table(30, 45, 90)
    );
    let doc = parse(&html);
    let t = tables(&doc);
    assert_eq!(t.len(), 2);
    let indents = |t: &Table| t.rows.iter().map(|r| r.indent).collect::<Vec<_>>();
    assert_eq!(indents(t[0]), indents(t[1]));
    let i = indents(t[0]);
    assert_eq!(i[0], 0);
    assert!(i[0] < i[1] && i[1] < i[2] && i[3] == i[1], "{i:?}");
}

#[test]
fn rows_total_from_a_cell_border_top() {
    let html = "<html><body><table>".to_string()
        + BALANCE_HEADER
        + "<tr><td>Cash</td><td>100</td><td></td><td>90</td></tr>\
           <tr><td>Receivables</td><td>50</td><td></td><td>40</td></tr>\
           <tr><td>Total current assets</td><td style=\"border-top:1pt solid #000000\">150</td>\
               <td></td><td style=\"border-top:1pt solid #000000\">130</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    assert_eq!(
        rules_above(t),
        [
            ("Cash", RuleKind::None),
            ("Receivables", RuleKind::None),
            ("Total current assets", RuleKind::Single)
        ]
    );
    // The rule is under the row above as well.
    assert_eq!(row(t, "Receivables").rule_below, RuleKind::Single);
    assert_eq!(column_codes(t), ["I 2026-03-31", "I 2025-12-31"]);
}

#[test]
fn rows_total_from_the_previous_rows_border_bottom() {
    let html = "<html><body><table>".to_string()
        + BALANCE_HEADER
        + "<tr><td>Cash</td><td>100</td><td></td><td>90</td></tr>\
           <tr><td>Receivables</td><td style=\"border-bottom:1px solid black\">50</td><td></td>\
               <td style=\"border-bottom:1px solid black\">40</td></tr>\
           <tr><td>Total current assets</td><td>150</td><td></td><td>130</td></tr>\
           <tr><td>Goodwill</td><td>20</td><td></td><td>20</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    assert_eq!(
        rules_above(t),
        [
            ("Cash", RuleKind::None),
            ("Receivables", RuleKind::None),
            ("Total current assets", RuleKind::Single),
            ("Goodwill", RuleKind::None)
        ]
    );
    assert_eq!(row(t, "Receivables").rule_below, RuleKind::Single);
}

#[test]
fn rows_total_from_an_empty_bordered_row() {
    // Donnelley draws the rule as a row of its own: empty cells with a
    // bottom border under the figure columns.
    let html = "<html><body><table>".to_string()
        + BALANCE_HEADER
        + "<tr><td>Accounts payable</td><td>30</td><td></td><td>20</td></tr>\
           <tr><td>Accrued liabilities</td><td>10</td><td></td><td>5</td></tr>\
           <tr><td></td><td style=\"border-bottom:1pt solid #000\">&nbsp;</td><td></td>\
               <td style=\"border-bottom:1pt solid #000\">&nbsp;</td></tr>\
           <tr><td>Total current liabilities</td><td>40</td><td></td><td>25</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    // The empty row is no row of its own.
    assert_eq!(
        labels(t),
        [
            "Accounts payable",
            "Accrued liabilities",
            "Total current liabilities"
        ]
    );
    assert_eq!(row(t, "Accrued liabilities").rule_below, RuleKind::Single);
    assert_eq!(
        row(t, "Total current liabilities").rule_above,
        RuleKind::Single
    );
}

#[test]
fn rows_double_border_is_a_double_rule() {
    let html = "<html><body><table>".to_string()
        + BALANCE_HEADER
        + "<tr><td>Cash</td><td>100</td><td></td><td>90</td></tr>\
           <tr><td>Property, net</td><td>70</td><td></td><td>60</td></tr>\
           <tr><td>Total assets</td>\
               <td style=\"border-top:1px solid #000;border-bottom:3px double #000\">170</td><td></td>\
               <td style=\"border-top:1px solid #000;border-bottom:3px double #000\">150</td></tr>\
           <tr><td>Accounts payable</td><td>30</td><td></td><td>20</td></tr>\
           <tr><td>Retained earnings</td><td>140</td><td></td><td>130</td></tr>\
           <tr><td>Total liabilities and equity</td>\
               <td style=\"border-top:double 2.25pt #000000\">170</td><td></td>\
               <td style=\"border-top:double 2.25pt #000000\">150</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    let total = row(t, "Total assets");
    assert_eq!(
        (total.rule_above, total.rule_below),
        (RuleKind::Single, RuleKind::Double)
    );
    assert_eq!(
        row(t, "Total liabilities and equity").rule_above,
        RuleKind::Double
    );
    assert_eq!(row(t, "Retained earnings").rule_below, RuleKind::Double);
}

#[test]
fn rows_total_by_the_word_total_without_a_rule() {
    let page = |total: &str| {
        format!(
            "<html><body><p>(In thousands)</p><table>{QUARTER_HEADER}\
             <tr><td>Revenues:</td><td></td><td></td><td></td></tr>\
             <tr><td>Product</td><td>800</td><td></td><td>700</td></tr>\
             <tr><td>Service</td><td>450</td><td></td><td>400</td></tr>\
             <tr><td>Total revenues</td><td>{total}</td><td></td><td>1,100</td></tr>\
             </table></body></html>"
        )
    };
    let html = page("1,260");
    let doc = parse(&html);
    let t = only_table(&doc);
    let total = row(t, "Total revenues");
    assert_eq!(total.kind, RowKind::Values);
    assert_eq!(
        (total.rule_above, total.rule_below),
        (RuleKind::None, RuleKind::None)
    );
    // No rule, but the word makes it a total: 800 + 450 is not 1,260.
    let pack = RulePack::default_pack();
    let out = tieout::check::check_document(&doc, &pack, html.as_bytes());
    let foot: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule == "total-does-not-foot")
        .collect();
    assert_eq!(foot.len(), 1, "{:?}", out.findings);
    assert_eq!(at(&html, foot[0].primary().unwrap()), "1,260");
    // Printed right, it foots.
    let html = page("1,250");
    let doc = parse(&html);
    let out = tieout::check::check_document(&doc, &pack, html.as_bytes());
    assert!(
        out.findings.iter().all(|f| f.rule != "total-does-not-foot"),
        "{:?}",
        out.findings
    );
}

#[test]
fn rows_without_figures_are_headings() {
    let html = "<html><body><table>".to_string()
        + QUARTER_HEADER
        + "<tr><td>Revenues:</td><td></td><td></td><td></td></tr>\
           <tr><td>Product</td><td>800</td><td></td><td>700</td></tr>\
           <tr><td>Service</td><td>450</td><td></td><td>400</td></tr>\
           <tr><td><b>Costs and expenses:</b></td><td>&nbsp;</td><td></td><td>&nbsp;</td></tr>\
           <tr><td>Cost of revenue</td><td>700</td><td></td><td>650</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    let kinds: Vec<(&str, RowKind)> = t.rows.iter().map(|r| (&*r.label, r.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("Revenues:", RowKind::Heading),
            ("Product", RowKind::Values),
            ("Service", RowKind::Values),
            ("Costs and expenses:", RowKind::Heading),
            ("Cost of revenue", RowKind::Values)
        ]
    );
    let h = row(t, "Costs and expenses:");
    assert!(!h.has_values());
    assert_eq!(at(&html, h.label_span), "Costs and expenses:");
    assert_eq!(column_codes(t), ["3M 2026-03-31", "3M 2025-03-31"]);
}

#[test]
fn rows_a_heading_spanning_the_table_above_the_first_figures_is_a_heading() {
    let html = "<html><body><table>".to_string()
        + QUARTER_HEADER
        + "<tr><td colspan=\"4\">Revenues:</td></tr>\
           <tr><td>Product</td><td>800</td><td></td><td>700</td></tr>\
           <tr><td>Service</td><td>450</td><td></td><td>400</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    let headers: Vec<String> = t.columns.iter().map(|c| c.header_text()).collect();
    assert_eq!(
        headers,
        [
            "Three Months Ended March 31, 2026",
            "Three Months Ended March 31, 2025"
        ]
    );
    assert_eq!(labels(t), ["Revenues:", "Product", "Service"]);
    assert_eq!(t.rows[0].kind, RowKind::Heading);
}

#[test]
fn rows_a_footnote_table_is_not_a_data_table() {
    let html = "<html><body><table>".to_string()
        + QUARTER_HEADER
        + "<tr><td>Net revenue</td><td>1,250</td><td></td><td>1,100</td></tr>\
           <tr><td>Adjusted EBITDA (2)</td><td>300</td><td></td><td>280</td></tr>\
           </table>\
           <table>\
           <tr><td>(1)</td><td>Net revenue excludes freight charges billed to customers.</td></tr>\
           <tr><td>(2)</td><td>Adjusted EBITDA is a non-GAAP measure reconciled below.</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    assert_eq!(labels(t), ["Net revenue", "Adjusted EBITDA"]);
    assert_eq!(row(t, "Adjusted EBITDA").markers, ["(2)"]);
    // The footnotes belong to the table above.
    let notes: Vec<&str> = t.footnotes.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(
        notes,
        [
            "(1) Net revenue excludes freight charges billed to customers.",
            "(2) Adjusted EBITDA is a non-GAAP measure reconciled below."
        ]
    );
    assert_eq!(
        at(&html, t.footnotes[0].span),
        "(1)</td><td>Net revenue excludes freight charges billed to customers."
    );
}

#[test]
fn rows_a_bullet_table_is_not_a_data_table() {
    let html = "<html><body><p>Highlights of the quarter:</p>\
        <table>\
        <tr><td>&#8226;</td><td>Revenue grew 13.6% to $1,250 million on higher shipments.</td></tr>\
        <tr><td>&#8226;</td><td>The company opened 12 new stores and closed 3.</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    assert!(tables(&doc).is_empty());
    assert_eq!(
        paragraph_texts(&doc),
        [
            "Highlights of the quarter:",
            "Revenue grew 13.6% to $1,250 million on higher shipments.",
            "The company opened 12 new stores and closed 3."
        ]
    );
    let p = paragraphs(&doc)[1];
    let m: Vec<&str> = p.mentions.iter().map(|m| at(html, m.span)).collect();
    assert_eq!(m, ["13.6%", "$1,250 million"]);
}

// ------------------------------------------------------------------ scale

#[test]
fn scale_from_the_paragraph_above_the_table() {
    let html = "<html><body>\
        <p style=\"text-align:center\">ACME CORPORATION</p>\
        <p style=\"text-align:center\">CONDENSED STATEMENTS OF OPERATIONS</p>\
        <p style=\"text-align:center\">(in thousands, except per share data)</p>\
        <table>"
        .to_string()
        + QUARTER_HEADER
        + "<tr><td>Net revenue</td><td>1,250</td><td></td><td>1,100</td></tr>\
           <tr><td>Net income per share</td><td>0.45</td><td></td><td>0.40</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    let s = t.scale.as_ref().expect("a scale");
    assert_eq!(s.scale, Scale::Thousands);
    assert!(s.except_per_share);
    assert_eq!(s.shares_scale, None);
    assert_eq!(at(&html, s.span), "(in thousands, except per share data)");
    assert!(
        t.title_text()
            .starts_with("ACME CORPORATION / CONDENSED STATEMENTS OF OPERATIONS"),
        "{}",
        t.title_text()
    );
    // The title lines are not paragraphs.
    assert!(paragraphs(&doc).is_empty(), "{:?}", paragraph_texts(&doc));
}

#[test]
fn scale_line_above_the_table_is_also_a_title_line() {
    let html = "<html><body>\
        <p>ACME CORPORATION</p>\
        <p>(In thousands, except per share data)</p>\
        <table>"
        .to_string()
        + QUARTER_HEADER
        + "<tr><td>Net revenue</td><td>1,250</td><td></td><td>1,100</td></tr>\
           <tr><td>Cost of revenue</td><td>700</td><td></td><td>650</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    assert_eq!(
        t.title_text(),
        "ACME CORPORATION / (In thousands, except per share data)"
    );
    assert_eq!(t.scale(), Scale::Thousands);
}

#[test]
fn scale_in_the_corner_cell_split_over_font_runs() {
    let html = "<html><body><table>\
        <tr><td><font style=\"font-size:8pt\">(Dollars in </font><font style=\"font-size:8pt\">mil</font>\
            <font style=\"font-size:8pt\">lions, except per </font><font>share amounts)</font></td>\
            <td>March 31,<br>2026</td><td></td><td>December 31,<br>2025</td></tr>\
        <tr><td>Cash and cash equivalents</td><td>1,250</td><td></td><td>1,100</td></tr>\
        <tr><td>Total assets</td><td>9,000</td><td></td><td>8,800</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    let t = only_table(&doc);
    let s = t.scale.as_ref().expect("a scale");
    assert_eq!(s.scale, Scale::Millions);
    assert!(s.except_per_share);
    assert!(at(html, s.span).starts_with("(Dollars in </font>"));
    assert!(at(html, s.span).ends_with("share amounts)"));
    assert_eq!(column_codes(t), ["I 2026-03-31", "I 2025-12-31"]);
    // The corner is neither a row nor a header.
    assert_eq!(labels(t), ["Cash and cash equivalents", "Total assets"]);
    assert!(t.columns.iter().all(|c| c.header.len() == 1));
}

#[test]
fn scale_from_a_row_inside_the_table() {
    let html = "<html><body><table>".to_string()
        + BALANCE_HEADER
        + "<tr><td>(In billions)</td><td></td><td></td><td></td></tr>\
           <tr><td>Loans</td><td>12.5</td><td></td><td>12.1</td></tr>\
           <tr><td>Deposits</td><td>15.0</td><td></td><td>14.2</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    let s = t.scale.as_ref().expect("a scale");
    assert_eq!(s.scale, Scale::Billions);
    assert_eq!(at(&html, s.span), "(In billions)");
    // The scale row is not a heading.
    assert_eq!(labels(t), ["Loans", "Deposits"]);
    assert_eq!(values(row(t, "Loans")), vals(&["12.5", "12.1"]));
}

#[test]
fn scale_mid_table_shares_in_millions_sets_the_share_scale() {
    let html = "<html><body><p>(In thousands)</p><table>".to_string()
        + QUARTER_HEADER
        + "<tr><td>Net income</td><td>24,316</td><td></td><td>18,767</td></tr>\
           <tr><td>Net income per share</td><td>0.49</td><td></td><td>0.37</td></tr>\
           <tr><td>(Shares in millions)</td><td></td><td></td><td></td></tr>\
           <tr><td>Weighted average shares outstanding</td><td>49.8</td><td></td><td>50.6</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    let s = t.scale.as_ref().expect("a scale");
    // The amounts stay in thousands; the shares are in millions.
    assert_eq!(s.scale, Scale::Thousands);
    assert_eq!(s.shares_scale, Some(Scale::Millions));
    assert_eq!(
        labels(t),
        [
            "Net income",
            "Net income per share",
            "Weighted average shares outstanding"
        ]
    );
}

#[test]
fn scale_mid_table_new_money_scale_starts_a_sub_table() {
    let html = "<html><body><p>(In thousands)</p><table>".to_string()
        + BALANCE_HEADER
        + "<tr><td>Cash</td><td>1,250</td><td></td><td>1,100</td></tr>\
           <tr><td>Total assets</td><td>9,000</td><td></td><td>8,800</td></tr>\
           <tr><td>(In millions)</td><td></td><td></td><td></td></tr>\
           <tr><td>Assets under management</td><td>45</td><td></td><td>44</td></tr>\
           <tr><td>Assets under custody</td><td>12</td><td></td><td>11</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = tables(&doc);
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].scale(), Scale::Thousands);
    assert_eq!(labels(t[0]), ["Cash", "Total assets"]);
    assert_eq!(t[1].scale(), Scale::Millions);
    assert_eq!(
        at(&html, t[1].scale.as_ref().unwrap().span),
        "(In millions)"
    );
    assert_eq!(
        labels(t[1]),
        ["Assets under management", "Assets under custody"]
    );
    // The sub-table keeps the columns.
    assert_eq!(column_codes(t[1]), ["I 2026-03-31", "I 2025-12-31"]);
}

// -------------------------------------------------------------- narrative

#[test]
fn narrative_block_elements_become_paragraphs() {
    let html = "<html><body>\
        <p>ACME Corp. reported revenue of $318.5 million for the quarter.</p>\
        <div>Gross margin was 41.2% compared with 39.8% a year ago.</div>\
        <font>Operating cash flow was $52.0 million.</font>\
        <address>ACME Corp., Investor Relations<br>Springfield</address>\
        </body></html>";
    let doc = parse(html);
    assert_eq!(doc.kind, DocumentKind::Html);
    assert!(doc.exhibits[0].html);
    assert_eq!(
        paragraph_texts(&doc),
        [
            "ACME Corp. reported revenue of $318.5 million for the quarter.",
            "Gross margin was 41.2% compared with 39.8% a year ago.",
            "Operating cash flow was $52.0 million.",
            "ACME Corp., Investor Relations Springfield"
        ]
    );
    let p = paragraphs(&doc);
    assert_eq!(
        at(html, p[0].span),
        "ACME Corp. reported revenue of $318.5 million for the quarter."
    );
    let m = &p[1].mentions;
    assert_eq!(m.len(), 2);
    assert_eq!((m[0].value, m[1].value), (dec("41.2"), dec("39.8")));
    assert_eq!(p[2].mentions[0].value, dec("52000000"));
}

#[test]
fn narrative_sentence_cut_by_a_page_break_is_joined() {
    let html = "<html><body>\
        <p>Net income for the quarter was $24.3 million, or $0.48 per diluted share, compared with</p>\
        <p style=\"text-align:center\">2</p>\
        <hr style=\"page-break-after:always\">\
        <p>net income of $18.8 million, or $0.37 per diluted share, in the prior-year quarter.</p>\
        <p>The board declared a dividend.</p>\
        </body></html>";
    let doc = parse(html);
    assert_eq!(
        paragraph_texts(&doc),
        [
            "Net income for the quarter was $24.3 million, or $0.48 per diluted share, \
             compared with net income of $18.8 million, or $0.37 per diluted share, in the \
             prior-year quarter.",
            "The board declared a dividend."
        ]
    );
    // The mentions after the break point at their own bytes.
    let p = paragraphs(&doc)[0];
    let m: Vec<&str> = p.mentions.iter().map(|m| at(html, m.span)).collect();
    assert_eq!(
        m,
        [
            "$24.3 million",
            "$0.48 per diluted share",
            "$18.8 million",
            "$0.37 per diluted share"
        ]
    );
    let tail = p.text.find("net income of").unwrap();
    assert_eq!(
        at(html, p.source_span(tail, tail + "net income of".len())),
        "net income of"
    );
}

#[test]
fn narrative_sentence_continued_with_a_figure_after_a_page_break_is_joined() {
    // corpus/15-html-donnelley.htm cuts its net income sentence this way.
    let html = "<html><body>\
        <p>Net income was $184 million, or $0.45 per diluted share, compared with</p>\
        <p style=\"text-align:center\">(more)</p>\
        <p style=\"page-break-before:always\">&nbsp;</p>\
        <p>$135 million, or $0.33 per diluted share, in the second quarter of 2025.</p>\
        </body></html>";
    let doc = parse(html);
    assert_eq!(
        paragraph_texts(&doc),
        [
            "Net income was $184 million, or $0.45 per diluted share, compared with \
          $135 million, or $0.33 per diluted share, in the second quarter of 2025."
        ]
    );
}

#[test]
fn narrative_page_numbers_more_and_continued_are_dropped() {
    let html = "<html><body>\
        <p>Revenue rose 8% to $1,284 million.</p>\
        <p style=\"text-align:center\">(more)</p>\
        <p style=\"text-align:center\">2</p>\
        <hr style=\"page-break-after:always\">\
        <p style=\"text-align:center\">- 3 -</p>\
        <p>Operating income was $247 million.</p>\
        <p style=\"text-align:center\">(continued)</p>\
        <p>Page 4 of 9</p>\
        <p>The company repaid its commercial paper.</p>\
        </body></html>";
    let doc = parse(html);
    assert_eq!(
        paragraph_texts(&doc),
        [
            "Revenue rose 8% to $1,284 million.",
            "Operating income was $247 million.",
            "The company repaid its commercial paper."
        ]
    );
}

#[test]
fn narrative_a_page_break_ends_a_tables_title() {
    // As in corpus/14-html-workiva.htm: the contact line closes page 1, the
    // statement starts page 2.
    let html = "<html><body>\
        <div>Contact: Investor Relations, 303-555-0127</div>\
        <div style=\"text-align:center\">1</div>\
        <hr style=\"page-break-after:always\">\
        <div>ACME CORPORATION</div>\
        <div>CONDENSED STATEMENTS OF OPERATIONS</div>\
        <table>"
        .to_string()
        + QUARTER_HEADER
        + "<tr><td>Net revenue</td><td>1,250</td><td></td><td>1,100</td></tr>\
           <tr><td>Cost of revenue</td><td>700</td><td></td><td>650</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    assert_eq!(
        t.title_text(),
        "ACME CORPORATION / CONDENSED STATEMENTS OF OPERATIONS"
    );
    assert_eq!(
        paragraph_texts(&doc),
        ["Contact: Investor Relations, 303-555-0127"]
    );
}

#[test]
fn narrative_prose_table_is_read_as_paragraphs() {
    let html = "<html><body><p>Business Outlook</p>\
        <table>\
        <tr><td>Second quarter 2026</td><td>Revenue is expected to be between $1.30 billion and \
            $1.35 billion, and diluted earnings per share between $0.50 and $0.55.</td></tr>\
        <tr><td>Full year 2026</td><td>Revenue is expected to grow 6% to 8% over the prior year, \
            with an operating margin of about 22%.</td></tr>\
        </table></body></html>";
    let doc = parse(html);
    assert!(tables(&doc).is_empty());
    let p = paragraphs(&doc);
    assert_eq!(p.len(), 3, "{:?}", paragraph_texts(&doc));
    assert_eq!(p[0].text, "Business Outlook");
    assert_eq!(
        p[1].text,
        "Second quarter 2026 Revenue is expected to be between $1.30 billion and $1.35 \
         billion, and diluted earnings per share between $0.50 and $0.55."
    );
    let m: Vec<(&str, Decimal)> = p[1]
        .mentions
        .iter()
        .map(|m| (at(html, m.span), m.value))
        .collect();
    assert_eq!(m[0], ("$1.30 billion", dec("1300000000")));
    assert_eq!(m[1], ("$1.35 billion", dec("1350000000")));
    let pct: Vec<Decimal> = p[2].mentions.iter().map(|m| m.value).collect();
    assert_eq!(pct, [dec("6"), dec("8"), dec("22")]);
}

#[test]
fn narrative_entities_are_decoded_as_browsers_do() {
    let html = "<html><body>\
        <p>Revenue&#151;the largest since 2019&#151;rose&nbspsharply; caf&eacute; sales &amp; \
        catering grew &#8220;strongly&#8221;.</p>\
        </body></html>";
    let doc = parse(html);
    let p = paragraphs(&doc);
    assert_eq!(p.len(), 1);
    // `&#151;` is Windows-1252's em dash; `&nbsp` without its semicolon is
    // a no-break space, collapsed like any space.
    assert_eq!(
        p[0].text,
        "Revenue\u{2014}the largest since 2019\u{2014}rose sharply; caf\u{e9} sales & \
         catering grew \u{201c}strongly\u{201d}."
    );
    assert_eq!(
        at(html, p[0].span),
        &html["<html><body><p>".len()..html.len() - "</p></body></html>".len()]
    );
    // The text after a reference maps back to its own bytes.
    let rose = p[0].text.find("rose").unwrap();
    assert_eq!(at(html, p[0].source_span(rose, rose + 4)), "rose");
}

// ------------------------------------------------------------------ spans

#[test]
fn spans_a_cell_after_nbsp_entities_is_its_digits() {
    let html = "<html><body><table>".to_string()
        + QUARTER_HEADER
        + "<tr><td>Net sales</td><td>&nbsp;&nbsp;3,769</td><td></td><td>3,512&nbsp;</td></tr>\
           <tr><td>Impairment</td><td>&#151;</td><td></td><td>$&nbsp;(46)</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    let r = row(t, "Net sales");
    assert_eq!(values(r), vals(&["3769", "3512"]));
    assert_eq!(cell_texts(&html, r), ["3,769", "3,512"]);
    let r = row(t, "Impairment");
    let nil = r.cells[0].as_ref().unwrap();
    assert!(nil.nil);
    assert_eq!(nil.value, Decimal::ZERO);
    assert_eq!(cell_texts(&html, r), ["&#151;", "$&nbsp;(46)"]);
    assert_eq!(values(r), vals(&["0", "-46"]));
}

#[test]
fn spans_a_label_is_its_characters() {
    let html = "<html><body><table>".to_string()
        + QUARTER_HEADER
        + "<tr><td>&nbsp;&nbsp;Net&nbsp;sales&nbsp;</td><td>3,769</td><td></td><td>3,512</td></tr>\
           <tr><td><font>Cost of sales, including</font><br><font>buying and occupancy</font></td>\
               <td>2,000</td><td></td><td>1,900</td></tr>\
           </table></body></html>";
    let doc = parse(&html);
    let t = only_table(&doc);
    let r = row(t, "Net sales");
    assert_eq!(at(&html, r.label_span), "Net&nbsp;sales");
    let r = row(t, "Cost of sales, including buying and occupancy");
    assert_eq!(
        at(&html, r.label_span),
        "Cost of sales, including</font><br><font>buying and occupancy"
    );
    // A row's span runs from its label to its last figure.
    assert_eq!(
        at(&html, r.span),
        "Cost of sales, including</font><br><font>buying and occupancy</font></td>\
         <td>2,000</td><td></td><td>1,900"
    );
}

#[test]
fn spans_a_narrative_mention_points_at_its_bytes() {
    let html = "<html><body>\
        <p><font>Net sales for the quarter were <b>$318.5&nbsp;million</b>, up 7.3%, \
        or $0.48 per diluted share.</font></p>\
        </body></html>";
    let doc = parse(html);
    let p = paragraphs(&doc);
    assert_eq!(p.len(), 1);
    let m: Vec<(&str, Decimal)> = p[0]
        .mentions
        .iter()
        .map(|m| (at(html, m.span), m.value))
        .collect();
    assert_eq!(
        m,
        [
            ("$318.5&nbsp;million", dec("318500000")),
            ("7.3%", dec("7.3")),
            ("$0.48 per diluted share", dec("0.48"))
        ]
    );
    // The mention's text range is in the decoded text.
    let first = &p[0].mentions[0];
    assert_eq!(
        &p[0].text[first.text_range.0..first.text_range.1],
        "$318.5\u{a0}million".replace('\u{a0}', " ")
    );
}

#[test]
fn spans_a_mention_ending_in_a_character_reference_covers_the_reference() {
    let html = "<html><body>\
        <p>Margin rose 8&#37; in the quarter and 9.1&#x25; for the year; \
        sales&#151;net of returns&#151;grew.</p>\
        </body></html>";
    let doc = parse(html);
    let p = paragraphs(&doc)[0];
    let m: Vec<&str> = p.mentions.iter().map(|m| at(html, m.span)).collect();
    assert_eq!(m, ["8&#37;", "9.1&#x25;"]);
    // Any decoded character maps back to the whole reference.
    let dash = p.text.find('\u{2014}').unwrap();
    assert_eq!(
        at(html, p.source_span(dash, dash + '\u{2014}'.len_utf8())),
        "&#151;"
    );
}

// ---------------------------------------------------------- filing agents

#[test]
fn donnelley_uppercase_tags_and_unclosed_p_td_tr() {
    let html = "<HTML><BODY>\n\
        <P ALIGN=\"center\"><FONT SIZE=\"2\"><B>ACME CORPORATION</B></FONT>\n\
        <P ALIGN=\"center\"><FONT SIZE=\"2\">(In thousands)</FONT>\n\
        <TABLE WIDTH=\"100%\" BORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"0\">\n\
        <TR><TD WIDTH=\"60%\"></TD><TD WIDTH=\"3%\"></TD><TD WIDTH=\"15%\"></TD><TD WIDTH=\"3%\"></TD><TD WIDTH=\"15%\"></TD>\n\
        <TR VALIGN=\"bottom\"><TD><FONT SIZE=\"1\">&nbsp;</FONT><TD><TD ALIGN=\"center\" COLSPAN=\"3\"><FONT SIZE=\"1\"><B>Six Months Ended June 30,</B></FONT>\n\
        <TR VALIGN=\"bottom\"><TD><TD><TD ALIGN=\"center\"><FONT SIZE=\"1\"><B>2026</B></FONT><TD><TD ALIGN=\"center\"><FONT SIZE=\"1\"><B>2025</B></FONT>\n\
        <TR><TD><FONT SIZE=\"2\">Revenues</FONT><TD><FONT SIZE=\"2\">$</FONT><TD ALIGN=\"right\"><FONT SIZE=\"2\">2,499</FONT><TD><FONT SIZE=\"2\">$</FONT><TD ALIGN=\"right\"><FONT SIZE=\"2\">2,334</FONT>\n\
        <TR><TD><FONT SIZE=\"2\">Cost of revenues</FONT><TD><TD ALIGN=\"right\"><FONT SIZE=\"2\">1,250</FONT><TD><TD ALIGN=\"right\"><FONT SIZE=\"2\">1,180</FONT>\n\
        <TR><TD><FONT SIZE=\"2\">Gross profit</FONT><TD><TD ALIGN=\"right\" STYLE=\"BORDER-TOP:1px solid #000000\"><FONT SIZE=\"2\">1,249</FONT><TD><TD ALIGN=\"right\" STYLE=\"BORDER-TOP:1px solid #000000\"><FONT SIZE=\"2\">1,154</FONT>\n\
        </TABLE>\n\
        <P><FONT SIZE=\"2\">Gross profit rose to $1,249 thousand.</FONT>\n\
        <P><FONT SIZE=\"2\">The company had 1,200 employees.</FONT>\n\
        </BODY></HTML>\n";
    let doc = parse(html);
    let t = only_table(&doc);
    assert_eq!(t.title_text(), "ACME CORPORATION / (In thousands)");
    assert_eq!(t.scale(), Scale::Thousands);
    assert_eq!(column_codes(t), ["6M 2026-06-30", "6M 2025-06-30"]);
    assert_eq!(labels(t), ["Revenues", "Cost of revenues", "Gross profit"]);
    assert_eq!(values(row(t, "Revenues")), vals(&["2499", "2334"]));
    assert_eq!(values(row(t, "Gross profit")), vals(&["1249", "1154"]));
    assert_eq!(row(t, "Gross profit").rule_above, RuleKind::Single);
    assert_eq!(
        cell_texts(html, row(t, "Cost of revenues")),
        ["1,250", "1,180"]
    );
    // Each unclosed `<P>` is a paragraph of its own.
    assert_eq!(
        paragraph_texts(&doc),
        [
            "Gross profit rose to $1,249 thousand.",
            "The company had 1,200 employees."
        ]
    );
}

#[test]
fn submission_file_with_an_html_exhibit_is_read_with_spans_into_the_file() {
    let sub = "<SEC-DOCUMENT>0000000000-26-000001.txt : 20260428\n\
        <SEC-HEADER>0000000000-26-000001.hdr.sgml : 20260428\n\
        ACCESSION NUMBER:\t\t0000000000-26-000001\n\
        CONFORMED SUBMISSION TYPE:\t8-K\n\
        PUBLIC DOCUMENT COUNT:\t\t2\n\
        </SEC-HEADER>\n\
        <DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<FILENAME>form8-k.htm\n<TEXT>\n\
        <HTML><BODY><P>Item 2.02. See Exhibit 99.1.</P>\n\
        <TABLE><TR><TD>Signature block</TD><TD>11</TD><TD>12</TD></TR>\
        <TR><TD>Other</TD><TD>13</TD><TD>14</TD></TR></TABLE></BODY></HTML>\n\
        </TEXT>\n</DOCUMENT>\n\
        <DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<FILENAME>ex99-1.htm\n<DESCRIPTION>PRESS RELEASE\n<TEXT>\n\
        <HTML><BODY>\n\
        <P>ACME Corp. reported revenue of $1,250 million.</P>\n\
        <P>(In millions)</P>\n\
        <TABLE>\n\
        <TR><TD></TD><TD COLSPAN=\"2\">Three Months Ended<BR>March 31, 2026</TD>\
            <TD COLSPAN=\"2\">Three Months Ended<BR>March 31, 2025</TD></TR>\n\
        <TR><TD>Net revenue</TD><TD>$</TD><TD>1,250</TD><TD>$</TD><TD>1,100</TD></TR>\n\
        <TR><TD>Cost of revenue</TD><TD></TD><TD>700</TD><TD></TD><TD>650</TD></TR>\n\
        </TABLE>\n\
        </BODY></HTML>\n\
        </TEXT>\n</DOCUMENT>\n\
        </SEC-DOCUMENT>\n";
    let doc = parse(sub);
    assert_eq!(doc.kind, DocumentKind::Submission);
    assert_eq!(doc.exhibits.len(), 1, "only the EX-99 is read");
    let ex = &doc.exhibits[0];
    assert_eq!(ex.doc_type.as_deref(), Some("EX-99.1"));
    assert!(ex.html);
    let body = sub.find("<TYPE>EX-99.1").unwrap();
    assert!(ex.span.offset > body);
    let t: Vec<&Table> = ex.tables().collect();
    assert_eq!(t.len(), 1);
    let t = t[0];
    assert_eq!(t.scale(), Scale::Millions);
    assert_eq!(column_codes(t), ["3M 2026-03-31", "3M 2025-03-31"]);
    let r = row(t, "Net revenue");
    assert_eq!(values(r), vals(&["1250", "1100"]));
    assert_eq!(cell_texts(sub, r), ["$</TD><TD>1,250", "$</TD><TD>1,100"]);
    assert!(r.cells[0].as_ref().unwrap().span.offset > body);
    assert_eq!(at(sub, r.label_span), "Net revenue");
    assert_eq!(cell_texts(sub, row(t, "Cost of revenue")), ["700", "650"]);
    let p: Vec<&Paragraph> = ex.paragraphs().collect();
    assert_eq!(p.len(), 1);
    assert_eq!(at(sub, p[0].mentions[0].span), "$1,250 million");
}

// -------------------------------------------------------------------- cli

/// The table part of a `tieout parse` outline: from the scale line on.
fn table_body(outline: &str) -> Vec<&str> {
    outline
        .lines()
        .skip_while(|l| !l.starts_with("  table line "))
        .skip(1)
        .collect()
}

#[test]
fn cli_parse_prints_an_html_table_like_a_text_table() {
    let html = "<html><body>\n\
        <p style=\"text-align:center\">ACME CORPORATION</p>\n\
        <p style=\"text-align:center\">CONDENSED STATEMENTS OF OPERATIONS</p>\n\
        <p style=\"text-align:center\">(In thousands, except per share data)</p>\n\
        <table>\n\
        <tr><td></td><td colspan=\"3\" style=\"text-align:center\">Three Months Ended</td></tr>\n\
        <tr><td></td><td>March 31,<br>2026</td><td></td><td>March 31,<br>2025</td></tr>\n\
        <tr><td>Net revenue</td><td>$&nbsp;1,250</td><td></td><td>$&nbsp;1,100</td></tr>\n\
        <tr><td>Cost of revenue</td><td>700</td><td></td><td>650</td></tr>\n\
        <tr><td>Gross profit</td><td style=\"border-top:1px solid #000\">550</td><td></td>\
            <td style=\"border-top:1px solid #000\">450</td></tr>\n\
        <tr><td>Operating expenses:</td><td></td><td></td><td></td></tr>\n\
        <tr><td style=\"padding-left:10pt\">Research and development</td><td>(120</td><td>)</td>\
            <td>(110</td><td>)</td></tr>\n\
        <tr><td>Net income per share</td>\
            <td style=\"border-top:1px solid #000;border-bottom:3px double #000\">$&nbsp;0.45</td><td></td>\
            <td style=\"border-top:1px solid #000;border-bottom:3px double #000\">$&nbsp;0.40</td></tr>\n\
        </table>\n\
        </body></html>\n";
    let text = "                             ACME CORPORATION
                    CONDENSED STATEMENTS OF OPERATIONS
                  (In thousands, except per share data)

                                         Three Months Ended
                                      March 31,      March 31,
                                        2026           2025
                                     ----------     ----------
Net revenue                          $    1,250     $    1,100
Cost of revenue                             700            650
                                     ----------     ----------
Gross profit                                550            450
Operating expenses:
  Research and development                 (120)          (110)
                                     ----------     ----------
Net income per share                 $     0.45     $     0.40
                                     ==========     ==========
";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("release.htm"), html).unwrap();
    std::fs::write(dir.path().join("release.txt"), text).unwrap();
    let outline = |name: &str| {
        let out = Command::cargo_bin("tieout")
            .unwrap()
            .env_remove("FORCE_COLOR")
            .current_dir(dir.path())
            .args(["parse", name])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let h = outline("release.htm");
    let t = outline("release.txt");
    assert!(
        h.starts_with("release.htm: Html document, 1 exhibit(s)\n"),
        "{h}"
    );
    assert!(
        h.contains("  table line 6: ACME CORPORATION / CONDENSED STATEMENTS OF OPERATIONS"),
        "{h}"
    );
    assert!(!h.contains("paragraph line"), "{h}");
    // Scale, columns and rows read the same from either front end.
    assert_eq!(table_body(&h), table_body(&t), "html:\n{h}\ntext:\n{t}");
    assert_eq!(
        table_body(&h),
        [
            "    scale: thousands, except per share",
            "    col 0: 3 months ended 2026-03-31  [Three Months Ended March 31, 2026]",
            "    col 1: 3 months ended 2025-03-31  [Three Months Ended March 31, 2025]",
            "      Net revenue                                             1250        1100",
            "      Cost of revenue                                          700         650",
            "    - Gross profit                                             550         450",
            "      Operating expenses:",
            "       Research and development                               -120        -110",
            "    - Net income per share                                    0.45        0.40",
        ]
    );
}

// ------------------------------------------------------- acknowledgements

struct Checked {
    code: i32,
    /// `(rule, acknowledged)` of every finding.
    findings: Vec<(String, bool)>,
}

fn check_in(dir: &Path, args: &[&str]) -> Checked {
    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .current_dir(dir)
        .arg("check")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut findings = Vec::new();
    if args.contains(&"json") {
        let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json report");
        for f in doc["files"].as_array().unwrap() {
            for x in f["findings"].as_array().unwrap() {
                findings.push((
                    x["rule"].as_str().unwrap().to_owned(),
                    x["acknowledged"].as_bool().unwrap(),
                ));
            }
        }
    }
    Checked { code, findings }
}

#[test]
fn acknowledgements_cover_a_finding_on_an_html_release() {
    let dir = tempfile::tempdir().unwrap();
    let release = dir.path().join("release.htm");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/broken/html-total-does-not-foot.htm"),
        &release,
    )
    .unwrap();
    let before = check_in(dir.path(), &["--format", "json", "."]);
    assert_eq!(before.code, 1);
    assert_eq!(
        before.findings,
        [("total-does-not-foot".to_string(), false)]
    );

    let w = check_in(dir.path(), &["--write-baseline", "tieout.ack.yaml", "."]);
    assert_eq!(w.code, 0);
    let acks = std::fs::read_to_string(dir.path().join("tieout.ack.yaml")).unwrap();
    assert!(acks.contains("file: \"release.htm\""), "{acks}");
    assert!(acks.contains("rule: total-does-not-foot"), "{acks}");

    // Rerun: the finding is acknowledged and the run passes.
    let after = check_in(dir.path(), &["--format", "json", "."]);
    assert_eq!(after.code, 0);
    assert_eq!(after.findings, [("total-does-not-foot".to_string(), true)]);

    // Moved bytes (a comment before everything) keep the acknowledgement.
    let original = std::fs::read_to_string(&release).unwrap();
    std::fs::write(&release, format!("<!-- reviewed -->\n{original}")).unwrap();
    let moved = check_in(dir.path(), &["--format", "json", "."]);
    assert_eq!(moved.code, 0);
    assert_eq!(moved.findings, [("total-does-not-foot".to_string(), true)]);

    // The total's bytes change: the acknowledgement lapses.
    assert_eq!(original.matches("360,058").count(), 1);
    std::fs::write(&release, original.replacen("360,058", "360,059", 1)).unwrap();
    let changed = check_in(dir.path(), &["--format", "json", "."]);
    assert_eq!(changed.code, 1);
    assert!(
        changed.findings.iter().all(|f| !f.1),
        "{:?}",
        changed.findings
    );
    let rules: Vec<&str> = changed.findings.iter().map(|f| f.0.as_str()).collect();
    assert!(rules.contains(&"total-does-not-foot"), "{rules:?}");
    assert!(rules.contains(&"stale-acknowledgement"), "{rules:?}");
}
