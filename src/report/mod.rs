//! Renderers: the only code that knows output formats.
//!
//! The checker produces one [`FileReport`] per input file; a renderer turns a
//! list of them (sorted by path) into human, JSON, JSONL, SARIF, GitHub,
//! JUnit or concise output. [`Stream`] takes the reports one file at a
//! time, so a sweep holds one file's report at a time in every format;
//! [`render_all`] feeds it a list.
//!
//! **Architecture Invariant:** output is a pure function of the reports, the
//! rules and the [`RenderOptions`]: no clock, no environment, no hash-map
//! order, no path the caller did not give. Every format is snapshot-tested.
//!
//! **Architecture Invariant:** a label never makes a renderer panic. Spans
//! are resolved through [`SourceText`], which clamps them to the file and to
//! character boundaries.

use std::io::{self, Write};
use std::str::FromStr;
use std::sync::Arc;

use serde::Serialize;

use crate::finding::{Finding, Severity};

mod concise;
mod elsewhere;
mod github;
mod html;
mod html_release;
mod human;
mod json;
mod junit;
mod sarif;
mod source;
mod spool;
mod summary;
pub mod view;

pub use elsewhere::locate_elsewhere;
pub use json::{
    JSON_SCHEMA_VERSION, JsonlLine, read_jsonl_line, render_jsonl_file, render_jsonl_summary,
};
pub use source::{KnownLocation, Location, Position, SourceText};
use spool::Spool;
pub use summary::{SeverityCounts, Summary, Unreadable, render_statistics};
pub use view::DocView;

/// An output format, as chosen with `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// Rich diagnostics with source snippets (miette), then a summary.
    Human,
    /// One JSON document for the whole run.
    Json,
    /// One JSON object per line: a line per file, then a summary line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...`).
    Github,
    /// JUnit XML, one test case per file.
    Junit,
    /// `path:line:col: severity[rule] message`, one line per finding.
    Concise,
    /// The reviewer's view: the release with every checked figure marked
    /// (one page; a folder of pages and an index for a sweep, with `-o`).
    Html,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Human,
        Format::Json,
        Format::Jsonl,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Concise,
        Format::Html,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Concise => "concise",
            Format::Html => "html",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for an unknown format name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown output format `{0}` (expected one of: human, json, jsonl, sarif, github, junit, concise, html)"
)]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Parses a format name, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

/// Settings that change how output looks, never what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colour (and terminal hyperlinks) in `human` output. The CLI
    /// decides (tty, `NO_COLOR`, `--color`); renderers never look.
    pub color: bool,
    /// Wrap width for `human` output; [`DEFAULT_WIDTH`] when `None`.
    pub width: Option<usize>,
    /// Reported as the tool version in JSON, SARIF and JUnit.
    pub tool_version: String,
}

/// The `human` wrap width when none is given.
pub const DEFAULT_WIDTH: usize = 100;

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: None,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// Renders a whole run in `format`.
pub fn render_all(
    format: Format,
    reports: &[FileReport],
    rules: &[RuleInfo],
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut stream = Stream::new(format, opts, rules);
    stream.begin(out)?;
    let mut summary = Summary::default();
    for report in reports {
        stream.file(report, out)?;
        summary.add(report);
    }
    stream.finish(&summary, out)
}

/// A renderer fed one file at a time, keeping only what its closing part
/// needs: the summary's counts, and for SARIF and JUnit (whose counts and
/// notifications come before the files' parts) the files' parts spooled to
/// a temporary file. A sweep holds one file's report at a time in every
/// format; the output is the same bytes [`render_all`] writes.
pub struct Stream<'a> {
    opts: &'a RenderOptions,
    rules: &'a [RuleInfo],
    state: Writer,
    files: usize,
}

/// Each format's running state.
enum Writer {
    Human(Box<miette::GraphicalReportHandler>),
    Json,
    Jsonl,
    Github,
    Concise,
    Sarif(sarif::SarifStream),
    Junit(junit::JunitStream),
    Html(html::HtmlStream),
}

impl<'a> Stream<'a> {
    /// `rules` are the SARIF rule descriptors (other formats ignore them).
    pub fn new(format: Format, opts: &'a RenderOptions, rules: &'a [RuleInfo]) -> Stream<'a> {
        let state = match format {
            Format::Human => Writer::Human(Box::new(human::handler(opts))),
            Format::Json => Writer::Json,
            Format::Jsonl => Writer::Jsonl,
            Format::Github => Writer::Github,
            Format::Concise => Writer::Concise,
            Format::Sarif => Writer::Sarif(sarif::SarifStream::new(rules)),
            Format::Junit => Writer::Junit(junit::JunitStream::new()),
            Format::Html => Writer::Html(html::HtmlStream::new(None)),
        };
        Stream {
            opts,
            rules,
            state,
            files: 0,
        }
    }

    /// For `--format html`: write a page per file into `folder/pages` and
    /// an index as `folder/index.html`, instead of one page to the output.
    pub fn html_folder(&mut self, folder: std::path::PathBuf) {
        if let Writer::Html(h) = &mut self.state {
            *h = html::HtmlStream::new(Some(folder));
        }
    }

    /// Whether the output is written as the files arrive (the others are
    /// written whole by [`Stream::finish`]).
    pub fn writes_as_it_goes(&self) -> bool {
        !matches!(self.state, Writer::Sarif(_) | Writer::Junit(_))
    }

    pub fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self.state {
            Writer::Json => json::begin(self.opts, out),
            _ => Ok(()),
        }
    }

    pub fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        let first = self.files == 0;
        self.files += 1;
        match &mut self.state {
            Writer::Human(h) => human::render_file(h, report, out),
            Writer::Json => json::file(report, first, out),
            Writer::Jsonl => render_jsonl_file(report, out),
            Writer::Github => github::render_file(report, out),
            Writer::Concise => concise::render_file(report, out),
            Writer::Sarif(s) => s.file(report),
            Writer::Junit(j) => j.file(report),
            Writer::Html(h) => h.file(report, self.opts, out),
        }
    }

    /// Closes the output with the summary of every file passed to
    /// [`Stream::file`].
    pub fn finish(&mut self, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        let any = self.files > 0;
        match &mut self.state {
            Writer::Human(_) => human::finish(summary, any, out),
            Writer::Json => json::finish(summary, any, out),
            Writer::Jsonl => render_jsonl_summary(summary, out),
            Writer::Sarif(s) => s.finish(self.rules, self.opts, out),
            Writer::Junit(j) => j.finish(self.opts, out),
            Writer::Html(h) => h.finish(summary, self.opts, out),
            Writer::Github | Writer::Concise => Ok(()),
        }
    }
}

/// How the error of a file whose check crashed begins.
pub const INTERNAL_ERROR: &str = "internal error:";

/// Everything tieout learned about one input file.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    /// The path as given or as found by the walk (`-` for standard input).
    pub path: String,
    pub status: FileStatus,
    /// Why the file could not be checked (`Error`), or why nothing in it
    /// was (`NotChecked`).
    pub error: Option<String>,
    pub stats: Stats,
    /// Sorted by primary span offset, then rule id.
    pub findings: Vec<Finding>,
    /// The file's bytes, for rendering snippets and computing line/column.
    #[serde(skip)]
    pub source: Arc<Vec<u8>>,
    /// A readable rendering of the document, for HTML files (whose raw
    /// lines are too long to show); diagnostics are drawn on it.
    #[serde(skip)]
    pub view: Option<Arc<DocView>>,
    /// For a report read back from JSONL (`tieout merge`): where its
    /// labels are, since its file is not at hand ([`SourceText::from_known`]).
    #[serde(skip)]
    pub known: Option<Arc<[KnownLocation]>>,
    /// Every narrative claim with its status and, when verified, the cells
    /// it was ticked against: filled with `--claims` only.
    #[serde(skip)]
    pub claims: Vec<crate::check_narrative::ClaimReport>,
    /// The tables no check touched: where each starts, and its title.
    #[serde(skip)]
    pub untouched: Vec<crate::finding::Label>,
    /// For `--format html`: the checks that tied and the figures read.
    #[serde(skip)]
    pub review: Option<Arc<Review>>,
}

/// What the reviewer's view (`--format html`) shows beyond the findings and
/// claims: recorded only for that format.
#[derive(Clone, Debug, Default)]
pub struct Review {
    /// Every check that tied, with its arithmetic and figures.
    pub ticks: Vec<crate::finding::Tick>,
    /// Every table figure read, with its row label.
    pub figures: Vec<crate::finding::Label>,
    /// Where the file's HTML exhibits are (the rest is shown as text).
    pub html: Vec<crate::span::Span>,
}

impl FileReport {
    /// The file's text, decoded for display, with a position index.
    pub fn source_text(&self) -> SourceText<'_> {
        match &self.known {
            Some(known) => SourceText::from_known(known),
            None => SourceText::new(&self.source),
        }
    }

    /// Why the file could not be checked, with a fallback so a report with
    /// `status: Error` but no reason still says something.
    pub fn error_reason(&self) -> &str {
        self.error.as_deref().unwrap_or("unknown error")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Checked: its findings (possibly none) are the result.
    Ok,
    /// Could not be checked (unreadable, binary, not supported, a crash).
    Error,
    /// Read, but nothing in it could be checked: no figure tied to another,
    /// no claim verified or contradicted, no finding above a note (a
    /// truncated draft, a file that is not a release). A pass would be a
    /// guess, so it is not one; the run fails on it by default.
    NotChecked,
}

/// Counters for one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Stats {
    pub tables: usize,
    pub facts: usize,
    pub rules_run: usize,
    pub rules_skipped: usize,
    pub claims_found: usize,
    pub claims_verified: usize,
    pub claims_contradicted: usize,
    pub claims_unverifiable: usize,
    /// Figures tied to others: in a total that footed or an identity that
    /// held.
    pub figures_tied: usize,
    /// Table figures (of `facts`) that took part in at least one check: a
    /// total or identity, a narrative claim ticked against them, or a
    /// finding. `facts - figures_checked` were read and used by nothing.
    #[serde(default)]
    pub figures_checked: usize,
    /// Tables none of whose figures took part in any check.
    #[serde(default)]
    pub tables_untouched: usize,
    /// Comparative figures compared with an earlier release's (only with
    /// `--prior` or `--pair`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub prior_compared: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Metadata about a rule, for SARIF rule descriptors and `tieout rules`.
#[derive(Clone, Debug, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub description: String,
    pub help: Option<String>,
    pub url: Option<String>,
}
