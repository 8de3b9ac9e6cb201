#!/usr/bin/env bash
# Window smoke test: starts the production binary under a private Xvfb on a
# fresh data folder (first-run setup done through the CLI), polls screenshots of its window (up to SMOKE_TIMEOUT s,
# default 90) until the Meterdesk shell is visibly rendered, and fails with the
# last screenshot and the app log otherwise.
#
#   tests/smoke/smoke.sh BIN [OUT.png]   # OUT: keep the window screenshot
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

bin=${1:?usage: smoke.sh BIN [OUT.png]}
out=${2:-}
timeout=${SMOKE_TIMEOUT:-90}

xvfb_start
seed_workspace "$bin"
app_start "$bin"
start=$SECONDS
geom=""
ok=""
while (( SECONDS - start < timeout )); do
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    echo "smoke: FAIL: meterdesk exited early; log:" >&2
    cat "$WORK_DIR/app.log" >&2
    exit 1
  fi
  if geom=$(app_window); then
    read -r _ x y w h <<<"$geom"
    if shot_window "$WORK_DIR/window.png" "$x" "$y" "$w" "$h" && rendered "$WORK_DIR/window.png"; then
      ok=1
      break
    fi
  fi
  sleep 0.5
done

if [[ -z "$ok" ]]; then
  keep=/tmp/meterdesk-smoke-failed.png
  [[ -f "$WORK_DIR/window.png" ]] && cp "$WORK_DIR/window.png" "$keep" || cp "$WORK_DIR/root.png" "$keep" 2>/dev/null || true
  echo "smoke: FAIL: no rendered Meterdesk window within ${timeout}s (window: ${geom:-none}); last screenshot: $keep" >&2
  RENDER_DEBUG=1 rendered "$WORK_DIR/window.png" 2>&1 || true
  echo "--- app log ---" >&2
  tail -n 60 "$WORK_DIR/app.log" >&2
  exit 1
fi

# Give fonts and late layout a moment so a kept screenshot looks finished.
if [[ -n "$out" ]]; then
  sleep 2
  read -r _ x y w h <<<"$(app_window)"
  shot_window "$WORK_DIR/window.png" "$x" "$y" "$w" "$h"
  mkdir -p "$(dirname "$out")"
  cp "$WORK_DIR/window.png" "$out"
  echo "smoke: saved $out"
fi
title=$(xwininfo -id "$(app_window | cut -d' ' -f1)" | sed -n 's/^xwininfo: Window id: [^ ]* "\(.*\)"$/\1/p')
echo "smoke: ok: window \"$title\" ${w}x${h} rendered the Meterdesk shell after $((SECONDS - start)) s"
