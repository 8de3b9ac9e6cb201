#!/usr/bin/env bash
# Installs the Debian packages Meterdesk needs to build and test, but only the
# ones that are missing: a machine that has them all does no apt work at all.
# Runs as root directly, or through sudo as a normal user. Non-interactive.
#
#   scripts/install-apt.sh            # build + test packages
#   scripts/install-apt.sh --build    # only what `make build` / `make run` need
set -euo pipefail

build_pkgs=(gcc pkg-config make libgtk-3-dev libwebkit2gtk-4.1-dev)
test_pkgs=(xvfb xauth x11-utils xdotool chromium poppler-utils imagemagick procps util-linux)

pkgs=("${build_pkgs[@]}")
if [[ "${1:-}" != "--build" ]]; then
  pkgs+=("${test_pkgs[@]}")
fi

missing=()
for p in "${pkgs[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-apt: installing missing packages: ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-apt: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" </dev/null
