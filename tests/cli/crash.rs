//! Crash safety: SIGKILL a scan at many moments, rerun it, and compare with an uninterrupted run.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{read_jsonl, repo, Work};

/// `n` small distinct pages cut from a sample scan (distinct content, so distinct ids).
fn make_pages(dir: &Path, n: u32) {
    let img = image::open(repo().join("samples/bao-cao_p1.png")).expect("sample").into_luma8();
    let (w, h) = img.dimensions();
    let strip = h / (n + 2);
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let crop = image::imageops::crop_imm(&img, 0, strip * (i + 1), w, strip * 2).to_image();
        crop.save(dir.join(format!("page-{i:02}.png"))).unwrap();
    }
}

fn scan_cmd(w: &Work, out: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sohoa"));
    c.args(["scan", "in", "--out", out, "-j", "2", "-q"])
        .current_dir(w.dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// id → (source, text, fields) for comparison; asserts there are no duplicate ids.
fn snapshot(dir: &Path) -> BTreeMap<String, serde_json::Value> {
    let recs = read_jsonl(&dir.join("records.jsonl"));
    let mut out = BTreeMap::new();
    for mut r in recs {
        let id = r["id"].as_str().unwrap().to_string();
        r.as_object_mut().unwrap().remove("processed_at");
        assert!(out.insert(id.clone(), r).is_none(), "duplicate id {id} in records.jsonl");
    }
    let csv = std::fs::read_to_string(dir.join("records.csv")).unwrap();
    let ids: Vec<&str> = csv.lines().skip(1).filter_map(|l| l.split(',').nth(1)).collect();
    assert_eq!(ids.len(), ids.iter().collect::<HashSet<_>>().len(), "duplicate rows in records.csv");
    assert_eq!(ids.len(), out.len(), "records.csv and records.jsonl disagree");
    out
}

/// The number of documents the full-text index holds, and whether it equals the records.
fn index_count(w: &Work, archive: &str) -> u64 {
    let run = w.run(&["search", "--archive", archive, "--count", ""]);
    run.stdout()
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("search --count: {} {}", run.stdout(), run.stderr()))
}

fn errors(dir: &Path) -> Vec<serde_json::Value> {
    read_jsonl(&dir.join("errors.jsonl"))
}

fn crash_and_resume(pages: u32, kills: u32) {
    let w = Work::new();
    make_pages(&w.path("in"), pages);
    w.write("in/zz-broken.png", b"\x89PNG\r\n\x1a\nbroken");

    let t0 = Instant::now();
    let status = scan_cmd(&w, "ref").status().unwrap();
    let full = t0.elapsed();
    assert_eq!(status.code(), Some(1));
    let reference = snapshot(&w.path("ref"));
    assert_eq!(reference.len(), pages as usize);
    let ref_errors = errors(&w.path("ref"));
    assert_eq!(ref_errors.len(), 1);

    for k in 0..kills {
        let out = format!("k{k}");
        // Spread the kills over the whole run, start to finish (the last ones hit the final writes).
        let at = full.mul_f64((k as f64 + 0.5) / kills as f64);
        let mut child = scan_cmd(&w, &out).spawn().unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let status = scan_cmd(&w, &out).status().unwrap();
        assert_eq!(status.code(), Some(1), "rerun after a kill at {at:?}");
        let got = snapshot(&w.path(&out));
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            reference.keys().collect::<Vec<_>>(),
            "ids after kill at {at:?}"
        );
        assert_eq!(got, reference, "records after kill at {at:?}");
        assert_eq!(index_count(&w, &out), pages as u64, "index entries after kill at {at:?}");
        let mut e = errors(&w.path(&out));
        for l in e.iter_mut() {
            l.as_object_mut().unwrap().remove("id");
        }
        let mut r = ref_errors.clone();
        for l in r.iter_mut() {
            l.as_object_mut().unwrap().remove("id");
        }
        assert_eq!(e, r, "errors after kill at {at:?}");
    }
    let _ = Duration::ZERO;
}

/// Bounded form, run in CI: 30 small pages, 10 kill points.
#[test]
fn sigkill_at_any_moment_then_rerun_equals_an_uninterrupted_run() {
    crash_and_resume(30, 10);
}

/// The long form: `cargo test -- --ignored`.
#[test]
#[ignore]
fn sigkill_many_times_long() {
    crash_and_resume(60, 25);
}

/// Ctrl-C (SIGINT) mid-scan: the pages in flight are finished, what is done is kept, the exit
/// code is 130; a rerun does the rest and the archive ends up complete without duplicates.
#[test]
fn ctrl_c_keeps_what_is_done_and_a_rerun_completes() {
    let w = Work::new();
    let pages = 24;
    make_pages(&w.path("in"), pages);
    let mut child = scan_cmd(&w, "arc").spawn().unwrap();
    // Wait for the first finished document, then interrupt.
    let records = w.path("arc/records.jsonl");
    let t0 = Instant::now();
    while std::fs::read_to_string(&records).map_or(true, |s| !s.contains('\n')) {
        assert!(t0.elapsed() < Duration::from_secs(120), "no record written");
        if let Some(st) = child.try_wait().unwrap() {
            panic!("the scan ended before Ctrl-C: {st}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let kill = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "an interrupted scan exits with 130");
    let done = snapshot(&w.path("arc")).len();
    assert!((1..pages as usize).contains(&done), "{done} of {pages} documents after Ctrl-C");
    assert_eq!(index_count(&w, "arc"), done as u64);

    let status = scan_cmd(&w, "arc").status().unwrap();
    assert_eq!(status.code(), Some(0));
    let all = snapshot(&w.path("arc"));
    assert_eq!(all.len(), pages as usize);
    assert_eq!(index_count(&w, "arc"), pages as u64);
}
