#!/usr/bin/env bash
# oco-tray start-up and memory: time from process start to the icon embedded in a real tray host (trayer
# under Xvfb), and the resident memory idle and with the window open. Repeats RUNS times; prints medians.
# Usage: bench/tray/run.sh [build-dir] [runs]   (use a RelWithDebInfo/Release build)
# Needs: xvfb xauth trayer x11-utils xdotool dbus.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=$(realpath "${1:-build}")
RUNS=${2:-7}
for tool in xvfb-run trayer xwininfo xdotool dbus-run-session; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/inner.sh" <<'INNER'
set -euo pipefail
export XDG_CONFIG_HOME="$WORK/config" XDG_RUNTIME_DIR="$WORK/runtime" LANG=C.UTF-8 LC_ALL=C.UTF-8
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
SOCK="$WORK/control.sock"
trayer --edge top --align right --widthtype request --height 32 >/dev/null 2>&1 & TRAYER=$!
for _ in $(seq 50); do xwininfo -root -tree | grep -q '("panel" "trayer")' && break; sleep 0.1; done
# Idle state: connected, nothing pending (so no notice window opens by itself).
"$BUILD/tests/oco-control-stub" --idle "$SOCK" & STUB=$!
for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.05; done
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# The icon counts as shown once its window sits inside trayer's panel (no early-exiting grep: pipefail).
embedded() { xwininfo -root -tree | awk '/\("panel" "trayer"\)/ {p = NR} p && NR <= p + 6 && /"oco-tray": \("oco-tray"/ {f = 1} END {exit !f}'; }
for run in $(seq "$RUNS"); do
    rm -rf "$XDG_CONFIG_HOME"
    t0=$(date +%s%N)
    "$BUILD/ui/oco-tray" --socket "$SOCK" & APP=$!
    for _ in $(seq 2000); do embedded && break; sleep 0.005; done
    embedded || { echo "the icon never appeared in the tray" >&2; exit 1; }
    t1=$(date +%s%N)
    sleep 3
    idle=$(rss "$APP")
    "$BUILD/ui/oco-tray" --socket "$SOCK" --open inventory
    for _ in $(seq 200); do xdotool search --onlyvisible --name '^OCO Agent$' >/dev/null 2>&1 && break; sleep 0.05; done
    sleep 2
    open=$(rss "$APP")
    echo "$(( (t1 - t0) / 1000000 )) $idle $open"
    kill "$APP"; wait "$APP" 2>/dev/null || true
    sleep 0.5
done
kill "$STUB" "$TRAYER"; wait 2>/dev/null || true
INNER
WORK="$WORK" BUILD="$BUILD" RUNS="$RUNS" xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash "$WORK/inner.sh" \
    2>"$WORK/log" > "$WORK/results" || { echo "the benchmark failed:" >&2; tail -20 "$WORK/log" >&2; exit 1; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "runs: $RUNS  build: $(grep -m1 CMAKE_BUILD_TYPE: "$BUILD/CMakeCache.txt" | cut -d= -f2)"
echo "per run (ms to icon, RSS idle KiB, RSS window open KiB):"
sed 's/^/  /' "$WORK/results"
echo "median start to icon: $(cut -d' ' -f1 "$WORK/results" | median) ms (target < 500)"
echo "median RSS idle:      $(( $(cut -d' ' -f2 "$WORK/results" | median | cut -d. -f1) / 1024 )) MiB (target < 40)"
echo "median RSS window:    $(( $(cut -d' ' -f3 "$WORK/results" | median | cut -d. -f1) / 1024 )) MiB"
