package dev.copybench.internal.plan;

import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Workload;

import java.time.Duration;
import java.util.Locale;

/**
 * How long a cell may take: its warm-up and window, plus a margin that grows with what its engines
 * allocate and fill before the window (the memory plan of {@link MemoryBudget}: messages, zero-copy
 * pools, sendfile's memfds) and with what is still in flight when it closes (one message per
 * connection, moved and checked before the end-of-cell handshake). The same figure is the engines'
 * {@code --deadline-ms}; the engine gives set-up what that deadline leaves and waits for its peer
 * {@code CB_GRACE_MS} plus the same drain (native/src/memory.h, {@code CB_DRAIN_MS_PER_MIB}).
 *
 * <p>A cell whose set-up and drain would take longer than {@link #MAX_OUTSIDE_WINDOW} is refused
 * up front, so what the memory guard accepts and what can finish agree. The rates are what a 2-core
 * host shared with other runs needs (load 15 … 35): filling the plan took 0.6 ms/MiB idle and up to
 * 4.5 ms/MiB loaded by hand, more than 9 under a loaded IT; draining 0.6 … 6 ms/MiB.
 */
public final class CellDeadline {

    /** Beyond warm-up, window, set-up and drain: process and perf start-up, the handshake's own grace (5 s). */
    static final Duration FIXED_MARGIN = Duration.ofSeconds(20);
    /** Allocating and filling the memory plan (page faults, the message pattern, checksums, memfd writes). */
    static final long SETUP_MS_PER_MIB = 12;
    /** Moving and checking what is in flight at the window's end; the engine's {@code CB_DRAIN_MS_PER_MIB}. */
    static final long DRAIN_MS_PER_MIB = 10;
    /** Connecting, the hello and the go, per connection. */
    static final long CONNECTION_MS = 10;
    /** The most a cell may plan to spend setting up and draining outside its window. */
    public static final Duration MAX_OUTSIDE_WINDOW = Duration.ofSeconds(60);

    private static final long MIB = 1L << 20;

    private CellDeadline() {
    }

    /** Estimated set-up: the whole memory plan filled, and each connection opened. */
    static long setupMs(CopyMode mode, MessageSize size, int threads, Workload workload) {
        return ceilMs(MemoryBudget.cellBytes(mode, size, threads, workload), SETUP_MS_PER_MIB) + threads * CONNECTION_MS;
    }

    /** Estimated drain after the window: one message per connection; udp-sink has no peer to drain to. */
    static long drainMs(MessageSize size, int threads, Workload workload) {
        return workload == Workload.UDP_SINK ? 0 : Math.multiplyExact(size.bytes(), threads) * DRAIN_MS_PER_MIB / MIB + 1;
    }

    /** The margin beyond warm-up and window that the cell's deadline grants. */
    public static Duration margin(CopyMode mode, MessageSize size, int threads, Workload workload) {
        return FIXED_MARGIN.plusMillis(setupMs(mode, size, threads, workload) + drainMs(size, threads, workload));
    }

    /** The cell's hard deadline: warm-up, window and {@link #margin}. */
    public static Duration of(BenchmarkPlan plan, Cell cell) {
        return plan.warmup().plus(plan.duration()).plus(margin(cell.mode(), cell.size(), cell.threads(), cell.workload()));
    }

    /**
     * Refuses the plan when one of its cells would spend more than {@link #MAX_OUTSIDE_WINDOW} setting up
     * and draining.
     *
     * @throws InvalidBenchmarkException naming the largest such cell, its figures and the fix
     */
    public static void check(BenchmarkPlan plan) {
        for (CopyMode mode : plan.modes()) {
            for (MessageSize size : plan.sizes()) {
                for (int threads : plan.threads()) {
                    for (Workload workload : plan.workloads()) {
                        long setup = setupMs(mode, size, threads, workload);
                        long drain = drainMs(size, threads, workload);
                        if (setup + drain > MAX_OUTSIDE_WINDOW.toMillis()) {
                            throw new InvalidBenchmarkException(String.format(Locale.ROOT, "%s · %s · %d threads · %s "
                                    + "would need about %d s outside its window (%d s to allocate and fill %s at %d ms/MiB, "
                                    + "%d s to drain %s in flight), more than the %d s a cell may: use fewer threads or "
                                    + "smaller messages", mode, size, threads, workload.engineName(),
                                    Math.round((setup + drain) / 1000.0), Math.round(setup / 1000.0),
                                    MemoryBudget.gib(MemoryBudget.cellBytes(mode, size, threads, workload)), SETUP_MS_PER_MIB,
                                    Math.round(drain / 1000.0), MemoryBudget.gib(size.bytes() * threads),
                                    MAX_OUTSIDE_WINDOW.toSeconds()));
                        }
                    }
                }
            }
        }
    }

    private static long ceilMs(long bytes, long msPerMib) {
        return (Math.multiplyExact(bytes, msPerMib) + MIB - 1) / MIB;
    }
}
