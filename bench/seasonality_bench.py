#!/usr/bin/python3
"""Per-product seasonality against one curve: N products × 12 months of history, split by each
product's own curve ("per": "product") and by the same history summed into one curve, in one run.

    /usr/bin/python3 bench/seasonality_bench.py [--tgt build/tgt] [--sizes 2000,20000]
        [--root /tmp/tgt-season-bench] [--repeat 3]

Prints wall and CPU time (best of --repeat) and peak RSS; on a shared machine CPU is the steadier figure; never passes or
fails on time.
"""
import argparse
import json
import os
import random
import resource
import subprocess
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))


def write_inputs(work, n):
    rng = random.Random(14)
    months = Counter()
    with open(os.path.join(work, "per.csv"), "w", encoding="utf-8") as f:
        f.write("month,product,sales\n")
        for p in range(n):
            for m in range(1, 13):
                v = rng.randint(1, 5000)
                months[m] += v
                f.write(f"2026-{m:02d},P{p},{v}\n")
    with open(os.path.join(work, "one.csv"), "w", encoding="utf-8") as f:
        f.write("month,sales\n")
        for m in range(1, 13):
            f.write(f"2026-{m:02d},{months[m]}\n")
    base = {"period": "2027", "metrics": [{"id": "revenue", "unit": "元", "total": "1亿"}],
            "dimensions": [{"id": "product", "members": [f"P{p}" for p in range(n)]}]}
    history = {"level": "month", "by": "history", "key": "month", "column": "sales"}
    for name, extra in (("per", {"file": "per.csv", "per": "product"}), ("one", {"file": "one.csv"})):
        plan = dict(base, split=[{"level": "product", "by": "equal"}, dict(history, **extra)])
        with open(os.path.join(work, f"{name}.json"), "w", encoding="utf-8") as f:
            json.dump(plan, f, ensure_ascii=False)


def run(tgt, work, name, repeat):
    best = cpu = None
    for _ in range(repeat):
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        before, used = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
        start = time.perf_counter()
        subprocess.run([tgt, "split", os.path.join(work, f"{name}.json"), "--by", "product", "--period", "month",
                        "--format", "csv", "-o", os.path.join(work, f"{name}.out.csv")], check=True)
        wall = time.perf_counter() - start
        best = wall if best is None else min(best, wall)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = usage.ru_utime + usage.ru_stime - used
        cpu = spent if cpu is None else min(cpu, spent)
        rss = max(before, usage.ru_maxrss)
    return best, cpu, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tgt", default=os.path.join(os.path.dirname(HERE), "build", "tgt"))
    ap.add_argument("--sizes", default="2000,20000")
    ap.add_argument("--root", default="/tmp/tgt-season-bench")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"{'products':>9} {'per-product s':>14} {'cpu s':>6} {'one curve s':>12} {'cpu s':>6}  "
          "(peak RSS of the runs so far)")
    for n in (int(s) for s in args.sizes.split(",")):
        work = os.path.join(args.root, str(n))
        os.makedirs(work, exist_ok=True)
        write_inputs(work, n)
        per, per_cpu, _ = run(args.tgt, work, "per", args.repeat)
        one, one_cpu, rss = run(args.tgt, work, "one", args.repeat)
        print(f"{n:>9} {per:>14.3f} {per_cpu:>6.3f} {one:>12.3f} {one_cpu:>6.3f}  ({rss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
