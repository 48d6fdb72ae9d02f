//! Errors in the CLI's own YAML files (`tieout.yaml`, `tieout.ack.yaml`),
//! rendered as miette diagnostics with labels pointing into the file.
//!
//! The same approach as `crate::rules::load::LoadError`: the file travels as
//! miette source code, and every label is a byte span into it. YAML syntax
//! and schema errors come from serde-saphyr through the rule loader's
//! `yaml_error`, so all of tieout's YAML errors look alike.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use serde_saphyr::Location;

use crate::rules::LoadErrorKind;
use crate::rules::load::{located_span, yaml_error};
use crate::span::Span;

/// An error in a config or acknowledgement file.
#[derive(Debug)]
pub struct FileError(Box<Inner>);

#[derive(Debug)]
struct Inner {
    code: String,
    message: String,
    source_code: NamedSource<String>,
    labels: Vec<(Span, String)>,
    help: Option<String>,
}

impl FileError {
    /// An error of `code` (`tieout::config::unknown-rule`) in the file `name`
    /// whose text is `src`.
    pub fn new(code: &str, message: impl Into<String>, src: &str, name: &str) -> FileError {
        FileError(Box::new(Inner {
            code: code.to_owned(),
            message: message.into(),
            source_code: NamedSource::new(name, src.to_owned()),
            labels: Vec::new(),
            help: None,
        }))
    }

    /// A file that could not be read at all.
    pub fn io(code: &str, message: impl Into<String>) -> FileError {
        FileError::new(code, message, "", "")
    }

    /// A YAML syntax or schema error (unknown key, missing field, wrong
    /// type) from serde-saphyr; `prefix` is `tieout::config` or
    /// `tieout::acks`.
    pub fn yaml(prefix: &str, e: &serde_saphyr::Error, src: &str, name: &str) -> FileError {
        let load = yaml_error(e, src, name);
        let variant = load.message().contains("unknown variant");
        let code = match load.kind() {
            LoadErrorKind::UnknownKey if variant => "bad-value",
            LoadErrorKind::UnknownKey => "unknown-key",
            _ => "syntax",
        };
        let mut err = FileError::new(&format!("{prefix}::{code}"), load.message(), src, name);
        for (span, text) in load.labels_text() {
            let text = if variant {
                "not a valid value here".to_owned()
            } else {
                text.clone()
            };
            err = err.with_label(*span, text);
        }
        if let Some(h) = load.help_text() {
            err = err.with_help(h);
        }
        err
    }

    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> FileError {
        self.0.labels.push((span, text.into()));
        self
    }

    /// A label on the scalar `value` found at `loc`.
    pub fn with_label_at(self, loc: &Location, value: &str, text: impl Into<String>) -> FileError {
        let span = located_span(self.0.source_code.inner(), loc, value);
        self.with_label(span, text)
    }

    pub fn with_help(mut self, help: impl Into<String>) -> FileError {
        self.0.help = Some(help.into());
        self
    }

    /// The diagnostic code.
    pub fn code_str(&self) -> &str {
        &self.0.code
    }

    /// The bytes of the file under the primary label.
    pub fn labelled_text(&self) -> Option<&str> {
        let (span, _) = self.0.labels.first()?;
        self.0.source_code.inner().get(span.offset..span.end())
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for FileError {}

impl Diagnostic for FileError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.0.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        (!self.0.labels.is_empty()).then_some(&self.0.source_code as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.0.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.0.labels.iter().enumerate().map(
            |(i, (span, text))| {
                let s = miette::SourceSpan::from(*span);
                if i == 0 {
                    LabeledSpan::new_primary_with_span(Some(text.clone()), s)
                } else {
                    LabeledSpan::new_with_span(Some(text.clone()), s)
                }
            },
        )))
    }
}

/// The known id closest to `unknown` (edit distance at most a third of its
/// length), for a "did you mean" help.
pub fn closest<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (unknown.chars().count() / 3).max(2);
    known
        .map(|k| (strsim_levenshtein(unknown, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

fn strsim_levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_near_ids_only() {
        let ids = ["total-does-not-foot", "eps-mismatch"];
        assert_eq!(
            closest("total-does-not-fot", ids.iter().copied()),
            Some("total-does-not-foot")
        );
        assert_eq!(closest("nothing-like-it", ids.iter().copied()), None);
    }
}
