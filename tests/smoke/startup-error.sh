#!/usr/bin/env bash
# Window test of a bad data folder: the production binary, given a damaged
# database file, must say why in a window ("Meterdesk — cannot start", the
# reason on the page) and on stderr, and leave the file byte-for-byte as it
# was.
#
#   tests/smoke/startup-error.sh BIN
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

bin=${1:?usage: startup-error.sh BIN}
timeout=${SMOKE_TIMEOUT:-90}

xvfb_start
mkdir -p "$WORK_DIR/data"
printf 'this is not a database, and it must stay exactly like this\n' >"$WORK_DIR/data/meterdesk.db"
cp "$WORK_DIR/data/meterdesk.db" "$WORK_DIR/original.db"
app_start "$bin"
start=$SECONDS
ok=""
title=""
while (( SECONDS - start < timeout )); do
  if geom=$(app_window); then
    read -r id x y w h <<<"$geom"
    title=$(xwininfo -id "$id" | sed -n 's/^xwininfo: Window id: [^ ]* "\(.*\)"$/\1/p')
    if [[ "$title" == *"cannot start"* ]] && shot_window "$WORK_DIR/window.png" "$x" "$y" "$w" "$h"; then
      sd=$("$CONVERT" "$WORK_DIR/window.png" -colorspace Gray -format '%[fx:round(standard_deviation*1000)]' info:)
      if (( sd >= 20 )); then # text on the page, not a blank frame
        ok=1
        break
      fi
    fi
  fi
  if ! kill -0 "$APP_PID" 2>/dev/null; then break; fi
  sleep 0.5
done

fail() {
  echo "startup-error: FAIL: $*" >&2
  echo "--- app log ---" >&2
  cat "$WORK_DIR/app.log" >&2
  exit 1
}
[[ -n "$ok" ]] || fail "no 'cannot start' window within ${timeout}s (last title: ${title:-none})"
grep -q "damaged" "$WORK_DIR/app.log" || fail "stderr does not explain the damaged database"
cmp -s "$WORK_DIR/original.db" "$WORK_DIR/data/meterdesk.db" || fail "the database file was modified"
for f in "$WORK_DIR/data/meterdesk.db-wal" "$WORK_DIR/data/meterdesk.db-shm"; do
  [[ ! -e "$f" ]] || fail "$(basename "$f") was created next to the refused database"
done
echo "startup-error: ok: window \"$title\" explained the damaged database; the file is untouched"
