//! Messages for people, in Vietnamese or English (`--lang-ui`, default from LC_ALL/LC_MESSAGES/
//! LANG). Data files keep stable English codes: errors.jsonl's `kind` never changes with the UI.

use std::path::Path;

use sohoa::pipeline::ScanSummary;

/// The language of messages on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ui {
    /// Tiếng Việt.
    Vi,
    /// English.
    En,
}

impl Ui {
    /// The flag if given, else the locale: `vi*` means Vietnamese.
    pub fn detect(flag: Option<Ui>) -> Ui {
        if let Some(u) = flag {
            return u;
        }
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if !v.is_empty() {
                    return if v.to_ascii_lowercase().starts_with("vi") { Ui::Vi } else { Ui::En };
                }
            }
        }
        Ui::En
    }

    /// "error" prefix of fatal messages.
    pub fn error(self) -> &'static str {
        match self {
            Ui::Vi => "lỗi",
            Ui::En => "error",
        }
    }

    /// The progress bar's unit.
    pub fn pages(self) -> &'static str {
        match self {
            Ui::Vi => "trang",
            Ui::En => "pages",
        }
    }

    /// Said on the first Ctrl-C.
    pub fn stopping(self) -> &'static str {
        match self {
            Ui::Vi => "đang dừng sau các trang đang xử lý (nhấn Ctrl-C lần nữa để thoát ngay)…",
            Ui::En => "stopping after the pages in progress (Ctrl-C again to quit at once)…",
        }
    }

    /// What an error kind means, for a clerk.
    pub fn kind(self, code: &str) -> &'static str {
        match (self, code) {
            (Ui::Vi, "unreadable") => "không đọc được tệp (hỏng, bị cắt ngắn hoặc không đúng định dạng)",
            (Ui::Vi, "unsupported") => "định dạng chưa được hỗ trợ",
            (Ui::Vi, "encrypted") => "tệp có mật khẩu",
            (Ui::Vi, "too-large") => "tệp vượt quá giới hạn kích thước",
            (Ui::Vi, "empty") => "tệp rỗng",
            (Ui::Vi, "ocr-failed") => "nhận dạng chữ (OCR) thất bại",
            (Ui::Vi, _) => "lỗi",
            (Ui::En, "unreadable") => "cannot be read (damaged, cut short, or not what its name says)",
            (Ui::En, "unsupported") => "format not supported",
            (Ui::En, "encrypted") => "password-protected",
            (Ui::En, "too-large") => "over a size limit",
            (Ui::En, "empty") => "empty",
            (Ui::En, "ocr-failed") => "OCR failed",
            (Ui::En, _) => "failed",
        }
    }

    /// One failed input, as shown on stderr.
    pub fn failure(self, source: &str, kind: &str, message: &str) -> String {
        format!("sohoa: {source}: {}: {message} [{kind}]", self.kind(kind))
    }

    /// The paragraph printed at the end of a scan.
    pub fn summary(self, s: &ScanSummary, out: &Path) -> String {
        let secs = s.elapsed.as_secs_f64();
        let pps = s.pages_per_second();
        let mut t = match self {
            Ui::Vi => format!(
                "sohoa: đã ghi {} văn bản, {} lỗi, {} đã có trong kho lưu trữ; {} trang trong {secs:.1} giây ({pps:.2} trang/giây).",
                s.documents, s.failed, s.skipped, s.pages
            ),
            Ui::En => format!(
                "sohoa: {} document(s) written, {} failed, {} already in the archive; {} page(s) in {secs:.1} s ({pps:.2} pages/s).",
                s.documents, s.failed, s.skipped, s.pages
            ),
        };
        let errors = out.join("errors.jsonl");
        let extra = |vi: String, en: String| if self == Ui::Vi { vi } else { en };
        if s.skipped_failed > 0 {
            t.push(' ');
            t.push_str(&extra(
                format!(
                    "{} văn bản đã lỗi ở lần trước không được thử lại (dùng --retry-failed để thử lại).",
                    s.skipped_failed
                ),
                format!(
                    "{} document(s) that failed before were not tried again (--retry-failed to retry).",
                    s.skipped_failed
                ),
            ));
        }
        if s.ignored > 0 {
            t.push(' ');
            t.push_str(&extra(
                format!("Bỏ qua {} tệp không phải bản quét.", s.ignored),
                format!("{} file(s) that are not scans were passed over.", s.ignored),
            ));
        }
        if s.failed + s.skipped_failed > 0 {
            t.push(' ');
            t.push_str(&extra(
                format!("Danh sách lỗi: {}.", errors.display()),
                format!("Failures are listed in {}.", errors.display()),
            ));
        }
        if s.interrupted {
            t.push(' ');
            t.push_str(&extra(
                format!("Đã dừng giữa chừng: {} văn bản chưa xong; chạy lại đúng lệnh này để hoàn tất.", s.pending),
                format!(
                    "Interrupted: {} document(s) not finished; run the same command again to complete the archive.",
                    s.pending
                ),
            ));
        }
        t.push(' ');
        t.push_str(&extra(format!("Kho lưu trữ: {}", out.display()), format!("Archive: {}", out.display())));
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_summary_has_diacritics_and_the_numbers() {
        let s = ScanSummary { documents: 3, failed: 1, pages: 7, ..ScanSummary::default() };
        let t = Ui::Vi.summary(&s, Path::new("kho"));
        assert!(t.contains("đã ghi 3 văn bản, 1 lỗi"), "{t}");
        assert!(t.contains("Danh sách lỗi: kho/errors.jsonl"), "{t}");
        let e = Ui::En.summary(&s, Path::new("kho"));
        assert!(e.contains("3 document(s) written, 1 failed"), "{e}");
    }

    #[test]
    fn every_kind_has_both_languages() {
        for k in ["unreadable", "unsupported", "encrypted", "too-large", "empty", "ocr-failed"] {
            assert_ne!(Ui::Vi.kind(k), "lỗi", "{k}");
            assert_ne!(Ui::En.kind(k), "failed", "{k}");
        }
    }
}
