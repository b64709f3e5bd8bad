package dev.copybench;

import dev.copybench.Synthetic.Values;
import dev.copybench.internal.plan.Cell;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-byte metrics divide by payload bytes the side moved in its window: never bits, never a nominal count. */
class MetricUnitsTest {

    private final Cell cell = Synthetic.plan(List.of(CopyMode.TWO_COPY), List.of("64K"), 1).cells().get(0);

    @Test
    void cyclesPerByteIsCyclesOverServerPayloadBytesInTheWindow() {
        CellResult r = Synthetic.cell(cell, new Values(20, 4_000_000_000L, java.util.Map.of(), -1)
                .withCounter("cycles", 6_000_000_000.0, ""));

        assertThat(Metric.CYCLES_PER_BYTE.measure(r).value()).isEqualTo(1.5);
    }

    @Test
    void taskClockIsConvertedFromMillisecondsToNanosecondsPerByte() {
        CellResult r = Synthetic.cell(cell, new Values(20, 2_000_000_000L, java.util.Map.of(), -1)
                .withCounter("task-clock", 1000.0, "msec"));

        assertThat(Metric.CPU_NS_PER_BYTE.measure(r).value()).isEqualTo(0.5);   // 1e9 ns / 2e9 B
    }

    @Test
    void missesPerKibDivideByKibibytes() {
        CellResult r = Synthetic.cell(cell, new Values(20, 1024L * 1000, java.util.Map.of(), -1)
                .withCounter("LLC-load-misses", 250.0, ""));

        assertThat(Metric.LLC_MISSES_PER_KIB.measure(r).value()).isEqualTo(0.25);
    }

    @Test
    void anUnsupportedCounterIsAbsentNotZero() {
        CellResult r = Synthetic.cell(cell, Values.gbps(20).withUnsupported("cycles"));

        Measurement m = Metric.CYCLES_PER_BYTE.measure(r);
        assertThat(m.isPresent()).isFalse();
        assertThat(m.whyAbsent()).isEqualTo("cycles is <not supported> on this host (server side)");
        org.assertj.core.api.Assertions.assertThatThrownBy(m::value).hasMessageContaining("not measured");
    }

    @Test
    void clientSideMetricsUseTheClientsCounters() {
        CellResult r = Synthetic.cell(cell, Values.gbps(20).withCounter("task-clock", 10, "msec"));

        assertThat(Metric.CPU_NS_PER_BYTE.on(Side.CLIENT).measure(r).whyAbsent())
                .isEqualTo("task-clock was not recorded (perf did not report it) (client side)");
    }

    @Test
    void bothProcessesCpuAddsEachSidesTaskClockOverItsOwnBytes() {
        CellResult one = Synthetic.cell(cell, new Values(16, 2_000_000_000L, java.util.Map.of(), -1)
                .withCounter("task-clock", 200.0, "msec"));   // server: 0.1 ns/B; client moved 2e9 B (16 Gbps)
        CellResult r = new CellResult(one.cell(), one.topology(), one.server(), one.client(), one.serverCounters(),
                new dev.copybench.internal.perf.PerfCounters(java.util.Map.of("task-clock",
                        new dev.copybench.internal.perf.CounterReading.Counted("task-clock", 600.0, "msec", 100.0))),
                one.artifacts());

        assertThat(Metric.BOTH_PROCESSES_CPU_NS_PER_BYTE.measure(r).value()).isCloseTo(0.4, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(Metric.BOTH_PROCESSES_CPU_NS_PER_BYTE.measure(one).whyAbsent()).endsWith("(client side)");
    }
}
