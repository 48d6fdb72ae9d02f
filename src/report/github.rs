//! The `github` format: GitHub Actions workflow commands, which the runner
//! turns into annotations on the pull request diff.
//!
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE`
//! with `warning` and `notice` for the other severities. Columns are 1-based
//! characters and `endColumn` is inclusive (the last character). GitHub only
//! accepts `col`/`endColumn` on a single-line annotation, so a label that
//! spans lines gets `line`/`endLine` only. Acknowledged findings are not
//! annotated: acknowledging is how a team says "stop showing this".

use std::io::{self, Write};

use super::{FileReport, FileStatus};
use crate::finding::Severity;

/// Escapes a command's message, as `@actions/core` does.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: also `:` and `,`, which delimit properties.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

pub(super) fn render_file(report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
    let file = escape_property(&report.path);
    if report.status == FileStatus::Error {
        let reason = report.error_reason();
        return writeln!(
            out,
            "::warning file={file}::{}",
            escape_data(&format!("could not read: {reason}"))
        );
    }
    if report.status == FileStatus::NotChecked {
        writeln!(
            out,
            "::warning file={file}::{}",
            escape_data(&format!("not checked: {}", report.error_reason()))
        )?;
    }
    if report.findings.iter().all(|f| f.acknowledged) {
        return Ok(());
    }
    let text = report.source_text();
    for finding in report.findings.iter().filter(|f| !f.acknowledged) {
        let mut props = format!("file={file}");
        if let Some(span) = finding.primary() {
            let loc = text.locate(span);
            if loc.start.line == loc.last.line {
                props += &format!(
                    ",line={},col={},endLine={},endColumn={}",
                    loc.start.line, loc.start.column, loc.last.line, loc.last.column
                );
            } else {
                props += &format!(",line={},endLine={}", loc.start.line, loc.last.line);
            }
        }
        props += &format!(",title={}", escape_property(&finding.rule));
        writeln!(
            out,
            "::{} {props}::{}",
            command(finding.severity),
            escape_data(&format!("{}{}", finding.message, finding.elsewhere_note()))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_actions_toolkit() {
        assert_eq!(escape_data("50% up\r\nok"), "50%25 up%0D%0Aok");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
