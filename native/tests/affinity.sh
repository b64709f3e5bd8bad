#!/usr/bin/env bash
# --cpu N: a CPU outside the process's allowed set is refused with one line
# naming the option, the value and the allowed CPUs; a pinned cell runs every
# thread of both processes (workers, sampler, watchdog) on that CPU and says
# so in its JSON ("cpu":N), an unpinned one says "cpu":null. Over loopback,
# about 2 seconds.
set -euo pipefail
engine=${1:?usage: affinity.sh ENGINE}
work=$(mktemp -d)
pids=()
cleanup() {
    for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
failed=0
pass() { printf '%-58s: ok%s\n' "$1" "${2:+ ($2)}"; }
fail() { printf '%-58s: %s\n' "$1" "$2" >&2; failed=$((failed + 1)); }

allowed=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)
cpu=${allowed%%[-,]*}   # the first CPU we may use

# A CPU nobody may use here (above the last one of the set, within --cpu's range).
rc=0
err=$("$engine" client --size 64 --connect 127.0.0.1 --port 9 --cpu 1023 2>&1 >/dev/null) || rc=$?
if [ "$allowed" = 1023 ]; then
    pass "cpu: a CPU outside the allowed set is refused" "skipped: 1023 is allowed"
elif [ "$rc" = 2 ] && [ "$(wc -l <<<"$err")" = 1 ] &&
     [ "$err" = "copybench-engine: error: --cpu 1023: not a CPU this process may run on; allowed: $allowed" ]; then
    pass "cpu: a CPU outside the allowed set is refused"
else
    fail "cpu: a CPU outside the allowed set is refused" "rc $rc: $err"
fi

# run_cell OPTS...: one stream cell with OPTS on both sides; while its window is open, the
# CPUs every thread of both processes may run on go to $work/threads.
run_cell() {
    rm -f "$work/ready" "$work/threads"
    "$engine" server --mode one-copy --size 65536 --threads 2 --bind 127.0.0.1 --ready-file "$work/ready" \
        --warmup-ms 100 --duration-ms 600 --deadline-ms 10000 "$@" >"$work/server.json" 2>"$work/server.err" &
    local server=$!
    pids=("$server")
    for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.02; done
    "$engine" client --size 65536 --threads 2 --connect 127.0.0.1 --port "$(cat "$work/ready")" \
        --warmup-ms 100 --duration-ms 600 --deadline-ms 10000 "$@" >"$work/client.json" 2>"$work/client.err" &
    local client=$!
    pids+=("$client")
    sleep 0.4   # inside both windows: every thread exists
    for p in "$server" "$client"; do
        for t in /proc/"$p"/task/*/status; do
            sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$t" 2>/dev/null || true
        done
    done >"$work/threads"
    local rc=0
    wait "$client" || rc=$?
    wait "$server" || rc=$?
    pids=()
    if [ "$rc" != 0 ]; then
        cat "$work/server.err" "$work/client.err" >&2
        return 1
    fi
}

label="cpu: --cpu $cpu pins every thread of both processes"
if run_cell --cpu "$cpu"; then
    n=$(wc -l <"$work/threads")
    others=$(grep -vx "$cpu" "$work/threads" || true)
    # server: main + 2 senders + watchdog; client: main + 2 workers + watchdog
    if [ "$n" -lt 8 ]; then
        fail "$label" "saw only $n threads"
    elif [ -n "$others" ]; then
        fail "$label" "threads allowed on: $(sort -u <<<"$others" | tr '\n' ' ')"
    elif ! grep -q "\"cpu\":$cpu," "$work/server.json" || ! grep -q "\"cpu\":$cpu," "$work/client.json"; then
        fail "$label" "the JSON does not say \"cpu\":$cpu"
    else
        pass "$label" "$n threads"
    fi
else
    fail "$label" "the cell failed"
fi

label="cpu: an unpinned cell reports \"cpu\":null"
if run_cell; then
    if grep -q '"cpu":null' "$work/server.json" && grep -q '"cpu":null' "$work/client.json"; then
        pass "$label"
    else
        fail "$label" "$(grep -o '"cpu":[^,]*' "$work/server.json" "$work/client.json" | tr '\n' ' ')"
    fi
else
    fail "$label" "the cell failed"
fi
[ "$failed" = 0 ]
