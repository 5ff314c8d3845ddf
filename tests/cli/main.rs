//! CLI tests: one binary; each module tests one subcommand by running the real `sohoa`.

mod util;

mod completions;
mod config;
mod crash;
mod extract;
mod pdf;
mod quality;
mod review;
mod scale;
mod scan;
mod schema;
mod search;
