#!/usr/bin/env bash
# Packaging test: builds the Debian package from a build directory, installs it on this
# machine with apt-get and checks what an admin relies on: files, owners and modes, the unit, the
# binary, unattended configuration (debconf preseeding and the environment), migration from the
# official agent (its config file, and its package), reinstall, upgrade, remove, purge, and that
# nothing is left behind. Needs root; purges the package again at the end, also on failure.
#
# Usage: installer/test-package.sh [build-dir]     (default: build; configured and built already)
#        OCO_PACKAGE_TEST_VERBOSE=1 shows the output of every apt-get run.
# The last line is "test-package: PASS ..." or "test-package: FAIL ..."; the exit status matches.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
PKG=oco-agent
CONFIG=/etc/oco-agent.ini
STATE=/var/lib/oco-agent
UNIT=/lib/systemd/system/oco-agent.service
# The debconf files other users can read, and the current password store.
DEBCONF_DBS=(/var/cache/debconf/config.dat /var/cache/debconf/config.dat-old /var/cache/debconf/templates.dat
    /var/cache/debconf/passwords.dat)
MARKER=$STATE/.oco-package-test # tells a later run that an installed package is this test's
STARTED=$(date +%s)
CHECKS=0
WORK=""
SAVED=""
OWNED=0 # set once files of an earlier agent are set aside: from then on $CONFIG and $STATE are the test's

export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
unset OCO_SERVER OCO_AGENT_KEY OCO_SERVER_KEY OCO_PACKAGE_REVISION DEBCONF_RECONFIGURE

step() { echo "== [$(($(date +%s) - STARTED)) s] $*"; }
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
ok() { CHECKS=$((CHECKS + 1)); }
# check "what is expected" command...: the command must succeed.
check() {
    local what=$1
    shift
    if "$@"; then ok; else fail "$what"; fi
}
# refute "what is expected" command...: the command must fail (e.g. a grep that must find nothing).
refute() {
    local what=$1
    shift
    if "$@"; then fail "$what"; else ok; fi
}

# --- helpers ------------------------------------------------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'ok installed'; }
status_is() { [ "$(dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null || true)" = "$1" ]; }
# dpkg has files or config files of the package (after a purge it may still list it as not-installed).
known() {
    local st
    st=$(dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null) || return 1
    case "$st" in *not-installed) return 1 ;; esac
}

# apt-get with a log; stdin closed, so a question from dpkg (e.g. about a conffile) fails instead of hanging.
apt() {
    local log=$WORK/apt.log t0=$SECONDS
    if ! apt-get -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "$@" </dev/null >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        fail "apt-get $* failed"
    fi
    if [ -n "${OCO_PACKAGE_TEST_VERBOSE:-}" ]; then sed 's/^/   | /' "$log"; echo "   apt-get $1: $((SECONDS - t0)) s"; fi
}

# The debconf database may be locked for a moment by an apt run elsewhere on the machine.
debconf_retry() {
    local _
    for _ in $(seq 30); do
        if "$@"; then return 0; fi
        sleep 2
    done
    return 1
}
preseed() { debconf_retry debconf-set-selections <<<"$1" || fail "debconf-set-selections refused: $1"; }
forget_debconf() { echo PURGE | debconf_retry debconf-communicate "$PKG" >/dev/null 2>&1 || true; }

mode_of() { stat -c '%a %U:%G' "$1"; }
expect_mode() { # path "mode owner:group"
    [ -e "$1" ] || fail "$1 is missing"
    [ "$(mode_of "$1")" = "$2" ] || fail "$1 is $(mode_of "$1"), expected $2"
    ok
}
expect_absent() { if [ -e "$1" ] || [ -L "$1" ]; then fail "$1 is still there"; fi; ok; }
# The value of key in [section] of the config, as the agent reads it.
ini() {
    awk -v s="$1" -v k="$2" '
        /^[ \t]*[#;]/ { next }
        /^[ \t]*\[/ { c = $0; gsub(/^[ \t]*\[|\][ \t]*$/, "", c); next }
        c == s && index($0, "=") { x = substr($0, 1, index($0, "=") - 1); gsub(/[ \t]/, "", x)
                                   if (x == k) { v = substr($0, index($0, "=") + 1); gsub(/^[ \t]+|[ \t]+$/, "", v) } }
        END { printf "%s", v }' "$CONFIG"
}
expect_ini() {
    local got
    got=$(ini "$1" "$2")
    [ "$got" = "$3" ] || fail "[$1] $2 in $CONFIG is '$got', expected '$3'"
    ok
}
sha() { sha256sum "$1" | cut -d' ' -f1; }
# Processes running the installed binary (the tests of the build tree run other copies).
agent_running() {
    local p
    for p in /proc/[0-9]*; do
        case "$(readlink "$p/exe" 2>/dev/null || true)" in
            /usr/bin/oco-agent | "/usr/bin/oco-agent (deleted)") return 0 ;;
        esac
    done
    return 1
}
# Everything of ours the file system could still hold.
footprint() {
    # (temporary and log directories excluded: other programs on this machine use them)
    find /etc /lib /usr /var /run -xdev \( -path /var/tmp -o -path /var/log -o -path /run/user \) -prune -o \
        \( -name '*oco-agent*' -o -name '*oco-tray*' \) -print 2>/dev/null | sort
}
mark() { [ -d "$STATE" ] || mkdir -m 0700 "$STATE"; touch "$MARKER"; }

cleanup() {
    local rc=$?
    set +e
    if known; then
        apt-get -y -q -o DPkg::Lock::Timeout=600 purge "$PKG" </dev/null >/dev/null 2>&1 ||
            dpkg --purge "$PKG" >/dev/null 2>&1
    fi
    forget_debconf
    # Whatever a broken postrm left (the test has failed then): the machine is left as it was found.
    [ "$OWNED" = 1 ] && rm -rf "$CONFIG" "$STATE" /run/oco-agent
    if [ -n "$SAVED" ]; then
        [ -e "$SAVED/oco-agent.ini" ] && mv "$SAVED/oco-agent.ini" "$CONFIG"
        [ -e "$SAVED/oco-agent" ] && mv "$SAVED/oco-agent" "$STATE"
    fi
    [ -n "$WORK" ] && rm -rf "$WORK"
    local took=$(($(date +%s) - STARTED))
    if [ $rc -eq 0 ]; then
        echo "test-package: PASS ($CHECKS checks, ${took} s)"
    else
        echo "test-package: FAIL after $CHECKS passed checks (${took} s); see the FAIL line above"
    fi
    exit $rc
}

# --- preconditions ------------------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || {
    echo "test-package: needs root (it installs and purges the package on this machine)" >&2
    exit 2
}
for tool in apt-get dpkg-deb cpack debconf-set-selections debconf-communicate; do
    command -v "$tool" >/dev/null || {
        echo "test-package: $tool is missing (see .ci/packages.txt)" >&2
        exit 2
    }
done
[ -f "$BUILD/CMakeCache.txt" ] || {
    echo "test-package: $BUILD is not a configured build directory" >&2
    exit 2
}

# One run at a time on a machine (several checkouts may run their CI here): the others wait.
LOCKDIR=/run/lock
[ -d "$LOCKDIR" ] || LOCKDIR=/tmp
exec 9>"$LOCKDIR/oco-package-test.lock"
if ! flock -n 9; then
    echo "== Waiting for another run of the packaging test on this machine"
    flock -w 900 9 || {
        echo "test-package: FAIL: another run held the lock for 15 minutes" >&2
        exit 1
    }
    STARTED=$(date +%s)
fi

WORK=$(mktemp -d /tmp/oco-package-test.XXXXXX)
chmod 0755 "$WORK" # apt reads local .deb files as the _apt user
trap cleanup EXIT

if known; then
    if [ -e "$MARKER" ]; then
        step "Purging the package left by an interrupted run of this test"
        apt purge "$PKG"
    else
        trap - EXIT
        rm -rf "$WORK"
        echo "test-package: the $PKG package is installed on this machine and not by this test;" \
            "purge it first (apt-get purge $PKG). Nothing was changed." >&2
        exit 2
    fi
fi
forget_debconf
# Files of an agent installed by hand are set aside and put back at the end.
if [ -e "$CONFIG" ] || [ -e "$STATE" ]; then
    SAVED=$WORK/saved
    mkdir -p "$SAVED"
    [ -e "$CONFIG" ] && mv "$CONFIG" "$SAVED/"
    [ -e "$STATE" ] && mv "$STATE" "$SAVED/"
fi
OWNED=1
BEFORE=$(footprint)

# --- build --------------------------------------------------------------------------------------------
step "Building the packages (revision 1, and revision 2 for the upgrade)"
cmake --build "$BUILD" >"$WORK/build.log" 2>&1 || {
    tail -n 30 "$WORK/build.log" >&2
    fail "the build in $BUILD failed"
}
for rev in 1 2; do
    (cd "$BUILD" && OCO_PACKAGE_REVISION=$rev cpack -G DEB -B "$WORK/r$rev" >"$WORK/cpack$rev.log" 2>&1) || {
        tail -n 30 "$WORK/cpack$rev.log" >&2
        fail "cpack -G DEB failed (revision $rev)"
    }
done
DEB1=$(ls "$WORK"/r1/oco-agent_*-1_*.deb)
DEB2=$(ls "$WORK"/r2/oco-agent_*-2_*.deb)
chmod 0644 "$DEB1" "$DEB2"
VERSION=$(dpkg-deb -f "$DEB1" Version)
UPSTREAM=${VERSION%-*}
check "package name" [ "$(dpkg-deb -f "$DEB1" Package)" = "$PKG" ]
check "revision 2 is newer than revision 1" dpkg --compare-versions "$(dpkg-deb -f "$DEB2" Version)" gt "$VERSION"
DEPENDS=$(dpkg-deb -f "$DEB1" Depends)
for dep in debconf libqt6core6 libqt6network6 libarchive13 libc6 libssl3 libsqlite3-0; do
    check "Depends lists $dep (dpkg-shlibdeps): $DEPENDS" grep -q "$dep" <<<"$DEPENDS"
done

step "Checking the package contents"
dpkg-deb -c "$DEB1" >"$WORK/contents"
CONTENTS=$(awk '{ p = $6; sub(/^\./, "", p); sub(/\/$/, "", p); print $1, $2, p }' "$WORK/contents")
has() { # "perms owner path"
    grep -qxF -- "$1" <<<"$CONTENTS" || fail "package entry '$1' missing; the package has:
$CONTENTS"
    ok
}
has "-rwxr-xr-x root/root /usr/bin/oco-agent"
has "-rwxr-xr-x root/root /usr/libexec/oco-agent/oco-agent-unpack"
has "-rwxr-xr-x root/root /usr/libexec/oco-agent/oco-agent-session"
has "-rw-r--r-- root/root $UNIT"
has "-rw-r--r-- root/root /usr/share/oco-agent/oco-agent.ini"
has "-rw-r--r-- root/root /usr/share/man/man8/oco-agent.8.gz"
has "drwx------ root/root $STATE"
has "drwxr-xr-x root/root /lib/oco-agent/service-checks"
awk '{ print $2 }' "$WORK/contents" | sort -u >"$WORK/owners"
check "every entry belongs to root/root: $(tr '\n' ' ' <"$WORK/owners")" [ "$(cat "$WORK/owners")" = root/root ]
refute "no setuid, setgid or world-writable entry" grep -qE '^[^ ]*[sS]|^.{8}w' "$WORK/contents"
refute "/etc/oco-agent.ini is not shipped (the postinst creates it)" grep -q ' ./etc/oco-agent.ini$' "$WORK/contents"
TRAY=0
if grep -q ' ./usr/bin/oco-tray$' "$WORK/contents"; then TRAY=1; fi
# The tray is built from ui/ unless OCO_BUILD_TRAY is off; then it belongs in the package.
if [ -f "$SRC/ui/CMakeLists.txt" ] && ! grep -q '^OCO_BUILD_TRAY:BOOL=OFF' "$BUILD/CMakeCache.txt"; then
    check "the tray app is in the package (ui/ is built)" [ $TRAY = 1 ]
fi
if [ -f "$SRC/resources/oco-tray.desktop" ]; then has "-rw-r--r-- root/root /usr/share/applications/oco-tray.desktop"; fi
if [ -f "$SRC/resources/oco-tray-autostart.desktop" ]; then
    has "-rw-r--r-- root/root /etc/xdg/autostart/oco-tray.desktop"
    dpkg-deb --ctrl-tarfile "$DEB1" | tar -xO ./conffiles >"$WORK/conffiles" 2>/dev/null || true
    check "the autostart entry is a conffile" grep -qx /etc/xdg/autostart/oco-tray.desktop "$WORK/conffiles"
fi
if [ -d "$SRC/resources/icons/hicolor" ]; then
    check "icons in the hicolor theme" grep -q ' ./usr/share/icons/hicolor/.*oco' "$WORK/contents"
fi
if compgen -G "$SRC/resources/translations/*.qm" >/dev/null; then
    check "translations" grep -q ' ./usr/share/oco-agent/translations/.*\.qm$' "$WORK/contents"
fi
if [ $TRAY = 1 ]; then
    check "Recommends a Qt platform plugin for the tray" grep -q qt6-qpa-plugins <<<"$(dpkg-deb -f "$DEB1" Recommends)"
    check "Recommends Qt's translations for the tray" grep -q qt6-translations-l10n <<<"$(dpkg-deb -f "$DEB1" Recommends)"
fi
# Paths that existed before (shared directories) may exist after the purge; nothing else of the package.
awk '{ p = $6; sub(/^\./, "", p); sub(/\/$/, "", p); if (p != "") print p }' "$WORK/contents" >"$WORK/paths"
while read -r p; do [ -e "$p" ] && echo "$p"; done <"$WORK/paths" >"$WORK/preexisting" || true

# Nothing of ours may remain after a purge.
expect_clean() {
    refute "$PKG is purged" installed
    refute "$PKG is purged (no config files)" status_is "deinstall ok config-files"
    local p
    while read -r p; do
        grep -qxF "$p" "$WORK/preexisting" || expect_absent "$p"
    done <"$WORK/paths"
    expect_absent "$CONFIG"
    expect_absent "$STATE"
    expect_absent /run/oco-agent
    expect_absent /etc/systemd/system/multi-user.target.wants/oco-agent.service
    expect_absent /etc/systemd/system/oco-agent.service
    refute "no maintainer scripts left" compgen -G "/var/lib/dpkg/info/oco-agent.*"
    refute "no debconf questions or answers left" \
        grep -qs "oco-agent/" /var/cache/debconf/config.dat /var/cache/debconf/passwords.dat /var/cache/debconf/templates.dat
    # (only new paths count: other programs on this machine may remove theirs meanwhile)
    local left
    left=$(comm -13 <(echo "$BEFORE") <(footprint) | tr '\n' ' ')
    [ -z "${left// /}" ] || fail "left behind after purge: $left"
    ok
    refute "no agent process left" agent_running
}

# --- 1: debconf preseeding, reinstall, upgrade, remove, purge -------------------------------------------
step "Installing with preseeded debconf answers (server name, agent key)"
preseed "$PKG oco-agent/server-name string 127.0.0.1:9
$PKG oco-agent/agent-key password registration-key-1"
apt install "$DEB1"
mark
check "installed" status_is "install ok installed"
check "installed version $VERSION" [ "$(dpkg-query -W -f='${Version}' $PKG)" = "$VERSION" ]
expect_mode /usr/bin/oco-agent "755 root:root"
expect_mode "$UNIT" "644 root:root"
expect_mode "$CONFIG" "600 root:root"
expect_mode "$STATE" "700 root:root"
expect_mode /usr/share/man/man8/oco-agent.8.gz "644 root:root"
expect_mode /usr/share/oco-agent/oco-agent.ini "644 root:root"
expect_mode /usr/lib/oco-agent/service-checks "755 root:root"
expect_ini server api-url "https://127.0.0.1:9/api-agent.php"
expect_ini agent agent-key "registration-key-1"
check "the config keeps the template's documentation" grep -qx '#query-interval = 60' "$CONFIG"
refute "the key is not kept in the debconf database" grep -qs registration-key-1 "${DEBCONF_DBS[@]}"
refute "the key is not printed" grep -q registration-key-1 "$WORK/apt.log"
if [ $TRAY = 1 ]; then
    expect_mode /usr/bin/oco-tray "755 root:root"
    [ -f "$SRC/resources/oco-tray-autostart.desktop" ] && expect_mode /etc/xdg/autostart/oco-tray.desktop "644 root:root"
    [ -f "$SRC/resources/oco-tray.desktop" ] && expect_mode /usr/share/applications/oco-tray.desktop "644 root:root"
fi

step "Checking the systemd unit"
unit_has() { grep -qxF "$1" "$UNIT" || fail "$UNIT lacks the line '$1'"; ok; }
unit_has "ExecStart=/usr/bin/oco-agent --daemon --config /etc/oco-agent.ini --state-dir /var/lib/oco-agent"
unit_has "Restart=always"
unit_has "RestartSec=5"
unit_has "TimeoutStopSec=330"
unit_has "KillMode=mixed"
unit_has "RuntimeDirectory=oco-agent"
unit_has "RuntimeDirectoryMode=0755"
unit_has "WantedBy=multi-user.target"
for opt in ProtectSystem ProtectHome PrivateTmp PrivateDevices NoNewPrivileges ProtectKernelModules \
    RestrictSUIDSGID SystemCallFilter DynamicUser User; do
    refute "the unit does not set $opt (it would break installers run as root)" grep -q "^$opt=" "$UNIT"
done
grace=$(sed -n 's/^#\{0,1\}stop-grace-seconds *= *//p' /usr/share/oco-agent/oco-agent.ini)
timeout_stop=$(sed -n 's/^TimeoutStopSec=//p' "$UNIT")
check "stop-grace-seconds ($grace) is documented in the default config" [ -n "$grace" ]
# After the grace the agent cancels the job and reports it: connection-timeout + read-timeout (153 s).
check "TimeoutStopSec ($timeout_stop) leaves time to report after stop-grace-seconds ($grace)" \
    [ "$timeout_stop" -ge $((grace + 153)) ]
if command -v systemd-analyze >/dev/null; then
    check "systemd-analyze verify accepts the unit" systemd-analyze verify --man=no "$UNIT"
fi
if command -v deb-systemd-helper >/dev/null; then
    check "the service is enabled for the next boot" \
        [ "$(readlink /etc/systemd/system/multi-user.target.wants/oco-agent.service)" = "$UNIT" ]
fi
if [ -d /run/systemd/system ]; then
    check "the service runs" systemctl is-active --quiet oco-agent.service
else
    refute "no agent was started without systemd" agent_running
fi

step "Running the installed binary"
check "--version names the package version" [ "$(/usr/bin/oco-agent --version)" = "oco-agent ${UPSTREAM%%[+~]*}" ]
/usr/bin/oco-agent --help >"$WORK/help" 2>&1 || fail "oco-agent --help failed"
# Packages are extracted by a separate program; the service looks for it where the package puts it.
UNPACK=/usr/libexec/oco-agent/oco-agent-unpack
check "the service looks for its helpers in /usr/libexec/oco-agent/" grep -qaF /usr/libexec/oco-agent/ /usr/bin/oco-agent
refute "the service itself does not link libarchive" sh -c 'ldd /usr/bin/oco-agent | grep -q libarchive'
refute "the service itself does not link D-Bus" sh -c 'ldd /usr/bin/oco-agent | grep -qi dbus'
check "the installed session helper answers (logind or not)" sh -c \
    "/usr/libexec/oco-agent/oco-agent-session list | grep -q '\"logind\":'"
mkdir -p "$WORK/package" "$WORK/unpacked"
echo 'echo hi' >"$WORK/package/setup.sh"
tar -C "$WORK/package" -cf "$WORK/package.tar" setup.sh
check "the installed extractor extracts a package" sh -c \
    "$UNPACK '$WORK/package.tar' '$WORK/unpacked' 1048576 10 | grep -q '\"ok\":true' && [ -f '$WORK/unpacked/setup.sh' ]"
for o in --config --state-dir --once --daemon --force --inventory --version --help; do
    check "--help lists $o" grep -q -- "$o" "$WORK/help"
done
zcat /usr/share/man/man8/oco-agent.8.gz >"$WORK/oco-agent.8"
check "the man page is a section 8 page" grep -q '^\.TH OCO-AGENT 8' "$WORK/oco-agent.8"
if command -v groff >/dev/null; then
    groff -man -ww -z "$WORK/oco-agent.8" >"$WORK/groff.log" 2>&1 || true
    check "groff reads the man page without warnings: $(head -c 300 "$WORK/groff.log")" [ ! -s "$WORK/groff.log" ]
fi
# With systemd the service holds the lock of the default state directory; use a private one then.
state_args=()
[ -d /run/systemd/system ] && state_args=(--state-dir "$WORK/state")
# Nothing listens on 127.0.0.1:9: the agent must say so and fail with status 1, without hanging.
# Exit status of one cycle with the installed config (1: the server at 127.0.0.1:9 is not there).
once_status() {
    local rc=0
    timeout 120 /usr/bin/oco-agent --once "${state_args[@]}" >/dev/null 2>&1 || rc=$?
    echo $rc
}
run_fails_cleanly() { # what, args...
    local what=$1 rc=0
    shift
    timeout 120 /usr/bin/oco-agent "$@" >"$WORK/out" 2>&1 || rc=$?
    echo "   oco-agent $*: exit $rc: $(head -c 300 "$WORK/out" | tr '\n' ' ')"
    [ $rc -ne 124 ] || fail "$what: oco-agent $* hung"
    [ $rc -ne 0 ] || fail "$what: oco-agent $* succeeded without a server"
    [ $rc -lt 64 ] || fail "$what: oco-agent $* ended with status $rc (crash or usage error)"
    [ -s "$WORK/out" ] || fail "$what: oco-agent $* gave no message"
    ok
}
run_fails_cleanly "one cycle without a server" --once "${state_args[@]}"
check "--once without a server exits with status 1" [ "$(once_status)" = 1 ]
if grep -q -- '--check' "$WORK/help"; then
    run_fails_cleanly "--check without a server" --check
else
    echo "   (--check is not in --help yet: skipped)"
fi
# Every key the default config documents, uncommented, must be accepted by the agent.
sed -E 's/^#([a-z0-9-]+ =)/\1/; s|^api-url =.*|api-url = https://127.0.0.1:9/api-agent.php|' \
    /usr/share/oco-agent/oco-agent.ini >"$WORK/all-keys.ini"
rc=0
timeout 120 /usr/bin/oco-agent --once --config "$WORK/all-keys.ini" --state-dir "$WORK/state-all" >"$WORK/out" 2>&1 || rc=$?
check "the documented defaults are valid configuration (got status $rc: $(head -c 200 "$WORK/out"))" [ $rc = 1 ]

step "Reinstalling, then upgrading: config, keys and state stay"
# What the agent does after the first contact: the server hands over the computer's own key.
sed -i 's/^agent-key = .*/agent-key = individual-key-7f3a/; s/^server-key = .*/server-key = server-key-19c2/' "$CONFIG"
echo "state $RANDOM$RANDOM" >"$STATE/test-state.json"
chmod 0600 "$STATE/test-state.json"
CONFIG_SHA=$(sha "$CONFIG")
STATE_SHA=$(sha "$STATE/test-state.json")
apt install --reinstall "$DEB1"
check "reinstall keeps the config" [ "$(sha "$CONFIG")" = "$CONFIG_SHA" ]
check "reinstall keeps the state" [ "$(sha "$STATE/test-state.json")" = "$STATE_SHA" ]
# An admin preseeds again (another server, the registration key): the computer's settings win.
preseed "$PKG oco-agent/server-name string other.example.invalid
$PKG oco-agent/agent-key password registration-key-2"
apt install "$DEB2"
check "upgraded to $(dpkg-deb -f "$DEB2" Version)" [ "$(dpkg-query -W -f='${Version}' $PKG)" = "$(dpkg-deb -f "$DEB2" Version)" ]
check "upgrade keeps the config and keys" [ "$(sha "$CONFIG")" = "$CONFIG_SHA" ]
check "upgrade keeps the state" [ "$(sha "$STATE/test-state.json")" = "$STATE_SHA" ]
check "upgrade says why the new answers were not applied" grep -q 'already set' "$WORK/apt.log"
refute "the key given at upgrade is not kept in debconf" grep -qs registration-key-2 "${DEBCONF_DBS[@]}"
expect_mode "$CONFIG" "600 root:root"
expect_mode "$STATE" "700 root:root"
expect_mode "$STATE/test-state.json" "600 root:root"

step "Removing: config, keys and state stay; reinstalling continues with them"
apt remove "$PKG"
check "removed, config files kept" status_is "deinstall ok config-files"
expect_absent /usr/bin/oco-agent
expect_absent "$UNIT"
expect_absent /usr/share/man/man8/oco-agent.8.gz
check "remove keeps the config and keys" [ "$(sha "$CONFIG")" = "$CONFIG_SHA" ]
check "remove keeps the state" [ "$(sha "$STATE/test-state.json")" = "$STATE_SHA" ]
if [ -f "$SRC/resources/oco-tray-autostart.desktop" ] && [ $TRAY = 1 ]; then
    check "remove keeps the autostart conffile" [ -f /etc/xdg/autostart/oco-tray.desktop ]
fi
apt install "$DEB2"
check "reinstall after remove uses the kept config" [ "$(sha "$CONFIG")" = "$CONFIG_SHA" ]

step "Purging: nothing is left"
apt purge "$PKG"
expect_clean

# --- 2: the environment instead of debconf --------------------------------------------------------------
step "Installing with OCO_SERVER / OCO_AGENT_KEY in the environment (and an official-style string preseed)"
KEY2='k3y with spaces & | / \ = ; # signs äß'
preseed "$PKG oco-agent/server-name string ignored.example.invalid
$PKG oco-agent/server-key string server-key-from-string-preseed"
OCO_SERVER="https://127.0.0.1:9/oco/api-agent.php" OCO_AGENT_KEY="$KEY2" apt install "$DEB2"
mark
expect_ini server api-url "https://127.0.0.1:9/oco/api-agent.php"
expect_ini agent agent-key "$KEY2"
expect_ini server server-key "server-key-from-string-preseed"
expect_mode "$CONFIG" "600 root:root"
check "the agent reads the written config" [ "$(once_status)" = 1 ]
step "Changing the server afterwards: dpkg-reconfigure with a preseeded answer"
preseed "$PKG oco-agent/server-name string 127.0.0.1:10"
debconf_retry dpkg-reconfigure -f noninteractive "$PKG" </dev/null >"$WORK/reconfigure.log" 2>&1 || {
    cat "$WORK/reconfigure.log" >&2
    fail "dpkg-reconfigure $PKG failed"
}
expect_ini server api-url "https://127.0.0.1:10/api-agent.php"
expect_ini agent agent-key "$KEY2"
expect_mode "$CONFIG" "600 root:root"
apt purge "$PKG"
expect_clean

# --- 3: an existing config of the official agent is taken over as it is -----------------------------------
step "Migrating: an existing /etc/oco-agent.ini and state are taken over untouched"
mkdir -p "$STATE"
printf '[agent]\ndebug = 0\nquery-interval = 60\nagent-key = official-individual-key\n\n[server]\napi-url = https://127.0.0.1:9/api-agent.php\nserver-key = official-server-key\n' >"$CONFIG"
chmod 0660 "$CONFIG" # as the official package ships it
echo 1732600000.25 >"$STATE/oco-agent.timestamp"
echo '{}' >"$STATE/policies.json"
CONFIG_SHA=$(sha "$CONFIG")
TS_SHA=$(sha "$STATE/oco-agent.timestamp")
preseed "$PKG oco-agent/server-name string preseeded.example.invalid
$PKG oco-agent/agent-key password preseeded-key"
apt install "$DEB1"
mark
check "the official config is untouched" [ "$(sha "$CONFIG")" = "$CONFIG_SHA" ]
expect_mode "$CONFIG" "600 root:root" # the keys in it are for root's eyes only
check "the official state is untouched" [ "$(sha "$STATE/oco-agent.timestamp")" = "$TS_SHA" ]
check "policies.json kept" [ -f "$STATE/policies.json" ]
check "the agent reads the taken-over config" [ "$(once_status)" = 1 ]
apt purge "$PKG"
expect_clean

# --- 4: upgrading over the official package (same name, /etc/oco-agent.ini a conffile there) ----------------
step "Migrating: upgrading the official package, whose conffile the agent had changed, asks nothing"
OFFICIAL=$WORK/official
mkdir -p "$OFFICIAL/DEBIAN" "$OFFICIAL/etc" "$OFFICIAL/usr/share/oco-agent" "$OFFICIAL/lib/systemd/system" \
    "$OFFICIAL/usr/bin" "$OFFICIAL/lib/oco-agent/service-checks"
ln -s /usr/share/oco-agent/oco-agent "$OFFICIAL/usr/bin/oco-agent"
printf 'Package: oco-agent\nVersion: 1.2.0\nSection: base\nPriority: optional\nArchitecture: all\nMaintainer: test <test@localhost>\nDescription: stand-in for the official OCO agent package\n' >"$OFFICIAL/DEBIAN/control"
echo /etc/oco-agent.ini >"$OFFICIAL/DEBIAN/conffiles"
printf '[agent]\ndebug = 0\nquery-interval = 60\nagent-key = AGENTKEY\n\n[server]\napi-url = SERVERURL\nserver-key = SERVERKEY\n' >"$OFFICIAL/etc/oco-agent.ini"
chmod 0660 "$OFFICIAL/etc/oco-agent.ini"
printf '#!/bin/sh\nexit 0\n' >"$OFFICIAL/usr/share/oco-agent/oco-agent"
chmod 0755 "$OFFICIAL/usr/share/oco-agent/oco-agent"
printf '[Service]\nExecStart=/usr/share/oco-agent/oco-agent --daemon --config /etc/oco-agent.ini\n' >"$OFFICIAL/lib/systemd/system/oco-agent.service"
dpkg-deb --root-owner-group -b "$OFFICIAL" "$WORK/official.deb" >/dev/null
chmod 0644 "$WORK/official.deb"
apt install "$WORK/official.deb"
mark
# What the official postinst and agent do: fill in the placeholders, then the hand-over.
sed -i 's|SERVERURL|https://127.0.0.1:9/api-agent.php|; s|AGENTKEY|official-individual-key|; s|SERVERKEY|official-server-key|' "$CONFIG"
CONFIG_SHA=$(sha "$CONFIG")
apt install "$DEB1"
check "upgraded from the official package" [ "$(dpkg-query -W -f='${Version}' $PKG)" = "$VERSION" ]
check "the official config is untouched" [ "$(sha "$CONFIG")" = "$CONFIG_SHA" ]
expect_mode "$CONFIG" "600 root:root"
expect_absent /usr/share/oco-agent/oco-agent
check "/usr/bin/oco-agent is our binary, not the official symlink" [ ! -L /usr/bin/oco-agent ]
check "the service check directory survived the old package's /lib path" [ -d /usr/lib/oco-agent/service-checks ]
check "our unit replaced the official one" grep -q '^ExecStart=/usr/bin/oco-agent ' "$UNIT"
apt purge "$PKG"
expect_clean
