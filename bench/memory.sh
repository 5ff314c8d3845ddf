#!/usr/bin/env bash
# Peak memory must not grow with the batch: scan 20 pages, then 200 pages (the same scans under
# other names, each copy made distinct by a trailing byte that decoders ignore, so that every copy
# is its own document), and compare peak RSS. Target: within 10%.
# usage: bench/memory.sh [SOHOA] [JOBS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
sohoa=${1:-$here/target/release/sohoa}
jobs=${2:-$(nproc)}
dev=$here/../shared/corpus/dev
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
srcs=("$dev/dev-003.jpg" "$dev/dev-006.png" "$dev/dev-010.jpg" "$dev/dev-012.png" "$dev/dev-019.jpg")
make() { # DIR N
  mkdir -p "$1"
  for i in $(seq 1 "$2"); do
    f=${srcs[$(( (i - 1) % ${#srcs[@]} ))]}
    out="$1/page-$(printf %04d "$i").${f##*.}"
    cp "$f" "$out"
    printf '%08d' "$i" >> "$out"
  done
}
make "$work/small" 20
make "$work/big" 200
echo "sohoa $("$sohoa" --version | cut -d' ' -f2), jobs $jobs, $(nproc) cores"
for set in small big; do
  /usr/bin/time -f "%M %e" -o "$work/t" "$sohoa" scan "$work/$set" --out "$work/a-$set" -j "$jobs" -q || true
  read -r kb secs < "$work/t"
  n=$(wc -l < "$work/a-$set/records.jsonl")
  printf "%-6s %4d pages  %4d records  peak RSS %6.1f MB  %6.1f s\n" "$set" "$(ls "$work/$set" | wc -l)" "$n" "$(awk -v k="$kb" 'BEGIN{print k/1024}')" "$secs"
  echo "$kb" > "$work/rss-$set"
done
awk -v a="$(cat "$work/rss-small")" -v b="$(cat "$work/rss-big")" 'BEGIN{printf "RSS 200 pages / 20 pages: %.2f (target <= 1.10)\n", b/a}'
