//! sohoa turns scans of Vietnamese administrative documents into records of the shared schema
//! (`sohoa.record/1`), an archive folder (JSON Lines, CSV, errors) and a full-text index.
//!
//! The pipeline, one module per stage:
//! [`discover`] (inputs → documents) → [`load`] (document → pages) → [`preprocess`] →
//! [`ocr`] (pixels → [`page::TextPage`]) → [`extract`] (pages → [`record::Fields`]) →
//! [`store`] (records → archive files) → [`index`] → [`search`].
//! [`pipeline`] is the only module that knows the order and owns the threads.
//!
//! The library never prints: progress goes to an [`observe::Observer`].
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod discover;
pub mod doctor;
pub mod error;
pub mod extract;
pub mod index;
pub mod load;
pub mod observe;
pub mod ocr;
pub mod page;
pub mod pipeline;
pub mod preprocess;
pub mod record;
pub mod review;
pub mod search;
pub mod store;
pub mod text;

pub use error::{Error, ErrorKind, FileError};
pub use record::{Fields, Record};
