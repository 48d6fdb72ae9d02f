#!/usr/bin/env python3
"""The map step with Dask: a dask.bag over the file list, each partition
piped through `tieout check --files-from - --format jsonl`, one JSONL part
per partition; then `tieout merge`.

    python3 scripts/scale/dask_sweep.py LIST OUT [PARTITIONS]

Writes OUT/parts/*.jsonl and OUT/merged.{sarif,json}. TIEOUT names the
binary (default: tieout on PATH).
"""
import os
import subprocess
import sys

import dask.bag as db
from merge_parts import write_and_merge

TIEOUT = os.environ.get("TIEOUT", "tieout")


def check_partition(paths):
    """One worker: the partition's paths in, its JSONL part out."""
    done = subprocess.run(
        [TIEOUT, "check", "--files-from", "-", "-0", "--format", "jsonl", "--exit-zero"],
        input=b"".join(os.fsencode(p) + b"\0" for p in paths),
        capture_output=True,
        check=True,
    )
    return [done.stdout]


def main():
    list_file, out = sys.argv[1], sys.argv[2]
    partitions = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    with open(list_file, "rb") as f:
        paths = [os.fsdecode(p) for p in f.read().split(b"\n") if p]
    bag = db.from_sequence(paths, npartitions=partitions)
    parts = bag.map_partitions(check_partition).compute(scheduler="processes")
    status = write_and_merge(TIEOUT, out, parts)
    sys.exit(status)


if __name__ == "__main__":
    main()
