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
        "{}{}: {}[{}] {}",
        report.path,
        position,
        finding.severity,
        finding.rule,
        one_line(&finding.message)
    )
}

/// Writes `path: error: reason` for a file that could not be checked;
/// true when the file is done (unreadable, or clean: nothing to show).
pub(super) fn nothing_more(report: &FileReport, out: &mut dyn Write) -> io::Result<bool> {
    if report.status == FileStatus::Error {
        let reason = report.error_reason();
        writeln!(out, "{}: error: {}", report.path, one_line(reason))?;
        return Ok(true);
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
