"""The reduce step shared by the Python recipes: write each partition's
JSONL part to OUT/parts/NNNNN.jsonl, then `tieout merge` them into
OUT/merged.sarif and OUT/merged.json. Returns the highest exit code."""
import os
import shutil
import subprocess


def write_and_merge(tieout, out, parts):
    """`parts`: one bytes object (a whole JSONL part) per partition."""
    parts_dir = os.path.join(out, "parts")
    shutil.rmtree(parts_dir, ignore_errors=True)
    os.makedirs(parts_dir)
    names = []
    for i, part in enumerate(parts):
        name = os.path.join(parts_dir, f"{i:05}.jsonl")
        with open(name, "wb") as f:
            f.write(part)
        names.append(name)
    status = 0
    for fmt in ("sarif", "json"):
        merged = os.path.join(out, f"merged.{fmt}")
        done = subprocess.run([tieout, "merge", "--format", fmt, "-o", merged, *names])
        status = max(status, done.returncode)
    return status
