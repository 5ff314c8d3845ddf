#!/usr/bin/env bash
# Scan on several machines over ssh with GNU parallel, then merge and export here.
#
#   HOSTS=node1,node2,node3 bash deploy/parallel.sh /nfs/scans /nfs/out
#
# Every host sees INPUT and OUT at the same paths (shared storage) and has sohoa on its PATH.
# Shard K of N goes to OUT/shard-K; rerunning resumes every shard where it stopped.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: HOSTS=h1,h2 $0 INPUT OUT" >&2; exit 2; }
in="$1" out="$2"
IFS=, read -ra hosts <<<"${HOSTS:?set HOSTS=host1,host2,...}"
n="${#hosts[@]}"
SOHOA="${SOHOA:-sohoa}"
# One shard per host at a time; exit 1 (some inputs failed, see errors.jsonl) is not a failure.
seq 0 $((n - 1)) | parallel -j1 -S "$HOSTS" --halt now,fail=1 \
  "sohoa scan '$in' --shard {}/$n --out '$out/shard-{}' -q || [ \$? -eq 1 ]"
"$SOHOA" merge "$out"/shard-* --out "$out/archive"
"$SOHOA" export --archive "$out/archive" --to opensearch --output "$out/bulk.ndjson"
"$SOHOA" export --archive "$out/archive" --to quickwit --output "$out/quickwit.ndjson"
echo "load: curl -H 'Content-Type: application/x-ndjson' --data-binary @$out/bulk.ndjson http://HOST:9200/_bulk"
