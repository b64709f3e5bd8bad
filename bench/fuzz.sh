#!/usr/bin/env bash
# Fuzzes everything the engine parses from outside (peer records, the received
# message stream, the command line) with libFuzzer under ASan + UBSan, for a
# bounded time. Installs clang-14 and libFuzzer when missing.
#   bench/fuzz.sh [SECONDS]      default 600; the corpus is kept in native/build/fuzz-corpus
set -euo pipefail
seconds=${1:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v clang-14 >/dev/null 2>&1 || ! compgen -G '/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null; then
    echo "installing: clang-14 libfuzzer-14-dev libclang-rt-14-dev"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends clang-14 libfuzzer-14-dev \
        libclang-rt-14-dev >/dev/null
fi
make -s -C "$root/native" fuzz
corpus=$root/native/build/fuzz-corpus
mkdir -p "$corpus"
# Seeds, one per parser (first byte selects it): a hello and a request record;
# a 64-byte message stream; a valid server command line.
printf '\x00CBH1\x00\x00\x00\x00\x40\x00\x00\x00\x01\x00\x00\x00CBRQ\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' >"$corpus/seed-wire"
printf '\x01\x00\x38\x01%064d' 0 >"$corpus/seed-stream"
printf '\x02--mode\x00one-copy\x00--size\x0065536\x00--bind\x00198.18.0.1\x00--threads\x004' >"$corpus/seed-argv"
artifacts=$root/native/build/fuzz-findings-
rc=0
"$root/native/build/fuzz-inputs" -max_total_time="$seconds" -print_final_stats=1 -timeout=5 \
    -artifact_prefix="$artifacts" "$corpus" >"$root/native/build/fuzz.log" 2>&1 || rc=$?
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|^Done|ERROR|SUMMARY' "$root/native/build/fuzz.log" || true
if [ "$rc" != 0 ]; then
    echo "fuzzing found a failure (exit $rc): $(ls "$artifacts"* 2>/dev/null)" >&2
    tail -40 "$root/native/build/fuzz.log" >&2
    exit 1
fi
echo "no crash in ${seconds} s"
