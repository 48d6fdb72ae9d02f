//! `tieout check`: walk, check in parallel, render, exit code.
//!
//! One bad file never stops a sweep: an unreadable, binary or empty file, or
//! a walked entry that is not a regular file (a dangling symbolic link, a
//! FIFO), becomes a report with status `error`, and a panic inside the
//! checker is caught and reported the same way.
//!
//! Inputs are sorted by path before checking, and results are released in
//! that order as soon as a file and every file before it are done (see
//! [`run_ordered`]), so the output is the same whatever the number of
//! threads, and `--format jsonl` streams while a large sweep runs.
//!
//! Project settings come from `tieout.yaml` ([`super::config`]) and
//! acknowledgements from `tieout.ack.yaml` ([`super::acks`]).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::acks::{ACKS_FILE, Ack, Acks, STALE_RULE, baseline_text, finding_hash};
use super::config::Config;
use super::paths::{display_path, project_key, real_dir};
use crate::check::{CheckOptions, check_document_with};
use crate::check_narrative::unverifiable_notes;
use crate::finding::Severity;
use crate::parse::{parse, sniff};
use crate::report::{
    FileReport, FileStatus, Format, RenderOptions, Review, RuleInfo, Stats, Stream, Summary,
};
use crate::rules::RulePack;

/// What `--fail-on` may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    /// Fail on files that cannot be checked (unreadable, empty, binary), as
    /// well as on `error` findings.
    Unreadable,
    /// Fail on files that were read but in which nothing could be checked
    /// (no figure tied, no claim verified, no finding above a note).
    NotChecked,
    /// Never fail because of findings.
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Options of `tieout check`.
#[derive(Clone, Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and directories to check; `-` reads standard input (default:
    /// `.`, unless `--files-from` gives the paths).
    pub paths: Vec<PathBuf>,
    /// Also check the paths listed in FILE, one per line (`-`: standard
    /// input), as if named on the command line: the map step of a
    /// scheduler that hands each worker a list of files.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,
    /// `--files-from` entries end with a NUL byte instead of a newline
    /// (`find -print0`), so a name may hold any character.
    #[arg(short = '0', long = "null", requires = "files_from")]
    pub null: bool,
    /// Check only shard K of N (`--shard 3/8`): the files whose path hashes
    /// to K, so N workers given the same paths from the same folder cover
    /// them exactly once. A shard may be empty.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when a finding at or above this severity is found. May be
    /// repeated; `unreadable` also fails on files that cannot be checked,
    /// `not-checked` on files in which nothing could be checked. The
    /// default is `error` and `not-checked`; naming any value replaces it
    /// (`--fail-on error` lets files with nothing checked pass).
    #[arg(
        long = "fail-on",
        value_enum,
        default_values_t = [FailOn::Error, FailOn::NotChecked]
    )]
    pub fail_on: Vec<FailOn>,
    /// Exit 0 when the paths hold no file to check (by default an empty
    /// sweep is an error, exit 2: a glob or a path is likely wrong).
    #[arg(long)]
    pub allow_empty: bool,
    /// Exit 0 whatever the files hold (usage and configuration errors
    /// still exit 2); the same as `--fail-on never`.
    #[arg(long, conflicts_with = "fail_on")]
    pub exit_zero: bool,
    /// Write the report to this file instead of standard output (created
    /// or truncated; no colour unless `--color always`).
    #[arg(short = 'o', long = "output-file", value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Extra rule files or folders; a rule with a default rule's id
    /// replaces it.
    #[arg(long = "rules")]
    pub rules: Vec<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long = "jobs")]
    pub jobs: Option<usize>,
    /// Only walk files matching these globs (default: `*.txt`, `*.htm`,
    /// `*.html`, in any letter case).
    #[arg(long)]
    pub include: Vec<String>,
    /// Skip files matching these globs.
    #[arg(long)]
    pub exclude: Vec<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// List every narrative claim's status (unverifiable claims as notes).
    #[arg(long)]
    pub claims: bool,
    /// An earlier release of the same company (may be repeated): each
    /// figure the checked releases print for a period it printed must
    /// equal its figure (`prior-release-mismatch`, or a note in a column
    /// marked as restated).
    #[arg(long, value_name = "FILE")]
    pub prior: Vec<PathBuf>,
    /// Pair the releases of the sweep by company and period: each
    /// comparative figure must equal the figure the release of that period
    /// printed. Reads every release once more before the check.
    #[arg(long, conflicts_with = "prior")]
    pub pair: bool,
    /// With `--pair`: a YAML file naming each company's releases by glob
    /// (`companies: {acme: ["filings/acme/**"]}`), for releases whose lead
    /// does not name the company alike; implies `--pair`.
    #[arg(long, value_name = "FILE", conflicts_with = "prior")]
    pub companies: Option<PathBuf>,
    /// The config file (default: `tieout.yaml` in the current folder or the
    /// nearest parent that has one).
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any `tieout.yaml`.
    #[arg(long)]
    pub no_config: bool,
    /// The acknowledgement file (default: `tieout.ack.yaml` beside the
    /// config file, or in the current folder when there is no config).
    #[arg(long, value_name = "PATH")]
    pub acks: Option<PathBuf>,
    /// Write an acknowledgement file covering every current finding to
    /// FILE (reason `baseline`, or the reason of an acknowledgement that
    /// already covers it) instead of printing a report; exits 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Report only the findings that FILE (an acknowledgement file, as
    /// `--write-baseline` writes) does not list. Unlike the acknowledgement
    /// file, entries that match nothing are not reported.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Only report these rules (ids or globs such as `narrative-*`,
    /// comma-separated or repeated).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Never report these rules (ids or globs, comma-separated or repeated).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The name standard input (`-`) is reported under; the config's
    /// overrides and acknowledgements apply to that name (like a file
    /// named on the command line, it is checked even if excluded).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Print the number of findings per rule instead of the findings
    /// (a table; a JSON array with `--format json`).
    #[arg(long)]
    pub statistics: bool,
    /// Print the findings and nothing else: no summary, progress bar,
    /// notes or warnings on standard error.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Walk files that `.gitignore` files (and `.git/info/exclude`) ignore.
    #[arg(long)]
    pub no_ignore: bool,
}

/// `--shard K/N`: shard `k` (1-based) of `n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

impl Shard {
    /// Whether the file reported as `path` belongs to this shard: a 64-bit
    /// FNV-1a hash of the path (with `/` separators) modulo `n`, so the
    /// partition depends on nothing but the path.
    pub fn contains(&self, path: &str) -> bool {
        let mut h = crate::hash::Fnv1a::default();
        for b in path.bytes() {
            h.write_u8(if b == b'\\' { b'/' } else { b });
        }
        h.finish() % self.n == self.k - 1
    }
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}` is not K/N (for example 3/8)"))?;
    let k: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("`{k}` is not a number"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: K must be between 1 and N"));
    }
    Ok(Shard { k, n })
}

/// The paths to check: those on the command line and those `--files-from`
/// lists (`.` when there are none).
fn check_paths(args: &CheckArgs) -> Result<Vec<PathBuf>, u8> {
    let mut paths = args.paths.clone();
    if let Some(list) = &args.files_from {
        let bytes = if list.as_os_str() == "-" {
            if paths.iter().any(|p| p.as_os_str() == "-") {
                eprintln!(
                    "error: `--files-from -` reads the list from standard input, so `-` cannot also be a release"
                );
                return Err(2);
            }
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map(|_| buf)
        } else {
            std::fs::read(list)
        };
        let bytes = bytes.map_err(|e| {
            eprintln!("error: cannot read the file list {}: {e}", list.display());
            2u8
        })?;
        let sep = if args.null { b'\0' } else { b'\n' };
        for entry in bytes.split(|&b| b == sep) {
            let entry = if args.null {
                entry
            } else {
                entry.strip_suffix(b"\r").unwrap_or(entry)
            };
            if entry.is_empty() {
                continue;
            }
            paths.push(path_from_bytes(entry));
        }
        if paths.is_empty() {
            // An empty list is an empty map step, not a request for `.`.
            return Ok(paths);
        }
    }
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    Ok(paths)
}

#[cfg(unix)]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

/// Runs `tieout check`; returns the process exit code.
pub fn run(args: &CheckArgs) -> u8 {
    match try_run(args) {
        Ok(code) | Err(code) => code,
    }
}

/// Prints a diagnostic to standard error and gives exit code 2.
fn fail(report: miette::Report) -> u8 {
    eprintln!("{report:?}");
    2
}

fn try_run(args: &CheckArgs) -> Result<u8, u8> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if args.statistics && !matches!(args.format, Format::Human | Format::Concise | Format::Json) {
        eprintln!(
            "error: --statistics prints a table or, with --format json, a JSON array; it does not combine with --format {}",
            args.format
        );
        return Err(2);
    }
    let paths = check_paths(args)?;
    let config = load_config(
        args.config.as_deref(),
        args.no_config,
        &config_starts(&paths, args.stdin_filename.as_deref(), &cwd),
        &cwd,
    )?;
    let pack = load_pack(config.as_ref(), &args.rules)?;
    let acks = load_acks(args, config.as_ref(), &cwd, &pack)?;
    let baseline_acks = match &args.baseline {
        Some(p) => Some(Acks::load(p, &cwd, &pack).map_err(|e| fail(miette::Report::new(e)))?),
        None => None,
    };
    let selection = RuleSelection::for_pack(&args.select, &args.ignore, &pack)?;
    let filter = FileFilter::new(&args.include, &args.exclude).map_err(|e| {
        eprintln!("error: {e}");
        2u8
    })?;
    let gitignore = !args.no_ignore && config.as_ref().is_none_or(Config::respects_gitignore);
    let accept = |p: &Path| {
        filter.accepts(p)
            && !config
                .as_ref()
                .is_some_and(|c| c.excludes(&project_key(&c.dir, &p.display().to_string(), &cwd)))
    };
    let mut inputs = Vec::new();
    for p in &paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin(args.stdin_filename.clone()));
        } else if p.is_dir() {
            inputs.extend(walk(p, &accept, gitignore.then_some(cwd.as_path())));
        } else if let Some(kind) = p.is_file().then(|| super::archive::kind_of(p)).flatten() {
            // A named bundle is opened; its members that a walk would read
            // (`--include`, `--exclude`) are checked.
            match super::archive::Archive::open(p, kind) {
                Ok((archive, members)) => {
                    let archive = Arc::new(archive);
                    for m in members {
                        if filter.accepts(Path::new(&m.name)) {
                            inputs.push(Input::Member {
                                archive: Arc::clone(&archive),
                                index: m.index,
                                name: m.name,
                            });
                        }
                    }
                }
                Err(reason) => inputs.push(Input::Broken {
                    path: p.clone(),
                    reason: format!("cannot read the archive: {reason}"),
                }),
            }
        } else if p.exists() {
            inputs.push(Input::File(p.clone()));
        } else {
            eprintln!("error: {}: no such file or directory", p.display());
            return Err(2);
        }
    }
    // An empty file list is a worker with nothing to do, not a mistake.
    let listed_nothing = args.files_from.is_some() && paths.is_empty();
    if inputs.is_empty() && !listed_nothing {
        if args.allow_empty {
            if !args.quiet {
                eprintln!("warning: no file to check under the paths given");
            }
        } else {
            eprintln!(
                "error: no file to check under the paths given (a walk reads {} unless \
                 --include says otherwise); --allow-empty makes this a pass",
                DEFAULT_INCLUDE.join(", ")
            );
            return Err(2);
        }
    }
    // The output order. A stable sort on the same key the reports carry.
    inputs.sort_by_cached_key(|i| i.path(&cwd));
    if let Some(shard) = args.shard {
        inputs.retain(|i| shard.contains(&i.path(&cwd)));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(worker_count(args.jobs, inputs.len(), args.quiet))
        .build()
        .map_err(|e| {
            eprintln!("error: cannot start worker threads: {e}");
            2u8
        })?;
    let pairing = if !args.prior.is_empty() {
        Some(
            super::pairs::Pairing::named(&args.prior, &cwd, &pack).map_err(|e| {
                eprintln!("error: {e}");
                2u8
            })?,
        )
    } else if args.pair || args.companies.is_some() {
        let map = match &args.companies {
            Some(f) => Some(
                super::pairs::CompanyMap::load(f, &cwd)
                    .map_err(|e| fail(miette::Report::new(e)))?,
            ),
            None => None,
        };
        Some(super::pairs::Pairing::sweep(
            &pool, &inputs, &cwd, &pack, map,
        ))
    } else {
        None
    };
    let by_path: rustc_hash::FxHashMap<String, &Input> = match &pairing {
        Some(_) => inputs.iter().map(|i| (i.path(&cwd), i)).collect(),
        None => rustc_hash::FxHashMap::default(),
    };
    let job = Job {
        pack: &pack,
        pairing: pairing.as_ref(),
        by_path: &by_path,
        claims: args.claims,
        record: args.format == Format::Html,
        view: args.format == Format::Human,
        config: config.as_ref(),
        acks: acks.as_ref(),
        baseline: baseline_acks.as_ref(),
        in_baseline: AtomicUsize::new(0),
        selection: &selection,
        cwd: &cwd,
    };
    let progress = progress_bar(args, inputs.len());
    // Every format is fed file by file as the files are checked, so a
    // sweep holds one file's report at a time (SARIF and JUnit spool their
    // parts to a temporary file until their counts are known); a baseline
    // keeps one entry per finding.
    let options = render_options(args);
    let rules = rule_infos(&pack, config.as_ref(), acks.is_some(), &selection);
    let mut stream = Stream::new(args.format, &options, &rules);
    let mut baseline = match &args.write_baseline {
        Some(file) => Some(Baseline::new(file, acks.as_ref(), &cwd, &pack)?),
        None => None,
    };
    let streaming = baseline.is_none() && !args.statistics && stream.writes_as_it_goes();
    // `--format html` over more than one release (a folder, a bundle, a
    // list, several paths) writes a folder of pages: `-o` names it.
    let one_release = inputs.len() == 1
        && paths.len() == 1
        && args.files_from.is_none()
        && !paths[0].is_dir()
        && matches!(inputs[0], Input::File(_) | Input::Stdin(_));
    let html_folder = args.format == Format::Html && !one_release;
    if html_folder && baseline.is_none() && !args.statistics {
        let Some(dir) = &args.output_file else {
            eprintln!(
                "error: --format html over more than one release writes a folder of pages; name it with -o DIR"
            );
            return Err(2);
        };
        if dir.exists() && !dir.is_dir() {
            eprintln!(
                "error: {} is not a folder: --format html over more than one release writes a folder of pages",
                dir.display()
            );
            return Err(2);
        }
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("error: cannot create {}: {e}", dir.display());
            return Err(2);
        }
        stream.html_folder(dir.clone());
    }
    // Written from the worker that passes a report on (`run_ordered`):
    // standard output is locked for each file's write, not for the run.
    let mut out: Box<dyn Write + Send> = match args.output_file.as_ref().filter(|_| !html_folder) {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                return Err(2);
            }
        },
        None => Box::new(std::io::stdout()),
    };
    let mut summary = Summary::default();
    let mut write_error = match baseline {
        Some(_) => None,
        None if args.statistics => None,
        None => stream.begin(&mut out).err(),
    };
    run_ordered(
        &pool,
        &inputs,
        |input| job.check(input),
        |report| {
            if let Some(pb) = &progress {
                pb.inc(1);
            }
            summary.add(&report);
            if let Some(b) = baseline.as_mut() {
                b.add(&report);
                return true;
            }
            if write_error.is_some() {
                return false;
            }
            if args.statistics {
                return true;
            }
            match stream.file(&report, &mut out).and_then(|()| out.flush()) {
                Ok(()) => true,
                Err(e) => {
                    write_error = Some(e);
                    false
                }
            }
        },
    );
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    if let Some(a) = acks.as_ref().filter(|_| !args.quiet) {
        let missing = a.missing_files();
        if !missing.is_empty() {
            eprintln!(
                "warning: {}: {} acknowledged file(s) no longer exist: {}",
                a.path.display(),
                missing.len(),
                missing.join(", ")
            );
        }
    }
    if let Some(b) = baseline {
        return b.write();
    }
    let left_out = job.in_baseline.load(Ordering::Relaxed);
    if left_out > 0
        && !args.quiet
        && let Some(b) = &baseline_acks
    {
        eprintln!(
            "note: {left_out} finding(s) listed in the baseline {} are not reported",
            b.path.display()
        );
    }
    let result = match write_error {
        Some(e) => Err(e),
        None if args.statistics => crate::report::render_statistics(
            &summary,
            &rules,
            args.format == Format::Json,
            &mut out,
        )
        .and_then(|()| out.flush()),
        None if args.quiet && args.format == Format::Human => out.flush(),
        None => stream.finish(&summary, &mut out).and_then(|()| out.flush()),
    };
    if let Err(e) = result
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write output: {e}");
        return Err(2);
    }
    // A streamed run whose reader went away stopped before checking every
    // file: it cannot say the rest passed, so it fails as a run with
    // findings does (the other formats check every file before writing).
    let fail_on: &[FailOn] = if args.exit_zero {
        &[FailOn::Never]
    } else {
        &args.fail_on
    };
    if streaming && summary.files_checked < inputs.len() {
        return Ok(exit_code(&summary, fail_on).max(1));
    }
    Ok(exit_code(&summary, fail_on))
}

/// The folders a config is looked for from: each checked path's folder (a
/// folder itself, a file's parent; standard input's `--stdin-filename`),
/// absolute. Standard input without a name looks from the working folder.
pub fn config_starts(paths: &[PathBuf], stdin_name: Option<&Path>, cwd: &Path) -> Vec<PathBuf> {
    let folder = |p: &Path| {
        let abs = super::paths::absolute(p, cwd);
        if abs.is_dir() {
            abs
        } else {
            abs.parent()
                .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
        }
    };
    paths
        .iter()
        .map(|p| match (p.as_os_str() == "-", stdin_name) {
            (true, Some(name)) => folder(name),
            (true, None) => cwd.to_path_buf(),
            (false, _) => folder(p),
        })
        .collect()
}

/// The project config: `--config`, else the `tieout.yaml` nearest to the
/// checked paths (each path's folder or its parents). Paths that belong to
/// different configs are an error: one run applies one config.
pub fn load_config(
    given: Option<&Path>,
    no_config: bool,
    starts: &[PathBuf],
    cwd: &Path,
) -> Result<Option<Config>, u8> {
    if no_config {
        return Ok(None);
    }
    let path = match given {
        Some(p) => p.to_path_buf(),
        None => {
            let mut found: Vec<PathBuf> = Vec::new();
            for start in starts {
                if let Some(c) = Config::discover_absolute(start)
                    && !found.contains(&c)
                {
                    found.push(c);
                }
            }
            match found.as_slice() {
                [] => return Ok(None),
                [one] => super::paths::relative(&super::paths::absolute(cwd, cwd), one)
                    .filter(|r| !r.as_os_str().is_empty())
                    .unwrap_or_else(|| one.clone()),
                [a, b, ..] => {
                    eprintln!(
                        "error: the paths belong to different projects ({} and {}); check \
                         them in separate runs, or name one config with --config",
                        a.display(),
                        b.display()
                    );
                    return Err(2);
                }
            }
        }
    };
    Config::load(&path, cwd)
        .map(Some)
        .map_err(|e| fail(miette::Report::new(e)))
}

/// The default rule pack, the config's rule files and `extra`, with the
/// config's severity and tolerance settings applied.
pub fn load_pack(config: Option<&Config>, extra: &[PathBuf]) -> Result<RulePack, u8> {
    let mut pack = RulePack::try_default().map_err(|e| fail(miette::Report::new(e)))?;
    if let Some(c) = config {
        c.load_rules(&mut pack).map_err(fail)?;
    }
    for path in extra {
        pack.load_path(path)
            .map_err(|e| fail(miette::Report::new(e)))?;
    }
    if let Some(c) = config {
        c.apply_to_pack(&mut pack)
            .map_err(|e| fail(miette::Report::new(e)))?;
    }
    Ok(pack)
}

/// The acknowledgement file: `--acks`, else `tieout.ack.yaml` beside the
/// config, else in the working folder. Relative paths, so the name in
/// messages does not depend on where the project lives.
pub(crate) fn acks_path(given: Option<&Path>, config: Option<&Config>) -> PathBuf {
    match (given, config) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(c)) => c.path.with_file_name(ACKS_FILE),
        (None, None) => PathBuf::from(ACKS_FILE),
    }
}

fn load_acks(
    args: &CheckArgs,
    config: Option<&Config>,
    cwd: &Path,
    pack: &RulePack,
) -> Result<Option<Acks>, u8> {
    let path = acks_path(args.acks.as_deref(), config);
    if args.acks.is_none() && !path.is_file() {
        return Ok(None);
    }
    Acks::load(&path, cwd, pack)
        .map(Some)
        .map_err(|e| fail(miette::Report::new(e)))
}

/// Everything a worker needs to check one input.
struct Job<'a> {
    pack: &'a RulePack,
    /// `--prior` or `--pair`: the earlier releases to compare with.
    pairing: Option<&'a super::pairs::Pairing>,
    /// The run's inputs by report path, to read a paired release back.
    by_path: &'a rustc_hash::FxHashMap<String, &'a Input>,
    claims: bool,
    /// `--format html`: record the checks that tie and keep the claims.
    record: bool,
    /// `--format human`: draw HTML findings on a text rendering.
    view: bool,
    config: Option<&'a Config>,
    acks: Option<&'a Acks>,
    /// `--baseline`: findings it lists are not reported.
    baseline: Option<&'a Acks>,
    /// Findings left out because the baseline lists them.
    in_baseline: AtomicUsize,
    selection: &'a RuleSelection,
    cwd: &'a Path,
}

impl Job<'_> {
    fn check(&self, input: &Input) -> FileReport {
        let mut report = check_input(
            input,
            input.path(self.cwd),
            self.pack,
            Want {
                claims: self.claims,
                record: self.record,
                view: self.view,
                pairing: self.pairing.map(|p| (p, self.cwd)),
            },
        );
        if let Some(p) = self.pairing {
            p.locate(&mut report.findings, self.by_path);
        }
        if let Some(c) = self.config {
            let key = project_key(&c.dir, &report.path, self.cwd);
            c.apply_to_findings(&key, &mut report.findings);
        }
        if let Some(b) = self.baseline {
            let key = project_key(&b.dir, &report.path, self.cwd);
            let left_out = b.remove_listed(&key, &mut report);
            self.in_baseline.fetch_add(left_out, Ordering::Relaxed);
        }
        if let Some(a) = self.acks {
            let key = project_key(&a.dir, &report.path, self.cwd);
            a.apply(&key, &mut report);
        }
        // After the acknowledgements, so an acknowledgement of a rule left
        // out is not taken for a stale one.
        report.findings.retain(|f| self.selection.reports(&f.rule));
        report
    }
}

/// `--select` and `--ignore`: which rule ids a run reports.
pub struct RuleSelection {
    select: Option<GlobSet>,
    ignore: GlobSet,
}

impl RuleSelection {
    /// Every pattern must name at least one of `ids` (a typo would
    /// otherwise silently select nothing, or ignore nothing).
    pub fn new(select: &[String], ignore: &[String], ids: &[&str]) -> Result<Self, String> {
        let build = |patterns: &[String]| -> Result<GlobSet, String> {
            let mut b = GlobSetBuilder::new();
            for p in patterns.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
                let glob = GlobBuilder::new(p)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| format!("bad rule pattern `{p}`: {e}"))?;
                let one = glob.compile_matcher();
                if !ids.iter().any(|id| one.is_match(id)) {
                    let hint = super::diag::closest(p, ids.iter().copied()).map_or_else(
                        || " (`tieout rules` lists them)".to_owned(),
                        |b| format!("; did you mean `{b}`?"),
                    );
                    return Err(format!("no rule id matches `{p}`{hint}"));
                }
                b.add(glob);
            }
            b.build().map_err(|e| e.to_string())
        };
        let chosen: Vec<&String> = select.iter().filter(|p| !p.trim().is_empty()).collect();
        Ok(RuleSelection {
            select: if chosen.is_empty() {
                None
            } else {
                Some(build(select)?)
            },
            ignore: build(ignore)?,
        })
    }

    /// [`RuleSelection::new`] over `pack`'s rule ids and the built-in
    /// `stale-acknowledgement`; a pattern naming no rule is printed as a
    /// usage error (exit code 2).
    pub fn for_pack(select: &[String], ignore: &[String], pack: &RulePack) -> Result<Self, u8> {
        let ids: Vec<&str> = pack
            .rules()
            .iter()
            .map(|r| r.id.as_str())
            .chain([STALE_RULE])
            .collect();
        RuleSelection::new(select, ignore, &ids).map_err(|e| {
            eprintln!("error: {e}");
            2u8
        })
    }

    /// Whether findings of rule `id` are reported.
    pub fn reports(&self, id: &str) -> bool {
        self.select.as_ref().is_none_or(|s| s.is_match(id)) && !self.ignore.is_match(id)
    }
}

/// Runs `work` on every item on `pool` and hands the results to `sink` in
/// item order, each as soon as it and every item before it are done.
/// Workers take items in order from a shared counter, so results arrive
/// nearly in order and few wait in the reorder buffer. The worker that
/// finishes an item passes on, under a lock, every result then ready: no
/// thread waits to be woken for each result, and a result never waits for
/// a later item to finish. When `sink` returns `false` the run stops early
/// (workers finish the item they hold, and `sink` is called no more).
pub fn run_ordered<T, R>(
    pool: &rayon::ThreadPool,
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    sink: impl FnMut(R) -> bool + Send,
) where
    T: Sync,
    R: Send,
{
    let n = items.len();
    if n == 0 {
        return;
    }
    let workers = pool.current_num_threads().clamp(1, n);
    let next = AtomicUsize::new(0);
    let stopped = AtomicBool::new(false);
    // The reorder buffer, the next item due, and the sink.
    let order = Mutex::new((BTreeMap::new(), 0usize, sink));
    let (work, next, stopped, order) = (&work, &next, &stopped, &order);
    pool.scope(|ps| {
        for _ in 0..workers {
            ps.spawn(move |_| {
                while !stopped.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let r = work(&items[i]);
                    // A poisoned lock: the sink panicked, and the scope
                    // passes the panic on.
                    let Ok(mut order) = order.lock() else { break };
                    let (pending, want, sink) = &mut *order;
                    if stopped.load(Ordering::Relaxed) {
                        break;
                    }
                    pending.insert(i, r);
                    while let Some(r) = pending.remove(want) {
                        *want += 1;
                        if !sink(r) {
                            stopped.store(true, Ordering::Relaxed);
                            break;
                        }
                    }
                }
            });
        }
    });
}

/// The descriptors of the rules a run reports (SARIF's rule list): the
/// pack's, less those the config disables or the selection leaves out,
/// and `stale-acknowledgement` when an acknowledgement file is in force.
pub(crate) fn rule_infos(
    pack: &RulePack,
    config: Option<&Config>,
    acks: bool,
    selection: &RuleSelection,
) -> Vec<RuleInfo> {
    let disabled: Vec<&str> = config.map(|c| c.disabled().collect()).unwrap_or_default();
    let mut rules: Vec<RuleInfo> = pack
        .rules()
        .iter()
        .filter(|r| !disabled.contains(&r.id.as_str()))
        .map(|r| RuleInfo {
            id: r.id.clone(),
            title: r.title.clone(),
            severity: r.severity,
            description: format!("{} {}", r.docs.checks, r.docs.why),
            help: Some(r.help.clone()),
            url: r.url(),
        })
        .collect();
    if acks {
        rules.push(RuleInfo {
            id: STALE_RULE.to_owned(),
            title: "Acknowledgement matches no finding".to_owned(),
            severity: Severity::Note,
            description: "An entry of the acknowledgement file names a finding this file no \
                          longer has: the figures changed or the problem was fixed."
                .to_owned(),
            help: Some("Remove the entry, or acknowledge the current finding again.".to_owned()),
            url: None,
        });
    }
    rules.retain(|r| selection.reports(&r.id));
    rules
}

fn render_options(args: &CheckArgs) -> RenderOptions {
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => auto_color(
            args.output_file.is_none() && std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var_os("FORCE_COLOR").as_deref(),
            std::env::var_os("TERM").as_deref(),
        ),
    };
    RenderOptions {
        color,
        width: None,
        ..RenderOptions::default()
    }
}

/// Colour under `--color auto`, as the conventions say: `NO_COLOR` set to
/// anything but the empty string turns it off (no-color.org); otherwise
/// `FORCE_COLOR` set to anything but the empty string turns it on, even
/// into a pipe (force-color.org); otherwise a terminal gets colour unless
/// `TERM` is `dumb`.
fn auto_color(
    terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
    force_color: Option<&std::ffi::OsStr>,
    term: Option<&std::ffi::OsStr>,
) -> bool {
    let set = |v: Option<&std::ffi::OsStr>| v.is_some_and(|v| !v.is_empty());
    if set(no_color) {
        return false;
    }
    if set(force_color) {
        return true;
    }
    terminal && term.is_none_or(|t| t != "dumb")
}

/// Writes `bytes` to `file` through a temporary file in the same folder,
/// synced and then renamed over it: a full disk or a crash leaves the old
/// file whole, never a file cut mid-entry.
fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = file.file_name().map_or_else(
        || std::ffi::OsString::from("tieout"),
        std::ffi::OsStr::to_os_string,
    );
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(&name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// An acknowledgement file for every finding of a run, built as the
/// reports arrive: one entry per finding, never a file's bytes. The entries
/// the file already holds for files this run did not check are kept (a
/// baseline written for one folder leaves another folder's reviewed
/// acknowledgements alone), except those of files that no longer exist.
struct Baseline<'a> {
    file: &'a Path,
    dir: PathBuf,
    acks: Option<&'a Acks>,
    cwd: &'a Path,
    entries: Vec<Ack>,
    /// What the file held before, to keep for the files not checked.
    previous: Vec<Ack>,
    /// The keys of the files this run checked.
    checked: std::collections::BTreeSet<String>,
}

impl<'a> Baseline<'a> {
    /// Reads what `file` holds (the loaded acknowledgements when they are
    /// that file); a file there that is not an acknowledgement file is not
    /// overwritten, and the run stops before checking anything.
    fn new(
        file: &'a Path,
        acks: Option<&'a Acks>,
        cwd: &'a Path,
        pack: &RulePack,
    ) -> Result<Baseline<'a>, u8> {
        let same = |a: &&Acks| {
            let resolved = |p: &Path| std::fs::canonicalize(cwd.join(p)).ok();
            resolved(&a.path).is_some_and(|x| Some(x) == resolved(file))
        };
        let previous = match acks.filter(same) {
            Some(a) => a.iter().cloned().collect(),
            None if file.exists() => match Acks::load(file, cwd, pack) {
                Ok(a) => a.iter().cloned().collect(),
                Err(e) => {
                    eprintln!(
                        "error: {} exists and cannot be read as an acknowledgement file, so it \
                         is not overwritten:",
                        file.display()
                    );
                    return Err(fail(miette::Report::new(e)));
                }
            },
            None => Vec::new(),
        };
        Ok(Baseline {
            file,
            dir: real_dir(file, cwd),
            acks,
            cwd,
            entries: Vec::new(),
            previous,
            checked: std::collections::BTreeSet::new(),
        })
    }

    fn add(&mut self, r: &FileReport) {
        if r.path == "-" {
            return;
        }
        let key = project_key(&self.dir, &r.path, self.cwd);
        for f in r.findings.iter().filter(|f| f.rule != STALE_RULE) {
            let hash = finding_hash(f, &r.source);
            let reason = self
                .acks
                .and_then(|a| a.find(&project_key(&a.dir, &r.path, self.cwd), &f.rule, hash))
                .map_or_else(|| "baseline".to_owned(), |a| a.reason.clone());
            self.entries.push(Ack {
                rule: f.rule.clone(),
                file: key.clone(),
                hash,
                reason,
            });
        }
        self.checked.insert(key);
    }

    /// Writes the file (atomically: a temporary file renamed over it).
    fn write(mut self) -> Result<u8, u8> {
        let mut gone = std::collections::BTreeSet::new();
        for a in std::mem::take(&mut self.previous) {
            if self.checked.contains(&a.file) {
                continue;
            }
            if a.file != "-" && !self.dir.join(&a.file).exists() {
                gone.insert(a.file);
                continue;
            }
            self.entries.push(a);
        }
        let text = baseline_text(&self.entries);
        if let Err(e) = write_atomically(self.file, text.as_bytes()) {
            eprintln!("error: cannot write {}: {e}", self.file.display());
            return Err(2);
        }
        let n = text.matches("\n  - rule: ").count();
        eprintln!("wrote {n} acknowledgement(s) to {}", self.file.display());
        if !gone.is_empty() {
            eprintln!(
                "dropped the acknowledgements of {} file(s) that no longer exist: {}",
                gone.len(),
                gone.into_iter().collect::<Vec<_>>().join(", ")
            );
        }
        Ok(0)
    }
}

pub(crate) fn exit_code(summary: &Summary, fail_on: &[FailOn]) -> u8 {
    let fails = fail_on.iter().any(|f| match f {
        FailOn::Error => summary.fails(Severity::Error),
        FailOn::Warning => summary.fails(Severity::Warning),
        FailOn::Note => summary.fails(Severity::Note),
        FailOn::Unreadable => summary.files_error > 0 || summary.fails(Severity::Error),
        FailOn::NotChecked => summary.files_not_checked > 0,
        FailOn::Never => false,
    });
    // A crash is a bug in tieout, not a property of the file: the run
    // fails whatever `--fail-on` says, except `never`.
    let crashed = summary.internal_errors > 0 && !fail_on.contains(&FailOn::Never);
    u8::from(fails || crashed)
}

fn progress_bar(args: &CheckArgs, total: usize) -> Option<indicatif::ProgressBar> {
    if args.quiet || total < 20 || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = indicatif::ProgressBar::new(total as u64);
    let style =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files  {per_sec}  {eta}")
            .ok()?;
    pb.set_style(style);
    Some(pb)
}

pub(super) enum Input {
    File(PathBuf),
    /// Standard input, with the name `--stdin-filename` gives it.
    Stdin(Option<PathBuf>),
    /// A regular file inside a named archive.
    Member {
        archive: Arc<super::archive::Archive>,
        index: usize,
        name: String,
    },
    /// A walked entry that cannot be read, with the reason.
    Broken {
        path: PathBuf,
        reason: String,
    },
}

impl Input {
    /// The input's bytes, or why they cannot be read.
    pub(super) fn read(&self) -> Result<Vec<u8>, String> {
        match self {
            Input::Stdin(_) => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut buf)
                    .map(|_| buf)
                    .map_err(|e| format!("cannot read standard input: {e}"))
            }
            Input::Broken { reason, .. } => Err(reason.clone()),
            Input::Member { archive, index, .. } => archive.read(*index),
            Input::File(p) => std::fs::read(p).map_err(|e| format!("cannot read the file: {e}")),
        }
    }

    /// The path as reports show it (see [`display_path`]).
    pub(super) fn path(&self, cwd: &Path) -> String {
        match self {
            Input::File(p) | Input::Broken { path: p, .. } | Input::Stdin(Some(p)) => {
                display_path(p, cwd)
            }
            Input::Stdin(None) => "-".to_owned(),
            Input::Member { archive, name, .. } => {
                format!("{}!{name}", display_path(&archive.path, cwd))
            }
        }
    }
}

/// Which walked files are releases.
struct FileFilter {
    include: GlobSet,
    exclude: GlobSet,
}

/// The files a sweep reads when `--include` is not given.
pub const DEFAULT_INCLUDE: [&str; 3] = ["*.txt", "*.htm", "*.html"];

impl FileFilter {
    fn new(include: &[String], exclude: &[String]) -> Result<Self, globset::Error> {
        let build = |globs: &[String], any_case: bool| -> Result<GlobSet, globset::Error> {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(GlobBuilder::new(g).case_insensitive(any_case).build()?);
            }
            b.build()
        };
        // By default every release a filer names `.txt`, `.htm` or `.html`
        // (EDGAR archives hold `EX-99.HTM` as often as `ex99.htm`).
        let include = if include.is_empty() {
            build(&DEFAULT_INCLUDE.map(String::from), true)?
        } else {
            build(include, false)?
        };
        Ok(FileFilter {
            include,
            exclude: build(exclude, false)?,
        })
    }

    /// Whether a walked file is a release: its name or its path matches an
    /// include glob and neither matches an exclude glob. The path is
    /// matched as walked and without `./` components, so `archive/**`
    /// excludes `./archive/q3.txt` when the walk starts at `.`.
    fn accepts(&self, path: &Path) -> bool {
        let name = path.file_name().map(Path::new).unwrap_or(path);
        // The clean path is made only for a glob the name and the path as
        // walked did not match: a sweep asks once per file.
        let clean = || -> PathBuf {
            path.components()
                .filter(|c| !matches!(c, std::path::Component::CurDir))
                .collect()
        };
        let any = |set: &GlobSet| {
            !set.is_empty() && (set.is_match(name) || set.is_match(path) || set.is_match(clean()))
        };
        any(&self.include) && !any(&self.exclude)
    }
}

/// The releases `paths` name, as `tieout parse` reads them: a file as
/// given, a folder walked as `check` walks it (default file names, hidden
/// entries left out), in path order. An entry that cannot be read comes
/// with the reason. `Err` names a path that does not exist.
pub fn release_files(paths: &[PathBuf]) -> Result<Vec<(PathBuf, Option<String>)>, PathBuf> {
    let filter = FileFilter::new(&[], &[]).map_err(|_| PathBuf::new())?;
    let accept = |p: &Path| filter.accepts(p);
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut inputs = Vec::new();
    for p in paths {
        if p.is_dir() {
            inputs.extend(walk(p, &accept, Some(&cwd)));
        } else if p.exists() {
            inputs.push(Input::File(p.clone()));
        } else {
            return Err(p.clone());
        }
    }
    inputs.sort_by_cached_key(|i| i.path(&cwd));
    Ok(inputs
        .into_iter()
        .filter_map(|i| match i {
            Input::File(p) => Some((p, None)),
            Input::Broken { path, reason } => Some((path, Some(reason))),
            Input::Stdin(_) | Input::Member { .. } => None,
        })
        .collect())
}

/// The release files under `dir`, in walk order. Symbolic links are
/// followed. An entry that `accept`s but cannot be read (a dangling link, a
/// FIFO or other special file, a loop), and a folder that cannot be listed,
/// is returned as [`Input::Broken`] so it is reported rather than skipped.
/// With `gitignore` (the working folder), what the Git repository's
/// `.gitignore` files ignore is left out ([`GitIgnores`]).
fn walk(dir: &Path, accept: &dyn Fn(&Path) -> bool, gitignore: Option<&Path>) -> Vec<Input> {
    let mut out = Vec::new();
    // Hidden folders and files (`.git`, `.cache`) are not walked, as in
    // ripgrep; a path named on the command line is always read.
    let hidden = |e: &walkdir::DirEntry| {
        e.depth() > 0 && e.file_name().to_str().is_some_and(|n| n.starts_with('.'))
    };
    let mut ignores = gitignore.and_then(|cwd| GitIgnores::new(dir, cwd));
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !hidden(e)
                && ignores
                    .as_mut()
                    .is_none_or(|g| !g.ignores(e.path(), e.depth(), e.file_type().is_dir()))
        })
    {
        match entry {
            Ok(e) => {
                let ft = e.file_type();
                if ft.is_dir() || !accept(e.path()) {
                    continue;
                }
                if ft.is_file() {
                    out.push(Input::File(e.into_path()));
                } else {
                    out.push(Input::Broken {
                        path: e.into_path(),
                        reason: "not a regular file (a FIFO, socket or device); \
                                 a folder walk reads regular files only"
                            .to_owned(),
                    });
                }
            }
            Err(err) => {
                let Some(path) = err.path().map(Path::to_path_buf) else {
                    continue;
                };
                let meta = std::fs::symlink_metadata(&path).ok();
                let is_dir = meta.as_ref().is_some_and(std::fs::Metadata::is_dir);
                // A path that cannot even be looked at (deeper than PATH_MAX,
                // or its folder vanished) is reported whatever its name: it
                // may hold releases, and a walk must not skip it silently.
                if meta.is_some() && !is_dir && !accept(&path) {
                    continue;
                }
                let io = err
                    .io_error()
                    .map_or_else(|| err.to_string(), ToString::to_string);
                let reason = if err.loop_ancestor().is_some() {
                    "symbolic link loop".to_owned()
                } else if meta.is_none() {
                    format!("cannot reach this path: {io}")
                } else if is_dir {
                    format!("cannot read the folder: {io}")
                } else if meta.is_some_and(|m| m.file_type().is_symlink()) {
                    format!("dangling symbolic link: cannot read its target: {io}")
                } else {
                    format!("cannot read the file: {io}")
                };
                out.push(Input::Broken { path, reason });
            }
        }
    }
    out
}

/// The `.gitignore` files that apply during one folder walk, as Git reads
/// them: those of the repository's folders from its root down to the
/// walked folder, `.git/info/exclude`, and those of the folders the walk
/// enters, a deeper file's rule winning over a shallower one's (`!keep.txt`
/// re-includes). Outside a Git repository nothing is ignored, as in
/// ripgrep. An ignored folder is not entered.
struct GitIgnores {
    /// The matchers of the repository above the walk, deepest last.
    above: Vec<ignore::gitignore::Gitignore>,
    /// The matchers of the folders the walk is in, with their depth.
    within: Vec<(usize, ignore::gitignore::Gitignore)>,
    /// The walked folder, absolute, for matching walked paths.
    root: PathBuf,
    /// The walked folder as given, a prefix of every walked path.
    given: PathBuf,
}

impl GitIgnores {
    fn new(dir: &Path, cwd: &Path) -> Option<GitIgnores> {
        let root = super::paths::absolute(dir, cwd);
        let repo = root.ancestors().find(|a| a.join(".git").exists())?;
        let mut above = Vec::new();
        let exclude = repo.join(".git").join("info").join("exclude");
        if let Some(g) = Self::matcher(repo, &exclude) {
            above.push(g);
        }
        let mut chain: Vec<&Path> = root
            .ancestors()
            .skip(1)
            .take_while(|a| a.starts_with(repo))
            .collect();
        chain.reverse();
        for folder in chain {
            if let Some(g) = Self::matcher(folder, &folder.join(".gitignore")) {
                above.push(g);
            }
        }
        Some(GitIgnores {
            above,
            within: Vec::new(),
            root,
            given: dir.to_path_buf(),
        })
    }

    fn matcher(folder: &Path, file: &Path) -> Option<ignore::gitignore::Gitignore> {
        if !file.is_file() {
            return None;
        }
        let mut b = ignore::gitignore::GitignoreBuilder::new(folder);
        // A line Git would not read either is left out; the others apply.
        let _ = b.add(file);
        b.build().ok().filter(|g| !g.is_empty())
    }

    /// Whether the walked entry at `path` (depth `depth` below the walked
    /// folder) is ignored. Called in walk order; a folder that is not
    /// ignored brings its own `.gitignore` into force below it.
    fn ignores(&mut self, path: &Path, depth: usize, is_dir: bool) -> bool {
        while self.within.last().is_some_and(|(d, _)| *d >= depth) {
            self.within.pop();
        }
        let abs = match path.strip_prefix(&self.given) {
            Ok(rest) => self.root.join(rest),
            Err(_) => path.to_path_buf(),
        };
        if depth > 0 {
            let decided = self
                .within
                .iter()
                .rev()
                .map(|(_, g)| g)
                .chain(self.above.iter().rev())
                .map(|g| g.matched(&abs, is_dir))
                .find(|m| !m.is_none());
            if decided.is_some_and(|m| m.is_ignore()) {
                return true;
            }
        }
        if is_dir && let Some(g) = Self::matcher(&abs, &abs.join(".gitignore")) {
            self.within.push((depth, g));
        }
        false
    }
}

fn error_report(path: String, error: String, source: Vec<u8>) -> FileReport {
    FileReport {
        path,
        status: FileStatus::Error,
        error: Some(error),
        stats: Stats::default(),
        findings: Vec::new(),
        source: Arc::new(source),
        view: None,
        known: None,
        claims: Vec::new(),
        untouched: Vec::new(),
        review: None,
    }
}

/// What a check of one input keeps and compares with.
struct Want<'a> {
    /// `--claims`: keep every claim.
    claims: bool,
    /// `--format html`: record the checks that tie and keep the claims.
    record: bool,
    /// `--format human`: a text rendering to draw findings on where the
    /// file's own lines cannot be shown (the other formats report offsets).
    view: bool,
    /// The earlier releases, and the folder report paths are relative to.
    pairing: Option<(&'a super::pairs::Pairing, &'a Path)>,
}

/// Reads, parses and checks one input. Never panics.
fn check_input(input: &Input, path: String, pack: &RulePack, want: Want<'_>) -> FileReport {
    let Want {
        claims,
        record,
        view,
        pairing,
    } = want;
    let bytes = match input.read() {
        Ok(b) => b,
        Err(e) => return error_report(path, e, Vec::new()),
    };
    if let Err(e) = sniff(&bytes) {
        return error_report(path, e.to_string(), bytes);
    }
    let bytes = Arc::new(bytes);
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let doc = parse(&bytes);
        let companies = pairing
            .map(|(p, cwd)| p.companies(&path, &doc, &bytes, cwd))
            .unwrap_or_default();
        let prior = pairing.map(|(p, _)| crate::prior::Prior {
            index: &p.index,
            path: &path,
            companies: &companies,
        });
        let options = CheckOptions {
            record,
            // Claims are reported only with `--claims` and in the
            // reviewer's view; otherwise only their counts are.
            lean_claims: !(claims || record),
            prior,
        };
        let mut out = check_document_with(&doc, pack, &bytes, options);
        if claims {
            out.findings.extend(unverifiable_notes(&out.claims, pack));
        }
        let unsupported = doc
            .issues
            .iter()
            .find(|i| {
                matches!(
                    i.kind,
                    crate::ast::ParseIssueKind::Unsupported | crate::ast::ParseIssueKind::NoExhibit
                )
            })
            .map(|i| i.message.clone());
        // HTML lines are too long to show, and a terminal shows the lines
        // of a file with lone CR line ends over each other: findings are
        // drawn on a text rendering of the document.
        let view = (view
            && !out.findings.is_empty()
            && (doc.exhibits.iter().any(|e| e.html) || has_lone_cr(&bytes)))
        .then(|| Arc::new(crate::report::DocView::new(&doc)));
        let review = record.then(|| {
            Arc::new(Review {
                ticks: std::mem::take(&mut out.ticks),
                figures: std::mem::take(&mut out.figures),
                html: doc
                    .exhibits
                    .iter()
                    .filter(|e| e.html)
                    .map(|e| e.span)
                    .collect(),
            })
        });
        (out, unsupported, view, review)
    }));
    match run {
        // Nothing was read (an HTML exhibit, a submission without EX-99):
        // the file was not checked, so no rule counts as run or skipped.
        Ok((out, Some(why), _, _)) if out.stats.tables == 0 => FileReport {
            path,
            status: FileStatus::Error,
            error: Some(why),
            stats: Stats::default(),
            findings: Vec::new(),
            source: bytes,
            view: None,
            known: None,
            claims: Vec::new(),
            untouched: Vec::new(),
            review: None,
        },
        Ok((out, _, view, review)) => {
            let nothing = nothing_checked(&out.stats, &out.findings);
            FileReport {
                path,
                status: if nothing.is_some() {
                    FileStatus::NotChecked
                } else {
                    FileStatus::Ok
                },
                error: nothing,
                stats: out.stats,
                findings: out.findings,
                source: bytes,
                view,
                known: None,
                claims: if claims || record {
                    out.claims
                } else {
                    Vec::new()
                },
                untouched: out.untouched,
                review,
            }
        }
        Err(_) => FileReport {
            path,
            status: FileStatus::Error,
            error: Some(format!(
                "{} tieout crashed on this file (please report it)",
                crate::report::INTERNAL_ERROR
            )),
            stats: Stats::default(),
            findings: Vec::new(),
            source: bytes,
            view: None,
            known: None,
            claims: Vec::new(),
            untouched: Vec::new(),
            review: None,
        },
    }
}

/// The most worker threads a run starts: each holds one file's work, and
/// thousands of threads only cost memory and start-up time.
pub const MAX_JOBS: usize = 256;

/// Worker threads for `-j`: one per core by default; never more than
/// [`MAX_JOBS`] or than the files to check (`-j 100000` on ten files starts
/// ten, with a note on standard error when the request is cut).
fn worker_count(jobs: Option<usize>, files: usize, quiet: bool) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let wanted = match jobs {
        None | Some(0) => cores,
        Some(j) => j,
    };
    if wanted > MAX_JOBS && !quiet {
        eprintln!(
            "note: -j {wanted} is more than the {MAX_JOBS} worker threads tieout starts; using {MAX_JOBS}"
        );
    }
    wanted.min(MAX_JOBS).min(files.max(1))
}

/// Why nothing in a checked file was checked, or `None` when something
/// was: a figure tied to another (in a total that footed or an identity
/// that held), a claim verified or contradicted, or a finding above a note.
fn nothing_checked(stats: &Stats, findings: &[crate::finding::Finding]) -> Option<String> {
    let something = stats.figures_tied > 0
        || stats.claims_verified + stats.claims_contradicted > 0
        || findings.iter().any(|f| f.severity >= Severity::Warning);
    if something {
        return None;
    }
    Some(if stats.tables == 0 {
        "no financial table was found, so no figure could be tied".to_owned()
    } else {
        format!(
            "{} table(s) read, but no figure in them could be tied to another (no total, \
             identity or narrative claim that tieout can check)",
            stats.tables
        )
    })
}

/// Whether `bytes` end a line with a CR not followed by LF.
fn has_lone_cr(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A result is passed on as soon as it and those before it are done,
    /// while another thread is still held by a later item (a FIFO waiting
    /// for its writer, a huge release).
    #[test]
    fn a_result_does_not_wait_for_a_later_item() {
        use std::sync::mpsc;
        use std::time::Duration;
        let (gate, open) = mpsc::channel::<()>();
        let (seen, results) = mpsc::channel::<u32>();
        std::thread::scope(|s| {
            s.spawn(move || {
                let open = Mutex::new(open);
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(2)
                    .build()
                    .unwrap();
                let work = |&i: &u32| {
                    match i {
                        // Slow enough that the other thread takes item 2.
                        1 => std::thread::sleep(Duration::from_millis(200)),
                        // Held until the test has seen items 0 and 1.
                        2 => {
                            let _ = open.lock().unwrap().recv_timeout(Duration::from_secs(30));
                        }
                        _ => {}
                    }
                    i
                };
                run_ordered(&pool, &[0u32, 1, 2, 3], work, |i| seen.send(i).is_ok());
            });
            let early: Vec<u32> = (0..2)
                .filter_map(|_| results.recv_timeout(Duration::from_secs(10)).ok())
                .collect();
            gate.send(()).unwrap();
            assert_eq!(early, vec![0, 1], "a result waited for a later item");
            let rest: Vec<u32> = results.iter().collect();
            assert_eq!(rest, vec![2, 3]);
        });
    }

    #[test]
    fn ordered_results_arrive_in_item_order_whatever_the_workers() {
        let items: Vec<u64> = (0..300).collect();
        for threads in 1..=4 {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            // Uneven work, so that workers finish out of order.
            let work = |&i: &u64| {
                let mut x = i;
                for _ in 0..(i * 7919 % 13) * 2000 {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                }
                (i, x)
            };
            let mut seen = Vec::new();
            run_ordered(&pool, &items, work, |(i, _)| {
                seen.push(i);
                true
            });
            assert_eq!(seen, items, "{threads} thread(s)");
            // A sink that refuses a result is handed nothing more.
            let mut seen = Vec::new();
            run_ordered(&pool, &items, work, |(i, _)| {
                seen.push(i);
                i < 41
            });
            assert_eq!(seen, (0..=41).collect::<Vec<u64>>(), "{threads} thread(s)");
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        run_ordered(
            &pool,
            &[] as &[u64],
            |_| (),
            |()| panic!("no items, no results"),
        );
    }

    #[test]
    fn auto_colour_follows_no_color_force_color_and_term() {
        use std::ffi::OsStr;
        let v = |s: &'static str| Some(OsStr::new(s));
        assert!(auto_color(true, None, None, v("xterm-256color")));
        assert!(!auto_color(false, None, None, v("xterm")));
        assert!(!auto_color(true, v("1"), None, None));
        // An empty NO_COLOR is not set.
        assert!(auto_color(true, v(""), None, None));
        assert!(auto_color(false, None, v("1"), None));
        assert!(!auto_color(false, None, v(""), None));
        assert!(!auto_color(true, v("1"), v("1"), None));
        assert!(!auto_color(true, None, None, v("dumb")));
        assert!(auto_color(true, None, v("3"), v("dumb")));
    }

    #[test]
    fn exclude_globs_match_the_walked_path_with_or_without_dot_slash() {
        let f = FileFilter::new(&[], &["archive/**".to_string()]).unwrap();
        assert!(!f.accepts(Path::new("./archive/q3.txt")));
        assert!(!f.accepts(Path::new("archive/2019/q3.txt")));
        assert!(f.accepts(Path::new("./filings/q3.txt")));
        assert!(f.accepts(Path::new("./filings/archive.txt")));
        let names = FileFilter::new(&[], &["draft-*".to_string()]).unwrap();
        assert!(!names.accepts(Path::new("./filings/draft-q3.htm")));
        assert!(names.accepts(Path::new("./filings/q3.htm")));
    }

    #[test]
    fn a_crash_fails_the_run_and_an_unreadable_file_does_not() {
        let crashed = error_report(
            "a.txt".into(),
            format!(
                "{} tieout crashed on this file",
                crate::report::INTERNAL_ERROR
            ),
            Vec::new(),
        );
        let unreadable = error_report("b.txt".into(), "the file is empty".into(), Vec::new());
        let mut summary = Summary::default();
        summary.add(&unreadable);
        assert_eq!(exit_code(&summary, &[FailOn::Error]), 0);
        summary.add(&crashed);
        assert_eq!(summary.internal_errors, 1);
        assert_eq!(exit_code(&summary, &[FailOn::Error]), 1);
        assert_eq!(exit_code(&summary, &[FailOn::Warning]), 1);
        assert_eq!(exit_code(&summary, &[FailOn::Never]), 0);
    }
}
