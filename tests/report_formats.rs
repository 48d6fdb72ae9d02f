//! Every output format, rendered from one hand-built run of three files:
//! `filings/acme q3.txt` with two findings (one with three labels), a clean
//! `filings/beta-q3.txt`, and an unreadable `filings/gamma-q3.txt`.
//!
//! Snapshots live in tests/data/snapshots; review changes with
//! `cargo insta review`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use tieout::finding::{Finding, Label, Severity};
use tieout::report::{
    FileReport, FileStatus, Format, RenderOptions, RuleInfo, Stats, Stream, Summary, render_all,
    render_jsonl_file, render_jsonl_summary,
};
use tieout::span::Span;

const ACME: &str = "\
ACME WIDGETS REPORTS THIRD QUARTER 2024 RESULTS

Revenue grew 14% to $1,250 million, driven by \"Product\" & service sales.

                         Q3 2024   Q3 2023
Product revenue            900       800
Service revenue            340       316
Total revenue            1,250     1,116
";

/// The span of the `nth` (0-based) occurrence of `needle` in `src`.
fn span_of(src: &str, needle: &str, nth: usize) -> Span {
    let offset = src
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in fixture"))
        .0;
    Span::new(offset, needle.len())
}

fn rules() -> Vec<RuleInfo> {
    vec![
        RuleInfo {
            id: "total-does-not-foot".into(),
            title: "Total does not foot".into(),
            severity: Severity::Error,
            description: "A total row differs from the sum of the rows above it.".into(),
            help: Some("Correct the total or the line items so that they agree.".into()),
            url: Some("https://tieout.example/rules/total-does-not-foot".into()),
        },
        RuleInfo {
            id: "narrative-contradicts-table".into(),
            title: "Narrative contradicts table".into(),
            severity: Severity::Warning,
            description: "A figure in the text disagrees with the table it describes.".into(),
            help: None,
            url: Some("https://tieout.example/rules/narrative-contradicts-table".into()),
        },
        RuleInfo {
            id: "balance-sheet-out-of-balance".into(),
            title: "Balance sheet out of balance".into(),
            severity: Severity::Error,
            description: "Total assets differ from total liabilities and equity.".into(),
            help: None,
            url: None,
        },
    ]
}

fn acme() -> FileReport {
    let total = Finding {
        rule: "total-does-not-foot".into(),
        severity: Severity::Error,
        message: "Total revenue (Q3 2024) is 1,250 but its items sum to 1,240: \
                  off by 10, tolerance 1."
            .into(),
        help: Some("Correct the total or the line items so that they agree.".into()),
        url: Some("https://tieout.example/rules/total-does-not-foot".into()),
        labels: vec![
            Label::new(span_of(ACME, "1,250", 1), "total: 1,250"),
            Label::new(span_of(ACME, "900", 0), "product revenue: 900"),
            Label::new(span_of(ACME, "340", 0), "service revenue: 340"),
        ],
        acknowledged: false,
        difference: None,
        elsewhere: Vec::new(),
    };
    let narrative = Finding {
        rule: "narrative-contradicts-table".into(),
        severity: Severity::Warning,
        message: "The text says revenue grew 14%; the table gives 12.0% (1,250 vs 1,116).".into(),
        help: None,
        url: Some("https://tieout.example/rules/narrative-contradicts-table".into()),
        labels: vec![Label::new(span_of(ACME, "14%", 0), "claimed growth")],
        acknowledged: false,
        difference: None,
        elsewhere: Vec::new(),
    };
    FileReport {
        path: "filings/acme q3.txt".into(),
        status: FileStatus::Ok,
        error: None,
        stats: Stats {
            tables: 1,
            facts: 6,
            rules_run: 3,
            rules_skipped: 0,
            claims_found: 2,
            claims_verified: 1,
            claims_contradicted: 1,
            claims_unverifiable: 0,
            figures_tied: 12,
            figures_checked: 6,
            tables_untouched: 0,
            prior_compared: 0,
        },
        findings: vec![narrative, total],
        source: Arc::new(ACME.as_bytes().to_vec()),
        view: None,
        known: None,
        claims: Vec::new(),
        untouched: Vec::new(),
        review: None,
    }
}

fn beta() -> FileReport {
    FileReport {
        path: "filings/beta-q3.txt".into(),
        status: FileStatus::Ok,
        error: None,
        stats: Stats {
            tables: 2,
            facts: 14,
            rules_run: 2,
            rules_skipped: 1,
            claims_found: 1,
            claims_verified: 0,
            claims_contradicted: 0,
            claims_unverifiable: 1,
            figures_tied: 30,
            figures_checked: 12,
            tables_untouched: 1,
            prior_compared: 0,
        },
        findings: Vec::new(),
        source: Arc::new(b"BETA CORP Q3\n\nNothing to see.\n".to_vec()),
        view: None,
        known: None,
        claims: Vec::new(),
        untouched: Vec::new(),
        review: None,
    }
}

fn gamma() -> FileReport {
    FileReport {
        path: "filings/gamma-q3.txt".into(),
        status: FileStatus::Error,
        error: Some("Permission denied (os error 13)".into()),
        stats: Stats::default(),
        findings: Vec::new(),
        source: Arc::new(Vec::new()),
        view: None,
        known: None,
        claims: Vec::new(),
        untouched: Vec::new(),
        review: None,
    }
}

fn fixture() -> Vec<FileReport> {
    vec![acme(), beta(), gamma()]
}

fn opts() -> RenderOptions {
    RenderOptions {
        color: false,
        width: Some(100),
        tool_version: "0.0.0-test".into(),
    }
}

fn render(format: Format, reports: &[FileReport]) -> String {
    let mut out = Vec::new();
    render_all(format, reports, &rules(), &opts(), &mut out).expect("writing to a Vec");
    String::from_utf8(out).expect("every format is UTF-8")
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "data/snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

#[test]
fn snapshot_human() {
    snapshot!("human", render(Format::Human, &fixture()));
}

#[test]
fn snapshot_json() {
    snapshot!("json", render(Format::Json, &fixture()));
}

#[test]
fn snapshot_jsonl() {
    snapshot!("jsonl", render(Format::Jsonl, &fixture()));
}

#[test]
fn snapshot_sarif() {
    snapshot!("sarif", render(Format::Sarif, &fixture()));
}

#[test]
fn snapshot_github() {
    snapshot!("github", render(Format::Github, &fixture()));
}

#[test]
fn snapshot_junit() {
    snapshot!("junit", render(Format::Junit, &fixture()));
}

#[test]
fn snapshot_concise() {
    snapshot!("concise", render(Format::Concise, &fixture()));
}

#[test]
fn every_format_is_deterministic() {
    for format in Format::ALL {
        assert_eq!(
            render(format, &fixture()),
            render(format, &fixture()),
            "{format}"
        );
    }
}

#[test]
fn format_names_round_trip() {
    for format in Format::ALL {
        assert_eq!(format.as_str().parse::<Format>(), Ok(format));
        let via_clap = <Format as clap::ValueEnum>::from_str(format.as_str(), false);
        assert_eq!(via_clap, Ok(format));
    }
    assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
    assert!("xml".parse::<Format>().is_err());
}

// ---------------------------------------------------------------------------
// The documented JSON schema (docs/output.md), version 1, as typed structs
// that reject unknown fields: if the output grows or renames a field, this
// test and the docs must change together.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonDocument {
    version: u32,
    tool: JsonTool,
    files: Vec<JsonFile>,
    summary: JsonSummary,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonTool {
    name: String,
    version: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFile {
    path: String,
    status: JsonStatus,
    error: Option<String>,
    stats: JsonStats,
    findings: Vec<JsonFinding>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum JsonStatus {
    Ok,
    Error,
    NotChecked,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonStats {
    tables: usize,
    facts: usize,
    rules_run: usize,
    rules_skipped: usize,
    claims_found: usize,
    claims_verified: usize,
    claims_contradicted: usize,
    claims_unverifiable: usize,
    figures_tied: usize,
    figures_checked: usize,
    tables_untouched: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFinding {
    rule: String,
    severity: JsonSeverity,
    message: String,
    help: Option<String>,
    url: Option<String>,
    acknowledged: bool,
    labels: Vec<JsonLabel>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum JsonSeverity {
    Error,
    Warning,
    Note,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonLabel {
    offset: usize,
    length: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    text: String,
    snippet: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSummary {
    files_checked: usize,
    files_ok: usize,
    files_error: usize,
    files_not_checked: usize,
    files_with_findings: usize,
    findings: usize,
    by_severity: JsonSeverityCounts,
    by_rule: BTreeMap<String, usize>,
    acknowledged: usize,
    unreadable: Vec<JsonUnreadable>,
    not_checked: Vec<JsonUnreadable>,
    totals: JsonStats,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSeverityCounts {
    error: usize,
    warning: usize,
    note: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonUnreadable {
    path: String,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum JsonlLine {
    File {
        version: u32,
        #[serde(flatten)]
        file: JsonFile,
    },
    Summary {
        version: u32,
        #[serde(flatten)]
        summary: JsonSummary,
    },
}

#[test]
fn json_matches_the_documented_schema() {
    let doc: JsonDocument =
        serde_json::from_str(&render(Format::Json, &fixture())).expect("schema v2");
    assert_eq!(doc.version, 2);
    assert_eq!(doc.tool.name, "tieout");
    assert_eq!(doc.tool.version, "0.0.0-test");
    assert_eq!(doc.files.len(), 3);
    assert_eq!(doc.summary.files_not_checked, 0);
    assert!(doc.summary.not_checked.is_empty());
    // A file read with nothing checked has its own status and reason.
    let mut draft = beta();
    draft.status = FileStatus::NotChecked;
    draft.error = Some("no financial table was found".into());
    let one: JsonDocument =
        serde_json::from_str(&render(Format::Json, &[draft])).expect("schema v2");
    assert_eq!(one.files[0].status, JsonStatus::NotChecked);
    assert_eq!(one.summary.files_not_checked, 1);
    assert_eq!(
        one.summary.not_checked[0].reason,
        "no financial table was found"
    );

    let acme = &doc.files[0];
    assert_eq!(acme.path, "filings/acme q3.txt");
    assert_eq!(acme.status, JsonStatus::Ok);
    assert_eq!(acme.error, None);
    assert_eq!(acme.stats.claims_contradicted, 1);
    let total = &acme.findings[1];
    assert_eq!(total.rule, "total-does-not-foot");
    assert_eq!(total.severity, JsonSeverity::Error);
    assert!(total.message.contains("1,240"));
    assert!(total.help.is_some() && total.url.is_some());
    assert!(!total.acknowledged);
    assert_eq!(total.labels.len(), 3);
    let primary = &total.labels[0];
    assert_eq!((primary.line, primary.column), (8, 26));
    assert_eq!((primary.end_line, primary.end_column), (8, 31));
    assert_eq!(primary.snippet, "1,250");
    assert_eq!(primary.text, "total: 1,250");
    assert_eq!(
        &ACME[primary.offset..primary.offset + primary.length],
        "1,250"
    );
    assert_eq!(acme.findings[0].severity, JsonSeverity::Warning);

    assert!(doc.files[1].findings.is_empty());
    assert_eq!(doc.files[2].status, JsonStatus::Error);
    assert_eq!(
        doc.files[2].error.as_deref(),
        Some("Permission denied (os error 13)")
    );

    let s = &doc.summary;
    assert_eq!(
        (
            s.files_checked,
            s.files_ok,
            s.files_error,
            s.files_with_findings
        ),
        (3, 2, 1, 1)
    );
    assert_eq!(s.findings, 2);
    assert_eq!(
        (
            s.by_severity.error,
            s.by_severity.warning,
            s.by_severity.note
        ),
        (1, 1, 0)
    );
    assert_eq!(s.by_rule.len(), 2);
    assert_eq!(s.acknowledged, 0);
    assert_eq!(s.unreadable[0].path, "filings/gamma-q3.txt");
    assert_eq!(s.unreadable[0].reason, "Permission denied (os error 13)");
    assert_eq!(s.totals.facts, 20);
    assert_eq!(s.totals.claims_unverifiable, 1);
}

#[test]
fn jsonl_is_one_file_line_each_then_a_summary() {
    let out = render(Format::Jsonl, &fixture());
    let lines: Vec<JsonlLine> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is schema v2"))
        .collect();
    assert_eq!(lines.len(), 4);
    assert!(
        matches!(&lines[0], JsonlLine::File { version: 2, file } if file.path == "filings/acme q3.txt")
    );
    assert!(
        matches!(&lines[2], JsonlLine::File { version: 2, file } if file.status == JsonStatus::Error)
    );
    match &lines[3] {
        JsonlLine::Summary { version, summary } => {
            assert_eq!(*version, 2);
            assert_eq!(summary.files_checked, 3);
        }
        other => panic!("last line is not the summary: {other:?}"),
    }
}

#[test]
fn jsonl_streaming_matches_render_all() {
    let reports = fixture();
    let mut streamed = Vec::new();
    let mut summary = Summary::default();
    for report in &reports {
        render_jsonl_file(report, &mut streamed).unwrap();
        summary.add(report);
    }
    render_jsonl_summary(&summary, &mut streamed).unwrap();
    assert_eq!(
        String::from_utf8(streamed).unwrap(),
        render(Format::Jsonl, &reports)
    );
    assert_eq!(summary, Summary::from_reports(&reports));
}

#[test]
fn every_format_streams_the_same_bytes_from_reports_dropped_as_they_go() {
    // A sweep hands each report to the stream and drops it: SARIF and
    // JUnit (whose counts come first) must not need it again at the end.
    let reports = fixture();
    let rules = rules();
    let opts = opts();
    for format in Format::ALL {
        let mut out = Vec::new();
        let mut stream = Stream::new(format, &opts, &rules);
        stream.begin(&mut out).unwrap();
        let mut summary = Summary::default();
        for report in reports.iter().cloned() {
            stream.file(&report, &mut out).unwrap();
            summary.add(&report);
            drop(report);
        }
        stream.finish(&summary, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            render(format, &reports),
            "{format}"
        );
        // The whole output of SARIF and JUnit comes at the end; the other
        // formats have written each file's part by then.
        assert_eq!(
            Stream::new(format, &opts, &rules).writes_as_it_goes(),
            !matches!(format, Format::Sarif | Format::Junit)
        );
    }
}

#[test]
fn summary_gates_on_fail_on() {
    let summary = Summary::from_reports(&fixture());
    assert_eq!(summary.worst_severity(), Some(Severity::Error));
    assert!(summary.fails(Severity::Error));
    let clean = Summary::from_reports(&[beta()]);
    assert!(!clean.fails(Severity::Note));
}

// ---------------------------------------------------------------------------
// Acknowledged findings and notes.

fn acknowledged_fixture() -> Vec<FileReport> {
    let mut report = acme();
    report.findings[0].acknowledged = true;
    report.findings[1].severity = Severity::Note;
    vec![report]
}

#[test]
fn acknowledged_findings_are_counted_not_rendered_in_full() {
    let reports = acknowledged_fixture();
    let summary = Summary::from_reports(&reports);
    assert_eq!((summary.findings, summary.acknowledged), (1, 1));

    let human = render(Format::Human, &reports);
    assert!(
        human.contains(
            "acknowledged: filings/acme q3.txt:3:14: warning[narrative-contradicts-table]"
        )
    );
    assert!(
        !human.contains("claimed growth"),
        "no snippet for it:\n{human}"
    );
    assert!(human.contains("1 acknowledged"));

    let concise = render(Format::Concise, &reports);
    assert!(concise.contains("(acknowledged)"));

    let github = render(Format::Github, &reports);
    assert!(!github.contains("narrative-contradicts-table"));
    assert!(github.starts_with("::notice "));

    let sarif: serde_json::Value = serde_json::from_str(&render(Format::Sarif, &reports)).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results[0]["suppressions"][0]["kind"], "external");
    assert!(results[0]["suppressions"][0]["justification"].is_string());
    assert!(results[1].get("suppressions").is_none());

    // A note and an acknowledged warning fail nothing in JUnit.
    let junit = render(Format::Junit, &reports);
    assert!(junit.contains(r#"tests="1" failures="0" errors="0""#));
    assert!(junit.contains("<system-out>"));
}

#[test]
fn color_only_when_asked() {
    let reports = fixture();
    let mut colored = Vec::new();
    let opts = RenderOptions {
        color: true,
        ..opts()
    };
    render_all(Format::Human, &reports, &rules(), &opts, &mut colored).unwrap();
    assert!(colored.contains(&0x1b));
    assert!(!render(Format::Human, &reports).contains('\u{1b}'));
}

// ---------------------------------------------------------------------------
// SARIF against the official OASIS schema.

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json"))
            .expect("the stored schema is JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles offline");
    for reports in [fixture(), acknowledged_fixture(), Vec::new()] {
        let sarif: serde_json::Value =
            serde_json::from_str(&render(Format::Sarif, &reports)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // The validator is really checking: a level SARIF does not define fails.
    let mut broken: serde_json::Value =
        serde_json::from_str(&render(Format::Sarif, &fixture())).unwrap();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_fields_github_relies_on() {
    let sarif: serde_json::Value =
        serde_json::from_str(&render(Format::Sarif, &fixture())).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 3);
    let total = &run["results"][1];
    assert_eq!(total["ruleId"], "total-does-not-foot");
    assert_eq!(total["ruleIndex"], 0);
    assert_eq!(total["level"], "error");
    let physical = &total["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "filings/acme%20q3.txt");
    assert_eq!(physical["region"]["startLine"], 8);
    assert_eq!(physical["region"]["startColumn"], 26);
    assert_eq!(total["relatedLocations"].as_array().unwrap().len(), 2);
    assert_eq!(
        total["relatedLocations"][0]["message"]["text"],
        "product revenue: 900"
    );
    let notifications = &run["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notifications[0]["level"], "error");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn sarif_fingerprints_survive_inserted_lines() {
    let fingerprints = |report: FileReport| -> Vec<String> {
        let sarif: serde_json::Value =
            serde_json::from_str(&render(Format::Sarif, &[report])).unwrap();
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["tieout/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let before = fingerprints(acme());

    // Insert a line at the top and shift every span by its length.
    let prefix = "FOR IMMEDIATE RELEASE\n";
    let mut moved = acme();
    moved.source = Arc::new(format!("{prefix}{ACME}").into_bytes());
    for finding in &mut moved.findings {
        for label in &mut finding.labels {
            label.span.offset += prefix.len();
        }
    }
    assert_eq!(before, fingerprints(moved));
    assert_ne!(before[0], before[1]);
}

// ---------------------------------------------------------------------------
// JUnit well-formedness, checked by a tiny tag-matching parser.

/// Checks that tags nest and close properly, attributes are quoted and every
/// `&` starts a known entity or character reference. Returns the element
/// names in document order.
fn check_well_formed(xml: &str) -> Vec<String> {
    let body = xml
        .strip_prefix(r#"<?xml version="1.0" encoding="UTF-8"?>"#)
        .expect("XML declaration");
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt]);
        let gt = rest[lt..].find('>').expect("unclosed tag") + lt;
        let tag = &rest[lt + 1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "bad element name {name:?}"
        );
        check_attributes(attrs);
        seen.push(name.to_owned());
        if !self_closing {
            stack.push(name.to_owned());
        }
        assert!(!stack.is_empty() || self_closing || seen.len() == 1);
    }
    check_text(rest);
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    assert_eq!(seen.first().map(String::as_str), Some("testsuites"));
    seen
}

fn check_attributes(mut attrs: &str) {
    loop {
        attrs = attrs.trim_start();
        if attrs.is_empty() {
            return;
        }
        let eq = attrs.find("=\"").expect("attribute without =\"");
        let name = &attrs[..eq];
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            "bad attribute name {name:?}"
        );
        let value_end = attrs[eq + 2..].find('"').expect("unterminated attribute") + eq + 2;
        let value = &attrs[eq + 2..value_end];
        assert!(!value.contains('<'), "raw < in attribute");
        check_text(value);
        attrs = &attrs[value_end + 1..];
    }
}

fn check_text(text: &str) {
    assert!(!text.contains('>'), "raw > outside a tag");
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        let semi = rest[amp..].find(';').expect("unterminated entity") + amp;
        let entity = &rest[amp + 1..semi];
        let known = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
            || entity
                .strip_prefix('#')
                .is_some_and(|n| n.parse::<u32>().is_ok());
        assert!(known, "unknown entity &{entity};");
        rest = &rest[semi + 1..];
    }
    assert!(
        !text
            .chars()
            .any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r')),
        "control character in XML"
    );
}

#[test]
fn junit_is_well_formed() {
    let xml = render(Format::Junit, &fixture());
    let elements = check_well_formed(&xml);
    let count = |name: &str| elements.iter().filter(|e| *e == name).count();
    assert_eq!(count("testsuite"), 1);
    assert_eq!(count("testcase"), 3);
    assert_eq!(count("failure"), 2);
    assert_eq!(count("error"), 1);
    assert!(xml.contains(r#"tests="3" failures="1" errors="1""#));
}

#[test]
fn junit_escapes_hostile_text() {
    let mut report = acme();
    report.path = "a&b <c> \"d\".txt".into();
    report.findings[0].message = "x < y && y > z; 'quoted' \u{7}bell\nnext".into();
    report.findings[0].rule = "rule\"<&>".into();
    let xml = render(Format::Junit, &[report]);
    check_well_formed(&xml);
    assert!(xml.contains("a&amp;b &lt;c&gt; &quot;d&quot;.txt"));
    assert!(!xml.contains('\u{7}'));
}
