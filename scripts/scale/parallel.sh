#!/usr/bin/env bash
# The map step with GNU parallel: the file list cut into chunks of
# $CHUNK paths, each piped to `tieout check --files-from - --format jsonl`
# by one of $JOBS job slots, one JSONL part per chunk; then `tieout merge`.
#
#   scripts/scale/parallel.sh LIST OUT      # LIST: one path per line
#
# Writes OUT/parts/*.jsonl and OUT/merged.{sarif,json}.
set -euo pipefail
list=$1
out=$2
tieout=${TIEOUT:-tieout}
mkdir -p "$out/parts"
rm -f "$out"/parts/*.jsonl
# --exit-zero: a worker's findings are not a failed job; `merge` gives the
# run's exit code.
parallel --pipe -N "${CHUNK:-500}" -j "${JOBS:-2}" \
  "$tieout check --files-from - --format jsonl --exit-zero > $out/parts/{#}.jsonl" < "$list"
status=0
"$tieout" merge --format sarif -o "$out/merged.sarif" "$out"/parts/*.jsonl || status=$?
"$tieout" merge --format json -o "$out/merged.json" "$out"/parts/*.jsonl || status=$?
exit "$status"
