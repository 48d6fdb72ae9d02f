use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

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
    /// Print what the parser read: tables, columns with periods, values.
    Parse {
        /// Release files (plain text or EDGAR submission files).
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = ParseFormat::Outline)]
        format: ParseFormat,
    },
    /// Check releases (temporary concise output).
    Check { files: Vec<std::path::PathBuf> },
}

#[derive(Clone, Copy, ValueEnum)]
enum ParseFormat {
    Outline,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { files } => {
            let pack = tieout::rules::RulePack::default_pack();
            for f in &files {
                let bytes = std::fs::read(f).unwrap_or_default();
                let doc = tieout::parse::parse(&bytes);
                let out = tieout::check::check_document(&doc, &pack, &bytes);
                println!("{}: {:?}", f.display(), out.stats);
                for x in &out.findings {
                    let (l, c) =
                        tieout::span::line_col(&bytes, x.primary().map_or(0, |s| s.offset));
                    println!("  {l}:{c} {}[{}] {}", x.severity, x.rule, x.message);
                }
            }
            ExitCode::SUCCESS
        }
        Command::Parse { files, format } => {
            let mut status = ExitCode::SUCCESS;
            let mut docs = Vec::new();
            for f in &files {
                let path = f.display().to_string();
                match std::fs::read(f) {
                    Ok(bytes) => {
                        let doc = tieout::parse::parse(&bytes);
                        match format {
                            ParseFormat::Outline => {
                                print!("{}", tieout::cli::outline::outline(&path, &bytes, &doc))
                            }
                            ParseFormat::Json => docs.push(tieout::cli::outline::json(&path, &doc)),
                        }
                    }
                    Err(e) => {
                        eprintln!("{path}: error: {e}");
                        status = ExitCode::from(2);
                    }
                }
            }
            if matches!(format, ParseFormat::Json) {
                let v = if docs.len() == 1 {
                    docs.remove(0)
                } else {
                    serde_json::Value::Array(docs)
                };
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            }
            status
        }
    }
}
