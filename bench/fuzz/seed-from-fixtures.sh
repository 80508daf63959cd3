#!/usr/bin/env bash
# Copies test fixtures into the seed corpus of a fuzz target, keeping seeds small (default at most 64 KiB
# each; bigger fixtures are cut to that size, which still seeds the parser's structure).
# Usage: bench/fuzz/seed-from-fixtures.sh <target> <fixture-file>...
#   e.g. bench/fuzz/seed-from-fixtures.sh edid tests/fixtures/edid/*.bin
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { echo "usage: $0 <target> <fixture-file>..." >&2; exit 64; }
target=$1
shift
max=${OCO_SEED_MAX_BYTES:-65536}
dest="tests/fuzz/corpus/$target"
mkdir -p "$dest"
for f in "$@"; do
    name=$(echo "${f#tests/fixtures/}" | tr '/' '_')
    head -c "$max" "$f" >"$dest/$name"
    echo "$dest/$name ($(stat -c %s "$dest/$name") bytes)"
done
