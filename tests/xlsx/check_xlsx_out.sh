#!/usr/bin/env bash
# -o FILE.xlsx for every command that prints a table: the workbook holds the numbers --format csv
# prints (read back with python3-openpyxl, and with LibreOffice where `soffice` exists), its header
# row frozen, an autofilter over the rows, totals as SUM formulas. Skips (77) without either reader.
# LibreOffice writes its CSV in UTF-8 (76), comma-separated, numbers as shown ("2,000,000.00").
set -euo pipefail
tgt="$1"
src="$(cd "$(dirname "$0")/../.." && pwd)"
py=""
for p in python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c "import openpyxl" 2>/dev/null; then py="$p"; break; fi
done
soffice="$(command -v soffice || command -v libreoffice || true)"
if [ -z "$py" ] && [ -z "$soffice" ]; then
  echo "neither python3-openpyxl nor soffice: skipped"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$src"
plan=examples/sales-org.json
# name | arguments (each command once, -o FILE.xlsx and --format csv appended)
runs=(
  "split|split $plan --by region,rep --period quarter"
  "progress|progress $plan examples/data/sales-org-h1.csv --as-of 2027-06-30 --by region"
  "grid|progress $plan examples/data/sales-org-h1.csv --as-of 2027-06-30 --by region --grid month"
  "check|check $plan"
  "calendar|calendar cn --year 2026"
  "funnel|funnel examples/dealer-funnel.json"
)
for run in "${runs[@]}"; do
  name="${run%%|*}"
  args="${run#*|}"
  # shellcheck disable=SC2086
  "$tgt" $args --format csv >"$work/$name.csv" 2>/dev/null || true
  # shellcheck disable=SC2086
  "$tgt" $args -o "$work/$name.xlsx" 2>/dev/null || true
  [ -s "$work/$name.xlsx" ] || { echo "FAIL: $name: no workbook"; exit 1; }
  if [ -n "$py" ]; then
    "$py" "$src/tests/xlsx/compare_xlsx.py" "$work/$name.xlsx" "$work/$name.csv" || { echo "FAIL: $name"; exit 1; }
  fi
done
if [ -n "$soffice" ]; then
  (cd "$work" && timeout 300 "$soffice" --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' split.xlsx --outdir lo >/dev/null 2>&1)
  "${py:-python3}" "$src/tests/xlsx/compare_xlsx.py" --csv-pair "$work/lo/split.csv" "$work/split.csv" ||
    { echo "FAIL: LibreOffice's CSV of split.xlsx"; exit 1; }
fi
echo "ok"
