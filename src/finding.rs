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
}

impl Finding {
    /// The primary span (first label), if any.
    pub fn primary(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
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
