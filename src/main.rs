use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use tieout::cli::check_cmd::{self, CheckArgs};
use tieout::cli::config::Config;

/// mimalloc rather than the system allocator: parsing makes many small,
/// short-lived allocations (labels, rows, cells), and a sweep makes them on
/// every core at once. See docs/testing.md for the measurement; the
/// `system-alloc` feature keeps the system allocator. Cargo.toml picks
/// mimalloc's v2 line (docs/performance.md); `tieout::alloc` says why the
/// allocator is ours rather than the `mimalloc` crate's.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: tieout::alloc::Mimalloc = tieout::alloc::Mimalloc;

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
    Check(Box<CheckArgs>),
    /// Combine the `--format jsonl` parts of a sweep (one per worker or
    /// shard) into one report: the bytes a single run would have written.
    Merge(tieout::cli::merge_cmd::MergeArgs),
    /// Print what the parser read: tables, columns with periods, values.
    Parse {
        /// Release files (plain text, HTML or EDGAR submission files), or
        /// folders to walk as `check` walks them.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = ParseFormat::Outline)]
        format: ParseFormat,
    },
    /// List the rules `check` runs here: id, severity (after `tieout.yaml`;
    /// `off` when it disables the rule), title, source file.
    Rules(PackArgs),
    /// Explain a rule: what it checks, why, its assertion and an example.
    Explain {
        id: String,
        #[command(flatten)]
        pack: PackArgs,
    },
    /// Write a starting `tieout.yaml` (every setting, commented) in the
    /// current folder.
    Init {
        /// Replace an existing `tieout.yaml`.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script (e.g. `tieout completions bash >
    /// ~/.local/share/bash-completion/completions/tieout`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command into a
    /// folder with `--dir`.
    Man {
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
}

/// Which rules `rules` and `explain` describe: those `check` would run
/// from the current folder.
#[derive(clap::Args)]
struct PackArgs {
    /// Extra rule files or folders, as for `check --rules`.
    #[arg(long = "rules")]
    rules: Vec<std::path::PathBuf>,
    /// The config file (default: `tieout.yaml` in the current folder or the
    /// nearest parent that has one).
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    config: Option<std::path::PathBuf>,
    /// Ignore any `tieout.yaml`.
    #[arg(long)]
    no_config: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ParseFormat {
    Outline,
    Json,
}

/// The rules `check` would run from the current folder, and the config
/// they come with.
fn load_pack(args: &PackArgs) -> Result<(tieout::rules::RulePack, Option<Config>), ExitCode> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| std::path::PathBuf::from("."));
    let config = check_cmd::load_config(
        args.config.as_deref(),
        args.no_config,
        std::slice::from_ref(&cwd),
        &cwd,
    )
    .map_err(ExitCode::from)?;
    let pack = check_cmd::load_pack(config.as_ref(), &args.rules).map_err(ExitCode::from)?;
    Ok((pack, config))
}

/// `tieout rules`: one line per rule, then the built-in
/// `stale-acknowledgement`.
fn rules_command(args: &PackArgs) -> ExitCode {
    let (pack, config) = match load_pack(args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let disabled: Vec<&str> = config
        .as_ref()
        .map(|c| c.disabled().collect())
        .unwrap_or_default();
    let mut text = String::new();
    for r in pack.rules() {
        let severity = if disabled.contains(&r.id.as_str()) {
            "off".to_owned()
        } else {
            r.severity.to_string()
        };
        text.push_str(&format!(
            "{:<34} {:<8} {:<62} {}\n",
            r.id, severity, r.title, r.source
        ));
    }
    let (id, severity, title, source) = tieout::cli::acks::STALE_LISTING;
    text.push_str(&format!("{id:<34} {severity:<8} {title:<62} {source}\n"));
    emit(&text, ExitCode::SUCCESS)
}

fn explain_command(id: &str, args: &PackArgs) -> ExitCode {
    let (pack, config) = match load_pack(args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if id == tieout::cli::acks::STALE_RULE {
        return emit(&tieout::cli::acks::stale_explain(), ExitCode::SUCCESS);
    }
    match pack.get(id) {
        Some(rule) => {
            let mut text = tieout::rules::docs::explain(rule);
            if let Some(c) = config.as_ref().filter(|c| c.disabled().any(|d| d == id)) {
                text = format!(
                    "{text}\nSwitched off here: {} lists it under `disable`.\n",
                    c.path.display()
                );
            }
            emit(&text, ExitCode::SUCCESS)
        }
        None => {
            let ids = pack
                .rules()
                .iter()
                .map(|r| r.id.as_str())
                .chain([tieout::cli::acks::STALE_RULE]);
            match tieout::cli::diag::closest(id, ids) {
                Some(best) => eprintln!("error: no rule with id `{id}`; did you mean `{best}`?"),
                None => eprintln!("error: no rule with id `{id}` (see `tieout rules`)"),
            }
            ExitCode::from(2)
        }
    }
}

/// `tieout init`: a commented `tieout.yaml` with every setting.
fn init_command(force: bool) -> ExitCode {
    let path = std::path::Path::new(tieout::cli::config::CONFIG_FILE);
    if path.exists() && !force {
        eprintln!(
            "error: {} already exists; `tieout init --force` replaces it",
            path.display()
        );
        return ExitCode::from(2);
    }
    match std::fs::write(path, tieout::cli::config::INIT_TEMPLATE) {
        Ok(()) => {
            eprintln!(
                "wrote {}; `tieout check` uses it from this folder and the folders below",
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}

/// `tieout man`: the page of `tieout` on standard output, or every
/// command's page in `dir`.
fn man_command(dir: Option<&std::path::Path>) -> ExitCode {
    let cmd = Cli::command();
    match dir {
        Some(dir) => {
            match std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!(
                        "error: cannot write the manual pages to {}: {e}",
                        dir.display()
                    );
                    ExitCode::from(2)
                }
            }
        }
        None => {
            let mut page = Vec::new();
            if let Err(e) = clap_mangen::Man::new(cmd).render(&mut page) {
                eprintln!("error: cannot render the manual page: {e}");
                return ExitCode::from(2);
            }
            emit(&String::from_utf8_lossy(&page), ExitCode::SUCCESS)
        }
    }
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
    tieout::alloc::no_huge_pages();
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => ExitCode::from(check_cmd::run(&args)),
        Command::Merge(args) => ExitCode::from(tieout::cli::merge_cmd::run(&args)),
        Command::Rules(args) => rules_command(&args),
        Command::Explain { id, pack } => explain_command(&id, &pack),
        Command::Init { force } => init_command(force),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "tieout", &mut script);
            emit(&String::from_utf8_lossy(&script), ExitCode::SUCCESS)
        }
        Command::Man { dir } => man_command(dir.as_deref()),
        Command::Parse { files, format } => parse_command(&files, format),
    }
}
