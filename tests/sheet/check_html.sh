#!/usr/bin/env bash
# Renders quota sheets in a real browser: headless Chromium prints each to PDF, which must be one
# A4 page, and takes a screenshot (kept in the build folder to look at). Skipped (exit 77) when
# Chromium is not installed: `apt-get install chromium fonts-noto-cjk` to run it.
# Usage: check_html.sh TGT_BINARY SOURCE_DIR OUT_DIR
set -euo pipefail
tgt=$1 src=$2 out=$3
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then echo "skipped: no chromium"; exit 77; fi
rm -rf "$out" && mkdir -p "$out"
"$tgt" init --template regions-reps -o "$out/regions-reps.json" 2>/dev/null
"$tgt" init --template store -o "$out/store.json" 2>/dev/null
"$tgt" sheet "$out/regions-reps.json" -o "$out/regions-reps" 2>/dev/null
"$tgt" sheet "$out/store.json" -o "$out/store" 2>/dev/null
"$tgt" sheet "$src/examples/dealer-funnel.json" -o "$out/dealer" 2>/dev/null
# The fullest sheets: funnel activity with progress on leads; visits with progress on visits.
"$tgt" sheet "$src/examples/dealer-funnel.json" -o "$out/dealer-progress" --metric leads \
    --actuals "$src/examples/data/leads-q1.csv" --as-of 2027-03-31 2>/dev/null
"$tgt" sheet "$src/examples/customer-visits.json" -o "$out/visits" --metric visits \
    --actuals "$src/examples/data/visits-q1.csv" --as-of 2027-03-31 2>/dev/null
status=0
for f in "$out"/regions-reps/王强.html "$out"/store/文具.html "$out"/dealer/刘洋.html \
    "$out"/dealer-progress/刘洋.html "$out"/visits/张伟.html; do
    pdf="${f%.html}.pdf"
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$pdf" "file://$f" >/dev/null 2>&1
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --window-size=794,1123 \
        --screenshot="${f%.html}.png" "file://$f" >/dev/null 2>&1
    pages=$(grep -ac '/Type /Page[^s]\|/Type /Page$' "$pdf" || true)
    if [ "$pages" = 1 ]; then echo "ok: $(basename "$f") prints on one page"; else echo "FAIL: $f: $pages pages"; status=1; fi
done
exit $status
