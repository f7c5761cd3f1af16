#!/usr/bin/env python3
"""Checks that a workbook tgt wrote holds what `--format csv` printed.

compare_xlsx.py BOOK.xlsx SAME.csv: the header row frozen (pane at A2) and bold, an autofilter over the
header and the rows, every cell equal to the CSV's (numbers as numbers, compared exactly as decimals),
and a totals row, if any, of SUM formulas whose cached values are the exact column sums.
compare_xlsx.py --csv-pair A.csv B.csv: LibreOffice's CSV of a workbook (numbers as formatted, a
totals row after the rows) against tgt's CSV.
"""
import csv
import sys
from decimal import Decimal


def same(cell, text):
    if cell is None:
        return text == ""
    if isinstance(cell, (int, float)):
        try:
            return Decimal(repr(cell)) == Decimal(text)
        except Exception:
            return False
    return str(cell) == text


def check_book(book, csv_path):
    import openpyxl
    from openpyxl.utils import get_column_letter

    rows = list(csv.reader(open(csv_path, encoding="utf-8")))
    ws = openpyxl.load_workbook(book).active
    cached = openpyxl.load_workbook(book, data_only=True).active
    got = [list(r) for r in ws.iter_rows(values_only=True)]
    values = [list(r) for r in cached.iter_rows(values_only=True)]
    problems = []
    if ws.freeze_panes != "A2":
        problems.append(f"frozen pane {ws.freeze_panes}, not A2")
    want_filter = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
    if ws.auto_filter.ref != want_filter:
        problems.append(f"autofilter {ws.auto_filter.ref}, not {want_filter}")
    if not all(ws.cell(1, c + 1).font.b for c in range(len(rows[0]))):
        problems.append("header not bold")
    for i, row in enumerate(rows):
        for c, text in enumerate(row):
            if not same(got[i][c] if i < len(got) and c < len(got[i]) else None, text):
                problems.append(f"row {i + 1} column {c + 1}: {got[i][c]!r} in the book, {text!r} in the CSV")
    extra = got[len(rows):]
    if len(extra) > 1:
        problems.append(f"{len(extra)} rows after the CSV's")
    if extra:
        total, total_values = extra[0], values[len(rows)]
        for c, cell in enumerate(total[1:], start=1):
            if cell is None:
                continue
            col = get_column_letter(c + 1)
            if cell != f"=SUM({col}2:{col}{len(rows)})":
                problems.append(f"total of column {col}: {cell!r}")
            exact = sum(Decimal(r[c]) for r in rows[1:] if r[c] != "")
            if Decimal(repr(total_values[c])) != exact:
                problems.append(f"total of column {col}: cached {total_values[c]!r}, the rows sum to {exact}")
    for p in problems[:20]:
        print(f"{book}: {p}")
    return not problems


def plain(text):
    bare = text.replace(",", "")
    try:
        return str(Decimal(bare).normalize())
    except Exception:
        return text


def check_pair(office_csv, tgt_csv):
    office = list(csv.reader(open(office_csv, encoding="utf-8")))
    ours = list(csv.reader(open(tgt_csv, encoding="utf-8")))
    ok = len(office) >= len(ours)
    for a, b in zip(office, ours):
        if [plain(x) for x in a[: len(b)]] != [plain(x) for x in b]:
            print(f"LibreOffice: {a} against tgt: {b}")
            ok = False
    return ok


if __name__ == "__main__":
    if sys.argv[1] == "--csv-pair":
        sys.exit(0 if check_pair(sys.argv[2], sys.argv[3]) else 1)
    sys.exit(0 if check_book(sys.argv[1], sys.argv[2]) else 1)
