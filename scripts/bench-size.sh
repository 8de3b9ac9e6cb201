#!/usr/bin/env bash
# Binary size of the release build (-ldflags "-s -w", tags
# desktop,production,webkit2_41), raw and gzip -9, plus the embedded frontend.
#   scripts/bench-size.sh [build/bin/meterdesk]
set -euo pipefail
bin=${1:-build/bin/meterdesk}
raw=$(stat -c %s "$bin")
gz=$(gzip -9 -c "$bin" | wc -c)
dist=$(du -sb frontend/dist 2>/dev/null | cut -f1 || echo 0)
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "bench-size: binary $(mib "$raw") ($raw bytes), gzip -9 $(mib "$gz"), frontend/dist $(mib "$dist")"
