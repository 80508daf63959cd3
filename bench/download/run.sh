#!/usr/bin/env bash
# Download benchmark: a package of SIZE_MIB (default 1024) MiB over loopback from oco-test-server, fetched by
# curl and by oco-agent (a real job: download, extraction, procedure) in the same run, RUNS times (default 5)
# alternating. Prints each run and the medians: throughput of both, their ratio, the agent's peak RSS.
# Usage: bench/download/run.sh [BUILD_DIR]   (a Release build: cmake -DCMAKE_BUILD_TYPE=Release)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build-release}
SIZE_MIB=${SIZE_MIB:-1024}
RUNS=${RUNS:-5}
AGENT=$BUILD/app/oco-agent
SERVER=$BUILD/tests/server/oco-test-server
[ -x "$AGENT" ] && [ -x "$SERVER" ] || { echo "build $AGENT and $SERVER first" >&2; exit 2; }
command -v curl >/dev/null && command -v zip >/dev/null || { echo "needs curl and zip" >&2; exit 2; }

WORK=$(mktemp -d /var/tmp/oco-bench.XXXXXX)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

echo "== making a ${SIZE_MIB} MiB package (stored, so it is ${SIZE_MIB} MiB on the wire)"
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$WORK/payload.bin"
(cd "$WORK" && zip -q -0 package.zip payload.bin && rm payload.bin)
BYTES=$(stat -c %s "$WORK/package.zip")
KEY=benchkey00000000000000000000000

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

for i in $(seq "$RUNS"); do
    # A fresh server per run: the job is pending again, nothing is cached in it.
    rm -f "$WORK/server.out" "$WORK/rss.txt"
    "$SERVER" --port 0 --quiet --computer "bench:$KEY" --package "1=$WORK/package.zip" \
        --job "bench:$i:1:grep VmHWM /proc/\$PPID/status > $WORK/rss.txt" > "$WORK/server.out" &
    SERVER_PID=$!
    for _ in $(seq 100); do grep -q '^listening' "$WORK/server.out" 2>/dev/null && break; sleep 0.05; done
    grep -q '^listening' "$WORK/server.out" || { echo "the test server did not start" >&2; exit 1; }
    API=$(sed -n 's/^listening: api-url = \(.*\), payload-url = .*/\1/p' "$WORK/server.out")
    PAYLOAD=$(sed -n 's/.*payload-url = \(.*\)$/\1/p' "$WORK/server.out")

    curl_run() {
        curl -sS --fail -o "$WORK/curl.zip" -w '%{size_download} %{time_total}\n' \
            "$PAYLOAD?hostname=bench&agent-key=$KEY&id=1&resumable=1" > "$WORK/curl.txt"
        rm -f "$WORK/curl.zip"
        awk '{printf "%.1f\n", $1 / $2 / 1048576}' "$WORK/curl.txt"
    }
    agent_run() {
        rm -rf "$WORK/state"
        printf '[agent]\ndebug = 0\nagent-key = %s\n[server]\napi-url = %s\npayload-url = %s\nprotocol = 2021\n' \
            "$KEY" "$API" "$PAYLOAD" > "$WORK/agent.ini"
        OCO_HOSTNAME=bench "$AGENT" --config "$WORK/agent.ini" --state-dir "$WORK/state" --once 2> "$WORK/agent.log"
        sed -n 's/.*downloaded \([0-9]*\) bytes in \([0-9.]*\) s.*/\1 \2/p' "$WORK/agent.log" |
            awk '{printf "%.1f\n", $1 / $2 / 1048576}'
    }
    # Alternate who goes first so neither always gets the warmer page cache.
    if [ $((i % 2)) = 1 ]; then C=$(curl_run); A=$(agent_run); else A=$(agent_run); C=$(curl_run); fi
    [ -n "$A" ] && [ -s "$WORK/rss.txt" ] || { echo "the agent run failed:" >&2; cat "$WORK/agent.log" >&2; exit 1; }
    RSS=$(awk '{print $2}' "$WORK/rss.txt")
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
    echo "run $i: curl $C MiB/s, agent $A MiB/s, agent peak RSS $RSS KiB"
    echo "$C" >> "$WORK/c"; echo "$A" >> "$WORK/a"; echo "$RSS" >> "$WORK/r"
done
MC=$(median < "$WORK/c"); MA=$(median < "$WORK/a"); MR=$(median < "$WORK/r")
echo "== ${SIZE_MIB} MiB package ($BYTES bytes), medians of $RUNS runs"
echo "curl:  $MC MiB/s"
echo "agent: $MA MiB/s ($(awk -v a="$MA" -v c="$MC" 'BEGIN {printf "%.0f", 100 * a / c}')% of curl)"
echo "agent peak RSS (VmHWM, whole job incl. extraction): $MR KiB ($(awk -v r="$MR" 'BEGIN {printf "%.1f", r / 1024}') MiB)"
