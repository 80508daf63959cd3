#!/usr/bin/env bash
# Sanitizer stress: repeats the integration tests that start real agent processes (protocol, jobs, faults,
# TLS, --check, features, control) in the ASan+UBSan build while busy loops keep every core loaded, for a
# bounded time, and collects every sanitizer report as a complete file (log_path), also from agent child
# processes whose exit status no test looks at. Looks for races that only show under load.
# Usage: bench/stress/run.sh [seconds=900] [busy-loops=4]
# Environment: OCO_ASAN_BUILD (default build-asan, configured with -DOCO_SANITIZERS=ON and built, as by
# .ci/test), STRESS_TESTS (ctest -R regex), STRESS_JOBS (ctest -j, default 4).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TOTAL=${1:-900}
HOGS=${2:-4}
BUILD=${OCO_ASAN_BUILD:-build-asan}
TESTS=${STRESS_TESTS:-protocol|jobs|faults|tls|check|features|realservice|control}
[ -d "$BUILD" ] || { echo "run.sh: $BUILD is missing: .ci/setup $BUILD -DOCO_SANITIZERS=ON" >&2; exit 2; }
grep -q 'OCO_SANITIZERS:BOOL=ON' "$BUILD/CMakeCache.txt" || { echo "run.sh: $BUILD is not a sanitizer build" >&2; exit 2; }
cmake --build "$BUILD" >/dev/null

work=$(mktemp -d /tmp/oco-stress-XXXXXX)
logs="$work/sanitizer-logs"
mkdir -p "$logs"
export ASAN_OPTIONS="detect_leaks=1:exitcode=86:log_path=$logs/asan"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86:log_path=$logs/ubsan"

hogs=()
cleanup() { [ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq "$HOGS"); do
    (while :; do :; done) &
    hogs+=($!)
done

echo "machine: $(nproc) CPUs, $HOGS busy loops; tests: $TESTS; for $SECONDS_TOTAL s; logs in $work"
end=$((SECONDS + SECONDS_TOTAL))
round=0
failed_rounds=0
while [ "$SECONDS" -lt "$end" ]; do
    round=$((round + 1))
    out="$work/round-$round.log"
    if (cd "$BUILD" && ctest --output-on-failure -R "$TESTS" -j"${STRESS_JOBS:-4}" --timeout 900) >"$out" 2>&1; then
        rm -f "$out"
        result=passed
    else
        failed_rounds=$((failed_rounds + 1))
        result="FAILED: $(grep -E '^[[:space:]]+[0-9]+ - ' "$out" | tr -s ' \t' ' ' | tr '\n' ' ' || true)($out)"
    fi
    echo "round $round ($(uptime | sed 's/.*load average: //'))  $result; sanitizer reports so far: $(find "$logs" -type f | wc -l)"
done
reports=$(find "$logs" -type f | wc -l)
echo "rounds: $round, rounds with a failed test: $failed_rounds, sanitizer reports: $reports"
if [ "$reports" -gt 0 ]; then
    head -c 20000 "$logs"/*
    exit 1
fi
