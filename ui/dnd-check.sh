#!/usr/bin/env bash
# The do-not-disturb check: while the session presents (a full-screen window) or an application holds a
# screensaver inhibitor, a restart notice that falls due becomes a quiet desktop notification; the notice comes
# when that ends. Runs the real oco-tray under Xvfb with openbox (a real window manager), trayer and dunst, on a
# private session bus where nobody owns org.freedesktop.ScreenSaver (so the tray serves it), against
# oco-control-stub with the demo [ui] settings (organisation, logo, message, links).
# Usage: ui/dnd-check.sh [build-dir] [screenshot-dir]
#   With a screenshot dir it writes dnd-notification.png (presenting: only the bubble) and notice-banner.png
#   (the notice afterwards, with the organisation's banner).
# Needs: xvfb xauth openbox xterm xdotool trayer dunst x11-utils imagemagick dbus (not needed by the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=$(realpath "${1:-build}")
SHOTS=${2:+$(realpath -m "$2")}
for tool in xvfb-run openbox xterm xdotool trayer dunst dunstctl xwininfo xprop import convert dbus-run-session; do
    command -v "$tool" >/dev/null || {
        echo "missing $tool: apt-get install xvfb xauth openbox xterm xdotool trayer dunst x11-utils imagemagick" >&2
        exit 1
    }
done
for bin in ui/oco-tray tests/oco-control-stub tests/oco-inhibit-helper; do
    [ -x "$BUILD/$bin" ] || { echo "build first: $BUILD/$bin" >&2; exit 1; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/inner.sh" <<'INNER'
set -euo pipefail
export XDG_CONFIG_HOME="$WORK/config" XDG_RUNTIME_DIR="$WORK/runtime" LANG=C.UTF-8 LC_ALL=C.UTF-8
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
[ -z "$SHOTS" ] || mkdir -p "$SHOTS"
SOCK="$WORK/control.sock" REQUESTS="$WORK/requests.log" TRAYLOG="$WORK/tray.log"
pids=()
cleanup() { exec 3>&- 2>/dev/null || true; exec 4>&- 2>/dev/null || true; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; import -window root "$WORK/failed.png" 2>/dev/null && echo "screen at failure: kept in $WORK" >&2; tail -5 "$TRAYLOG" >&2; trap - EXIT; cleanup; exit 1; }
waitfor() { for _ in $(seq 100); do eval "$1" && return; sleep 0.1; done; return 1; }
notice() { xdotool search --onlyvisible --name '^Restart scheduled$' 2>/dev/null | head -1; }
busy_said() { grep -c "\"type\":\"session_busy\".*\"busy\":$1\|\"busy\":$1.*\"type\":\"session_busy\"" "$REQUESTS" || true; }
bubbles() { dunstctl count displayed 2>/dev/null || echo 0; }
shot() { [ -z "$SHOTS" ] || { import -window "$1" "$SHOTS/$2.png" && convert "$SHOTS/$2.png" -colors 256 "PNG8:$SHOTS/$2.png" && echo "wrote $SHOTS/$2.png"; }; }

xsetroot -solid '#5a6f80' 2>/dev/null || true
openbox >/dev/null 2>&1 & pids+=($!)
waitfor 'xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q "window id"' || fail "openbox did not start"
trayer --edge top --align right --widthtype request --height 32 >/dev/null 2>&1 & pids+=($!)
dunst >/dev/null 2>&1 & pids+=($!)
waitfor 'xwininfo -root -tree | grep -q "(\"panel\" \"trayer\")"' || fail "trayer did not start"

# The organisation's logo, as the admin would put it in [ui] logo.
convert -size 120x48 xc:'#1f6fb2' -fill '#f5a623' -draw 'circle 24,24 24,8' -fill white \
    -draw 'rectangle 52,14 110,20' -draw 'rectangle 52,28 96,34' "$WORK/logo.png"
mkfifo "$WORK/commands"
"$BUILD/tests/oco-control-stub" --idle --commands --print-requests --admin-voice "$WORK/logo.png" "$SOCK" \
    < "$WORK/commands" > "$REQUESTS" & pids+=($!)
exec 3> "$WORK/commands"
waitfor '[ -S "$SOCK" ]' || fail "the stub did not listen"
"$BUILD/ui/oco-tray" --socket "$SOCK" > "$TRAYLOG" 2>&1 & pids+=($!)
waitfor 'grep -q welcomed "$REQUESTS"' || fail "the tray did not connect"
waitfor 'dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.ScreenSaver | grep -q "boolean true"' \
    || fail "the tray did not take org.freedesktop.ScreenSaver on a bus where nobody had it"

## 1. Presenting: a full-screen window is active when the restart falls due.
xterm -fullscreen -title 'Quarterly review - Impress' -fa Monospace -fs 28 -bg '#202a44' -fg white \
    -e sh -c 'printf "\n\n   Quarterly review\n\n   Slide 3 of 12: numbers\n"; exec sleep 1000' & SLIDES=$!; pids+=($SLIDES)
waitfor 'xdotool search --onlyvisible --name "^Quarterly review" >/dev/null' || fail "no full-screen window"
WIN=$(xdotool search --onlyvisible --name '^Quarterly review' | head -1)
xdotool windowactivate --sync "$WIN"
waitfor 'xprop -id "$WIN" _NET_WM_STATE | grep -q FULLSCREEN' || fail "the window is not full screen"
waitfor '[ "$(busy_said true)" -ge 1 ]' || fail "the tray did not notice the full-screen window"
echo "presenting: the tray says busy"
BEFORE=$(bubbles)
echo pending >&3
waitfor '[ "$(bubbles)" -gt "$BEFORE" ]' || fail "no quiet notification while presenting"
sleep 0.5 # the bubble is drawn
shot root dnd-notification
# The bubble came; the notice must not have: give it the same chance it gets when nobody is busy.
waitfor '[ -n "$(notice)" ]' && fail "the restart notice appeared over the presentation"
echo "presenting: a notification, no notice"
kill "$SLIDES"
waitfor '[ -n "$(notice)" ]' || fail "the notice did not come when the presentation ended"
waitfor '[ "$(busy_said false)" -ge 1 ]' || fail "the tray did not say the session is free again"
echo "presentation over: the notice is shown"
sleep 0.5 # let the window manager finish placing it before the picture
shot "$(notice)" notice-banner
echo idle >&3
waitfor '[ -z "$(notice)" ]' || fail "the notice stayed after the restart was cancelled"
dunstctl close-all

## 2. A held inhibitor (a video call in a browser, a presentation program).
mkfifo "$WORK/inhibit"
"$BUILD/tests/oco-inhibit-helper" "Video call" "call in progress" < "$WORK/inhibit" > "$WORK/cookie" & INHIBIT=$!; pids+=($INHIBIT)
exec 4> "$WORK/inhibit"
waitfor '[ -s "$WORK/cookie" ]' || fail "Inhibit was not answered"
waitfor '[ "$(busy_said true)" -ge 2 ]' || fail "the tray did not notice the inhibitor"
echo "inhibitor held: the tray says busy"
BEFORE=$(bubbles)
echo pending >&3
waitfor '[ "$(bubbles)" -gt "$BEFORE" ]' || fail "no quiet notification while the inhibitor is held"
waitfor '[ -n "$(notice)" ]' && fail "the restart notice appeared during the call"
echo "inhibitor held: a notification, no notice"
exec 4>&- # the helper calls UnInhibit and leaves
waitfor '[ -n "$(notice)" ]' || fail "the notice did not come when the inhibitor was released"
waitfor '[ "$(busy_said false)" -ge 2 ]' || fail "the tray did not say the session is free again"
echo "inhibitor released: the notice is shown"

## 3. The final countdown is never held back.
echo idle >&3
waitfor '[ -z "$(notice)" ]' || fail "the notice stayed"
xterm -fullscreen -title 'Quarterly review - Impress' -e sleep 1000 & SLIDES=$!; pids+=($SLIDES)
waitfor 'xdotool search --onlyvisible --name "^Quarterly review" >/dev/null' || fail "no full-screen window"
xdotool windowactivate --sync "$(xdotool search --onlyvisible --name '^Quarterly review' | head -1)"
waitfor '[ "$(busy_said true)" -ge 3 ]' || fail "the tray did not notice the full-screen window"
echo final >&3
waitfor 'xdotool search --onlyvisible --name "^Restart in " >/dev/null' || fail "the final countdown was held back"
echo "presenting: the final countdown shows anyway"
echo "PASS"
INNER

WORK="$WORK" BUILD="$BUILD" SHOTS="$SHOTS" xvfb-run -a -s "-screen 0 1280x800x24" \
    dbus-run-session -- bash "$WORK/inner.sh"
