use crate::util::Work;

#[test]
fn review_round_trip_csv_apply_search_rescan() {
    let w = Work::new();
    w.sample("bao-cao_p2.png", "in/bc.png");
    w.run(&["scan", "in", "--out", "arch", "-q"]).expect_code(0);

    let sheet = w.run(&["review", "--archive", "arch", "--csv"]).expect_code(0).0.stdout;
    assert!(sheet.starts_with("\u{feff}id,source,confidence,review,verified,".as_bytes()));
    let text = String::from_utf8(sheet).unwrap();
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = rdr.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1, "the scanned page needs review: {text}");
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();

    // The clerk types a number and a subject (with diacritics) and saves the sheet.
    let mut row: Vec<String> = rows[0].iter().map(str::to_string).collect();
    row[col("doc_number")] = "5136".into();
    row[col("subject")] = "Sơ kết thu ngân sách nhà nước".into();
    let mut out = Vec::new();
    out.extend_from_slice("\u{feff}".as_bytes());
    {
        let mut wtr = csv::Writer::from_writer(&mut out);
        wtr.write_record(&header).unwrap();
        wtr.write_record(&row).unwrap();
        wtr.flush().unwrap();
    }
    w.write("review.csv", &out);
    w.run(&["review", "--archive", "arch", "--apply", "review.csv", "-q"]).expect_code(0);

    let recs = w.jsonl("arch/records.jsonl");
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r["doc_number"], "5136");
    assert_eq!(r["subject"], "Sơ kết thu ngân sách nhà nước");
    assert_eq!(r["field_confidence"]["doc_number"], 1.0);
    assert!(!r["review"].as_array().unwrap().iter().any(|f| f == "doc_number" || f == "subject"));
    let hist = w.jsonl("arch/review-history.jsonl");
    assert_eq!(hist.len(), 2);
    assert!(hist.iter().any(|h| h["field"] == "doc_number" && h["new"] == "5136"));

    // The index reflects it: the corrected subject is searchable without diacritics.
    let hits =
        w.run(&["search", "--archive", "arch", "so ket thu ngan sach", "--json"]).expect_code(0).stdout();
    assert!(hits.contains("5136"), "{hits}");

    // A rescan without --force keeps what the clerk typed.
    w.run(&["scan", "in", "--out", "arch", "-q"]).expect_code(0);
    let recs = w.jsonl("arch/records.jsonl");
    assert_eq!(recs[0]["doc_number"], "5136");
}
