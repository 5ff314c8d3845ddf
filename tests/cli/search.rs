//! `sohoa search`, `sohoa index`, `sohoa show`.

use serde_json::{json, Value};

use crate::util::Work;

#[allow(clippy::too_many_arguments)]
fn record(
    id: &str,
    doc_type: &str,
    number: &str,
    symbol: &str,
    date: &str,
    issuer: &str,
    subject: &str,
    text: &str,
) -> Value {
    json!({
        "schema": "sohoa.record/1", "id": id, "source": format!("{id}.jpg"), "page_count": text.split('\u{c}').count(),
        "language": "vi", "doc_type": doc_type, "doc_number": number, "doc_symbol": symbol,
        "issued_date": date, "issued_place": "Thành phố Hồ Chí Minh", "issuer": issuer, "issuer_parent": null,
        "subject": subject, "signer_name": "Võ Văn Hoan", "signer_title": "Phó Chủ tịch",
        "signer_authority": "KT. Chủ tịch", "recipients": ["Như trên", "Lưu: VT"], "urgency": null,
        "confidentiality": null, "text": text, "confidence": 0.93, "field_confidence": {}, "review": [],
        "method": "ocr", "engine": "test", "processed_at": "2025-01-01T00:00:00Z", "file_code": null,
        "doc_ordinal": null
    })
}

/// An archive of three records, indexed with `sohoa index`.
fn archive() -> Work {
    let w = Work::new();
    let recs = [
        record("aaaa1111", "Quyết định", "4250", "QĐ-UBND", "2023-05-10", "Ủy ban nhân dân Quận 1",
            "Phê duyệt kế hoạch phòng cháy chữa cháy",
            "ỦY BAN NHÂN DÂN QUẬN 1\nSố: 4250/QĐ-UBND\nQUYẾT ĐỊNH\nPhê duyệt kế hoạch phòng cháy chữa cháy\u{c}Điều 2. Giao Trưởng phòng Tài chính thực hiện."),
        record("bbbb2222", "Công văn", "12", "UBND-VX", "2024-01-20", "Ủy ban nhân dân Quận 3",
            "Tăng cường quản lý đất đai",
            "Căn cứ Quyết định số 4250/QĐ-UBND.\nÔng Đinh Văn Nam phụ trách quản lý đất đai."),
        record("cccc3333", "Thông báo", "05", "TB-SNV", "2022-12-31", "Sở Nội vụ", "Lịch tiếp công dân",
            "SỞ NỘI VỤ\nThông báo lịch tiếp công dân.\nnhân dân ủy ban"),
    ];
    let lines: String = recs.iter().map(|r| format!("{r}\n")).collect();
    w.write("archive/records.jsonl", lines.as_bytes());
    let r = w.run(&["index", "--archive", "archive"]).expect_code(0);
    assert!(r.stderr().contains("3 record(s) indexed"), "{}", r.stderr());
    w
}

fn ids(w: &Work, args: &[&str]) -> Vec<String> {
    let mut a = vec!["search", "--json"];
    a.extend_from_slice(args);
    let r = w.run(&a);
    assert!(r.code() == 0 || r.code() == 1, "{}", r.stderr());
    r.stdout()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn folded_and_exact_queries() {
    let w = archive();
    assert_eq!(ids(&w, &["phong chay chua chay"]), ["aaaa1111"]);
    assert_eq!(ids(&w, &["Phòng cháy"]), ["aaaa1111"]);
    // With diacritics the exact spelling ranks first: "Đinh" (a name, in bbbb) over "định".
    assert_eq!(ids(&w, &["Đinh"])[0], "bbbb2222");
    assert_eq!(ids(&w, &["dinh"]).len(), 2);
}

#[test]
fn phrases_and_operators() {
    let w = archive();
    let mut got = ids(&w, &["\"uy ban nhan dan\""]);
    got.sort();
    assert_eq!(got, ["aaaa1111", "bbbb2222"]); // bbbb by its issuer; cccc has the words scattered.
    assert_eq!(ids(&w, &["uy ban nhan dan"]).len(), 3);
    assert_eq!(ids(&w, &["\"quan ly\" OR \"phong chay\""]).len(), 2);
    assert_eq!(ids(&w, &["quyet dinh -\"dat dai\""]), ["aaaa1111"]);
}

#[test]
fn filters_and_date_range() {
    let w = archive();
    assert_eq!(ids(&w, &["--type", "cong van"]), ["bbbb2222"]);
    assert_eq!(ids(&w, &["--issuer", "Sở Nội vụ"]), ["cccc3333"]);
    assert_eq!(ids(&w, &["--symbol", "4250/QĐ-UBND"]), ["aaaa1111"]);
    assert_eq!(ids(&w, &["--symbol", "TB-SNV"]), ["cccc3333"]);
    assert_eq!(ids(&w, &["--from", "2023-01-01", "--to", "2023-12-31"]), ["aaaa1111"]);
    let mut got = ids(&w, &["--to", "2023-05-10"]);
    got.sort();
    assert_eq!(got, ["aaaa1111", "cccc3333"]);
    assert_eq!(ids(&w, &["4250/QĐ-UBND"])[0], "aaaa1111");
    assert!(ids(&w, &["phong chay", "--type", "Công văn"]).is_empty());
}

#[test]
fn json_lines_table_count_and_exit_codes() {
    let w = archive();
    let r = w.run(&["search", "truong phong tai chinh", "--json"]).expect_code(0);
    let v: Value = serde_json::from_str(r.stdout().trim()).unwrap();
    assert_eq!(v["doc_symbol"], "QĐ-UBND");
    assert_eq!(v["page"], 2);
    assert!(v["score"].as_f64().unwrap() > 0.0);
    assert!(v["snippet"].as_str().unwrap().contains("Trưởng phòng Tài chính"));
    assert_eq!(v["matches"], json!(["Trưởng", "phòng", "Tài", "chính"]));

    let r = w.run(&["search", "quan ly dat dai"]).expect_code(0);
    let out = r.stdout();
    assert!(out.starts_with("DATE"), "{out}");
    assert!(
        out.contains("2024-01-20")
            && out.contains("12/UBND-VX")
            && out.contains("Tăng cường quản lý đất đai"),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "no colour when stdout is not a terminal");

    assert_eq!(w.run(&["search", "uy ban", "--count"]).expect_code(0).stdout().trim(), "3");
    assert_eq!(w.run(&["search", "khong co tu nay", "--count"]).expect_code(1).stdout().trim(), "0");
    let r = w.run(&["search", "khong co tu nay"]).expect_code(1);
    assert!(r.stdout().is_empty());

    let r = w.run(&["search", "nosuchfield:x"]).expect_code(2);
    assert!(r.stderr().contains("bad query") && r.stderr().contains("nosuchfield"), "{}", r.stderr());
    let r = w.run(&["search", "x", "--from", "10/05/2023"]).expect_code(2);
    assert!(r.stderr().contains("YYYY-MM-DD"), "{}", r.stderr());
    let r = w.run(&["search", "x", "--archive", "nowhere"]).expect_code(2);
    assert!(r.stderr().contains("sohoa index"), "{}", r.stderr());

    let mut a = ids(&w, &["uy ban", "--limit", "2"]);
    let b = ids(&w, &["uy ban", "--limit", "2", "--offset", "2"]);
    assert_eq!((a.len(), b.len()), (2, 1));
    a.extend(b);
    a.sort();
    assert_eq!(a, ["aaaa1111", "bbbb2222", "cccc3333"]);
}

#[test]
fn reindex_replaces_instead_of_duplicating() {
    let w = archive();
    // The same id again (as a merge would leave it): the last one wins.
    let mut lines = std::fs::read_to_string(w.path("archive/records.jsonl")).unwrap();
    let again = record(
        "cccc3333",
        "Thông báo",
        "06",
        "TB-SNV",
        "2022-12-31",
        "Sở Nội vụ",
        "Lịch họp giao ban",
        "Lịch họp giao ban",
    );
    lines.push_str(&format!("{again}\n"));
    w.write("archive/records.jsonl", lines.as_bytes());
    w.run(&["index", "-q", "--archive", "archive"]).expect_code(0);
    assert_eq!(ids(&w, &["lich hop giao ban"]), ["cccc3333"]);
    assert!(ids(&w, &["tiep cong dan"]).is_empty());
    assert_eq!(w.run(&["search", "", "--count"]).expect_code(0).stdout().trim(), "3");
}

#[test]
fn show_prints_a_record_page_by_page() {
    let w = archive();
    let r = w.run(&["show", "aaaa1111", "--archive", "archive"]).expect_code(0);
    let out = r.stdout();
    assert!(
        out.contains("4250/QĐ-UBND") && out.contains("── page 2 ──") && out.contains("Trưởng phòng"),
        "{out}"
    );
    let r = w.run(&["show", "bbbb2222.jpg", "--json"]).expect_code(0);
    let v: Value = serde_json::from_str(r.stdout().trim()).unwrap();
    assert_eq!(v["id"], "bbbb2222");
    w.run(&["show", "nothing-like-this"]).expect_code(1);
}

#[test]
fn scan_indexes_as_it_goes_and_rescan_replaces() {
    let w = Work::new();
    w.sample("cong-van.jpg", "in/cong-van.jpg");
    w.run(&["scan", "-q", "in", "-o", "archive"]).expect_code(0);
    let recs = w.jsonl("archive/records.jsonl");
    assert_eq!(recs.len(), 1);
    let text = recs[0]["text"].as_str().unwrap();
    // A word of the OCR text, typed without diacritics, finds the document.
    let word: String = text
        .split(|c: char| !c.is_alphanumeric())
        .find(|t| t.chars().count() >= 4 && t.chars().all(char::is_alphabetic))
        .expect("a word in the OCR text")
        .to_string();
    let folded: String = word.to_lowercase().replace('đ', "d");
    let r = w.run(&["search", &folded, "--json"]).expect_code(0);
    assert_eq!(r.stdout().lines().count(), 1, "{}", r.stdout());
    assert!(r.stdout().contains(recs[0]["id"].as_str().unwrap()));
    w.run(&["scan", "-q", "--force", "in", "-o", "archive"]).expect_code(0);
    assert_eq!(w.run(&["search", &word, "--count"]).expect_code(0).stdout().trim(), "1");
}
