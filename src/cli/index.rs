//! `sohoa index`: rebuild the full-text index from records.jsonl.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sohoa::store::{Archive, RECORDS};

use super::{Exit, Global};

/// Rebuild the full-text index of an archive from its records.jsonl (after an upgrade, a merge
/// of archives, or an edit of the records). Searches keep working on the old index meanwhile.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The archive folder.
    #[arg(short, long, value_name = "DIR", default_value = "archive", env = "SOHOA_ARCHIVE")]
    archive: PathBuf,
    /// Indexing threads (default: the number of cores, at most 4).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
}

pub fn run(a: Args, g: &Global) -> anyhow::Result<Exit> {
    let archive = Archive::at(&a.archive);
    let path = archive.path(RECORDS);
    let file = std::fs::File::open(&path).with_context(|| {
        format!("{} has no records ({} cannot be read)", a.archive.display(), path.display())
    })?;
    let lines = std::io::BufReader::new(file).split(b'\n').count() as u64;
    let bar = ProgressBar::hidden();
    if !g.quiet && std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
    }
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30.cyan/blue} {pos}/{len} records  {per_sec}  ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_length(lines);
    let threads =
        a.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(4));
    anyhow::ensure!(threads > 0, "--jobs must be at least 1");
    let start = Instant::now();
    let result = sohoa::index::rebuild(&archive, threads, |n| {
        if n % 256 == 0 {
            bar.set_position(n);
        }
    });
    bar.finish_and_clear();
    let n = result.with_context(|| format!("index {}", a.archive.display()))?;
    if !g.quiet {
        let secs = start.elapsed().as_secs_f64();
        eprintln!(
            "sohoa: {n} record(s) indexed in {secs:.1} s ({:.0} records/s) into {}",
            n as f64 / secs.max(1e-9),
            archive.path(sohoa::index::INDEX_DIR).display()
        );
    }
    Ok(Exit::Ok)
}
