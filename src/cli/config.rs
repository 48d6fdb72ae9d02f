//! `tieout.yaml`: project configuration for `tieout check`.
//!
//! ```yaml
//! rules: [house-rules/]              # extra rule files or folders
//! disable: [narrative-unverifiable]  # rule ids switched off everywhere
//! severity: {eps-mismatch: warning}  # severity per rule id
//! tolerance:                         # tolerance per rule id
//!   total-does-not-foot: {absolute: "1"}
//! exclude: ["archive/**"]            # never walked
//! respect-gitignore: true            # walks skip what .gitignore ignores
//! overrides:                         # per-path settings, later wins
//!   - paths: ["drafts/**"]
//!     severity: {total-does-not-foot: warning}
//!     disable: [cross-table-mismatch]
//! ```
//!
//! Every key is checked: an unknown key, an unknown rule id or a bad glob is
//! an error with a label on the offending text (exit code 2). Paths and
//! globs are relative to the folder holding the config file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::diag::{FileError, closest};
use super::paths::{PathGlobs, real_dir};
use crate::finding::{Finding, Severity};
use crate::rules::{Rule, RuleKind, RulePack, Tolerance};

/// The config file's name, looked for in the checked paths' folders and
/// their parents.
pub const CONFIG_FILE: &str = "tieout.yaml";

/// What `tieout init` writes: every setting, commented out, with what it
/// does. Paths and globs are relative to the folder of this file.
pub const INIT_TEMPLATE: &str = "\
# tieout.yaml: settings for `tieout check` in this folder and below.
# Every key is optional; an unknown key or rule id is an error.
# `tieout rules` lists the rule ids; `tieout explain ID` explains one.

# Extra rule files or folders (YAML, as in the default pack).
# rules: [house-rules/]

# Rule ids switched off everywhere.
# disable: [narrative-unverifiable]

# Severity per rule id: error, warning or note.
# severity:
#   eps-mismatch: warning

# Tolerance per rule id (rules of kind `assert` only).
# tolerance:
#   balance-sheet-out-of-balance: {absolute: \"1\"}

# Files a folder walk never reads (files named on the command line are
# always read).
# exclude: [\"archive/**\"]

# A folder walk leaves out what .gitignore files ignore (default: true).
# respect-gitignore: true

# Settings for some paths only; a later entry wins.
# overrides:
#   - paths: [\"drafts/**\"]
#     severity: {total-does-not-foot: warning}
#     disable: [cross-table-mismatch]
";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: Vec<Spanned<String>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    severity: HashMap<Spanned<String>, Severity>,
    #[serde(default)]
    tolerance: HashMap<Spanned<String>, Tolerance>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default = "yes", rename = "respect-gitignore")]
    respect_gitignore: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    severity: HashMap<Spanned<String>, Severity>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
}

/// A loaded `tieout.yaml`.
#[derive(Debug)]
pub struct Config {
    /// The file as found or given.
    pub path: PathBuf,
    /// Its folder, absolute and resolved: the base of every path and glob.
    pub dir: PathBuf,
    src: String,
    name: String,
    /// Extra rule paths, resolved against `dir`, with where they were written.
    rules: Vec<(PathBuf, Spanned<String>)>,
    disable: Vec<Spanned<String>>,
    severity: Vec<(Spanned<String>, Severity)>,
    tolerance: Vec<(Spanned<String>, Tolerance)>,
    exclude: Option<PathGlobs>,
    overrides: Vec<Override>,
    respect_gitignore: bool,
}

impl Default for RawConfig {
    fn default() -> Self {
        RawConfig {
            rules: Vec::new(),
            disable: Vec::new(),
            severity: HashMap::new(),
            tolerance: HashMap::new(),
            exclude: Vec::new(),
            overrides: Vec::new(),
            respect_gitignore: true,
        }
    }
}

#[derive(Debug)]
struct Override {
    paths: PathGlobs,
    severity: Vec<(Spanned<String>, Severity)>,
    disable: Vec<Spanned<String>>,
}

/// Map entries in file order, so errors and results never depend on hashing.
fn in_file_order<V>(map: HashMap<Spanned<String>, V>) -> Vec<(Spanned<String>, V)> {
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort_by_key(|(k, _)| k.referenced.span().byte_offset());
    v
}

impl Config {
    /// `tieout.yaml` in `start` (an absolute folder) or the nearest parent
    /// that has one.
    pub fn discover_absolute(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|d| d.join(CONFIG_FILE))
            .find(|c| c.is_file())
    }

    /// Whether a folder walk leaves out what `.gitignore` files ignore
    /// (`respect-gitignore`, true by default).
    pub fn respects_gitignore(&self) -> bool {
        self.respect_gitignore
    }

    /// Reads and parses the file at `path`; `cwd` resolves a relative path.
    pub fn load(path: &Path, cwd: &Path) -> Result<Config, FileError> {
        let name = path.display().to_string();
        let src = crate::rules::load::read_limited(path, crate::rules::load::MAX_RULE_FILE)
            .map_err(|e| FileError::io("tieout::config::io", format!("cannot read {name}: {e}")))?;
        Config::parse(&src, &name, path.to_path_buf(), real_dir(path, cwd))
    }

    /// Parses config text; `dir` is the folder paths are relative to.
    pub fn parse(src: &str, name: &str, path: PathBuf, dir: PathBuf) -> Result<Config, FileError> {
        let raw: RawConfig = if is_blank_yaml(src) {
            RawConfig::default()
        } else {
            serde_saphyr::from_str(src)
                .map_err(|e| FileError::yaml("tieout::config", &e, src, name))?
        };
        let err = |code: &str, msg: String| {
            FileError::new(&format!("tieout::config::{code}"), msg, src, name)
        };
        let globs = |list: &[Spanned<String>]| -> Result<PathGlobs, FileError> {
            PathGlobs::new(list.iter().map(|s| s.value.as_str())).map_err(|(i, e)| {
                let bad = &list[i.min(list.len().saturating_sub(1))];
                err("bad-glob", format!("invalid glob `{}`", bad.value)).with_label_at(
                    &bad.referenced,
                    &bad.value,
                    e.kind().to_string(),
                )
            })
        };
        let mut rules = Vec::new();
        for r in raw.rules {
            let resolved = dir.join(&r.value);
            if !resolved.exists() {
                return Err(err(
                    "rules-not-found",
                    format!("rule path `{}` does not exist", r.value),
                )
                .with_label_at(&r.referenced, &r.value, "no such file or folder")
                .with_help(format!(
                    "paths under `rules:` are relative to the folder of {name}"
                )));
            }
            rules.push((resolved, r));
        }
        let exclude = if raw.exclude.is_empty() {
            None
        } else {
            Some(globs(&raw.exclude)?)
        };
        let mut overrides = Vec::new();
        for o in raw.overrides {
            overrides.push(Override {
                paths: globs(&o.paths)?,
                severity: in_file_order(o.severity),
                disable: o.disable,
            });
        }
        Ok(Config {
            path,
            dir,
            src: src.to_owned(),
            name: name.to_owned(),
            rules,
            disable: raw.disable,
            severity: in_file_order(raw.severity),
            tolerance: in_file_order(raw.tolerance),
            exclude,
            overrides,
            respect_gitignore: raw.respect_gitignore,
        })
    }

    /// Loads the config's extra rules into `pack`.
    pub fn load_rules(&self, pack: &mut RulePack) -> Result<(), miette::Report> {
        for (path, _) in &self.rules {
            pack.load_path(path).map_err(miette::Report::new)?;
        }
        Ok(())
    }

    /// Checks every rule id against `pack`, then applies the global
    /// `severity` and `tolerance` settings to its rules.
    pub fn apply_to_pack(&self, pack: &mut RulePack) -> Result<(), FileError> {
        let mentioned = self
            .disable
            .iter()
            .chain(self.severity.iter().map(|(k, _)| k))
            .chain(self.tolerance.iter().map(|(k, _)| k))
            .chain(
                self.overrides
                    .iter()
                    .flat_map(|o| o.disable.iter().chain(o.severity.iter().map(|(k, _)| k))),
            );
        let mut unknown: Vec<&Spanned<String>> = mentioned
            .filter(|id| pack.get(&id.value).is_none())
            .collect();
        unknown.sort_by_key(|id| id.referenced.span().byte_offset());
        if let Some(id) = unknown.first() {
            let mut e = FileError::new(
                "tieout::config::unknown-rule",
                format!("unknown rule id `{}`", id.value),
                &self.src,
                &self.name,
            )
            .with_label_at(&id.referenced, &id.value, "no rule has this id");
            e = match closest(&id.value, pack.rules().iter().map(|r| r.id.as_str())) {
                Some(best) => e.with_help(format!("did you mean `{best}`?")),
                None => e.with_help("`tieout rules` lists the rule ids"),
            };
            return Err(e);
        }
        // The engine applies a rule's tolerance to assertions only; footing,
        // cross-table, year-to-date and narrative checks have their own
        // rounding rules. Refuse a setting that would do nothing.
        for (id, _) in &self.tolerance {
            if let Some(rule) = pack.get(&id.value)
                && rule.kind != RuleKind::Assert
            {
                return Err(FileError::new(
                    "tieout::config::tolerance-not-used",
                    format!(
                        "rule `{}` has kind `{}`, which does not use a tolerance",
                        id.value,
                        rule.kind.as_str()
                    ),
                    &self.src,
                    &self.name,
                )
                .with_label_at(&id.referenced, &id.value, "tolerance has no effect here")
                .with_help(
                    "only rules of kind `assert` take a tolerance (see `tieout explain <id>`); \
                     footing, cross-table, ytd-contains and narrative rules allow for rounding \
                     from the printed precision",
                ));
            }
        }
        let mut changes: Vec<(String, Option<Severity>, Option<Tolerance>)> = Vec::new();
        for (id, sev) in &self.severity {
            changes.push((id.value.clone(), Some(*sev), None));
        }
        for (id, tol) in &self.tolerance {
            match changes.iter_mut().find(|c| c.0 == id.value) {
                Some(c) => c.2 = Some(*tol),
                None => changes.push((id.value.clone(), None, Some(*tol))),
            }
        }
        for (id, sev, tol) in changes {
            let Some(rule) = pack.get(&id).cloned() else {
                continue;
            };
            let mut changed = rule;
            if let Some(s) = sev {
                changed.severity = s;
            }
            if let Some(t) = tol {
                changed.tolerance = t;
            }
            replace_rule(pack, &changed).map_err(|e| {
                FileError::new(
                    "tieout::config::internal",
                    format!("cannot apply the settings of rule `{id}`: {e}"),
                    &self.src,
                    &self.name,
                )
            })?;
        }
        Ok(())
    }

    /// Rule ids disabled everywhere.
    pub fn disabled(&self) -> impl Iterator<Item = &str> {
        self.disable.iter().map(|s| s.value.as_str())
    }

    /// Whether a walked file (by its key relative to [`Config::dir`]) is
    /// excluded.
    pub fn excludes(&self, key: &str) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.matches(key))
    }

    /// Applies `disable` and the overrides matching `key` (a project key
    /// relative to [`Config::dir`]) to one file's findings.
    pub fn apply_to_findings(&self, key: &str, findings: &mut Vec<Finding>) {
        let mut disabled: Vec<&str> = self.disabled().collect();
        let mut severity: Vec<(&str, Severity)> = Vec::new();
        for o in self.overrides.iter().filter(|o| o.paths.matches(key)) {
            disabled.extend(o.disable.iter().map(|s| s.value.as_str()));
            for (id, s) in &o.severity {
                severity.retain(|(i, _)| *i != id.value);
                severity.push((&id.value, *s));
            }
        }
        findings.retain(|f| !disabled.contains(&f.rule.as_str()));
        for f in findings.iter_mut() {
            if let Some((_, s)) = severity.iter().find(|(id, _)| *id == f.rule) {
                f.severity = *s;
            }
        }
    }
}

/// Whether a YAML document has no content (empty, or only comments).
pub(crate) fn is_blank_yaml(src: &str) -> bool {
    src.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    })
}

/// Replaces `rule` in `pack` (by id) through the rule loader, so the
/// replacement is validated like any rule file. The rule is written as a
/// JSON document, which is YAML.
fn replace_rule(pack: &mut RulePack, rule: &Rule) -> Result<(), crate::rules::LoadError> {
    let mut r = serde_json::json!({
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "kind": rule.kind.as_str(),
        "scope": rule.scope.as_str(),
        "tolerance": rule.tolerance,
        "help": rule.help,
        "docs": {
            "checks": rule.docs.checks,
            "why": rule.docs.why,
            "example": rule.docs.example,
        },
    });
    if let Some(a) = &rule.assert_src {
        r["assert"] = a.clone().into();
    }
    if !rule.concepts.is_empty() {
        r["concepts"] = rule.concepts.clone().into();
    }
    let doc = serde_json::json!({ "rules": [r] });
    pack.load_str(&doc.to_string(), &rule.source)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Config, FileError> {
        Config::parse(src, "tieout.yaml", "tieout.yaml".into(), "/proj".into())
    }

    #[test]
    fn unknown_keys_point_at_the_key() {
        let e = parse("disable: []\nseverity_: {}\n").unwrap_err();
        assert_eq!(e.code_str(), "tieout::config::unknown-key");
        assert_eq!(
            e.labelled_text().map(|t| t.trim_end_matches(':')),
            Some("severity_")
        );
    }

    #[test]
    fn unknown_rule_ids_point_at_the_id_even_as_map_keys() {
        let mut pack = RulePack::default_pack();
        let c = parse("severity:\n  total-does-not-fot: warning\n").unwrap();
        let e = c.apply_to_pack(&mut pack).unwrap_err();
        assert_eq!(e.code_str(), "tieout::config::unknown-rule");
        assert_eq!(e.labelled_text(), Some("total-does-not-fot"));
        let c = parse("overrides:\n  - paths: [a/**]\n    disable: [nope-rule]\n").unwrap();
        let e = c.apply_to_pack(&mut pack).unwrap_err();
        assert_eq!(e.labelled_text(), Some("nope-rule"));
    }

    #[test]
    fn severity_and_tolerance_change_the_pack() {
        let mut pack = RulePack::default_pack();
        let c = parse(
            "severity: {total-does-not-foot: note}\n\
             tolerance:\n  gross-profit-mismatch: {absolute: \"150\"}\n  eps-mismatch: {relative: \"0.01\"}\n",
        )
        .unwrap();
        c.apply_to_pack(&mut pack).unwrap();
        assert_eq!(
            pack.get("total-does-not-foot").unwrap().severity,
            Severity::Note
        );
        let r = pack.get("gross-profit-mismatch").unwrap();
        assert_eq!(r.tolerance, Tolerance::Absolute("150".parse().unwrap()));
        assert_eq!(r.severity, Severity::Error);
        assert_eq!(
            pack.get("eps-mismatch").unwrap().tolerance,
            Tolerance::Relative("0.01".parse().unwrap())
        );
    }

    #[test]
    fn tolerance_on_a_rule_that_ignores_it_is_an_error() {
        let mut pack = RulePack::default_pack();
        let c = parse("tolerance:\n  total-does-not-foot: rounding\n").unwrap();
        let e = c.apply_to_pack(&mut pack).unwrap_err();
        assert_eq!(e.code_str(), "tieout::config::tolerance-not-used");
        assert_eq!(e.labelled_text(), Some("total-does-not-foot"));
    }

    #[test]
    fn blank_config_is_fine() {
        assert!(parse("# nothing yet\n").is_ok());
        assert!(parse("").is_ok());
    }
}
