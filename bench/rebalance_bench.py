#!/usr/bin/python3
"""tgt rebalance on 10,000 reps x 10 products (100 regions of 100 reps), months by working days:
the first quarter's actuals in, the rest of the year re-spread (100,000 nodes, one override each).

    /usr/bin/python3 bench/rebalance_bench.py [--tgt build/tgt] [--reps 10000] [--products 10]
        [--root /tmp/tgt-rebalance-bench] [--repeat 1]

Writes the plan (reps.csv and products.csv through "members_from") and Q1 actuals (one row per rep,
product and month) with a fixed seed, times `tgt rebalance` writing the new plan to a file under
/usr/bin/time -f "%e %U %S %M", splits the new plan once (its total: the old one, raised by what the
nodes ahead of target sold beyond it), and prints wall seconds, CPU seconds and peak MiB beside the
goal (<= 1.5 s, <= 300 MB). Never passes or fails on time. The inputs are kept in --root between
runs (about 10 MB of actuals).
"""
import argparse
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GOAL_S, GOAL_MB = 1.5, 300

PLAN = """{
  "name": "Rebalance benchmark: %(reps)d reps x %(products)d products",
  "period": "2027",
  "metrics": [{"id": "sales", "unit": "元", "total": "1000000000.00"}],
  "dimensions": [
    {"id": "org", "levels": ["region", "rep"],
     "members_from": {"file": "reps.csv", "columns": ["region", "rep"], "weight": "weight"}},
    {"id": "product", "members_from": {"file": "products.csv", "columns": ["product"], "weight": "weight"}}
  ],
  "split": [
    {"level": "region"},
    {"level": "rep"},
    {"level": "product"},
    {"level": "month", "by": "working_days"}
  ]
}
"""


def write_inputs(work, reps, products):
    rng = random.Random(13)
    os.makedirs(work, exist_ok=True)
    regions = max(1, reps // 100)
    rep_ids = []
    with open(os.path.join(work, "reps.csv"), "w", encoding="utf-8") as f:
        f.write("region,rep,weight\n")
        for i in range(reps):
            rep = f"R{i:05d}"
            rep_ids.append(rep)
            f.write(f"G{i % regions:03d},{rep},{rng.randint(1, 9)}\n")
    product_ids = [f"P{j:02d}" for j in range(products)]
    with open(os.path.join(work, "products.csv"), "w", encoding="utf-8") as f:
        f.write("product,weight\n")
        for p in product_ids:
            f.write(f"{p},{rng.randint(1, 5)}\n")
    with open(os.path.join(work, "plan.json"), "w", encoding="utf-8") as f:
        f.write(PLAN % {"reps": reps, "products": products})
    # About a quarter of each node's yearly target (1e9 / nodes), give or take, per month of Q1.
    per_month = 100000000000 // (reps * products) // 12  # minor units
    with open(os.path.join(work, "actuals.csv"), "w", encoding="utf-8") as f:
        f.write("date,rep,product,sales\n")
        for month in (1, 2, 3):
            for rep in rep_ids:
                for p in product_ids:
                    cents = rng.randint(per_month // 2, per_month * 3 // 2)
                    f.write(f"2027-{month:02d}-{rng.randint(1, 28):02d},{rep},{p},{cents // 100}.{cents % 100:02d}\n")


def run(cmd, cwd):
    """Wall seconds (measured here), CPU seconds (user + system) and peak MiB of one run, from
    /usr/bin/time -f "%e %U %S %M". CPU is the steadier figure on a loaded machine."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M"] + cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    _, user, system, kib = p.stderr.strip().splitlines()[-1].split()
    return wall, float(user) + float(system), int(kib) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tgt", default=os.path.join(os.path.dirname(HERE), "build", "tgt"))
    ap.add_argument("--reps", type=int, default=10000)
    ap.add_argument("--products", type=int, default=10)
    ap.add_argument("--root", default="/tmp/tgt-rebalance-bench")
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    tgt = os.path.abspath(a.tgt)
    work = os.path.join(a.root, f"r{a.reps}x{a.products}")
    if not os.path.exists(os.path.join(work, "actuals.csv")):
        write_inputs(work, a.reps, a.products)
    best = None
    for _ in range(max(1, a.repeat)):
        t = run([tgt, "rebalance", "plan.json", "actuals.csv", "--as-of", "2027-03-31", "-o", "new.json"], work)
        best = t if best is None or t[0] < best[0] else best
    size = os.path.getsize(os.path.join(work, "new.json")) / 2**20
    check = subprocess.run([tgt, "split", "new.json", "--format", "csv"], cwd=work, capture_output=True, text=True)
    total = check.stdout.strip().splitlines()[-1] if check.returncode == 0 else "split failed: " + check.stderr
    wall, cpu, mib = best
    print(f"tgt rebalance, {a.reps} reps x {a.products} products ({a.reps * a.products} nodes x 12 months), "
          f"new plan {size:.1f} MiB")
    print(f"  wall {wall:6.2f} s   (goal <= {GOAL_S} s)   {'ok' if wall <= GOAL_S else 'OVER'}")
    print(f"  cpu  {cpu:6.2f} s   (user + system; wall on a quiet machine is about this)")
    print(f"  peak {mib:6.0f} MiB (goal <= {GOAL_MB} MB)  {'ok' if mib * 1.048576 <= GOAL_MB else 'OVER'}")
    print(f"  the new plan splits to: {total} (the old plan's: 1000000000.00, raised by the nodes ahead of target)")


if __name__ == "__main__":
    main()
