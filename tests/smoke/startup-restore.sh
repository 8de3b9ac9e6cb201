#!/usr/bin/env bash
# Window test of the "cannot start" window's restore: the production binary,
# given a damaged database, offers "Restore a backup…", whose click (driven
# with xdotool) opens the native file dialog through the page's binding;
# cancelling it leaves the data folder exactly as it was. What follows a
# chosen file (the restore, the damaged file kept, the restart) is tested in
# main_test.go (TestStartupRestorePutsTheBackupInPlace); typing into GTK's
# file dialog is too timing-dependent for a test that must not flake.
#
#   tests/smoke/startup-restore.sh BIN
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

bin=${1:?usage: startup-restore.sh BIN}
timeout=${SMOKE_TIMEOUT:-90}

fail() {
  echo "startup-restore: FAIL: $*" >&2
  echo "--- app log ---" >&2
  cat "$WORK_DIR/app.log" >&2 || true
  exit 1
}

# wait_window NAME: prints the id of a window whose title is exactly NAME.
wait_window() {
  local start=$SECONDS id
  while (( SECONDS - start < timeout )); do
    id=$(xdotool search --name "^$1\$" 2>/dev/null | head -n1) || true
    if [[ -n "$id" ]]; then echo "$id"; return 0; fi
    sleep 0.3
  done
  return 1
}

xvfb_start
mkdir -p "$WORK_DIR/data"
printf 'this database is damaged\n' >"$WORK_DIR/data/meterdesk.db"
cp "$WORK_DIR/data/meterdesk.db" "$WORK_DIR/original.db"

app_start "$bin"
page=$(wait_window "Meterdesk — cannot start") || fail "no 'cannot start' window within ${timeout}s"
dialog=""
for attempt in 1 2 3; do # the page's script may wire the button a moment after the window shows
  sleep 1
  xdotool windowactivate --sync "$page" >/dev/null 2>&1 || true
  xdotool key Tab Return # the page's first control: Restore a backup…
  if dialog=$(timeout=10 wait_window "Restore the Meterdesk database from a backup"); then break; fi
done
[[ -n "$dialog" ]] || fail "Restore a backup… opened no file dialog"
xdotool windowactivate --sync "$dialog" >/dev/null 2>&1 || true
xdotool key Escape
for _ in $(seq 1 40); do
  xdotool search --name "^Restore the Meterdesk database from a backup\$" >/dev/null 2>&1 || break
  sleep 0.25
done
sleep 1
kill -0 "$APP_PID" 2>/dev/null || fail "the window closed after a cancelled choice"
cmp -s "$WORK_DIR/original.db" "$WORK_DIR/data/meterdesk.db" || fail "a cancelled restore changed the database"
ls "$WORK_DIR/data"/meterdesk.db.before-restore-* >/dev/null 2>&1 && fail "a cancelled restore moved the database aside"
echo "startup-restore: ok: the 'cannot start' window's Restore a backup… opens the file dialog; cancelling it changes nothing"
