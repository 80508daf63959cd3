#!/usr/bin/env bash
# Runs a given oco-agent binary against real OCO servers (public OCO-Server releases) on loopback and
# reports, per server: registration, inventory rows, a job with a downloaded package and a restart post
# action, and the [server] protocol value the agent pinned with protocol = auto.
# See bench/realserver/README.md. Nothing of the OCO server is part of this project: the releases are
# unpacked from a mirror into a scratch folder outside the repository.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/realserver/run.sh --agent PATH/oco-agent --src OCO-SERVER-SOURCE [options]

  --agent FILE      oco-agent binary to test (its helpers oco-agent-unpack / oco-agent-session are
                    taken from the same folder when they are there)
  --src DIR         a bare or normal git clone of OCO-Server (tags are unpacked with git archive), or a
                    folder holding one unpacked tree per tag (DIR/v1.2.2/frontend/api-agent.php ...)
  --versions "..."  releases to test (default: "v0.12.1 v0.16.3 v1.1.6 v1.2.2")
  --work DIR        scratch folder (default: /work/realsrv); the MariaDB datadir, the unpacked
                    releases, logs and results live there
  --label NAME      name of this run in the results (default: agent-<version of the binary>)
  --db-port N       private MariaDB port on 127.0.0.1 (default: 3307)
  --protocol VALUE  [server] protocol written into the agent's config before its first run (default:
                    auto; with another value the check expects that value to stay)
  --no-upgrades     skip the upgrade steps (the agent of each server meets the next newer server in
                    --versions, with its computer row, keys and pinned protocol carried over)
  --no-probe        skip the probes (plain curl requests that record each server's status lines and
                    reply shapes; they use their own computer rows, never the agent's)
  --keep            leave MariaDB and the PHP servers running at the end (prints how to stop them)
EOF
}

AGENT=""
SRC=""
VERSIONS="v0.12.1 v0.16.3 v1.1.6 v1.2.2"
WORK=/work/realsrv
LABEL=""
DB_PORT=3307
KEEP=0
PROBE=1
UPGRADES=1
PROTOCOL=auto
REGKEY=ernesto
AGENT_TIMEOUT=150   # seconds one agent run may take
while [ $# -gt 0 ]; do
    case "$1" in
    --agent) AGENT=$2; shift 2 ;;
    --src) SRC=$2; shift 2 ;;
    --versions) VERSIONS=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --label) LABEL=$2; shift 2 ;;
    --db-port) DB_PORT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --no-probe) PROBE=0; shift ;;
    --no-upgrades) UPGRADES=0; shift ;;
    --protocol) PROTOCOL=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [ -z "$AGENT" ] || [ -z "$SRC" ]; then usage >&2; exit 2; fi
[ -x "$AGENT" ] || { echo "not executable: $AGENT" >&2; exit 2; }
AGENT=$(readlink -f "$AGENT")
AGENT_DIR=$(dirname "$AGENT")
for tool in php mariadbd mariadb mariadb-install-db mariadb-admin curl timeout; do
    command -v "$tool" >/dev/null || {
        echo "missing: $tool (apt-get install php-cli php-mysql php-zip php-xml php-mbstring php-curl" \
            "php-ldap php-intl mariadb-server mariadb-client curl)" >&2
        exit 2
    }
done
case $'\n'"$(php -m)"$'\n' in *$'\n'pdo_mysql$'\n'*) ;; *) echo "missing PHP module pdo_mysql (php-mysql)" >&2; exit 2 ;; esac

mkdir -p "$WORK"
WORK=$(readlink -f "$WORK")
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
[ -n "$LABEL" ] || LABEL="agent-$("$AGENT" --version 2>/dev/null | awk '{print $NF}' | sed -n 1p)"
RUN="$WORK/runs/$STAMP-$LABEL"
mkdir -p "$RUN" "$WORK/srv"
SUMMARY="$RUN/summary.txt"
DBDIR="$WORK/mariadb"
DBSOCK="$DBDIR/mysqld.sock"
MYSQL=(mariadb --protocol=socket --socket="$DBSOCK" -uroot --batch --skip-column-names)

indent() { sed "s/^/     /"; }
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---- processes: everything started here is stopped by the trap (unless --keep) ----------------------------
PIDS=()
DB_PID=""
cleanup() {
    local rc=$?
    if [ "$KEEP" = 1 ]; then
        log "--keep: left running: MariaDB pid ${DB_PID:-?} (socket $DBSOCK), PHP pids ${PIDS[*]:-none}"
        local groups="" p
        for p in "${PIDS[@]:-}"; do [ -n "$p" ] && groups+=" -$p"; done
        log "stop them with: kill --$groups; kill ${DB_PID:-}   (negative: the PHP process groups)"
        exit $rc
    fi
    for p in "${PIDS[@]:-}"; do
        if [ -n "$p" ]; then kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; fi
    done
    if [ -n "$DB_PID" ]; then
        mariadb-admin --protocol=socket --socket="$DBSOCK" -uroot shutdown 2>/dev/null || kill "$DB_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$DB_PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$DB_PID" 2>/dev/null || true
    fi
    for p in "${PIDS[@]:-}"; do
        if [ -n "$p" ]; then wait "$p" 2>/dev/null || true; fi
    done
    rm -f "$WORK/running.pids"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_of() {
    case "$1" in
    v0.12.1) echo 8112 ;;
    v0.16.3) echo 8116 ;;
    v1.1.6) echo 8111 ;;
    v1.2.2) echo 8122 ;;
    *) # other tags: 81xx from a checksum of the name, away from the four above
        echo $((8130 + $(printf '%s' "$1" | cksum | cut -d' ' -f1) % 60)) ;;
    esac
}
expected_pin() {
    case "$1" in
    v0.12.* | v0.13.* | v0.14.* | v0.15.* | v0.16.*) echo 2021 ;;
    v1.0.* | v1.1.[0-6]) echo plain ;;
    *) echo current ;;
    esac
}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---- 1. unpack the releases ----------------------------------------------------------------------------
unpack() { # tag -> prints the folder
    local tag=$1 dst="$WORK/srv/$1"
    if [ -f "$dst/.unpacked" ]; then echo "$dst"; return; fi
    rm -rf "$dst"
    mkdir -p "$dst"
    if git --git-dir="$SRC" rev-parse --verify -q "refs/tags/$tag" >/dev/null 2>&1; then
        git --git-dir="$SRC" archive "$tag" | tar -x -C "$dst"
    elif git -C "$SRC" rev-parse --verify -q "refs/tags/$tag" >/dev/null 2>&1; then
        git -C "$SRC" archive "$tag" | tar -x -C "$dst"
    elif [ -f "$SRC/$tag/frontend/api-agent.php" ]; then
        cp -a "$SRC/$tag/." "$dst/"
    else
        echo "cannot find release $tag in $SRC" >&2
        return 1
    fi
    touch "$dst/.unpacked"
    echo "$dst"
}

# ---- 2. private MariaDB ------------------------------------------------------------------------------------
start_db() {
    if port_busy "$DB_PORT"; then
        echo "127.0.0.1:$DB_PORT is already in use (a MariaDB left by a --keep or killed run? its pids:" \
            "$(paste -sd "," "$WORK/running.pids.old" 2>/dev/null || true); stop them first)" >&2
        exit 1
    fi
    if [ ! -d "$DBDIR/mysql" ]; then
        log "initialising MariaDB in $DBDIR"
        mkdir -p "$DBDIR"
        mariadb-install-db --no-defaults --user=root --datadir="$DBDIR" --skip-test-db \
            >"$WORK/mariadb-install.log" 2>&1
    fi
    mariadbd --no-defaults --user=root --datadir="$DBDIR" --port="$DB_PORT" --bind-address=127.0.0.1 \
        --socket="$DBSOCK" --pid-file="$DBDIR/mariadbd.pid" --log-error="$WORK/mariadbd.err" \
        --skip-log-bin --innodb-buffer-pool-size=64M --max-connections=100 &
    DB_PID=$!
    echo "mariadbd $DB_PID" >>"$WORK/running.pids"
    for _ in $(seq 1 120); do
        "${MYSQL[@]}" -e 'SELECT 1' >/dev/null 2>&1 && break
        kill -0 "$DB_PID" 2>/dev/null || { echo "mariadbd died, see $WORK/mariadbd.err" >&2; exit 1; }
        sleep 0.5
    done
    "${MYSQL[@]}" -e "CREATE USER IF NOT EXISTS 'oco'@'127.0.0.1' IDENTIFIED BY 'oco';
                      GRANT ALL ON \`oco\\_%\`.* TO 'oco'@'127.0.0.1';" >/dev/null
    log "MariaDB on 127.0.0.1:$DB_PORT (pid $DB_PID)"
}

dbname() { echo "oco_$(echo "$1" | tr -c 'a-zA-Z0-9\n' '_')"; }
sqlq() { "${MYSQL[@]}" "$1" -e "$2"; } # db, statement(s) -> tab separated rows

# ---- 3. configure one release ----------------------------------------------------------------------------
configure() { # tag dir port
    local tag=$1 dir=$2 db
    db=$(dbname "$tag")
    local depot="$RUN/$tag/depot"
    mkdir -p "$depot"
    local schema=""
    for s in sql/SCHEMA.sql sql/v1.0.sql lib/sql/v1.0.sql; do
        [ -f "$dir/$s" ] && { schema="$dir/$s"; break; }
    done
    [ -n "$schema" ] || { echo "$tag: no schema file found" >&2; return 1; }
    "${MYSQL[@]}" -e "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\` CHARACTER SET utf8mb4;"
    "${MYSQL[@]}" "$db" <"$schema"

    local example=""
    for e in conf.php.example conf.example.php; do
        [ -f "$dir/$e" ] && { example="$dir/$e"; break; }
    done
    [ -n "$example" ] || { echo "$tag: no conf example found" >&2; return 1; }
    # The constants the releases read; '#' comment lines become '//' ('#[' is an attribute in PHP 8).
    sed -E \
        -e "s|^(const PACKAGE_PATH *= *).*|\\1'$depot';|" \
        -e "s|^(const DB_HOST *= *).*|\\1'127.0.0.1';|" \
        -e "s|^(const DB_PORT *= *).*|\\1'$DB_PORT';|" \
        -e "s|^(const DB_NAME *= *).*|\\1'$db';|" \
        -e "s|^(const DB_USER *= *).*|\\1'oco';|" \
        -e "s|^(const DB_PASS *= *).*|\\1'oco';|" \
        -e "s|^(const AGENT_SELF_REGISTRATION_ENABLED *= *).*|\\1true;|" \
        -e "s|^(const AGENT_REGISTRATION_KEY *= *).*|\\1'$REGKEY';|" \
        -e "s|^(const AGENT_UPDATE_INTERVAL *= *).*|\\1 3600;|" \
        -e "s|^(const LOG_LEVEL *= *).*|\\1 0;|" \
        -e "s|^(const CHECK_UPDATE *= *).*|\\1false;|" \
        -e "s|^(const DO_HOUSEKEEPING_BY_WEB_REQUESTS *= *).*|\\1false;|" \
        -e 's|^([[:space:]]*)#|\1//|' \
        "$example" >"$dir/conf.php"
    if [ -f "$dir/lib/SettingsController.class.php" ]; then
        # v0.16+: settings live in the database
        sqlq "$db" "REPLACE INTO setting (\`key\`, \`value\`) VALUES
            ('agent-self-registration-enabled', '1'), ('agent-registration-key', '$REGKEY'),
            ('agent-update-interval', '3600'), ('log-level', '0'), ('check-update', '0'),
            ('do-housekeeping-by-web-requests', '0');"
    fi
}

start_php() { # tag dir port
    local tag=$1 dir=$2 port=$3
    if port_busy "$port"; then
        echo "127.0.0.1:$port is already in use (left by a --keep or killed run? pids:" \
            "$(paste -sd "," "$WORK/running.pids.old" 2>/dev/null || true))" >&2
        return 1
    fi
    # own session and process group (setsid execs in place: same pid), so that the trap also stops the
    # PHP_CLI_SERVER_WORKERS children, which outlive a plain kill of their parent
    (cd "$dir" && PHP_CLI_SERVER_WORKERS=4 exec setsid php -d display_errors=0 -d log_errors=1 \
        -d error_log="$RUN/$tag/php-errors.log" -d date.timezone=UTC \
        -S "127.0.0.1:$port" -t frontend) >"$RUN/$tag/php-server.log" 2>&1 &
    PIDS+=($!)
    echo "php-$tag process group $!" >>"$WORK/running.pids"
    for _ in $(seq 1 60); do
        port_busy "$port" && return 0
        sleep 0.25
    done
    echo "$tag: PHP server on $port did not come up, see $RUN/$tag/php-server.log" >&2
    return 1
}

# ---- 4. the agent ------------------------------------------------------------------------------------------
write_agent_config() { # tag port
    local tag=$1 port=$2 a="$RUN/$1/agent"
    mkdir -p "$a/state"
    cat >"$a/restart.sh" <<EOF
#!/bin/sh
# harmless stand-in for 'systemctl reboot'
date -u '+%Y-%m-%d %H:%M:%S restart requested' >>'$a/restart.marker'
EOF
    chmod 755 "$a/restart.sh"
    cat >"$a/oco-agent.ini" <<EOF
[agent]
agent-key = $REGKEY
debug = 1
machine-uid = realsrv-$tag-$STAMP
connection-timeout = 5
read-timeout = 60
job-timeout = 120
control-socket = $a/control.sock
service-checks = $a/service-checks

[server]
api-url = http://127.0.0.1:$port/api-agent.php
server-key =
protocol = $PROTOCOL

[power]
restart-command = $a/restart.sh
shutdown-command = $a/restart.sh
EOF
    chmod 600 "$a/oco-agent.ini"
}

run_agent() { # tag hostname n -> exit code
    run_agent_in "$RUN/$1/agent" "$2" "$3"
}
run_agent_in() { # agent-folder hostname n -> exit code
    local a=$1 host=$2 n=$3 rc=0
    local env=(OCO_HOSTNAME="$host")
    [ -x "$AGENT_DIR/oco-agent-unpack" ] && env+=(OCO_UNPACK_HELPER="$AGENT_DIR/oco-agent-unpack")
    [ -x "$AGENT_DIR/oco-agent-session" ] && env+=(OCO_SESSION_HELPER="$AGENT_DIR/oco-agent-session")
    env "${env[@]}" timeout -k 5 "$AGENT_TIMEOUT" "$AGENT" --config "$a/oco-agent.ini" --state-dir "$a/state" \
        --once >"$a/run$n.log" 2>&1 || rc=$?
    echo "$rc"
}

# ---- 5. the job ------------------------------------------------------------------------------------------
# old releases (v0.12.1 and before the job_container_job table): table `job`, column package_procedure
legacy_job_table() { [ -z "$(sqlq "$(dbname "$1")" "SHOW TABLES LIKE 'job_container_job'")" ]; }

insert_job() { # tag dir computer_id -> prints "package_id job_id"
    local tag=$1 dir=$2 cid=$3 db a="$RUN/$1/agent"
    db=$(dbname "$tag")
    local author_p="" author_v="" author_c="" author_cv=""
    if sqlq "$db" "SHOW COLUMNS FROM package LIKE 'author'" | grep author >/dev/null; then
        author_p=", author"; author_v=", 'realsrv'"
    fi
    if sqlq "$db" "SHOW COLUMNS FROM job_container LIKE 'author'" | grep author >/dev/null; then
        author_c=", author"; author_cv=", 'realsrv'"
    fi
    local jobsql
    if legacy_job_table "$tag"; then
        jobsql="INSERT INTO job (job_container_id, computer_id, package_id, package_procedure, success_return_codes,
                    download, post_action, post_action_timeout, message)
                VALUES (@jc, $cid, @pkg, 'sh ./install.sh', '0', 1, 1, 1, '');"
    else
        jobsql="INSERT INTO job_container_job (job_container_id, computer_id, package_id, \`procedure\`,
                    success_return_codes, download, post_action, post_action_timeout, message)
                VALUES (@jc, $cid, @pkg, 'sh ./install.sh', '0', 1, 1, 1, '');"
    fi
    local ids
    ids=$(sqlq "$db" "
        INSERT INTO package_family (name, notes) VALUES ('realsrv-check', '');
        INSERT INTO package (package_family_id, version, notes$author_p, install_procedure,
            install_procedure_success_return_codes, install_procedure_post_action, uninstall_procedure,
            uninstall_procedure_success_return_codes)
            VALUES (LAST_INSERT_ID(), '1.0', ''$author_v, 'sh ./install.sh', '0', 1, '', '');
        SET @pkg = LAST_INSERT_ID();
        INSERT INTO job_container (name, notes$author_c, start_time)
            VALUES ('realsrv-check', ''$author_cv, NOW() - INTERVAL 1 HOUR);
        SET @jc = LAST_INSERT_ID();
        $jobsql
        SELECT @pkg, LAST_INSERT_ID();")
    local pkg job
    pkg=$(echo "$ids" | awk '{print $1}')
    job=$(echo "$ids" | awk '{print $2}')
    # the package: a real ZIP with an install script that leaves a marker
    local z="$RUN/$tag/zip"
    mkdir -p "$z"
    cat >"$z/install.sh" <<EOF
#!/bin/sh
echo "realsrv-check package for $tag installed in \$(pwd)"
date -u '+%Y-%m-%d %H:%M:%S installed' >'$a/installed.marker'
exit 0
EOF
    (cd "$z" && rm -f "$RUN/$tag/depot/$pkg.zip" && zip -q "$RUN/$tag/depot/$pkg.zip" install.sh)
    echo "$pkg $job"
}

# ---- 6. evidence -----------------------------------------------------------------------------------------
report_server() { # tag dir port hostname rc1 rc2 rc3 job_id
    local tag=$1 dir=$2 port=$3 host=$4 rc1=$5 rc2=$6 rc3=$7 job=$8 db a="$RUN/$1/agent"
    db=$(dbname "$tag")
    local cid comp
    cid=$(sqlq "$db" "SELECT id FROM computer WHERE hostname = '$host'" | sed -n 1p)
    local pinned expect
    pinned=$(sed -n 's/^[[:space:]]*protocol[[:space:]]*=[[:space:]]*//p' "$a/oco-agent.ini" | tail -n1)
    expect=$(expected_pin "$tag")
    [ "$PROTOCOL" = auto ] || expect=$PROTOCOL
    {
        echo "== $tag  (http://127.0.0.1:$port/api-agent.php, database $db, computer name $host)"
        echo "   agent runs (--once): exit codes $rc1 / $rc2 / $rc3   (logs: $a/run{1,2,3}.log)"
        if [ -n "$cid" ]; then
            comp=$(sqlq "$db" "SELECT CONCAT('id=', id, ' agent_key=', IF(agent_key = '', 'empty', CONCAT(LENGTH(agent_key), ' chars')),
                ' server_key=', IF(server_key = '', 'empty', CONCAT(LENGTH(server_key), ' chars')),
                ' agent_version=', agent_version, ' os=\"', os, ' ', os_version, '\" kernel=', kernel_version,
                ' last_update=', IFNULL(last_update, 'NULL')) FROM computer WHERE id = $cid")
            echo "   registered:   yes  ($comp)"
            local sw nw pt
            sw=$(sqlq "$db" "SELECT COUNT(*) FROM computer_software WHERE computer_id = $cid")
            nw=$(sqlq "$db" "SELECT COUNT(*) FROM computer_network WHERE computer_id = $cid")
            pt=$(sqlq "$db" "SELECT COUNT(*) FROM computer_partition WHERE computer_id = $cid")
            echo "   inventory:    computer_software=$sw computer_network=$nw computer_partition=$pt"
        else
            echo "   registered:   NO (no computer row named $host)"
        fi
        if [ -n "$job" ]; then
            local jt=job_container_job
            legacy_job_table "$tag" && jt=job
            echo "   job $job:       $(sqlq "$db" "SELECT CONCAT('state=', state, ' return_code=', IFNULL(return_code, 'NULL'),
                ' message=\"', REPLACE(REPLACE(LEFT(TRIM(TRAILING '\n' FROM message), 160), '\n', ' | '), '\r', ''), '\"') FROM $jt WHERE id = $job")"
            if [ -f "$a/installed.marker" ]; then
                echo "   package ran:  yes ($(cat "$a/installed.marker"))"
            else
                echo "   package ran:  no (no marker)"
            fi
        else
            echo "   job:          not inserted (the computer did not register)"
        fi
        if [ -f "$a/restart.marker" ]; then
            echo "   restart:      restart-command ran ($(tr '\n' ' ' <"$a/restart.marker"))"
        elif [ -f "$a/state/power.json" ]; then
            echo "   restart:      planned, not yet due: $(tr -d '\n' <"$a/state/power.json" | cut -c1-200)"
        else
            echo "   restart:      none planned or run"
        fi
        local pinok=FAIL
        [ "$pinned" = "$expect" ] && pinok=ok
        echo "   pinned:       [server] protocol = ${pinned:-<none>}   (expected $expect: $pinok)"
        # the agent's own words when something failed
        local errs
        # (ERROR/WARNING lines, and every non-2xx status line the agent logged with debug = 1)
        errs=$(grep -h -E ' (ERROR|WARNING|CRITICAL) |<- [13-5][0-9][0-9] ' "$a"/run*.log 2>/dev/null |
            sed -E 's/^[^ ]+ //' | sort | uniq -c | sort -rn | head -n 8 || true)
        if [ -n "$errs" ]; then
            echo "   agent errors (count, text):"
            echo "$errs" | cut -c1-240 | indent
        fi
        # the agent's main steps, in its own words
        local said
        said=$(grep -h -E 'INFO .*(speaks the|stored \[server\]|server answered|inventory uploaded|succeeded|failed|asks for a|is done|Restart now)' \
            "$a"/run*.log 2>/dev/null | sed -E 's/^[^ ]+ INFO \[[a-z.]+\] //' | cut -c1-200 || true)
        if [ -n "$said" ]; then
            echo "   agent said:"
            indent <<<"$said"
        fi
        # what the server itself logged as a warning (v0.16+: table log, columns action/data)
        if sqlq "$db" "SHOW COLUMNS FROM log LIKE 'action'" | grep action >/dev/null; then
            local warn
            warn=$(sqlq "$db" "SELECT CONCAT(action, ' ', LEFT(REPLACE(data, '\n', ' '), 160)) FROM log WHERE level >= 2
                ORDER BY timestamp" | sort | uniq -c | head -n 6 || true)
            [ -n "$warn" ] && echo "   server log warnings (count, action, data):" && indent <<<"$warn"
        fi
        # every request the agent sent, in order, as the server logged it raw (log level 0)
        local raw
        if sqlq "$db" "SHOW COLUMNS FROM log LIKE 'realm'" | grep realm >/dev/null; then
            raw=$(sqlq "$db" "SELECT CONCAT(IFNULL(JSON_VALUE(message, '$.method'), '<not JSON-RPC>'), ' ',
                IFNULL(JSON_KEYS(JSON_QUERY(message, '$.params')), '')) FROM log
                WHERE realm = 'oco.agentapi.rawrequest' ORDER BY id")
        else
            raw=$(sqlq "$db" "SELECT CONCAT(IFNULL(JSON_VALUE(data, '$.method'), '<not JSON-RPC>'), ' ',
                IFNULL(JSON_KEYS(JSON_QUERY(data, '$.params')), '')) FROM log
                WHERE action = 'oco.computer.agent.api.rawrequest'")
        fi
        if [ -n "$raw" ]; then
            echo "   requests the server received (method, params keys; consecutive repeats counted):"
            uniq -c <<<"$raw" | indent
        fi
        # lines a fail2ban jail on the web server's error log would count (shipped filter: this text)
        local f2b
        f2b=$(grep -c 'api-agent: authentication failure' "$RUN/$tag/php-errors.log" 2>/dev/null || true)
        echo "   fail2ban:     ${f2b:-0} 'api-agent: authentication failure' line(s) in the PHP error log"
        # the status lines the server sent back (PHP built-in server access log)
        local st
        st=$(grep -o -E '\[[0-9]{3}\]: [A-Z]+ [^ ]+' "$RUN/$tag/php-server.log" 2>/dev/null | sed -E 's/\?.*//' |
            sort | uniq -c | tr -s ' ' | paste -sd ',' - || true)
        [ -n "$st" ] && echo "   HTTP seen:    $st"
        local ok_all=yes
        [ -n "$cid" ] || ok_all=no
        local jtab=job_container_job
        legacy_job_table "$tag" && jtab=job
        [ -n "$job" ] && [ "$(sqlq "$db" "SELECT state FROM $jtab WHERE id = $job")" = 3 ] || ok_all=no
        [ -f "$a/restart.marker" ] || [ -f "$a/state/power.json" ] || ok_all=no
        [ "$pinned" = "$expect" ] || ok_all=no
        echo "   RESULT:       $([ $ok_all = yes ] && echo PASS || echo FAIL)"
        local verdict=FAIL reg=no jstate=- rst=no
        [ "$ok_all" = yes ] && verdict=PASS
        [ -n "$cid" ] && reg=yes
        [ -n "$job" ] && jstate=$(sqlq "$db" "SELECT state FROM $jtab WHERE id = $job")
        if [ -f "$a/restart.marker" ]; then rst=ran; elif [ -f "$a/state/power.json" ]; then rst=planned; fi
        echo "$tag: $verdict (registered: $reg, job state: $jstate, restart: $rst, pinned: ${pinned:-none}," \
            "expected: $expect)" >"$RUN/$tag/result.txt"
        echo
    } | tee -a "$SUMMARY"
}

# ---- 7. probes: what each server answers to typical and faulty requests (status line, type, body) ----------
PROBE_HOST=realsrv-probe
PROBE_KEY=probeagentkey00000000000000000  # 30 chars like the server's own keys
PROBE_SKEY=probeserverkey0000000000000000

probe_setup() { # tag dir -> prints the probe package id
    local tag=$1 dir=$2 db cols vals
    db=$(dbname "$tag")
    # a computer with known keys, every NOT NULL column without default set to ''
    cols=$(sqlq "$db" "SELECT GROUP_CONCAT(CONCAT('\`', column_name, '\`')) FROM information_schema.columns
        WHERE table_schema = '$db' AND table_name = 'computer' AND is_nullable = 'NO' AND column_default IS NULL
        AND extra NOT LIKE '%auto_increment%' AND column_name NOT IN ('hostname', 'agent_key', 'server_key')")
    vals=$(echo "$cols" | tr ',' '\n' | sed "s/.*/''/" | paste -sd ',' -)
    sqlq "$db" "DELETE FROM computer WHERE hostname LIKE '$PROBE_HOST%';
        INSERT INTO computer (hostname, agent_key, server_key, $cols) VALUES ('$PROBE_HOST', '$PROBE_KEY', '$PROBE_SKEY', $vals);"
    local author_p="" author_v=""
    if sqlq "$db" "SHOW COLUMNS FROM package LIKE 'author'" | grep author >/dev/null; then
        author_p=", author"; author_v=", 'realsrv'"
    fi
    local pkg
    pkg=$(sqlq "$db" "INSERT INTO package_family (name, notes) VALUES ('realsrv-probe', '');
        INSERT INTO package (package_family_id, version, notes$author_p, install_procedure,
            install_procedure_success_return_codes, uninstall_procedure, uninstall_procedure_success_return_codes)
            VALUES (LAST_INSERT_ID(), '1.0', ''$author_v, 'true', '', '', '');
        SELECT LAST_INSERT_ID();")
    local z="$RUN/$tag/probezip"
    mkdir -p "$z"
    echo 'exit 0' >"$z/probe.sh"
    (cd "$z" && rm -f "$RUN/$tag/depot/$pkg.zip" && zip -q "$RUN/$tag/depot/$pkg.zip" probe.sh)
    echo "$pkg"
}

probe_req() { # tag port name method(POST/GET) path content-type body -> one TSV line
    local tag=$1 port=$2 name=$3 method=$4 path=$5 ctype=$6 body=$7 h b
    h=$(mktemp) b=$(mktemp)
    local args=(-s --max-time 15 -o "$b" -D "$h" -X "$method")
    if [ "$ctype" = "-" ]; then args+=(-H 'Content-Type:'); else args+=(-H "Content-Type: $ctype"); fi
    [ -n "$body" ] && args+=(--data-binary "$body")
    curl "${args[@]}" "http://127.0.0.1:$port/$path" || true
    local status rtype rbody
    status=$(head -n1 "$h" | tr -d '\r' | sed 's/^HTTP\/[0-9.]* //')
    rtype=$(grep -i '^content-type:' "$h" | sed -n 1p | tr -d '\r' | sed 's/^[^:]*: *//')
    if grep -qi '^content-type: *application/octet-stream' "$h"; then
        rbody="<$(wc -c <"$b") bytes>"
    else
        rbody=$(tr -d '\r' <"$b" | tr '\n\t' '  ' | cut -c1-400)
    fi
    printf '%s\t%s\t%s\t%s\n' "$name" "${status:-no answer}" "${rtype:--}" "$rbody"
    rm -f "$h" "$b"
}

probe_server() { # tag dir port
    local tag=$1 dir=$2 port=$3 pkg out="$RUN/$1/probe.tsv"
    pkg=$(probe_setup "$tag" "$dir")
    local H=$PROBE_HOST K=$PROBE_KEY J='application/json'
    local inv='"os":"Probe OS","os_version":"1","kernel_version":"1","architecture":"x86_64","cpu":"c","gpu":"g","ram":"1","agent_version":"1.0.0","serial":"s","manufacturer":"m","model":"m","bios_version":"b","boot_type":"b","secure_boot":"0"'
    rpc() { printf '{"jsonrpc":"2.0","id":1,"method":"%s","params":%s}' "$1" "$2"; }
    {
        probe_req "$tag" "$port" ct-missing POST api-agent.php - "$(rpc oco.agent.hello '{}')"
        probe_req "$tag" "$port" ct-charset POST api-agent.php "$J; charset=utf-8" "$(rpc oco.agent.hello '{}')"
        probe_req "$tag" "$port" bad-json POST api-agent.php "$J" 'nope'
        probe_req "$tag" "$port" unknown-method POST api-agent.php "$J" \
            "$(rpc oco.agent.nope "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"data\":{}}")"
        probe_req "$tag" "$port" hello-2021 POST api-agent.php "$J" \
            "$(rpc oco.agent_hello "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"data\":{\"agent_version\":\"1.0.0\",\"networks\":[]}}")"
        probe_req "$tag" "$port" hello-dotted-plain POST api-agent.php "$J" \
            "$(rpc oco.agent.hello "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"uid\":\"probe-uid\",\"data\":{\"agent_version\":\"1.0.0\",\"networks\":[]}}")"
        probe_req "$tag" "$port" hello-dotted-nokey POST api-agent.php "$J" \
            "$(rpc oco.agent.hello "{\"hostname\":\"$H\",\"uid\":\"probe-uid\",\"timestamp\":1.5,\"data\":{\"agent_version\":\"1.3.0\"}}")"
        probe_req "$tag" "$port" hello-wrong-key POST api-agent.php "$J" \
            "$(rpc oco.agent.hello "{\"hostname\":\"$H\",\"agent-key\":\"wrong\",\"data\":{\"agent_version\":\"1.0.0\"}}")"
        probe_req "$tag" "$port" hello-2021-wrong-key POST api-agent.php "$J" \
            "$(rpc oco.agent_hello "{\"hostname\":\"$H\",\"agent-key\":\"wrong\",\"data\":{\"agent_version\":\"1.0.0\"}}")"
        probe_req "$tag" "$port" hello-unknown-host POST api-agent.php "$J" \
            "$(rpc oco.agent.hello "{\"hostname\":\"$H-nobody\",\"agent-key\":\"wrong\",\"data\":{\"agent_version\":\"1.0.0\"}}")"
        probe_req "$tag" "$port" hello-2021-unknown-host POST api-agent.php "$J" \
            "$(rpc oco.agent_hello "{\"hostname\":\"$H-nobody\",\"agent-key\":\"wrong\",\"data\":{\"agent_version\":\"1.0.0\"}}")"
        probe_req "$tag" "$port" selfreg-2021 POST api-agent.php "$J" \
            "$(rpc oco.agent_hello "{\"hostname\":\"$H-r1\",\"agent-key\":\"$REGKEY\",\"data\":{\"agent_version\":\"1.0.0\",\"networks\":[]}}")"
        probe_req "$tag" "$port" selfreg-dotted POST api-agent.php "$J" \
            "$(rpc oco.agent.hello "{\"hostname\":\"$H-r2\",\"agent-key\":\"$REGKEY\",\"data\":{\"agent_version\":\"1.0.0\",\"networks\":[]}}")"
        probe_req "$tag" "$port" update-empty-data POST api-agent.php "$J" \
            "$(rpc oco.agent.update "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"data\":{}}")"
        probe_req "$tag" "$port" update-dotted POST api-agent.php "$J" \
            "$(rpc oco.agent.update "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"uid\":\"probe-uid\",\"data\":{$inv}}")"
        probe_req "$tag" "$port" update-2021 POST api-agent.php "$J" \
            "$(rpc oco.agent_update "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"data\":{$inv}}")"
        probe_req "$tag" "$port" update-dotted-again POST api-agent.php "$J" \
            "$(rpc oco.agent.update "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"uid\":\"probe-uid\",\"data\":{$inv}}")"
        probe_req "$tag" "$port" update-2021-again POST api-agent.php "$J" \
            "$(rpc oco.agent_update "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"data\":{$inv}}")"
        probe_req "$tag" "$port" update-unknown-host POST api-agent.php "$J" \
            "$(rpc oco.agent.update "{\"hostname\":\"$H-nobody\",\"agent-key\":\"$K\",\"data\":{$inv}}")"
        probe_req "$tag" "$port" update-2021-unknown-host POST api-agent.php "$J" \
            "$(rpc oco.agent_update "{\"hostname\":\"$H-nobody\",\"agent-key\":\"$K\",\"data\":{$inv}}")"
        probe_req "$tag" "$port" jobstate-unknown-job POST api-agent.php "$J" \
            "$(rpc oco.agent.update_job_state "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"data\":{\"job-id\":999999,\"state\":2,\"return-code\":0,\"message\":\"\"}}")"
        probe_req "$tag" "$port" jobstate-null-rc POST api-agent.php "$J" \
            "$(rpc oco.agent.update_job_state "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"data\":{\"job-id\":999999,\"state\":2,\"return-code\":null,\"message\":\"\"}}")"
        probe_req "$tag" "$port" deploystatus-2021-unknown-job POST api-agent.php "$J" \
            "$(rpc oco.update_deploy_status "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"data\":{\"job-id\":999999,\"state\":2,\"return-code\":0,\"message\":\"\"}}")"
        probe_req "$tag" "$port" deploystatus-2021-null-rc POST api-agent.php "$J" \
            "$(rpc oco.update_deploy_status "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"data\":{\"job-id\":999999,\"state\":2,\"return-code\":null,\"message\":\"\"}}")"
        probe_req "$tag" "$port" deploystatus-2021-unknown-host POST api-agent.php "$J" \
            "$(rpc oco.update_deploy_status "{\"hostname\":\"$H-nobody\",\"agent-key\":\"$K\",\"data\":{\"job-id\":999999,\"state\":2,\"return-code\":0,\"message\":\"\"}}")"
        probe_req "$tag" "$port" jobstate-unknown-host POST api-agent.php "$J" \
            "$(rpc oco.agent.update_job_state "{\"hostname\":\"$H-nobody\",\"agent-key\":\"$K\",\"data\":{\"job-id\":999999,\"state\":2,\"return-code\":0,\"message\":\"\"}}")"
        probe_req "$tag" "$port" events-empty POST api-agent.php "$J" \
            "$(rpc oco.agent.events "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"data\":{\"events\":[]}}")"
        probe_req "$tag" "$port" passwords-empty POST api-agent.php "$J" \
            "$(rpc oco.agent.passwords "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"data\":{\"passwords\":[]}}")"
        probe_req "$tag" "$port" download-json POST api-agent.php "$J" \
            "$(rpc oco.agent.download "{\"hostname\":\"$H\",\"agent-key\":\"$K\",\"package-id\":$pkg}")"
        probe_req "$tag" "$port" get-api-no-job GET "api-agent.php?id=$pkg&hostname=$H&agent-key=$K" - ""
        probe_req "$tag" "$port" get-api-wrong-key GET "api-agent.php?id=$pkg&hostname=$H&agent-key=wrong" - ""
        probe_req "$tag" "$port" get-api-no-package GET "api-agent.php?id=999999&hostname=$H&agent-key=wrong" - ""
        probe_req "$tag" "$port" get-payloadprovider-no-job GET "payloadprovider.php?id=$pkg&hostname=$H&agent-key=$K" - ""
        probe_req "$tag" "$port" get-payloadprovider-no-id GET "payloadprovider.php?hostname=$H&agent-key=$K" - ""
    } >"$out"
}

probe_matrix() { # prints one line per probe: name, then "status" per version
    local tags=("$@")
    {
        printf '%-30s' probe
        for t in "${tags[@]}"; do printf ' | %-34s' "$t"; done
        echo
        local names
        names=$(cut -f1 "$RUN/${tags[0]}/probe.tsv")
        for n in $names; do
            printf '%-30s' "$n"
            for t in "${tags[@]}"; do
                printf ' | %-34s' "$(awk -F'\t' -v n="$n" '$1 == n {print $2; exit}' "$RUN/$t/probe.tsv" | cut -c1-34)"
            done
            echo
        done
        echo
        echo "bodies (first 400 characters): $RUN/<version>/probe.tsv"
    } | tee -a "$SUMMARY"
}

# ---- 8. upgrades: the agent of server A meets server B with its computer row carried over -----------------
# What a server upgrade does to an agent: same name, same keys, same stored agent version, newer server code.
# The agent folder (config with its pinned protocol, state) of A is copied and pointed at B.
UPGRADE_RESULTS=()
upgrade_step() { # tagA tagB
    local a=$1 b=$2 host=${HOSTS[$1]} srcdb dstdb up="$RUN/upgrade-$1-to-$2"
    srcdb=$(dbname "$a")
    dstdb=$(dbname "$b")
    local row
    row=$(sqlq "$srcdb" "SELECT agent_key, server_key, agent_version FROM computer WHERE hostname = '$host'")
    local before
    before=$(sed -n 's/^[[:space:]]*protocol[[:space:]]*=[[:space:]]*//p' "$RUN/$a/agent/oco-agent.ini" | tail -n1)
    if [ -z "$row" ]; then
        {
            echo "== upgrade $a -> $b: skipped (the agent never registered on $a; its protocol stayed '$before')"
            echo
        } | tee -a "$SUMMARY"
        UPGRADE_RESULTS+=("$a->$b: skipped")
        return
    fi
    local akey skey aver
    IFS=$'\t' read -r akey skey aver <<<"$row"
    rm -rf "$up"
    cp -a "$RUN/$a/agent" "$up"
    rm -f "$up/control.sock"
    sed -i -E "s|^(api-url[[:space:]]*=[[:space:]]*).*|\\1http://127.0.0.1:${PORTS[$b]}/api-agent.php|" "$up/oco-agent.ini"
    local cols vals
    cols=$(sqlq "$dstdb" "SELECT GROUP_CONCAT(CONCAT('\`', column_name, '\`')) FROM information_schema.columns
        WHERE table_schema = '$dstdb' AND table_name = 'computer' AND is_nullable = 'NO' AND column_default IS NULL
        AND extra NOT LIKE '%auto_increment%'
        AND column_name NOT IN ('hostname', 'agent_key', 'server_key', 'agent_version')")
    vals=$(echo "$cols" | tr ',' '\n' | sed "s/.*/''/" | paste -sd ',' -)
    sqlq "$dstdb" "INSERT INTO computer (hostname, agent_key, server_key, agent_version, $cols)
        VALUES ('$host', '$akey', '$skey', '$aver', $vals)"
    local n0
    n0=$(sqlq "$dstdb" "SELECT COUNT(*) FROM log")
    log "upgrade $a -> $b: agent of $a (protocol $before) meets $b"
    local rc1 rc2
    rc1=$(run_agent_in "$up" "$host" 1)
    rc2=$(run_agent_in "$up" "$host" 2)
    local after expect rows keynow upd
    after=$(sed -n 's/^[[:space:]]*protocol[[:space:]]*=[[:space:]]*//p' "$up/oco-agent.ini" | tail -n1)
    expect=$(expected_pin "$b")
    rows=$(sqlq "$dstdb" "SELECT COUNT(*) FROM computer WHERE hostname = '$host'")
    keynow=$(sqlq "$dstdb" "SELECT IF(agent_key = '$akey', 'unchanged', 'CHANGED') FROM computer WHERE hostname = '$host' LIMIT 1")
    upd=$(sqlq "$dstdb" "SELECT IFNULL(last_update, 'NULL') FROM computer WHERE hostname = '$host' LIMIT 1")
    local verdict=PASS
    { [ "$after" = "$expect" ] && [ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$rows" = 1 ] && [ "$upd" != NULL ]; } || verdict=FAIL
    {
        echo "== upgrade $a -> $b  (agent folder $up)"
        echo "   agent runs (--once): exit codes $rc1 / $rc2"
        echo "   protocol:     $before -> ${after:-<none>}   (expected $expect)"
        echo "   computer:     $rows row(s) named $host on $b, agent key $keynow, last_update=$upd"
        local said raw
        said=$(grep -h -E ' (ERROR|WARNING) |INFO .*(speaks|stored \[server\]|upgraded|moved|switch|server answered|inventory uploaded)' \
            "$up"/run1.log "$up"/run2.log 2>/dev/null | sed -E 's/^[^ ]+ //' | cut -c1-220 || true)
        if [ -n "$said" ]; then
            echo "   agent said:"
            indent <<<"$said"
        fi
        if sqlq "$dstdb" "SHOW COLUMNS FROM log LIKE 'realm'" | grep realm >/dev/null; then
            raw=$(sqlq "$dstdb" "SELECT CONCAT(IFNULL(JSON_VALUE(message, '$.method'), '<not JSON-RPC>'), ' ',
                IFNULL(JSON_KEYS(JSON_QUERY(message, '$.params')), '')) FROM log
                WHERE realm = 'oco.agentapi.rawrequest' AND id > $n0 ORDER BY id")
        else
            raw=$(sqlq "$dstdb" "SELECT IF(action = 'oco.computer.agent.api.rawrequest',
                    CONCAT(IFNULL(JSON_VALUE(data, '$.method'), '<not JSON-RPC>'), ' ', IFNULL(JSON_KEYS(JSON_QUERY(data, '$.params')), '')),
                    CONCAT('  server warning: ', action, ' ', LEFT(data, 100))),
                    action = 'oco.computer.agent.api.rawrequest' OR level >= 2
                FROM log LIMIT $n0, 100000" | awk -F'\t' '$2 == 1 {print $1}' || true)
        fi
        if [ -n "$raw" ]; then
            echo "   requests $b received (and its warnings):"
            uniq -c <<<"$raw" | indent
        fi
        echo "   RESULT:       $verdict"
        echo
    } | tee -a "$SUMMARY"
    UPGRADE_RESULTS+=("$a->$b: $verdict ($before -> ${after:-none})")
}

# ---- main ------------------------------------------------------------------------------------------------
{
    echo "realserver check $STAMP"
    echo "agent:    $AGENT ($("$AGENT" --version 2>&1 | sed -n 1p))"
    echo "versions: $VERSIONS"
    echo "protocol: $PROTOCOL (initial [server] protocol in the agent config)"
    echo "results:  $RUN"
    echo
} | tee "$SUMMARY"

if [ -s "$WORK/running.pids" ]; then
    log "note: $WORK/running.pids is left from an earlier run that did not clean up: $(paste -sd ',' "$WORK/running.pids")"
    mv "$WORK/running.pids" "$WORK/running.pids.old"
fi
start_db
declare -A DIRS PORTS HOSTS
for tag in $VERSIONS; do
    mkdir -p "$RUN/$tag"
    DIRS[$tag]=$(unpack "$tag")
    PORTS[$tag]=$(port_of "$tag")
    HOSTS[$tag]="realsrv-$(echo "$tag" | tr -c 'a-zA-Z0-9\n' '-')"
    configure "$tag" "${DIRS[$tag]}"
    start_php "$tag" "${DIRS[$tag]}" "${PORTS[$tag]}"
    log "$tag: http://127.0.0.1:${PORTS[$tag]}/api-agent.php (database $(dbname "$tag"))"
done

for tag in $VERSIONS; do
    dir=${DIRS[$tag]}
    port=${PORTS[$tag]}
    host=${HOSTS[$tag]}
    db=$(dbname "$tag")
    write_agent_config "$tag" "$port"
    log "$tag: run 1 (registration, inventory)"
    rc1=$(run_agent "$tag" "$host" 1)
    cid=$(sqlq "$db" "SELECT id FROM computer WHERE hostname = '$host'" | sed -n 1p)
    job=""
    rc2=-
    rc3=-
    if [ -n "$cid" ]; then
        read -r pkg job < <(insert_job "$tag" "$dir" "$cid")
        log "$tag: computer $cid registered; package $pkg, job $job inserted; run 2 (job, restart)"
        rc2=$(run_agent "$tag" "$host" 2)
        log "$tag: run 3 (steady state with the pinned protocol)"
        rc3=$(run_agent "$tag" "$host" 3)
    else
        log "$tag: the computer did not register; no job"
    fi
    report_server "$tag" "$dir" "$port" "$host" "$rc1" "$rc2" "$rc3" "$job"
done

read -r -a TAGS <<<"$VERSIONS"
if [ "$UPGRADES" = 1 ]; then
    for ((i = 0; i + 1 < ${#TAGS[@]}; i++)); do
        upgrade_step "${TAGS[$i]}" "${TAGS[$((i + 1))]}"
    done
fi
if [ "$PROBE" = 1 ]; then
    for tag in "${TAGS[@]}"; do
        probe_server "$tag" "${DIRS[$tag]}" "${PORTS[$tag]}"
    done
    echo "== what the servers answer (status line; PHP built-in server, so the reason phrase is the server's own)" | tee -a "$SUMMARY"
    probe_matrix "${TAGS[@]}"
fi
{
    echo "== overview ($LABEL)"
    for tag in "${TAGS[@]}"; do
        echo "     $(cat "$RUN/$tag/result.txt" 2>/dev/null || echo "$tag: no result")"
    done
    for u in "${UPGRADE_RESULTS[@]}"; do echo "     upgrade $u"; done
} | tee -a "$SUMMARY"
echo "summary: $SUMMARY"
