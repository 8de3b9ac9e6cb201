# Shared by tests/smoke/smoke.sh and scripts/bench-*.sh (source it; bash).
# Starts a private Xvfb and the production binary, finds the Meterdesk window,
# screenshots it with ImageMagick and decides whether the app really rendered.
#
# Exposed: xvfb_start, seed_workspace, app_start, app_window, shot_window, rendered,
#          descendants, cleanup_all. Everything started is killed by cleanup_all
#          (installed as an EXIT trap by xvfb_start).

CONVERT=${CONVERT:-/usr/bin/convert}   # the real ImageMagick, not a stand-in on PATH
IMPORT=${IMPORT:-/usr/bin/import}
SCREEN_GEOM=${SCREEN_GEOM:-1280x800x24}

XVFB_PID=""
APP_PID=""
WORK_DIR=""

cleanup_all() {
  if [[ -n "$APP_PID" ]]; then
    kill -TERM -- "-$APP_PID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=""
  fi
  if [[ -n "$XVFB_PID" ]]; then
    kill -TERM "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
    XVFB_PID=""
  fi
  if [[ -n "$WORK_DIR" && -z "${KEEP_WORK:-}" ]]; then
    rm -rf "$WORK_DIR"
  fi
}

# xvfb_start: picks a free display number, starts Xvfb on it, exports DISPLAY.
xvfb_start() {
  WORK_DIR=${WORK_DIR:-$(mktemp -d /tmp/meterdesk-x.XXXXXX)}
  trap cleanup_all EXIT
  trap 'exit 130' INT TERM
  local n
  for n in $(seq 90 140); do
    [[ -e "/tmp/.X$n-lock" || -e "/tmp/.X11-unix/X$n" ]] && continue
    Xvfb ":$n" -screen 0 "$SCREEN_GEOM" -nolisten tcp -noreset >"$WORK_DIR/xvfb.log" 2>&1 &
    XVFB_PID=$!
    local i
    for i in $(seq 1 50); do
      if [[ -e "/tmp/.X11-unix/X$n" ]] && xwininfo -root -display ":$n" >/dev/null 2>&1; then
        export DISPLAY=":$n"
        return 0
      fi
      kill -0 "$XVFB_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
    XVFB_PID=""
  done
  echo "could not start Xvfb" >&2
  return 1
}

# seed_workspace BIN: completes the first-run setup of $WORK_DIR/data through
# the CLI (one admin, so the window opens signed in on the app shell instead
# of the first-run wizard). SEED=0 skips it.
seed_workspace() {
  [[ "${SEED:-1}" == 1 ]] || return 0
  mkdir -p "$WORK_DIR/data"
  METERDESK_NEW_SECRET='correct horse battery' "$1" --data-dir "$WORK_DIR/data" workspace setup \
    --name "${SEED_NAME:-Acme Research}" --currency EUR --credit-value 0.01 --admin alice \
    >"$WORK_DIR/seed.log" 2>&1 </dev/null || { echo "workspace setup failed:" >&2; cat "$WORK_DIR/seed.log" >&2; return 1; }
}

# app_start BIN [args...]: starts the binary in its own process group on the
# data folder $WORK_DIR/data; output goes to $WORK_DIR/app.log.
app_start() {
  local bin=$1; shift
  mkdir -p "$WORK_DIR/data"
  setsid "$bin" --data-dir "$WORK_DIR/data" "$@" >"$WORK_DIR/app.log" 2>&1 </dev/null &
  APP_PID=$!
}

# app_window: prints "ID X Y W H" of the top-level window titled Meterdesk*.
app_window() {
  local id
  id=$(xwininfo -root -tree 2>/dev/null | awk '/"Meterdesk[^"]*":/ && $0 !~ /has no name/ {print $1; exit}') || true
  [[ -n "$id" ]] || return 1
  xwininfo -id "$id" 2>/dev/null | awk -v id="$id" '
    /Absolute upper-left X/ {x=$NF} /Absolute upper-left Y/ {y=$NF}
    /^ *Width:/ {w=$NF} /^ *Height:/ {h=$NF}
    /Map State:/ {m=$NF}
    END { if (m == "IsViewable" && w > 100 && h > 100) print id, x, y, w, h; else exit 1 }'
}

# shot_window OUT X Y W H: screenshot of the root window cropped to the app.
shot_window() {
  local out=$1 x=$2 y=$3 w=$4 h=$5
  "$IMPORT" -silent -window root "$WORK_DIR/root.png" 2>/dev/null || return 1
  "$CONVERT" "$WORK_DIR/root.png" -crop "${w}x${h}+${x}+${y}" +repage "$out"
}

# count_colour IMG GEOM COLOUR FUZZ: pixels in the region close to COLOUR.
count_colour() {
  "$CONVERT" "$1" -crop "$2" +repage -fuzz "$4" -fill black +opaque "$3" -fill white -opaque "$3" \
    -format '%[fx:round(mean*w*h)]' info: 2>/dev/null
}

# rendered IMG: succeeds when IMG (a window screenshot) shows the Meterdesk app
# shell: the sidebar (light #f7f7f9 or dark #1b1c21) down the left, the accent
# logo (#4f46e5 / #818cf8) at its top, and a picture that is not uniform.
# An empty window (background #f6f7f9 only), a WebKit error page or a blank
# frame fails. Prints what it measured to stderr when RENDER_DEBUG is set.
rendered() {
  local img=$1 w h
  read -r w h < <("$CONVERT" "$img" -format '%w %h' info:)
  (( w >= 400 && h >= 300 )) || return 1
  local top=$(( h / 4 ))
  # Left strip inside the sidebar (232 px wide), away from text as far as possible.
  local strip="8x$(( h / 2 ))+4+${top}"
  local strip_px=$(( 8 * (h / 2) ))
  local side_light side_dark accent_light accent_dark sd
  side_light=$(count_colour "$img" "$strip" '#f7f7f9' '1%')
  side_dark=$(count_colour "$img" "$strip" '#1b1c21' '1%')
  # Brand logo: a 32x32 accent square in the top-left corner of the web view.
  accent_light=$(count_colour "$img" "260x$(( h < 200 ? h : 200 ))+0+0" '#4f46e5' '8%')
  accent_dark=$(count_colour "$img" "260x$(( h < 200 ? h : 200 ))+0+0" '#818cf8' '8%')
  sd=$("$CONVERT" "$img" -colorspace Gray -format '%[fx:round(standard_deviation*1000)]' info:)
  [[ -n "${RENDER_DEBUG:-}" ]] && echo "rendered: ${w}x${h} sidebar(light=$side_light dark=$side_dark of $strip_px) accent(light=$accent_light dark=$accent_dark) sd=$sd" >&2
  local side=$(( side_light > side_dark ? side_light : side_dark ))
  local accent=$(( accent_light > accent_dark ? accent_light : accent_dark ))
  (( side * 10 >= strip_px * 8 )) && (( accent >= 300 )) && (( sd >= 20 ))
}

# descendants PID: PID and all its descendants, one per line.
descendants() {
  local p
  echo "$1"
  for p in $(pgrep -P "$1" 2>/dev/null); do descendants "$p"; done
}
