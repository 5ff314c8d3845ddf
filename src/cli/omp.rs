//! Debian's libtesseract is built with OpenMP: with `OMP_THREAD_LIMIT` unset, every engine spins
//! extra threads and a batch runs 4–5× slower. libgomp reads the variable when it is loaded,
//! before `main`, so setting it in-process is too late: re-execute once with it set.

use std::os::unix::process::CommandExt;

/// Re-executes the program with `OMP_THREAD_LIMIT=1` unless it is already set.
pub fn ensure_single_thread_openmp() {
    if std::env::var_os("OMP_THREAD_LIMIT").is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    let mut args = std::env::args_os();
    let argv0 = args.next().unwrap_or_default();
    let err = std::process::Command::new(exe).arg0(argv0).args(args).env("OMP_THREAD_LIMIT", "1").exec();
    // exec only returns on failure; carry on single-process (slower, still correct).
    eprintln!("sohoa: warning: could not re-execute with OMP_THREAD_LIMIT=1 ({err}); OCR will be slower");
}
