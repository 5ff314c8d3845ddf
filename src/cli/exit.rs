//! Exit codes, one place (documented in the man page and README).

use std::process::ExitCode;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: everything succeeded (search: there are hits).
    Ok,
    /// 1: some inputs failed (scan), or no hit (search).
    Partial,
    /// 2: usage, setup or fatal error.
    Error,
    /// 130: interrupted by Ctrl-C.
    Interrupted,
}

impl Exit {
    /// The process exit status.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Partial => 1,
            Exit::Error => 2,
            Exit::Interrupted => 130,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(Exit::Ok.code(), 0);
        assert_eq!(Exit::Partial.code(), 1);
        assert_eq!(Exit::Error.code(), 2);
        assert_eq!(Exit::Interrupted.code(), 130);
    }
}
