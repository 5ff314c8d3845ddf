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
