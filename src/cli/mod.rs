//! The command line: clap definitions, one file per subcommand, rendering and progress.
//! Each subcommand turns its arguments into a library config, calls one library function and
//! renders the result; nothing here knows how a stage works.

mod exit;
mod extract;
pub mod omp;
mod progress;
mod scan;
mod schema;

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
}

#[derive(Debug, Subcommand)]
enum Command {
    /// OCR scans (files, folders, or `-` for a list on stdin) into an archive folder.
    Scan(scan::Args),
    /// Print the JSON Schema of a record.
    Schema(schema::Args),
    /// Extract the record fields from plain text (OCRed elsewhere); prints JSON.
    Extract(extract::Args),
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(a) => scan::run(a, &cli.global),
        Command::Schema(a) => schema::run(a, &cli.global),
        Command::Extract(a) => extract::run(a, &cli.global),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            if is_broken_pipe(&e) {
                return Exit::Ok.into();
            }
            let _ = writeln!(std::io::stderr(), "sohoa: error: {e:#}");
            Exit::Error.into()
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
