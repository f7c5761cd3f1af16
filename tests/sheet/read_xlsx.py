#!/usr/bin/python3
"""Reads an .xlsx back (zip + XML, standard library only) and prints, per worksheet, its name and
every non-empty cell as `A1 = value` or `A1 = =FORMULA -> cached value` (numbers as the shortest
decimal of their double, strings quoted: a formula's blank string result shows as ''), so golden
tests can check numbers, strings and formulas; then checks that every SUM formula's cached value is
the exact sum of its cells, to the cent, and that every achievement formula IF(B=0,"",C/B) caches
what it computes: the blank string where the target is 0 (as LibreOffice shows it without
recalculating), else actual / target.
Usage: read_xlsx.py FILE [--rows N]"""
import re
import sys
from decimal import Decimal
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}

path = sys.argv[1]
limit = int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else 10**9
with zipfile.ZipFile(path) as z:
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            strings.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    sheet_file = {r.get("Id"): r.get("Target") for r in rels}  # not `target`: the checks below use that name
    for sheet in book.find("m:sheets", NS):
        rid = sheet.get("{%s}id" % NS["r"])
        print(f"[{sheet.get('name')}]")
        data = ET.fromstring(z.read("xl/" + sheet_file[rid]))
        cells, formulas = {}, []
        for row in data.iter("{%s}row" % NS["m"]):
            for c in row.findall("m:c", NS):
                f, v = c.find("m:f", NS), c.find("m:v", NS)
                value = v.text if v is not None else ""
                if c.get("t") == "s":
                    value = repr(strings[int(value)])
                elif c.get("t") == "str":  # a formula's string result, cached in the cell
                    value = repr(value or "")
                elif value:
                    value = repr(float(value)).removesuffix(".0")
                    cells[c.get("r")] = Decimal(value)
                if f is not None:
                    formulas.append((c.get("r"), f.text, value))
                if int(row.get("r")) > limit:
                    continue
                if f is not None:
                    print(f"{c.get('r')} = ={f.text} -> {value}")
                elif value:
                    print(f"{c.get('r')} = {value}")
        bad = 0
        for ref, text, value in formulas:
            # Achievement: IF(Bn=0,"",Cn/Bn), cached as "" where the target is 0, else actual ÷ target.
            ratio = re.fullmatch(r'IF\(([A-Z]+\d+)=0,"",([A-Z]+\d+)/([A-Z]+\d+)\)', text)
            if ratio and ratio.group(1) == ratio.group(3):
                target, actual = cells.get(ratio.group(1), Decimal(0)), cells.get(ratio.group(2), Decimal(0))
                if target == 0:
                    if value != "''":
                        print(f"{ref}: {text} caches {value}, the cells give '' (the target is 0)")
                        bad += 1
                elif not value or value.startswith("'") or abs(actual / target - Decimal(value)) > Decimal("1e-12"):
                    print(f"{ref}: {text} caches {value}, the cells give {actual / target}")
                    bad += 1
                continue
            m = re.fullmatch(r"SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", text)
            if not m or m.group(1) != m.group(3):
                print(f"{ref}: not a column SUM: {text}")
                bad += 1
                continue
            total = sum(cells.get(f"{m.group(1)}{r}", Decimal(0)) for r in range(int(m.group(2)), int(m.group(4)) + 1))
            if total.quantize(Decimal("0.01")) != Decimal(value).quantize(Decimal("0.01")):
                print(f"{ref}: {text} caches {value}, the cells add up to {total}")
                bad += 1
        print(f"formulas: {len(formulas) - bad} of {len(formulas)} equal what their cells give (sums, ratios)")
