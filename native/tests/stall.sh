#!/usr/bin/env bash
# The progress section sees a disturbance and whose it is: a stream cell over
# loopback whose server (then client) is frozen (SIGSTOP) for 1 s inside a 2 s
# window must report a gap of at least 800 ms on the frozen side (its sampler
# woke that late and it moved meanwhile at less than half its typical rate:
# it was not running), and the other side's stall, however long (a frozen
# client's socket buffers may take the whole second to fill; a loaded host
# makes the other side's sampler late too), must be mostly spent waiting on
# the frozen peer; the same cell undisturbed shows less than 500 of either: half the
# freeze, so the check is frozen or not, not a timing (a loaded host starves
# the sampler too, which is a disturbance of its own). Uses the optimized
# engine (sanitizers would slow the undisturbed run into stalls of their own).
# Takes about 9 seconds.
set -euo pipefail
engine=${1:?usage: stall.sh ENGINE}
work=$(mktemp -d)
server_pid=
client_pid=
cleanup() {
    for p in $server_pid $client_pid; do kill -CONT "$p" 2>/dev/null && kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
field() { grep -o "\"$2\":[0-9]*" "$1" | cut -d: -f2; }
failed=0
# run WHO: one cell; WHO (server or client; none) is stopped 0.5 s into the window for 1 s
run() {
    rm -f "$work/ready"
    "$engine" server --mode one-copy --size 65536 --threads 2 --bind 127.0.0.1 --ready-file "$work/ready" \
        --warmup-ms 200 --duration-ms 2000 --deadline-ms 15000 >"$work/server.json" 2>"$work/server.err" &
    server_pid=$!
    for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.02; done
    "$engine" client --size 65536 --threads 2 --connect 127.0.0.1 --port "$(cat "$work/ready")" \
        --warmup-ms 200 --duration-ms 2000 --deadline-ms 15000 >"$work/client.json" 2>"$work/client.err" &
    client_pid=$!
    local target=
    [ "$1" = server ] && target=$server_pid
    [ "$1" = client ] && target=$client_pid
    if [ -n "$target" ]; then
        sleep 0.75   # the client's go and warm-up take ~0.25 s: this is ~0.5 s into the window
        kill -STOP "$target"
        sleep 1
        kill -CONT "$target"
    fi
    local rc=0
    wait "$client_pid" || rc=$?
    wait "$server_pid" || rc=$?
    server_pid= client_pid=
    if [ "$rc" != 0 ]; then
        echo "the cell failed (frozen: $1):" >&2
        cat "$work/server.err" "$work/client.err" >&2
        failed=$((failed + 1))
        return 1
    fi
}
# frozen WHO OTHER MIN: the frozen side's gap; the other's stall (at least MIN ms) and how much of it waited on the frozen one
frozen() {
    local gap stall on_peer name="progress: a 1 s SIGSTOP of the $1 is the $1's"
    gap=$(field "$work/$1.json" longest_gap_ms)
    stall=$(field "$work/$2.json" longest_stall_ms); on_peer=$(field "$work/$2.json" stall_on_peer_ms)
    if [ "$gap" -ge 800 ] && [ "$stall" -ge "$3" ] && [ "$on_peer" -ge $((stall / 2)) ]; then
        printf '%-58s: ok (%s gap %s ms; %s stall %s ms, %s on its peer)\n' "$name" "$1" "$gap" "$2" "$stall" "$on_peer"
    else
        printf '%-58s: %s gap %s ms; %s stall %s ms, %s on its peer; want >= 800, >= %s, >= half\n' "$name" "$1" "$gap" \
            "$2" "$stall" "$on_peer" "$3" >&2
        grep -o '"progress":{[^}]*}' "$work/server.json" "$work/client.json" >&2
        failed=$((failed + 1))
    fi
}
if run server; then frozen server client 0; fi
if run client; then frozen client server 0; fi
if run none; then
    s=$(field "$work/server.json" longest_stall_ms); c=$(field "$work/client.json" longest_stall_ms)
    sg=$(field "$work/server.json" longest_gap_ms); cg=$(field "$work/client.json" longest_gap_ms)
    if [ "$s" -lt 500 ] && [ "$c" -lt 500 ] && [ "$sg" -lt 500 ] && [ "$cg" -lt 500 ]; then
        printf '%-58s: ok (stall: server %s ms, client %s ms)\n' "progress: an undisturbed cell shows no long stall" "$s" "$c"
    else
        printf '%-58s: stall/gap server %s/%s ms, client %s/%s ms, want < 500\n' \
            "progress: an undisturbed cell shows no long stall" "$s" "$sg" "$c" "$cg" >&2
        grep -o '"progress":{[^}]*}' "$work/server.json" "$work/client.json" >&2
        failed=$((failed + 1))
    fi
fi
[ "$failed" = 0 ]
