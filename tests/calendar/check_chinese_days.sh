#!/usr/bin/env bash
# Compares tgt's built-in "cn" calendar with an independent list: the npm package chinese-days
# (holidays and 调休 make-up working days from the State Council notices). Skips (exit 77) when node
# or the package is not to be had. Usage: check_chinese_days.sh TGT_BINARY CACHE_DIR
#   CACHE_DIR keeps the package between runs; it is installed there with npm when missing.
set -uo pipefail
tgt=$1
cache=$2
version=1.5.7
command -v node >/dev/null || { echo "skipped: node is not installed (apt-get install nodejs npm)"; exit 77; }
if [ ! -f "$cache/node_modules/chinese-days/package.json" ]; then
  command -v npm >/dev/null || { echo "skipped: npm is not installed (apt-get install npm)"; exit 77; }
  mkdir -p "$cache"
  if ! timeout 300 npm install --prefix "$cache" --no-audit --no-fund --no-save --silent "chinese-days@$version" \
       >"$cache/npm.log" 2>&1; then
    echo "skipped: npm could not install chinese-days@$version (see $cache/npm.log)"
    exit 77
  fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for year in 2024 2025 2026 2027; do
  "$tgt" calendar cn --list --format csv --year "$year" >"$work/$year.csv" 2>/dev/null || {
    echo "tgt calendar cn --year $year failed"; exit 1; }
done
NODE_PATH="$cache/node_modules" node - "$work" <<'JS'
const fs = require("fs");
const data = require("chinese-days/dist/chinese-days.json");
const dir = process.argv[2];
let failures = 0, checked = 0;
for (const year of [2024, 2025, 2026, 2027]) {
  const tgt = {holiday: new Set(), "make-up working day": new Set()};
  const lines = fs.readFileSync(`${dir}/${year}.csv`, "utf8").trim().split("\n").slice(1);
  for (const line of lines) {
    const [date, , kind] = line.split(",");
    tgt[kind].add(date);
  }
  const theirs = {holiday: new Set(Object.keys(data.holidays).filter(d => d.startsWith(`${year}-`))),
                  "make-up working day": new Set(Object.keys(data.workdays).filter(d => d.startsWith(`${year}-`)))};
  const provisional = year === 2027;
  if (provisional && theirs.holiday.size === 0) {
    console.log(`${year}: chinese-days has no dates yet; tgt's are provisional`);
    continue;
  }
  for (const kind of ["holiday", "make-up working day"]) {
    const only = (a, b) => [...a].filter(d => !b.has(d)).sort();
    const missing = only(theirs[kind], tgt[kind]), extra = only(tgt[kind], theirs[kind]);
    checked += theirs[kind].size;
    if (missing.length || extra.length) {
      const what = `${year} ${kind}s: not in tgt ${JSON.stringify(missing)}, only in tgt ${JSON.stringify(extra)}`;
      if (provisional) {
        console.log(`${what} (tgt's ${year} dates are provisional: update data/calendars/cn.json)`);
      } else {
        console.log(what);
        failures++;
      }
    }
  }
}
console.log(failures ? `${failures} difference(s) from chinese-days`
                     : `ok: ${checked} dates agree with chinese-days`);
process.exit(failures ? 1 : 0);
JS
