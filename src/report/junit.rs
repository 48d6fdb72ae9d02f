//! The `junit` format: JUnit XML for CI systems that show test reports.
//!
//! One `<testcase>` per file. Each unacknowledged error or warning is a
//! `<failure>`; an unreadable file is an `<error>`; notes and acknowledged
//! findings go to the test case's `<system-out>` so nothing is lost but
//! nothing fails. `failures` counts test cases with at least one failure,
//! the usual JUnit meaning. No `time` or `timestamp` attributes: output is
//! deterministic.
//!
//! The XML is written by hand: the format needs five escapes and one
//! character filter, which is less code to review than a new dependency.

use std::io::{self, Write};

use super::{FileReport, FileStatus, RenderOptions, SourceText};
use crate::finding::{Finding, Severity};

/// Escapes text for XML 1.0 content or a double-quoted attribute. Characters
/// XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) become U+FFFD, and in
/// attributes tab and line breaks become character references so attribute
/// normalisation keeps them.
fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

fn attr(s: &str) -> String {
    escape(s, true)
}

fn text(s: &str) -> String {
    escape(s, false)
}

/// The body of a failure: where, what, each label, and the help.
fn failure_body(report: &FileReport, source: &SourceText<'_>, finding: &Finding) -> String {
    let mut body = super::concise::line(report, source, finding);
    for label in &finding.labels {
        let loc = source.locate(label.span);
        body += &format!(
            "\n  {}:{}: {} ({})",
            loc.start.line,
            loc.start.column,
            label.text,
            loc.snippet.trim()
        );
    }
    if let Some(help) = &finding.help {
        body += &format!("\n  help: {help}");
    }
    if let Some(url) = &finding.url {
        body += &format!("\n  see: {url}");
    }
    body
}

pub(super) fn render(
    reports: &[FileReport],
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let fails = |f: &Finding| !f.acknowledged && f.severity >= Severity::Warning;
    let tests = reports.len();
    let errors = reports
        .iter()
        .filter(|r| r.status == FileStatus::Error)
        .count();
    let failures = reports
        .iter()
        .filter(|r| r.status == FileStatus::Ok && r.findings.iter().any(fails))
        .count();
    let counts = format!(r#"tests="{tests}" failures="{failures}" errors="{errors}""#);

    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="tieout" {counts}>"#)?;
    writeln!(out, r#"  <testsuite name="tieout" {counts} skipped="0">"#)?;
    writeln!(out, "    <properties>")?;
    writeln!(
        out,
        r#"      <property name="tieout.version" value="{}"/>"#,
        attr(&opts.tool_version)
    )?;
    writeln!(out, "    </properties>")?;
    for report in reports {
        let open = format!(
            r#"    <testcase classname="tieout" name="{}""#,
            attr(&report.path)
        );
        if report.status == FileStatus::Error {
            let reason = report.error_reason();
            writeln!(out, "{open}>")?;
            writeln!(
                out,
                r#"      <error type="unreadable" message="{}">{}: error: {}</error>"#,
                attr(&format!("could not read: {reason}")),
                text(&report.path),
                text(reason)
            )?;
            writeln!(out, "    </testcase>")?;
            continue;
        }
        if report.findings.is_empty() {
            writeln!(out, "{open}/>")?;
            continue;
        }
        let source = report.source_text();
        writeln!(out, "{open}>")?;
        let mut system_out = Vec::new();
        for finding in &report.findings {
            if fails(finding) {
                writeln!(
                    out,
                    r#"      <failure type="{}" message="{}">{}</failure>"#,
                    attr(&finding.rule),
                    attr(&finding.message),
                    text(&failure_body(report, &source, finding))
                )?;
            } else {
                let mut line = super::concise::line(report, &source, finding);
                if finding.acknowledged {
                    line += " (acknowledged)";
                }
                system_out.push(line);
            }
        }
        if !system_out.is_empty() {
            writeln!(
                out,
                "      <system-out>{}</system-out>",
                text(&system_out.join("\n"))
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}\r\n", true),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\u{fffd}&#13;&#10;"
        );
        assert_eq!(escape("x\ny\tz", false), "x\ny\tz");
    }
}
