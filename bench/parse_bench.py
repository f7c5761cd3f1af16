#!/usr/bin/env python3
"""Plan reading speed: the same plan of N members minified (one line) and pretty-printed, and plans
with N duplicate or unknown keys, each through `tgt validate`/`tgt split` (wall time, peak memory).
Locations are found in O(1) per value, so minified and pretty read at the same speed.
Usage: bench/parse_bench.py TGT [N ...]   (default N: 100000 1000000)"""
import json
import os
import subprocess
import sys
import tempfile

tgt = sys.argv[1]
sizes = [int(n) for n in sys.argv[2:]] or [100000, 1000000]


def run(args):
    """Wall seconds and peak resident MiB of one run (GNU time's %e and %M)."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", report.name] + args,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds, kib = report.read().split()[-2:]
    return float(seconds), int(kib) / 1024


with tempfile.TemporaryDirectory() as tmp:
    for n in sizes:
        plan = {"period": "2027", "metrics": [{"id": "s", "total": "1亿"}],
                "dimensions": [{"id": "rep", "members": [{"id": f"r{i}", "weight": i % 7 + 1} for i in range(n)]}],
                "split": [{"level": "rep"}]}
        for style, text in (("minified", json.dumps(plan, separators=(",", ":"))), ("pretty", json.dumps(plan, indent=2))):
            path = os.path.join(tmp, f"{style}.json")
            with open(path, "w") as f:
                f.write(text)
            seconds, mib = run([tgt, "split", path])
            print(f"{n:>9} members {style:<8} {len(text) / 2**20:7.1f} MB  {seconds:6.2f} s  peak {mib:6.0f} MiB")
    n = 200000
    for kind, key in (("duplicate", lambda i: '"x"'), ("unknown", lambda i: f'"k{i}"')):
        keys = ",".join(f"{key(i)}: {i}" for i in range(n))
        path = os.path.join(tmp, f"{kind}.json")
        with open(path, "w") as f:
            f.write('{"period": "2027", ' + keys + ', "metrics": [{"id": "s", "total": 1}], '
                    '"split": [{"level": "month", "by": "equal"}]}')
        seconds, mib = run([tgt, "validate", path])
        print(f"{n:>9} {kind} keys, all reported        {seconds:6.2f} s  peak {mib:6.0f} MiB")
