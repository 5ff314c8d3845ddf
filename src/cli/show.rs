//! `sohoa show`: one record and its text, page by page.

use std::io::Write;
use std::path::PathBuf;

use sohoa::store::Archive;
use sohoa::Record;

use super::{Exit, Global};

/// Print one record: its fields, then its text page by page.
///
/// Exit status: 0 found, 1 no such record, 2 error.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The record's id (or its first 8+ characters) or its source path.
    #[arg(value_name = "ID|SOURCE")]
    key: String,
    /// The archive folder.
    #[arg(short, long, value_name = "DIR", default_value = "archive", env = "SOHOA_ARCHIVE")]
    archive: PathBuf,
    /// The record as one JSON line.
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args, g: &Global) -> anyhow::Result<Exit> {
    let archive = Archive::at(&a.archive);
    let Some(r) = archive.record(a.key.trim())? else {
        if !g.quiet {
            eprintln!("sohoa: no record with id or source {:?} in {}", a.key, a.archive.display());
        }
        return Ok(Exit::Partial);
    };
    let mut out = std::io::stdout().lock();
    if a.json {
        writeln!(out, "{}", serde_json::to_string(&r)?)?;
    } else {
        write!(out, "{}", render(&r))?;
    }
    Ok(Exit::Ok)
}

fn render(r: &Record) -> String {
    let mut rows: Vec<(&str, String)> = vec![("id", r.id.clone()), ("source", r.source.clone())];
    let number = match (&r.doc_number, &r.doc_symbol) {
        (Some(n), Some(s)) => Some(format!("{n}/{s}")),
        (n, s) => n.clone().or_else(|| s.clone()),
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    rows.push(("type", opt(&r.doc_type)));
    rows.push(("number", number.unwrap_or_else(|| "—".into())));
    rows.push(("date", opt(&r.issued_date)));
    rows.push(("place", opt(&r.issued_place)));
    rows.push(("issuer", opt(&r.issuer)));
    if r.issuer_parent.is_some() {
        rows.push(("issuer parent", opt(&r.issuer_parent)));
    }
    rows.push(("subject", opt(&r.subject)));
    let signer = [&r.signer_authority, &r.signer_title, &r.signer_name]
        .iter()
        .filter_map(|v| v.as_deref())
        .collect::<Vec<_>>()
        .join(" — ");
    rows.push(("signer", if signer.is_empty() { "—".into() } else { signer }));
    if !r.recipients.is_empty() {
        rows.push(("recipients", r.recipients.join("; ")));
    }
    for (k, v) in
        [("urgency", &r.urgency), ("confidentiality", &r.confidentiality), ("file code", &r.file_code)]
    {
        if v.is_some() {
            rows.push((k, opt(v)));
        }
    }
    rows.push(("pages", r.page_count.to_string()));
    rows.push(("confidence", format!("{:.2}", r.confidence)));
    if !r.review.is_empty() {
        rows.push(("review", r.review.join(", ")));
    }
    rows.push(("method", format!("{} ({})", r.method, r.engine)));
    rows.push(("processed", r.processed_at.clone()));
    let w = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (k, v) in rows {
        out.push_str(&format!("{k:<w$}  {v}\n"));
    }
    for (i, page) in r.text.split('\u{c}').enumerate() {
        out.push_str(&format!("\n── page {} ──\n", i + 1));
        out.push_str(page.trim_end());
        out.push('\n');
    }
    out
}
