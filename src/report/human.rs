//! The `human` format: each finding as a miette graphical diagnostic, then a
//! summary block.
//!
//! Theme: Unicode box drawing always (every terminal we target renders it),
//! ANSI colour and OSC 8 hyperlinks only when `RenderOptions::color` is set.
//! Without colour the rule's URL is printed after its id instead of being
//! hidden in a hyperlink, so plain-text logs keep it.
//!
//! The source is handed to miette as [`NamedText`] rather than
//! `miette::NamedSource`: miette counts the header's `[path:line:col]`
//! column in bytes, and we want the character column every other format
//! prints. `NamedText` also borrows the decoded text instead of copying it
//! once per finding, which `NamedSource`'s `'static` bound would force.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{DEFAULT_WIDTH, DocView, FileReport, RenderOptions, SourceText, Summary};
use crate::finding::{Finding, Severity};

/// A file's decoded text under its path, for miette. Line and column in
/// every span it returns come from [`SourceText`], so they agree with the
/// other formats.
struct NamedText<'a> {
    name: std::borrow::Cow<'a, str>,
    text: &'a SourceText<'a>,
}

impl SourceCode for NamedText<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let w = read_window(
            self.text.text().as_bytes(),
            self.text.line_starts(),
            span,
            context_lines_before,
            context_lines_after,
        )?;
        let start = self.text.position(w.span.offset());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            w.data,
            w.span,
            start.line - 1,
            start.column - 1,
            w.line_count,
        )))
    }
}

/// What miette's own `read_span` of the whole text returns (the snippet,
/// its span, its first line and column, the line breaks before its end),
/// read from a few lines above the span instead of from the start of the
/// text: miette walks the text byte by byte to the span, so a file's
/// findings would each cost its length. Its scan, started at a line start
/// with more line breaks before the span than context lines, keeps only
/// lines after that start; its offsets and line numbers are then moved by
/// what lies before. `line_starts` are where `all`'s lines start.
fn read_window<'b>(
    all: &'b [u8],
    line_starts: &[usize],
    span: &SourceSpan,
    before: usize,
    after: usize,
) -> Result<Window<'b>, MietteError> {
    // A span starting past the end has no snippet. (miette's own read
    // panics on one with no context lines before: it slices from the
    // span's start.)
    if span.offset() > all.len() {
        return Err(MietteError::OutOfBounds);
    }
    let at = span.offset();
    let line = line_starts.partition_point(|&s| s <= at).saturating_sub(1);
    // Two lines more than the context, for a span starting inside a CRLF.
    let breaks = line.saturating_sub(before + 2);
    let from = line_starts.get(breaks).copied().unwrap_or(0).min(at);
    let moved = SourceSpan::new((span.offset() - from).into(), span.len());
    let inner = all[from..].read_span(&moved, before, after)?;
    let start = inner.span().offset() + from;
    Ok(Window {
        data: &all[start..start + inner.span().len()],
        span: SourceSpan::new(start.into(), inner.span().len()),
        line: inner.line() + breaks,
        column: inner.column(),
        line_count: inner.line_count() + breaks,
    })
}

/// A snippet as miette's `SpanContents` gives it.
#[derive(Debug, PartialEq)]
struct Window<'b> {
    data: &'b [u8],
    span: SourceSpan,
    line: usize,
    column: usize,
    line_count: usize,
}

/// A document's text rendering ([`DocView`]) under a name that gives the
/// finding's place in the original file.
struct NamedView<'a> {
    name: String,
    text: &'a str,
    /// Where the lines of `text` start.
    line_starts: &'a [usize],
}

impl SourceCode for NamedView<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let w = read_window(
            self.text.as_bytes(),
            self.line_starts,
            span,
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            w.data,
            w.span,
            w.line,
            w.column,
            w.line_count,
        )))
    }
}

/// A [`Finding`] seen through miette's [`Diagnostic`] trait. Labels are
/// already resolved to the decoded text, so miette only ever sees in-range,
/// char-aligned spans.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Box<dyn SourceCode + 'a>,
    labels: Vec<LabeledSpan>,
    /// Its labels in other files, each drawn on its own snippet.
    elsewhere: Vec<ElsewhereDiagnostic<'a>>,
}

/// A label in another file ([`crate::finding::Elsewhere`]), drawn as a
/// related diagnostic on the line around it, under the file's path, line
/// and column.
struct ElsewhereDiagnostic<'a> {
    label: &'a crate::finding::Elsewhere,
    source: Option<ExcerptSource<'a>>,
}

/// The lines of another file around a label, numbered as in that file.
struct ExcerptSource<'a> {
    name: String,
    text: &'a str,
    first_line: usize,
}

impl SourceCode for ExcerptSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line.saturating_sub(1),
            inner.column(),
            inner.line_count(),
        )))
    }
}

impl<'a> ElsewhereDiagnostic<'a> {
    fn new(label: &'a crate::finding::Elsewhere) -> Self {
        let source = label.place.as_ref().map(|p| ExcerptSource {
            name: format!(
                "{}:{}:{}{}",
                label.path,
                p.line,
                p.column,
                if p.shown_as_text {
                    format!(" (byte {}; shown as text)", label.span.offset)
                } else {
                    String::new()
                }
            ),
            text: &p.excerpt,
            first_line: p.excerpt_line,
        });
        ElsewhereDiagnostic { label, source }
    }
}

impl fmt::Debug for ElsewhereDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.label, f)
    }
}

impl fmt::Display for ElsewhereDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.label.place {
            Some(_) => write!(f, "the other figure, in {}", self.label.path),
            None => write!(
                f,
                "in {} (bytes {}..{}; the file could not be read again): {}",
                self.label.path,
                self.label.span.offset,
                self.label.span.end(),
                self.label.text
            ),
        }
    }
}

impl std::error::Error for ElsewhereDiagnostic<'_> {}

impl Diagnostic for ElsewhereDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let p = self.label.place.as_ref()?;
        let (a, b) = p.excerpt_range;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(self.label.text.clone()),
                (a, b.saturating_sub(a)),
            ),
        )))
    }
}

fn labeled(i: usize, text: &str, span: (usize, usize)) -> LabeledSpan {
    let label_text = (!text.is_empty()).then(|| text.to_string());
    if i == 0 {
        LabeledSpan::new_primary_with_span(label_text, span)
    } else {
        LabeledSpan::new_with_span(label_text, span)
    }
}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &'a Finding, path: &'a str, text: &'a SourceText<'a>) -> Self {
        let labels = finding
            .labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let range = text.decoded_range(label.span);
                labeled(i, &label.text, (range.start, range.end - range.start))
            })
            .collect();
        FindingDiagnostic {
            finding,
            source: Box::new(NamedText {
                name: std::borrow::Cow::Borrowed(path),
                text,
            }),
            labels,
            elsewhere: finding
                .elsewhere
                .iter()
                .map(ElsewhereDiagnostic::new)
                .collect(),
        }
    }

    /// The finding with labels in other files: every snippet's name gives
    /// its file, line and column (drawn by a handler that prints none), so
    /// the other file's, cut from its line, is named like this file's.
    fn with_positions(finding: &'a Finding, path: &'a str, text: &'a SourceText<'a>) -> Self {
        let mut d = FindingDiagnostic::new(finding, path, text);
        if let Some(span) = finding.primary() {
            let p = text.locate(span).start;
            d.source = Box::new(NamedText {
                name: std::borrow::Cow::Owned(format!("{path}:{}:{}", p.line, p.column)),
                text,
            });
        }
        d
    }

    /// The finding drawn on a document's text rendering; the name gives
    /// the primary label's line, column and byte in the original file.
    fn on_view(finding: &'a Finding, path: &str, text: &SourceText<'_>, view: &'a DocView) -> Self {
        let labels = finding
            .labels
            .iter()
            .enumerate()
            .filter_map(|(i, label)| {
                let (a, b) = view.range(label.span)?;
                Some(labeled(i, &label.text, (a, b - a)))
            })
            .collect();
        let name = match finding.primary() {
            Some(span) => {
                let p = text.position(span.offset);
                format!(
                    "{path}:{}:{} (byte {}; shown as text)",
                    p.line, p.column, span.offset
                )
            }
            None => path.to_string(),
        };
        FindingDiagnostic {
            finding,
            source: Box::new(NamedView {
                name,
                text: &view.text,
                line_starts: &view.line_starts,
            }),
            labels,
            elsewhere: finding
                .elsewhere
                .iter()
                .map(ElsewhereDiagnostic::new)
                .collect(),
        }
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.finding, f)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    /// `error[total-does-not-foot]`: the severity in words as well as the
    /// glyph (a screen reader, a log without colour or Unicode), as in
    /// `concise` output.
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}[{}]",
            self.finding.severity, self.finding.rule
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source.as_ref())
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.elsewhere.is_empty() {
            None
        } else {
            Some(Box::new(
                self.elsewhere.iter().map(|d| d as &dyn Diagnostic),
            ))
        }
    }
}

pub(super) fn handler(opts: &RenderOptions) -> GraphicalReportHandler {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width.unwrap_or(DEFAULT_WIDTH))
        .with_links(opts.color)
}

/// The summary after the files' diagnostics (a blank line first when any
/// file was rendered).
pub(super) fn finish(summary: &Summary, any: bool, out: &mut dyn Write) -> io::Result<()> {
    if any {
        writeln!(out)?;
    }
    render_summary(summary, out)
}

pub(super) fn render_file(
    handler: &GraphicalReportHandler,
    report: &FileReport,
    out: &mut dyn Write,
) -> io::Result<()> {
    if super::concise::nothing_more(report, out)? {
        return Ok(());
    }
    let text = report.source_text();
    // Snippets named with their own positions: text drawn from a view, and
    // other files' lines.
    let named_handler = handler.clone().without_primary_span_start();
    for finding in report.findings.iter().filter(|f| !f.acknowledged) {
        let (diagnostic, handler) = match &report.view {
            Some(view) => (
                FindingDiagnostic::on_view(finding, &report.path, &text, view),
                &named_handler,
            ),
            None if !finding.elsewhere.is_empty() => (
                FindingDiagnostic::with_positions(finding, &report.path, &text),
                &named_handler,
            ),
            None => (
                FindingDiagnostic::new(finding, &report.path, &text),
                handler,
            ),
        };
        let mut rendered = String::new();
        // miette can refuse a snippet, or fail on one it cannot lay out: the
        // finding then falls back to the one-line form rather than be lost
        // (or stop the sweep).
        let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            handler.render_report(&mut rendered, &diagnostic).is_ok()
        }));
        if !matches!(drawn, Ok(true)) {
            rendered = format!("{}\n", super::concise::line(report, &text, finding));
        }
        out.write_all(rendered.as_bytes())?;
        writeln!(out)?;
    }
    for finding in report.findings.iter().filter(|f| f.acknowledged) {
        writeln!(
            out,
            "acknowledged: {}",
            super::concise::line(report, &text, finding)
        )?;
    }
    render_claims(report, &text, out)
}

/// With `--claims`: every narrative claim of the file, one line each, a
/// verified one with the cells it was ticked against, so a reviewer can
/// tell what was checked from what was not looked at.
fn render_claims(
    report: &FileReport,
    text: &SourceText<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    if report.claims.is_empty() {
        return Ok(());
    }
    let count = |s: &str| report.claims.iter().filter(|c| c.status == s).count();
    writeln!(
        out,
        "{}: claims: {} verified, {} contradicted, {} unverifiable",
        report.path,
        count("verified"),
        count("contradicted"),
        count("unverifiable")
    )?;
    let at = |span| {
        let p = text.locate(span).start;
        format!("{}:{}", p.line, p.column)
    };
    for c in &report.claims {
        let mark = match c.status {
            "verified" => "✓ verified    ",
            "contradicted" => "✗ contradicted",
            _ => "? unverifiable",
        };
        let what = format!(
            "{} \"{}\" {}{}",
            at(c.span),
            c.amount.as_deref().unwrap_or(""),
            c.metric,
            c.period
                .as_deref()
                .map(|p| format!(", {p}"))
                .unwrap_or_default()
        );
        let why = if c.ticked.is_empty() {
            c.detail.clone().unwrap_or_default()
        } else {
            let cells: Vec<String> = c
                .ticked
                .iter()
                .map(|l| format!("{} at {}", l.text, at(l.span)))
                .collect();
            format!("ticked against {}", cells.join(" and "))
        };
        writeln!(out, "  {mark}  {what}: {why}")?;
    }
    writeln!(out)
}

fn render_summary(summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let t = &summary.totals;
    let s = &summary.by_severity;
    writeln!(out, "Summary")?;
    writeln!(
        out,
        "  files checked: {} ({} with findings, {} unreadable{})",
        summary.files_checked,
        summary.files_with_findings,
        summary.files_error,
        match summary.files_not_checked {
            0 => String::new(),
            n => format!(", {n} not checked"),
        }
    )?;
    writeln!(
        out,
        "  findings: {} ({} {}, {} {}, {} {}), {} acknowledged",
        summary.findings,
        s.error,
        plural(s.error, "error", "errors"),
        s.warning,
        plural(s.warning, "warning", "warnings"),
        s.note,
        plural(s.note, "note", "notes"),
        summary.acknowledged
    )?;
    if !summary.by_rule.is_empty() {
        writeln!(out, "  by rule:")?;
        let width = summary.by_rule.keys().map(|k| k.len()).max().unwrap_or(0);
        for (rule, count) in &summary.by_rule {
            writeln!(out, "    {rule:<width$}  {count}")?;
        }
    }
    for (title, files) in [
        ("unreadable", &summary.unreadable),
        ("not checked", &summary.not_checked),
    ] {
        if !files.is_empty() {
            writeln!(out, "  {title}:")?;
            for u in files {
                writeln!(out, "    {}: {}", u.path, one_line(&u.reason))?;
            }
        }
    }
    writeln!(
        out,
        "  claims: {} found, {} verified, {} contradicted, {} unverifiable",
        t.claims_found, t.claims_verified, t.claims_contradicted, t.claims_unverifiable
    )?;
    writeln!(
        out,
        "  rules: {} run, {} skipped; {} tables, {} facts, {} figures tied",
        t.rules_run, t.rules_skipped, t.tables, t.facts, t.figures_tied
    )?;
    if t.facts > 0 {
        let share = t.figures_checked as f64 * 100.0 / t.facts as f64;
        writeln!(
            out,
            "  coverage: {} of {} table figures ({share:.1}%) took part in a check; {} {} \
             no check touched",
            t.figures_checked,
            t.facts,
            t.tables_untouched,
            plural(t.tables_untouched, "table", "tables")
        )?;
    }
    for u in &summary.untouched {
        writeln!(out, "    {}: {}", u.path, one_line(&u.reason))?;
    }
    if t.tables_untouched > summary.untouched.len() {
        writeln!(
            out,
            "    and {} more",
            t.tables_untouched - summary.untouched.len()
        )?;
    }
    Ok(())
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// Keeps a reason on one line so line-oriented readers are not confused.
pub(super) fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// miette's own read of the whole text; none for a span starting past
    /// the end (see [`read_window`]).
    fn whole<'b>(all: &'b [u8], span: &SourceSpan, b: usize, a: usize) -> Option<Window<'b>> {
        if span.offset() > all.len() {
            return None;
        }
        let inner = all.read_span(span, b, a).ok()?;
        let (start, len) = (inner.span().offset(), inner.span().len());
        Some(Window {
            data: &all[start..start + len],
            span: *inner.span(),
            line: inner.line(),
            column: inner.column(),
            line_count: inner.line_count(),
        })
    }

    proptest! {
        /// Read from a few lines above, a snippet is what miette reads from
        /// the start of the text: same bytes, span, first line and column
        /// and line count, with any mix of LF, CRLF and lone CR line ends,
        /// empty lines, and spans anywhere (past the end too) with any
        /// context.
        #[test]
        fn windowed_read_matches_miettes_read_from_the_start(
            pieces in proptest::collection::vec(
                prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("ab"), Just("Net sales 1,234"), Just("é")],
                0..40,
            ),
            at in 0usize..400,
            len in 0usize..30,
            before in 0usize..4,
            after in 0usize..4,
        ) {
            let raw = pieces.concat().into_bytes();
            let text = SourceText::new(&raw);
            let all = text.text().as_bytes();
            let at = at.min(raw.len() + 2);
            let span = SourceSpan::new(at.into(), len);
            let got = read_window(all, text.line_starts(), &span, before, after).ok();
            prop_assert_eq!(got, whole(all, &span, before, after));
        }
    }

    /// A span starting past the end of the text, with no context lines
    /// before it, is no snippet: miette's read of it panicked.
    #[test]
    fn a_span_past_the_end_is_no_snippet() {
        let text = SourceText::new(b"Net sales 1,234\n");
        let all = text.text().as_bytes();
        let span = SourceSpan::new((all.len() + 1).into(), 0);
        assert!(read_window(all, text.line_starts(), &span, 0, 0).is_err());
        assert!(read_window(all, text.line_starts(), &span, 2, 2).is_err());
    }
}
