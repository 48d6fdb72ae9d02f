#!/usr/bin/env python3
"""The map step with Spark (local mode): an RDD of the file list, each
partition piped through `tieout check --files-from - --format jsonl` with
RDD.pipe, one JSONL part per partition; then `tieout merge`.

    python3 scripts/scale/spark_sweep.py LIST OUT [PARTITIONS]

Needs pyspark and a Java runtime. Writes OUT/parts/*.jsonl and
OUT/merged.{sarif,json}. TIEOUT names the binary (default: tieout on PATH).
"""
import os
import shlex
import sys

from pyspark.sql import SparkSession

from merge_parts import write_and_merge

TIEOUT = os.environ.get("TIEOUT", "tieout")


def main():
    list_file, out = sys.argv[1], sys.argv[2]
    partitions = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    with open(list_file, encoding="utf-8", errors="surrogateescape") as f:
        paths = [p for p in f.read().split("\n") if p]
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("tieout-sweep")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    # RDD.pipe writes each element as a line to the command's standard
    # input and returns its standard output line by line; glom keeps a
    # partition's lines together, in order.
    command = shlex.join(
        [TIEOUT, "check", "--files-from", "-", "--format", "jsonl", "--exit-zero"]
    )
    rdd = spark.sparkContext.parallelize(paths, partitions)
    parts = rdd.pipe(command, checkCode=True).glom().collect()
    spark.stop()
    status = write_and_merge(
        TIEOUT, out, ["".join(line + "\n" for line in lines).encode() for lines in parts]
    )
    sys.exit(status)


if __name__ == "__main__":
    main()
