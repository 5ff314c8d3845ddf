//! `sohoa review`: the records a clerk must check, and taking their corrections back.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use sohoa::review;
use sohoa::store::Archive;

use super::{Exit, Global};

/// List the records that need a clerk's check (least confident first), or apply a corrected sheet.
///
/// Workflow: `sohoa review --csv > review.csv`, open it in Excel, correct the field columns (and
/// put `x` in `verified` for rows checked as right), save as CSV, then
/// `sohoa review --apply review.csv`. Corrected fields get confidence 1.0 and leave `review`; the
/// old values are kept in ARCHIVE/review-history.jsonl. A later scan does not overwrite them
/// (documents already in the archive are skipped) unless `scan --force`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The archive folder.
    #[arg(short, long, default_value = "archive", env = "SOHOA_ARCHIVE")]
    archive: PathBuf,
    /// Write the review sheet as CSV (with a byte-order mark for Excel) on stdout.
    #[arg(long, conflicts_with = "apply")]
    csv: bool,
    /// Records as JSON Lines on stdout.
    #[arg(long, conflicts_with_all = ["apply", "csv"])]
    json: bool,
    /// Apply a corrected review sheet (CSV) to the archive.
    #[arg(long, value_name = "FILE.csv")]
    apply: Option<PathBuf>,
}

pub fn run(a: Args, g: &Global) -> anyhow::Result<Exit> {
    let archive = Archive::at(&a.archive);
    anyhow::ensure!(
        archive.path(sohoa::store::RECORDS).is_file(),
        "{} has no records.jsonl; scan into it first",
        a.archive.display()
    );
    if let Some(path) = a.apply {
        let mut f = std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
        let done = review::apply(&archive, &mut f, false)?;
        if !g.quiet {
            eprintln!(
                "sohoa: {} record(s) updated, {} field(s) corrected; history in {}",
                done.records,
                done.fields,
                archive.path(review::HISTORY).display()
            );
            if !done.unknown.is_empty() {
                eprintln!(
                    "sohoa: {} row(s) with an id not in this archive: {}",
                    done.unknown.len(),
                    done.unknown.join(", ")
                );
            }
        }
        return Ok(if done.unknown.is_empty() { Exit::Ok } else { Exit::Partial });
    }
    let queue = review::queue(&archive)?;
    let mut out = std::io::stdout().lock();
    if a.csv {
        review::write_csv(&queue, &mut out, true)?;
    } else if a.json {
        for r in &queue {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        }
    } else {
        writeln!(out, "{:<10} {:>5}  {:<28} {:<34} type / number", "id", "conf", "source", "to check")?;
        for r in &queue {
            let num = match (&r.doc_number, &r.doc_symbol) {
                (Some(n), Some(s)) => format!("{n}/{s}"),
                (None, Some(s)) => s.clone(),
                (Some(n), None) => n.clone(),
                _ => String::new(),
            };
            writeln!(
                out,
                "{:<10} {:>5.2}  {:<28} {:<34} {} {}",
                &r.id[..r.id.len().min(10)],
                r.confidence,
                clip(&r.source, 28),
                clip(&r.review.join(", "), 34),
                r.doc_type.as_deref().unwrap_or("-"),
                num
            )?;
        }
        if std::io::stderr().is_terminal() && !g.quiet {
            eprintln!(
                "{} record(s) to check; `sohoa review --csv > review.csv` to correct them in Excel",
                queue.len()
            );
        }
    }
    Ok(Exit::Ok)
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
