//! Configuration files: `sohoa.toml` in the archive folder, or `--config FILE`, gives defaults
//! for any long option of a subcommand; flags typed on the command line win. Precedence:
//! built-in default < file < environment/flag.
//!
//! ```toml
//! # archive/sohoa.toml
//! lang = "vie+eng"        # top-level keys apply to every subcommand that has the option
//! [scan]
//! jobs = 2
//! review_below = 0.7
//! excel = true
//! ```
//!
//! The file's settings are turned into `--name=value` arguments and parsed by clap like typed
//! ones, so they are validated exactly as flags are. `sohoa config` prints the effective settings.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};

use super::{Cli, Exit, Global};

/// The file looked for in the archive folder.
pub const FILE_NAME: &str = "sohoa.toml";

/// Where a setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Built in.
    Default,
    /// The configuration file.
    File,
    /// The command line or the environment.
    Flag,
}

/// Parses the command line, filling options the user did not type from the configuration file.
pub fn parse(argv: Vec<OsString>) -> anyhow::Result<(Cli, Option<PathBuf>)> {
    let matches = Cli::command().try_get_matches_from(&argv).unwrap_or_else(|e| e.exit());
    let Some((sub, sm)) = matches.subcommand() else {
        return Ok((Cli::from_arg_matches(&matches)?, None));
    };
    let Some(path) = config_path(&matches, sm) else {
        return Ok((Cli::from_arg_matches(&matches)?, None));
    };
    let extra = file_args(&path, sub, sm)?;
    if extra.is_empty() {
        return Ok((Cli::from_arg_matches(&matches)?, Some(path)));
    }
    let mut argv = argv;
    argv.extend(extra);
    let matches = Cli::command()
        .try_get_matches_from(&argv)
        .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.kind()))
        .with_context(|| format!("a setting in {} is not valid", path.display()))?;
    Ok((Cli::from_arg_matches(&matches)?, Some(path)))
}

/// `--config FILE`, else `sohoa.toml` in the archive the subcommand works on, if it exists.
fn config_path(m: &ArgMatches, sm: &ArgMatches) -> Option<PathBuf> {
    if let Some(p) = m.get_one::<PathBuf>("config") {
        return Some(p.clone());
    }
    for id in ["out", "archive"] {
        if let Ok(Some(dir)) = sm.try_get_one::<PathBuf>(id) {
            let p = dir.join(FILE_NAME);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The arguments the file adds for subcommand `sub` (only options not typed by the user).
fn file_args(path: &Path, sub: &str, sm: &ArgMatches) -> anyhow::Result<Vec<OsString>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let table: toml::Table = text.parse().with_context(|| format!("{} is not valid TOML", path.display()))?;
    let cmd = Cli::command();
    let Some(subcmd) = cmd.find_subcommand(sub) else { return Ok(Vec::new()) };
    let mut settings: Vec<(String, toml::Value, bool)> = Vec::new();
    for (k, v) in &table {
        match v {
            toml::Value::Table(t) => {
                if cmd.find_subcommand(k).is_none() {
                    bail!("{}: [{k}] is not a sohoa subcommand", path.display());
                }
                if k == sub {
                    settings.extend(t.iter().map(|(k, v)| (k.clone(), v.clone(), true)));
                }
            }
            _ => settings.push((k.clone(), v.clone(), false)),
        }
    }
    let mut out = Vec::new();
    for (key, value, specific) in settings {
        let id = key.replace('-', "_");
        let Some(arg) = subcmd.get_arguments().find(|a| a.get_id() == id.as_str() && a.get_long().is_some())
        else {
            let known_anywhere =
                cmd.get_subcommands().any(|s| s.get_arguments().any(|a| a.get_id() == id.as_str()));
            if specific || !known_anywhere {
                bail!("{}: unknown setting '{key}' for `sohoa {sub}`", path.display());
            }
            continue;
        };
        if matches!(sm.value_source(&id), Some(ValueSource::CommandLine | ValueSource::EnvVariable)) {
            continue;
        }
        let long = arg.get_long().unwrap_or_default();
        let is_flag = matches!(arg.get_action(), clap::ArgAction::SetTrue);
        match value {
            toml::Value::Boolean(b) if is_flag => {
                if b {
                    out.push(OsString::from(format!("--{long}")));
                }
            }
            toml::Value::String(s) => out.push(OsString::from(format!("--{long}={s}"))),
            toml::Value::Integer(i) => out.push(OsString::from(format!("--{long}={i}"))),
            toml::Value::Float(f) => out.push(OsString::from(format!("--{long}={f}"))),
            toml::Value::Boolean(b) => out.push(OsString::from(format!("--{long}={b}"))),
            other => bail!("{}: setting '{key}' has an unsupported value {other}", path.display()),
        }
    }
    Ok(out)
}

/// Print the effective settings of `sohoa scan` (defaults, the configuration file, the environment).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The archive whose `sohoa.toml` to read.
    #[arg(long, default_value = "archive", env = "SOHOA_ARCHIVE")]
    archive: PathBuf,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args, g: &Global) -> anyhow::Result<Exit> {
    let mut argv: Vec<OsString> = vec!["sohoa".into(), "scan".into(), "-".into()];
    if let Some(c) = &g.config {
        argv.push("--config".into());
        argv.push(c.into());
    }
    argv.push(format!("--out={}", a.archive.display()).into());
    let matches = Cli::command().try_get_matches_from(&argv)?;
    let sm = matches.subcommand_matches("scan").map(|m| m.to_owned()).unwrap_or_default();
    let path = config_path(&matches, &sm);
    let from_file: Vec<String> = match &path {
        Some(p) => file_args(p, "scan", &sm)?
            .into_iter()
            .filter_map(|a| {
                a.to_string_lossy().trim_start_matches("--").split('=').next().map(str::to_string)
            })
            .collect(),
        None => Vec::new(),
    };
    let mut full = argv.clone();
    if let Some(p) = &path {
        full.extend(file_args(p, "scan", &sm)?);
    }
    let matches = Cli::command().try_get_matches_from(&full)?;
    let sm = matches.subcommand_matches("scan").cloned().unwrap_or_default();
    let cmd = Cli::command();
    let scan = cmd.find_subcommand("scan").expect("scan exists");
    let mut rows = Vec::new();
    for arg in scan.get_arguments().filter(|a| a.get_long().is_some()) {
        let id = arg.get_id().as_str();
        if matches!(id, "help" | "version" | "json" | "quiet" | "config") {
            continue;
        }
        let long = arg.get_long().unwrap_or_default();
        let value: Vec<String> =
            sm.get_raw(id).map(|v| v.map(|s| s.to_string_lossy().into_owned()).collect()).unwrap_or_default();
        let source = if from_file.iter().any(|f| f == long) {
            Source::File
        } else if matches!(sm.value_source(id), Some(ValueSource::EnvVariable | ValueSource::CommandLine)) {
            Source::Flag
        } else {
            Source::Default
        };
        rows.push((id.to_string(), value.join(","), source));
    }
    let mut out = std::io::stdout().lock();
    if a.json {
        let obj: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(k, v, s)| {
                (k.clone(), serde_json::json!({"value": v, "source": format!("{s:?}").to_lowercase()}))
            })
            .collect();
        let j = serde_json::json!({"config_file": path, "scan": obj});
        writeln!(out, "{j}")?;
    } else {
        match &path {
            Some(p) => writeln!(out, "# configuration file: {}", p.display())?,
            None => {
                writeln!(out, "# no configuration file ({} in the archive, or --config FILE)", FILE_NAME)?
            }
        }
        writeln!(out, "[scan]")?;
        for (k, v, s) in rows {
            let shown = if v.is_empty() { "(none)".to_string() } else { v };
            writeln!(out, "{k:<14} = {shown:<24} # {}", format!("{s:?}").to_lowercase())?;
        }
    }
    Ok(Exit::Ok)
}
