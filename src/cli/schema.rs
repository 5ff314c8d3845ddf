//! `sohoa schema`: the JSON Schema of a record, generated from the type that writes records.

use std::io::Write;

use super::{Exit, Global};

/// Print the JSON Schema of `records.jsonl` lines.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_a: Args, _g: &Global) -> anyhow::Result<Exit> {
    let s = serde_json::to_string_pretty(&sohoa::record::json_schema())?;
    writeln!(std::io::stdout(), "{s}")?;
    Ok(Exit::Ok)
}
