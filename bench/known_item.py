#!/usr/bin/env python3
"""Known-item check of `sohoa search`, independent of OCR quality.

Builds an archive from the ground truth of a corpus (records.jsonl written from the truth JSONs,
then `sohoa index`), and for each document with a subject, searches 3-4 consecutive words of the
subject typed WITHOUT diacritics; counts the documents found in the top 3.

Two ways to pick the words (--mode): `random`, a random window of 3 or 4 consecutive words (many
subjects of the corpus share templates like "thuc hien cong tac", so some windows fit several
documents equally and cannot single one out); `distinctive`, the window of 3-4 consecutive words
whose words are rarest across the corpus's subjects (what a clerk who remembers the document
would type). Both are reported; --seeds averages the random mode over several seeds.

Usage: bench/known_item.py [--sohoa target/release/sohoa] [--corpus /work/shared/corpus/dev]
Target: >= 95 % in the top 3.
"""
import argparse, glob, hashlib, json, os, random, re, subprocess, sys, tempfile, unicodedata


def fold(s):
    s = unicodedata.normalize("NFD", s).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in s if unicodedata.category(c) != "Mn")


def record(name, t):
    return {
        "schema": "sohoa.record/1",
        "id": hashlib.sha256(name.encode()).hexdigest(),
        "source": name,
        "page_count": t.get("page_count") or 1,
        "language": t.get("language") or "vi",
        **{k: t.get(k) for k in ["doc_type", "doc_number", "doc_symbol", "issued_date", "issued_place",
                                  "issuer", "issuer_parent", "subject", "signer_name", "signer_title",
                                  "signer_authority", "urgency", "confidentiality"]},
        "recipients": t.get("recipients") or [],
        "text": unicodedata.normalize("NFC", t.get("text") or ""),
        "confidence": 1.0, "field_confidence": {}, "review": [], "method": "pdf-text",
        "engine": "ground truth", "processed_at": "2025-01-01T00:00:00Z",
        "file_code": None, "doc_ordinal": None,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sohoa", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "sohoa"))
    ap.add_argument("--corpus", default="/work/shared/corpus/dev")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--mode", choices=["random", "distinctive"], default="distinctive")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    truths = sorted(glob.glob(os.path.join(a.corpus, "*.json")))
    with tempfile.TemporaryDirectory() as tmp:
        arch = os.path.join(tmp, "archive")
        os.makedirs(arch)
        recs = []
        with open(os.path.join(arch, "records.jsonl"), "w", encoding="utf-8") as f:
            for p in truths:
                t = json.load(open(p, encoding="utf-8"))
                r = record(os.path.basename(p)[:-5], t)
                recs.append(r)
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        subprocess.run([a.sohoa, "index", "-q", "--archive", arch], check=True)
        tried = found = 0
        misses = []
        subjects = [set(re.findall(r"\w+", fold(r["subject"] or "").lower())) for r in recs]
        df = {}
        for ws in subjects:
            for w in ws:
                df[w] = df.get(w, 0) + 1
        for r in recs:
            words = re.findall(r"\w+", fold(r["subject"] or "").lower())
            if len(words) < 3:
                continue
            if a.mode == "random":
                n = min(len(words), rng.choice([3, 4]))
                start = rng.randrange(0, len(words) - n + 1)
            else:
                cands = [(sum(1.0 / df[w] for w in words[i:i + n]) / n, -i, -n, i, n)
                         for n in (3, 4) for i in range(0, len(words) - n + 1)]
                _, _, _, start, n = max(cands)
            q = " ".join(words[start:start + n])
            out = subprocess.run([a.sohoa, "search", q, "--archive", arch, "--json", "--limit", "3"],
                                 capture_output=True, text=True)
            ids = [json.loads(l)["id"] for l in out.stdout.splitlines() if l.strip()]
            tried += 1
            if r["id"] in ids:
                found += 1
            else:
                misses.append((r["source"], q, r["subject"]))
        pct = 100.0 * found / max(tried, 1)
        print(f"known-item ({a.mode}): {found}/{tried} documents in the top 3 = {pct:.1f}% (target >= 95%)")
        for m in misses if a.verbose else misses[:10]:
            print("  miss:", *m)
        sys.exit(0 if pct >= 95 else 1)


if __name__ == "__main__":
    main()
