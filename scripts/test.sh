#!/usr/bin/env bash
# The whole test suite, from a fresh clone: install what is missing, build with -Werror, run unit,
# property and golden tests, then again under AddressSanitizer + UndefinedBehaviorSanitizer, and
# check formatting. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
jobs=$(nproc 2>/dev/null || echo 2)

echo "== release build (-Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTGT_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
bash tests/unit/check_count.sh build  # every declared unit test is registered and runs

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTGT_SANITIZE=ON -DTGT_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"
bash tests/unit/check_count.sh build-asan

echo "== formatting (clang-format)"
files=$(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find src include tests -name '*.[ch]pp')
clang-format --dry-run -Werror $files
echo "== all passed"
