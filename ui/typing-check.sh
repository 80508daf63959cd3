#!/usr/bin/env bash
# The typing check: a person types a sentence into another window (xterm running `cat > FILE`) while a restart
# notice and then its final countdown appear. Passes when every character arrived in FILE, the keyboard stayed
# with xterm and the notice got no request through (no postpone, no restart). Runs under Xvfb with openbox, a
# real window manager, with trayer and dunst, against oco-control-stub.
# Usage: ui/typing-check.sh [build-dir] [screenshot.png]
# Needs: xvfb xauth openbox xterm xdotool trayer dunst x11-utils imagemagick dbus (not needed by the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=$(realpath "${1:-build}")
SHOT=${2:+$(realpath -m "$2")}
for tool in xvfb-run openbox xterm xdotool trayer dunst xwininfo xprop import dbus-run-session; do
    command -v "$tool" >/dev/null || {
        echo "missing $tool: apt-get install xvfb xauth openbox xterm xdotool trayer dunst x11-utils imagemagick" >&2
        exit 1
    }
done
[ -x "$BUILD/ui/oco-tray" ] && [ -x "$BUILD/tests/oco-control-stub" ] || { echo "build first: $BUILD/ui/oco-tray" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/inner.sh" <<'INNER'
set -euo pipefail
export XDG_CONFIG_HOME="$WORK/config" XDG_RUNTIME_DIR="$WORK/runtime" LANG=C.UTF-8 LC_ALL=C.UTF-8
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
SOCK="$WORK/control.sock" TYPED="$WORK/typed.txt" REQUESTS="$WORK/requests.log"
pids=()
cleanup() { exec 3>&- 2>/dev/null || true; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -z "$SHOT" ] || import -window root "$SHOT"; exit 1; }
# Waits (up to 10 s) until a visible window whose title matches exists; prints its id.
window() { for _ in $(seq 100); do id=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1) && [ -n "$id" ] && { echo "$id"; return; }; sleep 0.1; done; return 1; }
# The final countdown: a visible notice the window manager keeps above the others.
ontop_notice() { for id in $(xdotool search --onlyvisible --name '^Restart' 2>/dev/null); do xprop -id "$id" _NET_WM_STATE 2>/dev/null | grep -q ABOVE && { echo "$id"; return 0; }; done; return 1; }
waitfor() { for _ in $(seq 100); do eval "$1" && return; sleep 0.1; done; return 1; }

openbox >/dev/null 2>&1 & pids+=($!)
waitfor 'xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q "window id"' || fail "openbox did not start"
trayer --edge top --align right --widthtype request --height 32 >/dev/null 2>&1 & pids+=($!)
dunst >/dev/null 2>&1 & pids+=($!)
waitfor 'xwininfo -root -tree | grep -q "(\"panel\" \"trayer\")"' || fail "trayer did not start"

# The stub takes state changes on stdin (a fifo kept open on fd 3) and prints what it receives.
mkfifo "$WORK/commands"
"$BUILD/tests/oco-control-stub" --idle --commands --print-requests "$SOCK" < "$WORK/commands" > "$REQUESTS" &
pids+=($!)
exec 3> "$WORK/commands"
waitfor '[ -S "$SOCK" ]' || fail "the stub did not listen"
"$BUILD/ui/oco-tray" --socket "$SOCK" >/dev/null 2>&1 & pids+=($!)
waitfor 'grep -q welcomed "$REQUESTS"' || fail "the tray did not connect"

# The person's window: everything typed there ends up in $TYPED.
xterm -title typing-target -geometry 100x20+40+200 -e sh -c "cat > '$TYPED'" & pids+=($!)
XTERM=$(window '^typing-target$') || fail "no xterm"
xdotool windowactivate --sync "$XTERM"
waitfor '[ "$(xdotool getwindowfocus)" = "$XTERM" ]' || fail "xterm did not get the focus"

# Spaces and Enter-like keys are the dangerous ones: plenty of both, typed at a person's pace.
SENTENCE="Dear team, the quarterly report is attached. Please check the numbers on page 3 and reply by Friday - thanks! n N y Y"
xdotool type --delay 90 "$SENTENCE" & TYPER=$!
sleep 2 # the scenario: the restart is scheduled while the person is in the middle of a sentence
echo pending >&3
NOTICE=$(window '^Restart') || fail "no restart notice visible (none appeared, or typing hid it)"
kill -0 "$TYPER" 2>/dev/null || fail "typing ended before the notice appeared; type a longer sentence"
echo "notice appeared while typing"
sleep 2
echo final >&3
waitfor 'ontop_notice >/dev/null' || fail "no final countdown (a notice kept on top)"
kill -0 "$TYPER" 2>/dev/null || fail "typing ended before the final countdown appeared; type a longer sentence"
echo "final countdown appeared while typing"
wait "$TYPER"
FOCUS=$(xdotool getwindowfocus)
[ -z "$SHOT" ] || import -window root "$SHOT"
# Enter ends the line, Ctrl+D ends cat (the focus was checked to be on xterm).
xdotool key Return ctrl+d
waitfor '! kill -0 $(pgrep -f "cat > $TYPED" || echo 0) 2>/dev/null' || true
waitfor '[ -s "$TYPED" ]' || fail "nothing arrived in xterm"

ARRIVED=$(tr -d '\n' < "$TYPED")
echo "typed:   ${#SENTENCE} characters"
echo "arrived: ${#ARRIVED} characters"
PRESSED=$(grep -cE '"type":"(postpone|power_now|cancel_power)"' "$REQUESTS" || true)
echo "requests from the notice (postpone, restart now): $PRESSED"
[ "$FOCUS" = "$XTERM" ] || fail "the keyboard focus left xterm (now on $(xdotool getwindowname "$FOCUS" 2>/dev/null))"
[ "$ARRIVED" = "$SENTENCE" ] || fail "characters were lost: '$ARRIVED'"
[ "$PRESSED" = 0 ] || fail "a button of the notice was pressed: $(grep -E 'postpone|power_now' "$REQUESTS")"
xdotool search --onlyvisible --name '^Restart' >/dev/null || fail "the notice was hidden by typing"
echo "PASS: every character arrived, the focus stayed in xterm, no button was pressed"
INNER
WORK="$WORK" SHOT="$SHOT" BUILD="$BUILD" xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- bash "$WORK/inner.sh"
