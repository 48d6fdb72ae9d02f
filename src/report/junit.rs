//! The `junit` format: JUnit XML for CI systems that show test reports.
//!
//! One `<testcase>` per file. Each unacknowledged error or warning is a
//! `<failure>`; an unreadable file is an `<error>`; a file in which nothing
//! could be checked is `<skipped>`; notes and acknowledged
//! findings go to the test case's `<system-out>` so nothing is lost but
//! nothing fails. `failures` counts test cases with at least one failure,
//! the usual JUnit meaning. No `time` or `timestamp` attributes: output is
//! deterministic.
//!
//! The XML is written by hand: the format needs five escapes and one
//! character filter, which is less code to review than a new dependency.

use std::io::{self, Write};

use super::{FileReport, FileStatus, RenderOptions, SourceText, Spool};
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
    for e in &finding.elsewhere {
        let p = e.place.clone().unwrap_or_default();
        body += &format!(
            "\n  {}:{}:{}: {} ({})",
            e.path,
            p.line,
            p.column,
            e.text,
            p.snippet.trim()
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

fn fails(f: &Finding) -> bool {
    !f.acknowledged && f.severity >= Severity::Warning
}

/// JUnit written file by file: each file's test case goes to a [`Spool`]
/// (a temporary file) as it arrives, and [`Self::finish`] writes the
/// counts the opening tags need, then the test cases. Memory holds three
/// counters, never a file's bytes.
pub(super) struct JunitStream {
    spool: Spool,
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl JunitStream {
    pub(super) fn new() -> JunitStream {
        JunitStream {
            spool: Spool::new(),
            tests: 0,
            failures: 0,
            errors: 0,
            skipped: 0,
        }
    }

    pub(super) fn file(&mut self, report: &FileReport) -> io::Result<()> {
        self.tests += 1;
        let mut out = String::new();
        let open = format!(
            r#"    <testcase classname="tieout" name="{}""#,
            attr(&report.path)
        );
        if report.status == FileStatus::Error {
            self.errors += 1;
            let reason = report.error_reason();
            out += &format!("{open}>\n");
            out += &format!(
                "      <error type=\"unreadable\" message=\"{}\">{}: error: {}</error>\n",
                attr(&format!("could not read: {reason}")),
                text(&report.path),
                text(reason)
            );
            out += "    </testcase>\n";
            return self.spool.write_all(out.as_bytes());
        }
        if report.findings.iter().any(fails) {
            self.failures += 1;
        }
        let skipped = (report.status == FileStatus::NotChecked).then(|| {
            self.skipped += 1;
            format!(
                "      <skipped message=\"{}\"/>\n",
                attr(&format!("not checked: {}", report.error_reason()))
            )
        });
        if report.findings.is_empty() {
            match skipped {
                Some(s) => out += &format!("{open}>\n{s}    </testcase>\n"),
                None => out += &format!("{open}/>\n"),
            }
            return self.spool.write_all(out.as_bytes());
        }
        let source = report.source_text();
        out += &format!("{open}>\n");
        out += skipped.as_deref().unwrap_or("");
        let mut system_out = Vec::new();
        for finding in &report.findings {
            if fails(finding) {
                out += &format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    attr(&finding.rule),
                    attr(&finding.message),
                    text(&failure_body(report, &source, finding))
                );
            } else {
                let mut line = super::concise::line(report, &source, finding);
                if finding.acknowledged {
                    line += " (acknowledged)";
                }
                system_out.push(line);
            }
        }
        if !system_out.is_empty() {
            out += &format!(
                "      <system-out>{}</system-out>\n",
                text(&system_out.join("\n"))
            );
        }
        out += "    </testcase>\n";
        self.spool.write_all(out.as_bytes())
    }

    pub(super) fn finish(&mut self, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
        let counts = format!(
            r#"tests="{}" failures="{}" errors="{}""#,
            self.tests, self.failures, self.errors
        );
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<testsuites name="tieout" {counts}>"#)?;
        writeln!(
            out,
            r#"  <testsuite name="tieout" {counts} skipped="{}">"#,
            self.skipped
        )?;
        writeln!(out, "    <properties>")?;
        writeln!(
            out,
            r#"      <property name="tieout.version" value="{}"/>"#,
            attr(&opts.tool_version)
        )?;
        writeln!(out, "    </properties>")?;
        self.spool.copy_to(out)?;
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")
    }
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
