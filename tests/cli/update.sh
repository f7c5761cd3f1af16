#!/usr/bin/env bash
# Refreshes the expected output of golden cases (all, or those named): review with `git diff`.
# Usage: tests/cli/update.sh BUILD_DIR/tgt [case-name…]
set -eu
bin=$(realpath "$1"); shift
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then set -- $(ls "$here/cases"); fi
for c in "$@"; do UPDATE=1 "$here/run_case.sh" "$bin" "$here/cases/$c"; echo "updated $c"; done
