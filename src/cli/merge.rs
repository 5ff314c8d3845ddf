//! `sohoa merge`: archives (e.g. the shards of a run on many machines) → one archive.

use std::path::PathBuf;

use anyhow::Context;
use sohoa::store::merge::{merge, MergeOptions};
use sohoa::store::Archive;

use super::{Exit, Global};

/// Merge archives into one: records deduplicated by id (the newer `processed_at` wins, on a tie
/// the later archive), errors combined, review history concatenated; then the index and
/// records.csv of the output are rebuilt. The output's own records count as an input, so merging
/// again after a late shard is safe and merging twice changes nothing.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The archives to merge (e.g. `out/shard-*`).
    #[arg(required = true, value_name = "ARCHIVE")]
    inputs: Vec<PathBuf>,
    /// The merged archive (created if needed; its existing records are kept unless newer ones come).
    #[arg(short, long, value_name = "DIR")]
    out: PathBuf,
    /// Indexing threads (default: the number of cores, at most 4).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// Write records.csv with a byte-order mark so that Excel shows diacritics.
    #[arg(long)]
    excel: bool,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args, g: &Global) -> anyhow::Result<Exit> {
    let inputs: Vec<Archive> = a.inputs.iter().map(Archive::at).collect();
    let out = Archive::at(&a.out);
    let threads =
        a.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(4));
    anyhow::ensure!(threads > 0, "--jobs must be at least 1");
    let opts = MergeOptions { threads, excel: a.excel };
    let s = merge(&inputs, &out, &opts, |_| {}).with_context(|| format!("merge into {}", a.out.display()))?;
    if a.json {
        println!("{}", serde_json::to_string(&s)?);
    }
    if !g.quiet {
        eprintln!(
            "sohoa: {} archive(s) merged into {}: {} record(s) ({} older or repeated line(s) dropped), {} error line(s), {} indexed",
            s.inputs,
            a.out.display(),
            s.records,
            s.superseded,
            s.errors,
            s.indexed
        );
    }
    Ok(Exit::Ok)
}
