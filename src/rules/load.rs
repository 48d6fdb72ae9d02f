//! Rule files: the schema, the embedded default pack, user overrides, and
//! the one error type that points into the YAML.
//!
//! A rule file is a list under `rules:`; every key is checked (unknown keys
//! are errors), every assertion is parsed and every concept it names must be
//! in the concept dictionary. Errors carry the file as miette source code and
//! a label on the offending bytes, down to a concept inside an `assert:`
//! string.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use super::concepts::ConceptDictionary;
use super::expr::{Assertion, Tolerance, parse_assertion};
use crate::finding::Severity;
use crate::span::Span;

/// Where rule documentation is published (a default rule's URL is this
/// plus `#<id>`): `docs/rules.md` in the repository Cargo.toml names, or
/// `None` while it names none, so no finding links to a page that does
/// not exist; `tieout explain <id>` prints the same text offline.
pub fn docs_url() -> Option<String> {
    let repo = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    (!repo.is_empty()).then(|| format!("{repo}/blob/main/docs/rules.md"))
}

/// How the source of a default rule begins (`<default>/footing.yaml`).
pub const DEFAULT_SOURCE_PREFIX: &str = "<default>/";

/// The embedded default rule files, one per topic, in load order.
pub const DEFAULT_RULE_FILES: &[(&str, &str)] = &[
    (
        "<default>/balance-sheet.yaml",
        include_str!("../../rules/balance-sheet.yaml"),
    ),
    (
        "<default>/income-statement.yaml",
        include_str!("../../rules/income-statement.yaml"),
    ),
    ("<default>/bank.yaml", include_str!("../../rules/bank.yaml")),
    (
        "<default>/cross-statement.yaml",
        include_str!("../../rules/cross-statement.yaml"),
    ),
    (
        "<default>/schedules.yaml",
        include_str!("../../rules/schedules.yaml"),
    ),
    (
        "<default>/footing.yaml",
        include_str!("../../rules/footing.yaml"),
    ),
    (
        "<default>/cross-footing.yaml",
        include_str!("../../rules/cross-footing.yaml"),
    ),
    (
        "<default>/periods.yaml",
        include_str!("../../rules/periods.yaml"),
    ),
    (
        "<default>/prior-release.yaml",
        include_str!("../../rules/prior-release.yaml"),
    ),
    (
        "<default>/narrative.yaml",
        include_str!("../../rules/narrative.yaml"),
    ),
    (
        "<default>/parse.yaml",
        include_str!("../../rules/parse.yaml"),
    ),
];

// ---------------------------------------------------------------------------
// Rules

/// What machinery evaluates a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// An assertion in the expression language.
    Assert,
    /// A total row equals the sum of the rows it covers.
    Footing,
    /// The same concept and period agree wherever printed.
    CrossTable,
    /// A longer period's flow is at least the quarter it contains.
    YtdContains,
    /// A change column holds the current figure less the prior one.
    ChangeColumn,
    /// A percent-change column holds the change over the prior figure.
    PercentChange,
    /// A flow's figure for a period equals the sum of the periods that
    /// cover it end to end.
    PeriodSum,
    /// The cash flow statement's beginning and ending cash equal the
    /// balance sheet's cash.
    CashTie,
    /// A comparative figure equals what the earlier release printed.
    PriorRelease,
    /// A comparative figure in a column marked as restated differs from
    /// what the earlier release printed.
    PriorRestated,
    /// A segment table's total column holds the sum of its segment columns.
    TotalColumn,
    /// A roll-forward schedule: opening balance plus movements is the
    /// closing balance, per column.
    RollForward,
    /// A change column in basis points holds the change of two percentages.
    BpsChange,
    /// Narrative claims agree with the tables.
    Narrative,
    /// A region the parser could not read, so its figures went unchecked.
    Parse,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Assert => "assert",
            RuleKind::Footing => "footing",
            RuleKind::CrossTable => "cross-table",
            RuleKind::YtdContains => "ytd-contains",
            RuleKind::ChangeColumn => "change-column",
            RuleKind::PercentChange => "percent-change",
            RuleKind::PeriodSum => "period-sum",
            RuleKind::CashTie => "cash-tie",
            RuleKind::PriorRelease => "prior-release",
            RuleKind::PriorRestated => "prior-restated",
            RuleKind::TotalColumn => "total-column",
            RuleKind::RollForward => "roll-forward",
            RuleKind::BpsChange => "bps-change",
            RuleKind::Narrative => "narrative",
            RuleKind::Parse => "parse",
        }
    }
}

/// What one evaluation of a rule binds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// One balance-sheet date.
    Instant,
    /// One reporting period.
    Duration,
    /// A duration with balances at its start and end (`@start`, `@end`).
    Roll,
    /// One table.
    Table,
    /// The whole document.
    Document,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Instant => "instant",
            Scope::Duration => "duration",
            Scope::Roll => "roll",
            Scope::Table => "table",
            Scope::Document => "document",
        }
    }
}

/// The fixed documentation sections of a rule.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDocs {
    pub checks: String,
    pub why: String,
    pub example: String,
}

/// One loaded rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub kind: RuleKind,
    pub scope: Scope,
    /// The parsed assertion (kind `assert` only).
    pub assertion: Option<Assertion>,
    /// The assertion as written.
    pub assert_src: Option<String>,
    /// For cross-table and ytd-contains rules: only these concepts (empty: all).
    pub concepts: Vec<String>,
    pub tolerance: Tolerance,
    pub help: String,
    pub docs: RuleDocs,
    /// `<default>/balance-sheet.yaml` or the user file's path.
    pub source: String,
}

impl Rule {
    /// The documentation URL of a default rule ([`docs_url`]); a user's
    /// rule has none (its own file documents it).
    pub fn url(&self) -> Option<String> {
        if !self.source.starts_with(DEFAULT_SOURCE_PREFIX) {
            return None;
        }
        docs_url().map(|u| format!("{u}#{}", self.id))
    }
}

/// The rules in force and the concept dictionary they are checked against.
#[derive(Clone, Debug)]
pub struct RulePack {
    rules: Vec<Rule>,
    concepts: ConceptDictionary,
    /// [`RulePack::assertion_concepts`], made on first use after the last
    /// rule file was added.
    assertion_concepts: std::sync::OnceLock<rustc_hash::FxHashSet<super::ConceptId>>,
}

impl RulePack {
    /// The embedded default pack.
    pub fn default_pack() -> RulePack {
        // The embedded files are checked by the test suite; failing here is
        // a build defect, not a user error.
        RulePack::try_default().unwrap_or_else(|e| panic!("the embedded rule pack is invalid: {e}"))
    }

    /// The embedded default pack, reporting a defect as an error.
    pub fn try_default() -> Result<RulePack, LoadError> {
        let mut pack = RulePack {
            rules: Vec::new(),
            concepts: ConceptDictionary::default_dictionary(),
            assertion_concepts: std::sync::OnceLock::new(),
        };
        for (name, src) in DEFAULT_RULE_FILES {
            pack.load_str(src, name)?;
        }
        Ok(pack)
    }

    /// Adds a user rule file, or every `*.yaml` file in a folder (sorted by
    /// name). A rule whose id is already loaded replaces it in place.
    pub fn load_path(&mut self, path: &Path) -> Result<(), LoadError> {
        let io = |e: std::io::Error, p: &Path| {
            LoadError::new(
                LoadErrorKind::Io,
                format!("cannot read {}: {e}", p.display()),
                "",
                &p.display().to_string(),
            )
        };
        if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(path)
                .map_err(|e| io(e, path))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml"))
                .collect();
            files.sort();
            for file in files {
                self.load_path(&file)?;
            }
            return Ok(());
        }
        let src = read_limited(path, MAX_RULE_FILE).map_err(|e| io(e, path))?;
        self.load_str(&src, &path.display().to_string())
    }

    /// Adds the rules of one YAML document; `name` is used in diagnostics
    /// and recorded as each rule's source.
    pub fn load_str(&mut self, src: &str, name: &str) -> Result<(), LoadError> {
        let rules = parse_rule_file(src, name, &self.concepts)?;
        for rule in rules {
            match self.rules.iter_mut().find(|r| r.id == rule.id) {
                Some(existing) => *existing = rule,
                None => self.rules.push(rule),
            }
        }
        self.assertion_concepts.take();
        Ok(())
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Every concept an assertion of the pack reads, and the concepts that
    /// stand in for them ([`stand_ins`](super::expr::stand_ins)): the facts a release's index
    /// keeps. Made once per pack, not once per release.
    pub fn assertion_concepts(&self) -> &rustc_hash::FxHashSet<super::ConceptId> {
        self.assertion_concepts.get_or_init(|| {
            self.rules
                .iter()
                .filter_map(|r| r.assertion.as_ref())
                .flat_map(|a| a.concepts())
                .flat_map(|r| r.candidates().iter().copied())
                .collect()
        })
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn concepts(&self) -> &ConceptDictionary {
        &self.concepts
    }
}

// ---------------------------------------------------------------------------
// Schema

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    title: String,
    severity: Severity,
    kind: Spanned<RuleKind>,
    scope: Scope,
    #[serde(default)]
    assert: Option<Spanned<String>>,
    #[serde(default)]
    concepts: Vec<Spanned<String>>,
    #[serde(default)]
    tolerance: Tolerance,
    help: String,
    docs: RuleDocs,
}

/// The largest rule file tieout reads (the default pack is about 60 kB).
pub const MAX_RULE_FILE: u64 = 1 << 20;
/// The longest `title` and `help` of a rule, in characters: they are
/// printed with every finding of the rule.
pub const MAX_TITLE: usize = 200;
pub const MAX_HELP: usize = 4_000;

/// Reads a UTF-8 text file of at most `limit` bytes; a larger file is an
/// error (`InvalidData`) without reading it all.
pub fn read_limited(path: &Path, limit: u64) -> std::io::Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the file is larger than the {limit} bytes tieout reads"),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))
}

fn parse_rule_file(
    src: &str,
    name: &str,
    dict: &ConceptDictionary,
) -> Result<Vec<Rule>, LoadError> {
    let raw: RawFile = serde_saphyr::from_str(src).map_err(|e| yaml_error(&e, src, name))?;
    let mut seen: HashMap<String, Span> = HashMap::new();
    let mut rules = Vec::with_capacity(raw.rules.len());
    for r in raw.rules {
        let id = r.id.value.clone();
        let id_span = located_span(src, &r.id.referenced, &id);
        let err = |kind, msg: String| LoadError::new(kind, msg, src, name);
        if !is_kebab(&id) {
            return Err(err(
                LoadErrorKind::Invalid,
                format!("rule id `{id}` is not kebab-case"),
            )
            .with_label(id_span, "use lowercase words joined by `-`"));
        }
        if let Some(first) = seen.get(&id) {
            return Err(err(
                LoadErrorKind::DuplicateId,
                format!("rule `{id}` is defined twice in this file"),
            )
            .with_label(id_span, "second definition")
            .with_label(*first, "first defined here"));
        }
        seen.insert(id.clone(), id_span);
        for (field, text, max) in [("title", &r.title, MAX_TITLE), ("help", &r.help, MAX_HELP)] {
            let n = text.chars().count();
            if n > max {
                return Err(err(
                    LoadErrorKind::Invalid,
                    format!(
                        "rule `{id}` has a `{field}` of {n} characters; at most {max} are allowed"
                    ),
                )
                .with_label(id_span, format!("this rule's `{field}` is too long")));
            }
        }

        let kind = r.kind.value;
        let (assertion, assert_src) = match (&r.assert, kind) {
            (None, RuleKind::Assert) => {
                return Err(err(
                    LoadErrorKind::MissingAssert,
                    format!("rule `{id}` has kind `assert` but no `assert:` expression"),
                )
                .with_label(
                    located_span(src, &r.kind.referenced, "assert"),
                    "this kind needs `assert:`",
                )
                .with_help("add `assert: \"lhs == rhs\"`, or choose another kind"));
            }
            (Some(a), k) if k != RuleKind::Assert => {
                return Err(err(
                    LoadErrorKind::ForbiddenAssert,
                    format!(
                        "rule `{id}` has kind `{}`, which takes no `assert:`",
                        k.as_str()
                    ),
                )
                .with_label(
                    located_span(src, &a.referenced, &a.value),
                    "only kind `assert` evaluates an expression",
                ));
            }
            (Some(a), _) => {
                let base = expression_offset(src, &a.referenced, &a.value);
                let parsed = parse_assertion(&a.value).map_err(|e| {
                    let span = match base {
                        Some(b) => Span::new(b + e.offset, e.len),
                        None => located_span(src, &a.referenced, &a.value),
                    };
                    err(
                        LoadErrorKind::BadExpression,
                        format!("invalid assertion in rule `{id}`"),
                    )
                    .with_label(span, e.kind.to_string())
                })?;
                for c in parsed.concepts() {
                    if !dict.contains(c.name()) {
                        let span = match base {
                            Some(b) => Span::new(b + c.span.offset, c.span.len),
                            None => located_span(src, &a.referenced, &a.value),
                        };
                        return Err(unknown_concept(src, name, c.name(), span, dict));
                    }
                    if c.selector.is_some() && r.scope != Scope::Roll {
                        let span = match base {
                            Some(b) => Span::new(b + c.span.offset, c.span.len),
                            None => located_span(src, &a.referenced, &a.value),
                        };
                        return Err(err(
                            LoadErrorKind::BadExpression,
                            format!("rule `{id}` uses `@start`/`@end` outside scope `roll`"),
                        )
                        .with_label(span, "a selector needs `scope: roll`"));
                    }
                }
                (Some(parsed), Some(a.value.clone()))
            }
            (None, _) => (None, None),
        };
        let mut concepts = Vec::with_capacity(r.concepts.len());
        for c in &r.concepts {
            if !dict.contains(&c.value) {
                let span = located_span(src, &c.referenced, &c.value);
                return Err(unknown_concept(src, name, &c.value, span, dict));
            }
            concepts.push(c.value.clone());
        }
        rules.push(Rule {
            id,
            title: r.title,
            severity: r.severity,
            kind,
            scope: r.scope,
            assertion,
            assert_src,
            concepts,
            tolerance: r.tolerance,
            help: r.help,
            docs: r.docs,
            source: name.to_string(),
        });
    }
    Ok(rules)
}

fn unknown_concept(
    src: &str,
    name: &str,
    concept: &str,
    span: Span,
    dict: &ConceptDictionary,
) -> LoadError {
    let mut e = LoadError::new(
        LoadErrorKind::UnknownConcept,
        format!("unknown concept `{concept}`"),
        src,
        name,
    )
    .with_label(span, "not in the concept dictionary");
    // Suggest the dictionary concept sharing the longest prefix.
    let best = dict
        .iter()
        .map(|c| {
            let common =
                c.id.as_str()
                    .chars()
                    .zip(concept.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
            (common, c.id.as_str())
        })
        .max_by_key(|(n, _)| *n);
    if let Some((n, best)) = best
        && n >= 3
    {
        e = e.with_help(format!("did you mean `{best}`?"));
    }
    e
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The byte offset in `src` where the text of the scalar `value` starts:
/// past an opening quote, or where the text is found for block scalars.
/// `None` when the text cannot be located verbatim (escapes, folding).
fn expression_offset(src: &str, loc: &Location, value: &str) -> Option<usize> {
    let start = usize::try_from(loc.span().byte_offset()?).ok()?;
    let rest = src.get(start..)?;
    if rest.starts_with(value) {
        return Some(start);
    }
    if (rest.starts_with('"') || rest.starts_with('\'')) && rest[1..].starts_with(value) {
        return Some(start + 1);
    }
    // A block scalar (`|`, `>`): the text follows on a later line.
    let found = rest.find(value)?;
    Some(start + found)
}

/// The span of a scalar's text in `src`, or of its token when the text
/// cannot be located verbatim.
pub(crate) fn located_span(src: &str, loc: &Location, value: &str) -> Span {
    match expression_offset(src, loc, value) {
        Some(off) => Span::new(off, value.len()),
        None => {
            let s = loc.span();
            let off = s.byte_offset().unwrap_or(0);
            let len = s.byte_len().unwrap_or(0);
            Span::new(
                usize::try_from(off).unwrap_or(0),
                usize::try_from(len).unwrap_or(0),
            )
        }
    }
}

// ---------------------------------------------------------------------------
// Errors

/// What went wrong loading a rule or concept file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// The file could not be read.
    Io,
    /// Not YAML, or YAML of the wrong shape (including unknown keys).
    Syntax,
    /// A key the schema does not know.
    UnknownKey,
    /// An assertion or `concepts:` list names a concept the dictionary lacks.
    UnknownConcept,
    /// An assertion does not parse, or uses a selector outside `roll`.
    BadExpression,
    /// The same rule id (or concept) twice in one file.
    DuplicateId,
    /// Kind `assert` without `assert:`.
    MissingAssert,
    /// `assert:` on a kind that does not evaluate expressions.
    ForbiddenAssert,
    /// A label or narrative pattern is not a valid regex.
    BadPattern,
    /// A value of the right type but not allowed (an id that is not kebab-case).
    Invalid,
}

impl LoadErrorKind {
    /// The diagnostic code.
    pub fn code(self) -> &'static str {
        match self {
            LoadErrorKind::Io => "tieout::rules::io",
            LoadErrorKind::Syntax => "tieout::rules::syntax",
            LoadErrorKind::UnknownKey => "tieout::rules::unknown-key",
            LoadErrorKind::UnknownConcept => "tieout::rules::unknown-concept",
            LoadErrorKind::BadExpression => "tieout::rules::bad-expression",
            LoadErrorKind::DuplicateId => "tieout::rules::duplicate-id",
            LoadErrorKind::MissingAssert => "tieout::rules::missing-assert",
            LoadErrorKind::ForbiddenAssert => "tieout::rules::forbidden-assert",
            LoadErrorKind::BadPattern => "tieout::rules::bad-pattern",
            LoadErrorKind::Invalid => "tieout::rules::invalid",
        }
    }
}

/// An error in a rule or concept file, with labels into the file.
#[derive(Debug)]
pub struct LoadError(Box<LoadErrorInner>);

#[derive(Debug)]
struct LoadErrorInner {
    kind: LoadErrorKind,
    message: String,
    file: String,
    source_code: NamedSource<String>,
    labels: Vec<(Span, String)>,
    help: Option<String>,
}

impl LoadError {
    pub(crate) fn new(kind: LoadErrorKind, message: String, src: &str, name: &str) -> LoadError {
        LoadError(Box::new(LoadErrorInner {
            kind,
            message,
            file: name.to_string(),
            source_code: NamedSource::new(name, src.to_string()),
            labels: Vec::new(),
            help: None,
        }))
    }

    pub fn kind(&self) -> LoadErrorKind {
        self.0.kind
    }

    /// The sentence describing the problem.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The file name as given (`<default>/footing.yaml`, a user path).
    pub fn file(&self) -> &str {
        &self.0.file
    }

    /// The help line, if any.
    pub fn help_text(&self) -> Option<&str> {
        self.0.help.as_deref()
    }

    pub(crate) fn with_label(mut self, span: Span, text: impl Into<String>) -> LoadError {
        self.0.labels.push((span, text.into()));
        self
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> LoadError {
        self.0.help = Some(help.into());
        self
    }

    /// The primary span, into the file's bytes.
    pub fn span(&self) -> Option<Span> {
        self.0.labels.first().map(|(s, _)| *s)
    }

    /// Every label: span and text, primary first.
    pub fn labels_text(&self) -> &[(Span, String)] {
        &self.0.labels
    }

    /// The bytes of the file under the primary label.
    pub fn labelled_text(&self) -> Option<&str> {
        let span = self.span()?;
        self.0.source_code.inner().get(span.offset..span.end())
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for LoadError {}

impl Diagnostic for LoadError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.0.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        docs_url().map(|u| Box::new(format!("{u}#writing-a-rule-file")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        if self.0.labels.is_empty() {
            None
        } else {
            Some(&self.0.source_code)
        }
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

/// The byte offset of 1-based `line` and `column` (in characters) in `src`,
/// clamped to the line's end; `None` past the last line.
fn offset_of_line_col(src: &str, line: u64, column: u64) -> Option<usize> {
    let line = usize::try_from(line).ok()?.checked_sub(1)?;
    let start = if line == 0 {
        0
    } else {
        src.match_indices('\n').nth(line - 1)?.0 + 1
    };
    let rest = &src[start..];
    let text = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let col = usize::try_from(column).ok()?.saturating_sub(1);
    let within = text.char_indices().nth(col).map_or(text.len(), |(i, _)| i);
    Some(start + within)
}

/// Turns a serde-saphyr error into a [`LoadError`] labelled where the YAML
/// went wrong.
pub(crate) fn yaml_error(e: &serde_saphyr::Error, src: &str, name: &str) -> LoadError {
    let plain = e.render_with_options(serde_saphyr::render_options! {
        snippets: serde_saphyr::SnippetMode::Off,
    });
    // The location is shown by the label; drop the textual one.
    let message = match plain.rfind(" at line ") {
        Some(i) => plain[..i].to_string(),
        None => plain,
    };
    let kind = if message.contains("unknown field") || message.contains("unknown variant") {
        LoadErrorKind::UnknownKey
    } else {
        LoadErrorKind::Syntax
    };
    let mut err = LoadError::new(kind, message.clone(), src, name);
    if let Some(loc) = e.location() {
        let s = loc.span();
        // Scanner errors (a tab, bad indentation, an unclosed quote or
        // bracket, a NUL byte) carry a line and column but no byte offset.
        let at = s
            .byte_offset()
            .and_then(|o| usize::try_from(o).ok())
            .map(|off| {
                let len = s.byte_len().and_then(|l| usize::try_from(l).ok());
                (off, len.unwrap_or(0))
            })
            .or_else(|| {
                let off = offset_of_line_col(src, loc.line(), loc.column())?;
                Some((off, src[off..].chars().next().map_or(0, char::len_utf8)))
            });
        if let Some((off, len)) = at {
            let len = len.min(src.len().saturating_sub(off));
            let label = match kind {
                LoadErrorKind::UnknownKey => "not allowed here".to_string(),
                _ => message,
            };
            err = err.with_label(Span::new(off, len), label);
        }
    }
    err
}
