use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use tieout::cli::check_cmd::{self, CheckArgs};
use tieout::rules::RulePack;

/// mimalloc rather than the system allocator: parsing makes many small,
/// short-lived allocations (labels, rows, cells), and a sweep makes them on
/// every core at once. See docs/testing.md for the measurement; the
/// `system-alloc` feature keeps the system allocator.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "tieout",
    version,
    about = "Tick-and-tie checks for earnings press releases"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check releases: totals foot, statements tie, the narrative matches the tables.
    Check(CheckArgs),
    /// Print what the parser read: tables, columns with periods, values.
    Parse {
        /// Release files (plain text, HTML or EDGAR submission files), or
        /// folders to walk as `check` walks them.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = ParseFormat::Outline)]
        format: ParseFormat,
    },
    /// List the active rules: id, severity, title, source file.
    Rules {
        /// Extra rule files or folders, as for `check --rules`.
        #[arg(long = "rules")]
        rules: Vec<std::path::PathBuf>,
    },
    /// Explain a rule: what it checks, why, its assertion and an example.
    Explain {
        id: String,
        #[arg(long = "rules")]
        rules: Vec<std::path::PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ParseFormat {
    Outline,
    Json,
}

fn load_pack(extra: &[std::path::PathBuf]) -> Result<RulePack, ExitCode> {
    let mut pack = RulePack::try_default().map_err(|e| {
        eprintln!("{:?}", miette::Report::new(e));
        ExitCode::from(2)
    })?;
    for p in extra {
        pack.load_path(p).map_err(|e| {
            eprintln!("{:?}", miette::Report::new(e));
            ExitCode::from(2)
        })?;
    }
    Ok(pack)
}

/// Writes `text` to standard output. A reader that went away (`tieout parse
/// ... | head`) ends the output quietly; any other write error is reported
/// and exits with status 2.
fn write_out(text: &str) -> Result<(), ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("error: cannot write output: {e}");
            Err(ExitCode::from(2))
        }
    }
}

/// `tieout parse`: each release's outline, or its JSON; folders are walked
/// as `check` walks them. JSON is one object for one file, else an array
/// written one document at a time, so memory holds one release.
fn parse_command(paths: &[std::path::PathBuf], format: ParseFormat) -> ExitCode {
    let files = match tieout::cli::check_cmd::release_files(paths) {
        Ok(f) => f,
        Err(missing) => {
            eprintln!("error: {}: no such file or directory", missing.display());
            return ExitCode::from(2);
        }
    };
    let single = paths.len() == 1 && files.len() == 1 && !paths[0].is_dir();
    let json = matches!(format, ParseFormat::Json);
    let mut status = ExitCode::SUCCESS;
    let mut written = 0usize;
    if json
        && !single
        && let Err(code) = write_out("[")
    {
        return code;
    }
    for (f, broken) in &files {
        let path = f.display().to_string();
        let bytes = match broken {
            Some(reason) => Err(reason.clone()),
            None => std::fs::read(f).map_err(|e| e.to_string()),
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: error: {e}");
                status = ExitCode::from(2);
                continue;
            }
        };
        let doc = tieout::parse::parse(&bytes);
        let text = if json {
            let v = tieout::cli::outline::json(&path, &doc);
            let body = serde_json::to_string_pretty(&v).unwrap_or_default();
            if single {
                body + "\n"
            } else {
                let sep = if written == 0 { "\n" } else { ",\n" };
                format!("{sep}{body}")
            }
        } else {
            tieout::cli::outline::outline(&path, &bytes, &doc)
        };
        if let Err(code) = write_out(&text) {
            return code;
        }
        written += 1;
    }
    if json && !single {
        let end = if written == 0 { "]\n" } else { "\n]\n" };
        return emit(end, status);
    }
    status
}

/// [`write_out`], then `status` if the write went through.
fn emit(text: &str, status: ExitCode) -> ExitCode {
    match write_out(text) {
        Ok(()) => status,
        Err(code) => code,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => ExitCode::from(check_cmd::run(&args)),
        Command::Rules { rules } => match load_pack(&rules) {
            Ok(pack) => {
                let mut text = String::new();
                for r in pack.rules() {
                    text.push_str(&format!(
                        "{:<34} {:<8} {:<62} {}\n",
                        r.id, r.severity, r.title, r.source
                    ));
                }
                emit(&text, ExitCode::SUCCESS)
            }
            Err(code) => code,
        },
        Command::Explain { id, rules } => match load_pack(&rules) {
            Ok(pack) => match pack.get(&id) {
                Some(rule) => emit(&tieout::rules::docs::explain(rule), ExitCode::SUCCESS),
                None => {
                    eprintln!("error: no rule with id `{id}` (see `tieout rules`)");
                    ExitCode::from(2)
                }
            },
            Err(code) => code,
        },
        Command::Parse { files, format } => parse_command(&files, format),
    }
}
