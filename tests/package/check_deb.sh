#!/usr/bin/env bash
# Builds the .deb with cpack and checks what it installs. Usage: check_deb.sh BUILD_DIR
set -euo pipefail
build=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$build" && cpack -G DEB -B "$out" >/dev/null)
deb=$(ls "$out"/tgt_*.deb)
contents=$(dpkg-deb -c "$deb")
for f in './usr/bin/tgt' './usr/include/tgt/plan.hpp' './usr/include/tgt/decompose.hpp' './usr/lib/(x86_64-linux-gnu/)?libtgt.a' \
         './usr/lib/(x86_64-linux-gnu/)?cmake/tgt/tgtConfig.cmake' './usr/share/tgt/plan.schema.json' \
         './usr/share/tgt/calendars/cn.json' \
         './usr/share/man/man1/tgt.1' './usr/share/bash-completion/completions/tgt' './usr/share/zsh/vendor-completions/_tgt'; do
    grep -Eq " $f\$" <<<"$contents" || { echo "missing from $deb: $f"; exit 1; }
done
dpkg-deb -f "$deb" Package Version Depends
echo "ok: $(basename "$deb")"
