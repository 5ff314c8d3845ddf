#!/usr/bin/env bash
# Throughput against the peers on the same pages, in one run (issue: throughput).
#   sohoa scan (default settings)           one process, N workers, engines reused
#   tesseract CLI under xargs -P N          one process per page, OMP_THREAD_LIMIT=1
#   ocrmypdf --jobs N on the same pages as one image PDF (sidecar text)
# Reports pages/s, CPU seconds per page, CPU utilisation, peak RSS, and sohoa/peer ratios, for
# N = 1 and N = all cores. Pages: the single-image pages of ../shared/corpus/dev, repeated to >= 30.
# needs: tesseract-ocr-vie, ocrmypdf, img2pdf, GNU time (apt-get install ocrmypdf img2pdf time)
# usage: bench/peers.sh [SOHOA] [MIN_PAGES]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
sohoa=${1:-$here/target/release/sohoa}
min_pages=${2:-30}
dev=$here/../shared/corpus/dev
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pages"
srcs=()
for f in "$dev"/*.png "$dev"/*.jpg; do
  [ -s "$f" ] || continue
  case $(basename "$f") in dev-011.jpg|dev-016.jpg) continue ;; esac  # blank page, truncated file
  srcs+=("$f")
done
i=0
while [ "$i" -lt "$min_pages" ]; do
  for f in "${srcs[@]}"; do
    [ "$i" -lt "$min_pages" ] || break
    ext=${f##*.}
    out="$work/pages/$(printf 'p%03d' "$i").$ext"
    cp "$f" "$out"
    # A trailing byte that decoders ignore makes each copy its own document (sohoa would
    # otherwise report repeated content as a duplicate and OCR it once).
    printf '%08d' "$i" >> "$out"
    i=$((i + 1))
  done
done
pages=$i
# ocrmypdf needs one PDF; img2pdf wraps the images losslessly (same pixels, same dpi).
img2pdf "$work"/pages/* -o "$work/pages.pdf" 2>/dev/null

echo "== environment"
echo "cores: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "tesseract: $(tesseract --version 2>&1 | head -1); model: vie $(dpkg-query -W -f='${Version}' tesseract-ocr-vie 2>/dev/null) (tessdata_fast)"
echo "ocrmypdf: $(ocrmypdf --version 2>/dev/null)"
echo "sohoa: $("$sohoa" --version)"
echo "pages: $pages (PNG/JPEG, 200-300 dpi A4)"

# measure LABEL CMD... : wall, user+sys, max RSS of the whole process tree (GNU time -f)
measure() {
  local label=$1; shift
  local out="$work/time.txt"
  /usr/bin/time -f "%e %U %S %M" -o "$out" "$@" >/dev/null 2>&1 || true
  read -r wall user sys rss < <(tail -n 1 "$out")
  awk -v l="$label" -v p="$pages" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
    'BEGIN{printf "%-34s %7.1f s %6.2f pages/s %6.2f CPU-s/page %5.0f%% CPU %7.0f MB peak RSS\n", l, w, p/w, (u+s)/p, 100*(u+s)/w, r/1024}'
  echo "$wall" > "$work/last"
}

for n in 1 $(nproc); do
  echo "== N = $n"
  rm -rf "$work/a"
  measure "sohoa scan -j $n (default)" env -u OMP_THREAD_LIMIT "$sohoa" scan "$work/pages" --out "$work/a" -j "$n" -q
  t_sohoa=$(cat "$work/last")
  rm -rf "$work/a"
  measure "sohoa scan -j $n --preprocess none" env -u OMP_THREAD_LIMIT "$sohoa" scan "$work/pages" --out "$work/a" -j "$n" -q --preprocess none
  t_none=$(cat "$work/last")
  measure "tesseract CLI, xargs -P $n" sh -c "ls '$work'/pages/* | OMP_THREAD_LIMIT=1 xargs -P $n -I{} tesseract {} - -l vie"
  t_tess=$(cat "$work/last")
  measure "ocrmypdf --jobs $n" env OMP_THREAD_LIMIT=1 ocrmypdf -l vie --jobs "$n" --output-type pdf \
    --sidecar "$work/side.txt" --force-ocr "$work/pages.pdf" "$work/out.pdf"
  t_ocrmypdf=$(cat "$work/last")
  awk -v a="$t_sohoa" -v z="$t_none" -v b="$t_tess" -v c="$t_ocrmypdf" \
    'BEGIN{printf "ratio pages/s: sohoa default/tesseract-CLI %.2f, sohoa none/tesseract-CLI %.2f, sohoa none/ocrmypdf %.2f, sohoa default/ocrmypdf %.2f\n", b/a, b/z, c/z, c/a}'
done
echo "note: ru_maxrss is per process; for xargs/ocrmypdf it is the largest single child, not the sum."
