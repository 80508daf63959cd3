#!/bin/sh
# Median wall time and peak RSS of `oco-agent --inventory` next to the official Python agent's Linux
# inventory collection (v1.2.0), both measured in the same run, interleaved.
#
#   bench/inventory/run.sh [RUNS]        (default 15 runs each, plus one warm-up run each)
#
# Environment:
#   OCO_AGENT_PY_SRC  path of the official agent's sources at v1.2.0 (required; this script downloads nothing):
#                       git clone https://github.com/schorschii/OCO-Agent /some/scratch/oco-agent-py
#                       git -C /some/scratch/oco-agent-py checkout 8ce8846
#                     Keep it outside this repository.
#   OCO_AGENT_BIN     our binary (default: build/app/oco-agent below the repository root)
#   PYTHON            Debian's interpreter with the packaged modules (default /usr/bin/python3):
#                       apt-get install python3-psutil python3-netifaces python3-distro python3-usb
#                     pyedid and the PyPI utmp module are not packaged: official_inventory.py stubs them.
#
# Run it as the user the agent runs as (root): both sides then see the same files (dmidecode, printers.conf).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=${1:-15}
bin=${OCO_AGENT_BIN:-$repo/build/app/oco-agent}
python=${PYTHON:-/usr/bin/python3}
src=${OCO_AGENT_PY_SRC:-}

if [ -z "$src" ] || [ ! -f "$src/oco_agent/linux/inventory.py" ]; then
    sed -n '2,20p' "$0" >&2
    echo "run.sh: set OCO_AGENT_PY_SRC to the official agent's sources (see above)" >&2
    exit 2
fi
[ -x "$bin" ] || { echo "run.sh: $bin is not built (cmake --build build)" >&2; exit 2; }
version=$(sed -n "s/^__version__ *= *'\(.*\)'/\1/p" "$src/oco_agent/__init__.py")
[ "$version" = "1.2.0" ] || echo "run.sh: warning: official sources are version '$version', not 1.2.0" >&2

echo "machine: $(nproc) CPUs, $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME")"
echo "ours:     $bin ($("$bin" --version 2>/dev/null | head -n1))"
echo "official: $src (version $version) with $("$python" --version 2>&1)"
"$python" "$here/official_inventory.py" "$src" 2>&1 >/dev/null | grep '^stubbed modules' || true
# What each side found (counts per list), so a fast but empty answer would show.
"$bin" --inventory 2>/dev/null | "$python" -c 'import json,sys; d=json.load(sys.stdin); print("ours     fields:", {k: len(v) for k, v in d.items() if isinstance(v, list)})'
"$python" "$here/official_inventory.py" "$src" 2>/dev/null | tail -n1 | "$python" -c 'import json,sys; d=json.load(sys.stdin); print("official fields:", {k: len(v) for k, v in d.items() if isinstance(v, list)})'
echo
exec "$python" "$here/measure.py" "$runs" "oco-agent=$bin --inventory" "official=$python $here/official_inventory.py $src"
