#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan+UBSan) in build-fuzz/ and runs each for
# the given number of seconds, one after the other, starting from its seed corpus.
# Usage: bench/fuzz/run.sh [seconds-per-target=60] [target...]     (targets: ini config reply2021 ...)
# Prints one Markdown table row per target (executions, executions/s, corpus size, peak RSS, result).
# Crash inputs are kept in build-fuzz/fuzz-work/<target>/; copy one to tests/fuzz/regressions/<target>/
# to make it a test of the normal suite (fuzz_<target>_replay).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_TARGET=${1:-60}
shift || true
BUILD=${OCO_FUZZ_BUILD_DIR:-build-fuzz}

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DOCO_FUZZ=ON -DOCO_BUILD_TRAY=OFF >/dev/null
cmake --build "$BUILD" --target fuzz-targets -- -j"${OCO_JOBS:-2}" >/dev/null

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in tests/fuzz/fuzz_*.cpp; do
        n=$(basename "$f" .cpp)
        targets+=("${n#fuzz_}")
    done
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
echo "| target | seconds | executions | executions/s | corpus entries | peak RSS MB | result |"
echo "|---|---:|---:|---:|---:|---:|---|"
failed=0
for t in "${targets[@]}"; do
    work="$BUILD/fuzz-work/$t"
    rm -rf "$work"
    mkdir -p "$work/corpus"
    seeds="tests/fuzz/corpus/$t"
    regressions="tests/fuzz/regressions/$t"
    dirs=("$work/corpus" "$seeds")
    [ -d "$regressions" ] && dirs+=("$regressions")
    log="$work/fuzz.log"
    set +e
    "$BUILD/tests/fuzz/fuzz_$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/" "${dirs[@]}" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    corpus=$(find "$work/corpus" -type f | wc -l)
    crashes=$(find "$work" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'leak-*' -o -maxdepth 1 -name 'timeout-*' -o -maxdepth 1 -name 'oom-*' | wc -l)
    if [ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ]; then
        result="no crash"
    else
        result="FAILED (exit $rc, $crashes artifact(s) in $work; see $log)"
        failed=1
    fi
    echo "| $t | $SECONDS_PER_TARGET | ${execs:-0} | ${rate:-0} | $corpus | ${rss:-0} | $result |"
done
exit $failed
