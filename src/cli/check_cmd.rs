//! `tieout check`: walk, check in parallel, render, exit code.
//!
//! One bad file never stops a sweep: an unreadable or binary file becomes a
//! report with status `error`, and a panic inside the checker is caught and
//! reported the same way. Reports are sorted by path, so the output is the
//! same whatever the number of threads.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::check::check_document;
use crate::check_narrative::unverifiable_notes;
use crate::finding::Severity;
use crate::parse::{parse, sniff};
use crate::report::{
    FileReport, FileStatus, Format, RenderOptions, RuleInfo, Stats, Summary, render_all,
};
use crate::rules::RulePack;

/// What `--fail-on` may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    /// Fail only on files that cannot be read (with `error` findings too).
    Unreadable,
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
    /// Files and directories to check; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when a finding at or above this severity is found. May be
    /// repeated; `unreadable` also fails on files that cannot be read.
    #[arg(long = "fail-on", value_enum, default_values_t = [FailOn::Error])]
    pub fail_on: Vec<FailOn>,
    /// Extra rule files or folders; a rule with a default rule's id
    /// replaces it.
    #[arg(long = "rules")]
    pub rules: Vec<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long = "jobs")]
    pub jobs: Option<usize>,
    /// Only walk files matching these globs (default: `*.txt`).
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
}

/// Runs `tieout check`; returns the process exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let mut pack = match RulePack::try_default() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(e));
            return 2;
        }
    };
    for path in &args.rules {
        if let Err(e) = pack.load_path(path) {
            eprintln!("{:?}", miette::Report::new(e));
            return 2;
        }
    }
    let filter = match FileFilter::new(&args.include, &args.exclude) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let mut inputs = Vec::new();
    for p in &args.paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            inputs.extend(walk(p, &filter).into_iter().map(Input::File));
        } else if p.exists() {
            inputs.push(Input::File(p.clone()));
        } else {
            eprintln!("error: {}: no such file or directory", p.display());
            return 2;
        }
    }
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot start worker threads: {e}");
            return 2;
        }
    };
    let progress = progress_bar(args, inputs.len());
    let mut reports: Vec<FileReport> = pool.install(|| {
        inputs
            .par_iter()
            .map(|input| {
                let r = check_input(input, &pack, args.claims);
                if let Some(pb) = &progress {
                    pb.inc(1);
                }
                r
            })
            .collect()
    });
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    let rules: Vec<RuleInfo> = pack
        .rules()
        .iter()
        .map(|r| RuleInfo {
            id: r.id.clone(),
            title: r.title.clone(),
            severity: r.severity,
            description: format!("{} {}", r.docs.checks, r.docs.why),
            help: Some(r.help.clone()),
            url: Some(r.url()),
        })
        .collect();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let opts = RenderOptions {
        color,
        width: None,
        ..RenderOptions::default()
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Err(e) = render_all(args.format, &reports, &rules, &opts, &mut out)
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write output: {e}");
        return 2;
    }
    exit_code(&reports, &args.fail_on)
}

fn exit_code(reports: &[FileReport], fail_on: &[FailOn]) -> u8 {
    let summary = Summary::from_reports(reports);
    let unreadable = reports.iter().any(|r| r.status == FileStatus::Error);
    let fails = fail_on.iter().any(|f| match f {
        FailOn::Error => summary.fails(Severity::Error),
        FailOn::Warning => summary.fails(Severity::Warning),
        FailOn::Note => summary.fails(Severity::Note),
        FailOn::Unreadable => unreadable,
        FailOn::Never => false,
    });
    u8::from(fails)
}

fn progress_bar(args: &CheckArgs, total: usize) -> Option<indicatif::ProgressBar> {
    if args.format != Format::Human || total < 20 || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = indicatif::ProgressBar::new(total as u64);
    let style =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files  {per_sec}  {eta}")
            .ok()?;
    pb.set_style(style);
    Some(pb)
}

enum Input {
    File(PathBuf),
    Stdin,
}

/// Which walked files are releases.
struct FileFilter {
    include: GlobSet,
    exclude: GlobSet,
}

impl FileFilter {
    fn new(include: &[String], exclude: &[String]) -> Result<Self, globset::Error> {
        let build = |globs: &[String]| -> Result<GlobSet, globset::Error> {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(Glob::new(g)?);
            }
            b.build()
        };
        let include = if include.is_empty() {
            vec!["*.txt".to_string()]
        } else {
            include.to_vec()
        };
        Ok(FileFilter {
            include: build(&include)?,
            exclude: build(exclude)?,
        })
    }

    fn accepts(&self, path: &Path) -> bool {
        let name = path.file_name().map(Path::new).unwrap_or(path);
        (self.include.is_match(name) || self.include.is_match(path))
            && !(self.exclude.is_match(name) || self.exclude.is_match(path))
    }
}

/// The release files under `dir`, sorted. Unreadable directory entries are
/// skipped (the walk never stops).
fn walk(dir: &Path, filter: &FileFilter) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| filter.accepts(p))
        .collect();
    files.sort();
    files
}

fn error_report(path: String, error: String, source: Vec<u8>) -> FileReport {
    FileReport {
        path,
        status: FileStatus::Error,
        error: Some(error),
        stats: Stats::default(),
        findings: Vec::new(),
        source: Arc::new(source),
    }
}

/// Reads, parses and checks one input. Never panics.
fn check_input(input: &Input, pack: &RulePack, claims: bool) -> FileReport {
    let (path, bytes) = match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            match std::io::stdin().read_to_end(&mut buf) {
                Ok(_) => ("-".to_string(), buf),
                Err(e) => {
                    return error_report(
                        "-".into(),
                        format!("cannot read standard input: {e}"),
                        Vec::new(),
                    );
                }
            }
        }
        Input::File(p) => {
            let path = p.display().to_string();
            match std::fs::read(p) {
                Ok(b) => (path, b),
                Err(e) => {
                    return error_report(path, format!("cannot read the file: {e}"), Vec::new());
                }
            }
        }
    };
    if let Err(e) = sniff(&bytes) {
        return error_report(path, e.to_string(), bytes);
    }
    let bytes = Arc::new(bytes);
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let doc = parse(&bytes);
        let mut out = check_document(&doc, pack, &bytes);
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
        (out, unsupported)
    }));
    match run {
        Ok((out, Some(why))) if out.stats.tables == 0 => FileReport {
            path,
            status: FileStatus::Error,
            error: Some(why),
            stats: out.stats,
            findings: Vec::new(),
            source: bytes,
        },
        Ok((out, _)) => FileReport {
            path,
            status: FileStatus::Ok,
            error: None,
            stats: out.stats,
            findings: out.findings,
            source: bytes,
        },
        Err(_) => FileReport {
            path,
            status: FileStatus::Error,
            error: Some("internal error: tieout crashed on this file (please report it)".into()),
            stats: Stats::default(),
            findings: Vec::new(),
            source: bytes,
        },
    }
}
