#!/usr/bin/env bash
# Soak run: oco-agent in daemon mode with a very short interval against oco-test-server --soak for a
# bounded time (thousands of cycles with jobs and inventory), then an idle phase with a long interval.
# Usage: bench/soak/run.sh [seconds=120] [query-interval=0.1]
# Environment: OCO_BUILD_DIR (default build-soak, configured RelWithDebInfo like CI), SOAK_NO_BUILD=1, SOAK_JOB_EVERY (a new
# job every N-th contact, default 5), SOAK_INVENTORY_EVERY (seconds, default 10), SOAK_IDLE_SECONDS (60).
# Prints figures from /proc: RSS, peak RSS, open fds and threads at the start and the end of the busy
# phase, then idle RSS, CPU time and context switches (all threads) between cycles.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-120}
INTERVAL=${2:-0.1}
BUILD=${OCO_BUILD_DIR:-build-soak}
JOB_EVERY=${SOAK_JOB_EVERY:-5}
INVENTORY_EVERY=${SOAK_INVENTORY_EVERY:-10}
IDLE=${SOAK_IDLE_SECONDS:-60}

if [ -z "${SOAK_NO_BUILD:-}" ]; then # SOAK_NO_BUILD=1: use the binaries already in $BUILD
    cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOCO_BUILD_TRAY=OFF >/dev/null
    cmake --build "$BUILD" --target oco-agent oco-test-server -- -j"${OCO_JOBS:-2}" >/dev/null
fi
AGENT="$BUILD/app/oco-agent"
SERVER="$BUILD/tests/server/oco-test-server"

work=$(mktemp -d /tmp/oco-soak-XXXXXX)
server_pid=""
agent_pid=""
cleanup() {
    [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
}
trap cleanup EXIT

"$SERVER" --soak "$JOB_EVERY" --inventory-every "$INVENTORY_EVERY" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q '^listening' "$work/server.log" && break; sleep 0.1; done
api=$(sed -n 's/^listening: api-url = \([^,]*\), payload-url = \(.*\)$/\1/p' "$work/server.log")
payload=$(sed -n 's/^listening: api-url = \([^,]*\), payload-url = \(.*\)$/\2/p' "$work/server.log")

config() { # $1 = query interval
    cat >"$work/oco-agent.ini" <<INI
[agent]
debug = 0
query-interval = $1
agent-key = ernesto
read-timeout = 30

[server]
api-url = $api
payload-url = $payload
server-key =
protocol = 2021
INI
}

kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$agent_pid/status"; }
fds() { find "/proc/$agent_pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$agent_pid/stat"; }
switches() { # voluntary + involuntary, summed over all threads
    cat /proc/"$agent_pid"/task/*/status 2>/dev/null |
        awk '/^voluntary_ctxt_switches/ { v += $2 } /^nonvoluntary_ctxt_switches/ { n += $2 } END { print v " " n }'
}
snapshot() {
    echo "$1: RSS $(kib VmRSS) KiB (anonymous $(kib RssAnon), file $(kib RssFile)), peak RSS $(kib VmHWM) KiB," \
        "PSS $(awk '/^Pss:/ { print $2 }' "/proc/$agent_pid/smaps_rollup") KiB, fds $(fds), threads $(kib Threads)"
}
cycles() { tail -n 1 "$work/server.log"; }

echo "== busy phase: query-interval $INTERVAL s for $DURATION s (a job every $JOB_EVERY contacts, inventory every $INVENTORY_EVERY s)"
config "$INTERVAL"
"$AGENT" --daemon --config "$work/oco-agent.ini" --state-dir "$work/state" 2>"$work/agent.log" &
agent_pid=$!
sleep 10
snapshot "start (10 s)"
samples="$work/samples.csv"
echo "seconds,rss_kib,anon_kib,fds,threads" >"$samples"
t=10
while [ "$t" -lt "$DURATION" ]; do
    step=$((DURATION - t < 10 ? DURATION - t : 10))
    sleep "$step"
    t=$((t + step))
    kill -0 "$agent_pid" || { echo "the agent died"; tail -20 "$work/agent.log"; exit 1; }
    echo "$t,$(kib VmRSS),$(kib RssAnon),$(fds),$(kib Threads)" >>"$samples"
done
snapshot "end ($DURATION s)"
sleep 10.5 # the server's summary line comes every 10 s
echo "server: $(cycles)"
col() { tail -n +2 "$samples" | cut -d, -f"$1" | sort -n; }
echo "samples (every 10 s): RSS min $(col 2 | head -1) max $(col 2 | tail -1) KiB; anonymous min $(col 3 | head -1)" \
    "max $(col 3 | tail -1) KiB; fds seen $(col 4 | uniq | tr '\n' ' '); threads seen $(col 5 | uniq | tr '\n' ' ')"
echo "agent log: $(grep -c ' ERROR ' "$work/agent.log" || true) ERROR lines, $(grep -c ' WARNING ' "$work/agent.log" || true) WARNING lines"
grep -E ' (ERROR|WARNING) ' "$work/agent.log" | sed 's/^[^ ]* //' | sort | uniq -c | sort -rn | head -5 || true
kill "$agent_pid"
wait "$agent_pid" || true
agent_pid=""

echo "== idle phase: query-interval 3600 s, measured for $IDLE s after the first cycle"
# Same config (the agent stored its own key in it), only the interval changes.
sed -i 's/^query-interval = .*/query-interval = 3600/' "$work/oco-agent.ini"
"$AGENT" --daemon --config "$work/oco-agent.ini" --state-dir "$work/state" 2>"$work/agent-idle.log" &
agent_pid=$!
for _ in $(seq 300); do grep -q 'server answered' "$work/agent-idle.log" && break; sleep 0.1; done
grep -q 'server answered' "$work/agent-idle.log" || { echo "the idle agent's first cycle failed:"; cat "$work/agent-idle.log"; exit 1; }
sleep 5 # the first cycle (a pending job, maybe inventory) is over
snapshot "idle"
c0=$(cpu_ticks)
read -r v0 n0 <<<"$(switches)"
sleep "$IDLE"
c1=$(cpu_ticks)
read -r v1 n1 <<<"$(switches)"
snapshot "idle after $IDLE s"
hz=$(getconf CLK_TCK)
echo "idle CPU: $((c1 - c0)) ticks of 1/$hz s in $IDLE s; context switches (all threads): voluntary $((v1 - v0)), involuntary $((n1 - n0))"
echo "logs and samples: $work"
