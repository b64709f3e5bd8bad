#!/usr/bin/env python3
"""Where each cell's time goes, from outside the JVM: process events against Allure's cell times.

Record while a matrix runs (bench/overhead.sh's Maven command), noting the realtime-monotonic offset:

  python3 -c 'import time; print(time.time() - time.monotonic())' > offset
  perf record -a -k CLOCK_MONOTONIC -e sched:sched_process_fork,sched:sched_process_exec,\\
      sched:sched_process_exit,syscalls:sys_enter_rename -o trace.data &  ...  kill -INT it
  perf script -i trace.data -F comm,pid,tid,time,event,trace > trace.txt
  bench/cell_timeline.py trace.txt "$(cat offset)" [ENGINE_PATH_PART]   (run in the repository root)

The engine's own window times (CLOCK_MONOTONIC, in the server.json/client.json attachments) share the
trace's clock; Allure's start/stop (epoch ms) are moved onto it with the offset. Only engines whose path
contains ENGINE_PATH_PART (default: this repository) and that run under perf are counted, so other
runs on the host are left out. Prints the median of each step over the cells, in ms.
"""
import glob
import json
import os
import re
import statistics
import sys

trace, offset = sys.argv[1], float(sys.argv[2])
repo = os.getcwd()
part = sys.argv[3] if len(sys.argv) > 3 else repo + "/"

head = re.compile(r"^\s*(\S.*?)\s+(\d+)/(\d+)\s+([\d.]+):\s+(\S+):\s*(.*)$")
fork_parent, fork_time, execs, exits, renames = {}, {}, {}, {}, {}
for line in open(trace):
    m = head.match(line)
    if not m:
        continue
    comm, pid, tid, t, event, rest = m.group(1), int(m.group(2)), int(m.group(3)), float(m.group(4)), m.group(5), m.group(6)
    if event == "sched:sched_process_fork":
        child = int(re.search(r"child_pid=(\d+)", rest).group(1))
        fork_parent[child], fork_time[child] = pid, t
    elif event == "sched:sched_process_exec":
        execs.setdefault(pid, []).append((t, re.search(r"filename=(\S+)", rest).group(1)))
    elif event == "sched:sched_process_exit" and "group_dead=true" in rest:   # the last thread of pid
        exits[pid] = t
    elif event == "syscalls:sys_enter_rename":
        renames.setdefault(pid, []).append(t)

# engines of this repository under perf: (spawn of their perf/ip process, engine exec, rename, exits)
procs = []
for pid, ex in execs.items():
    engine_exec = [t for t, f in ex if part in f and f.endswith("copybench-engine")]
    if not engine_exec or pid not in fork_parent:
        continue
    outer = fork_parent[pid]   # perf, which `ip netns exec` became, in the process the JVM spawned
    if not any(f.endswith("/perf") for _, f in execs.get(outer, [])) or outer not in fork_time:
        continue
    procs.append({"spawn": fork_time[outer], "exec": engine_exec[0], "ready": min(renames.get(pid, [None]) or [None]),
                  "exit": exits.get(pid), "outer_exit": exits.get(outer), "server": pid in renames})


def attachment(result, name):
    for a in result.get("attachments", []):
        if a["name"] == name:
            return json.load(open(os.path.join("allure-results", a["source"])))
    return None


cells = []
for f in glob.glob("allure-results/*-result.json"):
    d = json.load(open(f))
    if " · rep " in d.get("name", "") and d.get("status") == "passed":
        cells.append(d)
cells.sort(key=lambda d: d["start"])
steps = {}


def add(name, ms):
    steps.setdefault(name, []).append(ms)


ms = 1000.0
for i, d in enumerate(cells):
    start, stop = d["start"] / 1000 - offset, d["stop"] / 1000 - offset
    inside = [p for p in procs if start <= p["spawn"] <= stop]
    servers, clients = [p for p in inside if p["server"]], [p for p in inside if not p["server"]]
    if len(servers) != 1 or len(clients) != 1:
        continue
    s, c = servers[0], clients[0]
    sj, cj = attachment(d, "server.json"), attachment(d, "client.json")
    add("a Java: cell start → server spawned", (s["spawn"] - start) * ms)
    add("b server: spawn → engine exec (jspawnhelper, ip netns exec, perf start-up)", (s["exec"] - s["spawn"]) * ms)
    add("c server: engine exec → ready file", (s["ready"] - s["exec"]) * ms)
    add("d Java: ready file → client spawned (10 ms polling, fifos)", (c["spawn"] - s["ready"]) * ms)
    add("e client: spawn → engine exec (jspawnhelper, ip netns exec, perf start-up)", (c["exec"] - c["spawn"]) * ms)
    add("f client: engine exec → window open, minus warm-up (connect, hello, go)",
        (cj["window"]["start_ns"] / 1e9 - c["exec"]) * ms - 50)
    add("g warm-up + window (as asked)", 250)
    add("h client: window close → engine exit (100 ms tail, report)", (c["exit"] - cj["window"]["end_ns"] / 1e9) * ms)
    add("i server: window close → engine exit (tail, drain, report)", (s["exit"] - sj["window"]["end_ns"] / 1e9) * ms)
    add("j server perf: engine exit → perf exit", (s["outer_exit"] - s["exit"]) * ms)
    add("k client perf: engine exit → perf exit", (c["outer_exit"] - c["exit"]) * ms)
    last = max(s["outer_exit"], c["outer_exit"])
    add("l Java: last process exit → cell stop (waitFor, read, parse, Allure attachments)", (stop - last) * ms)
    add("m cell: start → stop", (stop - start) * ms)
    if i + 1 < len(cells):
        add("n Java: cell stop → next cell start (JUnit, Allure result)", cells[i + 1]["start"] - d["stop"])

print(f"{len(steps.get('m cell: start → stop', []))} cells matched; medians (ms) [p10, p90]")
for name in sorted(steps):
    v = sorted(steps[name])
    p = lambda q: v[min(len(v) - 1, int(q * len(v)))]
    print(f"  {name[2:]:80} {statistics.median(v):7.1f}  [{p(0.1):6.1f}, {p(0.9):6.1f}]")
