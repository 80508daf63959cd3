#!/usr/bin/env bash
# Takes the README screenshots of oco-tray under Xvfb with a real tray host (trayer) and notification daemon
# (dunst), against the control-socket stub serving a demo state. Writes PNGs to resources/screenshots/.
# Usage: ui/screenshots.sh [build-dir]
# Needs: xvfb xauth trayer dunst imagemagick x11-utils xdotool dbus (only for this script, not for the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=$(realpath "${1:-build}")
OUT=$(realpath -m resources/screenshots)
for tool in xvfb-run trayer dunst import xdotool xwininfo dbus-run-session; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install xvfb xauth trayer dunst imagemagick x11-utils xdotool" >&2; exit 1; }
done
[ -x "$BUILD/ui/oco-tray" ] && [ -x "$BUILD/tests/oco-control-stub" ] || { echo "build first: $BUILD/ui/oco-tray" >&2; exit 1; }
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/inner.sh" <<'INNER'
set -euo pipefail
export XDG_CONFIG_HOME="$WORK/config" XDG_RUNTIME_DIR="$WORK/runtime" LANG=C.UTF-8 LC_ALL=C.UTF-8
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
SOCK="$WORK/control.sock"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
# Waits until a visible window with this exact title exists; prints its id.
window() { for _ in $(seq 100); do id=$(xdotool search --onlyvisible --name "^$1\$" 2>/dev/null | head -1) && [ -n "$id" ] && { echo "$id"; return; }; sleep 0.1; done; echo "no window '$1'" >&2; return 1; }
shot() { import -window "$1" "$OUT/$2.png"; echo "wrote $OUT/$2.png"; }
stub() { "$BUILD/tests/oco-control-stub" "$@" "$SOCK" & STUB=$!; pids+=("$STUB"); for _ in $(seq 50); do [ -S "$SOCK" ] && return; sleep 0.1; done; }

xsetroot -solid '#5a6f80' 2>/dev/null || true
trayer --edge top --align right --widthtype request --height 32 --tint 0xe8e8e8 --transparent true --alpha 0 \
    >/dev/null 2>&1 & pids+=($!)
dunst >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 50); do xwininfo -root -tree | grep -q '("panel" "trayer")' && break; sleep 0.1; done

stub
"$BUILD/ui/oco-tray" --socket "$SOCK" & pids+=($!)
# 1. The restart notice pops up by itself (and a desktop notification).
NOTICE=$(window "Restart scheduled")
sleep 1.5
shot "$NOTICE" notice
import -window root -crop 420x120+860+0 "$OUT/notification.png"
xdotool windowunmap "$NOTICE"

# 2. The tray icon's menu (right click on the icon in the panel).
read -r X Y < <(xwininfo -root -tree | awk '/"oco-tray": \("oco-tray" "oco-tray"\)/ && /22x|24x|32x/ {split($NF,a,"+"); print a[2]+10, a[3]+12; exit}')
xdotool mousemove "$X" "$Y" click 3
sleep 1
import -window root -crop 360x260+920+0 "$OUT/tray-menu.png"
xdotool key Escape
sleep 0.3

# 3. The window's pages and the settings dialog (a second oco-tray forwards --open to the running one).
for page in overview inventory jobs log; do
    "$BUILD/ui/oco-tray" --socket "$SOCK" --open "$page"
    WIN=$(window "OCO Agent")
    sleep 1
    shot "$WIN" "window-$page"
done
xdotool windowunmap "$WIN"
"$BUILD/ui/oco-tray" --socket "$SOCK" --open settings
SETTINGS=$(window "OCO Agent Settings")
sleep 1
shot "$SETTINGS" settings
xdotool windowunmap "$SETTINGS"

# 4. The final countdown: the service restarts with the deadline minutes away.
kill "$STUB"; wait "$STUB" 2>/dev/null || true
stub --final
NOTICE=$(window "Restart in .*")
sleep 2
shot "$NOTICE" notice-final
INNER
WORK="$WORK" OUT="$OUT" BUILD="$BUILD" xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash "$WORK/inner.sh"
