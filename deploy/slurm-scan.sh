#!/usr/bin/env bash
# Scan a large batch on a Slurm cluster: one array task per shard, then one merge.
#
#   bash deploy/slurm-scan.sh submit 16 /shared/scans /shared/out   # 16 tasks + a merge job after them
#   sbatch --array=0-15 deploy/slurm-scan.sh /shared/scans /shared/out   # the scan tasks only
#   bash deploy/slurm-scan.sh merge /shared/out                     # the merge step by hand
#
# Task K scans its part of the inputs (`sohoa scan --shard slurm`: document → hash(path) mod
# SLURM_ARRAY_TASK_COUNT) into OUT/shard-K. A task that is re-run resumes: documents already in
# its shard are skipped. The merge step merges OUT/shard-* into OUT/archive (records deduplicated,
# index and records.csv rebuilt; safe to run again after a late task) and writes OUT/bulk.ndjson
# and OUT/bulk.ndjson.mapping.json for OpenSearch/Elasticsearch:
#
#   curl -X PUT -H 'Content-Type: application/json' --data-binary @OUT/bulk.ndjson.mapping.json http://HOST:9200/sohoa
#   curl -H 'Content-Type: application/x-ndjson' --data-binary @OUT/bulk.ndjson http://HOST:9200/_bulk
#
# SOHOA: the sohoa binary (default: `sohoa` on PATH).
#SBATCH --job-name=sohoa-scan
#SBATCH --cpus-per-task=8
#SBATCH --mem=8G
#SBATCH --time=24:00:00
#SBATCH --output=sohoa-scan-%A_%a.log
set -euo pipefail
SOHOA="${SOHOA:-sohoa}"

case "${1:-}" in
  submit)
    [ $# -eq 4 ] || { echo "usage: $0 submit N INPUT OUT" >&2; exit 2; }
    n="$2" in="$3" out="$4"
    self="$(readlink -f "$0")"
    job="$(sbatch --parsable --array="0-$((n - 1))" "$self" "$in" "$out")"
    sbatch --dependency="afterok:${job%%;*}" --job-name=sohoa-merge --cpus-per-task=4 \
      --export=ALL --wrap "bash '$self' merge '$out'"
    ;;
  merge)
    [ $# -eq 2 ] || { echo "usage: $0 merge OUT" >&2; exit 2; }
    out="$2"
    "$SOHOA" merge "$out"/shard-* --out "$out/archive"
    "$SOHOA" export --archive "$out/archive" --to opensearch --output "$out/bulk.ndjson"
    ;;
  *)
    [ $# -eq 2 ] || { echo "usage: sbatch --array=0-N $0 INPUT OUT" >&2; exit 2; }
    in="$1" out="$2"
    : "${SLURM_ARRAY_TASK_ID:?not a Slurm array task: submit with sbatch --array=0-N}"
    jobs=()
    if [ -n "${SLURM_CPUS_PER_TASK:-}" ]; then jobs=(-j "$SLURM_CPUS_PER_TASK"); fi
    # Exit 1 means some inputs failed (listed in errors.jsonl): the task itself succeeded.
    rc=0
    "$SOHOA" scan "$in" --shard slurm --out "$out/shard-$SLURM_ARRAY_TASK_ID" -q "${jobs[@]}" || rc=$?
    if [ "$rc" -gt 1 ]; then exit "$rc"; fi
    ;;
esac
