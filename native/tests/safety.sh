#!/usr/bin/env bash
# What makes the engine safe on a shared host, checked over loopback with the
# given engine binary: it never overwrites a file, every wait it can hang in
# ends with one line naming the cause. Takes a few seconds.
set -euo pipefail
engine=${1:?usage: safety.sh ENGINE}
work=$(mktemp -d)
pids=()
cleanup() {
    for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
failed=0
pass() { printf '%-58s: ok\n' "$1"; }
fail() { printf '%-58s: %s\n' "$1" "$2" >&2; failed=$((failed + 1)); }
# expect_error LABEL PATTERN MAX_S CMD...: CMD must fail within MAX_S seconds with one error line matching PATTERN
expect_error() {
    local label=$1 pattern=$2 max_s=$3
    shift 3
    local start=$SECONDS rc=0
    "$@" >"$work/out" 2>"$work/err" || rc=$?
    local took=$((SECONDS - start)) err
    err=$(grep -v 'listening on' "$work/err" || true)
    if [ "$rc" = 0 ]; then
        fail "$label" "exit 0"
    elif [ "$took" -gt "$max_s" ]; then
        fail "$label" "took ${took} s, more than $max_s"
    elif [ "$(wc -l <<<"$err")" != 1 ] || ! grep -qE -- "$pattern" <<<"$err"; then
        fail "$label" "want one line matching '$pattern', got: $err"
    else
        pass "$label"
    fi
}

# --ready-file never overwrites: the file keeps its content.
echo "a user's notes" >"$work/notes"
expect_error "ready file: an existing file is refused" \
    "^copybench-engine: error: --ready-file $work/notes: already exists" 5 \
    "$engine" server --mode one-copy --size 64 --bind 127.0.0.1 --ready-file "$work/notes" --deadline-ms 3000
[ "$(cat "$work/notes")" = "a user's notes" ] || fail "ready file: content kept" "overwritten: $(cat "$work/notes")"

# A control fifo nobody reads: bounded by the deadline, not a hang.
mkfifo "$work/ctl" "$work/ack"
expect_error "perf-ctl: a fifo nobody reads fails within the deadline" \
    "--perf-ctl $work/ctl: nobody opened the fifo for reading within [0-9]+ ms" 3 \
    "$engine" client --size 64 --connect 127.0.0.1 --port 9 --perf-ctl "$work/ctl" --perf-ack "$work/ack" \
    --deadline-ms 1000

# A reader that never acknowledges: the ack wait is bounded too.
sleep 30 <>"$work/ctl" &
pids+=($!)
rm -f "$work/ready"
"$engine" server --mode one-copy --size 64 --bind 127.0.0.1 --ready-file "$work/ready" --deadline-ms 8000 \
    --perf-ctl "$work/ctl" --perf-ack "$work/ack" --warmup-ms 10 --duration-ms 100 >/dev/null 2>"$work/server.err" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.02; done
expect_error "perf-ack: no acknowledgement fails with a line" \
    "--perf-ack $work/ack: perf did not acknowledge 'enable' within [0-9]+ ms" 8 \
    "$engine" client --size 64 --connect 127.0.0.1 --port "$(cat "$work/ready")" --perf-ctl "$work/ctl" \
    --perf-ack "$work/ack" --warmup-ms 10 --duration-ms 100 --deadline-ms 3000
kill "${pids[@]}" 2>/dev/null || true
wait 2>/dev/null || true
pids=()

# A server that accepts and never sends go (a stand-in listener; skipped without python3).
# With more than 8 client threads per CPU the line starts by saying so.
if command -v python3 >/dev/null; then
    python3 -c 'import socket,sys,time
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(1024)
open(sys.argv[1] + ".tmp", "w").write("%d\n" % l.getsockname()[1])
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True: held.append(l.accept())' "$work/silent" &
    pids+=($!)
    for _ in $(seq 100); do [ -s "$work/silent" ] && break; sleep 0.02; done
    expect_error "go: a client waits for the go at most until its deadline" \
        "connection 0: no go from the server within [0-9]+ ms" 3 \
        "$engine" client --size 64 --threads 2 --connect 127.0.0.1 --port "$(cat "$work/silent")" --deadline-ms 1500
    cpus=$(getconf _NPROCESSORS_ONLN)
    many=$((8 * cpus + 1))
    if [ "$many" -le 1024 ]; then
        expect_error "overload: the timeout names threads and CPUs" \
            "error: $many client threads on $cpus CPUs?: connection 0: no go from the server" 4 \
            "$engine" client --size 64 --threads "$many" --connect 127.0.0.1 --port "$(cat "$work/silent")" \
            --deadline-ms 2000
    fi
    kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    pids=()

    # Engines of two protocol versions: each side ends with one line naming both versions.
    # A server of version 9 (a stand-in answering every hello with its refusal)...
    python3 -c 'import socket,struct,sys,os
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(16)
open(sys.argv[1] + ".tmp", "w").write("%d\n" % l.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = l.accept(); c.recv(16); c.sendall(b"CBNO" + struct.pack(">I", 9) + bytes(8)); c.close()' "$work/v9" &
    pids+=($!)
    for _ in $(seq 100); do [ -s "$work/v9" ] && break; sleep 0.02; done
    expect_error "protocol: a server of another version is named by the client" \
        "error: the server speaks copybench protocol 9, this client [0-9]+: run the same engine version on both hosts" 3 \
        "$engine" client --size 64 --threads 2 --connect 127.0.0.1 --port "$(cat "$work/v9")" --deadline-ms 2000
    kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    pids=()
    # ...and a client of version 1 (host byte order, "CBH1") is refused by the server.
    rm -f "$work/ready"
    "$engine" server --mode one-copy --size 64 --bind 127.0.0.1 --ready-file "$work/ready" --deadline-ms 3000 \
        >"$work/v1.out" 2>"$work/v1.err" &
    server=$!
    for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.02; done
    refusal=$(python3 -c 'import socket,struct,sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"CBH1" + struct.pack("<III", 1, 64, 1)); print(s.recv(16)[:4].decode())' "$(cat "$work/ready")")
    rc=0
    wait "$server" || rc=$?
    if [ "$refusal" = CBNO ] && [ "$rc" != 0 ] \
        && grep -q "error: the client speaks copybench protocol 1, this server [0-9]*: run the same engine version" "$work/v1.err"; then
        pass "protocol: a client of another version is refused by the server"
    else
        fail "protocol: a client of another version is refused by the server" \
            "answer '$refusal', exit $rc, stderr: $(cat "$work/v1.err")"
    fi
else
    echo "go timeout, protocol versions: skipped (no python3 for the stand-in peers)"
fi

# A plan above --max-memory is refused before anything is allocated.
expect_error "max-memory: a 4 TiB zero-copy plan is refused up front" \
    "--max-memory 8589934592: the server would allocate 4.0 TiB .* 65536 × 64 MiB messages" 2 \
    "$engine" server --mode zero-copy --size 67108864 --zc-pool 65536 --bind 127.0.0.1 --max-memory 8589934592

[ "$failed" = 0 ]
