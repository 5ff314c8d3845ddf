//! `sohoa doctor`: checks the environment and says what to fix.

use std::io::Write;
use std::path::PathBuf;

use sohoa::doctor::{self, Status};
use sohoa::ocr::OcrConfig;

use super::{Exit, Global};

/// Check Tesseract, its language data, the archive folder and the machine; print fixes.
///
/// Exit status 0 when sohoa can work (warnings allowed), 2 when something must be fixed.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The archive folder to check for write access and free space.
    #[arg(long, default_value = "archive", env = "SOHOA_ARCHIVE")]
    archive: PathBuf,
    /// OCR languages to check, `+`-separated.
    #[arg(short, long, default_value = "vie")]
    lang: String,
    /// Folder holding the `*.traineddata` models (found automatically by default).
    #[arg(long, value_name = "DIR")]
    tessdata: Option<PathBuf>,
    /// Print the checks as JSON Lines.
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args, _g: &Global) -> anyhow::Result<Exit> {
    let cfg = OcrConfig { lang: a.lang, tessdata: a.tessdata, ..OcrConfig::default() };
    let checks = doctor::run(&cfg, &a.archive);
    let mut out = std::io::stdout().lock();
    for c in &checks {
        let status = match c.status {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "FAIL",
        };
        if a.json {
            let j = serde_json::json!({"check": c.name, "status": status.to_lowercase(), "detail": c.detail, "fix": c.fix});
            writeln!(out, "{j}")?;
        } else {
            writeln!(out, "{status:>4}  {:<14} {}", c.name, c.detail)?;
            if let Some(fix) = &c.fix {
                writeln!(out, "      {:<14} fix: {fix}", "")?;
            }
        }
    }
    Ok(if checks.iter().any(|c| c.status == Status::Fail) { Exit::Error } else { Exit::Ok })
}
