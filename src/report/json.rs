//! The `json` and `jsonl` formats.
//!
//! Both share one file object, so a JSONL consumer and a JSON consumer read
//! the same fields. The shape is versioned by [`JSON_SCHEMA_VERSION`]; see
//! docs/output.md for the promise that goes with it.

use std::io::{self, Write};

use serde::Serialize;

use super::{FileReport, FileStatus, RenderOptions, SourceText, Stats, Summary};
use crate::finding::{Finding, Severity};

/// The version of the JSON and JSONL shapes. It changes only when a field is
/// removed, renamed or changes meaning; adding a field does not change it.
pub const JSON_SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    status: FileStatus,
    error: Option<&'a str>,
    stats: Stats,
    findings: Vec<JsonFinding<'a>>,
    /// With `--claims`: every narrative claim, verified ones with the cells
    /// they were ticked against.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    claims: Vec<JsonClaim<'a>>,
}

#[derive(Serialize)]
struct JsonClaim<'a> {
    status: &'a str,
    metric: &'a str,
    concept: Option<&'a str>,
    period: Option<&'a str>,
    detail: Option<&'a str>,
    /// Where the claim's figure is stated; `text` is the figure as written.
    at: JsonLabel<'a>,
    ticked: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    url: Option<&'a str>,
    acknowledged: bool,
    labels: Vec<JsonLabel<'a>>,
    /// Labels in other files (the earlier release of a pair): each a label
    /// with the file's path; line and column are 0 when that file could not
    /// be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    elsewhere: Vec<JsonElsewhere<'a>>,
}

#[derive(Serialize)]
struct JsonElsewhere<'a> {
    path: &'a str,
    #[serde(flatten)]
    label: JsonLabel<'a>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    /// Byte offset into the original file (clamped to it).
    offset: usize,
    /// Length in bytes (clamped to the file).
    length: usize,
    line: usize,
    column: usize,
    /// The position just after the label (exclusive), as in SARIF.
    end_line: usize,
    end_column: usize,
    text: &'a str,
    snippet: String,
}

/// A JSONL line: the object with a `type` tag in front.
#[derive(Serialize)]
struct Tagged<T> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    body: T,
}

#[derive(Serialize)]
struct FileLine<'a> {
    version: u32,
    #[serde(flatten)]
    file: JsonFile<'a>,
}

#[derive(Serialize)]
struct SummaryLine<'a> {
    version: u32,
    #[serde(flatten)]
    summary: &'a Summary,
}

fn json_label<'a>(span: crate::span::Span, label: &'a str, text: &SourceText<'_>) -> JsonLabel<'a> {
    let loc = text.locate(span);
    JsonLabel {
        offset: loc.span.offset,
        length: loc.span.len,
        line: loc.start.line,
        column: loc.start.column,
        end_line: loc.end.line,
        end_column: loc.end.column,
        text: label,
        snippet: loc.snippet.to_owned(),
    }
}

fn file_object(report: &FileReport) -> JsonFile<'_> {
    // Decoded and indexed by line only when a label needs a position: most
    // files of a sweep have none.
    let text = std::cell::OnceCell::new();
    let text = || text.get_or_init(|| report.source_text());
    JsonFile {
        claims: report
            .claims
            .iter()
            .map(|c| JsonClaim {
                status: c.status,
                metric: &c.metric,
                concept: c.concept.as_deref(),
                period: c.period.as_deref(),
                detail: c.detail.as_deref(),
                at: json_label(c.span, c.amount.as_deref().unwrap_or(""), text()),
                ticked: c
                    .ticked
                    .iter()
                    .map(|l| json_label(l.span, &l.text, text()))
                    .collect(),
            })
            .collect(),
        path: &report.path,
        status: report.status,
        error: report.error.as_deref(),
        stats: report.stats,
        findings: report
            .findings
            .iter()
            .map(|f| finding_object(f, text()))
            .collect(),
    }
}

fn finding_object<'a>(finding: &'a Finding, text: &SourceText<'_>) -> JsonFinding<'a> {
    JsonFinding {
        rule: &finding.rule,
        severity: finding.severity,
        message: &finding.message,
        help: finding.help.as_deref(),
        url: finding.url.as_deref(),
        acknowledged: finding.acknowledged,
        labels: finding
            .labels
            .iter()
            .map(|label| json_label(label.span, &label.text, text))
            .collect(),
        elsewhere: finding
            .elsewhere
            .iter()
            .map(|e| {
                let place = e.place.clone().unwrap_or_default();
                JsonElsewhere {
                    path: &e.path,
                    label: JsonLabel {
                        offset: e.span.offset,
                        length: e.span.len,
                        line: place.line,
                        column: place.column,
                        end_line: place.end_line,
                        end_column: place.end_column,
                        text: &e.text,
                        snippet: place.snippet,
                    },
                }
            })
            .collect(),
    }
}

// The document `{"version", "tool", "files": [...], "summary"}` is written
// in pieces, a file at a time, as serde_json's pretty printer writes it
// whole (two-space indent; JSON strings hold no raw newline, so a value is
// indented by indenting its lines).

/// Writes `value` pretty-printed, its lines after the first indented by
/// `indent` spaces.
pub(super) fn pretty_at(
    value: &impl Serialize,
    indent: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let pad = format!("\n{}", " ".repeat(indent));
    out.write_all(text.replace('\n', &pad).as_bytes())
}

/// Opens the document: version, tool, and the `files` array.
pub(super) fn begin(opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    write!(
        out,
        "{{\n  \"version\": {JSON_SCHEMA_VERSION},\n  \"tool\": "
    )?;
    pretty_at(
        &Tool {
            name: "tieout",
            version: &opts.tool_version,
        },
        2,
        out,
    )?;
    write!(out, ",\n  \"files\": [")
}

/// One element of the `files` array.
pub(super) fn file(report: &FileReport, first: bool, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(if first { b"\n    " } else { b",\n    " })?;
    pretty_at(&file_object(report), 4, out)
}

/// Closes the `files` array (`any`: it has elements) and the document with
/// the summary.
pub(super) fn finish(summary: &Summary, any: bool, out: &mut dyn Write) -> io::Result<()> {
    if any {
        out.write_all(b"\n  ]")?;
    } else {
        out.write_all(b"]")?;
    }
    out.write_all(b",\n  \"summary\": ")?;
    pretty_at(summary, 2, out)?;
    out.write_all(b"\n}\n")
}

/// Writes one `{"type":"file",...}` line. Call it as each file completes.
pub fn render_jsonl_file(report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
    // Every line carries the version, so a line stands alone: parts of a
    // sweep written by many workers are merged line by line.
    let line = Tagged {
        kind: "file",
        body: FileLine {
            version: JSON_SCHEMA_VERSION,
            file: file_object(report),
        },
    };
    // Made whole, then written at once: serde_json writes a line in many
    // small pieces, and a line-buffered stdout looks for a newline in each.
    let mut buf = serde_json::to_vec(&line)?;
    buf.push(b'\n');
    out.write_all(&buf)
}

/// Writes the final `{"type":"summary",...}` line.
pub fn render_jsonl_summary(summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let line = Tagged {
        kind: "summary",
        body: SummaryLine {
            version: JSON_SCHEMA_VERSION,
            summary,
        },
    };
    serde_json::to_writer(&mut *out, &line)?;
    writeln!(out)
}

/// A line of `--format jsonl` read back (`tieout merge`).
pub enum JsonlLine {
    /// A file's report: its labels carry the locations the line gives, so
    /// every format that needs no source text renders it as the run that
    /// wrote the line would have.
    File(Box<FileReport>),
    /// The closing summary line of a part.
    Summary,
}

#[derive(serde::Deserialize)]
struct ReadHead {
    #[serde(rename = "type")]
    kind: String,
    version: Option<u32>,
}

#[derive(serde::Deserialize)]
struct ReadFile {
    path: String,
    status: FileStatus,
    error: Option<String>,
    stats: Stats,
    findings: Vec<ReadFinding>,
    #[serde(default)]
    claims: Vec<ReadClaim>,
}

#[derive(serde::Deserialize)]
struct ReadClaim {
    status: String,
    metric: String,
    concept: Option<String>,
    period: Option<String>,
    detail: Option<String>,
    at: ReadLabel,
    ticked: Vec<ReadLabel>,
}

#[derive(serde::Deserialize)]
struct ReadFinding {
    rule: String,
    severity: Severity,
    message: String,
    help: Option<String>,
    url: Option<String>,
    acknowledged: bool,
    labels: Vec<ReadLabel>,
    #[serde(default)]
    elsewhere: Vec<ReadElsewhere>,
}

#[derive(serde::Deserialize)]
struct ReadElsewhere {
    path: String,
    #[serde(flatten)]
    label: ReadLabel,
}

#[derive(serde::Deserialize)]
struct ReadLabel {
    offset: usize,
    length: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    text: String,
    snippet: String,
}

/// Parses one JSONL line written by this version's `--format jsonl`.
pub fn read_jsonl_line(line: &str) -> Result<JsonlLine, String> {
    let head: ReadHead = serde_json::from_str(line).map_err(|e| e.to_string())?;
    match head.version {
        Some(JSON_SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(format!(
                "schema version {v}; this tieout reads version {JSON_SCHEMA_VERSION}"
            ));
        }
        None => return Err("no `version` field (written by an older tieout?)".to_owned()),
    }
    match head.kind.as_str() {
        "summary" => return Ok(JsonlLine::Summary),
        "file" => {}
        other => return Err(format!("unknown line type `{other}`")),
    }
    let raw: ReadFile = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let (path, status, stats) = (raw.path, raw.status, raw.stats);
    let mut known = Vec::new();
    let mut place = |l: ReadLabel| {
        let span = crate::span::Span::new(l.offset, l.length);
        known.push(super::KnownLocation {
            span,
            start: super::Position {
                line: l.line,
                column: l.column,
            },
            end: super::Position {
                line: l.end_line,
                column: l.end_column,
            },
            snippet: l.snippet,
        });
        crate::finding::Label::new(span, l.text)
    };
    let mut claims = Vec::new();
    for c in raw.claims {
        let at = place(c.at);
        claims.push(crate::check_narrative::ClaimReport {
            span: at.span,
            metric: c.metric,
            concept: c.concept,
            period: c.period,
            amount: Some(at.text),
            status: match c.status.as_str() {
                "verified" => "verified",
                "contradicted" => "contradicted",
                _ => "unverifiable",
            },
            detail: c.detail,
            ticked: c.ticked.into_iter().map(&mut place).collect(),
        });
    }
    let findings = raw
        .findings
        .into_iter()
        .map(|f| Finding {
            rule: f.rule,
            severity: f.severity,
            message: f.message,
            help: f.help,
            url: f.url,
            acknowledged: f.acknowledged,
            difference: None,
            labels: f.labels.into_iter().map(&mut place).collect(),
            elsewhere: f
                .elsewhere
                .into_iter()
                .map(|e| {
                    let l = e.label;
                    let resolved = l.line > 0;
                    crate::finding::Elsewhere {
                        path: e.path,
                        span: crate::span::Span::new(l.offset, l.length),
                        text: l.text,
                        place: resolved.then(|| crate::finding::Place {
                            line: l.line,
                            column: l.column,
                            end_line: l.end_line,
                            end_column: l.end_column,
                            excerpt: l.snippet.clone(),
                            excerpt_line: l.line,
                            excerpt_range: (0, l.snippet.len()),
                            shown_as_text: false,
                            snippet: l.snippet,
                        }),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(JsonlLine::File(Box::new(FileReport {
        path,
        status,
        error: raw.error,
        stats,
        findings,
        source: std::sync::Arc::new(Vec::new()),
        view: None,
        known: Some(known.into()),
        claims,
        untouched: Vec::new(),
        review: None,
    })))
}
