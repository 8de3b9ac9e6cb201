#!/usr/bin/env bash
# Cold start to first rendered frame: for each run a new Xvfb and a new empty
# data folder, start the production binary and poll window screenshots until
# the Meterdesk shell is visible (tests/smoke/lib.sh `rendered`). Reports each
# run and the median, in milliseconds. The poll itself (import + convert) takes
# ~100-200 ms, which bounds the resolution.
#   scripts/bench-startup.sh [build/bin/meterdesk] [runs=5]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-build/bin/meterdesk}")
runs=${2:-${BENCH_RUNS:-5}}
timeout_s=${BENCH_TIMEOUT:-60}

times=()
for i in $(seq 1 "$runs"); do
  ms=$(
    source "$root/tests/smoke/lib.sh"
    xvfb_start
    seed_workspace "$bin" >&2 || { echo "seed"; exit 0; }
    t0=$(date +%s%N)
    app_start "$bin"
    while :; do
      now=$(date +%s%N)
      if (( (now - t0) / 1000000000 > timeout_s )); then echo "timeout"; exit 0; fi
      kill -0 "$APP_PID" 2>/dev/null || { echo "exited"; exit 0; }
      if geom=$(app_window); then
        read -r _ x y w h <<<"$geom"
        if shot_window "$WORK_DIR/w.png" "$x" "$y" "$w" "$h" && rendered "$WORK_DIR/w.png"; then
          # time of the screenshot, not of the analysis that followed it
          echo $(( (now - t0) / 1000000 ))
          exit 0
        fi
      fi
      sleep 0.05
    done
  )
  if ! [[ "$ms" =~ ^[0-9]+$ ]]; then
    echo "bench-startup: run $i failed ($ms)" >&2
    exit 1
  fi
  echo "bench-startup: run $i: ${ms} ms"
  times+=("$ms")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}')
echo "bench-startup: cold start to first rendered frame, median of $runs: ${median} ms (runs: ${times[*]})"
