//! The `concise` format: `path:line:col: severity[rule] message`, one line
//! per finding, in the order given, and `path: error: reason` for files that
//! could not be read. Acknowledged findings keep their line with an
//! `(acknowledged)` suffix so the listing stays complete and greppable.

use std::io::{self, Write};

use super::human::one_line;
use super::{FileReport, FileStatus, SourceText};
use crate::finding::Finding;

/// The one-line form of a finding (without the acknowledged suffix). A
/// finding without labels has no position: `path: severity[rule] message`.
pub(super) fn line(report: &FileReport, text: &SourceText<'_>, finding: &Finding) -> String {
    let position = match finding.primary() {
        Some(span) => {
            let start = text.locate(span).start;
            format!(":{}:{}", start.line, start.column)
        }
        None => String::new(),
    };
    format!(
        "{}{}: {}[{}] {}{}",
        report.path,
        position,
        finding.severity,
        finding.rule,
        one_line(&finding.message),
        finding.elsewhere_note()
    )
}

/// Writes `path: error: reason` for a file that could not be checked, and
/// `path: warning: not checked: reason` for one in which nothing could be;
/// true when the file is done (unreadable, or no finding to show).
pub(super) fn nothing_more(report: &FileReport, out: &mut dyn Write) -> io::Result<bool> {
    let reason = one_line(report.error_reason());
    match report.status {
        FileStatus::Error => {
            writeln!(out, "{}: error: {reason}", report.path)?;
            return Ok(true);
        }
        FileStatus::NotChecked => {
            writeln!(out, "{}: warning: not checked: {reason}", report.path)?;
        }
        FileStatus::Ok => {}
    }
    Ok(report.findings.is_empty())
}

pub(super) fn render_file(report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
    if nothing_more(report, out)? {
        return Ok(());
    }
    let text = report.source_text();
    for finding in &report.findings {
        let suffix = if finding.acknowledged {
            " (acknowledged)"
        } else {
            ""
        };
        writeln!(out, "{}{suffix}", line(report, &text, finding))?;
    }
    Ok(())
}
