#!/usr/bin/env python3
"""Text quality of sohoa against plain `tesseract -l vie` on the same pages of the dev corpus.

Runs the Tesseract CLI (one process per file, OMP_THREAD_LIMIT=1, `xargs -P` style parallelism)
and `sohoa scan` on the image documents of ../shared/corpus/dev (the pages both can read), scores
both with the corpus's score.py, and prints text CER overall and per severity band plus pages/s.

usage: python3 bench/quality.py [--sohoa target/release/sohoa] [--jobs 2] [--extra "sohoa args"]
"""
import argparse, concurrent.futures, json, os, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV = os.path.join(ROOT, "..", "shared", "corpus", "dev")
SCORE = os.path.join(ROOT, "..", "shared", "corpus", "score.py")
IMAGE_EXT = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def truth_docs():
    docs = []
    for f in sorted(os.listdir(DEV)):
        if f.endswith(".json") and f != "manifest.json":
            t = json.load(open(os.path.join(DEV, f)))
            src = t["source"] if isinstance(t["source"], list) else [t["source"]]
            if t.get("expect") == "ok" and all(s.lower().endswith(IMAGE_EXT) for s in src):
                docs.append((f, src, t.get("severity", 0), t.get("page_count", 1)))
    return docs


def score(truth_dir, pred):
    out = subprocess.run([sys.executable, SCORE, "--truth", truth_dir, "--pred", pred, "--json", "--per-doc"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    return json.loads(out.stdout)


def tesseract(path):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    r = subprocess.run(["tesseract", path, "-", "-l", "vie"], capture_output=True, text=True, env=env)
    return os.path.basename(path), r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sohoa", default=os.path.join(ROOT, "target", "release", "sohoa"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--extra", default="", help="extra arguments for sohoa scan")
    ap.add_argument("--only", default="", help="comma-separated document ids (a subset, e.g. dev-003,dev-007)")
    ap.add_argument("--no-tesseract", action="store_true", help="skip the Tesseract CLI run (score sohoa only)")
    a = ap.parse_args()
    docs = truth_docs()
    if a.only:
        keep = set(a.only.split(","))
        docs = [d for d in docs if d[0][:-5] in keep]
    pages = sum(d[3] for d in docs)
    tmp = tempfile.mkdtemp(prefix="sohoa-quality-")
    tdir = os.path.join(tmp, "truth")
    idir = os.path.join(tmp, "in")
    os.makedirs(tdir)
    os.makedirs(idir)
    for f, src, _, _ in docs:
        os.symlink(os.path.join(DEV, f), os.path.join(tdir, f))
        for s in src:
            os.symlink(os.path.join(DEV, s), os.path.join(idir, s))
    files = sorted(os.path.join(idir, s) for _, src, _, _ in docs for s in src)

    cache = os.path.join(tempfile.gettempdir(), "sohoa-quality-tesseract-%s.json" % (a.only or "all"))
    if a.no_tesseract and os.path.exists(cache):
        outs, t_tess = json.load(open(cache))  # the Tesseract CLI run of an earlier invocation
    else:
        t0 = time.time()
        with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
            outs = list(ex.map(tesseract, files))
        t_tess = time.time() - t0
        json.dump([outs, t_tess], open(cache, "w"))
    base = os.path.join(tmp, "tesseract.jsonl")
    with open(base, "w") as fh:
        for name, text in outs:
            text = text.replace("\n\f", "\f").rstrip("\f\n")
            fh.write(json.dumps({"source": name, "text": text}, ensure_ascii=False) + "\n")

    arch = os.path.join(tmp, "archive")
    t0 = time.time()
    cmd = [a.sohoa, "scan", idir, "--out", arch, "-j", str(a.jobs), "-q"] + a.extra.split()
    subprocess.run(cmd, check=False)
    t_sohoa = time.time() - t0

    s_base = score(tdir, base)
    s_ours = score(tdir, os.path.join(arch, "records.jsonl"))
    sev = {f[:-5]: s for f, _, s, _ in docs}

    def bands(sc, key="text_cer"):
        per = {}
        for did, d in sc["per_doc"].items():
            cer = d.get(key)
            if did in sev and cer is not None:
                b = "low (<0.2)" if sev[did] < 0.2 else "mid (0.2-0.4)" if sev[did] < 0.4 else "high (>=0.4)"
                per.setdefault(b, []).append(cer)
        return {b: sum(v) / len(v) for b, v in per.items()}

    def cer(sc):
        return sc["overall"]["text_cer"]

    print(f"documents: {len(docs)} image documents, {pages} pages, jobs {a.jobs}")
    print(f"{'':24}{'tesseract CLI':>16}{'sohoa':>12}")
    print(f"{'text CER (mean)':24}{cer(s_base):>16.4f}{cer(s_ours):>12.4f}")
    print(f"{'order-free word F1':24}{s_base['overall']['text_word_f1']:>16.4f}{s_ours['overall']['text_word_f1']:>12.4f}")
    bb, bo = bands(s_base), bands(s_ours)
    fb, fo = bands(s_base, "text_word_f1"), bands(s_ours, "text_word_f1")
    for b in sorted(set(bb) | set(bo)):
        print(f"{'  severity ' + b:24}{bb.get(b, float('nan')):>16.4f}{bo.get(b, float('nan')):>12.4f}")
    for b in sorted(set(fb) | set(fo)):
        print(f"{'  word F1 ' + b:24}{fb.get(b, float('nan')):>16.4f}{fo.get(b, float('nan')):>12.4f}")
    print(f"{'pages/s':24}{pages / t_tess:>16.2f}{pages / t_sohoa:>12.2f}")
    print(f"ratio sohoa/tesseract: CER {cer(s_ours) / cer(s_base):.2f}, pages/s {t_tess / t_sohoa:.2f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
