package dev.copybench.internal.engine;

import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.CopyMode;
import dev.copybench.Metric;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.hypothesis.Verdict;
import dev.copybench.internal.host.Topology;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.results.RunFile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Others' CPU is what the window's busy time holds beyond steal, irq and the cell's own engines. */
class HostLoadTest {

    private static final long S = 1_000_000_000L;
    private final BenchmarkPlan plan = Synthetic.plan(List.of(CopyMode.ONE_COPY), List.of("64K"), 3);
    private final Cell cell = plan.cells().get(0);

    private CellResult cell(long busyNs, long irqNs, long stealNs, double serverS, double clientS) {
        return Synthetic.withSystem(Synthetic.cell(cell, Values.gbps(10)), busyNs, irqNs, stealNs, serverS, clientS);
    }

    @Test
    void othersAreBusyTimeLessStealIrqAndBothEngines() {
        HostLoad load = HostLoad.of(cell(S * 3 / 2, S / 5, S / 10, 0.5, 0.3)).orElseThrow();

        assertThat(load.othersNs()).isEqualTo(400_000_000L);   // 1.5 − 0.1 − 0.2 − 0.8 s
        assertThat(load.othersCpus()).isCloseTo(0.4, within(1e-9));
        assertThat(load.stealCpus()).isCloseTo(0.1, within(1e-9));
        assertThat(load.busy()).isTrue();
        assertThat(load.describe()).isEqualTo("others used 20 % of 2 CPUs (0.40 CPU), steal 5 %: busy host");
    }

    @Test
    void theEnginesOwnInlineSoftirqNeverMakesOthersNegative() {
        HostLoad load = HostLoad.of(cell(S, S / 2, 0, 0.6, 0.3)).orElseThrow();   // softirq counted in both

        assertThat(load.othersNs()).isZero();
        assertThat(load.busy()).isFalse();
    }

    @Test
    void busyIsMoreThanATenthOfOneCpuBeyondATickPerCpu() {
        // window 1 s on 2 CPUs: the line is 0.1 s + 2 ticks of 10 ms
        assertThat(HostLoad.of(cell(S, 0, 0, 0.5, 0.385)).orElseThrow().busy()).as("others 0.115 s").isFalse();
        assertThat(HostLoad.of(cell(S, 0, 0, 0.5, 0.375)).orElseThrow().busy()).as("others 0.125 s").isTrue();
    }

    @Test
    void systemWideCostPerByteIsTheCellsShareNotTheWholeHost() {
        CellResult r = cell(S * 3 / 2, S / 5, S / 10, 0.5, 0.3);   // others 0.4 s, steal 0.1 s of 1.5 s busy

        assertThat(Metric.SYSTEM_CPU_NS_PER_BYTE.measure(r).value()).isEqualTo(1.0 * S / r.server().bytes());
        assertThat(Metric.OTHERS_CPU.measure(r).value()).isCloseTo(0.4, within(1e-9));
        assertThat(Metric.STEAL_CPU.measure(r).value()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void withoutASystemReadingThereIsNoLoadAndNoSystemWideCost() {
        CellResult r = Synthetic.cell(cell, Values.gbps(10));

        assertThat(HostLoad.of(r)).isEmpty();
        assertThat(Metric.SYSTEM_CPU_NS_PER_BYTE.measure(r).isPresent()).isFalse();
        assertThat(HostLoad.summary(List.of(r))).contains("not measured");
    }

    @Test
    void aRemoteClientIsNotSubtractedFromTheServersHost() {
        CellResult local = cell(S, 0, 0, 0.3, 0.3);
        CellResult remote = new CellResult(local.cell(), Topology.Kind.REMOTE, local.server(), local.client(),
                local.serverCounters(), local.clientCounters(), Map.of());

        assertThat(HostLoad.of(local).orElseThrow().othersNs()).isEqualTo(400_000_000L);
        assertThat(HostLoad.of(remote).orElseThrow().othersNs()).isEqualTo(700_000_000L);
    }

    @Test
    void theSummaryGivesTheRangeAndHowManyCellsWereBusy() {
        String quiet = HostLoad.summary(List.of(cell(S, 0, 0, 0.5, 0.5), cell(S, 0, 0, 0.5, 0.44)));
        String busy = HostLoad.summary(List.of(cell(S, 0, 0, 0.5, 0.5), cell(S * 3 / 2, 0, 0, 0.5, 0.5)));

        assertThat(quiet).isEqualTo("host load: others used 0–3 % of 2 CPUs, steal 0 %");
        assertThat(busy).isEqualTo("host load: others used 0–25 % of 2 CPUs, steal 0 %; busy host in 1 of 2 cells "
                + "(others above 10 % of one CPU)");
    }

    @Test
    void aResultsFileSaysTheSameFromItsRecordedCells() {
        RunFile.Cell quiet = recorded(1, 0.02, false);
        RunFile.Cell busy = recorded(2, 0.5, true);
        RunFile.Cell old = new RunFile.Cell(3, "ONE_COPY", 65536, 1, "stream", 3, RunFile.Cell.MEASURED, null, List.of(), null, null, null);
        RunFile.Plan plan = new RunFile.Plan("p", "Q.m", List.of("ONE_COPY"), List.of(65536L), List.of(1), List.of("stream"),
                50, 1000, 3, 3, 0, "namespaces", "none", Map.of(), List.of(quiet, busy, old), List.of(), null, null);

        assertThat(plan.hostLoad(2)).isEqualTo("host load: others used 1–25 % of 2 CPUs, steal 0 % (1 cells unmeasured); "
                + "busy host in 1 of 2 cells (others above 10 % of one CPU)");
    }

    private static RunFile.Cell recorded(int index, double othersCpus, boolean busy) {
        return new RunFile.Cell(index, "ONE_COPY", 65536, 1, "stream", index, RunFile.Cell.MEASURED, null,
                List.of(new RunFile.Value(Metric.OTHERS_CPU.name(), "server", "CPUs", othersCpus, null),
                        new RunFile.Value(Metric.STEAL_CPU.name(), "server", "CPUs", 0.0, null)), "…", busy, null);
    }

    @Test
    void everyVerdictSaysWhatElseRanOnTheHost() {
        BenchmarkResults results = new BenchmarkResults(plan, Synthetic.host(), "synthetic");
        plan.cells().forEach(c -> results.add(Synthetic.withSystem(Synthetic.cell(c, Values.gbps(10 + c.repetition() * 0.1)),
                S * 3 / 2, 0, 0, 0.5, 0.5)));

        Verdict v = assertThat(results).metric(Metric.THROUGHPUT_GBPS).of(CopyMode.ONE_COPY).isAtLeast(5);

        assertThat(v.hostLoad()).isEqualTo("host load: others used 25 % of 2 CPUs, steal 0 %; busy host in 3 of 3 cells "
                + "(others above 10 % of one CPU)");
        assertThat(v.line()).endsWith("; " + v.hostLoad());
    }
}
