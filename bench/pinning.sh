#!/usr/bin/env bash
# Does pinning lower the run-to-run variation of throughput? Runs one cell
# (one-copy, stream, 64 KiB, 1 thread, 200 ms warm-up, 1 s window) between two
# network namespaces joined by a veth, ROUNDS times per variant, the variants
# alternating within each round so a drift in the host's load hits all alike:
#   unpinned  no --cpu
#   pinned    server --cpu SERVER_CPU, client --cpu CLIENT_CPU (default 0 and 1)
#   same      both on SERVER_CPU (VARIANTS="unpinned pinned" skips it)
# and prints mean, sd and CV of the client's gbps per variant, then
# "cv unpinned: X %" and "cv pinned: Y %". Needs root; creates and deletes
# the namespaces cbt13-pin-s and cbt13-pin-c (198.18.0.0/30).
# usage: bench/pinning.sh [ENGINE]   (default native/build/copybench-engine)
#
# Measured on the shared 2-CPU VM (2 runs × 12 rounds, client gbps; the other
# CPU was mostly free: "same" kept the machine at 1.00 s busy per 1 s):
#   variant   mean gbps    CV run 1   CV run 2
#   unpinned  16.0 / 16.1  14.6 %     12.5 %
#   pinned    19.9 / 18.9  17.2 %     32.6 %   bimodal: ~23 or ~10-11 gbps
#   same      13.4 / 13.3   3.3 %      4.4 %
# Pinning to two CPUs is faster on average but not steadier: some runs fall
# into a slow mode (with less machine busy time, so not another tenant's load)
# that an unpinned pair escapes by migrating. Both on one CPU is steady but a
# different, CPU-bound regime. Hence no pinning by default.
set -euo pipefail
engine=$(realpath "${1:-$(dirname "$0")/../native/build/copybench-engine}")
rounds=${ROUNDS:-10}
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
read -r -a variants <<<"${VARIANTS:-unpinned pinned same}"
ns_s=cbt13-pin-s ns_c=cbt13-pin-c
work=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    ip netns del "$ns_s" 2>/dev/null || true
    ip netns del "$ns_c" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns_s"
ip netns add "$ns_c"
ip link add cbt13p-s netns "$ns_s" type veth peer name cbt13p-c netns "$ns_c"
ip -n "$ns_s" addr add 198.18.0.1/30 dev cbt13p-s
ip -n "$ns_c" addr add 198.18.0.2/30 dev cbt13p-c
for side in s c; do
    ip -n "cbt13-pin-$side" link set "cbt13p-$side" up
    ip -n "cbt13-pin-$side" link set lo up
done

# cell VARIANT: one run; appends "VARIANT gbps" to $work/results
cell() {
    local variant=$1 s_opts=() c_opts=()
    case $variant in
    unpinned) ;;
    pinned) s_opts=(--cpu "$server_cpu"); c_opts=(--cpu "$client_cpu") ;;
    same) s_opts=(--cpu "$server_cpu"); c_opts=(--cpu "$server_cpu") ;;
    *) echo "unknown variant $variant" >&2; exit 2 ;;
    esac
    rm -f "$work/ready"
    ip netns exec "$ns_s" "$engine" server --mode one-copy --size 65536 --threads 1 --bind 198.18.0.1 --port 0 \
        --ready-file "$work/ready" --warmup-ms 200 --duration-ms 1000 --deadline-ms 20000 "${s_opts[@]}" \
        >"$work/server.json" 2>"$work/server.err" &
    server_pid=$!
    for _ in $(seq 250); do [ -s "$work/ready" ] && break; sleep 0.02; done
    local rc=0
    ip netns exec "$ns_c" "$engine" client --size 65536 --threads 1 --connect 198.18.0.1 --port "$(cat "$work/ready")" \
        --warmup-ms 200 --duration-ms 1000 --deadline-ms 20000 "${c_opts[@]}" >"$work/client.json" \
        2>"$work/client.err" || rc=$?
    wait "$server_pid" || rc=$?
    server_pid=
    if [ "$rc" != 0 ]; then
        echo "$variant: the cell failed" >&2
        cat "$work/server.err" "$work/client.err" >&2
        return
    fi
    local gbps busy
    gbps=$(grep -o '"gbps":[0-9.]*' "$work/client.json" | cut -d: -f2)
    busy=$(grep -o '"busy_ns":[0-9]*' "$work/server.json" | cut -d: -f2)
    printf '%-9s %8.3f gbps  machine busy %5.2f s\n' "$variant" "$gbps" "$(awk -v b="$busy" 'BEGIN { print b / 1e9 }')"
    echo "$variant $gbps" >>"$work/results"
}

touch "$work/results"
for round in $(seq "$rounds"); do
    # rotate the order each round: no variant always runs first
    n=${#variants[@]}
    for k in $(seq 0 $((n - 1))); do
        cell "${variants[$(((k + round) % n))]}"
    done
done
echo
awk '{ n[$1]++; s[$1] += $2; q[$1] += $2 * $2 }
     END {
         printf "%-9s %3s %9s %8s %7s\n", "variant", "n", "mean", "sd", "cv"
         for (v in n) {
             m = s[v] / n[v]
             sd = n[v] > 1 ? sqrt((q[v] - n[v] * m * m) / (n[v] - 1)) : 0
             printf "%-9s %3d %9.3f %8.3f %6.2f %%\n", v, n[v], m, sd, 100 * sd / m
         }
     }' "$work/results"
for v in "${variants[@]}"; do
    awk -v v="$v" '$1 == v { n++; s += $2; q += $2 * $2 }
        END { m = s / n; sd = sqrt((q - n * m * m) / (n - 1)); printf "cv %s: %.2f %%\n", v, 100 * sd / m }' \
        "$work/results"
done
