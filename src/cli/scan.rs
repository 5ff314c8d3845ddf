//! `sohoa scan`: OCR scans into an archive folder.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;
use sohoa::discover::{read_list, Grouping, Shard};
use sohoa::load::PdfText;
use sohoa::ocr::OcrConfig;
use sohoa::pipeline::{self, ScanConfig};

use super::progress::Bar;
use super::{Exit, Global};

/// How page files become documents.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Group {
    /// One file is one document.
    File,
    /// `doc_p1.jpg`, `doc_p2.jpg`, … are one document `doc`.
    Stem,
    /// Every folder holding files is one document.
    Dir,
}

/// How PDF text layers are used.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum PdfTextArg {
    /// The text layer when it holds the page's content; OCR scans and signature-stamp-only text.
    Auto,
    /// The text layer whenever the page has text.
    Always,
    /// OCR every page.
    Never,
}

/// Preprocessing before OCR.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Pre {
    /// The decoded pixels as they are.
    None,
    /// Deskew only.
    Deskew,
    /// Deskew and even out the background (uneven light, yellowed paper); pages failing the
    /// quality gate are also turned upright when they lie on their side.
    Auto,
    /// Deskew and Sauvola binarisation.
    Sauvola,
}

/// Which seal inks to lighten on colour scans.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Seals {
    /// Red seals and red signatures.
    Red,
    /// Red, and blue ink too (signatures; but also handwritten numbers and dates).
    RedBlue,
    /// None: colour pages are turned grey as they are.
    Keep,
}

/// Which Tesseract model.
#[derive(Debug, Clone, Copy, PartialEq, clap::ValueEnum)]
enum Model {
    /// The system's model (Debian's tessdata_fast); pages failing the quality gate are read
    /// again with the best model when it is installed.
    Fast,
    /// The tessdata_best model installed by scripts/install-best-model.sh (slower).
    Best,
}

/// OCR scans (PNG, JPEG, TIFF, PDF) into an archive: records.jsonl, records.csv, errors.jsonl.
///
/// Exit status: 0 every input succeeded, 1 some inputs failed (see errors.jsonl), 2 usage or
/// setup error, 130 interrupted (run the same command again to finish).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files and folders to scan (folders are walked recursively); `-` reads one path per line
    /// from stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The archive folder to write (created if needed; an existing archive is added to).
    #[arg(short, long, value_name = "ARCHIVE", default_value = "archive", env = "SOHOA_ARCHIVE")]
    out: PathBuf,
    /// OCR languages, `+`-separated.
    #[arg(short, long, default_value = "vie")]
    lang: String,
    /// Folder holding the `*.traineddata` models (found automatically by default).
    #[arg(long, value_name = "DIR")]
    tessdata: Option<PathBuf>,
    /// Tesseract page segmentation mode (3: automatic layout; 6: one block of text).
    #[arg(long, default_value_t = 3)]
    psm: u32,
    /// Resolution to use for every page instead of the one recorded in the files (files that
    /// record none are taken as 300 dpi).
    #[arg(long, value_name = "DPI", value_parser = clap::value_parser!(u32).range(70..=2400))]
    dpi: Option<u32>,
    /// PDF text layers: `auto` takes real text and OCRs scanned pages, `always` takes any text,
    /// `never` OCRs every page.
    #[arg(long, value_enum, default_value = "auto")]
    pdf_text: PdfTextArg,
    /// Worker threads, each with its own OCR engine (default: the number of cores).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// How files become documents.
    #[arg(long, value_enum, default_value = "file")]
    group: Group,
    /// Write records.csv with a byte-order mark so Excel shows Vietnamese diacritics.
    #[arg(long)]
    excel: bool,
    /// Process every document again, even those the archive already has (done or failed).
    #[arg(long)]
    force: bool,
    /// Try again the documents that failed in an earlier run (they are skipped otherwise).
    #[arg(long)]
    retry_failed: bool,
    /// Longest OCR time for one page, in seconds (0: no limit); a page over it becomes an error.
    #[arg(long, value_name = "SECS", default_value_t = 120.0)]
    page_timeout: f64,
    /// Largest page accepted, in megapixels (protects against decompression bombs).
    #[arg(long, value_name = "MPX", default_value_t = 150)]
    max_pixels: u64,
    /// Most pages accepted in one document.
    #[arg(long, value_name = "N", default_value_t = 5000)]
    max_pages: u32,
    /// Fields whose confidence is below this are listed in `review`.
    #[arg(long, value_name = "0-1", default_value_t = 0.8)]
    review_below: f64,
    /// A folder of extraction dictionaries (doc_types.tsv, agencies.tsv, titles.tsv,
    /// places.tsv) to use instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    dictionaries: Option<PathBuf>,
    /// The archive file code (Mã hồ sơ) of these documents; they are numbered in input order.
    #[arg(long, value_name = "CODE")]
    file_code: Option<String>,
    /// Process only one shard of the inputs: `K/N` (0-based), `slurm` (from the job array's
    /// environment) or `k8s/N` (JOB_COMPLETION_INDEX of an Indexed Job). Each shard writes its own
    /// archive; `sohoa merge` combines them.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Also keep each document's recognised lines and word boxes in ARCHIVE/pages/<id>.json, so
    /// `sohoa extract --pages` can read the fields again without OCR.
    #[arg(long)]
    keep_pages: bool,
    /// Preprocessing before OCR.
    #[arg(long, value_enum, default_value = "auto")]
    preprocess: Pre,
    /// Seal inks lightened on colour scans before OCR, so the signer's title and name under a red
    /// seal can be read (not with --preprocess none).
    #[arg(long, value_enum, default_value = "red")]
    seals: Seals,
    /// Whiten black margins (photocopies) before OCR (not with --preprocess none).
    #[arg(long)]
    borders: bool,
    /// Tesseract model: fast (system) or best (see scripts/install-best-model.sh).
    #[arg(long, value_enum, default_value = "fast")]
    model: Model,
    /// Also write ARCHIVE/alto/<id>.xml (ALTO XML, words with positions).
    #[arg(long)]
    alto: bool,
    /// Also write ARCHIVE/hocr/<id>.html (hOCR).
    #[arg(long)]
    hocr: bool,
    /// Also write ARCHIVE/pdf/<id>.pdf (searchable PDF/A-2b: the scan with invisible text).
    #[arg(long)]
    pdf: bool,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args, g: &Global) -> anyhow::Result<Exit> {
    let mut inputs = Vec::new();
    for i in a.inputs {
        if i.as_os_str() == "-" {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).context("reading the list of inputs from stdin")?;
            inputs.extend(read_list(&s));
        } else {
            inputs.push(i);
        }
    }
    if inputs.is_empty() {
        anyhow::bail!("no inputs: name files or folders, or pipe a list into `sohoa scan -`");
    }
    let mut cfg = ScanConfig::new(inputs, a.out.clone());
    let best = sohoa::ocr::best_dir()
        .filter(|d| a.lang.split('+').all(|l| d.join(format!("{l}.traineddata")).is_file()));
    if a.model == Model::Best && a.tessdata.is_none() && best.is_none() {
        anyhow::bail!(
            "--model best: the best model is not installed (run scripts/install-best-model.sh, or give --tessdata DIR)"
        );
    }
    cfg.ocr = OcrConfig {
        lang: a.lang,
        tessdata: a.tessdata.clone().or(if a.model == Model::Best { best.clone() } else { None }),
        psm: a.psm,
        page_timeout: (a.page_timeout > 0.0).then(|| Duration::from_secs_f64(a.page_timeout.min(1e9))),
        retry_tessdata: if a.model == Model::Fast && a.tessdata.is_none() { best } else { None },
        want: sohoa::ocr::Want {
            alto: a.alto,
            hocr: a.hocr,
            pdf: if a.pdf { sohoa::ocr::find_data("pdf.ttf", None) } else { None },
            page: 0,
        },
    };
    anyhow::ensure!(
        !a.pdf || cfg.ocr.want.pdf.is_some(),
        "--pdf: Tesseract's pdf.ttf was not found (install libtesseract5)"
    );
    cfg.preprocess = match a.preprocess {
        Pre::None => sohoa::preprocess::Preprocess::None,
        Pre::Auto => sohoa::preprocess::Preprocess::Auto,
        Pre::Deskew => sohoa::preprocess::Preprocess::Deskew,
        Pre::Sauvola => sohoa::preprocess::Preprocess::Sauvola,
    };
    cfg.steps = sohoa::preprocess::Steps {
        seals: match a.seals {
            Seals::Red => sohoa::preprocess::Inks::RED,
            Seals::RedBlue => sohoa::preprocess::Inks { red: true, blue: true },
            Seals::Keep => sohoa::preprocess::Inks::default(),
        },
        borders: a.borders,
    };
    cfg.grouping = match a.group {
        Group::File => Grouping::File,
        Group::Stem => Grouping::Stem,
        Group::Dir => Grouping::Dir,
    };
    cfg.dpi = a.dpi;
    cfg.pdf_text = match a.pdf_text {
        PdfTextArg::Auto => PdfText::Auto,
        PdfTextArg::Always => PdfText::Always,
        PdfTextArg::Never => PdfText::Never,
    };
    if let Some(j) = a.jobs {
        anyhow::ensure!(j > 0, "--jobs must be at least 1");
        cfg.jobs = j;
    }
    cfg.limits.max_pixels = a.max_pixels.saturating_mul(1_000_000);
    cfg.limits.max_pages = a.max_pages;
    cfg.excel = a.excel;
    cfg.force = a.force;
    cfg.retry_failed = a.retry_failed;
    cfg.keep_pages = a.keep_pages;
    if let Some(spec) = &a.shard {
        cfg.shard = Some(Shard::parse(spec, |k| std::env::var(k).ok()).map_err(anyhow::Error::msg)?);
    }
    cfg.file_code = a.file_code;
    if let Some(d) = &a.dictionaries {
        cfg.extract = sohoa::extract::ExtractConfig::with_dictionaries(d)
            .with_context(|| format!("--dictionaries {}", d.display()))?;
    }
    cfg.extract.review_below = a.review_below;

    let cancel = cfg.cancel.clone();
    let ui = g.ui();
    let _ = ctrlc::set_handler(move || {
        if cancel.swap(true, Ordering::SeqCst) {
            // Second Ctrl-C: leave now; the archive stays readable (records are whole lines).
            std::process::exit(130);
        }
        eprintln!("\nsohoa: {}", ui.stopping());
    });

    let bar = Bar::new(g.quiet, g.verbose, ui);
    let result = pipeline::scan(&cfg, &bar);
    bar.finish();
    let s = result.with_context(|| format!("scan into {}", a.out.display()))?;
    if a.json {
        let j = serde_json::json!({
            "documents": s.documents, "failed": s.failed, "skipped": s.skipped,
            "skipped_failed": s.skipped_failed, "ignored": s.ignored,
            "pages": s.pages, "elapsed_seconds": s.elapsed.as_secs_f64(),
            "pages_per_second": s.pages_per_second(), "interrupted": s.interrupted, "pending": s.pending,
            "archive": a.out,
        });
        writeln!(std::io::stdout(), "{j}")?;
    }
    if !g.quiet {
        eprintln!("{}", ui.summary(&s, &a.out));
    }
    Ok(if s.interrupted {
        Exit::Interrupted
    } else if s.failed + s.skipped_failed > 0 {
        Exit::Partial
    } else {
        Exit::Ok
    })
}
