#!/usr/bin/env bash
# Where sohoa's CPU goes (issue: throughput): runs `sohoa scan -j 1` under valgrind's callgrind on
# a few dev pages, once per preprocessing mode, and splits the instructions by stage with
# inclusive costs: inside Tesseract (the TessBaseAPI* calls: Init, SetImage, Recognize, result
# iterators), preprocessing, decoding, extraction + writing, opening/hashing, other.
# Callgrind counts instructions, so the shares do not depend on machine load (slow: ~1-2 min of
# one core per page).
# needs: valgrind (apt-get install valgrind)
# usage: bench/profile.sh [SOHOA] [MODES] [PAGES...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
sohoa=${1:-$here/target/release/sohoa}
modes=${2:-"none auto"}
shift $(( $# > 2 ? 2 : $# ))
dev=$here/../shared/corpus/dev
pages=("$@")
if [ ${#pages[@]} -eq 0 ]; then
  pages=("$dev"/dev-006.png "$dev"/dev-010.jpg "$dev"/dev-004.tif "$dev"/dev-015.jpg "$dev"/dev-012.png "$dev"/dev-018.tif)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pages"
cp "${pages[@]}" "$work/pages/"
echo "tesseract: $(tesseract --version 2>&1 | head -1); sohoa: $("$sohoa" --version); inputs: ${#pages[@]} files"
for mode in $modes; do
  OMP_THREAD_LIMIT=1 valgrind --tool=callgrind --callgrind-out-file="$work/cg.$mode" \
    "$sohoa" scan "$work/pages" --out "$work/arc-$mode" -j 1 -q --preprocess "$mode" >/dev/null 2>&1 || true
  callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$work/cg.$mode" >"$work/ann.$mode" 2>/dev/null
  python3 - "$work/ann.$mode" "$mode" <<'EOF'
import re, sys
path, mode = sys.argv[1], sys.argv[2]
total, incl = None, {}
for line in open(path, encoding="utf-8", errors="replace"):
    m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$", line)
    if not m:
        continue
    n, name = int(m.group(1).replace(",", "")), m.group(2)
    if name.startswith("PROGRAM TOTALS"):
        total = n
        continue
    fn = re.sub(r"^.*?:", "", name.split(" [")[0]) if not name.startswith("???:") else name[4:].split(" [")[0]
    incl[fn] = max(incl.get(fn, 0), n)
def get(*names):
    return sum(incl.get(n, 0) for n in names)
tess = sum(v for k, v in incl.items() if re.fullmatch(r"TessBaseAPI[A-Za-z0-9]+", k) or k.startswith("TessResultIterator") or k.startswith("TessPageIterator"))
parts = [
    ("inside Tesseract (TessBaseAPI* calls)", tess),
    # apply → apply_report/apply_shown → run nest: the outermost one that was not inlined counts.
    ("preprocessing (seals, deskew, background)", max(incl.get("sohoa::preprocess::Preprocessor::" + f, 0)
        for f in ("run", "apply", "apply_report", "apply_shown"))),
    ("decoding pages", get("sohoa::load::load_page_with")),
    ("extraction + writing (writer thread)", get("sohoa::pipeline::write_loop")),
    ("opening + hashing inputs", get("sohoa::load::open")),
]
print(f"== --preprocess {mode}: {total:,} instructions")
rest = total
for label, v in parts:
    rest -= v
    print(f"  {label:44s} {100 * v / total:6.2f}%")
print(f"  {'other (start-up, threads, libc outside)':44s} {100 * rest / total:6.2f}%")
EOF
done
