//! The install and CI recipes, run: the GitHub workflows in docs/usage.md
//! and docs/output.md and the composite action (`action.yml`) validate
//! against GitHub's schemas and use current action majors; the pre-commit
//! hook definition (`.pre-commit-hooks.yaml`) is well formed; the plain Git
//! hook documented in docs/usage.md blocks and passes commits in a real
//! repository; the pre-commit hook runs through `pre-commit try-repo`
//! when pre-commit is installed; and the Dockerfile's build stage copies
//! paths a fresh clone has, from which cargo builds the binary.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A good release and a copy of it with one `error` finding
/// (gross-profit-mismatch; see corpus/broken/gross-profit-mismatch.expect.yaml).
const GOOD: &str = "corpus/01-basic-quarter.txt";
const BAD: &str = "corpus/broken/gross-profit-mismatch.txt";
const BAD_RULE: &str = "gross-profit-mismatch";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(text: &str, what: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap_or_else(|e| panic!("{what}: not YAML: {e}"))
}

/// A fenced code block of a Markdown file.
struct Block {
    /// The fence's info string (`yaml`, `sh`, ...).
    info: String,
    /// The line the opening fence is on (1-based).
    line: usize,
    body: String,
    /// The line just before the opening fence.
    before: String,
}

fn fenced_blocks(md: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = md.lines().enumerate();
    let mut before = "";
    while let Some((i, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            before = line;
            continue;
        };
        let mut body = String::new();
        for (_, l) in lines.by_ref() {
            if l.trim_start().starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        blocks.push(Block {
            info: info.trim().to_string(),
            line: i + 1,
            body,
            before: before.to_string(),
        });
        before = "";
    }
    blocks
}

/// The ```yaml blocks of the docs with a top-level `jobs:`: GitHub workflows.
fn doc_workflows() -> Vec<(String, Value)> {
    let mut workflows = Vec::new();
    for doc in ["docs/usage.md", "docs/output.md"] {
        for b in fenced_blocks(&read(doc)) {
            if b.info == "yaml" && b.body.lines().any(|l| l.starts_with("jobs:")) {
                let what = format!("{doc}:{}", b.line);
                let value = yaml(&b.body, &what);
                workflows.push((what, value));
            }
        }
    }
    workflows
}

fn validator(schema: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&read(&format!("tests/data/schemas/{schema}")))
        .unwrap_or_else(|e| panic!("{schema}: {e}"));
    jsonschema::options()
        .build(&schema)
        .unwrap_or_else(|e| panic!("{schema} compiles offline: {e}"))
}

fn assert_valid(validator: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("  at {}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not valid:\n{}",
        errors.join("\n")
    );
}

/// The oldest major version the docs may use of each action from `actions/`
/// and `github/` (older majors run on deprecated Node versions).
const MIN_MAJOR: &[(&str, u32)] = &[
    ("actions/checkout", 6),
    ("github/codeql-action/upload-sarif", 4),
];

/// What is wrong with a workflow's steps: an `actions/` or `github/` action
/// older than its MIN_MAJOR (or without one), or an install of tieout from
/// crates.io, where it is not published. Also returns the actions it uses.
fn step_problems(workflow: &Value) -> (Vec<String>, Vec<String>) {
    let (mut problems, mut used) = (Vec::new(), Vec::new());
    let jobs = workflow["jobs"].as_object().expect("jobs is a map");
    for job in jobs.values() {
        for step in job["steps"].as_array().expect("a job has steps") {
            if let Some(run) = step["run"].as_str()
                && run
                    .lines()
                    .any(|l| l.trim_end().ends_with("cargo install --locked tieout"))
            {
                problems.push("`cargo install --locked tieout`: tieout is not on crates.io".into());
            }
            let Some(uses) = step["uses"].as_str() else {
                continue;
            };
            if !(uses.starts_with("actions/") || uses.starts_with("github/")) {
                continue;
            }
            let (action, version) = uses.split_once('@').unwrap_or((uses, ""));
            let Some(&(_, min)) = MIN_MAJOR.iter().find(|(a, _)| *a == action) else {
                problems.push(format!(
                    "`{uses}`: no minimum major known; add it to MIN_MAJOR"
                ));
                continue;
            };
            let major = version
                .strip_prefix('v')
                .and_then(|v| v.split('.').next())
                .and_then(|v| v.parse::<u32>().ok());
            match major {
                Some(major) if major >= min => used.push(action.to_string()),
                Some(_) => problems.push(format!("`{uses}` is older than {action}@v{min}")),
                None => problems.push(format!("`{uses}` is not pinned to a vN tag")),
            }
        }
    }
    (problems, used)
}

#[test]
fn doc_workflows_validate_against_the_github_workflow_schema() {
    let workflows = doc_workflows();
    assert!(
        workflows.len() >= 3,
        "expected the workflows of docs/usage.md and docs/output.md, found {}",
        workflows.len()
    );
    let validator = validator("github-workflows.json");
    let mut used = Vec::new();
    for (what, workflow) in &workflows {
        assert_valid(&validator, workflow, what);
        let (problems, actions) = step_problems(workflow);
        assert!(problems.is_empty(), "{what}:\n{}", problems.join("\n"));
        used.extend(actions);
    }
    for (action, _) in MIN_MAJOR {
        assert!(
            used.iter().any(|a| a == action),
            "no workflow in the docs uses {action}"
        );
    }

    // The checks can fail: a job without runs-on is not a workflow, and the
    // majors the docs used to show are caught.
    let mut broken = workflows[0].1.clone();
    for job in broken["jobs"].as_object_mut().unwrap().values_mut() {
        job.as_object_mut().unwrap().remove("runs-on");
    }
    assert!(
        !validator.is_valid(&broken),
        "a job without runs-on validated"
    );
    let old = yaml(
        "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n\
         \x20     - uses: actions/checkout@v4\n\
         \x20     - run: cargo install --locked tieout\n\
         \x20     - uses: github/codeql-action/upload-sarif@v3\n",
        "old workflow",
    );
    assert_valid(&validator, &old, "old workflow");
    assert_eq!(
        step_problems(&old).0.len(),
        3,
        "{:?}",
        step_problems(&old).0
    );
}

#[test]
fn action_yml_validates_against_the_github_action_schema() {
    let action = yaml(&read("action.yml"), "action.yml");
    let validator = validator("github-actions.json");
    assert_valid(&validator, &action, "action.yml");
    let mut broken = action.clone();
    broken.as_object_mut().unwrap().remove("runs");
    assert!(
        !validator.is_valid(&broken),
        "an action without runs validated"
    );

    assert_eq!(action["runs"]["using"], "composite");
    for (input, default) in [
        ("paths", "."),
        ("format", "github"),
        ("args", ""),
        ("sarif-file", ""),
    ] {
        assert_eq!(
            action["inputs"][input]["default"], default,
            "action.yml: input {input}"
        );
    }
    assert!(
        action["outputs"]["exit-code"]["value"].is_string(),
        "action.yml: output exit-code"
    );
    let steps = action["runs"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter()
            .any(|r| r.contains("cargo install --locked --path")),
        "action.yml installs tieout from its own checkout"
    );
    // Script injection: an expression pasted into a script is run as shell
    // code; inputs must reach the scripts through `env:`.
    for run in &runs {
        assert!(
            !run.contains("${{"),
            "action.yml: a run script interpolates an expression:\n{run}"
        );
    }
}

#[test]
fn pre_commit_hooks_yaml_defines_the_tieout_hook() {
    let hooks = yaml(&read(".pre-commit-hooks.yaml"), ".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    let hook = hooks
        .iter()
        .find(|h| h["id"] == "tieout")
        .expect("a hook with id tieout");
    for key in ["id", "name", "entry", "language", "files"] {
        assert!(
            hook[key].as_str().is_some_and(|v| !v.is_empty()),
            "hook tieout: {key} missing"
        );
    }
    assert!(hook["entry"].as_str().unwrap().starts_with("tieout check"));
    assert_eq!(hook["language"], "rust");
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).expect("files is a regex");
    for name in ["q1.txt", "Q1.HTM", "a b.html", "filings/2026/q3.htm"] {
        assert!(files.is_match(name), "files should match {name}");
    }
    for name in ["notes.md", "q1.txt.bak", "page.xhtml.md"] {
        assert!(!files.is_match(name), "files should not match {name}");
    }
}

/// The directory holding the tieout binary under test, then `PATH`.
fn path_with_tieout() -> OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_tieout")).parent().unwrap();
    let mut dirs = vec![bin.to_path_buf()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap()
}

fn found(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A command isolated from the developer's Git setup: no global or system
/// config (`GIT_CONFIG_GLOBAL`, Git 2.32 and later; `HOME` is kept, as
/// pyenv's and pipx's shims for pre-commit need it), no `GIT_*` variables
/// of an enclosing hook, no forced colour; the tieout under test first on
/// `PATH`.
fn command(program: &str, dir: &Path, home: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir);
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(|k| k.starts_with("GIT_")) {
            cmd.env_remove(&key);
        }
    }
    cmd.env_remove("FORCE_COLOR")
        .env_remove("SKIP")
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("GIT_AUTHOR_NAME", "tieout tests")
        .env("GIT_AUTHOR_EMAIL", "tests@example.com")
        .env("GIT_COMMITTER_NAME", "tieout tests")
        .env("GIT_COMMITTER_EMAIL", "tests@example.com")
        .env("PRE_COMMIT_HOME", home.join("pre-commit"))
        .env("PATH", path_with_tieout());
    cmd
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A scratch Git repository.
struct Repo {
    dir: PathBuf,
    home: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("repo");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(home.join("gitconfig"), "").unwrap();
        let repo = Repo {
            dir,
            home,
            _tmp: tmp,
        };
        repo.ok(&["init", "-q"]);
        repo
    }

    fn git(&self, args: &[&str]) -> Output {
        command("git", &self.dir, &self.home)
            .args(["-c", "core.hooksPath=.git/hooks"])
            .args(["-c", "commit.gpgsign=false"])
            .args(["-c", "core.autocrlf=false"])
            .args(args)
            .output()
            .expect("git runs")
    }

    fn ok(&self, args: &[&str]) -> Output {
        let out = self.git(args);
        assert!(out.status.success(), "git {args:?} failed:\n{}", text(&out));
        out
    }

    fn write(&self, name: &str, content: &[u8]) {
        let path = self.dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    /// `git commit`: Ok with the output when it went through, Err with the
    /// output when the hook blocked it (and HEAD did not move).
    fn commit(&self, message: &str) -> Result<String, String> {
        let before = self.git(&["rev-parse", "-q", "--verify", "HEAD"]).stdout;
        let out = self.git(&["commit", "-q", "-m", message]);
        let after = self.git(&["rev-parse", "-q", "--verify", "HEAD"]).stdout;
        if out.status.success() {
            assert_ne!(before, after, "a commit went through but HEAD did not move");
            Ok(text(&out))
        } else {
            assert_eq!(before, after, "a blocked commit moved HEAD");
            Err(text(&out))
        }
    }
}

/// The plain Git hook of docs/usage.md, marked `<!-- recipe: git-hook -->`.
fn git_hook_recipe() -> String {
    let blocks = fenced_blocks(&read("docs/usage.md"));
    let marked: Vec<&Block> = blocks
        .iter()
        .filter(|b| b.before.trim() == "<!-- recipe: git-hook -->")
        .collect();
    assert_eq!(
        marked.len(),
        1,
        "docs/usage.md: one code block after <!-- recipe: git-hook -->"
    );
    assert!(
        marked[0].body.starts_with("#!"),
        "the hook starts with a #! line"
    );
    marked[0].body.clone()
}

#[cfg(unix)]
#[test]
fn documented_git_hook_checks_the_staged_releases() {
    use std::os::unix::fs::PermissionsExt;

    let hook = git_hook_recipe();
    if !found("git") {
        eprintln!("skipped: git not found on PATH");
        return;
    }
    let good = std::fs::read(root().join(GOOD)).unwrap();
    let bad = std::fs::read(root().join(BAD)).unwrap();

    let repo = Repo::new();
    let hook_path = repo.dir.join(".git/hooks/pre-commit");
    std::fs::create_dir_all(hook_path.parent().unwrap()).unwrap();
    std::fs::write(&hook_path, &hook).unwrap();
    std::fs::set_permissions(&hook_path, std::fs::Permissions::from_mode(0o755)).unwrap();

    // Awkward names: a space, a leading dash, a quote, non-ASCII, and a
    // newline with an upper-case extension in a folder with a space.
    let names = [
        "q 1.txt",
        "-dash.txt",
        "it's.txt",
        "ünï.txt",
        "sub dir/new\nline.TXT",
    ];

    // Good releases staged: the commit goes through.
    for name in names {
        repo.write(name, &good);
    }
    repo.ok(&["add", "-A"]);
    repo.commit("good releases")
        .unwrap_or_else(|out| panic!("good releases were blocked:\n{out}"));

    // A bad release staged under each name: blocked, and the report names
    // the file by its staged path.
    for name in names {
        repo.write(name, &bad);
        repo.ok(&["add", "-A"]);
        let out = repo
            .commit("bad release")
            .expect_err(&format!("a bad {name:?} was committed"));
        assert!(
            out.contains(&format!("{name}:")) && out.contains(&format!("error[{BAD_RULE}]")),
            "the hook's report should name {name:?} and {BAD_RULE}:\n{out}"
        );
        repo.ok(&["reset", "-q", "--hard"]);
    }

    // Bad content staged, working tree fixed: the staged copy is checked.
    repo.write("q 1.txt", &bad);
    repo.ok(&["add", "--", "q 1.txt"]);
    repo.write("q 1.txt", &good);
    let out = repo
        .commit("staged bad, working tree good")
        .expect_err("the staged bad copy was committed");
    assert!(out.contains("q 1.txt:"), "{out}");
    repo.ok(&["reset", "-q", "--hard"]);

    // Good content staged (changed: one more line), working tree broken:
    // the commit goes through.
    let mut good_changed = good.clone();
    good_changed.extend_from_slice(b"\n");
    repo.write("q 1.txt", &good_changed);
    repo.ok(&["add", "--", "q 1.txt"]);
    repo.write("q 1.txt", &bad);
    repo.commit("staged good, working tree bad")
        .unwrap_or_else(|out| panic!("a good staged copy was blocked:\n{out}"));
    repo.ok(&["reset", "-q", "--hard"]);

    // A deleted release and a staged file that is not a release: nothing
    // to check, the commit goes through.
    repo.ok(&["rm", "-q", "--", "-dash.txt"]);
    repo.write("notes.md", b"Not a release.\n");
    repo.ok(&["add", "--", "notes.md"]);
    repo.commit("delete a release")
        .unwrap_or_else(|out| panic!("deleting a release was blocked:\n{out}"));
}

#[test]
fn pre_commit_try_repo_runs_the_hook() {
    if !found("git") {
        eprintln!("skipped: git not found on PATH");
        return;
    }
    if !found("pre-commit") {
        eprintln!("skipped: pre-commit not installed");
        return;
    }
    // The hook repository: .pre-commit-hooks.yaml with `language: system`
    // instead of `language: rust`, which would build the crate in release
    // mode (minutes); the tieout under test is on PATH instead.
    let hooks = read(".pre-commit-hooks.yaml");
    assert_eq!(hooks.matches("language: rust").count(), 1);
    let hook_repo = Repo::new();
    hook_repo.write(
        ".pre-commit-hooks.yaml",
        hooks
            .replace("language: rust", "language: system")
            .as_bytes(),
    );
    hook_repo.ok(&["add", "-A"]);
    hook_repo.ok(&["commit", "-q", "-m", "hooks"]);

    let work = Repo::new();
    work.write("good.txt", &std::fs::read(root().join(GOOD)).unwrap());
    work.write("bad.txt", &std::fs::read(root().join(BAD)).unwrap());
    work.ok(&["add", "-A"]);

    let try_repo = |file: &str| {
        command("pre-commit", &work.dir, &work.home)
            .arg("try-repo")
            .arg(&hook_repo.dir)
            .args(["tieout", "--color", "never", "--files", file])
            .output()
            .expect("pre-commit runs")
    };
    let out = try_repo("good.txt");
    assert!(
        out.status.success(),
        "pre-commit failed on a good release:\n{}",
        text(&out)
    );
    let out = try_repo("bad.txt");
    let report = text(&out);
    assert!(
        !out.status.success(),
        "pre-commit passed a bad release:\n{report}"
    );
    assert!(
        report.contains("bad.txt:") && report.contains(BAD_RULE),
        "pre-commit's output should name bad.txt and {BAD_RULE}:\n{report}"
    );
}

/// The `COPY` lines of the Dockerfile's build stage (the stage before the
/// second `FROM`): each line's sources and its destination, with the line
/// number, its options (`--chown=...`) left out. `COPY --from=...` takes
/// from another stage, not the context.
fn dockerfile_copies(dockerfile: &str) -> Vec<(usize, Vec<String>, String)> {
    let mut copies = Vec::new();
    let mut stages = 0;
    for (i, line) in dockerfile.lines().enumerate() {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("FROM") => stages += 1,
            Some("COPY") if stages == 1 => {
                assert!(
                    !line.trim_end().ends_with('\\'),
                    "Dockerfile line {}: a COPY continued on the next line is not read here",
                    i + 1
                );
                let (options, mut args): (Vec<String>, Vec<String>) =
                    words.map(str::to_string).partition(|w| w.starts_with("--"));
                if options.iter().any(|o| o.starts_with("--from")) {
                    continue;
                }
                let dest = args.pop().expect("a COPY line names a destination");
                copies.push((i + 1, args, dest));
            }
            _ => {}
        }
    }
    copies
}

/// The Dockerfile's build stage works from a fresh clone, as `docker build`
/// runs it (no daemon is needed to tell): every path a `COPY` line takes is
/// in the repository (tracked by Git where the tests run in a checkout) and
/// not left out of the build context by `.dockerignore`; and those paths
/// alone are a package cargo can build the binary from (`cargo check` reads
/// the manifest and every target it declares, `benches/parse.rs` among
/// them, as the image's `cargo build --release` does).
#[test]
fn dockerfile_builds_the_binary_from_what_it_copies() {
    let dockerfile = read("Dockerfile");
    let copies = dockerfile_copies(&dockerfile);
    assert!(
        copies.iter().any(|(_, s, _)| s.iter().any(|p| p == "src/")),
        "the Dockerfile's build stage copies no sources: {copies:?}"
    );
    let ignored: Vec<String> = read(".dockerignore")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.trim_end_matches('/').to_string())
        .collect();
    let git = found("git")
        && Command::new("git")
            .args(["rev-parse", "--is-inside-work-tree"])
            .current_dir(root())
            .output()
            .is_ok_and(|o| o.status.success());
    let context = tempfile::tempdir().unwrap();
    for (line, sources, dest) in &copies {
        for src in sources {
            let path = src.trim_end_matches('/');
            assert!(
                root().join(path).exists(),
                "Dockerfile line {line}: COPY {src}: no such path in the repository"
            );
            if git {
                let tracked = Command::new("git")
                    .args(["ls-files", "--", path])
                    .current_dir(root())
                    .output()
                    .unwrap();
                assert!(
                    !tracked.stdout.is_empty(),
                    "Dockerfile line {line}: COPY {src}: not tracked by Git, so not in a fresh clone"
                );
            }
            assert!(
                !ignored
                    .iter()
                    .any(|i| path == i || path.starts_with(&format!("{i}/"))),
                "Dockerfile line {line}: COPY {src}: left out of the context by .dockerignore"
            );
            // `COPY a b ./` puts each file in `./`; `COPY dir/ dir/` copies
            // the folder's contents into `dir/`.
            let target = if dest.ends_with('/') && !src.ends_with('/') {
                context.path().join(dest).join(path)
            } else {
                context.path().join(dest)
            };
            copy_tree(&root().join(path), &target);
        }
    }
    // Its own target folder (this test's cargo must not wait on the lock of
    // the one running it), kept between runs for the dependencies.
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dockerfile-check");
    let out = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "check",
            "--offline",
            "--locked",
            "--bin",
            "tieout",
            "--quiet",
        ])
        .current_dir(context.path())
        .env("CARGO_TARGET_DIR", &target_dir)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo cannot build the binary from what the Dockerfile copies:\n{}",
        text(&out)
    );
}

/// Copies a file, or a folder with everything in it, to `to`.
fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}
