//! Records → the tantivy full-text index in `ARCHIVE/index` (filled in by the search work).
