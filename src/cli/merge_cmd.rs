//! `tieout merge`: JSONL parts of a sweep (written by workers of a
//! scheduler, each `tieout check --format jsonl` over its share of the
//! files) combined into one report, the same bytes a single run over all
//! the files writes.
//!
//! Each part is in path order (a run sorts its files), so the parts are
//! merged like sorted runs: one pending file per part, the smallest path
//! first. Memory holds one file per part, whatever the number of files.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use super::check_cmd::{
    FailOn, RuleSelection, acks_path, exit_code, load_config, load_pack, rule_infos,
};
use crate::report::{
    FileReport, Format, JsonlLine, RenderOptions, Stream, Summary, read_jsonl_line,
};

/// Options of `tieout merge`.
#[derive(Clone, Debug, clap::Args)]
pub struct MergeArgs {
    /// JSONL parts written by `tieout check --format jsonl` (`-` reads
    /// standard input).
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    /// `json`, `jsonl`, `sarif`, `junit` or `concise` (`human` and
    /// `github` need the files themselves: run `check` on them).
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(short = 'o', long = "output-file", value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// As for `check`: the exit code the merged run would have had.
    #[arg(
        long = "fail-on",
        value_enum,
        default_values_t = [FailOn::Error, FailOn::NotChecked]
    )]
    pub fail_on: Vec<FailOn>,
    /// Exit 0 whatever the files hold.
    #[arg(long, conflicts_with = "fail_on")]
    pub exit_zero: bool,
    /// The rule options the workers ran with (`--rules`, `--config`,
    /// `--no-config`, `--acks`, `--select`, `--ignore`): SARIF lists the
    /// rules that ran.
    #[arg(long = "rules")]
    pub rules: Vec<PathBuf>,
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    #[arg(long)]
    pub no_config: bool,
    #[arg(long, value_name = "PATH")]
    pub acks: Option<PathBuf>,
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
}

/// One part being read.
struct Part {
    name: String,
    reader: Box<dyn BufRead>,
    line: usize,
    summary: bool,
    last: Option<String>,
}

impl Part {
    /// The part's next file report, checking that the part is in path
    /// order and ends with its summary line.
    fn next(&mut self) -> Result<Option<FileReport>, String> {
        let mut buf = String::new();
        loop {
            buf.clear();
            let n = self
                .reader
                .read_line(&mut buf)
                .map_err(|e| format!("{}: cannot read: {e}", self.name))?;
            if n == 0 {
                if !self.summary {
                    return Err(format!(
                        "{}: ends without its summary line: the worker that wrote it was \
                         interrupted, so files may be missing",
                        self.name
                    ));
                }
                return Ok(None);
            }
            self.line += 1;
            let text = buf.trim_end();
            if text.is_empty() {
                continue;
            }
            if self.summary {
                return Err(format!(
                    "{}:{}: a line after the summary line (two parts concatenated? pass them \
                     as separate files)",
                    self.name, self.line
                ));
            }
            match read_jsonl_line(text).map_err(|e| format!("{}:{}: {e}", self.name, self.line))? {
                JsonlLine::Summary => self.summary = true,
                JsonlLine::File(report) => {
                    if self.last.as_ref().is_some_and(|l| *l >= report.path) {
                        return Err(format!(
                            "{}:{}: `{}` is out of path order: a part must be one run's \
                             output",
                            self.name, self.line, report.path
                        ));
                    }
                    self.last = Some(report.path.clone());
                    return Ok(Some(*report));
                }
            }
        }
    }
}

/// Runs `tieout merge`; returns the process exit code.
pub fn run(args: &MergeArgs) -> u8 {
    match try_run(args) {
        Ok(code) | Err(code) => code,
    }
}

fn try_run(args: &MergeArgs) -> Result<u8, u8> {
    if matches!(args.format, Format::Human | Format::Github | Format::Html) {
        eprintln!(
            "error: `merge` writes json, jsonl, sarif, junit or concise; --format {} draws on \
             the files themselves, so run `tieout check` on them",
            args.format
        );
        return Err(2);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config = load_config(
        args.config.as_deref(),
        args.no_config,
        std::slice::from_ref(&cwd),
        &cwd,
    )?;
    let pack = load_pack(config.as_ref(), &args.rules)?;
    let selection = RuleSelection::for_pack(&args.select, &args.ignore, &pack)?;
    let acks = acks_path(args.acks.as_deref(), config.as_ref()).is_file();
    let rules = rule_infos(&pack, config.as_ref(), acks, &selection);

    let mut parts = Vec::new();
    let mut stdin_used = false;
    for p in &args.parts {
        let reader: Box<dyn BufRead> = if p.as_os_str() == "-" {
            if stdin_used {
                eprintln!("error: `-` is named twice");
                return Err(2);
            }
            stdin_used = true;
            Box::new(std::io::BufReader::new(std::io::stdin()))
        } else {
            match std::fs::File::open(p) {
                Ok(f) => Box::new(std::io::BufReader::new(f)),
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", p.display());
                    return Err(2);
                }
            }
        };
        parts.push(Part {
            name: p.display().to_string(),
            reader,
            line: 0,
            summary: false,
            last: None,
        });
    }

    let options = RenderOptions::default();
    let mut stream = Stream::new(args.format, &options, &rules);
    let mut out: Box<dyn Write> = match &args.output_file {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                return Err(2);
            }
        },
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let broken = |e: String| {
        eprintln!("error: {e}");
        2u8
    };
    let written = |e: std::io::Error| {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write output: {e}");
        }
        2u8
    };
    stream.begin(&mut out).map_err(written)?;
    let mut pending: Vec<Option<FileReport>> = Vec::with_capacity(parts.len());
    let mut heap = BinaryHeap::new();
    for (i, part) in parts.iter_mut().enumerate() {
        let next = part.next().map_err(broken)?;
        if let Some(r) = &next {
            heap.push(Reverse((r.path.clone(), i)));
        }
        pending.push(next);
    }
    let mut summary = Summary::default();
    let mut previous: Option<(String, usize)> = None;
    while let Some(Reverse((path, i))) = heap.pop() {
        let Some(report) = pending[i].take() else {
            continue;
        };
        if let Some((p, j)) = &previous
            && *p == path
        {
            return Err(broken(format!(
                "`{path}` is in both {} and {}: the parts overlap (shards of different \
                 N, or a part given twice)",
                parts[*j].name, parts[i].name
            )));
        }
        summary.add(&report);
        stream.file(&report, &mut out).map_err(written)?;
        previous = Some((path, i));
        let next = parts[i].next().map_err(broken)?;
        if let Some(r) = &next {
            heap.push(Reverse((r.path.clone(), i)));
        }
        pending[i] = next;
    }
    stream
        .finish(&summary, &mut out)
        .and_then(|()| out.flush())
        .map_err(written)?;
    let fail_on: &[FailOn] = if args.exit_zero {
        &[FailOn::Never]
    } else {
        &args.fail_on
    };
    Ok(exit_code(&summary, fail_on))
}
