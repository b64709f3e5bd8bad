package dev.copybench;

import dev.copybench.internal.engine.EngineReport;
import dev.copybench.internal.host.HostCapabilities;
import dev.copybench.internal.host.Topology;
import dev.copybench.internal.perf.CounterReading;
import dev.copybench.internal.perf.PerfCounters;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.plan.SocketTuning;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Results made up in tests: known inputs, so verdicts and units can be checked exactly. */
public final class Synthetic {

    private Synthetic() {
    }

    public static BenchmarkPlan plan(List<CopyMode> modes, List<String> sizes, int repetitions) {
        return new BenchmarkPlan(modes, sizes.stream().map(MessageSize::parse).toList(), List.of(1),
                List.of(Workload.STREAM), Duration.ofMillis(100), Duration.ofSeconds(1), repetitions, List.of(), false,
                SocketTuning.NONE, Map.of());
    }

    /** What one synthetic cell measured. */
    public record Values(double gbps, long serverBytes, Map<String, CounterReading> serverCounters, double copiedShare) {
        public static Values gbps(double gbps) {
            return new Values(gbps, 1_000_000, Map.of(), -1);
        }

        public Values withCounter(String event, double value, String unit) {
            Map<String, CounterReading> c = new LinkedHashMap<>(serverCounters);
            c.put(event, new CounterReading.Counted(event, value, unit, 100.0));
            return new Values(gbps, serverBytes, c, copiedShare);
        }

        public Values withUnsupported(String event) {
            Map<String, CounterReading> c = new LinkedHashMap<>(serverCounters);
            c.put(event, new CounterReading.NotSupported(event));
            return new Values(gbps, serverBytes, c, copiedShare);
        }

        public Values copied(double share) {
            return new Values(gbps, serverBytes, serverCounters, share);
        }
    }

    public static BenchmarkResults results(BenchmarkPlan plan, Function<Cell, Values> values) {
        BenchmarkResults r = new BenchmarkResults(plan, host(), "synthetic");
        for (Cell cell : plan.cells()) {
            r.add(cell(cell, values.apply(cell)));
        }
        return r;
    }

    public static CellResult cell(Cell cell, Values v) {
        EngineReport.ZeroCopy zc = v.copiedShare() < 0 ? null
                : new EngineReport.ZeroCopy(100, 100, Math.round(100 * v.copiedShare()), v.copiedShare(), null, 10, 0, 0, 0,
                        null, null);
        long clientBytes = (long) (v.gbps() * 1e9 / 8);
        EngineReport server = report("server", cell, v.serverBytes(), zc);
        EngineReport client = new EngineReport("client", "", "stream", cell.size().bytes(), cell.threads(), 1.0,
                clientBytes, clientBytes / cell.size().bytes(), v.gbps(), 0, clientBytes, 0, 0, 0, 0, 0, 0, null, null, null, null,
                new EngineReport.Rusage(0, 0, 0, 0), new EngineReport.Window(0, 1_000_000_000));
        return new CellResult(cell, Topology.Kind.NAMESPACES, server, client, new PerfCounters(v.serverCounters()),
                PerfCounters.none(), Map.of());
    }

    private static EngineReport report(String role, Cell cell, long bytes, EngineReport.ZeroCopy zc) {
        return new EngineReport(role, cell.mode().engineName(), "stream", cell.size().bytes(), cell.threads(), 1.0,
                bytes, bytes / cell.size().bytes(), bytes * 8 / 1e9, 0, bytes, 0, 0, 0, 0, 0, 0, null, zc, null, null,
                new EngineReport.Rusage(0, 0, 0, 0), new EngineReport.Window(0, 1_000_000_000));
    }

    /**
     * The cell with a system-wide reading over its 1 s window on 2 CPUs (busy, of which irq+softirq and
     * steal) and each engine's own CPU time in seconds: what {@code HostLoad} subtracts.
     */
    public static CellResult withSystem(CellResult r, long busyNs, long irqNs, long stealNs, double serverCpuS,
                                        double clientCpuS) {
        EngineReport.SystemCpu system = new EngineReport.SystemCpu(busyNs, 2_000_000_000L - busyNs, irqNs, stealNs, 2);
        return new CellResult(r.cell(), r.topology(), withCpu(r.server(), system, serverCpuS),
                r.client() == r.server() ? withCpu(r.server(), system, serverCpuS) : withCpu(r.client(), null, clientCpuS),
                r.serverCounters(), r.clientCounters(), r.artifacts());
    }

    private static EngineReport withCpu(EngineReport e, EngineReport.SystemCpu system, double cpuS) {
        return new EngineReport(e.role(), e.mode(), e.workload(), e.size(), e.threads(), e.seconds(), e.bytes(), e.messages(),
                e.gbps(), e.messagesPerS(), e.totalBytes(), e.totalMessages(), e.sendCalls(), e.shortWrites(),
                e.verifiedMessages(), e.integrityErrors(), e.rejectedConnections(), e.latencyNs(), e.zerocopy(), e.progress(),
                system, new EngineReport.Rusage(cpuS / 2, cpuS / 2, 0, 0), e.window());
    }

    public static HostCapabilities host() {
        return new HostCapabilities(Optional.of("perf version test"), Map.of(), true, true, "Linux test", "test cpu", 2,
                java.util.Arrays.stream(dev.copybench.CopyMode.values())
                        .collect(java.util.stream.Collectors.toMap(dev.copybench.CopyMode::engineName, m -> HostCapabilities.AVAILABLE)));
    }

    /** The repetition's value from a per-repetition list. */
    public static double pick(Cell c, double... perRepetition) {
        return Arrays.stream(perRepetition).skip(c.repetition() - 1L).findFirst().orElseThrow();
    }
}
