//! Environment checks for `sohoa doctor`: `pub fn run(&DoctorConfig) -> Vec<Check>`.
//! Each check says OK, or what is wrong and the exact fix (package or command).

use std::path::{Path, PathBuf};

use crate::ocr::{self, OcrConfig};

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Fine.
    Ok,
    /// Works, but could be better.
    Warn,
    /// sohoa will not work until this is fixed.
    Fail,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What was checked.
    pub name: String,
    /// The outcome.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// What to do, when not OK.
    pub fix: Option<String>,
}

fn check(name: &str, status: Status, detail: String, fix: Option<String>) -> Check {
    Check { name: name.to_string(), status, detail, fix }
}

/// Models smaller than this are Tesseract's "fast" networks (Debian ships those).
const FAST_MODEL_MAX_BYTES: u64 = 1_500_000;

/// Runs every check for the given OCR settings and archive folder.
pub fn run(ocr: &OcrConfig, archive: &Path) -> Vec<Check> {
    let mut out = Vec::new();
    let v = ocr::version();
    let major: u32 = v.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    out.push(if major >= 5 {
        check("tesseract", Status::Ok, format!("libtesseract {v}"), None)
    } else {
        check(
            "tesseract",
            Status::Warn,
            format!("libtesseract {v}; sohoa is tested with 5.x"),
            Some("sudo apt-get install libtesseract5".into()),
        )
    });
    match ocr.check() {
        Ok(dir) => {
            out.push(check("tessdata", Status::Ok, dir.display().to_string(), None));
            for lang in ocr.lang.split('+') {
                out.push(model_check(&dir, lang));
            }
            out.push(best_model_check(
                crate::ocr::best_dir().as_deref(),
                ocr.lang.split('+').next().unwrap_or("vie"),
            ));
            let osd = dir.join("osd.traineddata");
            out.push(if osd.is_file() {
                check("osd model", Status::Ok, "page orientation detection available".into(), None)
            } else {
                check(
                    "osd model",
                    Status::Warn,
                    "osd.traineddata missing: rotated pages cannot be turned upright".into(),
                    Some("sudo apt-get install tesseract-ocr-osd".into()),
                )
            });
            let langs = installed_languages(&dir);
            out.push(check("languages", Status::Ok, langs.join(", "), None));
        }
        Err(e) => {
            out.push(check("language data", Status::Fail, e.to_string(), Some(install_hint(&ocr.lang))));
        }
    }
    let omp = std::env::var("OMP_THREAD_LIMIT").unwrap_or_default();
    out.push(if omp == "1" {
        check("OpenMP", Status::Ok, "OMP_THREAD_LIMIT=1 (one thread per engine)".into(), None)
    } else {
        check(
            "OpenMP",
            Status::Warn,
            format!("OMP_THREAD_LIMIT={omp:?}: Tesseract's OpenMP threads slow a parallel batch 4-5x"),
            Some("unset OMP_THREAD_LIMIT (sohoa then sets it to 1) or export OMP_THREAD_LIMIT=1".into()),
        )
    });
    let cores = crate::pipeline::default_jobs();
    out.push(check(
        "cpu",
        Status::Ok,
        format!("{cores} core(s): scan uses {cores} worker(s) by default"),
        None,
    ));
    out.push(write_check(archive));
    out.push(disk_check(archive));
    out
}

fn install_hint(lang: &str) -> String {
    let pkgs: Vec<String> = lang.split('+').map(|l| format!("tesseract-ocr-{l}")).collect();
    format!("sudo apt-get install {}", pkgs.join(" "))
}

fn model_check(dir: &Path, lang: &str) -> Check {
    let path = dir.join(format!("{lang}.traineddata"));
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let mb = size as f64 / 1e6;
    if size <= FAST_MODEL_MAX_BYTES {
        check(
            &format!("model {lang}"),
            Status::Ok,
            format!("{} ({mb:.1} MB: the fast model)", path.display()),
            None,
        )
    } else {
        check(
            &format!("model {lang}"),
            Status::Ok,
            format!("{} ({mb:.1} MB: a best model)", path.display()),
            None,
        )
    }
}

/// Whether `--model best` can run: the tessdata_best model installed by
/// `scripts/install-best-model.sh` (informative: the fast model is the default).
fn best_model_check(best: Option<&Path>, lang: &str) -> Check {
    let path = best.map(|d| d.join(format!("{lang}.traineddata")));
    match path.filter(|p| p.is_file()) {
        Some(p) => check("best model", Status::Ok, format!("{} (--model best)", p.display()), None),
        None => check(
            "best model",
            Status::Ok,
            "not installed: --model best is unavailable (the fast model is the default)".into(),
            Some("bash scripts/install-best-model.sh".into()),
        ),
    }
}

fn installed_languages(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    e.file_name().to_string_lossy().strip_suffix(".traineddata").map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The archive folder, or the nearest existing parent when it does not exist yet.
fn existing_dir(archive: &Path) -> PathBuf {
    let mut p = archive.to_path_buf();
    while !p.is_dir() {
        match p.parent() {
            Some(q) if !q.as_os_str().is_empty() => p = q.to_path_buf(),
            _ => return PathBuf::from("."),
        }
    }
    p
}

fn write_check(archive: &Path) -> Check {
    let dir = existing_dir(archive);
    let probe = dir.join(format!(".sohoa-doctor-{}", std::process::id()));
    match std::fs::write(&probe, b"ok") {
        Ok(()) => {
            let _ = std::fs::remove_file(&probe);
            check("archive", Status::Ok, format!("{} is writable", archive.display()), None)
        }
        Err(e) => check(
            "archive",
            Status::Fail,
            format!("cannot write in {}: {e}", dir.display()),
            Some(format!("choose another --archive, or give your user write access to {}", dir.display())),
        ),
    }
}

fn disk_check(archive: &Path) -> Check {
    let dir = existing_dir(archive);
    let out = std::process::Command::new("df").arg("-Pk").arg(&dir).output();
    let free_kb: Option<u64> = out.ok().and_then(|o| {
        let s = String::from_utf8_lossy(&o.stdout).into_owned();
        s.lines().nth(1).and_then(|l| l.split_whitespace().nth(3)).and_then(|v| v.parse().ok())
    });
    match free_kb {
        Some(kb) if kb < 1_000_000 => check(
            "disk",
            Status::Warn,
            format!("{:.2} GB free in {}", kb as f64 / 1e6, dir.display()),
            Some("free some space: an archive needs about 10 KB per page plus the index".into()),
        ),
        Some(kb) => {
            check("disk", Status::Ok, format!("{:.1} GB free in {}", kb as f64 / 1e6, dir.display()), None)
        }
        None => check("disk", Status::Warn, "could not measure free space (df failed)".into(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_model_is_reported_with_how_to_install_it() {
        let t = tempfile::tempdir().unwrap();
        let c = best_model_check(Some(t.path()), "vie");
        assert!(c.detail.starts_with("not installed"), "{}", c.detail);
        assert_eq!(c.fix.as_deref(), Some("bash scripts/install-best-model.sh"));
        std::fs::write(t.path().join("vie.traineddata"), b"x").unwrap();
        let c = best_model_check(Some(t.path()), "vie");
        assert!(c.detail.ends_with("(--model best)"), "{}", c.detail);
        assert!(c.fix.is_none());
    }

    #[test]
    fn a_missing_language_fails_with_the_package_to_install() {
        let t = tempfile::tempdir().unwrap();
        let cfg = OcrConfig { lang: "vie+zzz".into(), ..OcrConfig::default() };
        let checks = run(&cfg, t.path());
        let bad = checks.iter().find(|c| c.status == Status::Fail).expect("a failing check");
        assert!(bad.fix.as_deref().unwrap().contains("tesseract-ocr-zzz"), "{bad:?}");
        assert!(checks.iter().any(|c| c.name == "archive" && c.status == Status::Ok));
    }

    #[test]
    fn the_installed_setup_passes() {
        let t = tempfile::tempdir().unwrap();
        let checks = run(&OcrConfig::default(), &t.path().join("new-archive"));
        assert!(checks.iter().all(|c| c.status != Status::Fail), "{checks:?}");
        assert!(checks.iter().any(|c| c.name == "model vie"));
    }
}
