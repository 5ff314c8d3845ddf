//! `sohoa extract`: the field extractor on plain text (OCRed elsewhere, or a PDF's text).

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use sohoa::extract::{self, ExtractConfig};
use sohoa::page::{TextPage, TextSource};
use sohoa::store::PagesFile;

use super::{Exit, Global};

/// Extract the record fields from plain text (`-` reads stdin; pages are separated by form
/// feeds) or from the pages a scan kept (`--pages`). Prints one JSON object: the fields,
/// `field_confidence` and `review`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A UTF-8 text file, or `-` for stdin.
    #[arg(value_name = "FILE")]
    input: PathBuf,
    /// A folder of dictionaries (doc_types.tsv, agencies.tsv, titles.tsv, places.tsv) to use
    /// instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    dictionaries: Option<PathBuf>,
    /// Fields whose confidence is below this are listed in `review`.
    #[arg(long, value_name = "0-1", default_value_t = 0.8)]
    review_below: f64,
    /// Also print the text in reading order (`text`).
    #[arg(long)]
    text: bool,
    /// FILE is a pages file kept by `sohoa scan --keep-pages` (ARCHIVE/pages/<id>.json): the
    /// layout (columns, centred lines, confidences) is used as in the scan, and the output also
    /// has the record's `id` and `source`.
    #[arg(long)]
    pages: bool,
}

pub fn run(a: Args, _g: &Global) -> anyhow::Result<Exit> {
    let mut raw = Vec::new();
    if a.input.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut raw).context("reading stdin")?;
    } else {
        raw = std::fs::read(&a.input).with_context(|| format!("reading {}", a.input.display()))?;
    }
    let mut cfg = match &a.dictionaries {
        Some(d) => {
            ExtractConfig::with_dictionaries(d).with_context(|| format!("--dictionaries {}", d.display()))?
        }
        None => ExtractConfig::default(),
    };
    cfg.review_below = a.review_below;
    let (pages, origin) = if a.pages {
        let kept: PagesFile = serde_json::from_slice(&raw).with_context(|| {
            format!("{} is not a pages file of `sohoa scan --keep-pages`", a.input.display())
        })?;
        // Reading order again, as a scan does (it is derived from the boxes alone).
        let pages = kept
            .pages
            .into_iter()
            .map(|p| if p.source == TextSource::Ocr { extract::reading_order(p) } else { p })
            .collect();
        (pages, Some((kept.id, kept.source)))
    } else {
        let text = String::from_utf8_lossy(&raw);
        (text.split('\u{c}').map(TextPage::from_plain).collect::<Vec<_>>(), None)
    };
    let fields = extract::extract(&pages, &cfg);
    let mut v = serde_json::to_value(&fields)?;
    if let Some(o) = v.as_object_mut() {
        if let Some((id, source)) = origin {
            o.insert("id".into(), id.into());
            o.insert("source".into(), source.into());
        }
        o.insert("page_count".into(), pages.len().into());
        if a.text {
            let t = pages.iter().map(TextPage::text).collect::<Vec<_>>().join("\u{c}");
            o.insert("text".into(), t.into());
        }
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    Ok(Exit::Ok)
}
