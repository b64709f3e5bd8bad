package dev.copybench;

import dev.copybench.internal.engine.EngineReport;
import dev.copybench.internal.engine.HostLoad;
import dev.copybench.internal.perf.CounterReading;
import dev.copybench.internal.perf.PerfCounters;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A named, unit-carrying quantity derived from one cell. Per-byte metrics divide by the
 * <em>payload bytes</em> the side moved inside its measured window (never bits, never a nominal
 * message count), and counters cover exactly that window. A metric whose counter this host cannot
 * count is {@linkplain Measurement#absent absent}.
 *
 * <pre>{@code
 * assertThat(results).metric(Metric.CPU_NS_PER_BYTE.on(Side.CLIENT)).of(ONE_COPY).isAtMost(TWO_COPY);
 * }</pre>
 */
public final class Metric {

    /** Payload received by the client per measured second (udp-sink: sent by the server, which is all there is). */
    public static final Metric THROUGHPUT_GBPS = new Metric("throughput", "Gbps", Side.CLIENT, null,
            (r, s) -> Measurement.of(r.report(s).gbps())).withHigherBetter();
    public static final Metric MESSAGES_PER_SECOND = new Metric("messages per second", "msg/s", Side.CLIENT, null,
            (r, s) -> Measurement.of(r.report(s).messagesPerS())).withHigherBetter();
    /** Measured round trips (request/response workload only), not size ÷ throughput. */
    public static final Metric LATENCY_P50_US = latency("latency p50", EngineReport.Latency::p50);
    public static final Metric LATENCY_P99_US = latency("latency p99", EngineReport.Latency::p99);
    public static final Metric LATENCY_P999_US = latency("latency p99.9", EngineReport.Latency::p999);
    /**
     * The sending process's own CPU time (perf's task-clock) per payload byte: every thread of it,
     * io_uring's io-wq workers (iou-wrk) included, since perf stat inherits its counters to them, and
     * io_uring's task work, which runs in the submitting thread. Work the kernel does in another task's
     * context is not in it: softirq that runs elsewhere, the receiver (zero-copy's copy on local
     * delivery), TCP sends that the peer's ACKs trigger in the peer's softirq, and io_uring's wake-ups
     * (the poll wake that queues the task work runs in the peer's softirq). Which side does the TCP
     * sending moves with scheduling: measured at 64 KiB over veth, about half the data packets left from
     * the receiver's context, and the sender's figure ranged 0.13–0.37 ns/B between runs of the same mode
     * (one-copy and io_uring alike) while both processes' sum stayed 0.69–0.81 ns/B (docs/cpu-accounting.md).
     * For a send path's cost use {@link #BOTH_PROCESSES_CPU_NS_PER_BYTE} or {@link #SYSTEM_CPU_NS_PER_BYTE}
     * (what the whole host spent on the cell).
     */
    public static final Metric CPU_NS_PER_BYTE = new Metric("CPU ns per byte", "ns/B", Side.SERVER, "task-clock",
            (r, s) -> perByte(r, s, "task-clock", 1));
    /**
     * Both engine processes' CPU time (task-clock, every thread) per payload byte, each over its own window
     * and bytes: the send path's cost wherever the kernel charged it between sender and receiver (a TCP
     * send triggered by the peer's ACK, io_uring's wake-ups), but not softirq run in neither process.
     */
    public static final Metric BOTH_PROCESSES_CPU_NS_PER_BYTE = new Metric("CPU ns per byte, both processes", "ns/B",
            Side.SERVER, null, (r, s) -> {
                if (r.client() == r.server()) {
                    return Measurement.absent("udp-sink has no receiving process");
                }
                Measurement server = perByte(r, Side.SERVER, "task-clock", 1);
                Measurement client = perByte(r, Side.CLIENT, "task-clock", 1);
                return !server.isPresent() ? server : !client.isPresent() ? client
                        : Measurement.of(server.value() + client.value());
            });
    /**
     * The cell's share of every CPU's busy time over the server's window, per payload byte: netperf's
     * service demand, the whole cost of moving a byte on this host (sender, softirq, receiver), less
     * steal and less what other processes used ({@link HostLoad}). Others' CPU is known as a lower
     * bound, so this is an upper bound of the cell's cost: on a busy host (see the cell's host load) up
     * to the window's softirq time of others' work may remain in it.
     */
    public static final Metric SYSTEM_CPU_NS_PER_BYTE = new Metric("system-wide CPU ns per byte", "ns/B", Side.SERVER,
            null, (r, s) -> {
                EngineReport report = r.report(s);
                java.util.Optional<HostLoad> load = HostLoad.of(r);
                return load.isEmpty() ? Measurement.absent("the engine reported no system-wide CPU time")
                        : report.bytes() == 0 ? Measurement.absent("no payload moved in the window")
                        : Measurement.of((double) load.get().cellNs() / report.bytes());
            });
    /**
     * CPU time other processes used during the server's window, as a number of CPUs (0.1 is a tenth of one
     * CPU): the competing load, a lower bound ({@link HostLoad}). Above {@value HostLoad#BUSY_SHARE_OF_ONE_CPU}
     * the cell is flagged as run on a busy host.
     */
    public static final Metric OTHERS_CPU = new Metric("others' CPU", "CPUs", Side.SERVER, null,
            (r, s) -> HostLoad.of(r).map(l -> Measurement.of(l.othersCpus()))
                    .orElseGet(() -> Measurement.absent("the engine reported no system-wide CPU time")));
    /** Time the hypervisor gave other guests during the server's window, as a number of CPUs ({@code /proc/stat} steal). */
    public static final Metric STEAL_CPU = new Metric("steal", "CPUs", Side.SERVER, null,
            (r, s) -> HostLoad.of(r).map(l -> Measurement.of(l.stealCpus()))
                    .orElseGet(() -> Measurement.absent("the engine reported no system-wide CPU time")));
    public static final Metric CYCLES_PER_BYTE = new Metric("cycles per byte", "cycles/B", Side.SERVER, "cycles",
            (r, s) -> perByte(r, s, "cycles", 1));
    public static final Metric INSTRUCTIONS_PER_BYTE = new Metric("instructions per byte", "instr/B", Side.SERVER,
            "instructions", (r, s) -> perByte(r, s, "instructions", 1));
    public static final Metric L1_MISSES_PER_KIB = new Metric("L1d load misses per KiB", "misses/KiB", Side.SERVER,
            "L1-dcache-load-misses", (r, s) -> perByte(r, s, "L1-dcache-load-misses", 1024));
    /** Last-level cache load misses ({@code LLC-load-misses}, not the generic {@code cache-misses}). */
    public static final Metric LLC_MISSES_PER_KIB = new Metric("LLC load misses per KiB", "misses/KiB", Side.SERVER,
            "LLC-load-misses", (r, s) -> perByte(r, s, "LLC-load-misses", 1024));
    public static final Metric CONTEXT_SWITCHES_PER_MESSAGE = new Metric("context switches per message", "cs/msg",
            Side.SERVER, "context-switches", Metric::contextSwitchesPerMessage);
    /** Share of zero-copy sends the kernel completed with SO_EE_CODE_ZEROCOPY_COPIED (zero-copy cells only). */
    public static final Metric ZERO_COPY_COPIED_SHARE = new Metric("zero-copy copied share", "fraction", Side.SERVER, null,
            (r, s) -> r.server().zerocopy() == null
                    ? Measurement.absent("only zero-copy cells have completions (" + r.cell().mode() + ")")
                    : r.server().zerocopy().copiedShare() == null
                    ? Measurement.absent("copied share unknown: " + r.server().zerocopy().copiedUnknown())
                    : Measurement.of(r.server().zerocopy().copiedShare()));
    /**
     * Share of the sender's connection-time in the window spent in its send path's own waits (zero-copy and
     * io_uring zero-copy waiting for completions to free a buffer, or draining them on ENOBUFS): the mode's
     * time, measured and kept in its mean, never a disturbance. 0 for paths that never wait on their own.
     */
    public static final Metric SEND_PATH_WAIT_SHARE = new Metric("send-path wait share", "fraction", Side.SERVER, null,
            (r, s) -> {
                EngineReport report = r.report(s);
                return report.progress() == null ? Measurement.absent("the engine reported no progress section")
                        : report.seconds() <= 0 ? Measurement.absent("no measured window")
                        : Measurement.of(report.progress().modeWaitS() / (report.seconds() * report.threads()));
            });
    public static final Metric INTEGRITY_ERRORS = new Metric("integrity errors", "messages", Side.CLIENT, null,
            (r, s) -> r.cell().workload() == Workload.UDP_SINK
                    ? Measurement.absent("udp-sink delivers nothing, so nothing is verified")
                    : Measurement.of(r.client().integrityErrors()));

    /** Every built-in metric, for tables and reports. */
    public static final List<Metric> CATALOGUE = List.of(THROUGHPUT_GBPS, MESSAGES_PER_SECOND, LATENCY_P50_US,
            LATENCY_P99_US, LATENCY_P999_US, CPU_NS_PER_BYTE, BOTH_PROCESSES_CPU_NS_PER_BYTE, SYSTEM_CPU_NS_PER_BYTE,
            CYCLES_PER_BYTE, INSTRUCTIONS_PER_BYTE, L1_MISSES_PER_KIB, LLC_MISSES_PER_KIB, CONTEXT_SWITCHES_PER_MESSAGE,
            ZERO_COPY_COPIED_SHARE, SEND_PATH_WAIT_SHARE, INTEGRITY_ERRORS, OTHERS_CPU, STEAL_CPU);

    private final String name;
    private final String unit;
    private final Side side;
    private final String perfEvent;
    private final BiFunction<CellResult, Side, Measurement> derivation;
    private final boolean higherIsBetter;

    private Metric(String name, String unit, Side side, String perfEvent,
                   BiFunction<CellResult, Side, Measurement> derivation) {
        this(name, unit, side, perfEvent, derivation, false);
    }

    private Metric(String name, String unit, Side side, String perfEvent,
                   BiFunction<CellResult, Side, Measurement> derivation, boolean higherIsBetter) {
        this.name = name;
        this.unit = unit;
        this.side = side;
        this.perfEvent = perfEvent;
        this.derivation = derivation;
        this.higherIsBetter = higherIsBetter;
    }

    private Metric withHigherBetter() {
        return new Metric(name, unit, side, perfEvent, derivation, true);
    }

    /**
     * Whether this is a round-trip latency percentile: positive and right-skewed over a few repetitions, so it is
     * summarised on the log scale.
     */
    public boolean isLatencyPercentile() {
        return unit.equals("µs") && name.startsWith("latency p");
    }

    /** Whether more is better (throughput) or less is (latency, costs per byte, misses): what "beats" means. */
    public boolean isHigherBetter() {
        return higherIsBetter;
    }

    /** The same metric measured on the other process; only counter metrics have both sides. */
    public Metric on(Side other) {
        if (perfEvent == null && other != side) {
            throw new IllegalArgumentException(name + " is measured on the " + side.label() + " only");
        }
        return new Metric(name, unit, other, perfEvent, derivation, higherIsBetter);
    }

    public Measurement measure(CellResult result) {
        return derivation.apply(result, side);
    }

    public String name() {
        return name;
    }

    public String unit() {
        return unit;
    }

    public Side side() {
        return side;
    }

    /** The perf event this metric needs, if any. */
    public Optional<String> perfEvent() {
        return Optional.ofNullable(perfEvent);
    }

    /** {@code LLC load misses per KiB (server)}. */
    @Override
    public String toString() {
        return name + " (" + side.label() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metric m && m.name.equals(name) && m.side == side;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + side.hashCode();
    }

    private static Metric latency(String name, java.util.function.ToLongFunction<EngineReport.Latency> pick) {
        return new Metric(name, "µs", Side.CLIENT, null, (r, s) -> r.client().latencyNs() == null
                ? Measurement.absent("latency is measured only in the request/response workload")
                : Measurement.of(pick.applyAsLong(r.client().latencyNs()) / 1000.0));
    }

    /** counter ÷ (payload bytes in the window ÷ bytesPerUnit); task-clock is converted from msec to ns. */
    static Measurement perByte(CellResult r, Side side, String event, double bytesPerUnit) {
        return perWindowUnit(r, side, event, r.report(side).bytes() / bytesPerUnit, "payload bytes");
    }

    private static Measurement contextSwitchesPerMessage(CellResult r, Side side) {
        return perWindowUnit(r, side, "context-switches", r.report(side).messages(), "message");
    }

    /** The side's counter for its window ÷ an amount the side moved in that same window. */
    private static Measurement perWindowUnit(CellResult r, Side side, String event, double amount, String what) {
        Optional<Double> value = counter(r.counters(side), event);
        if (value.isEmpty()) {
            return Measurement.absent(r.counters(side).whyAbsent(event).orElseThrow() + " (" + side.label() + " side)");
        }
        if (amount <= 0) {
            return Measurement.absent("the " + side.label() + " moved no " + what + " in its window");
        }
        return Measurement.of(value.get() / amount);
    }

    private static Optional<Double> counter(PerfCounters counters, String event) {
        if (!(counters.reading(event).orElse(null) instanceof CounterReading.Counted c)) {
            return Optional.empty();
        }
        double v = c.value();
        return Optional.of(switch (c.unit()) {
            case "msec" -> v * 1e6;   // perf prints task-clock in milliseconds
            case "usec" -> v * 1e3;
            default -> v;
        });
    }
}
