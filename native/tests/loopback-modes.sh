#!/usr/bin/env bash
# Runs every send mode and both workloads once over loopback with the given
# engine binary (the sanitizer build in `make check`) and fails unless each
# pair exits 0 with no integrity error and reconciled zero-copy completions
# (io-uring-zc: one notification per send). The modes come from the engine's
# own --list-modes; an unavailable one is reported and fails the run.
set -euo pipefail
engine=${1:?usage: loopback-modes.sh ENGINE}
work=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
field() { grep -o "\"$2\":[0-9.]*" <<<"$1" | head -1 | cut -d: -f2; }
failed=0
client_opts=()
# run_pair WORKLOAD MODE SIZE LABEL [server options...]: one server/client pair, checked
# (client_opts, when set, go to the client)
run_pair() {
    local workload=$1 mode=$2 size=$3 label=$4
    shift 4
    rm -f "$work/ready"
    "$engine" server --mode "$mode" --workload "$workload" --size "$size" --threads 2 \
        --bind 127.0.0.1 --ready-file "$work/ready" --warmup-ms 50 --duration-ms 200 \
        --deadline-ms 20000 "$@" >"$work/server.json" 2>"$work/server.err" &
    server_pid=$!
    for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.02; done
    port=$(cat "$work/ready")
    client_rc=0
    "$engine" client --workload "$workload" --size "$size" --threads 2 --connect 127.0.0.1 \
        --port "$port" --warmup-ms 50 --duration-ms 200 --deadline-ms 20000 ${client_opts[@]+"${client_opts[@]}"} \
        >"$work/client.json" 2>"$work/client.err" || client_rc=$?
    server_rc=0
    wait "$server_pid" || server_rc=$?
    server_pid=
    s=$(cat "$work/server.json"); c=$(cat "$work/client.json")
    verdict=ok
    [ "$server_rc" = 0 ] && [ "$client_rc" = 0 ] || verdict="exit codes server=$server_rc client=$client_rc"
    [ "$(field "$c" integrity_errors)" = 0 ] || verdict="integrity errors: $(field "$c" integrity_errors)"
    [ "$(field "$c" messages)" != 0 ] || verdict="no message in the window"
    if [ "$label" = short-writes ] && [ "$(field "$s" short_writes)" = 0 ]; then
        verdict="no short write"
    fi
    if [ "$mode" = zero-copy ] || [ "$mode" = io-uring-zc ]; then
        zc=$(grep -o '"zerocopy":{[^}]*}' <<<"$s" || true)
        [ -n "$zc" ] && [ "$(field "$zc" calls)" = "$(field "$zc" completed)" ] \
            || verdict="zero-copy completions do not reconcile: $zc"
        if [ "$mode" = io-uring-zc ] && { [ "$(field "$zc" sends)" != "$(field "$zc" notifications)" ] \
                || [ "$(field "$zc" sends)" = 0 ]; }; then
            verdict="io_uring notifications != sends: $zc"
        fi
        if [ "$label" = tiny-pool ] && [ "$(field "$zc" pool_waits)" = 0 ]; then
            verdict="the tiny pool never made a send wait for a notification: $zc"
        fi
    fi
    printf '%-16s %-11s %8s B %-12s: %s\n' "$workload" "$mode" "$size" "$label" "$verdict"
    if [ "$verdict" != ok ]; then
        failed=$((failed + 1))
        cat "$work/server.err" "$work/client.err" >&2
    fi
}
modes=()
while IFS=$'\t' read -r mode status; do
    if [ "$status" = available ]; then
        modes+=("$mode")
    else
        echo "$mode: $status" >&2
        failed=$((failed + 1))
    fi
done < <("$engine" --list-modes)
for workload in stream request-response; do
    for mode in "${modes[@]}"; do
        for size in 64 65536 1048576; do
            run_pair "$workload" "$mode" "$size" blocking --sndbuf 65536
        done
    done
done
# A small send buffer with non-blocking sends: most calls return short and are resumed. (Not
# smaller: loopback's MTU is 64 KiB, and a send buffer below one segment stalls TCP on delayed ACKs.)
for mode in "${modes[@]}"; do
    run_pair stream "$mode" 1048576 short-writes --sndbuf 65536 --nonblocking
done
# Zero-copy buffers rewritten only after the kernel let go of them: a pool of 2 with a slow reader
# (small receive buffer) keeps both in flight, so nearly every message waits for a buffer. The
# engine aborts if a buffer it is about to rewrite still owes a notification, and a buffer
# rewritten early would reach the client with a later header and fail its check.
client_opts=(--rcvbuf 4096)
for mode in zero-copy io-uring-zc; do
    for size in 4096 65536; do
        run_pair stream "$mode" "$size" tiny-pool --zc-pool 2 --sndbuf 1048576
    done
done
client_opts=()

# run_udp MODE SIZE: udp-sink to a verifying receiver (the client role) on loopback.
run_udp() {
    local mode=$1 size=$2
    rm -f "$work/ready"
    "$engine" client --workload udp-sink --size "$size" --connect 127.0.0.1 --port 0 --ready-file "$work/ready" \
        --warmup-ms 50 --duration-ms 200 --deadline-ms 20000 >"$work/client.json" 2>"$work/client.err" &
    server_pid=$!   # the receiver, here: cleaned up the same way
    for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.02; done
    server_rc=0
    "$engine" server --workload udp-sink --mode "$mode" --size "$size" --threads 2 --connect 127.0.0.1 \
        --port "$(cat "$work/ready")" --warmup-ms 50 --duration-ms 200 --deadline-ms 20000 \
        >"$work/server.json" 2>"$work/server.err" || server_rc=$?
    client_rc=0
    wait "$server_pid" || client_rc=$?
    server_pid=
    s=$(cat "$work/server.json"); c=$(cat "$work/client.json")
    verdict=ok
    [ "$server_rc" = 0 ] && [ "$client_rc" = 0 ] || verdict="exit codes sender=$server_rc receiver=$client_rc"
    [ "$(field "$c" integrity_errors)" = 0 ] || verdict="integrity errors: $(field "$c" integrity_errors)"
    [ "$(field "$c" total_messages)" != 0 ] || verdict="no datagram received"
    [ "$(field "$s" messages)" != 0 ] || verdict="no datagram sent in the window"
    if [ "$mode" = zero-copy ] || [ "$mode" = io-uring-zc ]; then
        zc=$(grep -o '"zerocopy":{[^}]*}' <<<"$s" || true)
        [ -n "$zc" ] && [ "$(field "$zc" calls)" = "$(field "$zc" completed)" ] \
            || verdict="zero-copy completions do not reconcile: $zc"
        if [ "$mode" = io-uring-zc ] && [ "$(field "$zc" sends)" != "$(field "$zc" notifications)" ]; then
            verdict="io_uring notifications != sends: $zc"
        fi
    fi
    printf '%-16s %-11s %8s B %-12s: %s\n' udp-sink "$mode" "$size" datagrams "$verdict"
    if [ "$verdict" != ok ]; then
        failed=$((failed + 1))
        cat "$work/server.err" "$work/client.err" >&2
    fi
}
for mode in "${modes[@]}"; do
    for size in 64 32768; do
        run_udp "$mode" "$size"
    done
done
# A datagram larger than 63 KiB is refused up front, with one line naming the limit.
if err=$("$engine" server --workload udp-sink --mode one-copy --size 65536 --connect 127.0.0.1 --port 9 2>&1); then
    echo "udp-sink accepted a 64 KiB datagram" >&2
    failed=$((failed + 1))
elif [ "$(wc -l <<<"$err")" != 1 ] || ! grep -q 64512 <<<"$err"; then
    echo "udp-sink's size refusal is not one line naming 64512: $err" >&2
    failed=$((failed + 1))
else
    printf '%-16s %-11s %8s B %-12s: %s\n' udp-sink one-copy 65536 refused ok
fi
[ "$failed" = 0 ]
