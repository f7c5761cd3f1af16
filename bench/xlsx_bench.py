#!/usr/bin/python3
"""Reading actuals from .xlsx against the same rows as CSV: `tgt progress` on each, side by side.

    /usr/bin/python3 bench/xlsx_bench.py [--tgt build/tgt] [--rows 1000000] [--root /tmp/tgt-xlsx-bench]

Writes ROWS actual rows for examples/sales-org.json (date, region, rep, revenue; dates in 2027's
first half, amounts with cents) once as CSV and once as .xlsx (python3-openpyxl's write-only mode:
dates as date cells, regions and reps as shared strings, amounts as numbers), kept under --root for
the next run. Then times `tgt progress examples/sales-org.json FILE --as-of 2027-06-30 --by
region,rep --format csv` on each (wall, CPU, peak RSS of the child) and checks both reports are
byte-identical. Timings on a shared machine are rough; it never passes or fails on time.
"""
import argparse
import datetime
import os
import random
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PLAN = os.path.join(os.path.dirname(HERE), "examples", "sales-org.json")
REPS = [("华东", "张伟"), ("华东", "王芳"), ("华东", "李娜"), ("华南", "陈静"), ("华南", "刘洋"), ("华北", "赵磊"),
        ("华北", "孙丽"), ("西部", "周杰"), ("西部", "吴敏"), ("西部", "郑强")]


def rows(n):
    rng = random.Random(1)
    first = datetime.date(2027, 1, 1)
    for _ in range(n):
        region, rep = REPS[rng.randrange(len(REPS))]
        yield first + datetime.timedelta(days=rng.randrange(181)), region, rep, rng.randrange(1, 10_000_000)


def write_files(root, n):
    csv_path, xlsx_path = os.path.join(root, f"actuals-{n}.csv"), os.path.join(root, f"actuals-{n}.xlsx")
    if not os.path.exists(csv_path):
        with open(csv_path + ".tmp", "w", encoding="utf-8") as f:
            f.write("date,region,rep,revenue\n")
            for d, region, rep, cents in rows(n):
                f.write(f"{d.isoformat()},{region},{rep},{cents // 100}.{cents % 100:02}\n")
        os.replace(csv_path + ".tmp", csv_path)
    if not os.path.exists(xlsx_path):
        import openpyxl
        from openpyxl.cell import WriteOnlyCell
        start = time.monotonic()
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("Sheet1")
        ws.append(["date", "region", "rep", "revenue"])
        for d, region, rep, cents in rows(n):
            date = WriteOnlyCell(ws, value=d)
            date.number_format = "yyyy-mm-dd"
            ws.append([date, region, rep, cents / 100])
        wb.save(xlsx_path + ".tmp.xlsx")
        os.replace(xlsx_path + ".tmp.xlsx", xlsx_path)
        print(f"(wrote {xlsx_path} with openpyxl in {time.monotonic() - start:.0f} s)")
    return csv_path, xlsx_path


def timed(cmd, out):
    """Wall, CPU and peak RSS (MiB) of one child run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with open(out, "wb") as f:
        subprocess.run(cmd, check=True, stdout=f, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tgt", default=os.path.join(os.path.dirname(HERE), "build", "tgt"))
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--root", default="/tmp/tgt-xlsx-bench")
    args = ap.parse_args()
    os.makedirs(args.root, exist_ok=True)
    csv_path, xlsx_path = write_files(args.root, args.rows)
    results = []
    # The xlsx first: ru_maxrss is the largest child so far, so the smaller run must come first to
    # be seen; each file is run in a fresh python child to keep the peaks apart.
    for name, path in (("xlsx", xlsx_path), ("csv", csv_path)):
        out = os.path.join(args.root, f"report-{name}.csv")
        cmd = [args.tgt, "progress", PLAN, path, "--as-of", "2027-06-30", "--by", "region,rep", "--format", "csv"]
        probe = subprocess.run([sys.executable, __file__, "--measure", out, "--"] + cmd, check=True,
                               capture_output=True, text=True).stdout.split()
        results.append((name, os.path.getsize(path), *map(float, probe)))
    same = open(os.path.join(args.root, "report-xlsx.csv"), "rb").read() == open(
        os.path.join(args.root, "report-csv.csv"), "rb").read()
    print(f"\n{args.rows:,} actual rows, tgt progress --by region,rep (rough: a shared machine)")
    print(f"{'input':<6} {'file MB':>8} {'wall s':>7} {'CPU s':>7} {'RSS MiB':>8}")
    for name, size, wall, cpu, rss in results:
        print(f"{name:<6} {size / 1e6:>8.1f} {wall:>7.2f} {cpu:>7.2f} {rss:>8.0f}")
    print(f"reports byte-identical: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        print(*timed(sys.argv[4:], sys.argv[2]))
        sys.exit(0)
    sys.exit(main())
