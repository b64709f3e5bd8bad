package dev.copybench.internal.report;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.Metric;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.Workload;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.results.MetricTable;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.TWO_COPY;
import static dev.copybench.CopyMode.ZERO_COPY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** Plots are drawn from the results they are given, show differences, and leave out what the host could not measure. */
class PlotsTest {

    private final BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64", "64K"), 3);

    private static XYChart throughput(BenchmarkResults r) {
        return chart(Plots.vsSize(MetricTable.of(r), r.plan(), "throughput", Metric.THROUGHPUT_GBPS, Workload.STREAM, List.of(1)));
    }

    private static XYChart chart(Plots.Plot plot) {
        return (XYChart) plot.chart().orElseThrow(() -> new AssertionError(plot.title() + " left out: " + plot.omitted()));
    }

    /** The series a reader sees as lines (not the interval bars, which stay out of the legend). */
    private static List<XYSeries> lines(XYChart chart) {
        return chart.getSeriesCollection().stream().filter(XYSeries::isShowInLegend).toList();
    }

    private static List<XYSeries> bars(XYChart chart) {
        return chart.getSeriesCollection().stream().filter(s -> !s.isShowInLegend()).toList();
    }

    @Test
    void differentResultsGiveDifferentPlottedValues() {
        BenchmarkResults slow = Synthetic.results(plan, c -> Values.gbps(c.size().bytes() == 64 ? 0.2 : 10 + c.repetition()));
        BenchmarkResults fast = Synthetic.results(plan, c -> Values.gbps(c.size().bytes() == 64 ? 0.4 : 20 + c.repetition()));

        XYSeries slowOneCopy = throughput(slow).getSeries("ONE_COPY");
        XYSeries fastOneCopy = throughput(fast).getSeries("ONE_COPY");

        assertThat(slowOneCopy.getXData()).containsExactly(0.0, 1.0);   // the tested sizes' positions
        assertThat(slowOneCopy.getYData()).containsExactly(new double[] {0.2, 12.0}, offset(1e-9));   // means of reps 1..3
        assertThat(fastOneCopy.getYData()).containsExactly(new double[] {0.4, 22.0}, offset(1e-9));
        // the bar = the 95 % t interval: 12 ± t(0.975, 2) × sd / √3 = 12 ± 4.303 × 1 / 1.732
        XYSeries bar = throughput(slow).getSeries("ONE_COPY interval 1");
        assertThat(bar.getYData()).containsExactly(new double[] {12 - 2.484, 12 + 2.484}, offset(1e-3));
    }

    @Test
    void eachModeKeepsItsColourInEveryPlotWhateverModesItShows() {
        BenchmarkPlan all = Synthetic.plan(List.of(CopyMode.values()), List.of("4K", "64K"), 2);
        BenchmarkPlan two = Synthetic.plan(List.of(ONE_COPY, CopyMode.IO_URING_ZC), List.of("4K", "64K"), 2);

        for (BenchmarkPlan p : List.of(all, two)) {
            BenchmarkResults r = Synthetic.results(p, c -> Values.gbps(10 + c.repetition()).withCounter("task-clock", 5, "msec"));
            for (Plots.Plot plot : Plots.of(r)) {
                plot.chart().map(XYChart.class::cast).ifPresent(chart -> {
                    for (XYSeries s : chart.getSeriesCollection()) {
                        CopyMode mode = CopyMode.valueOf(s.getName().split(" ")[0]);
                        assertThat(s.getLineColor()).as(s.getName() + " in " + plot.title()).isEqualTo(Plots.colour(mode));
                    }
                });
            }
        }
        assertThat(Arrays.stream(CopyMode.values()).map(Plots::colour).distinct()).hasSize(CopyMode.values().length);
    }

    @Test
    void noLineIsASinglePointAndAnAxisThatDoesNotVaryGivesNoPlot() {
        // one size, two thread counts: "vs size" has nothing to draw a line along, "vs threads" has
        BenchmarkPlan oneSize = new BenchmarkPlan(List.of(TWO_COPY, ZERO_COPY), List.of(dev.copybench.MessageSize.parse("64K")),
                List.of(1, 2), List.of(Workload.STREAM), plan.warmup(), plan.duration(), 3, List.of(), false,
                plan.tuning(), java.util.Map.of());
        // ZERO_COPY has a value at 1 thread only (its other cells failed): a point, never a one-point line
        BenchmarkResults r = new BenchmarkResults(oneSize, Synthetic.host(), "synthetic");
        oneSize.cells().stream().filter(c -> c.mode() == TWO_COPY || c.threads() == 1)
                .forEach(c -> r.add(Synthetic.cell(c, Values.gbps(10 + c.repetition()))));

        List<Plots.Plot> plots = Plots.of(r);

        assertThat(plots).filteredOn(p -> p.title().startsWith("throughput vs message size")).isNotEmpty()
                .allSatisfy(p -> assertThat(p.omitted()).contains("a single message size"));
        XYChart scaling = chart(plots.stream().filter(p -> p.title().startsWith("throughput vs client threads")).findFirst()
                .orElseThrow());
        assertThat(scaling.getSeries("TWO_COPY").getXYSeriesRenderStyle()).isNotEqualTo(java.util.Optional.of(XYSeries.XYSeriesRenderStyle.Scatter));
        assertThat(scaling.getSeries("ZERO_COPY").getXYSeriesRenderStyle()).contains(XYSeries.XYSeriesRenderStyle.Scatter);
        for (Plots.Plot p : plots) {
            p.chart().map(XYChart.class::cast).ifPresent(chart -> assertThat(lines(chart))
                    .filteredOn(s -> !s.getXYSeriesRenderStyle().equals(java.util.Optional.of(XYSeries.XYSeriesRenderStyle.Scatter)))
                    .allSatisfy(s -> assertThat(s.getXData()).as(s.getName() + " in " + p.title()).hasSizeGreaterThan(1)));
        }
    }

    @Test
    void noIntervalReachesBelowZeroItIsClippedAndDrawnDashed() {
        // a noisy small value: mean 0.2 ± 0.5 would reach −0.3 Gbps
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(c.size().bytes() == 64
                ? Synthetic.pick(c, 0.01, 0.09, 0.5) : 10 + c.repetition()));

        XYChart chart = throughput(r);

        assertThat(chart.getStyler().isYAxisLogarithmic()).as("0.2 to 12 Gbps spans more than a decade").isTrue();
        assertThat(bars(chart)).isNotEmpty().allSatisfy(bar -> assertThat(Arrays.stream(bar.getYData()).min().orElseThrow())
                .as(bar.getName()).isPositive());
        XYSeries clipped = chart.getSeries("ONE_COPY interval 0");
        assertThat(clipped.getLineStyle().getDashArray()).as("a clipped bar is dotted").isNotNull();
        assertThat(chart.getSeries("ONE_COPY interval 1").getLineStyle().getDashArray()).as("a whole bar is solid").isNull();
        assertThat(clipped.getYData()[0]).isEqualTo(0.2 / 4, offset(1e-9));   // a quarter of the smallest mean: the axis bottom
    }

    @Test
    void sizesAreTickedWhereTestedInBinaryUnits() throws Exception {
        BenchmarkPlan sizes = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64", "1K", "16K", "1M"), 2);
        BenchmarkResults r = Synthetic.results(sizes, c -> Values.gbps(c.size().bytes() / 1e4 + c.repetition()));

        XYChart chart = throughput(r);

        List<String> labels = Arrays.stream(chart.getSeries("TWO_COPY").getXData())
                .mapToObj(x -> chart.getStyler().getxAxisTickLabelsFormattingFunction().apply(x)).toList();
        assertThat(labels).containsExactly("64 B", "1 KiB", "16 KiB", "1 MiB");
        assertThat(chart.getStyler().getxAxisTickLabelsFormattingFunction().apply(0.5)).isEmpty();
        assertThat(Plots.number(15000)).isEqualTo("15000");
        assertThat(Plots.number(0.00312)).isEqualTo("0.00312");
        // the picture a reader sees, for a look
        Path png = Path.of("target", "plot-throughput-vs-size.png");
        Files.createDirectories(png.getParent());
        Files.write(png, Plots.of(r).get(0).png());
    }

    @Test
    void everyTitleNamesItsWorkloadAndRequestResponseIsPlotted() {
        BenchmarkPlan both = new BenchmarkPlan(List.of(TWO_COPY, ONE_COPY), plan.sizes(), List.of(1),
                List.of(Workload.STREAM, Workload.REQUEST_RESPONSE), plan.warmup(), plan.duration(), 2, List.of(), false,
                plan.tuning(), java.util.Map.of());
        BenchmarkResults r = Synthetic.results(both, c -> Values.gbps(10 + c.repetition()));

        List<Plots.Plot> plots = Plots.of(r);

        assertThat(plots).allSatisfy(p -> assertThat(p.title()).containsAnyOf("stream", "request-response"));
        assertThat(plots).filteredOn(p -> p.title().equals("throughput vs message size · request-response · 1 thread"))
                .singleElement().satisfies(p -> assertThat(p.chart()).isPresent());
        assertThat(plots).filteredOn(p -> p.title().startsWith("latency vs message size")).singleElement()
                .satisfies(p -> assertThat(p.metrics()).contains(Metric.LATENCY_P50_US, Metric.LATENCY_P99_US));
        assertThat(plots).filteredOn(p -> p.shows(Set.of(Metric.CPU_NS_PER_BYTE)))
                .allSatisfy(p -> assertThat(p.title()).startsWith("CPU ns per byte"));
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
    }
}
