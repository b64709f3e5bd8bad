package dev.copybench.internal.report;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.Workload;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.results.MetricTable;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.util.Arrays;
import java.util.List;

import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.TWO_COPY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** Plots are drawn from the results they are given, and leave out what the host could not measure. */
class PlotsTest {

    private final BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64", "64K"), 3);

    private static XYChart throughput(BenchmarkResults r) {
        return Plots.throughputVsSize(MetricTable.of(r), r, 1, Workload.STREAM);
    }

    @Test
    void differentResultsGiveDifferentPlottedValues() {
        BenchmarkResults slow = Synthetic.results(plan, c -> Values.gbps(c.size().bytes() == 64 ? 0.2 : 10 + c.repetition()));
        BenchmarkResults fast = Synthetic.results(plan, c -> Values.gbps(c.size().bytes() == 64 ? 0.4 : 20 + c.repetition()));

        XYSeries slowOneCopy = throughput(slow).getSeries("ONE_COPY");
        XYSeries fastOneCopy = throughput(fast).getSeries("ONE_COPY");

        assertThat(slowOneCopy.getXData()).containsExactly(64.0, 65536.0);
        assertThat(slowOneCopy.getYData()).containsExactly(new double[] {0.2, 12.0}, offset(1e-9));   // means of reps 1..3
        assertThat(fastOneCopy.getYData()).containsExactly(new double[] {0.4, 22.0}, offset(1e-9));
        // error bar = half the 95 % t interval: t(0.975, 2) × sd / √3 = 4.303 × 1 / 1.732
        assertThat(slowOneCopy.getExtraValues()[1]).isCloseTo(2.484, offset(1e-3));
    }

    @Test
    void eachModeKeepsItsColourWhateverModesAPlotShows() {
        BenchmarkPlan all = Synthetic.plan(List.of(CopyMode.values()), List.of("64K"), 2);
        BenchmarkPlan two = Synthetic.plan(List.of(ONE_COPY, CopyMode.IO_URING_ZC), List.of("64K"), 2);

        for (BenchmarkPlan p : List.of(all, two)) {
            BenchmarkResults r = Synthetic.results(p, c -> Values.gbps(10 + c.repetition()));
            XYChart chart = throughput(r);
            for (CopyMode mode : p.modes()) {
                assertThat(chart.getSeries(mode.name()).getLineColor()).as(mode + " in " + p.modes())
                        .isEqualTo(Plots.colour(mode));
            }
        }
        assertThat(Arrays.stream(CopyMode.values()).map(Plots::colour).distinct()).hasSize(CopyMode.values().length);
    }

    @Test
    void aPlotOfACounterTheHostCannotCountIsLeftOutWithTheReason() {
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(10).withUnsupported("LLC-load-misses")
                .withCounter("task-clock", 5, "msec"));

        List<Plots.Plot> plots = Plots.of(r);

        assertThat(plots).filteredOn(p -> p.title().startsWith("LLC load misses")).singleElement().satisfies(p -> {
            assertThat(p.chart()).isEmpty();
            assertThat(p.omitted()).isEqualTo("LLC-load-misses is <not supported> on this host (server side)");
        });
        assertThat(plots).filteredOn(p -> p.title().startsWith("CPU ns per byte")).singleElement()
                .satisfies(p -> assertThat(p.png()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G'));
        assertThat(plots).filteredOn(p -> p.title().startsWith("latency")).allSatisfy(p ->
                assertThat(p.omitted()).contains("request/response workload"));
    }
}
