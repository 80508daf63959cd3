#!/usr/bin/env bash
# Steady-state idle memory of `oco-agent --daemon` next to the official Python agent's service mode, measured
# in the same run, plus the floor: a bare Qt 6 Core + Network program (floor.cpp) that listens on a local
# socket, makes one HTTP GET and idles.
#
#   OCO_AGENT_PY_SRC=/tmp/oco-agent-py bench/idle/run.sh [REPETITIONS]      (default 3)
#
# Environment:
#   OCO_AGENT_PY_SRC  the official agent's sources, v1.2.0 (required; this script downloads nothing):
#                       git clone https://github.com/schorschii/OCO-Agent /tmp/oco-agent-py
#                       git -C /tmp/oco-agent-py checkout 8ce8846        (tag v1.2.0)
#                     Keep them outside this repository.
#   OCO_AGENT_BIN     our binary (default build/app/oco-agent below the repository root)
#   OCO_TEST_SERVER   the test server (default build/tests/server/oco-test-server)
#   PYTHON            Debian's interpreter with the packaged modules (default /usr/bin/python3):
#                       apt-get install python3-requests python3-psutil python3-netifaces python3-distro \
#                           python3-usb python3-dnspython python3-pycryptodome
#   OCO_IDLE_SECONDS  how long each process is sampled while idle (default 30)
#   OCO_IDLE_EVERY    seconds between two samples (default 2)
#   OCO_IDLE_BUILD    where floor.cpp is built (default build-idle/ below the repository root)
#   OCO_JOBS          parallel build jobs for the floor program (default 1)
#
# Each repetition starts each of the three afresh, one at a time (the order rotates), each against its own
# `oco-test-server --dialect current`. A first cycle is: hello with the key hand-over, an inventory upload
# and one software job (download, unpack, run). Once the process has finished it and been quiet (no context
# switch in any thread) for 2 s, its server is stopped, and after 2 more quiet seconds the process is sampled
# every OCO_IDLE_EVERY s for OCO_IDLE_SECONDS s: /proc/PID/status and /proc/PID/smaps_rollup, plus CPU ticks
# and context switches over the whole window. Running one process at a time keeps the shared library pages
# of one out of the PSS and USS of another. Figures are medians over the samples, then over the repetitions.
# Run it as root, as the services run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
reps=${1:-3}
agent_src_bin=${OCO_AGENT_BIN:-$repo/build/app/oco-agent}
server_src_bin=${OCO_TEST_SERVER:-$repo/build/tests/server/oco-test-server}
python=${PYTHON:-/usr/bin/python3}
py_src=${OCO_AGENT_PY_SRC:-}
idle_secs=${OCO_IDLE_SECONDS:-30}
every=${OCO_IDLE_EVERY:-2}
floor_build=${OCO_IDLE_BUILD:-$repo/build-idle}
quiet_ms=2000         # "idle": no context switch in any thread for this long
cycle_timeout=180     # seconds a first cycle may take (the official inventory runs apt, dmidecode, ...)
# The log line each process prints at the end of its first cycle (then it must be quiet for 2 s). If our
# agent's wording changes, change it here.
ours_done='job 1 succeeded'
official_done='Running in daemon mode'
floor_done='^floor: HTTP'

die() {
    echo "run.sh: $*" >&2
    exit 1
}
usage() { # the comment block at the top, then $1
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
    [ -z "${1:-}" ] || echo "run.sh: $1" >&2
    exit 2
}
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || usage
[[ "$idle_secs" =~ ^[1-9][0-9]*$ && "$every" =~ ^[1-9][0-9]*$ ]] || die "OCO_IDLE_SECONDS and OCO_IDLE_EVERY must be whole seconds"
if [ -z "$py_src" ] || [ ! -f "$py_src/oco_agent/oco_agent.py" ]; then
    usage "set OCO_AGENT_PY_SRC to the official agent's sources (see above)"
fi
py_src=$(cd "$py_src" && pwd)
[ -x "$agent_src_bin" ] || die "$agent_src_bin is not built (set OCO_AGENT_BIN)"
[ -x "$server_src_bin" ] || die "$server_src_bin is not built (set OCO_TEST_SERVER)"
if ! "$python" -c 'import requests, psutil, netifaces, distro, usb.core, dns.resolver' 2>/dev/null ||
    ! { "$python" -c 'import Crypto.Cipher.AES' 2>/dev/null || "$python" -c 'import Cryptodome.Cipher.AES' 2>/dev/null; }; then
    die "$python lacks modules the official agent imports; apt-get install python3-requests python3-psutil" \
        "python3-netifaces python3-distro python3-usb python3-dnspython python3-pycryptodome"
fi
py_version=$(sed -n "s/^__version__ *= *'\(.*\)'/\1/p" "$py_src/oco_agent/__init__.py")
[ "$py_version" = "1.2.0" ] || echo "run.sh: warning: the official sources are version '$py_version', not 1.2.0" >&2

# --- the floor program (incremental; outside git: build*/ is ignored)
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
[ -f "$floor_build/CMakeCache.txt" ] || cmake -S "$here" -B "$floor_build" "${generator[@]}" >/dev/null
cmake --build "$floor_build" -j"${OCO_JOBS:-1}" >/dev/null || die "building floor.cpp failed (cmake --build $floor_build)"
floor_bin=$floor_build/idle-floor

# --- scratch directory; the binaries are copied so that a rebuild during the run cannot mix two versions
work=$(mktemp -d /tmp/oco-idle-XXXXXX)
mkdir -p "$work/bin"
cp "$agent_src_bin" "$work/bin/oco-agent"
cp "$server_src_bin" "$work/bin/oco-test-server"
cp "$floor_bin" "$work/bin/idle-floor"
# The service's helpers (package extraction, sessions) are found next to it.
for helper in oco-agent-unpack oco-agent-session; do
    [ -x "$(dirname "$agent_src_bin")/$helper" ] || die "$helper is not built next to $agent_src_bin"
    cp "$(dirname "$agent_src_bin")/$helper" "$work/bin/$helper"
done
# Written back now: pages of a fresh copy not yet on disk would count as Private_Dirty while it runs.
sync "$work/bin/"*
agent_bin=$work/bin/oco-agent
server_bin=$work/bin/oco-test-server
floor_bin=$work/bin/idle-floor

server_pid=""
proc_pid=""
alive() { # $1 pid: running and not a zombie
    local s
    s=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$s" ] && [ "$s" != Z ]
}
stop() { # $1 pid: SIGTERM, up to 10 s, then SIGKILL; reaps it
    local pid=$1
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    stop "$proc_pid"
    stop "$server_pid"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }
sleep_ms() { [ "$1" -le 0 ] || sleep "$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))"; }
switches() { # $1 pid: "voluntary involuntary", summed over all threads
    { cat /proc/"$1"/task/*/status 2>/dev/null || true; } |
        awk '/^voluntary_ctxt_switches/ { v += $2 } /^nonvoluntary_ctxt_switches/ { n += $2 } END { print v + 0, n + 0 }'
}
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime of all threads, 1/CLK_TCK s
wait_line() { # $1 pid $2 file $3 extended regex [$4 regex of failure]: polls until a line matches $3;
    # fails if the process ends first, or a line matches $4
    local deadline=$(($(now_ms) + cycle_timeout * 1000))
    while ! grep -qE "$3" "$2" 2>/dev/null; do
        alive "$1" || return 1
        [ -z "${4:-}" ] || ! grep -qE "$4" "$2" 2>/dev/null || return 1
        [ "$(now_ms)" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}
wait_quiet() { # $1 pid: polls until no thread of it has been switched in for quiet_ms (at most 60 s);
    # sets quiet_since (ms) to when that quiet period began
    local pid=$1 last cur t since deadline
    last=$(switches "$pid")
    since=$(now_ms)
    deadline=$((since + 60000))
    while :; do
        sleep 0.2
        alive "$pid" || return 1
        cur=$(switches "$pid")
        t=$(now_ms)
        if [ "$cur" != "$last" ]; then
            last=$cur
            since=$t
        elif [ $((t - since)) -ge "$quiet_ms" ]; then
            quiet_since=$since
            return 0
        fi
        [ "$t" -lt "$deadline" ] || return 1
    done
}
sample() { # $1 pid: VmRSS RssAnon RssFile RssShmem PSS USS Threads Private_Dirty (KiB)
    awk '$1 == "VmRSS:" { r = $2 } $1 == "RssAnon:" { a = $2 } $1 == "RssFile:" { f = $2 } $1 == "RssShmem:" { s = $2 }
         $1 == "Threads:" { th = $2 } $1 == "Pss:" { p = $2 } $1 == "Private_Clean:" { u += $2 }
         $1 == "Private_Dirty:" { u += $2; pd = $2 }
         END { print r, a, f, s, p, u, th, pd }' "/proc/$1/status" "/proc/$1/smaps_rollup"
}
top_mappings() { # $1 pid: the mapped files (and anonymous memory) by resident size, summed per name
    awk '/^[0-9a-f]+-[0-9a-f]+ / { name = "[anonymous]"; if (NF >= 6) { name = $6; for (i = 7; i <= NF; ++i) name = name " " $i }; next }
         $1 == "Rss:" { rss[name] += $2 } $1 == "Pss:" { pss[name] += $2 }
         $1 == "Private_Clean:" || $1 == "Private_Dirty:" { priv[name] += $2 }
         END { for (n in rss) if (rss[n] > 0) printf "%7d %7d %7d  %s\n", rss[n], pss[n], priv[n], n }' "/proc/$1/smaps" |
        sort -rn
}
sharers() { # $1 pid $2 file: how many other processes map that file now (they lower its PSS and USS)
    { grep -lF -- "$2" /proc/[0-9]*/maps 2>/dev/null || true; } | { grep -vc "^/proc/$1/maps$" || true; }
}

host=$(uname -n)
host=${host%%.*}
# The package of the one job: install.sh leaves a file named by its argument, so we know it really ran.
mkdir -p "$work/package"
# shellcheck disable=SC2016 # $1 is for the job's shell
printf '#!/bin/sh\necho "idle benchmark job ran" > "$1"\n' >"$work/package/install.sh"
(cd "$work/package" && "$python" -c 'import zipfile; z = zipfile.ZipFile("../package.zip", "w"); z.write("install.sh"); z.close()')
# The official agent runs from sources: compile them once, as an installed agent would ship them.
"$python" -m compileall -q "$py_src/oco_agent" >/dev/null || true

start_server() { # $1 run dir: sets server_pid and api
    "$server_bin" --dialect current --computer "$host:" --package "1=$work/package.zip" \
        --job "$host:1:1:sh install.sh $1/job-ran" >"$1/server.log" 2>&1 &
    server_pid=$!
    wait_line "$server_pid" "$1/server.log" '^listening' || die "the test server did not start: $(cat "$1/server.log")"
    api=$(sed -n 's/^listening: api-url = \([^,]*\),.*/\1/p' "$1/server.log")
}
write_config() { # $1 run dir $2 kind: the official agent's keys; ours adds its protocol and socket
    {
        echo "[agent]"
        echo "debug = 0"
        echo "query-interval = 3600"
        echo "connection-timeout = 5"
        echo "read-timeout = 150"
        echo "agent-key = ernesto"
        [ "$2" = official ] || echo "control-socket = $1/control.sock"
        echo
        echo "[server]"
        echo "api-url = $api"
        echo "server-key ="
        [ "$2" = official ] || echo "protocol = current"
    } >"$1/oco-agent.ini"
}
check_first_cycle() { # $1 run dir $2 kind: the server answered everything with 200 and the job really ran
    local d=$1
    if [ "$2" = floor ]; then
        grep -qE '^floor: HTTP [1-9]' "$d/process.log" || die "floor: no HTTP reply (see $d)"
        return 0
    fi
    for m in oco.agent.hello oco.agent.update oco.agent.download oco.agent.update_job_state; do
        grep -qx "$m -> 200" "$d/server.log" || die "$2: the server never answered $m with 200 (see $d/server.log)"
    done
    ! grep -E ' -> ' "$d/server.log" | grep -vq ' -> 200$' || die "$2: the server refused requests: $(grep -v ' -> 200$' "$d/server.log")"
    [ -f "$d/job-ran" ] || die "$2: the job's procedure did not run (see $d/process.log)"
    ! grep -q '^agent-key = ernesto$' "$d/oco-agent.ini" || die "$2: the agent key handed over was not stored"
    grep -qE '^server-key = .+' "$d/oco-agent.ini" || die "$2: the server key was not stored"
    if [ "$2" = ours ]; then
        ! grep -qE ' (ERROR|FATAL) ' "$d/process.log" || die "ours logged errors: $(grep -E ' (ERROR|FATAL) ' "$d/process.log")"
    else
        ! grep -q 'Traceback' "$d/process.log" || die "official: a traceback in its log (see $d/process.log)"
    fi
}

samples=$work/samples.tsv # rep kind t VmRSS RssAnon RssFile RssShmem PSS USS Threads Private_Dirty
runs=$work/runs.tsv       # rep kind first-cycle-ms ticks vol-switches invol-switches sharers
: >"$samples"
: >"$runs"
n_samples=$((idle_secs / every + 1))

measure() { # $1 kind $2 repetition
    local kind=$1 rep=$2 d marker failure='' t0 t1 c0 c1 v0 n0 v1 n1 start i key
    d=$work/$kind-$rep
    mkdir -p "$d/state" "$d/tmp"
    start_server "$d"
    t0=$(now_ms)
    case $kind in
    ours)
        write_config "$d" ours
        "$agent_bin" --daemon --force --config "$d/oco-agent.ini" --state-dir "$d/state" >"$d/process.log" 2>&1 &
        marker=$ours_done
        failure=' (ERROR|FATAL) '
        ;;
    official)
        write_config "$d" official
        # PYTHONUNBUFFERED: its log lines reach the file as they are printed, not when a buffer is full.
        TMPDIR=$d/tmp PYTHONUNBUFFERED=1 "$python" "$here/official_agent.py" "$py_src" "$d/state" \
            --daemon --force --config "$d/oco-agent.ini" >"$d/process.log" 2>&1 &
        marker=$official_done
        failure='Traceback'
        ;;
    floor)
        "$floor_bin" "$d/floor.sock" "$api" >"$d/process.log" 2>&1 &
        marker=$floor_done
        ;;
    esac
    proc_pid=$!
    wait_line "$proc_pid" "$d/process.log" "$marker" "$failure" ||
        die "$kind: the first cycle did not end (no line matching '$marker'); log:$(echo; tail -n 20 "$d/process.log")"
    wait_quiet "$proc_pid" || die "$kind never became idle after its first cycle (see $d)"
    t1=$quiet_since
    stop "$server_pid"
    server_pid=""
    check_first_cycle "$d" "$kind"
    wait_quiet "$proc_pid" || die "$kind never became idle after its server left (see $d)"

    c0=$(ticks "$proc_pid")
    read -r v0 n0 <<<"$(switches "$proc_pid")"
    start=$(now_ms)
    for ((i = 0; i < n_samples; ++i)); do
        sleep_ms $((start + i * every * 1000 - $(now_ms)))
        alive "$proc_pid" || die "$kind ended while idle (see $d)"
        echo "$rep $kind $((i * every)) $(sample "$proc_pid")" >>"$samples"
    done
    c1=$(ticks "$proc_pid")
    read -r v1 n1 <<<"$(switches "$proc_pid")"
    top_mappings "$proc_pid" >"$d/top-mappings.txt"
    tr '\n' ' ' <<<"$(cat /proc/"$proc_pid"/task/*/comm)" >"$d/threads.txt"
    if [ "$kind" = official ]; then
        key=$(readlink "/proc/$proc_pid/exe")
    else
        key=$(awk '/libQt6Core\.so/ { print $6; exit }' "/proc/$proc_pid/maps")
    fi
    echo "$rep $kind $((t1 - t0)) $((c1 - c0)) $((v1 - v0)) $((n1 - n0)) $(sharers "$proc_pid" "$key")" >>"$runs"
    stop "$proc_pid"
    proc_pid=""
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
kinds=(ours official floor)

echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $(nproc) CPUs, $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)," \
    "$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release), load $(cut -d' ' -f1-3 /proc/loadavg)"
cache=$(dirname "$agent_src_bin")/../CMakeCache.txt # where the binary came from, when it is a CMake build
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$cache" 2>/dev/null || true)
source_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache" 2>/dev/null || true)
source_rev="source unknown"
if [ -n "$source_dir" ] && rev=$(git -C "$source_dir" rev-parse --short HEAD 2>/dev/null); then
    git -C "$source_dir" diff --quiet HEAD -- 2>/dev/null || rev="$rev plus uncommitted changes"
    source_rev="source $source_dir at $rev"
fi
echo "ours:     $agent_src_bin ($("$agent_bin" --version 2>/dev/null | head -n1), ${build_type:-build type unknown}, $source_rev,"
echo "          sha256 $(sha256sum "$agent_bin" | cut -c1-12), built $(date -u -r "$agent_src_bin" '+%Y-%m-%d %H:%M UTC'))"
py_rev=$(git -C "$py_src" describe --tags --always 2>/dev/null || echo "not a git tree")
echo "official: $py_src (version $py_version, $py_rev) on $("$python" --version 2>&1) ($python)"
echo "floor:    bench/idle/floor.cpp, Qt $(dpkg-query -W -f='${Version}' libqt6core6 2>/dev/null || echo '?')"
echo "plan:     $reps repetitions x 3 processes, one at a time; $n_samples samples every $every s per process" \
    "(about $((reps * 3 * (idle_secs + 8) / 60 + 1)) min); scratch: $work"
began=$(date +%s)
for ((rep = 1; rep <= reps; ++rep)); do
    for ((k = 0; k < 3; ++k)); do
        kind=${kinds[$(((rep - 1 + k) % 3))]}
        printf '  repetition %d: %-8s ' "$rep" "$kind"
        measure "$kind" "$rep"
        awk -v r="$rep" -v k="$kind" '$1 == r && $2 == k { print "first cycle done after " $3 " ms" }' "$runs"
    done
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg); took $(($(date +%s) - began)) s"

# --- per run: medians over its samples; then medians over the runs
col() { awk -v r="$1" -v k="$2" -v c="$3" '$1 == r && $2 == k { print $c }' "$samples" | median; }
permedian=$work/per-run.tsv # rep kind VmRSS RssAnon RssFile PSS USS Threads Private_Dirty minRSS maxRSS
: >"$permedian"
for ((rep = 1; rep <= reps; ++rep)); do
    for kind in "${kinds[@]}"; do
        rss_range=$(awk -v r="$rep" -v k="$kind" '$1 == r && $2 == k { print $4 }' "$samples" | sort -n | sed -n '1p;$p' | tr '\n' ' ')
        echo "$rep $kind $(col "$rep" "$kind" 4) $(col "$rep" "$kind" 5) $(col "$rep" "$kind" 6) $(col "$rep" "$kind" 8)" \
            "$(col "$rep" "$kind" 9) $(col "$rep" "$kind" 10) $(col "$rep" "$kind" 11) $rss_range" >>"$permedian"
    done
done
echo
echo "Per run (KiB; medians of the $n_samples samples; RSS range = lowest..highest sample; CPU and switches over $idle_secs s idle;"
echo "sharers = other processes mapping the same Qt Core library / Python interpreter at the end):"
printf '  %-3s %-9s %8s %8s %8s %8s %8s %15s %6s %12s %7s %11s %7s\n' run process VmRSS RssAnon RssFile PSS USS "RSS range" ticks "switches v/i" threads "first cycle" sharers
for ((rep = 1; rep <= reps; ++rep)); do
    for kind in "${kinds[@]}"; do
        read -r _ _ rss anon file pss uss threads _ lo hi <<<"$(awk -v r="$rep" -v k="$kind" '$1 == r && $2 == k' "$permedian")"
        read -r _ _ ms tk vs ns sh <<<"$(awk -v r="$rep" -v k="$kind" '$1 == r && $2 == k' "$runs")"
        printf '  %-3s %-9s %8s %8s %8s %8s %8s %15s %6s %12s %7s %10.1fs %7s\n' "$rep" "$kind" "$rss" "$anon" "$file" "$pss" "$uss" \
            "$lo..$hi" "$tk" "$vs/$ns" "$threads" "$(awk -v m="$ms" 'BEGIN { print m / 1000 }')" "$sh"
    done
done

overall() { awk -v k="$1" -v c="$2" '$2 == k { print $c }' "$3" | median | awk '{ printf "%.0f\n", $1 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f (%d %%)", a / b, a / b * 100 + 0.5; else print "-" }'; }
echo
echo "Idle memory, median of $reps runs (each the median of $n_samples samples over $idle_secs s), KiB:"
printf '  %-28s %9s %9s %9s %16s %11s\n' figure ours official floor ours/official ours-floor
for spec in "VmRSS:3" "RssAnon:4" "RssFile:5" "PSS (smaps_rollup):6" "USS (Private_Clean+Dirty):7" "  of which Private_Dirty:9"; do
    name=${spec%:*}
    c=${spec##*:}
    o=$(overall ours "$c" "$permedian")
    p=$(overall official "$c" "$permedian")
    f=$(overall floor "$c" "$permedian")
    printf '  %-28s %9s %9s %9s %16s %11s\n' "$name" "$o" "$p" "$f" "$(ratio "$o" "$p")" "$(awk -v a="$o" -v b="$f" 'BEGIN { print a - b }')"
done
printf '  %-28s %9s %9s %9s\n' "threads" "$(overall ours 8 "$permedian")" "$(overall official 8 "$permedian")" "$(overall floor 8 "$permedian")"
hz=$(getconf CLK_TCK)
echo "Idle activity over $idle_secs s (median of $reps runs):"
printf '  %-28s %9s %9s %9s\n' "CPU ticks (1/$hz s)" "$(overall ours 4 "$runs")" "$(overall official 4 "$runs")" "$(overall floor 4 "$runs")"
printf '  %-28s %9s %9s %9s\n' "context switches, voluntary" "$(overall ours 5 "$runs")" "$(overall official 5 "$runs")" "$(overall floor 5 "$runs")"
printf '  %-28s %9s %9s %9s\n' "context switches, involuntary" "$(overall ours 6 "$runs")" "$(overall official 6 "$runs")" "$(overall floor 6 "$runs")"
seconds() { awk -v k="$1" '$2 == k { print $3 }' "$runs" | median | awk '{ printf "%.2f s\n", $1 / 1000 }'; }
printf '  %-28s %9s %9s %9s\n' "start to end of first cycle" "$(seconds ours)" "$(seconds official)" "$(seconds floor)"

echo
echo "Largest mappings of run $reps by RSS (KiB: Rss, Pss, Private; summed per file; all of them in <process>-$reps/top-mappings.txt):"
for kind in "${kinds[@]}"; do
    echo "  $kind (threads: $(cat "$work/$kind-$reps/threads.txt")):"
    head -n 15 "$work/$kind-$reps/top-mappings.txt" | sed 's/^/    /'
done
echo
echo "logs, samples and per-run figures: $work"
