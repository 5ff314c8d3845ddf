//! The command line: clap definitions, one file per subcommand, rendering and progress.
//! Each subcommand turns its arguments into a library config, calls one library function and
//! renders the result; nothing here knows how a stage works.

mod completions;
mod config;
mod doctor;
mod exit;
mod export;
mod extract;
mod i18n;
mod index;
mod man;
mod merge;
pub mod omp;
mod progress;
mod review;
mod scan;
mod schema;
mod search;
mod show;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use exit::Exit;

/// sohoa: digitize paper archives of Vietnamese state agencies (OCR, fields, search).
#[derive(Debug, Parser)]
#[command(name = "sohoa", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: Global,
}

/// Options every subcommand takes.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// No progress bars or summary on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More log lines on stderr: -v each document, -vv each page.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Read default options from this TOML file (default: `sohoa.toml` in the archive folder).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Language of messages: vi (Tiếng Việt) or en (default: from LANG).
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang_ui: Option<i18n::Ui>,
}

impl Global {
    /// The language of messages.
    pub fn ui(&self) -> i18n::Ui {
        i18n::Ui::detect(self.lang_ui)
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// OCR scans (files, folders, or `-` for a list on stdin) into an archive folder.
    Scan(scan::Args),
    /// Print the JSON Schema of a record.
    Schema(schema::Args),
    /// Check the environment (Tesseract, models, archive folder, disk) and say what to fix.
    Doctor(doctor::Args),
    /// List records a clerk must check, or apply a corrected review sheet.
    Review(review::Args),
    /// Print the effective settings (defaults, sohoa.toml, environment).
    Config(config::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::Args),
    /// Write the man pages into a folder.
    #[command(hide = true)]
    Man(man::Args),
    /// Search the archive's full text and fields.
    Search(search::Args),
    /// Print one record and its text, page by page.
    Show(show::Args),
    /// Rebuild the full-text index from records.jsonl.
    Index(index::Args),
    /// Extract the record fields from plain text (OCRed elsewhere); prints JSON.
    Extract(extract::Args),
    /// Merge archives (e.g. shards of a run on many machines) into one.
    Merge(merge::Args),
    /// Export records: JSON Lines, CSV, the TT 05 archive profile, OpenSearch, Quickwit.
    Export(export::Args),
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = match config::parse(std::env::args_os().collect()) {
        Ok((cli, _)) => cli,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "sohoa: error: {e:#}");
            return Exit::Error.into();
        }
    };
    let global = cli.global;
    let result = match cli.command {
        Command::Scan(a) => scan::run(a, &global),
        Command::Schema(a) => schema::run(a, &global),
        Command::Doctor(a) => doctor::run(a, &global),
        Command::Review(a) => review::run(a, &global),
        Command::Config(a) => config::run(a, &global),
        Command::Completions(a) => completions::run(a, &global),
        Command::Man(a) => man::run(a, &global),
        Command::Search(a) => search::run(a, &global),
        Command::Show(a) => show::run(a, &global),
        Command::Index(a) => index::run(a, &global),
        Command::Extract(a) => extract::run(a, &global),
        Command::Merge(a) => merge::run(a, &global),
        Command::Export(a) => export::run(a, &global),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            if is_broken_pipe(&e) {
                return Exit::Ok.into();
            }
            let _ = writeln!(std::io::stderr(), "sohoa: {}: {e:#}", global.ui().error());
            Exit::Error.into()
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
