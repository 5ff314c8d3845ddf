//! CLI tests: one binary; each module tests one subcommand by running the real `sohoa`.

mod util;

mod completions;
mod config;
mod crash;
mod quality;
mod scan;
mod schema;
