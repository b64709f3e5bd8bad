#!/usr/bin/env bash
# The progress section sees a disturbance: a stream cell over loopback whose
# server is frozen (SIGSTOP) for 1 s inside a 2 s window must report a
# longest_stall_ms of at least 800 on both sides; the same cell undisturbed
# less than 500: half the freeze, so the check is frozen or not, not a timing (a
# loaded host starves the sampler too, which is a disturbance of its own). Uses
# the optimized engine (sanitizers would slow the
# undisturbed run into stalls of their own). Takes about 6 seconds.
set -euo pipefail
engine=${1:?usage: stall.sh ENGINE}
work=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill -CONT "$server_pid" 2>/dev/null && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
stall() { grep -o '"longest_stall_ms":[0-9]*' "$1" | cut -d: -f2; }
failed=0
# run FREEZE: one cell; with FREEZE=1 the server is stopped 0.5 s into the window for 1 s
run() {
    rm -f "$work/ready"
    "$engine" server --mode one-copy --size 65536 --threads 2 --bind 127.0.0.1 --ready-file "$work/ready" \
        --warmup-ms 200 --duration-ms 2000 --deadline-ms 15000 >"$work/server.json" 2>"$work/server.err" &
    server_pid=$!
    for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.02; done
    "$engine" client --size 65536 --threads 2 --connect 127.0.0.1 --port "$(cat "$work/ready")" \
        --warmup-ms 200 --duration-ms 2000 --deadline-ms 15000 >"$work/client.json" 2>"$work/client.err" &
    local client_pid=$!
    if [ "$1" = 1 ]; then
        sleep 0.75   # the client's go and warm-up take ~0.25 s: this is ~0.5 s into the window
        kill -STOP "$server_pid"
        sleep 1
        kill -CONT "$server_pid"
    fi
    local rc=0
    wait "$client_pid" || rc=$?
    wait "$server_pid" || rc=$?
    server_pid=
    if [ "$rc" != 0 ]; then
        echo "the cell failed (freeze=$1):" >&2
        cat "$work/server.err" "$work/client.err" >&2
        failed=$((failed + 1))
        return 1
    fi
}
if run 1; then
    s=$(stall "$work/server.json"); c=$(stall "$work/client.json")
    if [ "$s" -ge 800 ] && [ "$c" -ge 800 ]; then
        printf '%-58s: ok (server %s ms, client %s ms)\n' "progress: a 1 s SIGSTOP shows as a stall" "$s" "$c"
    else
        printf '%-58s: server %s ms, client %s ms, want >= 800\n' "progress: a 1 s SIGSTOP shows as a stall" "$s" "$c" >&2
        grep -o '"progress":{[^}]*}' "$work/server.json" "$work/client.json" >&2
        failed=$((failed + 1))
    fi
fi
if run 0; then
    s=$(stall "$work/server.json"); c=$(stall "$work/client.json")
    if [ "$s" -lt 500 ] && [ "$c" -lt 500 ]; then
        printf '%-58s: ok (server %s ms, client %s ms)\n' "progress: an undisturbed cell shows no long stall" "$s" "$c"
    else
        printf '%-58s: server %s ms, client %s ms, want < 500\n' "progress: an undisturbed cell shows no long stall" "$s" "$c" >&2
        grep -o '"progress":{[^}]*}' "$work/server.json" "$work/client.json" >&2
        failed=$((failed + 1))
    fi
fi
[ "$failed" = 0 ]
