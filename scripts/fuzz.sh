#!/usr/bin/env bash
# Coverage-guided fuzzing of the plan reader, the CSV-weight reader, the sheet naming and actuals on
# standard input with libFuzzer (Debian's clang).
# Usage: scripts/fuzz.sh [SECONDS_EACH=600]
# The fuzzers run side by side; new inputs are merged into tests/fuzz/corpus/{plan,csv,names,actuals}
# (commit them), and crashes land in build-fuzz/crashes/ — copy each into the corpus once fixed, so that
# the replay tests (ctest -R fuzz.replay) keep them fixed.
set -euo pipefail
seconds=${1:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
command -v clang++ >/dev/null || apt-get install -y --no-install-recommends clang
CC=clang CXX=clang++ cmake -S "$root" -B "$root/build-fuzz" -DTGT_FUZZ=ON -DTGT_BUILD_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root/build-fuzz" -j2 --target fuzz_plan fuzz_csv fuzz_names fuzz_actuals
mkdir -p "$root/build-fuzz/crashes" "$root"/build-fuzz/new/{plan,csv,names,actuals}
pids=()
for t in plan csv names actuals; do
    (cd "$root/build-fuzz" && ./fuzz_$t -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=8192 -artifact_prefix="$root/build-fuzz/crashes/$t-" -print_final_stats=1 \
        "$root/build-fuzz/new/$t" "$root/tests/fuzz/corpus/$t" >"$root/build-fuzz/fuzz_$t.log" 2>&1) &
    pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
for t in plan csv names actuals; do
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "$root/build-fuzz/fuzz_$t.log" | tail -3 | sed "s/^/$t: /"
    # Keep the corpus small: only inputs that add coverage.
    (cd "$root/build-fuzz" && ./fuzz_$t -merge=1 "$root/tests/fuzz/corpus/$t" "$root/build-fuzz/new/$t" >/dev/null 2>&1)
done
ls "$root/build-fuzz/crashes" | sed 's/^/crash: /'
exit $status
