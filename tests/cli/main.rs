//! CLI tests: one binary; each module tests one subcommand by running the real `sohoa`.

mod util;

mod extract;
mod scan;
mod schema;
