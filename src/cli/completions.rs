//! `sohoa completions SHELL`: shell completion scripts generated from the clap definitions.

use clap::CommandFactory;

use super::{Cli, Exit, Global};

/// Print a completion script for a shell.
///
/// bash: `sohoa completions bash > ~/.local/share/bash-completion/completions/sohoa`;
/// zsh: put `_sohoa` in a folder of `$fpath`; fish: `~/.config/fish/completions/sohoa.fish`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn run(a: Args, _g: &Global) -> anyhow::Result<Exit> {
    let mut cmd = Cli::command();
    clap_complete::generate(a.shell, &mut cmd, "sohoa", &mut std::io::stdout());
    Ok(Exit::Ok)
}
