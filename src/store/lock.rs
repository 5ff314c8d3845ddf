//! One writer per archive: an advisory lock on `ARCHIVE/.lock`, held while a scan writes.
//! The operating system releases it when the process ends, even on SIGKILL, so a crash never
//! leaves a stale lock behind. Readers (`sohoa search`) do not take it.

use std::fs::{File, OpenOptions};
use std::path::Path;

use crate::error::Error;

/// Held while writing; dropping it releases the lock.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

impl WriteLock {
    /// Takes the archive's write lock, or fails at once if another process holds it.
    pub fn acquire(dir: &Path) -> Result<WriteLock, Error> {
        let path = dir.join(".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(WriteLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Usage(format!(
                "{} is being written by another sohoa process; wait for it to finish (search still works meanwhile)",
                dir.display()
            ))),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_writer_is_refused_until_the_first_is_gone() {
        let t = tempfile::tempdir().unwrap();
        let first = WriteLock::acquire(t.path()).unwrap();
        let e = WriteLock::acquire(t.path()).unwrap_err().to_string();
        assert!(e.contains("another sohoa process"), "{e}");
        drop(first);
        WriteLock::acquire(t.path()).unwrap();
    }
}
