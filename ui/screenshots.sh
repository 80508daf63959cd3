#!/usr/bin/env bash
# Takes the README screenshots of oco-tray under Xvfb with a real window manager (openbox), tray host (trayer)
# and notification daemon (dunst), against the control-socket stub serving a demo state.
# The main set (English, 100 %, light) goes to resources/screenshots/; every variant of the screens that
# matter (English and German, 100 % and 200 %, light and dark) to resources/screenshots/variants/<lang>-<scale>-<theme>/.
# Usage: ui/screenshots.sh [build-dir] [variant ...]     variant: e.g. de-200-dark (default: all eight)
# Needs: xvfb xauth openbox trayer dunst imagemagick x11-utils xdotool dbus (not needed by the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=$(realpath "${1:-build}")
shift || true
ROOT=$(realpath -m resources/screenshots)
for tool in xvfb-run openbox trayer dunst import convert xdotool xwininfo dbus-run-session; do
    command -v "$tool" >/dev/null || {
        echo "missing $tool: apt-get install xvfb xauth openbox trayer dunst imagemagick x11-utils xdotool" >&2
        exit 1
    }
done
[ -x "$BUILD/ui/oco-tray" ] && [ -x "$BUILD/tests/oco-control-stub" ] || { echo "build first: $BUILD/ui/oco-tray" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/inner.sh" <<'INNER'
set -euo pipefail
export XDG_CONFIG_HOME="$WORK/config-$VARIANT" XDG_RUNTIME_DIR="$WORK/runtime-$VARIANT" LANG=C.UTF-8 LC_ALL=C.UTF-8
export QT_SCALE_FACTOR=$SCALE
mkdir -p "$XDG_RUNTIME_DIR" "$OUT" && chmod 700 "$XDG_RUNTIME_DIR"
SOCK="$WORK/control-$VARIANT.sock"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
# Waits until a visible window whose title matches exists; prints its id.
window() { for _ in $(seq 100); do id=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1) && [ -n "$id" ] && { echo "$id"; return; }; sleep 0.1; done; echo "no window '$1'" >&2; return 1; }
# A window's content, 8-bit palette to keep the file small.
shot() { import -window "$1" "$OUT/$2.png" && convert "$OUT/$2.png" -colors 256 "PNG8:$OUT/$2.png"; echo "wrote $OUT/$2.png"; }
crop() { import -window root -crop "$1" "$OUT/$2.png" && convert "$OUT/$2.png" +repage -colors 256 "PNG8:$OUT/$2.png"; echo "wrote $OUT/$2.png"; }
stub() { rm -f "$SOCK"; "$BUILD/tests/oco-control-stub" "$@" "$SOCK" & STUB=$!; pids+=("$STUB"); for _ in $(seq 50); do [ -S "$SOCK" ] && return; sleep 0.1; done; }
tray() { "$BUILD/ui/oco-tray" --socket "$SOCK" --language "$LANGUAGE" --palette "$THEME" "$@"; }
if [ "$LANGUAGE" = de ]; then
    T_NOTICE='^Neustart geplant$' T_FINAL='^Neustart in ' T_WINDOW='^OCO-Agent$' T_SETTINGS='^Einstellungen des OCO-Agenten$'
else
    T_NOTICE='^Restart scheduled$' T_FINAL='^Restart in ' T_WINDOW='^OCO Agent$' T_SETTINGS='^OCO Agent Settings$'
fi
S=$SCALE

if [ "$THEME" = dark ]; then BG='#1b2631' TINT=0x202326; else BG='#5a6f80' TINT=0xe8e8e8; fi
xsetroot -solid "$BG" 2>/dev/null || true # x11-xserver-utils, optional
openbox >/dev/null 2>&1 & pids+=($!)
trayer --edge top --align right --widthtype request --height $((32 * S)) --tint $TINT --transparent true --alpha 0 \
    >/dev/null 2>&1 & pids+=($!)
dunst >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 300); do xwininfo -root -tree | grep -q '("panel" "trayer")' && break; sleep 0.1; done
xwininfo -root -tree | grep -q '("panel" "trayer")' || { echo "trayer did not start" >&2; exit 1; }

stub
tray & pids+=($!)
# 1. The restart notice pops up by itself (and a desktop notification).
NOTICE=$(window "$T_NOTICE")
sleep 2
shot "$NOTICE" notice
[ "$MAIN" = 1 ] && crop 420x130+940+0 notification
xdotool windowunmap "$NOTICE"

# 2. The tray icon's menu (right click on the icon in the panel).
read -r X Y < <(xwininfo -root -tree | awk '/"oco-tray": \("oco-tray" "oco-tray"\)/ {split($(NF-1),s,"x"); if (s[1] < 100) {split($NF,a,"+"); print a[2]+s[1]/2, a[3]+s[2]/2; exit}}')
xdotool mousemove "$X" "$Y" click 3
sleep 1
W=$(xwininfo -root | awk '/Width:/ {print $2}')
crop "$((380 * S))x$((300 * S))+$((W - 380 * S))+0" tray-menu
xdotool key Escape
sleep 0.3

# 3. The window's pages and the settings dialog (a second oco-tray forwards --open to the running one).
for page in overview inventory log; do
    tray --open "$page"
    WIN=$(window "$T_WINDOW")
    sleep 1
    shot "$WIN" "window-$page"
done
[ "$MAIN" = 1 ] && { tray --open jobs; sleep 1; shot "$WIN" window-jobs; }
xdotool windowunmap "$WIN"
tray --open settings
SETTINGS=$(window "$T_SETTINGS")
sleep 1
shot "$SETTINGS" settings # an employee starts on "My preferences"
xdotool windowactivate --sync "$SETTINGS" key alt+c # "This computer"
sleep 0.5
shot "$SETTINGS" settings-machine
xdotool windowunmap "$SETTINGS"

# 4. The final countdown: the service restarts with the deadline minutes away.
kill "$STUB"; wait "$STUB" 2>/dev/null || true
stub --final
NOTICE=$(window "$T_FINAL")
sleep 2
shot "$NOTICE" notice-final

# 5. A restart that waits for the restart window, with a time of one's choosing.
kill "$STUB"; wait "$STUB" 2>/dev/null || true
stub --window
NOTICE=$(window "$T_NOTICE")
sleep 2
shot "$NOTICE" notice-window
INNER

VARIANTS=("$@")
[ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=(en-100-light en-100-dark en-200-light en-200-dark de-100-light de-100-dark de-200-light de-200-dark)
for v in "${VARIANTS[@]}"; do
    IFS=- read -r LANGUAGE PERCENT THEME <<<"$v"
    SCALE=$((PERCENT / 100))
    SCREEN=$([ "$SCALE" = 2 ] && echo 2732x1536 || echo 1366x768)
    MAIN=0 OUT="$ROOT/variants/$v"
    [ "$v" = en-100-light ] && MAIN=1 OUT="$ROOT"
    echo "== $v"
    # A shared machine can lose a display or a panel at start-up: try again before giving up.
    for try in 1 2 3; do
        WORK="$WORK" OUT="$OUT" BUILD="$BUILD" VARIANT="$v" LANGUAGE="$LANGUAGE" SCALE="$SCALE" THEME="$THEME" \
            MAIN="$MAIN" xvfb-run -a -s "-screen 0 ${SCREEN}x24" dbus-run-session -- bash "$WORK/inner.sh" && break
        [ "$try" = 3 ] && { echo "$v failed" >&2; exit 1; }
        echo "$v: trying again" >&2
    done
done
