#!/usr/bin/python3
"""Crossing 10,000 reps × 10 products against the plain split of the same plan.

Writes two plans to --root: 1亿 over 10,000 reps (weights 1…7, cycling) and 10 products with
stated amounts. The plain plan splits rep, then product by the products' amounts as weights
(each rep's product totals drift); the crossed plan uses {"cross": ["rep", "product"]} (every rep
total and every product total exact). Times

  tgt split PLAN --by rep,product --format csv -o OUT        (each plan, --repeat times, best kept)

and checks the crossed output: every rep's row and every product's column adds up to its total.
Prints the figures and the ratio crossed ÷ plain; never passes or fails on time.

    /usr/bin/python3 bench/cross_bench.py [--tgt build/tgt] [--reps 10000] [--repeat 3] [--root /tmp/tgt-cross-bench]
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import time

PRODUCTS = [("P%02d" % (i + 1), amount) for i, amount in
            enumerate([1500, 1200, 1100, 1000, 1000, 900, 900, 800, 800, 800])]  # 万, Σ = 10000万 = 1亿


def plan(reps, crossed):
    members = [{"id": "R%05d" % (i + 1), "weight": 1 + i % 7} for i in range(reps)]
    # Plain: the products' amounts as weights inside each rep (holds would be whole-plan amounts).
    products = [{"id": p, "amount": "%d万" % a} if crossed else {"id": p, "weight": a} for p, a in PRODUCTS]
    split = [{"cross": ["rep", "product"]}] if crossed else [{"level": "rep"}, {"level": "product"}]
    return {"name": "cross bench", "period": "2027",
            "metrics": [{"id": "revenue", "unit": "元", "total": "1亿"}],
            "dimensions": [{"id": "rep", "members": members}, {"id": "product", "members": products}],
            "split": split}


def run(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def check(out, reps):
    rows, cols = collections.Counter(), collections.Counter()
    with open(out, encoding="utf-8") as f:
        next(f)
        for line in f:
            rep, product, value = line.rstrip("\n").split(",")
            cents = int(value.replace(".", ""))
            rows[rep] += cents
            cols[product] += cents
    weights = [1 + i % 7 for i in range(reps)]
    total = 10 ** 10  # 1亿 in cents
    for p, a in PRODUCTS:
        assert cols[p] == a * 10 ** 6, (p, cols[p])
    assert sum(rows.values()) == total
    # Rep totals: largest remainder of 1亿 by the weights; each is within a cent of its exact share.
    for i, w in enumerate(weights):
        exact = total * w / sum(weights)
        assert abs(rows["R%05d" % (i + 1)] - exact) < 1, i


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tgt", default="build/tgt")
    ap.add_argument("--reps", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--root", default="/tmp/tgt-cross-bench")
    a = ap.parse_args()
    os.makedirs(a.root, exist_ok=True)
    tgt = os.path.abspath(a.tgt)
    times = {}
    for name, crossed in (("plain", False), ("crossed", True)):
        path = os.path.join(a.root, name + ".json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(plan(a.reps, crossed), f, ensure_ascii=False)
        out = os.path.join(a.root, name + ".csv")
        cmd = [tgt, "split", path, "--by", "rep,product", "--format", "csv", "-o", out, "--force"]
        times[name] = min(run(cmd) for _ in range(a.repeat))
        if crossed:
            check(out, a.reps)
        print(f"{name:8s} {a.reps} reps × {len(PRODUCTS)} products: {times[name]:.3f} s (best of {a.repeat})")
    print(f"crossed ÷ plain: {times['crossed'] / times['plain']:.2f}× (goal: within 2×); crossed totals checked")


if __name__ == "__main__":
    sys.exit(main())
