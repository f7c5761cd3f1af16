#!/usr/bin/env python3
"""Plan reading speed: `tgt validate` on generated plans of about 45 MB (one dimension of members
with weights), minified (one line) and pretty-printed, against the goal of issue 13 (at least
100 MB/s, peak memory at most 3x the file), and `tgt split` of the same plans (to CSV, thrown
away); then `tgt split` on plans of N members, and plans with
200,000 duplicate or unknown keys (every one reported).
Usage: bench/parse_bench.py TGT [N ...]   (default N: 100000 1000000)
Timings on a shared machine are rough; run it on a quiet one for figures to quote."""
import json
import os
import subprocess
import sys
import tempfile

tgt = sys.argv[1]
sizes = [int(n) for n in sys.argv[2:]] or [100000, 1000000]
TARGET_BYTES = 45 * 10**6
GOAL_MB_S, GOAL_RATIO = 100, 3


def run(args):
    """Wall seconds, CPU seconds (user + system) and peak resident MiB of one run (GNU time's %e,
    %U + %S and %M): on a shared machine the CPU time is the steadier figure."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name] + args,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds, user, system, kib = report.read().split()[-4:]
    return float(seconds), float(user) + float(system), int(kib) / 1024


def plan_of(n):
    return {"period": "2027", "metrics": [{"id": "s", "total": "1亿"}],
            "dimensions": [{"id": "rep", "members": [{"id": f"r{i}", "weight": i % 7 + 1} for i in range(n)]}],
            "split": [{"level": "rep"}]}


def dump(plan, style):
    return json.dumps(plan, separators=(",", ":")) if style == "minified" else json.dumps(plan, indent=2)


with tempfile.TemporaryDirectory() as tmp:
    print(f"tgt validate on a ~45 MB plan (goal: >= {GOAL_MB_S} MB/s, peak <= {GOAL_RATIO}x the file)")
    for style in ("minified", "pretty"):
        n = int(TARGET_BYTES / (len(dump(plan_of(2000), style)) / 2000))
        n = int(n * TARGET_BYTES / len(dump(plan_of(n), style)))  # ids grow longer with n: size it again
        text = dump(plan_of(n), style)
        path = os.path.join(tmp, f"{style}-45.json")
        with open(path, "w") as f:
            f.write(text)
        size_mb = os.path.getsize(path) / 10**6
        seconds, cpu, mib = run([tgt, "validate", path])
        rate = size_mb / seconds if seconds > 0 else float("inf")
        ratio = mib * 2**20 / os.path.getsize(path)
        verdict = "meets" if rate >= GOAL_MB_S and ratio <= GOAL_RATIO else "misses"
        print(f"  {style:<8} {n:>9} members {size_mb:6.1f} MB  {seconds:6.2f} s ({cpu:5.2f} s CPU)  {rate:7.1f} MB/s  "
              f"peak {mib:6.0f} MiB = {ratio:4.1f}x the file  ({verdict} the goal)")
        seconds, cpu, mib = run([tgt, "split", path, "--format", "csv"])
        print(f"  {style:<8} {n:>9} members  split   {seconds:6.2f} s ({cpu:5.2f} s CPU)  peak {mib:6.0f} MiB")
        os.remove(path)
    for n in sizes:
        for style in ("minified", "pretty"):
            text = dump(plan_of(n), style)
            path = os.path.join(tmp, f"{style}.json")
            with open(path, "w") as f:
                f.write(text)
            seconds, cpu, mib = run([tgt, "split", path])
            print(f"{n:>9} members {style:<8} {len(text) / 2**20:7.1f} MB  split {seconds:6.2f} s ({cpu:5.2f} s CPU)  "
                  f"peak {mib:6.0f} MiB")
    n = 200000
    for kind, key in (("duplicate", lambda i: '"x"'), ("unknown", lambda i: f'"k{i}"')):
        keys = ",".join(f"{key(i)}: {i}" for i in range(n))
        path = os.path.join(tmp, f"{kind}.json")
        with open(path, "w") as f:
            f.write('{"period": "2027", ' + keys + ', "metrics": [{"id": "s", "total": 1}], '
                    '"split": [{"level": "month", "by": "equal"}]}')
        seconds, cpu, mib = run([tgt, "validate", path])
        print(f"{n:>9} {kind} keys, all reported        {seconds:6.2f} s ({cpu:5.2f} s CPU)  peak {mib:6.0f} MiB")
