//! The two kinds of failure: [`Error`] stops the run; [`FileError`] fails one input and the batch
//! goes on (it becomes a line of `errors.jsonl`).

use std::path::PathBuf;

/// A failure that stops the whole run (the archive cannot be written, Tesseract is not set up, …).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder of the archive or of the inputs could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The OCR engine cannot start (missing language data, bad tessdata folder, …).
    #[error("{0}")]
    Setup(String),
    /// The options do not make sense together, or an input list is malformed.
    #[error("{0}")]
    Usage(String),
    /// The full-text index failed.
    #[error("index: {0}")]
    Index(String),
    /// Records could not be serialised or parsed.
    #[error("{0}")]
    Data(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
}

/// Why one input failed; the stable code written as `kind` in `errors.jsonl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Damaged, truncated or not what its name says.
    Unreadable,
    /// A format sohoa does not read.
    Unsupported,
    /// Password-protected.
    Encrypted,
    /// Over a size limit (pixels, pages, bytes).
    TooLarge,
    /// Zero bytes, or nothing inside.
    Empty,
    /// The OCR engine failed or timed out on a page.
    OcrFailed,
}

impl ErrorKind {
    /// The stable English code.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Unreadable => "unreadable",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Encrypted => "encrypted",
            ErrorKind::TooLarge => "too-large",
            ErrorKind::Empty => "empty",
            ErrorKind::OcrFailed => "ocr-failed",
        }
    }
}

/// One input (or one page of it) failed; the message says what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct FileError {
    /// The stable kind.
    pub kind: ErrorKind,
    /// A sentence for a clerk.
    pub message: String,
}

impl FileError {
    /// A new error of `kind`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> FileError {
        FileError { kind, message: message.into() }
    }

    /// The same error, its message prefixed with the page it happened on.
    pub fn on_page(self, page: u32) -> FileError {
        FileError { kind: self.kind, message: format!("page {page}: {}", self.message) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_stable_codes() {
        assert_eq!(ErrorKind::TooLarge.code(), "too-large");
        assert_eq!(ErrorKind::OcrFailed.code(), "ocr-failed");
        let e = FileError::new(ErrorKind::Empty, "the file is empty").on_page(3);
        assert_eq!(e.to_string(), "page 3: the file is empty");
    }
}
