package dev.copybench.internal.perf;

import java.util.List;

/** The events counted by default on both sides; hardware ones are absent on hosts without a PMU. */
public final class PerfEvents {

    public static final List<String> DEFAULTS = List.of("task-clock", "context-switches", "cpu-migrations",
            "page-faults", "cycles", "instructions", "L1-dcache-load-misses", "LLC-loads", "LLC-load-misses",
            "skb:skb_copy_datagram_iovec", "net:net_dev_xmit");

    private PerfEvents() {
    }
}
