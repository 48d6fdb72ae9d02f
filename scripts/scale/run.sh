#!/usr/bin/env bash
# Runs every map-step recipe whose engine is installed over TREE and
# compares each merged report with one `tieout check` over the same file
# list, byte for byte. Prints the wall time of each.
#
#   scripts/scale/run.sh TREE [OUT]
#
# TIEOUT names the binary (default: target/release/tieout, built if
# missing). Exit 1 when a merged report differs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$1
out=${2:-$(mktemp -d)}
export TIEOUT=${TIEOUT:-$here/../../target/release/tieout}
[ -x "$TIEOUT" ] || (cd "$here/../.." && cargo build --release --quiet)
mkdir -p "$out"
# The list: every release in the tree, as `check` would walk it (file names
# without a newline, for the line-based recipes).
find "$tree" -type f \( -iname '*.txt' -o -iname '*.htm' -o -iname '*.html' \) \
  -not -path '*/.*' | grep -v $'\r' | sort > "$out/list"
echo "files: $(wc -l < "$out/list")"
timed() {
  local start end ms
  start=$(date +%s%N)
  "$@" > /dev/null 2>&1 || true
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  printf '%d.%02d s' $((ms / 1000)) $((ms % 1000 / 10))
}
t=$(timed bash -c "'$TIEOUT' check --files-from '$out/list' --format sarif -o '$out/single.sarif' --exit-zero && '$TIEOUT' check --files-from '$out/list' --format json -o '$out/single.json' --exit-zero")
echo "single run (sarif + json): $t"
failed=0
compare() {
  local name=$1
  for fmt in sarif json; do
    if cmp -s "$out/single.$fmt" "$out/$name/merged.$fmt"; then
      echo "  $name $fmt: identical to the single run"
    else
      echo "  $name $fmt: DIFFERS from the single run"
      failed=1
    fi
  done
}
if command -v parallel > /dev/null; then
  echo "GNU parallel: $(timed "$here/parallel.sh" "$out/list" "$out/parallel")"
  compare parallel
else
  echo "GNU parallel: not installed, skipped"
fi
if python3 -c 'import dask.bag' 2> /dev/null; then
  echo "Dask: $(timed python3 "$here/dask_sweep.py" "$out/list" "$out/dask")"
  compare dask
else
  echo "Dask: not installed, skipped"
fi
if python3 -c 'import pyspark' 2> /dev/null && command -v java > /dev/null; then
  echo "Spark: $(timed python3 "$here/spark_sweep.py" "$out/list" "$out/spark")"
  compare spark
else
  echo "Spark: not installed, skipped"
fi
exit "$failed"
