#!/usr/bin/env bash
# Installs what tgt needs to build and test on Debian 12, skipping what is already there.
# Run as root (or with sudo). Safe to run again.
set -euo pipefail
packages=(g++ cmake make libcli11-dev nlohmann-json3-dev libfmt-dev catch2 libxlsxwriter-dev libminizip-dev libexpat1-dev)
if [ "${1:-}" = "--test" ]; then
  # style check; schema test (python3-jsonschema); the .deb test (dpkg-dev and file for cpack's shlibdeps);
  # split.shards_parallel (GNU parallel)
  packages+=(clang-format python3 python3-jsonschema dpkg-dev file groff-base zsh parallel)
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
# The named packages that are not installed yet.
not_installed() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}
mapfile -t missing < <(not_installed "${packages[@]}")
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  updated=1
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The real checkers: headless Chromium renders the HTML sheets and progress report (screenshot, PDF
# page count) with Noto CJK glyphs, LibreOffice and openpyxl open the .xlsx outputs. Their tests skip
# without them, so a failed install is no failure; TGT_NO_CHECKERS=1 leaves them out.
if [ "${1:-}" = "--test" ] && [ -z "${TGT_NO_CHECKERS:-}" ]; then
  mapfile -t checkers < <(not_installed chromium fonts-noto-cjk libreoffice-calc-nogui python3-openpyxl)
  if [ ${#checkers[@]} -gt 0 ]; then
    echo "setup: installing the checkers ${checkers[*]}" >&2
    [ -n "${updated:-}" ] || $SUDO apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${checkers[@]}" >/dev/null 2>&1 ||
      echo "setup: could not install ${checkers[*]}; the browser and spreadsheet checks will be skipped" >&2
  fi
fi
# Ajv (npm) judges the plan schema in strict mode in the schema.ajv test, which skips without it;
# a failed install is no failure. (calendar.chinese_days installs its own pinned package.)
if [ "${1:-}" = "--test" ] && command -v npm >/dev/null 2>&1; then
  prefix="${TGT_NPM_PREFIX:-$HOME/.cache/tgt-npm}"
  if [ ! -d "$prefix/node_modules/ajv" ]; then
    mkdir -p "$prefix"
    npm install --silent --no-audit --no-fund --prefix "$prefix" ajv@8 >/dev/null 2>&1 ||
      echo "setup: npm could not install ajv; the schema.ajv test will be skipped" >&2
  fi
fi
