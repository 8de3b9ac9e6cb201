#!/usr/bin/env bash
# Idle memory of the whole app process tree (meterdesk + WebKit's web and
# network processes) as PSS, summed from /proc/<pid>/smaps_rollup: shared
# library pages are split between the processes that map them, so the sum is
# what the app really costs (RSS would count shared pages once per process).
# Measured after the window rendered and IDLE_SECONDS (default 10) of idling.
#   scripts/bench-memory.sh [build/bin/meterdesk]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-build/bin/meterdesk}")
idle=${IDLE_SECONDS:-10}
source "$root/tests/smoke/lib.sh"

xvfb_start
seed_workspace "$bin"
app_start "$bin"
start=$SECONDS
until geom=$(app_window) && read -r _ x y w h <<<"$geom" && shot_window "$WORK_DIR/w.png" "$x" "$y" "$w" "$h" && rendered "$WORK_DIR/w.png"; do
  (( SECONDS - start < 60 )) || { echo "bench-memory: window never rendered" >&2; tail -30 "$WORK_DIR/app.log" >&2; exit 1; }
  sleep 0.3
done
sleep "$idle"

total=0
lines=()
for pid in $(descendants "$APP_PID"); do
  [[ -r /proc/$pid/smaps_rollup ]] || continue
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
  rss=$(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup")
  name=$(tr -d '\0' <"/proc/$pid/comm")
  [[ -n "$pss" ]] || continue
  total=$((total + pss))
  lines+=("$(printf '  %-22s pid %-7s PSS %7.1f MiB  (RSS %7.1f MiB)' "$name" "$pid" "$(awk -v k="$pss" 'BEGIN{print k/1024}')" "$(awk -v k="$rss" 'BEGIN{print k/1024}')")")
done
printf '%s\n' "${lines[@]}"
echo "bench-memory: idle PSS of the app process tree after ${idle} s: $(awk -v k="$total" 'BEGIN{printf "%.1f", k/1024}') MiB (${#lines[@]} processes)"
