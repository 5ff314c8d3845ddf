//! Search benchmark (not a test): `cargo bench --bench search [-- N] [--keep DIR]`.
//!
//! Generates N (default 100 000) records of Vietnamese administrative text (~2 KB, 1–3 pages,
//! Zipf-distributed vocabulary of the documents' own words), writes records.jsonl, then reports:
//! indexing docs/s (`index::rebuild`, as `sohoa index` runs it), index size, p50/p99 latency of
//! `Searcher::search` (10 hits with stored records, page and snippet) for single words, phrases and
//! filtered queries, and the wall time of a whole `sohoa search` process. `--keep DIR` writes the
//! archive into DIR (which must not exist) and leaves it there, e.g. to profile `sohoa search`.

use std::process::Command;
use std::time::{Duration, Instant};

use sohoa::search::{Query, Searcher};
use sohoa::store::Archive;

const WORDS: &str = "ủy ban nhân dân thành phố quận huyện xã phường sở nội vụ tài chính kế hoạch đầu tư \
giáo dục đào tạo y tế văn hóa thể thao du lịch công thương xây dựng giao thông vận tải tài nguyên môi trường \
quyết định công văn thông báo báo cáo tờ trình kế hoạch chỉ thị giấy mời biên bản hướng dẫn căn cứ luật tổ chức \
chính quyền địa phương ngày tháng năm số điều khoản điểm thực hiện triển khai công tác quản lý nhà nước về \
đất đai trật tự đô thị phòng cháy chữa cháy cứu nạn cứu hộ thiên tai tìm kiếm an toàn thực phẩm thu ngân sách \
phổ biến pháp luật cải cách hành chính chuyển đổi số chính quyền điện tử thi đua khen thưởng tiếp công dân \
giải quyết khiếu nại tố cáo phòng chống tham nhũng văn thư lưu trữ hồ sơ tài liệu nông thôn mới đề nghị \
bổ sung kinh phí nhiệm vụ cơ quan đơn vị cá nhân có liên quan chịu trách nhiệm thi hành kể từ ký ban hành \
giám đốc phó chủ tịch trưởng phòng chánh văn phòng các ban ngành đoàn thể theo quy định hiện hành của \
để báo cáo kết quả trước sau đây như sau được và với cho trong trên địa bàn tỉnh trung ương chính phủ bộ \
nghị định thông tư hướng dẫn sửa đổi bổ sung một số điều tăng cường đôn đốc kiểm tra giám sát đánh giá \
tổng kết sơ kết hội nghị họp giao ban lịch làm việc phân công nhiệm vụ phối hợp quy chế đề án dự án";

const TYPES: [&str; 8] =
    ["Quyết định", "Công văn", "Thông báo", "Kế hoạch", "Báo cáo", "Tờ trình", "Giấy mời", "Biên bản"];
const SYMBOLS: [&str; 8] =
    ["QĐ-UBND", "UBND-VX", "TB-SNV", "KH-UBND", "BC-STC", "TTr-SNV", "GM-UBND", "BB-SNV"];
const ISSUERS: [&str; 6] = [
    "Ủy ban nhân dân Thành phố Hồ Chí Minh",
    "Ủy ban nhân dân Quận 1",
    "Ủy ban nhân dân Quận 3",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Ủy ban nhân dân huyện Củ Chi",
];

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Zipf-like: small indices much more often.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) - 1.0) as usize % n
    }
}

fn record(i: usize, rng: &mut Rng, words: &[&str]) -> serde_json::Value {
    let t = rng.below(TYPES.len());
    let issuer = ISSUERS[rng.below(ISSUERS.len())];
    let sentence = |n: usize, rng: &mut Rng| -> String {
        let s: Vec<&str> = (0..n).map(|_| words[rng.zipf(words.len())]).collect();
        s.join(" ")
    };
    let subject = sentence(6 + rng.below(8), rng);
    let pages = 1 + rng.below(3);
    let mut text = Vec::new();
    for p in 0..pages {
        let mut page = String::new();
        if p == 0 {
            page.push_str(&format!(
                "{}\nSố: {}/{}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n{}\n{}\n",
                issuer.to_uppercase(),
                i,
                SYMBOLS[t],
                TYPES[t].to_uppercase(),
                subject
            ));
        }
        while page.len() < 2000 / pages {
            page.push_str(&sentence(8 + rng.below(12), rng));
            page.push_str(".\n");
        }
        text.push(page);
    }
    let date = format!("{}-{:02}-{:02}", 1995 + rng.below(30), 1 + rng.below(12), 1 + rng.below(28));
    serde_json::json!({
        "schema": "sohoa.record/1", "id": format!("{:064x}", i), "source": format!("doc-{i}.jpg"),
        "page_count": pages, "language": "vi", "doc_type": TYPES[t], "doc_number": i.to_string(),
        "doc_symbol": SYMBOLS[t], "issued_date": date, "issued_place": "Thành phố Hồ Chí Minh",
        "issuer": issuer, "issuer_parent": null, "subject": subject, "signer_name": "Võ Văn Hoan",
        "signer_title": "Phó Chủ tịch", "signer_authority": "KT. Chủ tịch", "recipients": ["Như trên"],
        "urgency": null, "confidentiality": null, "text": text.join("\u{c}"), "confidence": 0.9,
        "field_confidence": {}, "review": [], "method": "ocr", "engine": "bench",
        "processed_at": "2025-01-01T00:00:00Z", "file_code": null, "doc_ordinal": null
    })
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| rd.flatten().map(|e| e.metadata().map(|m| m.len()).unwrap_or(0)).sum())
        .unwrap_or(0)
}

/// CPU seconds used so far by this process, all threads (Linux; 0 elsewhere).
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and
    // 13th, in clock ticks of 1/100 s.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest.split_whitespace().skip(11).take(2).filter_map(|x| x.parse().ok()).collect();
    f.iter().sum::<f64>() / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let keep = args.iter().position(|a| a == "--keep").and_then(|i| args.get(i + 1));
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let tmp = tempfile::tempdir().expect("temp dir");
    let archive = match keep {
        Some(dir) => {
            assert!(!std::path::Path::new(dir).exists(), "--keep {dir}: already exists");
            Archive::at(dir)
        }
        None => Archive::at(tmp.path().join("archive")),
    };
    std::fs::create_dir_all(archive.dir()).expect("archive dir");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let t = Instant::now();
    {
        use std::io::Write;
        let f = std::fs::File::create(archive.path("records.jsonl")).expect("records");
        let mut w = std::io::BufWriter::new(f);
        for i in 0..n {
            writeln!(w, "{}", record(i, &mut rng, &words)).expect("write");
        }
    }
    let jsonl = std::fs::metadata(archive.path("records.jsonl")).map(|m| m.len()).unwrap_or(0);
    println!(
        "generated {n} records ({:.1} MB records.jsonl) in {:.1} s",
        jsonl as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    let t = Instant::now();
    let cpu = cpu_secs();
    let indexed = sohoa::index::rebuild(&archive, threads, |_| {}).expect("index");
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu;
    let size = dir_size(&archive.path("index"));
    let segments = std::fs::read_dir(archive.path("index"))
        .map(|rd| rd.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "idx")).count())
        .unwrap_or(0);
    println!(
        "indexing: {indexed} docs in {secs:.2} s = {:.0} docs/s ({threads} threads, incl. JSON parsing and commit; {cpu:.1} CPU s = {:.0} docs per CPU s); index {:.1} MB, {segments} segment(s)",
        indexed as f64 / secs,
        indexed as f64 / cpu.max(1e-9),
        size as f64 / 1e6
    );

    let s = Searcher::open(&archive).expect("searcher");
    let singles = ["quyết", "dinh", "ngân", "sach", "tham", "nhũng", "khen", "thuong", "đô", "thi"];
    let phrases = [
        "\"quyet dinh\"",
        "\"ủy ban nhân dân\"",
        "\"thu ngan sach\"",
        "\"phong chay chua chay\"",
        "\"tai nguyen moi truong\"",
    ];
    let filtered: Vec<Query> = (0..5)
        .map(|i| Query {
            text: ["cong tac", "kế hoạch", "thi dua", "dat dai", "van thu"][i].into(),
            doc_type: Some(TYPES[i].into()),
            from: Some("2005-01-01".into()),
            to: Some("2015-12-31".into()),
            limit: 10,
            ..Query::default()
        })
        .collect();
    let run = |name: &str, qs: Vec<Query>| {
        let mut lat = Vec::new();
        let mut hits = 0;
        for _ in 0..40 {
            for q in &qs {
                let t = Instant::now();
                hits += s.search(q).expect("search").len();
                lat.push(t.elapsed());
            }
        }
        let p50 = percentile(&mut lat, 0.5);
        let p99 = percentile(&mut lat, 0.99);
        println!(
            "{name:<14} p50 {:>7.2} ms  p99 {:>7.2} ms  ({} runs, {hits} hits)",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            lat.len()
        );
    };
    run("single word", singles.iter().map(|q| Query::new(*q)).collect());
    run("phrase", phrases.iter().map(|q| Query::new(*q)).collect());
    run("filtered", filtered);
    let mut count = Vec::new();
    for q in singles {
        let t = Instant::now();
        s.count(&Query::new(q)).expect("count");
        count.push(t.elapsed());
    }
    println!("count          p50 {:>7.2} ms", percentile(&mut count, 0.5).as_secs_f64() * 1e3);

    let exe = env!("CARGO_BIN_EXE_sohoa");
    let mut wall = Vec::new();
    for q in ["quyet dinh", "\"uy ban nhan dan\"", "ngan sach"] {
        for _ in 0..10 {
            let t = Instant::now();
            let out = Command::new(exe)
                .args(["search", q, "--archive"])
                .arg(archive.dir())
                .output()
                .expect("run sohoa");
            wall.push(t.elapsed());
            assert!(out.status.code() == Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        }
    }
    println!(
        "process        p50 {:>7.1} ms  p99 {:>7.1} ms  (`sohoa search QUERY --archive DIR`, {} runs, {exe})",
        percentile(&mut wall, 0.5).as_secs_f64() * 1e3,
        percentile(&mut wall, 0.99).as_secs_f64() * 1e3,
        wall.len()
    );
}
