//! CLI tests: one binary; each module tests one subcommand by running the real `sohoa`.

mod util;

mod pdf;
mod scan;
mod schema;
