//! End-to-end tests of `extract` on whole documents (plain text and OCR-like pages).

use super::*;

fn fields(text: &str) -> Fields {
    let pages: Vec<TextPage> = text.split('\u{c}').map(TextPage::from_plain).collect();
    extract(&pages, &ExtractConfig::default())
}

const CONG_VAN: &str = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 4929/UBND-ĐT\nV/v triển khai thực hiện công\n\
tác văn thư, lưu trữ năm 2022\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc\n\
Thành phố Hồ Chí Minh, ngày 29 tháng 9 năm 2022\nKính gửi: Bộ Thông tin và Truyền thông.\n\
Nhằm nâng cao hiệu quả công tác văn thư, lưu trữ trên địa bàn Thành phố,\nTrân trọng./.\n\
Nơi nhận:\n- Như trên;\n- Sở Tư pháp;\n- Lưu: VT, ĐT, N.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Minh Tâm";

#[test]
fn a_whole_cong_van() {
    let f = fields(CONG_VAN);
    assert_eq!(f.doc_type.as_deref(), Some("Công văn"));
    assert_eq!(f.doc_number.as_deref(), Some("4929"));
    assert_eq!(f.doc_symbol.as_deref(), Some("UBND-ĐT"));
    assert_eq!(f.issued_date.as_deref(), Some("2022-09-29"));
    assert_eq!(f.issuer.as_deref(), Some("Ủy ban nhân dân Thành phố Hồ Chí Minh"));
    assert_eq!(f.signer_name.as_deref(), Some("Trần Minh Tâm"));
    assert_eq!(f.signer_title.as_deref(), Some("Phó Chủ tịch"));
    assert_eq!(f.signer_authority.as_deref(), Some("TM. Ủy ban nhân dân KT. Chủ tịch"));
    assert_eq!(f.recipients, ["Như trên", "Sở Tư pháp", "Lưu: VT, ĐT, N"]);
    assert_eq!(f.urgency, None);
    for name in FIELDS {
        let c = f.field_confidence[name];
        assert!((0.0..=1.0).contains(&c), "{name} {c}");
    }
    assert!(f.field_confidence["urgency"] >= 0.8, "a clear header makes no urgency a confident absence");
    assert!(f.review.is_empty(), "{:?}", f.review);
}

#[test]
fn an_unread_stamp_makes_the_marks_doubtful() {
    let mut pages: Vec<TextPage> = vec![TextPage::from_plain(CONG_VAN)];
    pages[0].stamp_ink = true;
    let f = extract(&pages, &ExtractConfig::default());
    assert_eq!(f.urgency, None);
    assert!(f.review.contains(&"urgency".to_string()), "{:?}", f.review);
    assert!(f.review.contains(&"confidentiality".to_string()), "{:?}", f.review);
}

#[test]
fn a_missing_number_goes_to_review() {
    let f = fields(&CONG_VAN.replace("4929/UBND-ĐT", "     /UBND-ĐT"));
    assert_eq!(f.doc_number, None);
    assert_eq!(f.doc_symbol.as_deref(), Some("UBND-ĐT"));
    assert!(f.review.contains(&"doc_number".to_string()));
}

#[test]
fn an_empty_document_has_no_fields_and_names_what_is_missing() {
    let f = extract(&[], &ExtractConfig::default());
    assert_eq!(f.doc_type, None);
    assert!(f.recipients.is_empty());
    assert_eq!(f.field_confidence.len(), FIELDS.len());
    assert!(f.review.contains(&"doc_type".to_string()) && f.review.contains(&"issuer".to_string()));
}

#[test]
fn pages_are_read_in_order() {
    let two = CONG_VAN.replacen("Trân trọng./.", "Trân trọng./.\u{c}2", 1);
    let f = fields(&two);
    assert_eq!(f.signer_name.as_deref(), Some("Trần Minh Tâm"));
    assert_eq!(f.recipients.len(), 3);
}

/// Real Tesseract output (dev corpus), kept as small fixtures: noisy lines, junk from seals,
/// columns glued together.
mod real_ocr {
    use super::*;
    use crate::page::{BBox, Line, TextSource, Word};

    fn bbox(v: &serde_json::Value) -> Option<BBox> {
        let a: Vec<i32> = v.as_array()?.iter().filter_map(|x| x.as_i64().map(|n| n as i32)).collect();
        (a.len() == 4).then(|| BBox { x0: a[0], y0: a[1], x1: a[2], y1: a[3] })
    }

    /// A page saved as JSON: lines with their words `[text, conf, x0, y0, x1, y1]`.
    fn page(json: &str) -> TextPage {
        let v: serde_json::Value = serde_json::from_str(json).expect("fixture JSON");
        let lines: Vec<Line> = v["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| Line {
                text: l["text"].as_str().unwrap_or_default().to_string(),
                conf: l["conf"].as_f64().unwrap_or(0.0) as f32,
                block: l["block"].as_u64().unwrap_or(0) as u32,
                bbox: bbox(&l["bbox"]),
                words: l["words"]
                    .as_array()
                    .expect("words")
                    .iter()
                    .map(|w| Word {
                        text: w[0].as_str().unwrap_or_default().to_string(),
                        conf: w[1].as_f64().unwrap_or(0.0) as f32,
                        bbox: bbox(&serde_json::json!([w[2], w[3], w[4], w[5]])).unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect();
        TextPage {
            width: v["width"].as_u64().unwrap_or(0) as u32,
            height: v["height"].as_u64().unwrap_or(0) as u32,
            word_count: lines.iter().map(|l| l.words.len()).sum(),
            lines,
            confidence: 0.9,
            source: TextSource::Ocr,
            stamp_ink: false,
        }
    }

    #[test]
    fn glued_header_columns_are_split_and_read() {
        let p = reading_order(page(include_str!("testdata/dev-012-header.json")));
        let t = p.text();
        // The agency column first (glued to the motto by Tesseract), then the motto column.
        let agency = t.find("HỒ CHÍ MINH\n").unwrap_or(usize::MAX);
        let so = t.find("Số: 3703/TB-CATP").unwrap_or(usize::MAX);
        let motto = t.find("CỘNG HÒA XÃ HỘI").unwrap_or(0);
        assert!(agency < so && so < motto, "{t}");
        let f = extract(&[p], &ExtractConfig::default());
        assert_eq!(f.issuer.as_deref(), Some("Công an Thành phố Hồ Chí Minh"));
        assert_eq!(f.doc_number.as_deref(), Some("3703"));
        assert_eq!(f.doc_symbol.as_deref(), Some("TB-CATP"));
        assert_eq!(f.issued_date.as_deref(), Some("2016-06-27"));
        assert_eq!(f.issued_place.as_deref(), Some("Thành phố Hồ Chí Minh"));
        assert_eq!(f.doc_type.as_deref(), Some("Thông báo"));
        assert_eq!(
            f.subject.as_deref(),
            Some("Kết quả kiểm tra công tác phổ biến, giáo dục pháp luật quý I năm 2016")
        );
    }

    #[test]
    fn noisy_cong_van_text() {
        let f = fields(include_str!("testdata/dev-009-ocr.txt"));
        assert_eq!(f.issuer.as_deref(), Some("Sở Kế hoạch và Đầu tư"));
        assert_eq!(f.issuer_parent.as_deref(), Some("Ủy ban nhân dân Thành phố Hồ Chí Minh"));
        assert_eq!(f.doc_symbol.as_deref(), Some("SKHĐT-VP"));
        assert_eq!(f.subject.as_deref(), Some("Tăng cường công tác quản lý trật tự đô thị"));
        assert_eq!(f.signer_title.as_deref(), Some("Chánh Văn phòng"));
        assert_eq!(f.signer_name.as_deref(), Some("Nguyễn Bích Hà"));
        assert_eq!(
            f.recipients,
            ["Sở Nội vụ", "Sở Tài chính", "Các Sở, ban, ngành Thành phố", "Lưu: VT, VP"]
        );
    }

    #[test]
    fn signature_glued_to_recipients() {
        let f = fields(include_str!("testdata/dev-020-p2-ocr.txt"));
        assert_eq!(f.signer_title.as_deref(), Some("Phó Giám đốc"));
        assert_eq!(f.signer_authority.as_deref(), Some("KT. Giám đốc"));
        assert_eq!(f.signer_name.as_deref(), Some("Trần Việt Hoan"));
        assert_eq!(f.recipients.len(), 3);
        assert_eq!(f.recipients[0], "Ủy ban nhân dân Thành phố (để báo cáo)");
        assert!(f.review.contains(&"doc_number".to_string()), "page 2 alone has no number: {:?}", f.review);
    }
}
