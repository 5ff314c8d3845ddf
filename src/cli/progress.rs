//! The terminal observer: an indicatif bar (pages done / total, pages/s, ETA, current file),
//! hidden when stderr is not a terminal or with `--quiet`; failures are printed above the bar.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sohoa::observe::{Event, Observer};

use super::i18n::Ui;

/// Draws scan progress on stderr.
pub struct Bar {
    bar: ProgressBar,
    quiet: bool,
    verbose: u8,
    ui: Ui,
    failures: AtomicUsize,
}

impl Bar {
    pub fn new(quiet: bool, verbose: u8, ui: Ui) -> Bar {
        let bar = ProgressBar::hidden();
        if !quiet && std::io::stderr().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        let template = format!(
            "{{spinner}} [{{elapsed_precise}}] {{bar:30.cyan/blue}} {{pos}}/{{len}} {}  {{per_sec}}  ETA {{eta}}  {{wide_msg}}",
            ui.pages()
        );
        let style = ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Bar { bar, quiet, verbose: if quiet { 0 } else { verbose }, ui, failures: AtomicUsize::new(0) }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Bar {
    /// A log line on stderr at verbosity `level` (-v: documents, -vv: pages), above the bar.
    fn log(&self, level: u8, line: impl FnOnce() -> String) {
        if self.verbose >= level {
            let l = line();
            self.bar.suspend(|| eprintln!("{l}"));
        }
    }
}

impl Observer for Bar {
    fn event(&self, e: Event<'_>) {
        match e {
            Event::Planned { pages, .. } => self.bar.set_length(pages as u64),
            Event::PageStarted { source, page } => self.bar.set_message(format!("{source} p.{page}")),
            Event::PageDone { source, page } => {
                self.bar.inc(1);
                self.log(2, || format!("sohoa: page done: {source} p.{page}"));
            }
            Event::DocumentFailed { source, kind, message } => {
                self.failures.fetch_add(1, Ordering::Relaxed);
                if !self.quiet {
                    self.bar.suspend(|| eprintln!("{}", self.ui.failure(source, kind, message)));
                }
            }
            Event::DocumentDone { source } => self.log(1, || format!("sohoa: written: {source}")),
            Event::DocumentSkipped { source } => {
                self.log(1, || format!("sohoa: already in the archive: {source}"))
            }
        }
    }
}
