#!/usr/bin/python3
"""`tgt progress` against the analyst's alternatives on the shared progress workload, in one run:
the pandas script (../shared/bench/peers/progress_pandas.py) and the DuckDB one
(../shared/bench/peers/duckdb/progress_duckdb.mjs, when `npm install` has been run there), on
10,000 reps and 1M / 10M actual rows, as of 2027-06-30.

    /usr/bin/python3 bench/progress_bench.py [--tgt build/tgt] [--rows 1000000,10000000]
        [--root /tmp/tgt-progress-bench] [--repeat 3]

tgt runs `tgt progress split-plan.json actuals.csv --as-of 2027-06-30 --by region,rep
--map amount=target` (the workload's metric column is `amount`, the plan's metric `target`), once
on all cores and once with --threads 1. The peers need month targets first; making them
(split_pandas.py --engine numpy) is timed on its own line, since tgt splits the plan itself.
Every rep row of tgt's report is checked cell for cell against the pandas report, and the DuckDB
report against the pandas one byte for byte. Prints wall (median of --repeat, runs interleaved),
CPU, peak RSS and MB/s of actuals; never passes or fails on time.
"""
import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from split_bench import HERE, SHARED, timed  # noqa: E402

AS_OF = "2027-06-30"
DUCKDB = os.path.join(SHARED, "peers", "duckdb")

# tgt column ← pandas column, for the rep rows.
SAME = [("target", "target_year"), ("target_to_date", "target_to_date"), ("actual", "actual_to_date"),
        ("achievement_pct", "achievement_pct"), ("time_progress_pct", "time_progress_pct"), ("pace", "pace"),
        ("gap", "gap"), ("required_daily", "required_daily"), ("forecast_run_rate", "forecast_year_end")]


def workload(root, rows):
    work = os.path.join(root, f"rows-{rows}")
    if not os.path.exists(os.path.join(work, "actuals.csv")):
        os.makedirs(work, exist_ok=True)
        subprocess.run(["/usr/bin/python3", os.path.join(SHARED, "gen.py"), "--out", work, "--reps", "10000",
                        "--products", "10", "--rows", str(rows), "--seed", "1"], check=True)
    shutil.copy(os.path.join(HERE, "split-plan.json"), work)
    with open(os.path.join(work, "actuals.csv"), encoding="utf-8") as f, \
            open(os.path.join(work, "header-only.csv"), "w", encoding="utf-8") as out:
        out.write(f.readline())
    return work


def check(ours, peer):
    """tgt's rep rows against the peer's, cell for cell; returns (rows compared, first difference)."""
    with open(peer, encoding="utf-8") as f:
        theirs = {(r["region"], r["rep"]): r for r in csv.DictReader(f) if r["level"] == "rep"}
    compared = 0
    with open(ours, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            p = theirs.pop((r["region"], r["rep"]), None)
            if p is None:
                return compared, f"{r['region']}/{r['rep']}: not in the peer's report"
            for a, b in SAME:
                if r[a] != p[b]:
                    return compared, f"{r['region']}/{r['rep']} {a}: tgt {r[a]!r} vs peer {b} {p[b]!r}"
            compared += 1
    if theirs:
        return compared, f"{len(theirs)} peer rep rows not in tgt's report, e.g. {next(iter(theirs))}"
    return compared, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tgt", default=os.path.join(os.path.dirname(HERE), "build", "tgt"))
    ap.add_argument("--rows", default="1000000,10000000")
    ap.add_argument("--root", default="/tmp/tgt-progress-bench")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tgt = os.path.abspath(args.tgt)
    duckdb = os.path.isdir(os.path.join(DUCKDB, "node_modules")) and shutil.which("node")
    if not duckdb:
        print(f"(DuckDB peer skipped: run `npm install` in {DUCKDB})")

    results = []
    for rows in [int(r) for r in args.rows.split(",")]:
        work = workload(args.root, rows)
        size = os.path.getsize(os.path.join(work, "actuals.csv"))
        common = ["progress", "split-plan.json", "--as-of", AS_OF, "--by", "region,rep", "--map", "amount=target",
                  "--format", "csv"]
        runs = {
            "tgt": [tgt] + common + ["actuals.csv", "-o", "tgt.csv"],
            "tgt --threads 1": [tgt] + common + ["actuals.csv", "-o", "tgt1.csv", "--threads", "1"],
            "tgt, no actual rows": [tgt] + common + ["header-only.csv", "-o", "tgt0.csv", "--threads", "1"],
            "pandas": ["/usr/bin/python3", os.path.join(SHARED, "peers", "progress_pandas.py"), work, "--targets",
                       "month.csv", "--as-of", AS_OF, "--out", "pandas.csv"],
        }
        if duckdb:
            runs["duckdb"] = ["node", os.path.join(DUCKDB, "progress_duckdb.mjs"), work, "--targets", "month.csv",
                              "--as-of", AS_OF, "--out", "duckdb.csv"]
        targets = timed(["/usr/bin/python3", os.path.join(SHARED, "peers", "split_pandas.py"), work, "--grain",
                         "month", "--engine", "numpy", "--out", os.path.join(work, "month.csv")])
        measured = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, cmd in runs.items():
                measured[name].append(timed(cmd, cwd=work))
        compared, difference = check(os.path.join(work, "tgt.csv"), os.path.join(work, "pandas.csv"))
        same_threads = open(os.path.join(work, "tgt.csv"), "rb").read() == open(os.path.join(work, "tgt1.csv"),
                                                                                 "rb").read()
        same_duckdb = None
        if duckdb:
            same_duckdb = open(os.path.join(work, "duckdb.csv"), "rb").read() == open(
                os.path.join(work, "pandas.csv"), "rb").read()
        med = {name: tuple(statistics.median(m[i] for m in ms) for i in range(3)) for name, ms in measured.items()}
        results.append((rows, size, targets, med, compared, difference, same_threads, same_duckdb))

    print(f"\n10,000 reps, as of {AS_OF}; wall = median of {args.repeat}, interleaved; MB = 10^6 bytes")
    print(f"{'rows':>11} {'run':<26} {'wall s':>7} {'CPU s':>7} {'RSS MiB':>8} {'MB/s':>7}  vs pandas")
    for rows, size, targets, med, compared, difference, same_threads, same_duckdb in results:
        fixed = med["tgt, no actual rows"][0]
        pandas_total = med["pandas"][0] + targets[0]
        print(f"{rows:>11,} {'pandas: month targets':<26} {targets[0]:>7.2f} {targets[1]:>7.2f} {targets[2]:>8.0f}")
        for name, (wall, cpu, rss) in med.items():
            rate = "" if name.endswith("no actual rows") else f"{size / 1e6 / wall:>7.0f}"
            versus = "" if name == "pandas" or name.endswith("no actual rows") else \
                f"  {med['pandas'][0] / wall:.1f}× (report), {pandas_total / wall:.1f}× (targets + report)"
            print(f"{rows:>11,} {name:<26} {wall:>7.2f} {cpu:>7.2f} {rss:>8.0f} {rate:>7}{versus}")
        one = med["tgt --threads 1"][0]
        print(f"{'':>11} actuals read on one core: {size / 1e6 / (one - fixed):.0f} MB/s "
              f"({size / 1e6:.0f} MB in {one - fixed:.2f} s beyond the {fixed:.2f} s without rows)")
        print(f"{'':>11} check: {compared:,} rep rows equal to pandas cell for cell" if difference is None else
              f"{'':>11} check: DIFFERENT after {compared:,} rows: {difference}")
        print(f"{'':>11} tgt on all cores and on one: {'same bytes' if same_threads else 'DIFFERENT'}"
              + ("" if same_duckdb is None else
                 f"; duckdb vs pandas: {'same bytes' if same_duckdb else 'DIFFERENT'}"))
    if len(results) >= 2:
        (r0, _, _, m0, *_), (r1, _, _, m1, *_) = results[0], results[-1]
        fixed0, fixed1 = m0["tgt, no actual rows"][0], m1["tgt, no actual rows"][0]
        for name in ("tgt", "tgt --threads 1"):
            print(f"linear? {name}: {r1 // r0}× the rows took {m1[name][0] / m0[name][0]:.1f}× the time "
                  f"({(m1[name][0] - fixed1) / (m0[name][0] - fixed0):.1f}× beyond the run without rows), "
                  f"peak RSS {m0[name][2]:.0f} → {m1[name][2]:.0f} MiB")


if __name__ == "__main__":
    main()
