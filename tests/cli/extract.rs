use crate::util::Work;

const DOC: &str = "ỦY BAN NHÂN DÂN\nQUẬN 3\nSố: 1131/QĐ-UBND\nKHẨN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
Độc lập - Tự do - Hạnh phúc\nQuận 3, ngày 25 tháng 5 năm 2023\nQUYẾT ĐỊNH\n\
Về việc ban hành Quy chế phối hợp\nCăn cứ Luật Tổ chức chính quyền địa phương;\n\u{c}2\nNơi nhận:\n- Như Điều 4;\n\
- Lưu: VT, VP, H.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNgô Trọng Phúc\n";

#[test]
fn extract_reads_a_text_file() {
    let w = Work::new();
    w.write("doc.txt", DOC.as_bytes());
    let out = w.run(&["extract", "doc.txt"]).expect_code(0).stdout();
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["doc_type"], "Quyết định");
    assert_eq!(v["doc_number"], "1131");
    assert_eq!(v["doc_symbol"], "QĐ-UBND");
    assert_eq!(v["issued_date"], "2023-05-25");
    assert_eq!(v["issued_place"], "Quận 3");
    assert_eq!(v["issuer"], "Ủy ban nhân dân Quận 3");
    assert_eq!(v["subject"], "Ban hành Quy chế phối hợp");
    assert_eq!(v["urgency"], "Khẩn");
    assert_eq!(v["signer_name"], "Ngô Trọng Phúc");
    assert_eq!(v["signer_authority"], "TM. Ủy ban nhân dân");
    assert_eq!(v["recipients"], serde_json::json!(["Như Điều 4", "Lưu: VT, VP, H"]));
    assert_eq!(v["page_count"], 2);
    assert_eq!(v["field_confidence"].as_object().map(|o| o.len()), Some(14));
}

#[test]
fn extract_reads_stdin_and_takes_dictionaries() {
    let w = Work::new();
    w.write("dict/titles.tsv", "canonical\tkind\nTrưởng Khoa\ttitle\n".as_bytes());
    let text = "Nơi nhận:\n- Lưu: VT.\nTRƯỞNG KHOA\nLê Văn An\n";
    let out = w.run_stdin(&["extract", "-", "--dictionaries", "dict"], Some(text)).expect_code(0).stdout();
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["signer_title"], "Trưởng Khoa");
    assert_eq!(v["signer_name"], "Lê Văn An");
    assert!(v["review"].as_array().unwrap().iter().any(|f| f == "doc_number"));
    w.run(&["extract", "missing.txt"]).expect_code(2);
}

#[test]
fn kept_pages_extract_again_to_the_same_fields() {
    let w = Work::new();
    w.sample("cong-van.jpg", "in/cong-van.jpg");
    w.run(&["scan", "in", "--out", "arc", "--keep-pages", "-q", "--preprocess", "none"]).expect_code(0);
    let rec = &w.jsonl("arc/records.jsonl")[0];
    let id = rec["id"].as_str().expect("id");
    let kept = format!("arc/pages/{id}.json");
    let out = w.run(&["extract", "--pages", &kept]).expect_code(0).stdout();
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["id"], rec["id"]);
    assert_eq!(v["source"], rec["source"]);
    for f in
        ["doc_type", "doc_number", "doc_symbol", "issued_date", "issuer", "subject", "signer_name", "review"]
    {
        assert_eq!(v[f], rec[f], "{f}");
    }
    assert!(rec["subject"].is_string());
    // Plain text given as a pages file is refused with the file named.
    w.write("t.txt", b"hello");
    let err = w.run(&["extract", "--pages", "t.txt"]).expect_code(2).stderr();
    assert!(err.contains("t.txt"), "{err}");
}
