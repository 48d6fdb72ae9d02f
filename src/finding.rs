//! Findings: what the rule engine and the narrative checker report.
//!
//! A [`Finding`] is plain data. Only the renderers in `crate::report` know
//! how to print one (miette, JSON, SARIF, GitHub, JUnit, concise).

use serde::{Deserialize, Serialize};

use crate::span::Span;

/// How serious a finding is. Ordered: `Note < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One inconsistency (or, for notes, one observation) in one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The id of the rule that produced it (`total-does-not-foot`).
    pub rule: String,
    pub severity: Severity,
    /// One sentence with expected, actual, difference and tolerance.
    pub message: String,
    pub help: Option<String>,
    /// Link to the rule's documentation.
    pub url: Option<String>,
    /// Every span involved: the total AND its terms, the claim AND the cell.
    /// The first label is the primary location.
    pub labels: Vec<Label>,
    /// Set by the CLI when an acknowledgement covers this finding.
    pub acknowledged: bool,
    /// How far apart the two sides are, in the printed figures' units, when
    /// the finding is an equation that does not hold. The engine uses it to
    /// tell one problem from its echoes; the message already states it.
    #[serde(skip)]
    pub difference: Option<rust_decimal::Decimal>,
    /// Places in other files the finding involves (the figure an earlier
    /// release printed for the same period), after the labels in this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub elsewhere: Vec<Elsewhere>,
}

impl Finding {
    /// The primary span (first label), if any.
    pub fn primary(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }

    /// ` (see q4.txt:120:52)` for each label in another file, for the
    /// one-line formats; empty when there is none.
    pub fn elsewhere_note(&self) -> String {
        self.elsewhere
            .iter()
            .map(|e| match &e.place {
                Some(p) => format!(" (see {}:{}:{})", e.path, p.line, p.column),
                None => format!(" (see {}, byte {})", e.path, e.span.offset),
            })
            .collect()
    }
}

/// A span with a short text, e.g. `total assets: 386,830`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

impl Label {
    pub fn new(span: Span, text: impl Into<String>) -> Self {
        Label {
            span,
            text: text.into(),
        }
    }
}

/// A labelled span in another file than the finding's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Elsewhere {
    /// The other file, as reports name it.
    pub path: String,
    pub span: Span,
    pub text: String,
    /// Where the span lies in that file, filled in by whoever can read the
    /// file (the CLI); `None` until then, and when it cannot be read.
    #[serde(skip)]
    pub place: Option<Place>,
}

/// A span resolved in its file: 1-based line and column (in characters)
/// of its first character and just after its last, the text it covers,
/// and the lines around it as a reader sees them (the text view of an HTML
/// file), for a diagnostic's snippet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub snippet: String,
    /// One or more whole lines holding the span.
    pub excerpt: String,
    /// The line number (1-based) of the excerpt's first line in what it was
    /// cut from (the file, or its text view).
    pub excerpt_line: usize,
    /// The span's byte range within `excerpt`.
    pub excerpt_range: (usize, usize),
    /// The excerpt comes from the file's text view (an HTML file), not
    /// from its own lines.
    pub shown_as_text: bool,
}

/// A check that held, for the reviewer's view (`--format html`): the rule,
/// the arithmetic on the printed figures (`Total revenues 156,455 =
/// 76,468 + 31,870 + 44,202 + 3,915`), and every figure it tied, the one
/// checked first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tick {
    pub rule: String,
    pub text: String,
    pub labels: Vec<Label>,
}
