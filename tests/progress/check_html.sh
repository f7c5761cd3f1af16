#!/usr/bin/env bash
# The HTML progress report in a real browser: headless Chromium takes a screenshot (a PNG that must not
# be empty) and prints each page to PDF, which must be one A4 landscape page — also for 30 members.
# Skipped (exit 77) when Chromium is not installed: `apt-get install chromium fonts-noto-cjk` to run it.
# The files stay in OUT_DIR to look at.
# Usage: check_html.sh TGT_BINARY SOURCE_DIR OUT_DIR
set -euo pipefail
tgt=$1 src=$2 out=$3
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then echo "skipped: no chromium"; exit 77; fi
rm -rf "$out" && mkdir -p "$out"

# 30 reps in 3 regions, 1,000万 by months; an actual per rep and month to the end of May, growing
# with the rep's number so that every status shows.
{
    printf '{"name": "30 reps", "period": "2027", "locale": "zh-CN",\n'
    printf ' "metrics": [{"id": "revenue", "name": "销售额", "unit": "元", "total": "1000万"}],\n'
    printf ' "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [\n'
    for r in 1 2 3; do
        printf '  {"id": "区域%d", "members": [' "$r"
        for i in $(seq 1 10); do printf '"销售%02d"%s' $(((r - 1) * 10 + i)) "$([ "$i" = 10 ] || echo ,)"; done
        printf ']}%s\n' "$([ "$r" = 3 ] || echo ,)"
    done
    printf ' ]}],\n "split": [{"level": "region"}, {"level": "rep"}, {"level": "month", "by": "working_days"}]}\n'
} >"$out/thirty.json"
{
    echo "date,region,rep,revenue"
    for n in $(seq 1 30); do
        for m in 01 02 03 04 05; do echo "2027-$m-15,区域$(((n - 1) / 10 + 1)),销售$(printf %02d "$n"),$((n * 4000))"; done
    done
} >"$out/thirty.csv"

"$tgt" progress "$out/thirty.json" "$out/thirty.csv" --as-of 2027-05-31 --unit 万 -o "$out/thirty.html" 2>/dev/null
"$tgt" progress "$src/examples/sales-org.json" "$src/examples/data/sales-org-h1.csv" --as-of 2027-06-30 --unit 万 \
    --lang zh -o "$out/sales-org.html" 2>/dev/null
"$tgt" progress "$src/examples/weekly-tracking.json" "$src/examples/data/actuals-weekly.csv" --as-of 2027-03-14 \
    -o "$out/weekly.html" 2>/dev/null
"$tgt" progress "$src/examples/store-by-quarter.json" "$src/examples/data/store-sales-q1.csv" --as-of 2027-03-20 \
    --lang zh -o "$out/store-by-quarter.html" 2>/dev/null
"$tgt" init --template store -o "$out/store.json" 2>/dev/null
"$tgt" progress "$out/store.json" "$src/examples/data/store-takings-q1.csv" --as-of 2027-03-10 --unit 万 \
    -o "$out/store.html" 2>/dev/null

status=0
for name in thirty sales-org weekly store-by-quarter store; do
    f="$out/$name.html"
    grep -q '<svg' "$f" || { echo "FAIL: $name: no chart"; status=1; }
    if grep -qiE '<script|src="http|href="http|@import|url\(' "$f"; then echo "FAIL: $name: not self-contained"; status=1; fi
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$out/$name.pdf" "file://$f" >/dev/null 2>&1 || true
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --window-size=1123,794 \
        --screenshot="$out/$name.png" "file://$f" >/dev/null 2>&1 || true
    png=$(stat -c %s "$out/$name.png" 2>/dev/null || echo 0)
    if [ "$png" -gt 1000 ] && [ "$(head -c 4 "$out/$name.png" | tail -c 3)" = PNG ]; then
        echo "ok: $name.png ($png bytes)"
    else
        echo "FAIL: $name: no screenshot"; status=1
    fi
    if command -v pdfinfo >/dev/null; then
        pages=$(pdfinfo "$out/$name.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
        size=$(pdfinfo "$out/$name.pdf" 2>/dev/null | awk '/^Page size:/ {print ($3 > $5) ? "landscape" : "portrait"}')
    else
        pages=$(grep -ac '/Type /Page[^s]\|/Type /Page$' "$out/$name.pdf" || true)
        size=$(grep -ao 'MediaBox \[[^]]*\]' "$out/$name.pdf" | head -1 | tr -d '[]' |
            awk '{print ($4 > $5) ? "landscape" : "portrait"}')
    fi
    if [ "$pages" = 1 ] && [ "$size" = landscape ]; then
        echo "ok: $name prints on one landscape page"
    else
        echo "FAIL: $name: $pages page(s), $size"; status=1
    fi
done
exit $status
