#!/usr/bin/python3
"""Capacity features must not change the engine's cost class: the shared workload split plainly
(bench/split-plan.json) against the same workload with ramps on 10 % of reps (joining on dates
spread over the year) and growth on every region (bench/capacity-plan.json: last year's regions
+20 %, the total their sum), in one run; plus `tgt explain` on cells of the largest plan.

    /usr/bin/python3 bench/capacity_bench.py [--tgt build/tgt] [--sizes 10000,100000]
        [--root /tmp/tgt-split-bench] [--repeat 3] [--explain 20]

Prints wall time (best of --repeat), CPU and peak RSS per run and the ratio ramps/plain;
never passes or fails on time.
"""
import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from split_bench import HERE, SHARED, timed  # noqa: E402


def write_inputs(work):
    """reps-ramped.csv: every tenth rep joins on a date spread over the year; regions-2026.csv:
    last year's sales per region."""
    rng = random.Random(7)
    regions = defaultdict(Decimal)
    with open(os.path.join(work, "reps.csv"), encoding="utf-8") as f, \
            open(os.path.join(work, "reps-ramped.csv"), "w", encoding="utf-8", newline="") as out:
        rows = csv.DictReader(f)
        w = csv.writer(out)
        w.writerow(rows.fieldnames + ["start"])
        for i, row in enumerate(rows):
            start = ""
            if i % 10 == 0:
                start = f"2027-{rng.randint(2, 12):02d}-{rng.randint(1, 28):02d}"
            w.writerow([row[k] for k in rows.fieldnames] + [start])
            regions[row["region"]] += Decimal(row["weight"])
    # Last year's region totals in proportion to their reps' weights, scaled so that +20 % lands
    # near the plain plan's 1,000,000,000.00: amounts of the same length, a like-for-like output.
    scale = Decimal("1000000000") / Decimal("1.2") / sum(regions.values())
    with open(os.path.join(work, "regions-2026.csv"), "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["region", "sales"])
        for region, total in regions.items():
            w.writerow([region, f"{total * scale:.2f}"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tgt", default=os.path.join(os.path.dirname(HERE), "build", "tgt"))
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--root", default="/tmp/tgt-split-bench")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--explain", type=int, default=20, help="explain this many random cells of the largest plan")
    a = ap.parse_args()
    tgt = os.path.abspath(a.tgt)
    summary = []
    sizes = [int(s) for s in a.sizes.split(",")]
    for reps in sizes:
        work = os.path.join(a.root, f"r{reps}")
        if not os.path.exists(os.path.join(work, "reps.csv")):
            subprocess.run(["/usr/bin/python3", os.path.join(SHARED, "gen.py"), "--out", work, "--reps", str(reps),
                            "--products", "10", "--rows", "1000", "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(HERE, "split-plan.json"), work)
        shutil.copy(os.path.join(HERE, "capacity-plan.json"), work)
        write_inputs(work)
        for grain in ("month", "day"):
            args = ["--by", "region,rep,product", "--period", "month"] if grain == "month" else \
                   ["--by", "region,rep", "--period", "day"]
            best = {}
            for _ in range(max(1, a.repeat)):
                for plan in ("split-plan.json", "capacity-plan.json"):  # interleaved: same machine state
                    t = timed([tgt, "split", plan, *args, "-o", os.path.join(work, f"out-{plan}.csv")], cwd=work)
                    if plan not in best or t[0] < best[plan][0]:
                        best[plan] = t
            plain, ramps = best["split-plan.json"], best["capacity-plan.json"]
            ratio = ramps[0] / plain[0]
            summary.append((reps, grain, plain, ramps, ratio))
            print(f"reps={reps:>6} grain={grain:<5} plain={plain[0]:6.2f}s (cpu {plain[1]:5.2f}s, {plain[2]:6.1f} MiB)  "
                  f"ramps+growth={ramps[0]:6.2f}s (cpu {ramps[1]:5.2f}s, {ramps[2]:6.1f} MiB)  ratio={ratio:4.2f}",
                  flush=True)
    # explain: random reps and days of the largest workload's ramped plan.
    work = os.path.join(a.root, f"r{sizes[-1]}")
    with open(os.path.join(work, "reps-ramped.csv"), encoding="utf-8") as f:
        reps = [row["rep"] for row in csv.DictReader(f)]
    rng = random.Random(11)
    times = []
    for _ in range(a.explain):
        rep = rng.choice(reps)
        cell = f"rep={rep},product=P{rng.randint(1, 10):02d},period=2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        start = time.perf_counter()
        p = subprocess.run([tgt, "explain", "capacity-plan.json", "--cell", cell], cwd=work, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            raise SystemExit(f"explain failed for {cell}")
    times.sort()
    print(f"explain on the {sizes[-1]:,}-rep plan, {len(times)} random cells: median {times[len(times) // 2]:.2f}s, "
          f"max {times[-1]:.2f}s")
    print("\n| reps | grain | plain | ramps + growth | ratio |\n| ---: | --- | ---: | ---: | ---: |")
    for reps, grain, plain, ramps, ratio in summary:
        print(f"| {reps:,} | {grain} | {plain[0]:.2f} s | {ramps[0]:.2f} s | {ratio:.2f} |")


if __name__ == "__main__":
    main()
