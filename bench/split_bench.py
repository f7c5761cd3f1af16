#!/usr/bin/python3
"""tgt split against the pandas/numpy peers of ../shared/bench, side by side in one run.

For each workload size it writes a workload with the shared generator, copies
bench/split-plan.json into it, then times

  tgt split split-plan.json --by region,rep,product --period month     (month grain)
  tgt split split-plan.json --by region,rep --period day               (day grain)

and the peer (split_pandas.py, numpy and pandas engines) on the same grains,
each under /usr/bin/time -v, and checks tgt's output against the peer's cell for
cell (key, value and row order; tgt's period 2027-01 is the peer's month 1).

    /usr/bin/python3 bench/split_bench.py [--tgt build/tgt] [--sizes 1000,10000,100000]
        [--engines numpy,pandas] [--skip-pandas-day-above 10000] [--root /tmp/tgt-split-bench]
        [--repeat 1] [--formats csv,table,markdown] [--json-plan] [--no-peers]

--formats also times tgt's table and markdown output (to /dev/null; peers write CSV only) and how
long the first line of `tgt split … | head -1` takes; --json-plan also runs a plan that lists every
rep inline (JSON, not members_from a CSV); --no-peers times tgt alone.
Prints one line per run and a summary table; never passes or fails on time.
Needs Debian's python3-pandas for the peer (run with /usr/bin/python3).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), "shared", "bench")


def timed(cmd, cwd=None):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, cpu seconds, max RSS MiB).
    Wall is measured here (sub-millisecond resolution, includes starting the process)."""
    full = ["/usr/bin/time", "-v"] + cmd
    start = time.perf_counter()
    p = subprocess.run(full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    def field(name):
        m = re.search(rf"{re.escape(name)}: (.*)", p.stderr)
        return m.group(1).strip() if m else "0"
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    return elapsed, cpu, rss


def first_line(cmd, cwd=None):
    """Seconds until the first line of cmd's standard output arrives (then the run is stopped)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdout.readline()
    elapsed = time.perf_counter() - start
    p.kill()
    p.wait()
    return elapsed


def write_json_plan(work):
    """split-plan.json with the reps listed inline, read from the workload's reps.csv."""
    import csv
    import json
    regions = {}
    with open(os.path.join(work, "reps.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            regions.setdefault(row["region"], []).append({"id": row["rep"], "weight": row["weight"]})
    with open(os.path.join(HERE, "split-plan.json"), encoding="utf-8") as f:
        plan = json.load(f)
    plan["name"] = "split-plan.json with every rep inline"
    plan["dimensions"][0] = {"id": "org", "levels": ["region", "rep"],
                             "members": [{"id": k, "members": v} for k, v in regions.items()]}
    path = os.path.join(work, "split-plan-inline.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(plan, f, ensure_ascii=False, indent=1)
    return path


def same_cells(ours, theirs, grain):
    """Compares tgt's CSV with the peer's, row by row, without loading either whole."""
    rows = 0
    with open(ours, encoding="utf-8") as a, open(theirs, encoding="utf-8") as b:
        a.readline(), b.readline()
        for la, lb in zip(a, b):
            fa = la.rstrip("\n").split(",")
            if grain == "month":
                fa[3] = str(int(fa[3][5:]))  # 2027-03 -> 3
            if fa != lb.rstrip("\n").split(","):
                return False, rows, f"row {rows + 2}: tgt {la.strip()!r} vs peer {lb.strip()!r}"
            rows += 1
        if a.readline() or b.readline():
            return False, rows, "row counts differ"
    return True, rows, ""


def time_format(tgt, work, plan, args, fmt, reps, grain, repeat, results, label="tgt"):
    """tgt alone in one format, to /dev/null: wall, CPU, peak memory and the first line's delay."""
    cmd = [tgt, "split", plan, *args, "--format", fmt]
    best = None
    for _ in range(max(1, repeat)):
        t = timed(cmd, cwd=work)
        best = t if best is None or t[0] < best[0] else best
    first = first_line(cmd, cwd=work)
    engine = f"{label} {fmt}"
    results.append(dict(reps=reps, grain=grain, engine=engine, wall=best[0], cpu=best[1], rss=best[2], bytes=0,
                        match=f"first line after {first:.3f} s"))
    print(f"{engine:<6} reps={reps:>6} grain={grain:<5} wall={best[0]:7.2f}s cpu={best[1]:7.2f}s "
          f"rss={best[2]:8.1f}MiB first line after {first:.3f}s", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tgt", default=os.path.join(REPO, "build", "tgt"))
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--engines", default="numpy,pandas")
    ap.add_argument("--skip-pandas-day-above", type=int, default=10000,
                    help="the textbook pandas day grain takes ~7 minutes at 100k reps; skip it above this size")
    ap.add_argument("--root", default="/tmp/tgt-split-bench")
    ap.add_argument("--repeat", type=int, default=1, help="runs of tgt per case (the fastest is reported)")
    ap.add_argument("--formats", default="csv", help="tgt's output formats to time (csv is compared with the peers)")
    ap.add_argument("--json-plan", action="store_true", help="also time a plan with every rep inline")
    ap.add_argument("--no-peers", action="store_true", help="time tgt alone")
    a = ap.parse_args()
    if a.no_peers:
        a.engines = ""

    tgt = os.path.abspath(a.tgt)
    results = []
    for reps in [int(s) for s in a.sizes.split(",")]:
        work = os.path.join(a.root, f"r{reps}")
        if not os.path.exists(os.path.join(work, "reps.csv")):
            subprocess.run(["/usr/bin/python3", os.path.join(SHARED, "gen.py"), "--out", work, "--reps", str(reps),
                            "--products", "10", "--rows", "1000", "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(HERE, "split-plan.json"), work)
        for grain in ("month", "day"):
            args = ["--by", "region,rep,product", "--period", "month"] if grain == "month" else \
                   ["--by", "region,rep", "--period", "day"]
            ours = os.path.join(work, f"tgt-{grain}.csv")
            best = None
            for _ in range(max(1, a.repeat)):
                t = timed([tgt, "split", "split-plan.json", *args, "-o", ours], cwd=work)
                best = t if best is None or t[0] < best[0] else best
            size = os.path.getsize(ours)
            results.append(dict(reps=reps, grain=grain, engine="tgt", wall=best[0], cpu=best[1], rss=best[2],
                                bytes=size, match=""))
            print(f"tgt    reps={reps:>6} grain={grain:<5} wall={best[0]:7.2f}s cpu={best[1]:7.2f}s "
                  f"rss={best[2]:8.1f}MiB out={size:,} B", flush=True)
            for fmt in [f for f in a.formats.split(",") if f != "csv"]:
                time_format(tgt, work, "split-plan.json", args, fmt, reps, grain, a.repeat, results)
            if a.json_plan:
                inline = write_json_plan(work)
                for fmt in a.formats.split(","):
                    time_format(tgt, work, inline, args, fmt, reps, grain, a.repeat, results, label="tgt-inline")
            for engine in [e for e in a.engines.split(",") if e]:
                if engine == "pandas" and grain == "day" and reps > a.skip_pandas_day_above:
                    print(f"{engine:<6} reps={reps:>6} grain={grain:<5} skipped (--skip-pandas-day-above)", flush=True)
                    continue
                theirs = os.path.join(work, f"peer-{engine}-{grain}.csv")
                t = timed(["/usr/bin/python3", os.path.join(SHARED, "peers", "split_pandas.py"), work,
                           "--grain", grain, "--engine", engine, "--out", theirs])
                ok, rows, why = same_cells(ours, theirs, grain)
                results.append(dict(reps=reps, grain=grain, engine=engine, wall=t[0], cpu=t[1], rss=t[2],
                                    bytes=os.path.getsize(theirs), match=f"{'same' if ok else 'DIFFERENT'} ({rows:,} rows)"))
                print(f"{engine:<6} reps={reps:>6} grain={grain:<5} wall={t[0]:7.2f}s cpu={t[1]:7.2f}s "
                      f"rss={t[2]:8.1f}MiB cells: {'same' if ok else 'DIFFERENT ' + why} ({rows:,} rows)", flush=True)
                os.remove(theirs)
            os.remove(ours)

    print("\n| reps | grain | engine | wall s | CPU s | max RSS MiB | output bytes | tgt faster by | cells |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        mine = next(x for x in results if x["reps"] == r["reps"] and x["grain"] == r["grain"] and x["engine"] == "tgt")
        ratio = "" if r["engine"].startswith("tgt") else f"{r['wall'] / mine['wall']:.1f}×"
        print(f"| {r['reps']:,} | {r['grain']} | {r['engine']} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['rss']:.0f} | "
              f"{r['bytes']:,} | {ratio} | {r['match']} |")
    if any("DIFFERENT" in r["match"] for r in results):
        print("\nsome outputs differ from the peer: see above")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
