//! The run summary: totals over every [`FileReport`], shared by all formats.
//!
//! A summary can be built in one go ([`Summary::from_reports`]) or file by
//! file as a sweep streams ([`Summary::add`]); both give the same result for
//! the same reports in the same order.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{FileReport, FileStatus, Stats};
use crate::finding::Severity;

/// Totals for a run. Maps are `BTreeMap`s so output order never depends on
/// hashing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files_checked: usize,
    pub files_ok: usize,
    /// Files that could not be checked (see `unreadable`).
    pub files_error: usize,
    /// Files read in which nothing could be checked (see `not_checked`).
    pub files_not_checked: usize,
    /// Files with at least one finding that is not acknowledged.
    pub files_with_findings: usize,
    /// Findings that are not acknowledged.
    pub findings: usize,
    /// Unacknowledged findings by severity.
    pub by_severity: SeverityCounts,
    /// Unacknowledged findings by rule id.
    pub by_rule: BTreeMap<String, usize>,
    /// Findings covered by an acknowledgement (not in the counts above).
    pub acknowledged: usize,
    /// Files that could not be checked, with the reason, in input order.
    pub unreadable: Vec<Unreadable>,
    /// Files in which nothing could be checked, with the reason, in input
    /// order.
    pub not_checked: Vec<Unreadable>,
    /// Per-file [`Stats`] added up.
    pub totals: Stats,
    /// Files whose check crashed (a caught panic, reported with
    /// [`super::INTERNAL_ERROR`]): a bug in tieout, which fails the run.
    #[serde(skip)]
    pub internal_errors: usize,
    /// The first [`UNTOUCHED_LISTED`] tables no check touched, as
    /// `path:line` and title (the count is `totals.tables_untouched`).
    #[serde(skip)]
    pub untouched: Vec<Unreadable>,
}

/// How many untouched tables the human summary names.
pub const UNTOUCHED_LISTED: usize = 20;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    pub error: usize,
    pub warning: usize,
    pub note: usize,
}

impl SeverityCounts {
    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Note => self.note,
        }
    }

    fn bump(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Note => self.note += 1,
        }
    }
}

/// A file that could not be checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    pub path: String,
    pub reason: String,
}

impl Summary {
    pub fn from_reports(reports: &[FileReport]) -> Self {
        let mut summary = Summary::default();
        for report in reports {
            summary.add(report);
        }
        summary
    }

    /// Adds one file's results.
    pub fn add(&mut self, report: &FileReport) {
        self.files_checked += 1;
        match report.status {
            FileStatus::Ok => self.files_ok += 1,
            FileStatus::NotChecked => {
                self.files_not_checked += 1;
                self.not_checked.push(Unreadable {
                    path: report.path.clone(),
                    reason: report.error_reason().to_owned(),
                });
            }
            FileStatus::Error => {
                self.files_error += 1;
                if report
                    .error
                    .as_deref()
                    .is_some_and(|e| e.starts_with(super::INTERNAL_ERROR))
                {
                    self.internal_errors += 1;
                }
                self.unreadable.push(Unreadable {
                    path: report.path.clone(),
                    reason: report.error_reason().to_owned(),
                });
            }
        }
        let mut active = 0;
        for finding in &report.findings {
            if finding.acknowledged {
                self.acknowledged += 1;
                continue;
            }
            active += 1;
            self.by_severity.bump(finding.severity);
            *self.by_rule.entry(finding.rule.clone()).or_default() += 1;
        }
        self.findings += active;
        if active > 0 {
            self.files_with_findings += 1;
        }
        self.totals += report.stats;
        if self.untouched.len() < UNTOUCHED_LISTED && !report.untouched.is_empty() {
            let text = report.source_text();
            for t in &report.untouched {
                if self.untouched.len() == UNTOUCHED_LISTED {
                    break;
                }
                let at = text.locate(t.span).start;
                self.untouched.push(Unreadable {
                    path: format!("{}:{}:{}", report.path, at.line, at.column),
                    reason: t.text.clone(),
                });
            }
        }
    }

    /// The most severe unacknowledged finding, if any.
    pub fn worst_severity(&self) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Note]
            .into_iter()
            .find(|&s| self.by_severity.get(s) > 0)
    }

    /// Whether any unacknowledged finding is at or above `threshold`: the
    /// CLI's exit code 1 for `--fail-on`.
    pub fn fails(&self, threshold: Severity) -> bool {
        self.worst_severity().is_some_and(|s| s >= threshold)
    }
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, other: Stats) {
        self.tables += other.tables;
        self.facts += other.facts;
        self.rules_run += other.rules_run;
        self.rules_skipped += other.rules_skipped;
        self.claims_found += other.claims_found;
        self.claims_verified += other.claims_verified;
        self.claims_contradicted += other.claims_contradicted;
        self.claims_unverifiable += other.claims_unverifiable;
        self.figures_tied += other.figures_tied;
        self.figures_checked += other.figures_checked;
        self.tables_untouched += other.tables_untouched;
    }
}

/// One line of `--statistics`.
#[derive(Serialize)]
struct RuleCount<'a> {
    rule: &'a str,
    severity: Option<Severity>,
    title: Option<&'a str>,
    count: usize,
}

/// `check --statistics`: the unacknowledged findings per rule, most
/// frequent first (ties by rule id), as an aligned table or a JSON array.
pub fn render_statistics(
    summary: &Summary,
    rules: &[super::RuleInfo],
    json: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut counts: Vec<RuleCount> = summary
        .by_rule
        .iter()
        .map(|(id, &count)| {
            let info = rules.iter().find(|r| r.id == *id);
            RuleCount {
                rule: id,
                severity: info.map(|r| r.severity),
                title: info.map(|r| r.title.as_str()),
                count,
            }
        })
        .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    if json {
        let text = serde_json::to_string_pretty(&counts).map_err(std::io::Error::other)?;
        return writeln!(out, "{text}");
    }
    let count_w = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1);
    let id_w = counts.iter().map(|c| c.rule.len()).max().unwrap_or(0);
    for c in &counts {
        let severity = c.severity.map_or_else(String::new, |s| s.to_string());
        let line = format!(
            "{:>count_w$}  {:<7}  {:<id_w$}  {}",
            c.count,
            severity,
            c.rule,
            c.title.unwrap_or("")
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(
        out,
        "{} finding(s) in {} file(s); {} file(s) checked",
        summary.findings, summary.files_with_findings, summary.files_checked
    )
}
