//! `sohoa man DIR` (hidden): writes the man pages of `sohoa` and each subcommand, generated
//! from the clap definitions. The pages in the repository's `man/` are checked by a test to be
//! current: after changing a flag, run `cargo run -- man man`.

use std::path::PathBuf;

use clap::CommandFactory;

use super::{Cli, Exit, Global};

/// Write man pages into a folder.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write `sohoa.1`, `sohoa-scan.1`, … into.
    dir: PathBuf,
}

pub fn run(a: Args, _g: &Global) -> anyhow::Result<Exit> {
    std::fs::create_dir_all(&a.dir)?;
    for (name, page) in pages()? {
        std::fs::write(a.dir.join(name), page)?;
    }
    Ok(Exit::Ok)
}

const EXIT_STATUS: &str = "0 success (search: at least one hit); 1 some inputs failed, listed in \
errors.jsonl (search: no hit); 2 usage, setup or fatal error (the message says what to install or \
change); 130 interrupted by Ctrl-C (run the same command again to finish).";

/// Every man page: (file name, roff text).
pub fn pages() -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    out.push(("sohoa.1".to_string(), render(&cmd)?));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let name = format!("sohoa-{}", sub.get_name());
        let sub = sub.clone().name(name.clone()).display_name(name.clone());
        out.push((format!("{name}.1"), render(&sub)?));
    }
    Ok(out)
}

fn render(cmd: &clap::Command) -> anyhow::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd.clone()).date("2026-11");
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    man.render_description_section(&mut buf)?;
    man.render_options_section(&mut buf)?;
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut buf)?;
    }
    buf.extend_from_slice(b".SH \"EXIT STATUS\"\n");
    buf.extend_from_slice(EXIT_STATUS.as_bytes());
    buf.extend_from_slice(b"\n.SH ENVIRONMENT\n.TP\nSOHOA_ARCHIVE\nThe archive folder used when none is given.\n.TP\nOMP_THREAD_LIMIT\nsohoa sets it to 1 (re-executing itself) unless it is set: Tesseract's OpenMP threads slow a parallel batch 4\\-5\\(mu.\n");
    if cmd.get_version().is_some() {
        man.render_version_section(&mut buf)?;
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn man_pages_in_the_repository_are_current() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
        let pages = pages().unwrap();
        assert!(pages.len() >= 3);
        for (name, page) in pages {
            let have = std::fs::read(dir.join(&name)).unwrap_or_default();
            assert!(
                have == page,
                "man/{name} is stale or missing: run `cargo run -- man man` and commit man/"
            );
        }
    }

    #[test]
    fn pages_document_exit_codes_and_flags() {
        let pages = pages().unwrap();
        let scan = pages.iter().find(|(n, _)| n == "sohoa-scan.1").unwrap();
        let text = String::from_utf8_lossy(&scan.1);
        assert!(text.contains("EXIT STATUS"));
        assert!(text.contains("retry\\-failed"), "{text}");
    }
}
