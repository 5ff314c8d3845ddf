#!/usr/bin/env bash
# Worker scaling and the OpenMP trap, measured on the same pages in one run.
#   - sohoa -j 1 vs -j N on a batch of >= 8 pages (pages/s, ratio)
#   - sohoa with OMP_THREAD_LIMIT forced high (the re-exec cannot help) vs the default (sohoa
#     re-executes itself with OMP_THREAD_LIMIT=1 when the variable is unset)
# usage: bench/scaling.sh [SOHOA] [N]   (default target/release/sohoa, N = cores)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
sohoa=${1:-$here/target/release/sohoa}
n=${2:-$(nproc)}
dev=$here/../shared/corpus/dev
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
# 12 single-image pages of mixed formats and resolutions.
for f in dev-003.jpg dev-006.png dev-009.png dev-010.jpg dev-012.png dev-015.jpg dev-019.jpg \
         dev-026.jpg dev-031.png dev-035.jpg dev-036.png dev-037.png dev-029.tif dev-022.tif; do
  [ -s "$dev/$f" ] && cp "$dev/$f" "$work/in/"
done
pages=$(ls "$work/in" | wc -l)
echo "sohoa $("$sohoa" --version | cut -d' ' -f2), tesseract $(tesseract --version 2>&1 | head -1 | cut -d' ' -f2), $(nproc) cores, $pages pages"

run() { # LABEL OMP_THREAD_LIMIT-value-or-empty JOBS
  local label=$1 omp=$2 jobs=$3 t0 t1 secs
  rm -rf "$work/a"
  local envs=(-u OMP_THREAD_LIMIT)
  [ -n "$omp" ] && envs=("OMP_THREAD_LIMIT=$omp")
  t0=$(date +%s.%N)
  env "${envs[@]}" "$sohoa" scan "$work/in" --out "$work/a" -j "$jobs" -q >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
  printf "%-44s %7.1f s %6.2f pages/s\n" "$label" "$secs" "$(awk -v p="$pages" -v s="$secs" 'BEGIN{print p/s}')" >&2
  awk -v p="$pages" -v s="$secs" 'BEGIN{print p/s}'
}
p1=$(run "sohoa -j 1" "" 1)
pn=$(run "sohoa -j $n" "" "$n")
po=$(run "sohoa -j $n, OMP_THREAD_LIMIT=$((n * 4)) (no fix)" $((n * 4)) "$n")
printf "ratio -j %s / -j 1: %.2f   (target >= 1.8 with 2 workers)\n" "$n" "$(awk -v a="$pn" -v b="$p1" 'BEGIN{print a/b}')"
printf "ratio OMP fixed / OMP unlimited: %.2f\n" "$(awk -v a="$pn" -v b="$po" 'BEGIN{print a/b}')"
