//! The only module that knows the stage order and owns the threads:
//! `pub fn scan(cfg: &ScanConfig, obs: &dyn Observer) -> Result<ScanSummary, Error>`.
//!
//! 1. discover the documents, open them in parallel (hash for the id, count pages);
//! 2. the pages of all documents form one queue; `jobs` workers (a rayon pool, one Tesseract
//!    engine created once per worker) take pages in order: load → preprocess → OCR;
//! 3. one writer thread receives pages over a bounded channel, completes documents, extracts
//!    their fields and writes them in input order. Workers never touch the output files.

use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::discover::{self, Grouping, Input, Shard};
use crate::error::{Error, ErrorKind, FileError};
use crate::extract::{self, ExtractConfig};
use crate::load::{self, Limits, Opened, PageRef, PdfText};
use crate::observe::{Event, Observer};
use crate::ocr::{archival, Extras, OcrConfig, Recognizer};
use crate::page::{LoadedPage, TextPage, TextSource};
use crate::preprocess::{quality, seal, Preprocess, Preprocessor, Steps};
use crate::record::{ErrorLine, Record, SCHEMA};
use crate::store::{self, Archive, ArchiveWriter};

/// Everything `scan` needs to know.
#[derive(Debug, Clone)]
pub struct ScanConfig {
    /// Files and folders to scan.
    pub inputs: Vec<PathBuf>,
    /// The archive folder to write.
    pub out: PathBuf,
    /// How files become documents.
    pub grouping: Grouping,
    /// Tesseract settings.
    pub ocr: OcrConfig,
    /// Worker threads (one engine each).
    pub jobs: usize,
    /// Size limits checked before decoding.
    pub limits: Limits,
    /// How PDF text layers are used.
    pub pdf_text: PdfText,
    /// A resolution to use instead of the files' own.
    pub dpi: Option<u32>,
    /// Preprocessing before OCR.
    pub preprocess: Preprocess,
    /// Seal and margin removal on top of `preprocess`.
    pub steps: Steps,
    /// Extraction options.
    pub extract: ExtractConfig,
    /// Write a byte-order mark in records.csv (for Excel).
    pub excel: bool,
    /// Process documents again even when their id is already in the archive (done or failed).
    pub force: bool,
    /// Try again documents that failed in an earlier run (by default they are skipped).
    pub retry_failed: bool,
    /// The archive file code (Mã hồ sơ) to record; documents get ordinals in input order.
    pub file_code: Option<String>,
    /// Set to stop taking new pages (Ctrl-C).
    pub cancel: Arc<AtomicBool>,
    /// Process only this shard of the inputs.
    pub shard: Option<Shard>,
    /// Keep each document's recognised pages (lines, words, boxes) in `ARCHIVE/pages/<id>.json`.
    pub keep_pages: bool,
}

impl ScanConfig {
    /// Defaults for scanning `inputs` into `out`.
    pub fn new(inputs: Vec<PathBuf>, out: PathBuf) -> ScanConfig {
        ScanConfig {
            inputs,
            out,
            grouping: Grouping::File,
            ocr: OcrConfig::default(),
            jobs: default_jobs(),
            limits: Limits::default(),
            pdf_text: PdfText::Auto,
            dpi: None,
            preprocess: Preprocess::default(),
            steps: Steps::default(),
            extract: ExtractConfig::default(),
            excel: false,
            force: false,
            retry_failed: false,
            file_code: None,
            cancel: Arc::new(AtomicBool::new(false)),
            shard: None,
            keep_pages: false,
        }
    }
}

/// The number of workers used when none is asked for: the machine's cores.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// What a scan did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanSummary {
    /// Documents written to the archive.
    pub documents: usize,
    /// Documents that failed (in errors.jsonl).
    pub failed: usize,
    /// Documents already in the archive, not processed again.
    pub skipped: usize,
    /// Documents that failed in an earlier run, not tried again (see `--retry-failed`).
    pub skipped_failed: usize,
    /// Files in the folders that are not scans, passed over.
    pub ignored: usize,
    /// Pages recognised or read.
    pub pages: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// The scan was stopped before the end (Ctrl-C); unfinished documents were not written.
    pub interrupted: bool,
    /// Documents not reached because of the interruption.
    pub pending: usize,
}

impl ScanSummary {
    /// Pages per second of wall time.
    pub fn pages_per_second(&self) -> f64 {
        self.pages as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// A document ready for the page queue.
struct Doc {
    input: Input,
    id: String,
    pages: Vec<PageRef>,
    ordinal: u32,
}

/// What workers send to the writer.
enum Msg {
    /// A finished page; `raw` is the page as recognised, before reading order (`--keep-pages`).
    Page {
        doc: usize,
        page: u32,
        result: Result<TextPage, FileError>,
        extras: Extras,
        raw: Option<TextPage>,
    },
    Fatal(Error),
}

/// Runs a scan: see the module documentation.
pub fn scan(cfg: &ScanConfig, obs: &dyn Observer) -> Result<ScanSummary, Error> {
    let started = Instant::now();
    let datapath = cfg.ocr.check()?;
    let archive = Archive::at(&cfg.out);
    let mut writer = ArchiveWriter::open(&archive, cfg.excel)?;
    let mut summary = ScanSummary::default();

    let mut found = discover::discover(&cfg.inputs, cfg.grouping);
    if let Some(shard) = cfg.shard {
        found.inputs.retain(|i| shard.contains(&i.source));
        found.failed.retain(|(source, _)| shard.contains(source));
    }
    summary.ignored = found.ignored;
    for (source, e) in &found.failed {
        fail(&mut writer, obs, source, None, e)?;
        summary.failed += 1;
    }

    // Open every document (hash, page count) in parallel; failures are data.
    let opened: Vec<(Input, Result<Opened, FileError>)> = found
        .inputs
        .into_par_iter()
        .map(|input| {
            let r = guarded(|| load::open(&input, &cfg.limits, cfg.dpi));
            (input, r)
        })
        .collect();
    let mut docs: Vec<Doc> = Vec::new();
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    for (ordinal, (input, r)) in opened.into_iter().enumerate() {
        match r {
            Err(e) => {
                fail(&mut writer, obs, &input.source, None, &e)?;
                summary.failed += 1;
            }
            Ok(o) if !cfg.force && writer.existing_ids().contains(&o.id) => {
                obs.event(Event::DocumentSkipped { source: &input.source });
                summary.skipped += 1;
            }
            Ok(o) if !cfg.force && !cfg.retry_failed && writer.failed_before(&o.id).is_some() => {
                obs.event(Event::DocumentSkipped { source: &input.source });
                summary.skipped_failed += 1;
            }
            Ok(Opened { id, pages: Err(e) }) => {
                fail(&mut writer, obs, &input.source, Some(&id), &e)?;
                summary.failed += 1;
            }
            Ok(Opened { id, pages: Ok(pages) }) => {
                if let Some(first) = seen_ids.get(&id) {
                    // The same bytes twice in one batch: one record, the copy is reported.
                    let e = FileError::new(
                        ErrorKind::Unreadable,
                        format!("same content as {first}; the duplicate was not processed again"),
                    );
                    fail(&mut writer, obs, &input.source, None, &e)?;
                    summary.failed += 1;
                    continue;
                }
                seen_ids.insert(id.clone(), input.source.clone());
                docs.push(Doc { input, id, pages, ordinal: ordinal as u32 + 1 });
            }
        }
    }
    let tasks: Vec<(usize, u32)> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| (0..doc.pages.len() as u32).map(move |p| (d, p)))
        .collect();
    obs.event(Event::Planned { documents: docs.len(), pages: tasks.len() });

    let engine_name = cfg.ocr.engine_name();
    let (tx, rx) = sync_channel::<Msg>(cfg.jobs.max(1) * 4);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs.max(1))
        .thread_name(|i| format!("sohoa-ocr-{i}"))
        .build()
        .map_err(|e| Error::Setup(format!("cannot start worker threads: {e}")))?;
    let next = AtomicUsize::new(0);
    let docs_ref = &docs;
    let tasks_ref = &tasks;

    let outcome = std::thread::scope(|s| {
        let writer_thread = s.spawn(|| write_loop(rx, docs_ref, cfg, &engine_name, &mut writer, obs));
        pool.broadcast(|_| {
            let tx = tx.clone();
            let mut engine = None;
            let mut pre = Preprocessor::with_steps(cfg.preprocess, cfg.steps);
            let osd = crate::ocr::find_data("osd.traineddata", Some(&datapath));
            let mut rec = Recognizer::new(&cfg.ocr, osd.filter(|_| cfg.preprocess != Preprocess::None));
            loop {
                if cfg.cancel.load(Ordering::SeqCst) {
                    break;
                }
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(&(d, p)) = tasks_ref.get(i) else { break };
                let doc = &docs_ref[d];
                let page_ref = &doc.pages[p as usize];
                obs.event(Event::PageStarted { source: &doc.input.source, page: p + 1 });
                let loaded = guarded(|| load::load_page_with(page_ref, &cfg.limits, cfg.pdf_text));
                let mut extras = Extras::default();
                let result = match loaded {
                    Err(e) => Err(e),
                    Ok(LoadedPage::Text(t)) => Ok(t),
                    Ok(LoadedPage::Image(img)) => {
                        if engine.is_none() {
                            match cfg.ocr.engine(&datapath) {
                                Ok(e) => engine = Some(e),
                                Err(e) => {
                                    let _ = tx.send(Msg::Fatal(e));
                                    cfg.cancel.store(true, Ordering::SeqCst);
                                    break;
                                }
                            }
                        }
                        // Red ink where urgency and secrecy stamps go: they may be unreadable
                        // (rotated, or lightened with the seals), so their absence is doubtful.
                        let stamp_ink = p == 0 && seal::stamp_ink(&img);
                        // A searchable PDF shows the page as scanned (in colour, with its seal).
                        let (img, shown) = if cfg.ocr.want.pdf.is_some() {
                            pre.apply_shown(img)
                        } else {
                            (pre.apply(img), None)
                        };
                        match engine.as_mut() {
                            Some(e) => rec
                                .recognize_shown(e, &img, shown.as_ref(), p)
                                .map(|(mut t, x)| {
                                    extras = x;
                                    t.stamp_ink = stamp_ink;
                                    t
                                })
                                .map_err(|e| {
                                    FileError::new(
                                        ErrorKind::OcrFailed,
                                        format!("{e}; try --page-timeout or check the scan"),
                                    )
                                }),
                            None => Err(FileError::new(ErrorKind::OcrFailed, "no OCR engine")),
                        }
                    }
                };
                // A text layer keeps its author's order (the content stream already reads the
                // columns in order); OCR lines are put in reading order.
                let raw = match &result {
                    Ok(t) if cfg.keep_pages => Some(t.clone()),
                    _ => None,
                };
                let result = result
                    .map(|t| if t.source == TextSource::Ocr { extract::reading_order(t) } else { t })
                    .map_err(|e| e.on_page(p + 1));
                obs.event(Event::PageDone { source: &doc.input.source, page: p + 1 });
                if tx.send(Msg::Page { doc: d, page: p, result, extras, raw }).is_err() {
                    break;
                }
            }
        });
        drop(tx);
        writer_thread.join().unwrap_or_else(|_| Err(Error::Data("the writer thread crashed".into())))
    });
    let (written, failed, pages, pending) = outcome?;
    writer.finish()?;
    summary.documents = written;
    summary.failed += failed;
    summary.pages = pages;
    summary.pending = pending;
    summary.interrupted = cfg.cancel.load(Ordering::SeqCst);
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Runs `f`, turning a panic inside a decoder into an error for this file.
fn guarded<T>(f: impl FnOnce() -> Result<T, FileError>) -> Result<T, FileError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(FileError::new(ErrorKind::Unreadable, "the decoder crashed on this file; it is probably damaged"))
    })
}

/// Reports a failed document and records it in errors.jsonl (with its id when it has one).
fn fail(
    w: &mut ArchiveWriter,
    obs: &dyn Observer,
    source: &str,
    id: Option<&str>,
    e: &FileError,
) -> Result<(), Error> {
    obs.event(Event::DocumentFailed { source, kind: e.kind.code(), message: &e.message });
    w.write_error(&ErrorLine {
        source: source.to_string(),
        kind: e.kind.code().to_string(),
        message: e.message.clone(),
        id: id.map(str::to_string),
    })
}

/// Collects pages into documents and writes them in input order.
/// Returns (documents written, documents failed, pages done, documents not finished).
fn write_loop(
    rx: Receiver<Msg>,
    docs: &[Doc],
    cfg: &ScanConfig,
    engine_name: &str,
    writer: &mut ArchiveWriter,
    obs: &dyn Observer,
) -> Result<(usize, usize, usize, usize), Error> {
    // A page's result, and the page as recognised when `--keep-pages` asks for it.
    type Slot = (Result<TextPage, FileError>, Option<TextPage>);
    let mut partial: HashMap<usize, Vec<Option<Slot>>> = HashMap::new();
    let mut ready: BTreeMap<usize, Vec<Slot>> = BTreeMap::new();
    let mut next_doc = 0usize;
    let (mut written, mut failed, mut pages) = (0, 0, 0);
    let mut extra_out = archival::Collector::default();
    for msg in rx {
        let (d, p, slot) = match msg {
            Msg::Fatal(e) => return Err(e),
            Msg::Page { doc, page, result, extras, raw } => {
                extra_out.add(doc, page, docs[doc].pages.len(), extras);
                (doc, page, (result, raw))
            }
        };
        pages += 1;
        let n = docs[d].pages.len();
        let slots = partial.entry(d).or_insert_with(|| (0..n).map(|_| None).collect());
        slots[p as usize] = Some(slot);
        if slots.iter().all(Option::is_some) {
            let done = partial.remove(&d).unwrap_or_default().into_iter().flatten().collect();
            ready.insert(d, done);
        }
        while let Some(done) = ready.remove(&next_doc) {
            let doc = &docs[next_doc];
            let (results, raws): (Vec<_>, Vec<_>) = done.into_iter().unzip();
            match assemble(doc, results, cfg, engine_name) {
                Ok(record) => {
                    keep(cfg, &record, raws)?;
                    let title = pdf_title(&record);
                    extra_out.write(&cfg.out, next_doc, &doc.id, &title, engine_name).map_err(|e| {
                        Error::Data(format!("cannot write the archival files of {}: {e}", doc.input.source))
                    })?;
                    writer.write_record(&record)?;
                    obs.event(Event::DocumentDone { source: &doc.input.source });
                    written += 1;
                }
                Err(e) => {
                    extra_out.forget(next_doc);
                    fail(writer, obs, &doc.input.source, Some(&doc.id), &e)?;
                    failed += 1;
                }
            }
            next_doc += 1;
        }
    }
    // Interrupted: documents after a gap are complete but wait for an unfinished earlier one.
    for (d, done) in std::mem::take(&mut ready) {
        let doc = &docs[d];
        let (results, raws): (Vec<_>, Vec<_>) = done.into_iter().unzip();
        if let Ok(record) = assemble(doc, results, cfg, engine_name) {
            keep(cfg, &record, raws)?;
            if extra_out.write(&cfg.out, d, &doc.id, &pdf_title(&record), engine_name).is_err() {
                continue;
            }
            writer.write_record(&record)?;
            obs.event(Event::DocumentDone { source: &doc.input.source });
            written += 1;
        }
    }
    let pending = docs.len() - written - failed;
    Ok((written, failed, pages, pending))
}

/// Writes the pages of a document as recognised (before reading order) when `--keep-pages`
/// asks for them.
fn keep(cfg: &ScanConfig, record: &Record, raws: Vec<Option<TextPage>>) -> Result<(), Error> {
    match raws.into_iter().collect::<Option<Vec<TextPage>>>() {
        Some(pages) if cfg.keep_pages => store::write_pages(&cfg.out, &record.id, &record.source, &pages),
        _ => Ok(()),
    }
}

/// The title of a document's PDF: type, number/symbol and subject as read (`Quyết định số
/// 4250/QĐ-UBND: Phê duyệt …`), or the source's file name when none was read.
fn pdf_title(r: &Record) -> String {
    let mut t = r.doc_type.clone().unwrap_or_default();
    if let Some(n) = &r.doc_number {
        t.push_str(&format!(" số {n}"));
        if let Some(s) = &r.doc_symbol {
            t.push_str(&format!("/{s}"));
        }
    }
    if let Some(s) = &r.subject {
        t.push_str(&format!(": {s}"));
    }
    let t = t.trim().trim_start_matches(": ");
    if t.is_empty() {
        r.source.rsplit('/').next().unwrap_or(&r.source).to_string()
    } else {
        t.to_string()
    }
}

/// Builds the record of a finished document.
fn assemble(
    doc: &Doc,
    results: Vec<Result<TextPage, FileError>>,
    cfg: &ScanConfig,
    engine_name: &str,
) -> Result<Record, FileError> {
    let mut pages = Vec::with_capacity(results.len());
    for r in results {
        pages.push(r?);
    }
    let text = pages.iter().map(TextPage::text).collect::<Vec<_>>().join("\u{c}");
    let words: usize = pages.iter().map(|p| p.word_count).sum();
    let confidence = if words == 0 {
        0.0
    } else {
        pages.iter().map(|p| p.confidence as f64 * p.word_count as f64).sum::<f64>() / words as f64
    };
    let ocr = pages.iter().filter(|p| p.source == TextSource::Ocr).count();
    let method = match ocr {
        0 => "pdf-text",
        n if n == pages.len() => "ocr",
        _ => "mixed",
    };
    let engine = if ocr == 0 { "pdf text layer".to_string() } else { engine_name.to_string() };
    let mut record = Record {
        schema: SCHEMA.to_string(),
        id: doc.id.clone(),
        source: doc.input.source.clone(),
        pages: doc.input.page_names.clone(),
        page_count: pages.len() as u32,
        language: language_code(&cfg.ocr.lang),
        doc_type: None,
        doc_number: None,
        doc_symbol: None,
        issued_date: None,
        issued_place: None,
        issuer: None,
        issuer_parent: None,
        subject: None,
        signer_name: None,
        signer_title: None,
        signer_authority: None,
        recipients: Vec::new(),
        urgency: None,
        confidentiality: None,
        text,
        confidence: (confidence * 1000.0).round() / 1000.0,
        field_confidence: Default::default(),
        review: Vec::new(),
        method: method.to_string(),
        engine,
        processed_at: now_rfc3339(),
        file_code: cfg.file_code.clone(),
        doc_ordinal: cfg.file_code.as_ref().map(|_| doc.ordinal),
    };
    record.set_fields(extract::extract(&pages, &cfg.extract));
    if quality::needs_review(&pages) && !record.review.iter().any(|r| r == "text") {
        record.review.push("text".to_string());
    }
    Ok(record)
}

/// ISO 639-1 code of the first OCR language.
fn language_code(lang: &str) -> String {
    let first = lang.split('+').next().unwrap_or("vie");
    match first {
        "vie" => "vi",
        "eng" => "en",
        "fra" => "fr",
        "rus" => "ru",
        "chi_sim" | "chi_tra" => "zh",
        other => other,
    }
    .to_string()
}

/// The current UTC time, RFC 3339 to the second.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    now.format(&fmt).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        assert_eq!(language_code("vie+eng"), "vi");
        assert_eq!(language_code("eng"), "en");
    }

    #[test]
    fn timestamps_are_rfc3339() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.ends_with('Z'));
    }
}
