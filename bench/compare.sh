#!/usr/bin/env bash
# Runs the same chat-bench scenarios against chat-server, ngircd and `ncat --chat` on this
# machine, in one run, and prints a side-by-side markdown table (docs/BENCHMARKS.md).
#
#   bench/compare.sh            # moderate sizes, a few minutes on 2 cores
#   bench/compare.sh --targets  # also the issue's target runs on chat-server alone
#                               # (10,000 telnet users or the most that fit; slow)
#   bench/compare.sh --baseline DIR
#                               # also another build's chat-server (DIR holds its binary, e.g.
#                               # an older commit's .build/release), measured in the same run
#   bench/compare.sh --no-tls   # without the TLS columns (chat-server's and ngircd's TLS
#                               # ports, with a self-signed certificate made for the run)
#
# Environment: RESULTS=DIR keeps the JSON of every run there (default: a temp dir),
# SOAK_SECONDS (default 30), DURATION (fanout/latency seconds, default 10),
# CONN_CLIENTS (connections scenario, default 1000), SCENARIOS (default
# "fanout latency connections soak community": a subset runs only those), COMMUNITY_SECONDS
# (default 30), TLS_CONN_CLIENTS (the TLS connection rate target with --targets, default 5000).
# Needs root to install ncat, ngircd and jq when they are missing (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=interactive=no
export DEBIAN_FRONTEND=noninteractive

TARGETS=0
TLS=1
BASELINE=""
while [ $# -gt 0 ]; do
    case "$1" in
        --targets) TARGETS=1 ;;
        --baseline)
            [ $# -ge 2 ] && [ -x "$2/chat-server" ] || { echo "--baseline needs a folder with a chat-server binary" >&2; exit 2; }
            BASELINE=$(cd "$2" && pwd); shift ;;
        --no-tls) TLS=0 ;;
        -h|--help) sed -n 2,22p "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done
SCENARIOS=${SCENARIOS:-fanout latency connections soak community}

DURATION=${DURATION:-10}
SOAK_SECONDS=${SOAK_SECONDS:-30}
COMMUNITY_SECONDS=${COMMUNITY_SECONDS:-30}
CONN_CLIENTS=${CONN_CLIENTS:-1000}
TLS_CONN_CLIENTS=${TLS_CONN_CLIENTS:-5000}
RESULTS=${RESULTS:-$(mktemp -d /tmp/chat-compare.XXXXXX)}
mkdir -p "$RESULTS"
WORK=$(mktemp -d /tmp/chat-compare-run.XXXXXX)
chmod 755 "$WORK"   # ngircd drops to nobody and reads its config from here

log() { echo "compare: $*" >&2; }

# 1. Tools.
need=()
for pkg in ncat ngircd jq; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -q >&2
    apt-get install -y -q "${need[@]}" >&2
fi
# The Debian package starts its own ngircd on port 6667; ours runs separately on a free port.

# 2. Build.
log "building (release)"
swift build -c release >&2
BIN=$(swift build -c release --show-bin-path)
BENCH="$BIN/chat-bench"

# A self-signed certificate for the TLS ports (P-256, as a Let's Encrypt ECDSA one), readable
# by the users both servers drop to.
if [ "$TLS" = 1 ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$WORK/tls.key" \
        -out "$WORK/tls.crt" -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null
    chmod 644 "$WORK/tls.key" "$WORK/tls.crt"
fi

# 3. Servers. Each scenario gets a fresh server; SERVER_PID and PORT describe it (for the
# TLS kinds, PORT is the TLS port).
SERVER_PID=""
PORT=""

free_port() {
    local p
    while true; do
        p=$(( 20000 + RANDOM % 20000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
}

wait_port() {
    for _ in $(seq 1 200); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    log "nothing listens on port $1"; return 1
}

start_server() {  # chat-server | ngircd | ncat; three tries (the machine is shared)
    local t
    for t in 1 2 3; do
        start_server_once "$1" && return 0
        log "  $1 did not come up (try $t): $(tail -2 "$WORK/server.log" 2>/dev/null)"
        cp "$WORK/server.log" "$RESULTS/start-failure-$1-$t.log" 2>/dev/null || true
        stop_server
    done
    return 1
}

start_server_once() {
    case "$1" in
        chat-server|baseline|chat-server-tls)
            local server_bin=$BIN tls=() which=''
            [ "$1" = baseline ] && server_bin=$BASELINE
            if [ "$1" = chat-server-tls ]; then
                # The bench talks to the TLS port, the one logged with "(TLS)".
                tls=(--tls-listen 127.0.0.1:0 --tls-cert "$WORK/tls.crt" --tls-key "$WORK/tls.key")
                which=' (TLS)'
            fi
            "$server_bin/chat-server" --listen 127.0.0.1:0 "${tls[@]}" --flood-rate 0 --max-per-ip 0 --max-clients 0 \
                --control-socket "$WORK/control.sock" >"$WORK/server.log" 2>&1 &
            SERVER_PID=$!
            PORT=""
            for _ in $(seq 1 200); do
                PORT=$(sed -n "s/.*listening on 127\\.0\\.0\\.1:\\([0-9]*\\)$which.*/\\1/p" "$WORK/server.log" | head -1)
                [ -n "$PORT" ] && break
                sleep 0.05
            done
            ;;
        ngircd|ngircd-tls)
            PORT=$(free_port)
            local ports=$PORT ssl=""
            if [ "$1" = ngircd-tls ]; then
                # The plain port on another number; the bench talks to the TLS one.
                ports=$(free_port)
                ssl="[SSL]
CertFile = $WORK/tls.crt
KeyFile = $WORK/tls.key
Ports = $PORT"
            fi
            mkdir -p "$WORK/conf.d"
            cat >"$WORK/ngircd.conf" <<EOF
[Global]
Name = bench.irc
Info = chat-bench comparison
Listen = 127.0.0.1
Ports = $ports
MotdPhrase = chat-bench
PidFile = $WORK/ngircd.pid
[Limits]
MaxConnections = 0
MaxConnectionsIP = 0
MaxJoins = 0
MaxNickLength = 30
MaxPenaltyTime = 0
PingTimeout = 600
PongTimeout = 600
[Options]
DNS = no
Ident = no
PAM = no
IncludeDir = $WORK/conf.d
$ssl
EOF
            ngircd -n -f "$WORK/ngircd.conf" >"$WORK/server.log" 2>&1 &
            SERVER_PID=$!
            ;;
        ncat)
            PORT=$(free_port)
            # --max-conns: ncat's default is 100 clients.
            ncat --chat --max-conns 5000 --listen 127.0.0.1 "$PORT" </dev/null >"$WORK/server.log" 2>&1 &
            SERVER_PID=$!
            ;;
    esac
    [ -n "$PORT" ] && wait_port "$PORT"
}

stop_server() {
    [ -n "$SERVER_PID" ] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# 4. Runs. Columns: server, dialect, extra bench options.
COLUMNS_=("chat-server irc" "chat-server human")
[ -n "$BASELINE" ] && COLUMNS_+=("baseline irc" "baseline human")
COLUMNS_+=("ngircd irc" "ncat raw")
[ "$TLS" = 1 ] && COLUMNS_+=("chat-server-tls irc" "chat-server-tls human" "ngircd-tls irc")

# run NAME SERVER DIALECT SCENARIO [bench options...]: JSON to $RESULTS/NAME.json.
# The machine is shared: if the server did not survive the run (someone else's cleanup
# signalled it), the run is repeated once and the table says so if it happens again.
run() {
    local name=$1 server=$2 dialect=$3 scenario=$4 try
    shift 4
    for try in 1 2; do
        if ! start_server "$server"; then
            echo '{"failed": true, "why": "server did not start"}' >"$RESULTS/$name.json"
            return 0
        fi
        log "$scenario against $server ($dialect): $*"
        local ok=1 tls=()
        case "$server" in *-tls) tls=(--tls) ;; esac
        "$BENCH" "$scenario" "${tls[@]}" --target "127.0.0.1:$PORT" --dialect "$dialect" --server-pid "$SERVER_PID" \
            --label "$server" --json --quiet "$@" >"$RESULTS/$name.json" 2>"$RESULTS/$name.err" || ok=0
        if ! kill -0 "$SERVER_PID" 2>/dev/null || grep -q "shutting down" "$WORK/server.log" 2>/dev/null; then
            log "  the server ended during the run (not by us)"
            cp "$WORK/server.log" "$RESULTS/$name.server.log" 2>/dev/null || true
            ok=0
            [ "$try" = 2 ] && echo '{"failed": true, "why": "server ended during the run"}' >"$RESULTS/$name.json"
        elif [ "$ok" = 0 ]; then
            log "  failed: $(tail -3 "$RESULTS/$name.err")"
            echo '{"failed": true}' >"$RESULTS/$name.json"
            try=2
        fi
        stop_server
        [ "$ok" = 1 ] || [ "$try" = 2 ] && break
    done
}

for col in "${COLUMNS_[@]}"; do
    set -- $col
    server=$1 dialect=$2
    key="$server-$dialect"
    # The same load for everyone. ngircd listens with a backlog of 10, so connections are
    # opened at most 10 at a time (more only measures SYN retries); the human dialect greets
    # after a 300 ms quiet period by design, so it gets more at once.
    conc=10
    [ "$dialect" = human ] && conc=500
    for scenario in $SCENARIOS; do
        case "$scenario" in
            fanout) run "fanout-$key" "$server" "$dialect" fanout --clients 100 --senders 5 --duration "$DURATION" --connect-concurrency "$conc" ;;
            latency) run "latency-$key" "$server" "$dialect" latency --clients 50 --senders 1 --rate 200 --duration "$DURATION" --connect-concurrency "$conc" ;;
            connections) run "connections-$key" "$server" "$dialect" connections --clients "$CONN_CLIENTS" --hold 5 --connect-concurrency "$conc" ;;
            soak) run "soak-$key" "$server" "$dialect" soak --clients 200 --senders 10 --rate 500 --duration "$SOAK_SECONDS" --interval 10 --connect-concurrency "$conc" ;;
            # IRC users only: a telnet user talks in one channel at a time.
            community) if [ "$dialect" = irc ]; then run "community-$key" "$server" "$dialect" community --clients 2000 --channels 20 --senders 80 --private 20 --duration "$COMMUNITY_SECONDS" --connect-concurrency "$conc"; fi ;;
            *) log "unknown scenario $scenario (SCENARIOS)"; exit 2 ;;
        esac
    done
done

if [ "$TARGETS" = 1 ]; then
    # Target 4: 10,000 telnet users, or as many as the descriptor limit allows (the hub keeps
    # one descriptor per session, the bench one per client in each of its two workers).
    lim=$(ulimit -n)
    n=10000
    if [ $(( n + 32 )) -gt "$lim" ]; then n=$(( lim - 32 )); fi
    log "target 4 with $n clients (descriptor limit $lim)"
    run "target-connections" chat-server human connections --clients "$n" --hold 10 --connect-concurrency 2000 --register-timeout 600
    if [ "$TLS" = 1 ]; then
        # Issue 15: as many telnet users over TLS, and new TLS connections per second (telnet
        # users, 1,000 at once: their 300 ms quiet period overlaps, and nobody's arrival is
        # told to a crowd, as an IRC JOIN is, so the ramp is the handshakes and the forks).
        run "target-tls-connections" chat-server-tls human connections --clients "$n" --hold 10 --connect-concurrency 2000 --register-timeout 600
        run "target-tls-rate" chat-server-tls human connections --clients "$TLS_CONN_CLIENTS" --hold 1 --connect-concurrency 1000 --register-timeout 600
    fi
fi

# 5. The table.
j() {  # j NAME JQ-EXPRESSION
    jq -r "if .failed then \"failed\" else ($2) end" "$RESULTS/$1.json" 2>/dev/null || echo "n/a"
}
loss='"\(.lost)/\(.duplicated)/\(.reordered)/\(.corrupted)"'
f2='(. * 100 | round / 100)'
row() {  # row LABEL SCENARIO JQ-EXPRESSION
    local label=$1 scenario=$2 expr=$3 line
    case " $SCENARIOS " in *" $scenario "*) ;; *) return 0 ;; esac
    line="| $label |"
    for col in "${COLUMNS_[@]}"; do
        set -- $col
        line+=" $(j "$scenario-$1-$2" "$expr") |"
    done
    echo "$line"
}

{
    echo
    header="| scenario / figure |"
    rule="|---|"
    for col in "${COLUMNS_[@]}"; do
        set -- $col
        case "$1 $2" in
            "chat-server irc") header+=" chat-server (IRC) |" ;;
            "chat-server human") header+=" chat-server (telnet) |" ;;
            "baseline irc") header+=" baseline (IRC) |" ;;
            "baseline human") header+=" baseline (telnet) |" ;;
            "ngircd irc") header+=" ngircd $(dpkg-query -W -f '${Version}' ngircd 2>/dev/null) (IRC) |" ;;
            "ncat raw") header+=" ncat --chat $(dpkg-query -W -f '${Version}' ncat 2>/dev/null) (raw) |" ;;
            "chat-server-tls irc") header+=" chat-server TLS (IRC) |" ;;
            "chat-server-tls human") header+=" chat-server TLS (telnet) |" ;;
            "ngircd-tls irc") header+=" ngircd TLS (IRC) |" ;;
        esac
        rule+="---|"
    done
    echo "$header"
    echo "$rule"
    row "**fanout** 100 clients, 5 senders flat out: delivered lines/s" fanout '.delivered_per_s | round'
    row "fanout: server CPU per delivered line (µs)" fanout ".server.cpu_per_line_us | $f2"
    row "fanout: server CPU (% of one core) / bench CPU (%)" fanout '"\(.server.cpu_pct | round) / \(.bench_cpu_pct | round)"'
    row "fanout: lost/dup/reordered/corrupt" fanout "$loss"
    row "**latency** 50 clients, 200 lines/s: first delivery p50 / p99 (ms)" latency '"\(.latency_first.p50_ms) / \(.latency_first.p99_ms)"'
    row "latency: every delivery p50 / p99 (ms)" latency '"\(.latency_all.p50_ms) / \(.latency_all.p99_ms)"'
    row "latency: last delivery p99 (ms)" latency '.latency_last.p99_ms'
    row "latency: server CPU per delivered line (µs)" latency ".server.cpu_per_line_us | $f2"
    row "latency: lost/dup/reordered/corrupt" latency "$loss"
    row "**connections** $CONN_CLIENTS clients: ready / time (s)" connections '"\(.ready) / \(.ramp_s | . * 100 | round / 100)"'
    row "connections: new connections per second (ready / ramp)" connections 'if .ramp_s > 0 then (.ready / .ramp_s | round) else "n/a" end'
    row "connections: server PSS per client (KiB)" connections ".server.pss_per_client_kib | $f2"
    row "connections: server CPU while idle (% of one core)" connections ".server.cpu_pct | $f2"
    row "**soak** 200 clients, 10 senders, 500 lines/s, ${SOAK_SECONDS} s: delivered lines/s" soak '.delivered_per_s | round'
    row "soak: every delivery p99 (ms)" soak '.latency_all.p99_ms'
    row "soak: server CPU per delivered line (µs)" soak ".server.cpu_per_line_us | $f2"
    row "soak: server PSS start → end (KiB)" soak '"\(.server.pss_at_start_kib) → \(.server.pss_kib)"'
    row "soak: lost/dup/reordered/corrupt" soak "$loss"
    row "**community** 2,000 users, 20 channels (one of 1,000) at 0.2-5 lines/s, 20 private conversations, ${COMMUNITY_SECONDS} s: delivered lines/s" community '.delivered_per_s | round'
    row "community: server CPU (% of one core)" community ".server.cpu_pct | $f2"
    row "community: server CPU per delivered line (µs)" community ".server.cpu_per_line_us | $f2"
    row "community: server PSS (MiB)" community "(.server.pss_kib / 1024 | round)"
    row "community: every delivery p50 / p99 (ms)" community '"\(.latency_all.p50_ms) / \(.latency_all.p99_ms)"'
    row "community: lost/dup/reordered/corrupt" community "$loss"
    if [ "$TARGETS" = 1 ]; then
        echo
        echo "Target runs (chat-server alone):"
        echo
        t=target-connections
        echo "- connections, telnet: $(j $t '.ready') of $(j $t '.clients') ready in $(j $t '.ramp_s') s, PSS $(j $t '.server.pss_per_session_kib') KiB per session ($(j $t '.server.pss_per_client_kib') KiB per client with the hub's growth), hub CPU while idle $(j $t '.server.hub_cpu_pct')%"
        if [ "$TLS" = 1 ]; then
            t=target-tls-connections
            echo "- connections, telnet over TLS: $(j $t '.ready') of $(j $t '.clients') ready in $(j $t '.ramp_s') s, PSS $(j $t '.server.pss_per_session_kib') KiB per session ($(j $t '.server.pss_per_client_kib') KiB per client with the hub's growth), hub CPU while idle $(j $t '.server.hub_cpu_pct')%"
            t=target-tls-rate
            echo "- new TLS connections (telnet users, 1,000 at once): $(j $t '.ready') of $(j $t '.clients') ready in $(j $t '.ramp_s') s: $(j $t 'if .ramp_s > 0 then (.ready / .ramp_s | round) else "n/a" end') per second"
        fi
    fi
    if [ "$TLS" = 1 ]; then
        # Issue 15's CPU target: TLS at most 1.5x plain per delivered line, and below ngircd's TLS.
        ratio() {  # ratio SCENARIO DIALECT
            local a b
            a=$(j "$1-chat-server-tls-$2" '.server.cpu_per_line_us')
            b=$(j "$1-chat-server-$2" '.server.cpu_per_line_us')
            awk -v a="$a" -v b="$b" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'
        }
        case " $SCENARIOS " in *" fanout "*)
            echo
            echo "Server CPU per delivered line, TLS over plain (fanout): IRC $(ratio fanout irc)x, telnet $(ratio fanout human)x; ngircd TLS over plain: $(awk -v a="$(j fanout-ngircd-tls-irc '.server.cpu_per_line_us')" -v b="$(j fanout-ngircd-irc '.server.cpu_per_line_us')" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }')x"
        esac
    fi
    echo
    echo "JSON of every run: $RESULTS"
}
