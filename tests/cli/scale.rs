//! `sohoa merge`, `sohoa export`, and the examples in deploy/.

use std::collections::{BTreeMap, HashSet};
use std::process::Command;

use serde_json::{json, Value};

use crate::util::{read_jsonl, repo, Work};

fn record(id: &str, doc_type: &str, date: &str, subject: &str, text: &str, at: &str) -> Value {
    json!({
        "schema": "sohoa.record/1", "id": id, "source": format!("{id}.png"), "page_count": 1,
        "language": "vi", "doc_type": doc_type, "doc_number": "12", "doc_symbol": "QĐ-UBND",
        "issued_date": date, "issued_place": "Quận 1", "issuer": "Ủy ban nhân dân Quận 1",
        "issuer_parent": null, "subject": subject, "signer_name": null, "signer_title": null,
        "signer_authority": null, "recipients": ["Như trên"], "urgency": null, "confidentiality": null,
        "text": text, "confidence": 0.9, "field_confidence": {}, "review": ["signer_name"],
        "method": "ocr", "engine": "test", "processed_at": at, "file_code": "HS-7", "doc_ordinal": 1
    })
}

fn records() -> Vec<Value> {
    let at = "2026-01-01T00:00:00Z";
    vec![
        record("a1", "Quyết định", "2023-05-10", "Phê duyệt kế hoạch", "QUYẾT ĐỊNH phòng cháy chữa cháy", at),
        record("b2", "Công văn", "2024-01-20", "Quản lý đất đai", "Công văn về đất đai", at),
        record("c3", "Thông báo", "2022-12-31", "Lịch tiếp công dân", "Thông báo lịch tiếp công dân", at),
        record("d4", "Báo cáo", "2021-02-03", "Kết quả năm 2020", "Báo cáo kết quả quyết định", at),
        record("e5", "Tờ trình", "2020-07-08", "Đề nghị phê duyệt", "Tờ trình đề nghị phòng cháy", at),
        record("f6", "Kế hoạch", "2019-09-09", "Tiêm chủng", "Kế hoạch tiêm chủng đất đai", at),
    ]
}

fn write_records(w: &Work, archive: &str, recs: &[Value]) {
    let lines: String = recs.iter().map(|r| format!("{r}\n")).collect();
    w.write(&format!("{archive}/records.jsonl"), lines.as_bytes());
}

/// id → record without processed_at; asserts ids are unique.
fn snapshot(w: &Work, archive: &str) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for mut r in w.jsonl(&format!("{archive}/records.jsonl")) {
        let id = r["id"].as_str().unwrap().to_string();
        r.as_object_mut().unwrap().remove("processed_at");
        assert!(out.insert(id.clone(), r).is_none(), "duplicate id {id}");
    }
    out
}

fn count(w: &Work, archive: &str, query: &str) -> String {
    let r = w.run(&["search", "--archive", archive, "--count", query]);
    assert!(r.code() == 0 || r.code() == 1, "{}", r.stderr());
    r.stdout().trim().to_string()
}

#[test]
fn shards_merged_equal_the_single_run_and_remerge_is_idempotent() {
    let w = Work::new();
    let all = records();
    write_records(&w, "single", &all);
    w.run(&["index", "--archive", "single", "-q"]).expect_code(0);
    // Three shards; shard 2 also has an older copy of a1 (a rerun elsewhere), which must lose.
    let mut stale = all[0].clone();
    stale["processed_at"] = json!("2025-06-01T00:00:00Z");
    stale["subject"] = json!("stale");
    write_records(&w, "out/shard-0", &[all[0].clone(), all[3].clone()]);
    write_records(&w, "out/shard-1", &[all[1].clone(), all[4].clone()]);
    write_records(&w, "out/shard-2", &[all[2].clone(), stale, all[5].clone()]);
    w.write(
        "out/shard-1/errors.jsonl",
        b"{\"source\":\"x.png\",\"kind\":\"unreadable\",\"message\":\"m\"}\n",
    );
    let r = w
        .run(&["merge", "out/shard-0", "out/shard-1", "out/shard-2", "--out", "merged", "--json"])
        .expect_code(0);
    let s: Value = serde_json::from_str(r.stdout().trim()).unwrap();
    assert_eq!(
        (s["records"].as_u64(), s["superseded"].as_u64(), s["errors"].as_u64()),
        (Some(6), Some(1), Some(1))
    );
    assert_eq!(snapshot(&w, "merged"), snapshot(&w, "single"));
    for q in ["", "quyet dinh", "phòng cháy", "dat dai", "\"tiep cong dan\"", "nothing-here"] {
        assert_eq!(count(&w, "merged", q), count(&w, "single", q), "query {q:?}");
    }
    assert_eq!(count(&w, "merged", ""), "6");
    let csv = std::fs::read_to_string(w.path("merged/records.csv")).unwrap();
    assert_eq!(csv.lines().count(), 7);
    assert_eq!(w.jsonl("merged/errors.jsonl").len(), 1);

    // Merging again (the output among the inputs too) changes nothing.
    let before = std::fs::read(w.path("merged/records.jsonl")).unwrap();
    w.run(&["merge", "out/shard-0", "out/shard-1", "out/shard-2", "merged", "--out", "merged", "-q"])
        .expect_code(0);
    assert_eq!(std::fs::read(w.path("merged/records.jsonl")).unwrap(), before);
    assert_eq!(std::fs::read_to_string(w.path("merged/records.csv")).unwrap(), csv);
    assert_eq!(count(&w, "merged", ""), "6");

    // A late shard with a newer a1: it wins, nothing else moves.
    let mut newer = all[0].clone();
    newer["processed_at"] = json!("2026-05-01T00:00:00Z");
    newer["subject"] = json!("Phê duyệt kế hoạch sửa đổi");
    write_records(&w, "out/shard-3", &[newer]);
    w.run(&["merge", "out/shard-3", "--out", "merged", "-q"]).expect_code(0);
    let snap = snapshot(&w, "merged");
    assert_eq!(snap.len(), 6);
    assert_eq!(snap["a1"]["subject"], "Phê duyệt kế hoạch sửa đổi");
    assert_eq!(count(&w, "merged", "sua doi"), "1");
}

#[test]
fn merge_refuses_a_missing_input() {
    let w = Work::new();
    let r = w.run(&["merge", "nope", "--out", "merged"]).expect_code(2);
    assert!(r.stderr().contains("not an archive folder"), "{}", r.stderr());
}

/// An archive with a repeated id (as after a crash) and one over-long subject.
fn export_archive() -> Work {
    let w = Work::new();
    let mut recs = records();
    let mut again = recs[1].clone();
    again["subject"] = json!("Quản lý đất đai (bản sau)");
    recs.push(again);
    recs[2]["subject"] = json!("x".repeat(501));
    write_records(&w, "archive", &recs);
    w
}

#[test]
fn opensearch_bulk_and_mapping_are_well_formed() {
    let w = export_archive();
    let r = w
        .run(&[
            "export",
            "--archive",
            "archive",
            "--to",
            "opensearch",
            "--output",
            "bulk.ndjson",
            "--index-name",
            "vt",
        ])
        .expect_code(0);
    assert!(r.stderr().contains("6 record(s) exported"), "{}", r.stderr());
    let text = std::fs::read_to_string(w.path("bulk.ndjson")).unwrap();
    assert!(text.ends_with('\n'), "_bulk needs a final newline");
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert_eq!(lines.len(), 12);
    let mapping: Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("bulk.ndjson.mapping.json")).unwrap())
            .expect("mapping JSON");
    let props = mapping["mappings"]["properties"].as_object().unwrap();
    assert_eq!(props["issued_date"]["format"], "yyyy-MM-dd");
    assert_eq!(mapping["settings"]["analysis"]["analyzer"]["vi_folded"]["tokenizer"], "standard");
    let mut ids = HashSet::new();
    for pair in lines.chunks(2) {
        let action = pair[0].as_object().unwrap();
        assert_eq!(action.len(), 1);
        let meta = &action["index"];
        assert_eq!(meta["_index"], "vt");
        let id = meta["_id"].as_str().unwrap();
        assert!(ids.insert(id.to_string()), "duplicate _id {id}");
        let doc = pair[1].as_object().unwrap();
        assert_eq!(doc["id"], id);
        assert!(doc.keys().all(|k| props.contains_key(k)), "unmapped field in {doc:?}");
        let d = doc["issued_date"].as_str().unwrap();
        let b = d.as_bytes();
        assert!(d.len() == 10 && b[4] == b'-' && b[7] == b'-', "{d} is not yyyy-MM-dd");
        assert!(d.split('-').all(|p| p.parse::<u32>().is_ok()), "{d}");
        if id == "b2" {
            assert_eq!(doc["subject"], "Quản lý đất đai (bản sau)", "the last occurrence wins");
        }
    }
    assert_eq!(ids.len(), 6);
    // To stdout the mapping needs a file of its own.
    let r = w.run(&["export", "--archive", "archive", "--to", "opensearch"]).expect_code(2);
    assert!(r.stderr().contains("--mapping"), "{}", r.stderr());
    let r = w
        .run(&[
            "export",
            "--archive",
            "archive",
            "--to",
            "opensearch",
            "--mapping",
            "m.json",
            "--index-name",
            "vt",
            "-q",
        ])
        .expect_code(0);
    assert_eq!(r.stdout(), text);
    assert!(w.path("m.json").exists());
}

#[test]
fn tt05_maps_types_dates_and_warns_on_long_values() {
    let w = export_archive();
    let r = w
        .run(&["export", "--archive", "archive", "--to", "tt05", "--output", "tt05.csv", "--excel"])
        .expect_code(0);
    assert!(r.stderr().contains("warning: c3.png: subject has 501 characters"), "{}", r.stderr());
    let text = std::fs::read_to_string(w.path("tt05.csv")).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("BOM");
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(head[..3], ["fileCode", "docOrdinal", "typeName"]);
    let rows: Vec<BTreeMap<String, String>> = rd
        .records()
        .map(|r| head.iter().cloned().zip(r.unwrap().iter().map(String::from)).collect())
        .collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0]["typeName"], "02");
    assert_eq!(rows[0]["issuedDate"], "10/05/2023");
    assert_eq!(rows[1]["typeName"], "22");
    assert_eq!(rows[2]["subject"].chars().count(), 501, "never cut");
    assert_eq!(rows[0]["language"], "01");
    assert_eq!(rows[0]["confidenceLevel"], "02");
    assert_eq!(rows[0]["description"], "signer_name");

    let r =
        w.run(&["export", "--archive", "archive", "--to", "tt05", "--format", "json", "-q"]).expect_code(0);
    let docs: Vec<Value> = r.stdout().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(docs.len(), 6);
    assert_eq!(docs[3]["typeName"], "14");
    assert_eq!(docs[3]["numberOfPage"], 1);
    assert_eq!(docs[3]["fileCode"], "HS-7");
}

#[test]
fn jsonl_csv_and_quickwit_exports() {
    let w = export_archive();
    w.run(&["export", "--archive", "archive", "--to", "jsonl", "--output", "all.jsonl", "-q"]).expect_code(0);
    let all = read_jsonl(&w.path("all.jsonl"));
    assert_eq!(all.len(), 6);
    assert_eq!(all[1]["subject"], "Quản lý đất đai (bản sau)");
    let r = w.run(&["export", "--archive", "archive", "--to", "csv", "-q"]).expect_code(0);
    assert_eq!(r.stdout().lines().count(), 7);
    assert!(r.stdout().starts_with("schema,id,source"));

    w.run(&["export", "--archive", "archive", "--to", "quickwit", "--output", "docs.ndjson", "-q"])
        .expect_code(0);
    let cfg: Value =
        serde_norway::from_str(&std::fs::read_to_string(w.path("docs.ndjson.quickwit.yaml")).unwrap())
            .unwrap();
    assert_eq!(cfg["index_id"], "sohoa");
    let docs = read_jsonl(&w.path("docs.ndjson"));
    assert_eq!(docs.len(), 6);
    let names: HashSet<&str> = cfg["doc_mapping"]["field_mappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    for d in &docs {
        for (k, v) in d.as_object().unwrap() {
            assert!(names.contains(k.as_str()), "{k} is not mapped");
            assert!(!v.is_null(), "null {k}");
        }
    }
}

#[test]
fn k8s_manifests_parse() {
    for file in ["deploy/k8s-indexed-job.yaml", "deploy/k8s-merge-job.yaml"] {
        let text = std::fs::read_to_string(repo().join(file)).unwrap();
        let job: Value = serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(job["kind"], "Job", "{file}");
        assert_eq!(job["apiVersion"], "batch/v1");
        let c = &job["spec"]["template"]["spec"]["containers"][0];
        assert!(c["args"][0].as_str().unwrap().contains("sohoa "), "{file}");
    }
    let text = std::fs::read_to_string(repo().join("deploy/k8s-indexed-job.yaml")).unwrap();
    let job: Value = serde_norway::from_str(&text).unwrap();
    assert_eq!(job["spec"]["completionMode"], "Indexed");
    let args = job["spec"]["template"]["spec"]["containers"][0]["args"][0].as_str().unwrap();
    let n = job["spec"]["completions"].as_u64().unwrap();
    assert!(args.contains(&format!("--shard k8s/{n}")), "{args}");
    assert!(args.contains("${JOB_COMPLETION_INDEX}"), "{args}");
}

/// The Slurm script, run locally as two array tasks and the merge step: one real scan and two
/// unreadable files spread over the shards, merged into one archive with both errors.
#[test]
fn slurm_script_scans_shards_and_merges() {
    let w = Work::new();
    w.sample("bao-cao_p2.png", "in/bao-cao_p2.png");
    w.write("in/broken-1.png", b"not a png");
    w.write("in/broken-2.png", b"not a png either");
    let script = repo().join("deploy/slurm-scan.sh");
    let run = |args: &[&str], task: Option<u32>| {
        let mut c = Command::new("bash");
        c.arg(&script).args(args).current_dir(w.dir.path()).env("SOHOA", env!("CARGO_BIN_EXE_sohoa"));
        c.env_remove("SOHOA_ARCHIVE").env_remove("SLURM_ARRAY_TASK_MIN");
        if let Some(t) = task {
            c.env("SLURM_ARRAY_TASK_ID", t.to_string()).env("SLURM_ARRAY_TASK_COUNT", "2");
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    };
    run(&["in", "out"], Some(0));
    run(&["in", "out"], Some(1));
    let shard_ids: Vec<usize> =
        (0..2).map(|k| read_jsonl(&w.path(&format!("out/shard-{k}/records.jsonl"))).len()).collect();
    assert_eq!(shard_ids.iter().sum::<usize>(), 1, "the scan is in exactly one shard");
    run(&["merge", "out"], None);
    let recs = read_jsonl(&w.path("out/archive/records.jsonl"));
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["source"], "bao-cao_p2.png");
    let mut errs: Vec<String> = read_jsonl(&w.path("out/archive/errors.jsonl"))
        .iter()
        .map(|e| e["source"].as_str().unwrap().to_string())
        .collect();
    errs.sort();
    assert_eq!(errs, ["broken-1.png", "broken-2.png"]);
    assert_eq!(count(&w, "out/archive", ""), "1");
    let bulk = std::fs::read_to_string(w.path("out/bulk.ndjson")).unwrap();
    assert_eq!(bulk.lines().count(), 2);
    assert!(w.path("out/bulk.ndjson.mapping.json").exists());
}
