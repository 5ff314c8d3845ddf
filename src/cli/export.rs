//! `sohoa export`: an archive → JSON Lines, CSV, the TT 05 archive profile, OpenSearch or Quickwit.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sohoa::store::export::{export, opensearch_mapping, quickwit_config, ExportOptions, Target};
use sohoa::store::{atomic_write, Archive};

use super::{Exit, Global};

/// Export an archive's records (one per id, the latest winning), streaming.
///
/// `opensearch` writes `_bulk` NDJSON (load with `curl -H 'Content-Type: application/x-ndjson'
/// --data-binary @FILE http://HOST:9200/_bulk`) and the index settings and mapping (`PUT
/// /sohoa` with `--mapping`'s file first). `quickwit` writes documents for `quickwit tool
/// local-ingest` and an index config for `quickwit index create`. `tt05` writes the Circular
/// 05/2025/TT-BNV profile; values over its limits are written whole and reported on stderr.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The archive folder.
    #[arg(short, long, value_name = "DIR", default_value = "archive", env = "SOHOA_ARCHIVE")]
    archive: PathBuf,
    /// The format to export to.
    #[arg(long, value_enum, value_name = "TARGET")]
    to: To,
    /// The output file, or `-` for stdout.
    #[arg(short, long, value_name = "FILE", default_value = "-")]
    output: PathBuf,
    /// tt05: CSV (default) or JSON Lines.
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "csv")]
    format: Format,
    /// CSV with a byte-order mark so that Excel shows diacritics (csv, tt05).
    #[arg(long)]
    excel: bool,
    /// The OpenSearch index / Quickwit index id.
    #[arg(long, value_name = "NAME", default_value = "sohoa")]
    index_name: String,
    /// opensearch: where to write the index settings and mapping (default: OUTPUT.mapping.json;
    /// required when the output is stdout).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// quickwit: where to write the index config (default: OUTPUT.quickwit.yaml; required when
    /// the output is stdout).
    #[arg(long, value_name = "FILE")]
    config_out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum To {
    Jsonl,
    Csv,
    Tt05,
    Opensearch,
    Quickwit,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Csv,
    Json,
}

fn beside(output: &Path, suffix: &str) -> PathBuf {
    let mut s = output.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

pub fn run(a: Args, g: &Global) -> anyhow::Result<Exit> {
    let stdout = a.output.as_os_str() == "-";
    let target = match a.to {
        To::Jsonl => Target::Jsonl,
        To::Csv => Target::Csv,
        To::Tt05 => Target::Tt05,
        To::Opensearch => Target::OpenSearch,
        To::Quickwit => Target::Quickwit,
    };
    let archive = Archive::at(&a.archive);
    anyhow::ensure!(
        archive.path(sohoa::store::RECORDS).exists(),
        "{} has no records.jsonl",
        a.archive.display()
    );
    // The side file (mapping or index config), checked before anything is written.
    let side = match target {
        Target::OpenSearch => Some((
            a.mapping.clone().or_else(|| (!stdout).then(|| beside(&a.output, ".mapping.json"))).ok_or_else(
                || anyhow::anyhow!("--mapping FILE is required when the bulk file goes to stdout"),
            )?,
            format!("{:#}\n", opensearch_mapping()),
        )),
        Target::Quickwit => Some((
            a.config_out
                .clone()
                .or_else(|| (!stdout).then(|| beside(&a.output, ".quickwit.yaml")))
                .ok_or_else(|| {
                    anyhow::anyhow!("--config-out FILE is required when the documents go to stdout")
                })?,
            quickwit_config(&a.index_name),
        )),
        _ => None,
    };
    let mut opts = ExportOptions::new(target);
    opts.excel = a.excel;
    opts.json = matches!(a.format, Format::Json);
    opts.index_name = a.index_name.clone();
    let summary = if stdout {
        let lock = std::io::stdout().lock();
        let mut w = std::io::BufWriter::new(lock);
        export(&archive, &opts, &mut w)?
    } else {
        let mut result = None;
        atomic_write(&a.output, |w| {
            result = Some(export(&archive, &opts, w).map_err(std::io::Error::other)?);
            Ok(())
        })
        .with_context(|| format!("write {}", a.output.display()))?;
        result.unwrap_or_default()
    };
    if let Some((path, text)) = side {
        atomic_write(&path, |w| w.write_all(text.as_bytes()))
            .with_context(|| format!("write {}", path.display()))?;
    }
    for w in &summary.warnings {
        eprintln!("sohoa: warning: {w}");
    }
    if !g.quiet {
        let to = if stdout { "stdout".to_string() } else { a.output.display().to_string() };
        eprintln!("sohoa: {} record(s) exported to {to}", summary.records);
    }
    Ok(Exit::Ok)
}
