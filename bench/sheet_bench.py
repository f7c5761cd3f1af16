#!/usr/bin/python3
"""`tgt sheet` for every rep of the shared 10,000-rep workload, in every format, against what pandas
takes to split the same plan (../shared/bench/peers/split_pandas.py, month and day grain), in one run.

    /usr/bin/python3 bench/sheet_bench.py [--tgt build/tgt] [--reps 10000] [--root /tmp/tgt-sheet-bench]
        [--repeat 3] [--out DIR]

--out puts the sheets (and the peers' output) elsewhere, e.g. /dev/shm: on a disk, creating
10,000 files costs the file system 0.5–3 s of its own from run to run, which drowns what tgt does.

Each tgt run writes into a folder of its own (re-creating 10,000 files where they were just deleted
measures the file system's inode reuse, not tgt). Prints wall (median), CPU, peak RSS, files and
bytes; never passes or fails on time.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from split_bench import HERE, SHARED, timed  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tgt", default=os.path.join(os.path.dirname(HERE), "build", "tgt"))
    ap.add_argument("--reps", type=int, default=10000)
    ap.add_argument("--root", default="/tmp/tgt-sheet-bench")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", help="where the sheets go (default: ROOT/reps-N/out)")
    args = ap.parse_args()
    tgt = os.path.abspath(args.tgt)
    work = os.path.join(args.root, f"reps-{args.reps}")
    if not os.path.exists(os.path.join(work, "reps.csv")):
        os.makedirs(work, exist_ok=True)
        subprocess.run(["/usr/bin/python3", os.path.join(SHARED, "gen.py"), "--out", work, "--reps", str(args.reps),
                        "--products", "10", "--rows", "1000", "--seed", "1"], check=True)
    shutil.copy(os.path.join(HERE, "split-plan.json"), work)
    out = os.path.abspath(args.out) if args.out else os.path.join(work, "out")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)

    rows = []
    for fmt in ("html", "csv", "markdown", "xlsx"):
        runs = []
        for i in range(args.repeat):
            folder = os.path.join(out, f"{fmt}-{i}")
            runs.append(timed([tgt, "sheet", "split-plan.json", "--level", "rep", "--format", fmt, "-o", folder],
                              cwd=work))
        files = os.listdir(folder)
        for i in range(args.repeat - 1):  # keep one, free the rest (tmpfs is memory)
            shutil.rmtree(os.path.join(out, f"{fmt}-{i}"))
        size = sum(os.path.getsize(os.path.join(folder, f)) for f in files)
        rows.append((f"tgt sheet --format {fmt}", statistics.median(r[0] for r in runs),
                     statistics.median(r[1] for r in runs), max(r[2] for r in runs), len(files), size))
    for grain, engine in (("month", "numpy"), ("day", "numpy"), ("day", "pandas")):
        wall, cpu, rss = timed(["/usr/bin/python3", os.path.join(SHARED, "peers", "split_pandas.py"), work,
                                "--grain", grain, "--engine", engine, "--out", os.path.join(out, f"{grain}.csv")])
        rows.append((f"split_pandas.py --grain {grain} --engine {engine}", wall, cpu, rss, 1,
                     os.path.getsize(os.path.join(out, f"{grain}.csv"))))
    fs = subprocess.run(["df", "--output=fstype", out], capture_output=True, text=True).stdout.split()[-1]
    print(f"\n{args.reps:,} reps; tgt: median of {args.repeat}; output on {out} ({fs})")
    print(f"{'run':<48} {'wall s':>7} {'CPU s':>7} {'RSS MiB':>8} {'files':>7} {'MB':>7}")
    for name, wall, cpu, rss, files, size in rows:
        print(f"{name:<48} {wall:>7.2f} {cpu:>7.2f} {rss:>8.0f} {files:>7,} {size / 1e6:>7.1f}")


if __name__ == "__main__":
    main()
