//! Paths relative to a project folder, and the globs matched against them.
//!
//! The config's globs and the acknowledgement file's `file:` entries are
//! written relative to the file they live in, with `/` separators, so they
//! mean the same whatever folder tieout is run from.

use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// `path` made absolute against `cwd` and cleaned of `.` and `..`
/// components without touching the file system.
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The folder a file lives in, absolute and with symbolic links resolved
/// (falling back to the lexical form when it cannot be resolved).
pub fn real_dir(file: &Path, cwd: &Path) -> PathBuf {
    let abs = absolute(file, cwd);
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or(abs);
    std::fs::canonicalize(&dir).unwrap_or(dir)
}

/// The key under which a checked file is known to a project rooted at
/// `base` (absolute, resolved): its path relative to `base` with `/`
/// separators (`filings/q3.txt`, or `../other/q3.txt` outside `base`).
/// When no relative path exists (another drive), the path as given with
/// `/` separators and no leading `./`. Standard input is `-`.
pub fn project_key(base: &Path, path: &str, cwd: &Path) -> String {
    if path == "-" {
        return "-".to_owned();
    }
    let abs = absolute(Path::new(path), cwd);
    // Resolve the folder (not the file: a symlinked file keeps its name).
    let resolved = match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or_else(|_| abs.clone()),
        _ => abs.clone(),
    };
    for candidate in [&resolved, &abs] {
        if let Ok(rel) = candidate.strip_prefix(base) {
            return slash(rel);
        }
    }
    if let Some(rel) = relative(base, &resolved) {
        return slash(&rel);
    }
    let given = path.replace('\\', "/");
    let mut s = given.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_owned()
}

/// How a checked file is named in every output format: the path as given
/// or walked, without `./` components, and relative to `cwd` when it is an
/// absolute path inside it (`/repo/filings/q3.txt` run from `/repo` is
/// `filings/q3.txt`, as GitHub annotations need). Other absolute paths stay
/// absolute; `..` is kept.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    // A walked path is already clean: it is shown as it is unless it lies
    // inside the working folder. A sweep names each file twice (for the
    // output order and for its report), and the component walk below
    // costs about 4,000 instructions a call.
    if let (Some(s), Some(c)) = (path.to_str(), cwd.to_str())
        && is_clean(s)
    {
        if !s.starts_with('/') {
            return s.to_owned();
        }
        if is_clean(c) {
            match s.strip_prefix(c) {
                // The working folder itself: named by the walk below.
                Some("") => {}
                // Under it (a sweep of `$PWD/filings`): what follows the
                // folder's name and its separator (not empty: `s` is clean).
                Some(rest) if rest.starts_with('/') => return rest[1..].to_owned(),
                _ => return s.to_owned(),
            }
        }
    }
    display_path_by_components(path, cwd)
}

/// [`display_path`] component by component, for any path.
fn display_path_by_components(path: &Path, cwd: &Path) -> String {
    if path.is_absolute()
        && let Ok(rel) = absolute(path, cwd).strip_prefix(absolute(cwd, cwd))
        && !rel.as_os_str().is_empty()
    {
        return rel.display().to_string();
    }
    let clean: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if clean.as_os_str().is_empty() {
        path.display().to_string()
    } else {
        clean.display().to_string()
    }
}

/// `path` has no empty, `.` or `..` component and no trailing `/`, and `/`
/// is the only separator: its components joined with `/` give it back.
fn is_clean(path: &str) -> bool {
    std::path::MAIN_SEPARATOR == '/'
        && !path.is_empty()
        && path
            .as_bytes()
            .strip_prefix(b"/")
            .unwrap_or(path.as_bytes())
            .split(|&b| b == b'/')
            .all(|c| !matches!(c, b"" | b"." | b".."))
}

/// `target` relative to `base` (both absolute and clean), climbing with
/// `..`; `None` when they do not share a root.
pub fn relative(base: &Path, target: &Path) -> Option<PathBuf> {
    let b: Vec<Component> = base.components().collect();
    let t: Vec<Component> = target.components().collect();
    if b.first() != t.first() {
        return None;
    }
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    Some(out)
}

/// `path`'s components joined with `/`.
pub fn slash(path: &Path) -> String {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Globs as in `.gitignore`: a pattern without `/` matches a file name
/// anywhere (`*.draft.txt`); a pattern with `/` matches the whole project
/// key, and there `*` does not cross folders while `**` does
/// (`archive/**`, `filings/*/q4.txt`).
#[derive(Clone, Debug)]
pub struct PathGlobs {
    names: GlobSet,
    paths: GlobSet,
}

impl PathGlobs {
    /// Builds the set; on a bad pattern, returns its index and the error.
    pub fn new<'a>(
        patterns: impl IntoIterator<Item = &'a str>,
    ) -> Result<PathGlobs, (usize, globset::Error)> {
        let mut names = GlobSetBuilder::new();
        let mut paths = GlobSetBuilder::new();
        for (i, p) in patterns.into_iter().enumerate() {
            let p = p.strip_prefix("./").unwrap_or(p);
            let glob = GlobBuilder::new(p)
                .literal_separator(true)
                .build()
                .map_err(|e| (i, e))?;
            if p.contains('/') {
                paths.add(glob);
            } else {
                names.add(glob);
            }
        }
        Ok(PathGlobs {
            names: names.build().map_err(|e| (0, e))?,
            paths: paths.build().map_err(|e| (0, e))?,
        })
    }

    /// Whether `key` (a [`project_key`]) matches.
    pub fn matches(&self, key: &str) -> bool {
        let name = key.rsplit('/').next().unwrap_or(key);
        self.names.is_match(name) || self.paths.is_match(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The shortcut for clean paths names every path as the component
        /// walk does.
        #[test]
        fn display_path_shortcut_agrees_with_components(
            path in proptest::collection::vec(
                proptest::sample::select(vec!["", ".", "..", "repo", "a", "b.txt", "/"]), 0..6),
            cwd in proptest::collection::vec(
                proptest::sample::select(vec!["", ".", "..", "repo", "a", "/"]), 0..4),
            inside in proptest::bool::ANY,
        ) {
            let cwd = format!("/{}", cwd.join("/"));
            // Half the paths written under the working folder.
            let path = if inside {
                format!("{cwd}/{}", path.join("/"))
            } else {
                path.join("/")
            };
            proptest::prop_assert_eq!(
                display_path(Path::new(&path), Path::new(&cwd)),
                display_path_by_components(Path::new(&path), Path::new(&cwd)),
                "path {:?} cwd {:?}", path, cwd
            );
        }
    }

    #[test]
    fn display_paths_drop_dot_slash_and_the_working_folder() {
        let cwd = Path::new("/repo");
        assert_eq!(
            display_path(Path::new("./filings/q3.txt"), cwd),
            "filings/q3.txt"
        );
        assert_eq!(
            display_path(Path::new("filings/./q3.txt"), cwd),
            "filings/q3.txt"
        );
        assert_eq!(
            display_path(Path::new("/repo/filings/q3.txt"), cwd),
            "filings/q3.txt"
        );
        assert_eq!(display_path(Path::new("/srv/q3.txt"), cwd), "/srv/q3.txt");
        assert_eq!(
            display_path(Path::new("../other/q3.txt"), cwd),
            "../other/q3.txt"
        );
        assert_eq!(display_path(Path::new("q3.txt"), cwd), "q3.txt");
    }

    #[test]
    fn keys_are_relative_with_slashes() {
        let base = Path::new("/proj");
        let cwd = Path::new("/proj/sub");
        assert_eq!(project_key(base, "a/b.txt", cwd), "sub/a/b.txt");
        assert_eq!(project_key(base, "../x.txt", cwd), "x.txt");
        assert_eq!(project_key(base, "./../x.txt", cwd), "x.txt");
        assert_eq!(
            project_key(base, "/elsewhere/y.txt", cwd),
            "../elsewhere/y.txt"
        );
        assert_eq!(project_key(base, "../../z.txt", cwd), "../z.txt");
        assert_eq!(project_key(base, "-", cwd), "-");
    }

    #[test]
    fn globs_follow_gitignore_conventions() {
        let g = PathGlobs::new(["*.draft.txt", "archive/**", "filings/*/q4.txt"]).unwrap();
        assert!(g.matches("deep/in/x.draft.txt"));
        assert!(g.matches("archive/2019/a.txt"));
        assert!(g.matches("filings/acme/q4.txt"));
        assert!(!g.matches("filings/acme/2024/q4.txt"));
        assert!(!g.matches("other/archive/a.txt"));
    }
}
