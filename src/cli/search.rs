//! `sohoa search`: full-text search over an archive's index.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use sohoa::search::{Hit, Query, Searcher};
use sohoa::store::Archive;
use sohoa::Error;

use super::{Exit, Global};

/// Search the archive: words, "phrases", AND/OR, -excluded; diacritics optional.
///
/// Words are combined with AND. Typed without diacritics ("quyet dinh") a word matches every
/// spelling; typed with them ("Quyết định") exact matches rank first. A number/symbol
/// ("4250/QĐ-UBND") finds that document first.
///
/// Exit status: 0 hits found, 1 no hit, 2 bad query or no index.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query (tantivy syntax); empty or `*` lists every document matching the filters.
    #[arg(value_name = "QUERY", default_value = "")]
    query: String,
    /// The archive folder.
    #[arg(short, long, value_name = "DIR", default_value = "archive", env = "SOHOA_ARCHIVE")]
    archive: PathBuf,
    /// Only documents of this type ("Quyết định", "cong van").
    #[arg(long = "type", value_name = "TYPE")]
    doc_type: Option<String>,
    /// Only documents whose issuer contains these words in this order ("Sở Nội vụ").
    #[arg(long, value_name = "WORDS")]
    issuer: Option<String>,
    /// Only the document with this number/symbol ("4250/QĐ-UBND") or symbol ("QĐ-UBND").
    #[arg(long, value_name = "SYMBOL")]
    symbol: Option<String>,
    /// Only documents issued on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only documents issued on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Tolerate one wrong letter per word (OCR errors).
    #[arg(long)]
    fuzzy: bool,
    /// Hits to show.
    #[arg(short = 'n', long, default_value_t = 10)]
    limit: usize,
    /// Hits to skip first (for the next page of results).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// JSON Lines on stdout: the record's fields, score, page and snippet.
    #[arg(long, conflicts_with = "count")]
    json: bool,
    /// Print only the number of matching documents.
    #[arg(long)]
    count: bool,
}

pub fn run(a: Args, _g: &Global) -> anyhow::Result<Exit> {
    let archive = Archive::at(&a.archive);
    let searcher = Searcher::open(&archive)?;
    let q = Query {
        text: a.query.clone(),
        doc_type: a.doc_type,
        issuer: a.issuer,
        symbol: a.symbol,
        from: a.from,
        to: a.to,
        fuzzy: a.fuzzy,
        limit: a.limit,
        offset: a.offset,
    };
    let mut out = std::io::stdout().lock();
    if a.count {
        let n = searcher.count(&q).map_err(usage)?;
        writeln!(out, "{n}")?;
        return Ok(if n > 0 { Exit::Ok } else { Exit::Partial });
    }
    let hits = searcher.search(&q).map_err(usage)?;
    if a.json {
        for h in &hits {
            writeln!(out, "{}", json_line(h)?)?;
        }
    } else if !hits.is_empty() {
        let color =
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        write!(out, "{}", table(&hits, color))?;
    }
    out.flush()?;
    Ok(if hits.is_empty() { Exit::Partial } else { Exit::Ok })
}

/// A bad query reads as such (the message says what is wrong with it).
fn usage(e: Error) -> anyhow::Error {
    match e {
        Error::Usage(m) => anyhow::anyhow!("bad query: {m}"),
        e => e.into(),
    }
}

fn json_line(h: &Hit) -> anyhow::Result<String> {
    let mut v = serde_json::to_value(&h.record)?;
    if let Some(o) = v.as_object_mut() {
        o.insert("score".into(), serde_json::json!(h.score));
        o.insert("page".into(), serde_json::json!(h.page));
        o.insert("snippet".into(), serde_json::json!(h.snippet.as_ref().map(|s| &s.text)));
        let marked: Option<Vec<&str>> =
            h.snippet.as_ref().map(|s| s.highlights.iter().filter_map(|r| s.text.get(r.clone())).collect());
        o.insert("matches".into(), serde_json::json!(marked));
    }
    Ok(serde_json::to_string(&v)?)
}

const HEADERS: [&str; 7] = ["DATE", "NUMBER", "TYPE", "ISSUER", "SUBJECT", "PAGE", "SOURCE"];
const MAX_WIDTH: [usize; 7] = [10, 24, 14, 32, 60, 4, 40];

fn number(h: &Hit) -> String {
    match (&h.record.doc_number, &h.record.doc_symbol) {
        (Some(n), Some(s)) => format!("{n}/{s}"),
        (Some(n), None) => n.clone(),
        (None, Some(s)) => s.clone(),
        (None, None) => String::new(),
    }
}

fn cut(s: &str, max: usize) -> String {
    let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if s.chars().count() <= max {
        s
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The hits as a table, each row followed by its snippet (matched words in bold yellow if `color`).
fn table(hits: &[Hit], color: bool) -> String {
    let rows: Vec<[String; 7]> = hits
        .iter()
        .map(|h| {
            let r = &h.record;
            let cells = [
                r.issued_date.clone().unwrap_or_default(),
                number(h),
                r.doc_type.clone().unwrap_or_default(),
                r.issuer.clone().unwrap_or_default(),
                r.subject.clone().unwrap_or_default(),
                h.page.map(|p| p.to_string()).unwrap_or_default(),
                r.source.clone(),
            ];
            let mut out: [String; 7] = Default::default();
            for (i, c) in cells.iter().enumerate() {
                out[i] = cut(c, MAX_WIDTH[i]);
            }
            out
        })
        .collect();
    let mut widths = HEADERS.map(|h| h.chars().count());
    for row in &rows {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: &[&str]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(&HEADERS);
    for (row, h) in rows.iter().zip(hits) {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        out.push_str(&line(&cells));
        if let Some(sn) = &h.snippet {
            out.push_str("    ");
            out.push_str(&highlight(&sn.text, &sn.highlights, color));
            out.push('\n');
        }
    }
    out
}

fn highlight(text: &str, ranges: &[std::ops::Range<usize>], color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + ranges.len() * 12);
    let mut at = 0;
    for r in ranges {
        if r.start < at || text.get(at..r.start).is_none() || text.get(r.clone()).is_none() {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str("\x1b[1;33m");
        out.push_str(&text[r.clone()]);
        out.push_str("\x1b[0m");
        at = r.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn highlight_marks_ranges_and_survives_bad_ones() {
        assert_eq!(highlight("Quyết định số", &[0..7], true), "\x1b[1;33mQuyết\x1b[0m định số");
        assert_eq!(highlight("Quyết định", &[0..7], false), "Quyết định");
        assert_eq!(highlight("abc", &[1..99, 0..1], true), "\x1b[1;33ma\x1b[0mbc");
    }

    #[test]
    fn cut_counts_characters() {
        assert_eq!(cut("Ủy ban nhân dân", 6), "Ủy ba…");
        assert_eq!(cut("a\nb", 6), "a b");
    }
}
