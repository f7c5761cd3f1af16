#!/usr/bin/env bash
# Every unit test declared in tests/unit runs: the TEST_CASEs in the sources, the test cases the
# binary lists and the ctest entries catch_discover_tests registered (label "unit") must all be the
# same number. Catch2 2.13 cuts a test name at ';' when it registers it with ctest, so such a name
# becomes two entries that match nothing (ctest runs them with -w NoTests, so they fail; this
# check says why). A hidden test ([.] tag) or a macro this count does not know fails here too.
# Usage: tests/unit/check_count.sh BUILD_DIR [SOURCE_DIR]
set -euo pipefail
build=${1:?usage: check_count.sh BUILD_DIR [SOURCE_DIR]}
source_dir=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
binary="$build/tests/tgt_unit_tests"

fail() {
    echo "unit test count: $*" >&2
    exit 1
}

[[ -x $binary ]] || fail "$binary is not built"
# Macros that declare several test cases (templates) or none the way we count: extend the count first.
if grep -nE '\b(TEMPLATE_[A-Z_]*TEST_CASE|TEMPLATE_LIST_TEST_CASE|METHOD_AS_TEST_CASE|REGISTER_TEST_CASE)\b' \
    "$source_dir"/tests/unit/*.cpp; then
    fail "the sources use a test macro this check does not count (tests/unit/check_count.sh)"
fi

declared=$(cat "$source_dir"/tests/unit/*.cpp | grep -cE '^\s*(TEST_CASE|TEST_CASE_METHOD|SCENARIO|SCENARIO_METHOD)\(' || true)
listed=$("$binary" --list-test-names-only | grep -c . || true)
registered=$(ctest --test-dir "$build" -N -L '^unit$' | grep -cE '^\s*Test +#' || true)
semicolons=$("$binary" --list-test-names-only | grep ';' || true)

echo "unit tests: $declared declared, $listed listed by the binary, $registered registered with ctest"
[[ -z $semicolons ]] || fail "a test name contains ';' (ctest cuts it there): $semicolons"
[[ $declared -gt 0 ]] || fail "no TEST_CASE found in $source_dir/tests/unit"
[[ $declared -eq $listed ]] || fail "$declared declared but the binary lists $listed (a hidden [.] test, or a TEST_CASE this count missed)"
[[ $listed -eq $registered ]] || fail "the binary lists $listed but ctest has $registered entries (re-run cmake, or a name ctest cannot carry)"
