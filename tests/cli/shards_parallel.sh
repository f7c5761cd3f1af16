#!/usr/bin/env bash
# split --shard through GNU parallel: 4 shards run side by side, their outputs kept in order (-k),
# must be byte-identical to one run, in csv (header from shard 1 only), tsv and ndjson.
# Skips (77) when GNU parallel is not installed (scripts/setup.sh --test installs it).
set -u
tgt=$1
repo=$2
command -v parallel >/dev/null 2>&1 || { echo "skipped: GNU parallel is not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC
# 3 regions × 40 reps, unequal weights; products below; months by working days.
{
  printf '{"period": "2027", "calendar": "cn", "metrics": [{"id": "revenue", "unit": "元", "total": "98765432.10"}],\n'
  printf ' "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [\n'
  for r in 1 2 3; do
    [ "$r" -gt 1 ] && printf ',\n'
    printf '  {"id": "区域%d", "weight": %d, "members": [' "$r" "$((r + 2))"
    for p in $(seq 1 40); do
      [ "$p" -gt 1 ] && printf ', '
      printf '{"id": "r%d-%02d", "weight": %d}' "$r" "$p" "$(((p * 7 + r) % 13 + 1))"
    done
    printf ']}'
  done
  printf ']},\n  {"id": "product", "members": [{"id": "a", "weight": "50%%"}, {"id": "b", "weight": "30%%"}, {"id": "c", "weight": "20%%"}]}],\n'
  printf ' "split": [{"level": "region"}, {"level": "rep"}, {"level": "product"}, {"level": "month", "by": "working_days"}]}\n'
} >"$work/plan.json"
status=0
check() {  # name, plan, then split's arguments
  local name=$1 plan=$2
  shift 2
  "$tgt" split "$plan" "$@" >"$work/one" 2>/dev/null || { echo "FAIL $name: one run failed"; status=1; return; }
  parallel -k --halt now,fail=1 "$tgt" split "$plan" "$@" --shard {}/4 ::: 1 2 3 4 >"$work/four" 2>/dev/null ||
    { echo "FAIL $name: a shard failed"; status=1; return; }
  if cmp -s "$work/one" "$work/four"; then
    echo "ok   $name: $(wc -l <"$work/one") lines, 4 shards byte-identical to one run"
  else
    echo "FAIL $name: 4 shards differ from one run"
    diff "$work/one" "$work/four" | head -5
    status=1
  fi
}
cd "$repo"
check "csv rep × product × month" "$work/plan.json" --by rep,product --period month --format csv
check "tsv rep × quarter" "$work/plan.json" --by rep --period quarter --format tsv
check "ndjson region × product (a shard without rows)" "$work/plan.json" --by region,product --format ndjson
check "csv where region" "$work/plan.json" --by rep --period month --where region=区域2 --format csv
check "csv sales-org example" examples/sales-org.json --by rep,product --period month --format csv
exit $status
