//! The `sohoa` command: parse, run, map the result to an exit code. All logic is in the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::omp::ensure_single_thread_openmp();
    cli::main()
}
