#!/usr/bin/env bash
# Runs one golden case: CASE/cmd is a shell snippet using $TGT, run from the repository root with
# the environment pinned; its stdout, stderr and exit code must equal CASE/stdout, CASE/stderr
# and CASE/exit. With UPDATE=1 the expectations are rewritten instead (review them with git diff).
set -u
tgt_bin=$1
case_dir=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$repo"
# A case whose folder holds a file "needs-root" runs only as root (mknod, chown); otherwise ctest
# reports it as skipped (exit 77), never as passed.
if [ -f "$case_dir/needs-root" ] && [ "$(id -u)" != 0 ]; then
  echo "skipped: $(basename "$case_dir") needs root"
  exit 77
fi
export TGT="$tgt_bin" NO_COLOR=1 TZ=UTC COLUMNS=80 LC_ALL=C.UTF-8 TMPDIR="$work"
stdin=/dev/null
[ -f "$case_dir/stdin" ] && stdin="$case_dir/stdin"
bash -c "$(cat "$case_dir/cmd")" <"$stdin" >"$work/stdout" 2>"$work/stderr"
echo $? >"$work/exit"
# Paths of temp files differ run to run; show them as $TMPDIR.
sed -i "s|$work|\$TMPDIR|g" "$work/stdout" "$work/stderr"
if [ "${UPDATE:-0}" = 1 ]; then
  cp "$work/stdout" "$work/stderr" "$work/exit" "$case_dir/"
  exit 0
fi
status=0
for f in stdout stderr exit; do
  if ! diff -u "$case_dir/$f" "$work/$f" >"$work/diff"; then
    echo "golden mismatch in $case_dir/$f:"
    cat "$work/diff"
    status=1
  fi
done
exit $status
