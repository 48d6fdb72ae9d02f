//! `tieout.ack.yaml`: acknowledged findings.
//!
//! ```yaml
//! acknowledgements:
//!   - rule: total-does-not-foot
//!     file: filings/acme-q3.txt
//!     hash: 3f0c2a9e51b7d864
//!     reason: "The issuer's own rounding; confirmed with IR on 2024-11-02."
//! ```
//!
//! `file` is relative to the folder of the acknowledgement file, with `/`
//! separators. `hash` is [`finding_hash`]: it depends on the rule and on the
//! text under the finding's labels, not on line numbers, so an
//! acknowledgement survives lines moving and lapses when the figures change.
//!
//! An acknowledgement that matches no finding in a file that was checked
//! becomes a `stale-acknowledgement` note on that file. One whose file does
//! not exist any more is reported on standard error; one whose file exists
//! but was not part of this run is left alone (a partial run cannot tell).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::config::is_blank_yaml;
use super::diag::{FileError, closest};
use super::paths::real_dir;
use crate::finding::{Finding, Severity};
use crate::report::FileReport;
use crate::rules::RulePack;

/// The acknowledgement file's name, looked for beside the config file.
pub const ACKS_FILE: &str = "tieout.ack.yaml";

/// The rule id of the note reported for an acknowledgement that matches
/// nothing.
pub const STALE_RULE: &str = "stale-acknowledgement";

/// How `tieout rules` lists [`STALE_RULE`]: id, severity, title, source.
pub const STALE_LISTING: (&str, &str, &str, &str) = (
    STALE_RULE,
    "note",
    "Acknowledgement matches no finding",
    "(built in: tieout.ack.yaml)",
);

/// `tieout explain stale-acknowledgement`, in the shape of a rule's.
pub fn stale_explain() -> String {
    format!(
        "{STALE_RULE} (note)
Acknowledgement matches no finding

kind: built in    scope: file
source: (built in: checks {ACKS_FILE} and --acks files)

What it checks:
  Every entry of the acknowledgement file names a finding (rule, file and
  a hash of the figures involved). An entry that matches no finding of
  its file in this run is reported once, with the reason it was given.

Why it matters:
  The figures changed or the problem was fixed since the finding was
  reviewed: the acknowledgement no longer says anything, and a new
  finding of the same rule in that file would not be covered by it.

Example:
  A total was acknowledged as footing off by 2 because of a known
  restatement; the release was corrected, the total foots, and the
  entry is now stale.

Help:
  Remove the entry, or acknowledge the current finding again
  (`tieout check --write-baseline FILE`). `--baseline FILE` never
  reports stale entries: a baseline records what was there, not what was
  reviewed.
"
    )
}

/// FNV-1a, 64 bits, over the rule id and then, for each label in order, a
/// NUL byte followed by the bytes of the file under the label. Release
/// text never contains NUL (such files are rejected as binary), so the
/// separator keeps `("12", "3")` and `("1", "23")` apart.
pub fn finding_hash(finding: &Finding, source: &[u8]) -> u64 {
    let mut h = crate::hash::Fnv1a::default();
    h.write(finding.rule.as_bytes());
    for label in &finding.labels {
        h.write_u8(0);
        h.write(label.span.slice(source));
    }
    h.finish()
}

/// [`finding_hash`] as written in the file: 16 lowercase hex digits.
pub fn hash_hex(finding: &Finding, source: &[u8]) -> String {
    format!("{:016x}", finding_hash(finding, source))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAcks {
    #[serde(default)]
    acknowledgements: Vec<RawAck>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAck {
    rule: Spanned<String>,
    file: Spanned<String>,
    hash: Spanned<String>,
    reason: Spanned<String>,
}

/// One acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ack {
    pub rule: String,
    /// Relative to the acknowledgement file's folder, `/` separators.
    pub file: String,
    pub hash: u64,
    pub reason: String,
}

/// A loaded acknowledgement file.
#[derive(Clone, Debug, Default)]
pub struct Acks {
    /// The file as found or given.
    pub path: PathBuf,
    /// Its folder, absolute and resolved: the base of every `file:`.
    pub dir: PathBuf,
    /// Acknowledgements by file key, in file order.
    by_file: BTreeMap<String, Vec<Ack>>,
}

/// The largest acknowledgement file tieout reads (an entry is about 200
/// bytes: some 150,000 acknowledgements).
pub const MAX_ACKS_FILE: u64 = 32 << 20;

impl Acks {
    /// Reads and parses the file at `path`, checking rule ids against `pack`.
    pub fn load(path: &Path, cwd: &Path, pack: &RulePack) -> Result<Acks, FileError> {
        let name = path.display().to_string();
        let src = crate::rules::load::read_limited(path, MAX_ACKS_FILE)
            .map_err(|e| FileError::io("tieout::acks::io", format!("cannot read {name}: {e}")))?;
        Acks::parse(&src, &name, path.to_path_buf(), real_dir(path, cwd), pack)
    }

    pub fn parse(
        src: &str,
        name: &str,
        path: PathBuf,
        dir: PathBuf,
        pack: &RulePack,
    ) -> Result<Acks, FileError> {
        let raw: RawAcks = if is_blank_yaml(src) {
            RawAcks::default()
        } else {
            serde_saphyr::from_str(src)
                .map_err(|e| FileError::yaml("tieout::acks", &e, src, name))?
        };
        let err = |code: &str, msg: String| {
            FileError::new(&format!("tieout::acks::{code}"), msg, src, name)
        };
        let mut by_file: BTreeMap<String, Vec<Ack>> = BTreeMap::new();
        for a in raw.acknowledgements {
            if pack.get(&a.rule.value).is_none() {
                let mut e = err(
                    "unknown-rule",
                    format!("unknown rule id `{}`", a.rule.value),
                )
                .with_label_at(
                    &a.rule.referenced,
                    &a.rule.value,
                    "no rule has this id",
                );
                if let Some(best) =
                    closest(&a.rule.value, pack.rules().iter().map(|r| r.id.as_str()))
                {
                    e = e.with_help(format!("did you mean `{best}`?"));
                }
                return Err(e);
            }
            let hash = match (a.hash.value.len(), u64::from_str_radix(&a.hash.value, 16)) {
                (16, Ok(h)) => h,
                _ => {
                    return Err(err("bad-hash", format!("invalid hash `{}`", a.hash.value))
                        .with_label_at(&a.hash.referenced, &a.hash.value, "expected 16 hex digits")
                        .with_help(
                            "copy the hash from `tieout check --write-baseline`, \
                             or from an existing entry",
                        ));
                }
            };
            if a.reason.value.trim().is_empty() {
                return Err(
                    err("missing-reason", "an acknowledgement needs a reason".into())
                        .with_label_at(&a.reason.referenced, &a.reason.value, "empty reason")
                        .with_help("say why the finding is acceptable, for the next reviewer"),
                );
            }
            if a.file.value.trim().is_empty() {
                return Err(err("bad-file", "an acknowledgement needs a file".into())
                    .with_label_at(&a.file.referenced, &a.file.value, "empty path"));
            }
            let file = a.file.value.replace('\\', "/");
            let file = file.strip_prefix("./").unwrap_or(&file).to_owned();
            by_file.entry(file.clone()).or_default().push(Ack {
                rule: a.rule.value,
                file,
                hash,
                reason: a.reason.value,
            });
        }
        Ok(Acks { path, dir, by_file })
    }

    /// Every acknowledgement, by file then in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Ack> {
        self.by_file.values().flatten()
    }

    /// The acknowledgement covering a finding with this key and hash.
    pub fn find(&self, key: &str, rule: &str, hash: u64) -> Option<&Ack> {
        self.by_file
            .get(key)?
            .iter()
            .find(|a| a.rule == rule && a.hash == hash)
    }

    /// Marks the findings of `report` (known as `key`) that an
    /// acknowledgement covers, and adds a `stale-acknowledgement` note for
    /// each acknowledgement of this file that covers none. Files that could
    /// not be checked are left alone.
    pub fn apply(&self, key: &str, report: &mut FileReport) {
        let Some(acks) = self.by_file.get(key) else {
            return;
        };
        if report.status == crate::report::FileStatus::Error {
            return;
        }
        let mut used = vec![false; acks.len()];
        for f in &mut report.findings {
            let h = finding_hash(f, &report.source);
            if let Some(i) = acks.iter().position(|a| a.rule == f.rule && a.hash == h) {
                f.acknowledged = true;
                used[i] = true;
            }
        }
        let shown = self.path.display();
        for (ack, _) in acks.iter().zip(used).filter(|(_, u)| !u) {
            report.findings.push(Finding {
                rule: STALE_RULE.to_owned(),
                severity: Severity::Note,
                message: format!(
                    "The acknowledgement of {} {:016x} in {shown} matches no finding in {key} \
                     (the figures changed or the problem was fixed); its reason was: {}",
                    ack.rule, ack.hash, ack.reason
                ),
                help: Some(format!(
                    "Remove the entry from {shown}, or acknowledge the current finding again \
                     (`tieout check --write-baseline`)."
                )),
                url: None,
                labels: Vec::new(),
                acknowledged: false,
                difference: None,
                elsewhere: Vec::new(),
            });
        }
    }

    /// `--baseline`: removes the findings of `report` (known as `key`) that
    /// an entry lists, and returns how many. Entries that match nothing say
    /// nothing: a baseline records what was there, not what was reviewed.
    pub fn remove_listed(&self, key: &str, report: &mut FileReport) -> usize {
        let Some(acks) = self.by_file.get(key) else {
            return 0;
        };
        let before = report.findings.len();
        let source = &report.source;
        report.findings.retain(|f| {
            let h = finding_hash(f, source);
            !acks.iter().any(|a| a.rule == f.rule && a.hash == h)
        });
        before - report.findings.len()
    }

    /// Acknowledged files that do not exist (relative to [`Acks::dir`]).
    pub fn missing_files(&self) -> Vec<&str> {
        self.by_file
            .keys()
            .filter(|k| k.as_str() != "-" && !self.dir.join(k).exists())
            .map(String::as_str)
            .collect()
    }
}

/// The text of an acknowledgement file covering `entries` (sorted by file,
/// rule, hash; duplicates dropped), deterministic byte for byte.
pub fn baseline_text(entries: &[Ack]) -> String {
    let mut sorted: Vec<&Ack> = entries.iter().collect();
    sorted.sort_by(|a, b| (&a.file, &a.rule, a.hash).cmp(&(&b.file, &b.rule, b.hash)));
    sorted.dedup_by(|a, b| (&a.file, &a.rule, a.hash) == (&b.file, &b.rule, b.hash));
    let mut out = String::from(
        "# tieout acknowledgements: findings reviewed and accepted.\n\
         # `hash` covers the rule and the figures under the finding's labels; when the\n\
         # figures change the acknowledgement lapses. Replace \"baseline\" with a reason.\n",
    );
    if sorted.is_empty() {
        out.push_str("acknowledgements: []\n");
        return out;
    }
    out.push_str("acknowledgements:\n");
    for a in sorted {
        let _ = write!(
            out,
            "  - rule: {}\n    file: {}\n    hash: \"{:016x}\"\n    reason: {}\n",
            a.rule,
            quote(&a.file),
            a.hash,
            quote(&a.reason)
        );
    }
    out
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Label;
    use crate::span::Span;

    fn finding(rule: &str, spans: &[(usize, usize)]) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Error,
            message: String::new(),
            help: None,
            url: None,
            labels: spans
                .iter()
                .map(|&(o, l)| Label::new(Span::new(o, l), ""))
                .collect(),
            acknowledged: false,
            difference: None,
            elsewhere: Vec::new(),
        }
    }

    #[test]
    fn hash_follows_the_figures_not_the_positions() {
        let a = b"Total 1,250\nA 900\nB 340\n";
        let b = b"\n\nTotal 1,250\nA 900\nB 340\n";
        let fa = finding("total-does-not-foot", &[(6, 5), (14, 3), (20, 3)]);
        let fb = finding("total-does-not-foot", &[(8, 5), (16, 3), (22, 3)]);
        assert_eq!(finding_hash(&fa, a), finding_hash(&fb, b));
        let changed = b"Total 1,260\nA 900\nB 340\n";
        assert_ne!(finding_hash(&fa, a), finding_hash(&fa, changed));
        let other_rule = finding("cross-table-mismatch", &[(6, 5), (14, 3), (20, 3)]);
        assert_ne!(finding_hash(&fa, a), finding_hash(&other_rule, a));
        // Label boundaries count.
        let src = b"123";
        assert_ne!(
            finding_hash(&finding("r", &[(0, 2), (2, 1)]), src),
            finding_hash(&finding("r", &[(0, 1), (1, 2)]), src)
        );
    }

    #[test]
    fn fnv1a_reference_value() {
        // FNV-1a 64 of "a" is af63dc4c8601ec8c.
        let f = finding("a", &[]);
        assert_eq!(hash_hex(&f, b""), "af63dc4c8601ec8c");
    }

    #[test]
    fn baseline_round_trips() {
        let pack = RulePack::default_pack();
        let entries = vec![
            Ack {
                rule: "total-does-not-foot".into(),
                file: "b dir/x.txt".into(),
                hash: 0xabc,
                reason: "baseline".into(),
            },
            Ack {
                rule: "eps-mismatch".into(),
                file: "a.txt".into(),
                hash: 1,
                reason: "said \"ok\"\nby IR".into(),
            },
        ];
        let text = baseline_text(&entries);
        let acks = Acks::parse(&text, "b.yaml", "b.yaml".into(), "/p".into(), &pack).unwrap();
        let back: Vec<Ack> = acks.iter().cloned().collect();
        assert_eq!(back, vec![entries[1].clone(), entries[0].clone()]);
        assert_eq!(baseline_text(&back), text);
    }

    #[test]
    fn errors_point_into_the_file() {
        let pack = RulePack::default_pack();
        let parse = |s: &str| Acks::parse(s, "a.yaml", "a.yaml".into(), "/p".into(), &pack);
        let e = parse(
            "acknowledgements:\n  - rule: total-does-not-foot\n    file: a.txt\n    hash: \"0000000000000001\"\n",
        )
        .unwrap_err();
        assert_eq!(e.code_str(), "tieout::acks::syntax");
        assert!(e.to_string().contains("reason"), "{e}");
        let e = parse(
            "acknowledgements:\n  - rule: total-does-not-fooot\n    file: a.txt\n    hash: \"0000000000000001\"\n    reason: x\n",
        )
        .unwrap_err();
        assert_eq!(e.labelled_text(), Some("total-does-not-fooot"));
        let e = parse(
            "acknowledgements:\n  - rule: total-does-not-foot\n    file: a.txt\n    hash: xyz\n    reason: x\n",
        )
        .unwrap_err();
        assert_eq!(e.labelled_text(), Some("xyz"));
        let e = parse(
            "acknowledgements:\n  - rule: total-does-not-foot\n    file: a.txt\n    hash: \"0000000000000001\"\n    reason: \"\"\n",
        )
        .unwrap_err();
        assert_eq!(e.code_str(), "tieout::acks::missing-reason");
    }
}
