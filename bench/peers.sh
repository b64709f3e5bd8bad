#!/usr/bin/env bash
# The engine against the tools a kernel engineer would otherwise use, on the same namespace pair,
# in alternating rounds (odd rounds: peers first; even rounds: engine first), so drift of the host
# hits both alike:
#   streaming, 1 connection: iperf3 (plain write(), and -Z = sendfile) vs the engine's one-copy,
#     two-copy, zero-copy and sendfile at 4 KiB, 64 KiB and 1 MiB (iperf3 -l = the engine's message size);
#   request/response, 64 B, 1 connection: sockperf ping-pong vs the engine's request-response.
# Prints every measurement, then median ratios engine ÷ peer, ending with
#   ratio one-copy/iperf3 @64KiB: X.XX
# sockperf reports half the round trip as "latency"; the ratio compares round trips (2 × sockperf).
# Needs root (namespaces). Environment: ROUNDS (default 3), RUN_SECONDS (default 3).
set -euo pipefail
rounds=${ROUNDS:-3}
run_s=${RUN_SECONDS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
engine=$root/native/build/copybench-engine
sizes=(4096 65536 1048576)

missing=()
command -v iperf3 >/dev/null 2>&1 || missing+=(iperf3)
command -v sockperf >/dev/null 2>&1 || missing+=(sockperf)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
make -s -C "$root/native" >/dev/null

ns_s=cbpeers-$$-s
ns_c=cbpeers-$$-c
server_ip=198.18.0.1
work=$(mktemp -d /tmp/cbpeers-$$-XXXX)
started=()
cleanup() {
    for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
    ip netns del "$ns_s" 2>/dev/null || true
    ip netns del "$ns_c" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

ip netns add "$ns_s"
ip netns add "$ns_c"
ip link add "cbp$$s" netns "$ns_s" type veth peer name "cbp$$c" netns "$ns_c"
ip -n "$ns_s" addr add "$server_ip/30" dev "cbp$$s"
ip -n "$ns_c" addr add 198.18.0.2/30 dev "cbp$$c"
for ns_if in "$ns_s cbp$$s" "$ns_c cbp$$c"; do
    read -r ns ifname <<<"$ns_if"
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "$ifname" up
done

# Long-running peer servers; `ip netns exec` execs, so $! is the server's own PID.
ip netns exec "$ns_s" iperf3 -s -B "$server_ip" -p 5201 >"$work/iperf3-server.log" 2>&1 &
started+=($!)
ip netns exec "$ns_s" sockperf server -i "$server_ip" -p 11111 --tcp >"$work/sockperf-server.log" 2>&1 &
started+=($!)
sleep 1

field() { grep -o "\"$2\":[0-9.e+-]*" "$1" | head -1 | cut -d: -f2; }

iperf3_gbps() {   # size [extra args]: Gbps the receiver saw
    local size=$1; shift
    ip netns exec "$ns_c" iperf3 -c "$server_ip" -p 5201 -t "$run_s" -O 1 -l "$size" -J "$@" >"$work/iperf3.json"
    awk '/"sum_received"/ { on = 1 } on && /"bits_per_second"/ { gsub(/[ ,]/, ""); split($0, kv, ":"); printf "%.3f\n", kv[2] / 1e9; exit }' \
        "$work/iperf3.json"
}

engine_run() {   # mode workload size: leaves the client's JSON in $work/client.json
    rm -f "$work/ready"
    local common=(--workload "$2" --size "$3" --threads 1 --warmup-ms 1000 --duration-ms $((run_s * 1000))
        --deadline-ms $((run_s * 1000 + 30000)) --owner-pid $$)
    ip netns exec "$ns_s" "$engine" server --mode "$1" --bind "$server_ip" --port 0 --ready-file "$work/ready" \
        "${common[@]}" >"$work/server.json" 2>"$work/server.err" &
    local server=$!
    started+=("$server")
    for _ in $(seq 200); do [ -s "$work/ready" ] && break; sleep 0.02; done
    ip netns exec "$ns_c" "$engine" client --connect "$server_ip" --port "$(cat "$work/ready")" "${common[@]}" \
        >"$work/client.json" 2>"$work/client.err"
    wait "$server"
}

engine_gbps() { engine_run "$1" stream "$2"; field "$work/client.json" gbps; }

engine_rtt_p50_us() {
    engine_run one-copy request-response 64
    awk -v ns="$(grep -o '"p50":[0-9]*' "$work/client.json" | head -1 | cut -d: -f2)" 'BEGIN { printf "%.2f\n", ns / 1000 }'
}

sockperf_rtt_p50_us() {   # sockperf prints half the round trip; report the round trip
    ip netns exec "$ns_c" sockperf ping-pong -i "$server_ip" -p 11111 --tcp -m 64 -t "$run_s" >"$work/sockperf.log" 2>&1
    awk '/percentile 50.000/ { printf "%.2f\n", 2 * $NF }' "$work/sockperf.log"
}

declare -A samples   # key -> space-separated values, one per round
record() { samples[$1]="${samples[$1]:-} $2"; printf '  %-28s %s\n' "$1" "$2"; }

peers() {
    for size in "${sizes[@]}"; do
        record "iperf3 $size" "$(iperf3_gbps "$size")"
        record "iperf3-Z $size" "$(iperf3_gbps "$size" -Z)"
    done
    record "sockperf rtt-p50-us" "$(sockperf_rtt_p50_us)"
}

engines() {
    for size in "${sizes[@]}"; do
        for mode in one-copy two-copy zero-copy sendfile; do
            record "$mode $size" "$(engine_gbps "$mode" "$size")"
        done
    done
    record "engine rtt-p50-us" "$(engine_rtt_p50_us)"
}

for round in $(seq "$rounds"); do
    echo "round $round/$rounds (Gbps, or µs for round trips)"
    if [ $((round % 2)) = 1 ]; then peers; engines; else engines; peers; fi
done

median_ratio() {   # numerator-key denominator-key: median over rounds of per-round ratios
    paste -d' ' <(tr ' ' '\n' <<<"${samples[$1]}" | sed '/^$/d') <(tr ' ' '\n' <<<"${samples[$2]}" | sed '/^$/d') |
        awk '{ print $1 / $2 }' | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f\n", m }'
}

label() { case $1 in 4096) echo 4KiB ;; 65536) echo 64KiB ;; 1048576) echo 1MiB ;; esac; }

echo "median ratios over $rounds rounds (engine ÷ peer; for round trips lower is faster)"
for size in "${sizes[@]}"; do
    echo "ratio two-copy/iperf3 @$(label "$size"): $(median_ratio "two-copy $size" "iperf3 $size")"
    echo "ratio zero-copy/iperf3-Z @$(label "$size"): $(median_ratio "zero-copy $size" "iperf3-Z $size")"
    echo "ratio sendfile/iperf3-Z @$(label "$size"): $(median_ratio "sendfile $size" "iperf3-Z $size")"
done
echo "ratio rtt-p50 engine/sockperf @64B: $(median_ratio "engine rtt-p50-us" "sockperf rtt-p50-us")"
for size in 4096 1048576; do
    echo "ratio one-copy/iperf3 @$(label "$size"): $(median_ratio "one-copy $size" "iperf3 $size")"
done
echo "ratio one-copy/iperf3 @64KiB: $(median_ratio "one-copy 65536" "iperf3 65536")"
