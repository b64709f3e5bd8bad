package dev.copybench.internal.report;

import dev.copybench.Configuration;
import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Metric;
import dev.copybench.Workload;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.results.MetricTable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The six plots of the experiment, drawn with XChart from this run's {@link MetricTable} (means
 * with 95 % confidence intervals as error bars), never from typed-in numbers. A plot whose metric
 * this host cannot measure, or whose axis the matrix does not vary, is left out with the reason.
 *
 * <pre>{@code
 * for (Plots.Plot p : Plots.of(results)) { p.chart().ifPresent(c -> save(p.title(), p.png())); }
 * }</pre>
 */
public final class Plots {

    /** A chart, or why it is left out. */
    public record Plot(String title, Optional<Chart<?, ?>> chart, String omitted) {
        static Plot drawn(Chart<?, ?> chart) {
            return new Plot(chart.getTitle(), Optional.of(chart), null);
        }

        static Plot omitted(String title, String why) {
            return new Plot(title, Optional.empty(), why);
        }

        public byte[] png() {
            try {
                return BitmapEncoder.getBitmapBytes(chart.orElseThrow(), BitmapEncoder.BitmapFormat.PNG);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private Plots() {
    }

    public static List<Plot> of(BenchmarkResults results) {
        MetricTable table = MetricTable.of(results);
        List<Plot> plots = new ArrayList<>();
        Workload stream = streamingOrFirst(results);
        for (int threads : results.plan().threads()) {
            plots.add(Plot.drawn(throughputVsSize(table, results, threads, stream)));
        }
        for (CopyMode mode : results.plan().modes()) {
            plots.add(latencyVsThreads(table, results, mode));
        }
        for (CopyMode mode : results.plan().modes()) {
            plots.add(results.plan().threads().size() < 2
                    ? Plot.omitted("throughput scaling · " + mode, "the matrix has a single thread count")
                    : Plot.drawn(throughputVsThreads(table, results, mode, stream)));
        }
        for (int threads : results.plan().threads()) {
            plots.add(modesSideBySide(table, results, threads, stream));
        }
        plots.add(perSizeVsSize(table, results, Metric.L1_MISSES_PER_KIB, stream));
        plots.add(perSizeVsSize(table, results, Metric.LLC_MISSES_PER_KIB, stream));
        plots.add(perSizeVsSize(table, results, Metric.CYCLES_PER_BYTE, stream));
        plots.add(perSizeVsSize(table, results, Metric.CPU_NS_PER_BYTE, stream));
        return plots;
    }

    private static Workload streamingOrFirst(BenchmarkResults results) {
        return results.plan().workloads().contains(Workload.STREAM) ? Workload.STREAM : results.plan().workloads().get(0);
    }

    /** Throughput vs message size (log x), a series per mode, at one thread count. */
    public static XYChart throughputVsSize(MetricTable table, BenchmarkResults results, int threads, Workload workload) {
        XYChart chart = xy("throughput vs message size · " + threads + threadWord(threads) + suffix(workload),
                "message size (bytes, log scale)", "throughput (Gbps)");
        chart.getStyler().setXAxisLogarithmic(true);
        for (CopyMode mode : results.plan().modes()) {
            addSeries(chart, mode.name(), table, Metric.THROUGHPUT_GBPS, c -> c.mode() == mode && c.threads() == threads
                    && c.workload() == workload, c -> (double) c.size().bytes(), colour(mode));
        }
        return chart;
    }

    /** Measured round-trip p50 vs client threads, a series per size, for one mode. */
    static Plot latencyVsThreads(MetricTable table, BenchmarkResults results, CopyMode mode) {
        String title = "latency p50 vs client threads · " + mode;
        if (!results.plan().workloads().contains(Workload.REQUEST_RESPONSE)) {
            return Plot.omitted(title, "latency is measured in the request/response workload, which this matrix does not run");
        }
        XYChart chart = xy(title, "client threads", "round-trip p50 (µs)");
        for (MessageSize size : results.plan().sizes()) {
            addSeries(chart, size.toString(), table, Metric.LATENCY_P50_US, c -> c.mode() == mode && c.size().equals(size)
                    && c.workload() == Workload.REQUEST_RESPONSE, c -> (double) c.threads(), null);
        }
        return Plot.drawn(chart);
    }

    /** Throughput vs client threads, a series per size, for one mode. */
    public static XYChart throughputVsThreads(MetricTable table, BenchmarkResults results, CopyMode mode, Workload workload) {
        XYChart chart = xy("throughput scaling vs client threads · " + mode + suffix(workload), "client threads",
                "throughput (Gbps)");
        for (MessageSize size : results.plan().sizes()) {
            addSeries(chart, size.toString(), table, Metric.THROUGHPUT_GBPS, c -> c.mode() == mode && c.size().equals(size)
                    && c.workload() == workload, c -> (double) c.threads(), null);
        }
        return chart;
    }

    /**
     * The modes side by side (bars with error bars) at one thread count, for the sizes every mode
     * has a value at; a size where a cell failed is left out rather than drawn as a bar of 0.
     */
    static Plot modesSideBySide(MetricTable table, BenchmarkResults results, int threads, Workload workload) {
        String title = "the modes side by side · " + threads + threadWord(threads) + suffix(workload);
        List<MessageSize> sizes = results.plan().sizes().stream().filter(size -> results.plan().modes().stream()
                .allMatch(m -> table.entry(new Configuration(m, size, threads, workload), Metric.THROUGHPUT_GBPS)
                        .summary().isPresent())).toList();
        if (sizes.isEmpty()) {
            return Plot.omitted(title, "no size has a throughput for every mode");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("message size").yAxisTitle("throughput (Gbps)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (CopyMode mode : results.plan().modes()) {
            List<MetricTable.Entry> entries = sizes.stream()
                    .map(size -> table.entry(new Configuration(mode, size, threads, workload), Metric.THROUGHPUT_GBPS))
                    .toList();
            chart.addSeries(mode.name(), sizes.stream().map(MessageSize::toString).toList(),
                    entries.stream().map(e -> e.summary().orElseThrow().mean()).toList(),
                    entries.stream().map(MetricTable.Entry::halfInterval).toList()).setFillColor(colour(mode));
        }
        return Plot.drawn(chart);
    }

    /** A per-byte metric vs size at the smallest and largest thread count, or why it is left out. */
    static Plot perSizeVsSize(MetricTable table, BenchmarkResults results, Metric metric, Workload workload) {
        String title = metric.name() + " vs message size (" + metric.side().label() + ")";
        Optional<String> absent = table.absentEverywhere(metric);
        if (absent.isPresent()) {
            return Plot.omitted(title, absent.get());
        }
        XYChart chart = xy(title, "message size (bytes, log scale)", metric.name() + " (" + metric.unit() + ")");
        chart.getStyler().setXAxisLogarithmic(true);
        List<Integer> threads = results.plan().threads();
        int fewest = threads.stream().min(Integer::compare).orElseThrow();
        int most = threads.stream().max(Integer::compare).orElseThrow();
        for (CopyMode mode : results.plan().modes()) {
            for (int t : fewest == most ? List.of(fewest) : List.of(fewest, most)) {
                XYSeries series = addSeries(chart, mode + " · " + t + threadWord(t), table, metric, c -> c.mode() == mode
                        && c.threads() == t && c.workload() == workload, c -> (double) c.size().bytes(), colour(mode));
                if (series != null && t != fewest) {
                    series.setLineStyle(SeriesLines.DASH_DASH);   // same mode, same colour: the thread count dashes
                }
            }
        }
        return Plot.drawn(chart);
    }

    private static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        return chart;
    }

    /**
     * Adds the configurations that pass the filter, sorted by x; configurations without a value are
     * skipped. Returns the series (null when nothing had a value), coloured when {@code colour} is given.
     */
    private static XYSeries addSeries(XYChart chart, String name, MetricTable table, Metric metric,
                                      Predicate<Configuration> filter, java.util.function.ToDoubleFunction<Configuration> x,
                                      Color colour) {
        List<double[]> points = new ArrayList<>();
        for (Configuration c : table.configurations(filter)) {
            MetricTable.Entry e = table.entry(c, metric);
            e.summary().ifPresent(s -> points.add(new double[] {x.applyAsDouble(c), s.mean(), e.halfInterval()}));
        }
        if (points.isEmpty()) {
            return null;
        }
        points.sort((a, b) -> Double.compare(a[0], b[0]));
        XYSeries series = chart.addSeries(name, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray(), points.stream().mapToDouble(p -> p[2]).toArray());
        if (colour != null) {
            series.setLineColor(colour);
            series.setMarkerColor(colour);
        }
        return series;
    }

    /**
     * Each mode's colour, the same in every plot whatever modes it shows (Okabe–Ito: distinguishable
     * with colour-blindness).
     */
    static Color colour(CopyMode mode) {
        return switch (mode) {
            case TWO_COPY -> new Color(0x0072B2);
            case ONE_COPY -> new Color(0xE69F00);
            case ZERO_COPY -> new Color(0x009E73);
            case SENDFILE -> new Color(0xCC79A7);
            case IO_URING -> new Color(0x56B4E9);
            case IO_URING_ZC -> new Color(0xD55E00);
        };
    }

    private static String threadWord(int threads) {
        return threads == 1 ? " thread" : " threads";
    }

    private static String suffix(Workload w) {
        return w == Workload.STREAM ? "" : " · " + w.engineName();
    }
}
