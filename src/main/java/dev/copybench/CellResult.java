package dev.copybench;

import dev.copybench.internal.engine.EngineReport;
import dev.copybench.internal.engine.HostLoad;
import dev.copybench.internal.host.Topology;
import dev.copybench.internal.perf.PerfCounters;
import dev.copybench.internal.plan.Cell;

import java.util.Map;

/**
 * Everything one cell measured: both engines' reports and both perf sessions, each covering the
 * process's own measured window, plus their raw output.
 *
 * <pre>{@code
 * double gbps = result.measure(Metric.THROUGHPUT_GBPS).value();
 * }</pre>
 */
public record CellResult(Cell cell, Topology.Kind topology, EngineReport server, EngineReport client,
                         PerfCounters serverCounters, PerfCounters clientCounters, Map<String, String> artifacts) {

    public CellResult {
        artifacts = Map.copyOf(artifacts);
    }

    public EngineReport report(Side side) {
        return side == Side.SERVER ? server : client;
    }

    public PerfCounters counters(Side side) {
        return side == Side.SERVER ? serverCounters : clientCounters;
    }

    /** What other processes used during the server's window, and whether that made the host busy; empty without a reading. */
    public java.util.Optional<HostLoad> hostLoad() {
        return HostLoad.of(this);
    }

    public Measurement measure(Metric metric) {
        return metric.measure(this);
    }
}
