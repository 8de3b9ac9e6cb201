#!/usr/bin/env bash
# Generates frontend/wailsjs/go (typed JS/TS wrappers of the bound Go structs)
# and frontend/wailsjs/runtime (Wails' runtime JS package) exactly as
# `wails generate module` does, without the wails CLI (v2.9.2 cannot build a
# go 1.26 module): build the app with tag `bindings`, then run it in the
# project root, where it reads wails.json and writes the files itself
# (wails internal/app/app_bindings.go).
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$GO" build -tags bindings,webkit2_41 -o "$tmp/wailsbindings" .
# tsprefix/tssuffix/tsoutputtype are read from the environment first, as the
# CLI passes them. A throwaway data folder keeps the real one untouched in case
# main opens it before handing over to Wails.
if ! env tsprefix= tssuffix= tsoutputtype= "$tmp/wailsbindings" --data-dir "$tmp/data" >"$tmp/log" 2>&1; then
  cat "$tmp/log" >&2
  exit 1
fi
test -f frontend/wailsjs/runtime/runtime.js
echo "bindings: wrote frontend/wailsjs/go and frontend/wailsjs/runtime"
