//! Queries → hits over the archive's index (filled in by the search work).
