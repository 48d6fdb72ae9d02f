//! Renderers: the only code that knows output formats.
//!
//! The checker produces one [`FileReport`] per input file; a renderer turns a
//! list of them (sorted by path) into human, JSON, JSONL, SARIF, GitHub,
//! JUnit or concise output.

use std::sync::Arc;

use serde::Serialize;

use crate::finding::{Finding, Severity};

/// Everything tieout learned about one input file.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    /// The path as given or as found by the walk (`-` for standard input).
    pub path: String,
    pub status: FileStatus,
    /// Why the file could not be checked, when `status` is `Error`.
    pub error: Option<String>,
    pub stats: Stats,
    /// Sorted by primary span offset, then rule id.
    pub findings: Vec<Finding>,
    /// The file's bytes, for rendering snippets and computing line/column.
    #[serde(skip)]
    pub source: Arc<Vec<u8>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Ok,
    Error,
}

/// Counters for one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub tables: usize,
    pub facts: usize,
    pub rules_run: usize,
    pub rules_skipped: usize,
    pub claims_found: usize,
    pub claims_verified: usize,
    pub claims_contradicted: usize,
    pub claims_unverifiable: usize,
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
