#!/usr/bin/env python3
"""The steps of one cell, timed by hand, outside Java (bench/overhead.sh gives the total per cell).

Runs the engine as CellRunner does -- server, then the client once the ready file exists, each through
`ip netns exec` and optionally under `perf stat -D -1 --control fifo:...` with copybench's default
events -- in the namespaces cbt17-s / cbt17-c (198.18.0.1/30 <-> 198.18.0.2/30, created here, deleted at
the end), and times each step on CLOCK_MONOTONIC, the clock of the engines' own window timestamps:

  ready        server spawned -> ready file written (polled every 1 ms)
  c_setup      client spawned -> client window opens, minus the warm-up (connect, hello, go)
  c_tail       client window closes -> client exited (the 100 ms uncounted tail, close, report, exit; perf's report)
  s_tail       server window closes -> server exited (the client's tail, zero-copy draining, report, exit)
  cell         server spawned -> both exited; overhead = cell - (warm-up + window)

and, separately, the bare process costs: `ip netns exec NS true`, and `perf stat ... -- true` with the
same events and control fifos. Usage: bench/cell_steps.py [REPS] (default 7); prints medians.
Needs root. Environment: ENGINE (default native/build/copybench-engine).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENGINE = os.environ.get("ENGINE", os.path.join(ROOT, "native/build/copybench-engine"))
NS_S, NS_C = "cbt17-s", "cbt17-c"
EVENTS = ("task-clock,context-switches,cpu-migrations,page-faults,cycles,instructions,L1-dcache-load-misses,"
          "LLC-loads,LLC-load-misses,skb:skb_copy_datagram_iovec,net:net_dev_xmit")
WARMUP_MS, WINDOW_MS = 50, 200


def sh(*cmd):
    subprocess.run(cmd, check=True)


def setup():
    sh("ip", "netns", "add", NS_S)
    sh("ip", "netns", "add", NS_C)
    sh("ip", "link", "add", "cbt17v-s", "netns", NS_S, "type", "veth", "peer", "name", "cbt17v-c", "netns", NS_C)
    sh("ip", "-n", NS_S, "addr", "add", "198.18.0.1/30", "dev", "cbt17v-s")
    sh("ip", "-n", NS_C, "addr", "add", "198.18.0.2/30", "dev", "cbt17v-c")
    for ns, dev in ((NS_S, "cbt17v-s"), (NS_C, "cbt17v-c")):
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", ns, "link", "set", dev, "up")


def teardown():
    for ns in (NS_S, NS_C):
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)


def under_perf(cmd, d, side, perf):
    if not perf:
        return cmd
    ctl, ack = os.path.join(d, side + ".ctl"), os.path.join(d, side + ".ack")
    os.mkfifo(ctl, 0o600)
    os.mkfifo(ack, 0o600)
    return (["perf", "stat", "-x,", "-o", os.path.join(d, side + ".perf"), "-e", EVENTS, "-D", "-1",
             "--control", f"fifo:{ctl},{ack}", "--"] + cmd + ["--perf-ctl", ctl, "--perf-ack", ack])


def cell(mode, size, threads, workload, perf):
    with tempfile.TemporaryDirectory(prefix="cbt17-cell-") as d:
        ready = os.path.join(d, "ready")
        common = ["--workload", workload, "--size", str(size), "--threads", str(threads),
                  "--warmup-ms", str(WARMUP_MS), "--duration-ms", str(WINDOW_MS), "--deadline-ms", "30000",
                  "--owner-pid", str(os.getpid())]
        server = [ENGINE, "server", "--mode", mode, "--bind", "198.18.0.1", "--port", "0", "--ready-file", ready] + common
        out_s, out_c = open(os.path.join(d, "s.json"), "w+"), open(os.path.join(d, "c.json"), "w+")
        t0 = time.monotonic_ns()
        ps = subprocess.Popen(["ip", "netns", "exec", NS_S] + under_perf(server, d, "server", perf),
                              stdin=subprocess.DEVNULL, stdout=out_s, stderr=open(os.path.join(d, "s.err"), "w"))
        while not os.path.exists(ready):
            time.sleep(0.001)
        t_ready = time.monotonic_ns()
        port = open(ready).read().strip()
        client = [ENGINE, "client", "--mode", mode, "--connect", "198.18.0.1", "--port", port] + common
        t_c0 = time.monotonic_ns()
        pc = subprocess.Popen(["ip", "netns", "exec", NS_C] + under_perf(client, d, "client", perf),
                              stdin=subprocess.DEVNULL, stdout=out_c, stderr=open(os.path.join(d, "c.err"), "w"))
        # wait for whichever ends first, stamping each exit
        ends = {}
        while len(ends) < 2:
            for name, p in (("s", ps), ("c", pc)):
                if name not in ends and p.poll() is not None:
                    ends[name] = time.monotonic_ns()
            time.sleep(0.0005)
        if ps.returncode or pc.returncode:   # reported, left out of the medians
            why = (open(os.path.join(d, "s.err")).read() + open(os.path.join(d, "c.err")).read()).strip()
            print(f"  failed: {mode} {size} {threads} {workload}: server {ps.returncode}, client {pc.returncode}: {why}")
            return None
        out_s.seek(0)
        out_c.seek(0)
        js, jc = json.load(out_s), json.load(out_c)
        ms = 1e-6
        return {
            "ready": (t_ready - t0) * ms,
            "c_setup": (jc["window"]["start_ns"] - t_c0) * ms - WARMUP_MS,
            "c_tail": (ends["c"] - jc["window"]["end_ns"]) * ms,
            "s_tail": (ends["s"] - js["window"]["end_ns"]) * ms,
            "cell": (max(ends.values()) - t0) * ms,
            "overhead": (max(ends.values()) - t0) * ms - WARMUP_MS - WINDOW_MS,
        }


def bare(cmd_factory):
    out = []
    for _ in range(REPS):
        with tempfile.TemporaryDirectory(prefix="cbt17-bare-") as d:
            cmd = cmd_factory(d)
            t0 = time.monotonic_ns()
            subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            out.append((time.monotonic_ns() - t0) * 1e-6)
    return statistics.median(out)


def main():
    teardown()
    setup()
    try:
        print(f"{REPS} repetitions each, medians in ms; warm-up {WARMUP_MS} ms + window {WINDOW_MS} ms")
        print(f"bare: true                            {bare(lambda d: ['true']):7.1f}")
        print(f"bare: ip netns exec NS true           {bare(lambda d: ['ip', 'netns', 'exec', NS_S, 'true']):7.1f}")
        print(f"bare: engine --version                {bare(lambda d: [ENGINE, '--version']):7.1f}")
        print(f"bare: perf stat -D -1 (fifos) -- true {bare(lambda d: under_perf(['true'], d, 'x', True)[:-4]):7.1f}"
              "   (copybench's 11 events, incl. 2 tracepoints)")
        print(f"bare: perf stat -e task-clock -- true {bare(lambda d: ['perf', 'stat', '-x,', '-o', d + '/p', '-e', 'task-clock', '--', 'true']):7.1f}")
        print(f"bare: perf stat -e 9 non-tracepoint   {bare(lambda d: ['perf', 'stat', '-x,', '-o', d + '/p', '-e', EVENTS.rsplit(',', 2)[0], '--', 'true']):7.1f}")
        keys = ["ready", "c_setup", "c_tail", "s_tail", "cell", "overhead"]
        print(f"{'cell':44}" + "".join(f"{k:>10}" for k in keys))
        for mode, size, threads, workload in (("one-copy", 65536, 1, "stream"), ("zero-copy", 65536, 1, "stream"),
                                              ("one-copy", 64, 2, "request-response"), ("zero-copy", 64, 2, "stream")):
            for perf in (False, True):
                rows = [r for r in (cell(mode, size, threads, workload, perf) for _ in range(REPS)) if r]
                if not rows:
                    continue
                med = {k: statistics.median(r[k] for r in rows) for k in keys}
                name = f"{mode} {size} B {threads}t {workload} {'perf' if perf else 'no perf'}"
                print(f"{name:44}" + "".join(f"{med[k]:10.1f}" for k in keys))
    finally:
        teardown()


if __name__ == "__main__":
    main()
