//! `--prior` and `--pair`: the earlier releases a check compares each
//! release's comparative figures with ([`crate::prior`]).
//!
//! `--prior FILE` names earlier releases outright. `--pair` reads every
//! release of the sweep once before the check, keeping each one's figures
//! for its own latest period under its company's names; a release is then
//! compared with the releases of the same company that first printed its
//! comparative periods. A company is named by a `--companies` file (globs
//! per company) where one matches the release, else by the release itself
//! (its ticker and its name in the lead; see [`crate::prior::company_keys`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::check_cmd::Input;
use super::diag::FileError;
use super::paths::{PathGlobs, project_key, real_dir};
use crate::ast::Document;
use crate::finding::Finding;
use crate::prior::PriorIndex;
use crate::rules::RulePack;

/// A `--companies` file: which releases belong to which company.
///
/// ```yaml
/// companies:
///   harbor-lantern: ["filings/harbor/**", "archive/HLSY-*.txt"]
///   acme: ["filings/acme/**"]
/// ```
///
/// Globs are matched like `tieout.yaml`'s `exclude`: relative to the
/// file's folder, a glob without `/` against the file name.
pub struct CompanyMap {
    dir: PathBuf,
    companies: Vec<(Arc<str>, PathGlobs)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMap {
    companies: BTreeMap<String, Vec<Spanned<String>>>,
}

impl CompanyMap {
    pub fn load(path: &Path, cwd: &Path) -> Result<CompanyMap, FileError> {
        let name = path.display().to_string();
        let src = crate::rules::load::read_limited(path, crate::rules::load::MAX_RULE_FILE)
            .map_err(|e| {
                FileError::io("tieout::companies::io", format!("cannot read {name}: {e}"))
            })?;
        let raw: RawMap = serde_saphyr::from_str(&src)
            .map_err(|e| FileError::yaml("tieout::companies", &e, &src, &name))?;
        let mut companies = Vec::new();
        for (company, globs) in raw.companies {
            let set =
                PathGlobs::new(globs.iter().map(|g| g.value.as_str())).map_err(|(i, e)| {
                    let bad = &globs[i.min(globs.len().saturating_sub(1))];
                    FileError::new(
                        "tieout::companies::bad-glob",
                        format!("invalid glob `{}`", bad.value),
                        &src,
                        &name,
                    )
                    .with_label_at(
                        &bad.referenced,
                        &bad.value,
                        e.kind().to_string(),
                    )
                })?;
            companies.push((Arc::from(format!("map:{company}")), set));
        }
        Ok(CompanyMap {
            dir: real_dir(path, cwd),
            companies,
        })
    }

    /// The companies whose globs match the report path `path`.
    fn lookup(&self, path: &str, cwd: &Path) -> Vec<Arc<str>> {
        let key = project_key(&self.dir, path, cwd);
        self.companies
            .iter()
            .filter(|(_, globs)| globs.matches(&key))
            .map(|(c, _)| c.clone())
            .collect()
    }
}

/// The earlier releases a run compares with, and how to read them back
/// for the places of its findings' labels.
pub struct Pairing {
    pub index: PriorIndex,
    map: Option<CompanyMap>,
    /// Named earlier releases by report path (the sweep's own inputs are
    /// read through the run's list).
    named: FxHashMap<String, PathBuf>,
}

impl Pairing {
    /// `--prior FILE...`: every figure of each named release. A file that
    /// cannot be read or holds no release is a usage error.
    pub fn named(files: &[PathBuf], cwd: &Path, pack: &RulePack) -> Result<Pairing, String> {
        let mut index = PriorIndex::named();
        let mut named = FxHashMap::default();
        for f in files {
            let input = Input::File(f.clone());
            let path = input.path(cwd);
            let bytes = input
                .read()
                .map_err(|e| format!("--prior {}: {e}", f.display()))?;
            crate::parse::sniff(&bytes).map_err(|e| format!("--prior {}: {e}", f.display()))?;
            let doc = crate::parse::parse(&bytes);
            if index.add_release(&path, &doc, pack.concepts(), &[]) == 0 {
                return Err(format!(
                    "--prior {}: no dated table figure to compare with",
                    f.display()
                ));
            }
            named.insert(path, f.clone());
        }
        Ok(Pairing {
            index,
            map: None,
            named,
        })
    }

    /// `--pair`: each release's figures for its latest period, under its
    /// company's names, read on `pool`'s threads. A release that cannot
    /// be read is left out here (its own check reports it).
    pub fn sweep(
        pool: &rayon::ThreadPool,
        inputs: &[Input],
        cwd: &Path,
        pack: &RulePack,
        map: Option<CompanyMap>,
    ) -> Pairing {
        let index = pool.install(|| {
            inputs
                .par_iter()
                .filter(|i| !matches!(i, Input::Stdin(_) | Input::Broken { .. }))
                .fold(PriorIndex::sweep, |mut index, input| {
                    let path = input.path(cwd);
                    let Ok(bytes) = input.read() else {
                        return index;
                    };
                    if crate::parse::sniff(&bytes).is_err() {
                        return index;
                    }
                    // A release that breaks the reader is reported by its
                    // own check; here it only adds nothing.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let doc = crate::parse::parse(&bytes);
                        let keys = companies(map.as_ref(), &path, &doc, &bytes, cwd);
                        index.add_release(&path, &doc, pack.concepts(), &keys);
                    }));
                    index
                })
                .reduce(PriorIndex::sweep, |mut a, b| {
                    a.merge(b);
                    a
                })
        });
        Pairing {
            index,
            map,
            named: FxHashMap::default(),
        }
    }

    /// The company names of the release at report path `path`.
    pub fn companies(&self, path: &str, doc: &Document, bytes: &[u8], cwd: &Path) -> Vec<Arc<str>> {
        companies(self.map.as_ref(), path, doc, bytes, cwd)
    }

    /// Fills in where the findings' labels in other files lie, reading each
    /// file named once (a named release, or an input of the sweep).
    pub fn locate(&self, findings: &mut [Finding], inputs: &FxHashMap<String, &Input>) {
        let mut by_file: BTreeMap<String, Vec<&mut crate::finding::Elsewhere>> = BTreeMap::new();
        for e in findings.iter_mut().flat_map(|f| f.elsewhere.iter_mut()) {
            if e.place.is_none() {
                by_file.entry(e.path.clone()).or_default().push(e);
            }
        }
        for (path, mut labels) in by_file {
            let bytes = match (self.named.get(&path), inputs.get(&path)) {
                (Some(file), _) => std::fs::read(file).ok(),
                (None, Some(input)) if !matches!(input, Input::Stdin(_)) => input.read().ok(),
                _ => None,
            };
            if let Some(bytes) = bytes {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    crate::report::locate_elsewhere(&mut labels, &bytes);
                }));
            }
        }
    }
}

fn companies(
    map: Option<&CompanyMap>,
    path: &str,
    doc: &Document,
    bytes: &[u8],
    cwd: &Path,
) -> Vec<Arc<str>> {
    if let Some(m) = map {
        let named = m.lookup(path, cwd);
        if !named.is_empty() {
            return named;
        }
    }
    crate::prior::company_keys(doc, bytes)
}
