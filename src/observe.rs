//! Progress reporting: the library never prints; long calls report [`Event`]s to an [`Observer`]
//! that the caller supplies (the CLI draws bars, tests collect events).

/// Something that happened during a scan.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// Inputs were found and opened: this many documents and pages will be processed.
    Planned {
        /// Documents to process.
        documents: usize,
        /// Pages to process.
        pages: usize,
    },
    /// A page is being worked on.
    PageStarted {
        /// The document's source.
        source: &'a str,
        /// 1-based page number.
        page: u32,
    },
    /// A page is finished (recognised, taken from a text layer, or failed).
    PageDone {
        /// The document's source.
        source: &'a str,
        /// 1-based page number.
        page: u32,
    },
    /// A document was written to the archive.
    DocumentDone {
        /// The document's source.
        source: &'a str,
    },
    /// A document failed and was written to `errors.jsonl`.
    DocumentFailed {
        /// The document's source.
        source: &'a str,
        /// The error's kind code.
        kind: &'a str,
        /// The error message.
        message: &'a str,
    },
    /// A document was already in the archive and was not processed again.
    DocumentSkipped {
        /// The document's source.
        source: &'a str,
    },
}

/// Receives progress from long-running calls; the default does nothing.
pub trait Observer: Sync {
    /// Called for every event, from any thread.
    fn event(&self, _event: Event<'_>) {}
}

impl Observer for () {}
