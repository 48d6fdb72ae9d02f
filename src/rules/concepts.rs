//! The concept dictionary: which row labels and narrative phrases name which
//! financial concept (`rules/concepts.yaml`).
//!
//! Rules speak of concepts (`total_assets`), never of labels. The facts layer
//! asks [`ConceptDictionary::match_label`] which concept a row is; the
//! narrative checker asks [`ConceptDictionary::match_narrative`] or searches
//! prose with [`ConceptDictionary::narrative_regex`].
//!
//! **Matching order:** concepts are tried in file order and, within a
//! concept, patterns in list order; the first full match wins. A specific
//! concept (`net_income_to_common`) is listed before a general one whose
//! patterns could also match.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use super::load::{LoadError, LoadErrorKind, located_span, yaml_error};

/// The embedded default dictionary.
pub const DEFAULT_CONCEPTS_YAML: &str = include_str!("../../rules/concepts.yaml");
/// The name the default dictionary is reported under.
pub const DEFAULT_CONCEPTS_NAME: &str = "<default>/concepts.yaml";

/// A concept's name, `[a-z][a-z0-9_]*` (`total_assets`): a copy of one
/// interned name, not a counted reference. Every fact, value and rule term
/// of a concept holds its id; with a shared count each copy and drop was
/// an atomic write to the dictionary's one counter, which two sweeping
/// threads pulled from each other's cache. The names are interned once
/// per process (the only way an id is made): equal names are one pointer,
/// and ids compare by it.
#[derive(Clone, Copy, Debug, Eq, PartialOrd, Ord)]
pub struct ConceptId(&'static str);

/// Equal names: one interned pointer (no characters compared).
impl PartialEq for ConceptId {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

/// The name's hash, as the derived one (equal ids have equal names).
impl std::hash::Hash for ConceptId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl ConceptId {
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

/// The process's one copy of the concept name `name`. Names are kept for
/// the life of the process: one copy of each distinct name ever loaded (a
/// dictionary of a few hundred concepts holds a few kilobytes; loading the
/// same dictionary again adds nothing).
fn intern(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<rustc_hash::FxHashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(&known) = names.get(name) {
        return known;
    }
    let kept: &'static str = Box::leak(name.into());
    names.insert(kept);
    kept
}

impl fmt::Display for ConceptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl From<&str> for ConceptId {
    fn from(s: &str) -> Self {
        ConceptId(intern(s))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Money,
    Shares,
    PerShare,
    Percent,
}

/// What a label says about the sign of its figure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// The figure is signed as printed.
    #[default]
    Normal,
    /// The label states a loss (`Net loss`): the fact is negative whether
    /// printed `3,904` or `(3,904)`.
    Loss,
}

/// Whether a concept's term in an assertion may take either sign.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignConvention {
    #[default]
    Fixed,
    /// Presentations differ (a tax expense printed as `(32)` or `32`).
    Either,
}

/// One label pattern of a concept.
#[derive(Clone, Debug)]
pub struct LabelPattern {
    /// The pattern as written in the YAML.
    pub pattern: String,
    pub polarity: Polarity,
    /// Compiled on first use: the dictionary matches labels through one
    /// set of all patterns, so a pattern alone is rarely needed.
    regex: OnceLock<Option<Regex>>,
}

impl LabelPattern {
    fn is_match(&self, normalized: &str) -> bool {
        self.regex
            .get_or_init(|| compile(&format!("^(?:{})$", self.pattern)).ok())
            .as_ref()
            .is_some_and(|r| r.is_match(normalized))
    }
}

/// One entry of the dictionary.
#[derive(Clone, Debug)]
pub struct Concept {
    pub id: ConceptId,
    pub unit: Unit,
    pub labels: Vec<LabelPattern>,
    /// Narrative phrase patterns as written.
    pub narrative: Vec<String>,
    pub polarity: Polarity,
    pub sign: SignConvention,
    /// The concept applies only to a row below a row of the first concept
    /// and above a row of the second, in the same table.
    pub between: Option<(ConceptId, ConceptId)>,
    /// `\b(?:phrase|...)\b`, compiled on first use.
    narrative_search: OnceLock<Option<Regex>>,
}

/// Rows already mapped around a row, for positional concepts (`between`).
#[derive(Clone, Copy, Debug, Default)]
pub struct RowContext<'a> {
    /// Concepts of the rows above this one in the same table.
    pub above: &'a [ConceptId],
    /// Concepts of the rows below this one in the same table.
    pub below: &'a [ConceptId],
}

/// The concept dictionary, in file order.
#[derive(Clone, Debug)]
pub struct ConceptDictionary {
    concepts: Vec<Concept>,
    index: FxHashMap<String, usize>,
    /// Every label pattern, concept by concept in file order: (concept,
    /// position in its `labels`).
    label_owner: Vec<(usize, usize)>,
    /// The concepts positional concepts (`between`) name, in file order,
    /// each pair in turn: what a row's context tracks.
    positional: Vec<ConceptId>,
    /// The concepts whose terms may take either sign ([`Self::sign_either`]),
    /// told by id: a few, compared by pointer.
    either: Vec<ConceptId>,
    /// All label patterns as one set, in `label_owner` order, so that a label
    /// is matched against the whole dictionary in one pass. Built on first
    /// use (commands that match no label do not pay for it); `None` when the
    /// set is too large to build, and the patterns are then tried one by one.
    label_set: OnceLock<Option<regex::RegexSet>>,
    /// The label patterns each normalized label matched: the same labels
    /// come back in release after release of a sweep.
    label_cache: LabelCache<Arc<[usize]>>,
    /// Row labels as printed: normalized, and the label patterns they
    /// matched once a value row asked. Normalizing a label costs more than
    /// looking it up, and the same labels come back release after release.
    row_cache: LabelCache<RowLabel>,
    /// The concept each narrative phrase (as written) named.
    narrative_cache: LabelCache<Option<ConceptId>>,
    /// Every narrative phrase as one set (`^(?:phrase)$`), concept by
    /// concept in file order, with the concept of each; built on first use.
    narrative_set: OnceLock<Option<(regex::RegexSet, Vec<usize>)>>,
}

/// A row label normalized, and the patterns it matched once asked.
type RowLabel = (Arc<str>, Option<Arc<[usize]>>);

/// Labels (or narrative phrases) already matched, bounded: emptied when it
/// holds [`LabelCache::CAPACITY`] entries, so a sweep's memory stays flat.
/// One cache per thread: with one shared cache, every lookup of two
/// sweeping threads took the same lock, and the shared names and matches
/// it handed out had reference counts both threads wrote: a sweep on two
/// threads ran 3 to 5 % slower than on per-thread caches, with the same
/// instructions (docs/performance.md, "Fourteenth round").
#[derive(Debug)]
struct LabelCache<V: Send>(thread_local::ThreadLocal<RefCell<FxHashMap<String, V>>>);

impl<V: Clone + Send> LabelCache<V> {
    const CAPACITY: usize = 20_000;

    fn get(&self, normalized: &str) -> Option<V> {
        self.0.get_or_default().borrow().get(normalized).cloned()
    }

    fn put(&self, normalized: String, matches: &V) {
        let mut m = self.0.get_or_default().borrow_mut();
        if m.len() >= Self::CAPACITY {
            m.clear();
        }
        m.insert(normalized, matches.clone());
    }
}

impl<V: Send> Default for LabelCache<V> {
    fn default() -> Self {
        LabelCache(thread_local::ThreadLocal::new())
    }
}

/// A copy starts with an empty cache.
impl<V: Send> Clone for LabelCache<V> {
    fn clone(&self) -> Self {
        LabelCache::default()
    }
}

/// The label patterns a row label matches (indices into the dictionary's
/// pattern list, ascending), from [`ConceptDictionary::label_matches`]; the
/// concept is then chosen for a row context by [`ConceptDictionary::resolve`].
#[derive(Clone, Debug, Default)]
pub struct LabelMatches(Arc<[usize]>);

impl ConceptDictionary {
    /// The embedded `rules/concepts.yaml`.
    pub fn default_dictionary() -> ConceptDictionary {
        // The embedded file is checked by the test suite; failing here is a
        // build defect, not a user error.
        ConceptDictionary::from_yaml(DEFAULT_CONCEPTS_YAML, DEFAULT_CONCEPTS_NAME)
            .unwrap_or_else(|e| panic!("the embedded concept dictionary is invalid: {e}"))
    }

    /// Parses a dictionary file; `name` is used in diagnostics.
    pub fn from_yaml(src: &str, name: &str) -> Result<ConceptDictionary, LoadError> {
        let raw: RawDictionary =
            serde_saphyr::from_str(src).map_err(|e| yaml_error(&e, src, name))?;
        let mut concepts = Vec::with_capacity(raw.concepts.0.len());
        let mut index = FxHashMap::default();
        for (key, def) in &raw.concepts.0 {
            let id = key.value.clone();
            if !is_concept_name(&id) {
                return Err(LoadError::new(
                    LoadErrorKind::Invalid,
                    format!("`{id}` is not a valid concept name"),
                    src,
                    name,
                )
                .with_label(
                    located_span(src, &key.referenced, &id),
                    "lowercase letters, digits and `_`, starting with a letter",
                ));
            }
            if index.insert(id.clone(), concepts.len()).is_some() {
                return Err(LoadError::new(
                    LoadErrorKind::DuplicateId,
                    format!("concept `{id}` is defined twice"),
                    src,
                    name,
                )
                .with_label(located_span(src, &key.referenced, &id), "second definition"));
            }
            let polarity = def.polarity.unwrap_or_default();
            let mut labels = Vec::with_capacity(def.labels.len());
            for entry in &def.labels {
                let (pattern, pat_polarity) = match &entry.value {
                    RawLabel::Pattern(p) => (p.clone(), polarity),
                    RawLabel::Full {
                        pattern,
                        polarity: p,
                    } => (pattern.clone(), p.unwrap_or(polarity)),
                };
                validate(&pattern)
                    .map_err(|msg| bad_pattern(src, name, &entry.referenced, &pattern, msg))?;
                labels.push(LabelPattern {
                    pattern,
                    polarity: pat_polarity,
                    regex: OnceLock::new(),
                });
            }
            for phrase in &def.narrative {
                validate(&phrase.value).map_err(|msg| {
                    bad_pattern(src, name, &phrase.referenced, &phrase.value, msg)
                })?;
            }
            concepts.push(Concept {
                id: ConceptId::from(id.as_str()),
                unit: def.unit,
                labels,
                narrative: def.narrative.iter().map(|p| p.value.clone()).collect(),
                polarity,
                sign: def.sign.unwrap_or_default(),
                between: None,
                narrative_search: OnceLock::new(),
            });
        }
        // `between` may name concepts defined later in the file.
        for (i, (_, def)) in raw.concepts.0.iter().enumerate() {
            if let Some(between) = &def.between {
                for c in [&between.value.0, &between.value.1] {
                    if !index.contains_key(c.as_str()) {
                        return Err(LoadError::new(
                            LoadErrorKind::UnknownConcept,
                            format!("unknown concept `{c}` in `between`"),
                            src,
                            name,
                        )
                        .with_label(
                            located_span(src, &between.referenced, c),
                            "not in the dictionary",
                        ));
                    }
                }
                concepts[i].between = Some((
                    ConceptId::from(between.value.0.as_str()),
                    ConceptId::from(between.value.1.as_str()),
                ));
            }
        }
        let label_owner: Vec<(usize, usize)> = concepts
            .iter()
            .enumerate()
            .flat_map(|(ci, c)| (0..c.labels.len()).map(move |li| (ci, li)))
            .collect();
        let positional = concepts
            .iter()
            .filter_map(|c| c.between)
            .flat_map(|(a, b)| [a, b])
            .collect();
        let either = concepts
            .iter()
            .filter(|c| c.sign == SignConvention::Either)
            .map(|c| c.id)
            .collect();
        Ok(ConceptDictionary {
            concepts,
            index,
            label_owner,
            positional,
            either,
            label_set: OnceLock::new(),
            label_cache: LabelCache::default(),
            row_cache: LabelCache::default(),
            narrative_cache: LabelCache::default(),
            narrative_set: OnceLock::new(),
        })
    }

    /// The concept a table row's label names, ignoring positional concepts
    /// (those with `between`). First match in file order wins.
    pub fn match_label(&self, label: &str) -> Option<(ConceptId, Polarity)> {
        self.match_label_in(label, &RowContext::default())
    }

    /// Like [`Self::match_label`], also trying positional concepts against
    /// the rows around this one.
    pub fn match_label_in(
        &self,
        label: &str,
        ctx: &RowContext<'_>,
    ) -> Option<(ConceptId, Polarity)> {
        self.resolve(&self.label_matches(label), ctx)
    }

    /// The label patterns `label` (normalized) matches, for [`Self::resolve`]:
    /// a row's label is matched once however many contexts it is tried in.
    pub fn label_matches(&self, label: &str) -> LabelMatches {
        self.normalized_label_matches(&normalize_label(label))
    }

    /// A table row's label as printed, [`normalize_label`]ed, and with
    /// `matched` (a value row) the patterns it matches
    /// ([`Self::normalized_label_matches`]). A heading's label is not
    /// matched: no rule reads a heading's concept.
    pub fn row_label(&self, raw: &str, matched: bool) -> (Arc<str>, Option<LabelMatches>) {
        // Longer labels are rare and would make the bounded cache large.
        const CACHED: usize = 256;
        let cached = raw.len() <= CACHED;
        let hit = if cached {
            self.row_cache.get(raw)
        } else {
            None
        };
        let fresh = hit.is_none();
        let (normalized, known) = hit.unwrap_or_else(|| (Arc::from(normalize_label(raw)), None));
        let learned = known.is_none() && matched;
        let matches = match known {
            Some(m) => Some(m),
            None if matched => Some(self.normalized_label_matches(&normalized).0),
            None => None,
        };
        // Remembered when new: the label, or the patterns a value row asked for.
        if cached && (fresh || learned) {
            self.row_cache
                .put(raw.to_string(), &(normalized.clone(), matches.clone()));
        }
        (normalized, matches.filter(|_| matched).map(LabelMatches))
    }

    /// [`Self::label_matches`] of a label [`normalize_label`] already
    /// normalized.
    pub fn normalized_label_matches(&self, normalized: &str) -> LabelMatches {
        if let Some(m) = self.label_cache.get(normalized) {
            return LabelMatches(m);
        }
        let set = self.label_set.get_or_init(|| {
            regex::RegexSetBuilder::new(
                self.label_owner
                    .iter()
                    .map(|&(ci, li)| whole_lowercase(&self.concepts[ci].labels[li].pattern)),
            )
            .build()
            .ok()
        });
        let matches: Arc<[usize]> = match set {
            Some(set) => set.matches(normalized).into_iter().collect(),
            None => (0..self.label_owner.len())
                .filter(|&i| {
                    let (ci, li) = self.label_owner[i];
                    self.concepts[ci].labels[li].is_match(normalized)
                })
                .collect(),
        };
        self.label_cache.put(normalized.to_string(), &matches);
        LabelMatches(matches)
    }

    /// The concept of a row whose label made `matches`, given the rows
    /// around it: the first concept in file order with a matching pattern
    /// whose position (`between`) holds; its first matching pattern gives the
    /// polarity.
    pub fn resolve(
        &self,
        matches: &LabelMatches,
        ctx: &RowContext<'_>,
    ) -> Option<(ConceptId, Polarity)> {
        matches.0.iter().find_map(|&i| {
            let (ci, li) = self.label_owner[i];
            let c = &self.concepts[ci];
            if let Some((above, below)) = &c.between
                && !(ctx.above.contains(above) && ctx.below.contains(below))
            {
                return None;
            }
            Some((c.id, c.labels[li].polarity))
        })
    }

    /// The concept a narrative phrase (`net sales`) names; the whole
    /// normalized phrase must match.
    pub fn match_narrative(&self, phrase: &str) -> Option<ConceptId> {
        if let Some(found) = self.narrative_cache.get(phrase) {
            return found;
        }
        let found = self.match_narrative_uncached(phrase);
        self.narrative_cache.put(phrase.to_string(), &found);
        found
    }

    fn match_narrative_uncached(&self, phrase: &str) -> Option<ConceptId> {
        let set = self.narrative_set.get_or_init(|| {
            let (patterns, owners): (Vec<String>, Vec<usize>) = self
                .concepts
                .iter()
                .enumerate()
                .flat_map(|(ci, c)| c.narrative.iter().map(move |p| (whole_lowercase(p), ci)))
                .unzip();
            regex::RegexSetBuilder::new(patterns)
                .build()
                .ok()
                .map(|set| (set, owners))
        });
        let find = |normalized: &str| {
            let ci = match set {
                Some((set, owners)) => set.matches(normalized).iter().next().map(|i| owners[i]),
                None => self.concepts.iter().position(|c| {
                    c.narrative.iter().any(|p| {
                        compile(&format!("^(?:{p})$")).is_ok_and(|r| r.is_match(normalized))
                    })
                }),
            };
            ci.map(|ci| self.concepts[ci].id)
        };
        let normalized = normalize_label(phrase);
        find(&normalized).or_else(|| {
            // `record revenue`, `GAAP net income`, `net quarterly profit`:
            // words that qualify the figure without changing what it is.
            // (`non-GAAP` does change it, and is kept.)
            let plain: Vec<&str> = normalized
                .split(' ')
                .filter(|w| !matches!(*w, "record" | "gaap" | "reported" | "quarterly"))
                .collect();
            let plain = plain.join(" ");
            (plain != normalized
                && !plain.is_empty()
                && !normalized.contains("non-gaap")
                && !normalized.contains("non gaap"))
            .then(|| find(&plain))
            .flatten()
        })
    }

    /// A case-insensitive regex finding any of `id`'s narrative phrases in
    /// prose (word-bounded), for the narrative checker.
    pub fn narrative_regex(&self, id: &ConceptId) -> Option<&Regex> {
        let c = self.get(id)?;
        c.narrative_search
            .get_or_init(|| {
                (!c.narrative.is_empty())
                    .then(|| compile(&format!(r"\b(?:{})\b", c.narrative.join("|"))).ok())
                    .flatten()
            })
            .as_ref()
    }

    pub fn get(&self, id: &ConceptId) -> Option<&Concept> {
        self.get_str(id.as_str())
    }

    pub fn get_str(&self, id: &str) -> Option<&Concept> {
        self.index.get(id).map(|&i| &self.concepts[i])
    }

    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    pub fn unit(&self, id: &ConceptId) -> Option<Unit> {
        self.get(id).map(|c| c.unit)
    }

    /// Whether `id`'s term may take either sign in assertions.
    pub fn sign_either(&self, id: ConceptId) -> bool {
        self.either.contains(&id)
    }

    /// All concepts in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Concept> {
        self.concepts.iter()
    }

    /// The concepts positional concepts (`between`) name, each pair in
    /// turn, in file order.
    pub fn positional(&self) -> &[ConceptId] {
        &self.positional
    }

    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }
}

/// Normalizes a row label for matching: lowercase, whitespace collapsed,
/// curly quotes and dashes made plain, trailing footnote markers (`(a)`,
/// `(12)`, `*`) and a trailing `:` removed.
/// A pattern matched against the whole of a normalized (lowercase) text,
/// with the same matches as the pattern matched case-insensitively: a
/// pattern without an uppercase letter needs no case folding (a lowercase
/// text has no uppercase letter for it to fold), and compiling without it
/// halves the cost of building the dictionary's sets, where every letter
/// would become a class of its cases. A pattern with one keeps the flag.
fn whole_lowercase(pattern: &str) -> String {
    if pattern.chars().any(char::is_uppercase) {
        format!("^(?i:{pattern})$")
    } else {
        format!("^(?:{pattern})$")
    }
}

pub fn normalize_label(label: &str) -> String {
    let mut s = if label.is_ascii() {
        // One pass: lowercase, `\`` made a quote, blank runs (those of
        // `split_whitespace`, vertical tab included) made one space.
        let mut out = Vec::with_capacity(label.len());
        let mut space = false;
        for &c in label.as_bytes() {
            if matches!(c, b' ' | b'\t'..=b'\r') {
                space = !out.is_empty();
                continue;
            }
            if space {
                out.push(b' ');
                space = false;
            }
            out.push(if c == b'`' {
                b'\''
            } else {
                c.to_ascii_lowercase()
            });
        }
        String::from_utf8(out).unwrap_or_default()
    } else {
        let mapped: String = label
            .chars()
            .map(|c| match c {
                '\u{2018}' | '\u{2019}' | '\u{201B}' | '`' => '\'',
                '\u{201C}' | '\u{201D}' => '"',
                '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' => '-',
                c => c,
            })
            .collect::<String>()
            .to_lowercase();
        mapped.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    loop {
        let before = s.len();
        let t = s
            .trim_end()
            .trim_end_matches(':')
            .trim_end_matches('*')
            .trim_end();
        let mut len = t.len();
        if let Some(open) = t.rfind('(')
            && t.ends_with(')')
        {
            let inner = &t[open + 1..t.len() - 1];
            let marker = (inner.len() == 1 && inner.chars().all(|c| c.is_ascii_alphabetic()))
                || (!inner.is_empty()
                    && inner.len() <= 2
                    && inner.chars().all(|c| c.is_ascii_digit()));
            if marker {
                len = open;
            }
        }
        s.truncate(len);
        if s.len() == before {
            return s;
        }
    }
}

fn is_concept_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Checks a pattern's syntax as [`compile`] reads it, without building the
/// automaton (the dictionary's patterns are matched through one set): the
/// parse, then the translation of the few patterns that name a Unicode
/// class or flag, the only ones translation can refuse.
fn validate(pattern: &str) -> Result<(), String> {
    regex_syntax::ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    if pattern.contains("\\p") || pattern.contains("\\P") || pattern.contains("(?") {
        regex_syntax::ParserBuilder::new()
            .build()
            .parse(pattern)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn compile(pattern: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .map_err(|e| e.to_string())
}

fn bad_pattern(
    src: &str,
    name: &str,
    loc: &serde_saphyr::Location,
    pattern: &str,
    msg: String,
) -> LoadError {
    LoadError::new(
        LoadErrorKind::BadPattern,
        format!(
            "invalid label pattern: {}",
            msg.lines().last().unwrap_or("").trim()
        ),
        src,
        name,
    )
    .with_label(located_span(src, loc, pattern), "this regex")
}

// ---------------------------------------------------------------------------
// YAML schema

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDictionary {
    concepts: OrderedMap<RawConcept>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    unit: Unit,
    #[serde(default)]
    labels: Vec<Spanned<RawLabel>>,
    #[serde(default)]
    narrative: Vec<Spanned<String>>,
    #[serde(default)]
    polarity: Option<Polarity>,
    #[serde(default)]
    sign: Option<SignConvention>,
    #[serde(default)]
    between: Option<Spanned<(String, String)>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawLabel {
    Pattern(String),
    Full {
        pattern: String,
        #[serde(default)]
        polarity: Option<Polarity>,
    },
}

/// A YAML mapping kept in file order, keys with their locations.
pub(crate) struct OrderedMap<V>(pub(crate) Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V_<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V_<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<Spanned<String>, V>()? {
                    out.push((k, v));
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_map(V_(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `normalize_label` as first written (char by char, a copy per trim).
    fn normalize_by_chars(label: &str) -> String {
        let mapped: String = label
            .chars()
            .map(|c| match c {
                '\u{2018}' | '\u{2019}' | '\u{201B}' | '`' => '\'',
                '\u{201C}' | '\u{201D}' => '"',
                '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' => '-',
                c => c,
            })
            .collect::<String>()
            .to_lowercase();
        let mut s = mapped.split_whitespace().collect::<Vec<_>>().join(" ");
        loop {
            let before = s.len();
            s = s
                .trim_end()
                .trim_end_matches(':')
                .trim_end_matches('*')
                .trim_end()
                .to_string();
            if let Some(open) = s.rfind('(')
                && s.ends_with(')')
            {
                let inner = &s[open + 1..s.len() - 1];
                let marker = (inner.len() == 1 && inner.chars().all(|c| c.is_ascii_alphabetic()))
                    || (!inner.is_empty()
                        && inner.len() <= 2
                        && inner.chars().all(|c| c.is_ascii_digit()));
                if marker {
                    s.truncate(open);
                }
            }
            if s.len() == before {
                return s;
            }
        }
    }

    proptest! {
        #[test]
        fn normalize_matches_the_char_by_char_reading(
            label in "([A-Za-z]{1,5}|[ \t\n\x0b\x0c\r]|\\(|\\)|[a1]|12|:|\\*|`|\u{2019}|\u{2013}|\u{c9}|\u{a0}){0,14}"
        ) {
            prop_assert_eq!(normalize_label(&label), normalize_by_chars(&label));
        }
    }

    #[test]
    fn labels_normalize() {
        assert_eq!(normalize_label("  Net  Loss (a):"), "net loss");
        assert_eq!(normalize_label("Total assets*  (12)"), "total assets");
        assert_eq!(
            normalize_label("Shareholders` equity"),
            "shareholders' equity"
        );
        assert_eq!(normalize_label("Net\x0bsales"), "net sales");
        assert_eq!(normalize_label("Cost \u{2013} Goods"), "cost - goods");
    }

    /// `match_label_in` as first written: concept by concept, pattern by
    /// pattern.
    fn match_by_concepts(
        dict: &ConceptDictionary,
        label: &str,
        ctx: &RowContext<'_>,
    ) -> Option<(ConceptId, Polarity)> {
        let normalized = normalize_label(label);
        dict.concepts.iter().find_map(|c| {
            if let Some((above, below)) = &c.between
                && !(ctx.above.contains(above) && ctx.below.contains(below))
            {
                return None;
            }
            c.labels
                .iter()
                .find(|p| p.is_match(&normalized))
                .map(|p| (c.id, p.polarity))
        })
    }

    /// A row label read through the row cache is the label normalized and
    /// matched afresh, whether it was first met as a heading (not matched)
    /// or as a value row, and however often it returns.
    #[test]
    fn row_labels_cached_as_printed_agree_with_fresh_ones() {
        let dict = ConceptDictionary::default_dictionary();
        let labels = [
            "Net  sales (a)",
            "Total current assets:",
            "Stockholders\u{2019} equity",
            "Basic",
            "Some heading nobody names",
        ];
        for (k, raw) in labels.iter().enumerate() {
            let want = normalize_label(raw);
            let fresh = dict.label_matches(raw).0;
            // Heading first for some labels, value row first for others.
            let order = if k % 2 == 0 {
                [false, true, true]
            } else {
                [true, false, true]
            };
            for matched in order {
                let (n, m) = dict.row_label(raw, matched);
                assert_eq!(&*n, want.as_str(), "{raw}");
                assert_eq!(m.map(|m| m.0), matched.then(|| fresh.clone()), "{raw}");
            }
        }
        let long = "x".repeat(300);
        assert_eq!(&*dict.row_label(&long, true).0, long.as_str());
    }

    /// The pattern set and the patterns tried one by one choose the same
    /// concept for every row label of the bundled corpus, alone and between
    /// any two concepts.
    #[test]
    fn pattern_set_agrees_with_patterns_one_by_one() {
        let dict = ConceptDictionary::default_dictionary();
        let mut one_by_one = dict.clone();
        one_by_one.label_set = OnceLock::from(None);
        dict.label_matches("Net sales");
        assert!(dict.label_set.get().is_some_and(Option::is_some));
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut labels = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                let doc = crate::parse::parse(&std::fs::read(&p).unwrap());
                for ex in &doc.exhibits {
                    for t in ex.tables() {
                        labels.extend(t.rows.iter().map(|r| r.label.clone()));
                    }
                }
            }
        }
        assert!(labels.len() > 100);
        let ids: Vec<ConceptId> = dict.iter().map(|c| c.id).collect();
        let mut matched = 0;
        for label in &labels {
            let a = dict.label_matches(label);
            let b = one_by_one.label_matches(label);
            assert_eq!(a.0, b.0, "{label}");
            let plain = dict.resolve(&a, &RowContext::default());
            matched += usize::from(plain.is_some());
            assert_eq!(plain, dict.match_label(label));
            assert_eq!(
                plain,
                match_by_concepts(&dict, label, &RowContext::default())
            );
            for above in &ids {
                let ctx = RowContext {
                    above: std::slice::from_ref(above),
                    below: &ids,
                };
                let chosen = dict.resolve(&a, &ctx);
                assert_eq!(chosen, one_by_one.resolve(&b, &ctx));
                assert_eq!(chosen, match_by_concepts(&dict, label, &ctx), "{label}");
            }
        }
        assert!(matched * 2 > labels.len(), "{matched} of {}", labels.len());
    }

    /// Ids of one name, however made, are one interned pointer; ids of
    /// different names are not equal.
    #[test]
    fn ids_of_a_name_are_one_pointer() {
        let dict = ConceptDictionary::default_dictionary();
        let revenue = dict.iter().find(|c| c.id.as_str() == "revenue").unwrap().id;
        let made = ConceptId::from(String::from("revenue").as_str());
        assert!(std::ptr::eq(revenue.as_str(), made.as_str()));
        assert_eq!(revenue, made);
        let other = ConceptId::from("net_income");
        assert_ne!(revenue, other);
        assert!(std::ptr::eq(intern("revenue"), revenue.as_str()));
    }

    /// The caches are per thread: threads matching the same labels against
    /// one dictionary at once each get the answers a fresh dictionary gives
    /// (and fill their own cache, not the other's).
    #[test]
    fn caches_answer_alike_on_every_thread() {
        let dict = ConceptDictionary::default_dictionary();
        let labels = [
            "Total revenue",
            "Net income (loss)",
            "Total liabilities and stockholders' equity",
            "Cost of revenue",
            "Basic",
            "Something no pattern names",
        ];
        let fresh = |label: &str| {
            let d = ConceptDictionary::default_dictionary();
            (
                d.row_label(label, true).0,
                d.match_label(label),
                d.match_narrative(&label.to_lowercase()),
            )
        };
        let expected: Vec<_> = labels.iter().map(|l| fresh(l)).collect();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for round in 0..3 {
                        for (label, want) in labels.iter().zip(&expected) {
                            let got = (
                                dict.row_label(label, true).0,
                                dict.match_label(label),
                                dict.match_narrative(&label.to_lowercase()),
                            );
                            assert_eq!(&got, want, "{label}, round {round}");
                        }
                    }
                });
            }
        });
        // This thread never asked: its cache is empty.
        assert!(dict.row_cache.0.get().is_none_or(|m| m.borrow().is_empty()));
    }
}
