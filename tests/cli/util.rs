//! Test helpers: a temporary work folder and a way to run `sohoa` in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A temporary folder that is removed at the end of the test.
pub struct Work {
    pub dir: tempfile::TempDir,
}

impl Work {
    pub fn new() -> Work {
        Work { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Copies a file of the repo's samples/ into the work folder under `name`.
    pub fn sample(&self, sample: &str, name: &str) -> PathBuf {
        let dst = self.path(name);
        if let Some(p) = dst.parent() {
            std::fs::create_dir_all(p).unwrap();
        }
        std::fs::copy(repo().join("samples").join(sample), &dst).expect("copy sample");
        dst
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let dst = self.path(name);
        if let Some(p) = dst.parent() {
            std::fs::create_dir_all(p).unwrap();
        }
        std::fs::write(&dst, bytes).unwrap();
        dst
    }

    /// Runs sohoa with `args` in the work folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_stdin(args, None)
    }

    pub fn run_stdin(&self, args: &[&str], stdin: Option<&str>) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sohoa"));
        cmd.args(args).current_dir(self.dir.path()).env_remove("SOHOA_ARCHIVE");
        cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("run sohoa");
        if let Some(s) = stdin {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        }
        Run(child.wait_with_output().expect("wait sohoa"))
    }

    /// The JSON lines of a file in the work folder.
    pub fn jsonl(&self, rel: &str) -> Vec<serde_json::Value> {
        read_jsonl(&self.path(rel))
    }
}

pub fn read_jsonl(p: &Path) -> Vec<serde_json::Value> {
    let s = std::fs::read_to_string(p).unwrap_or_default();
    s.lines().map(|l| serde_json::from_str(l).expect("valid JSON line")).collect()
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A finished run of sohoa.
pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    /// Asserts the exit code, showing the output when it differs.
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(self.code(), code, "exit code\nstdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr());
        self
    }
}
