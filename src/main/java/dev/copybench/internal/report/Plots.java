package dev.copybench.internal.report;

import dev.copybench.BenchmarkResults;
import dev.copybench.Configuration;
import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Metric;
import dev.copybench.Workload;
import dev.copybench.hypothesis.Summary;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.results.MetricTable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IntSummaryStatistics;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The plots of a run, drawn with XChart from its {@link MetricTable} (means, with their 95 % confidence
 * intervals as bars), never from typed-in numbers: per workload, throughput vs message size (one plot per
 * thread count) and vs client threads, latency p50/p99 vs size for request/response, and the costs
 * per byte or message vs size. Every mode keeps one colour in every plot; sizes are ticked where they
 * were tested, in B/KiB/MiB; the y axis turns logarithmic when the values span a decade or more; an
 * interval is never drawn below zero (or below a log axis): it is clipped there and drawn dashed. A
 * plot whose metric this host cannot measure, or whose x axis the matrix does not vary, is left out with
 * the reason. Each plot names the metrics it shows, so a hypothesis carries only the plots it argues from.
 *
 * <pre>{@code
 * for (Plots.Plot p : Plots.of(results)) { p.chart().ifPresent(c -> save(p.title(), p.png())); }
 * }</pre>
 */
public final class Plots {

    /** A chart and the metrics it shows, or why it is left out. */
    public record Plot(String title, Optional<Chart<?, ?>> chart, String omitted, Set<Metric> metrics) {
        static Plot omitted(String title, String why, Set<Metric> metrics) {
            return new Plot(title, Optional.empty(), why, metrics);
        }

        /** Whether the plot shows one of these metrics. */
        public boolean shows(Set<Metric> used) {
            return metrics.stream().anyMatch(used::contains);
        }

        public byte[] png() {
            try {
                return BitmapEncoder.getBitmapBytes(chart.orElseThrow(), BitmapEncoder.BitmapFormat.PNG);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One series: a mode's metric over the configurations the filter keeps; dashed for the second of a pair. */
    private record Line(String name, CopyMode mode, Metric metric, Predicate<Configuration> filter, boolean dashed) {
    }

    /** A point of a line with its interval: {@code low}/{@code high} equal the mean without one (a single repetition). */
    private record Point(double x, double mean, double low, double high, int n) {
    }

    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    /** Values spanning this factor or more get a logarithmic y axis. */
    static final double DECADE = 10;

    private Plots() {
    }

    public static List<Plot> of(BenchmarkResults results) {
        MetricTable table = MetricTable.of(results);
        BenchmarkPlan plan = results.plan();
        List<Plot> plots = new ArrayList<>();
        for (Workload w : plan.workloads()) {
            for (int t : plan.threads()) {
                plots.add(vsSize(table, plan, "throughput vs message size · " + w.engineName() + " · " + threads(t),
                        Metric.THROUGHPUT_GBPS, w, List.of(t)));
            }
            if (w == Workload.REQUEST_RESPONSE) {
                for (int t : plan.threads()) {
                    plots.add(latencyVsSize(table, plan, t));
                }
            }
            MessageSize smallest = plan.sizes().stream().min(Comparator.naturalOrder()).orElseThrow();
            MessageSize largest = plan.sizes().stream().max(Comparator.naturalOrder()).orElseThrow();
            for (MessageSize size : smallest.equals(largest) ? List.of(smallest) : List.of(smallest, largest)) {
                plots.add(throughputVsThreads(table, plan, w, size));
            }
        }
        Workload costs = plan.workloads().contains(Workload.STREAM) ? Workload.STREAM : plan.workloads().get(0);
        List<Integer> ends = ends(plan.threads());
        for (Metric m : List.of(Metric.CPU_NS_PER_BYTE, Metric.SYSTEM_CPU_NS_PER_BYTE, Metric.CYCLES_PER_BYTE,
                Metric.L1_MISSES_PER_KIB, Metric.LLC_MISSES_PER_KIB, Metric.CONTEXT_SWITCHES_PER_MESSAGE,
                Metric.ZERO_COPY_COPIED_SHARE)) {
            plots.add(vsSize(table, plan, m.name() + " vs message size · " + costs.engineName() + " · " + threadRange(ends),
                    m, costs, ends));
        }
        return plots;
    }

    /**
     * A metric vs message size, a line per mode, solid at the first thread count and dashed at the
     * second (when two are given).
     */
    static Plot vsSize(MetricTable table, BenchmarkPlan plan, String title, Metric metric, Workload workload,
                       List<Integer> threadCounts) {
        List<Line> lines = new ArrayList<>();
        for (CopyMode mode : plan.modes()) {
            for (int t : threadCounts) {
                lines.add(new Line(mode + (threadCounts.size() > 1 ? " · " + threads(t) : ""), mode, metric,
                        c -> c.threads() == t && c.workload() == workload, t != threadCounts.get(0)));
            }
        }
        String y = metric.name() + " (" + metric.unit() + ", " + metric.side().label() + ")";
        return draw(table, plan, title, sizeAxis(plan), y, lines);
    }

    /** Round-trip p50 (solid) and p99 (dashed) vs message size, a line per mode, at one thread count. */
    static Plot latencyVsSize(MetricTable table, BenchmarkPlan plan, int threadCount) {
        List<Line> lines = new ArrayList<>();
        for (CopyMode mode : plan.modes()) {
            Predicate<Configuration> at = c -> c.threads() == threadCount && c.workload() == Workload.REQUEST_RESPONSE;
            lines.add(new Line(mode + " p50", mode, Metric.LATENCY_P50_US, at, false));
            lines.add(new Line(mode + " p99", mode, Metric.LATENCY_P99_US, at, true));
        }
        return draw(table, plan, "latency vs message size · " + Workload.REQUEST_RESPONSE.engineName() + " · "
                + threads(threadCount), sizeAxis(plan), "round trip p50 solid, p99 dashed (µs, client)", lines);
    }

    /** Throughput vs client threads at one size, a line per mode. */
    static Plot throughputVsThreads(MetricTable table, BenchmarkPlan plan, Workload workload, MessageSize size) {
        List<Line> lines = plan.modes().stream().map(mode -> new Line(mode.name(), mode, Metric.THROUGHPUT_GBPS,
                (Configuration c) -> c.size().equals(size) && c.workload() == workload, false)).toList();
        Axis threads = new Axis("client threads", plan.threads().stream().map(t -> (double) t).toList(),
                plan.threads().stream().map(String::valueOf).toList(), c -> c.threads());
        return draw(table, plan, "throughput vs client threads · " + workload.engineName() + " · " + size, threads,
                "throughput (Gbps, client)", lines);
    }

    /**
     * The x axis: the tested values at evenly spaced positions 0, 1, 2, … labelled with the values, so the
     * ticks fall exactly on what was tested (XChart ticks equally spaced data at the data).
     */
    record Axis(String title, List<Double> values, List<String> labels, java.util.function.ToDoubleFunction<Configuration> value) {
        double position(Configuration c) {
            return values.indexOf(value.applyAsDouble(c));
        }

        String label(double position) {
            int i = (int) Math.round(position);
            return Math.abs(position - i) < 1e-9 && i >= 0 && i < labels.size() ? labels.get(i) : "";
        }
    }

    static Axis sizeAxis(BenchmarkPlan plan) {
        List<MessageSize> sizes = new TreeSet<>(plan.sizes()).stream().toList();
        return new Axis("message size (the tested sizes)", sizes.stream().map(s -> (double) s.bytes()).toList(),
                sizes.stream().map(MessageSize::toString).toList(), c -> c.size().bytes());
    }

    private static Plot draw(MetricTable table, BenchmarkPlan plan, String title, Axis axis, String yTitle, List<Line> lines) {
        Set<Metric> metrics = new LinkedHashSet<>();
        lines.forEach(l -> metrics.add(l.metric()));
        List<List<Point>> points = new ArrayList<>();
        IntSummaryStatistics n = new IntSummaryStatistics();
        for (Line line : lines) {
            List<Point> ps = new ArrayList<>();
            for (Configuration c : table.configurations(c -> c.mode() == line.mode() && line.filter().test(c))) {
                MetricTable.Entry e = table.entry(c, line.metric());
                if (e.summary().isPresent()) {
                    Summary s = e.summary().get();
                    // the interval as summarised: asymmetric (log scale) for latency percentiles
                    ps.add(new Point(axis.position(c), s.mean(), s.hasInterval() ? s.ciLow() : s.mean(),
                            s.hasInterval() ? s.ciHigh() : s.mean(), s.n()));
                    n.accept(s.n());
                }
            }
            ps.sort(Comparator.comparingDouble(Point::x));
            points.add(ps);
        }
        if (points.stream().allMatch(List::isEmpty)) {
            String why = metrics.stream().map(table::absentEverywhere).flatMap(Optional::stream).findFirst()
                    .orElse("no configuration of this plot was measured");
            return Plot.omitted(title, why, metrics);
        }
        long xs = points.stream().flatMap(List::stream).mapToDouble(Point::x).distinct().count();
        if (xs < 2) {
            return Plot.omitted(title, "a single " + axis.title().replaceAll(" \\(.*", "") + " has a value: a line needs two",
                    metrics);
        }
        double[] means = points.stream().flatMap(List::stream).mapToDouble(Point::mean).toArray();
        double min = java.util.Arrays.stream(means).min().orElseThrow();
        double max = java.util.Arrays.stream(means).max().orElseThrow();
        boolean log = min > 0 && max / min >= DECADE;
        // the bottom an interval is clipped to: zero, or below the smallest mean on a log axis
        double floor = log ? min / 4 : 0;
        String caption = String.format(Locale.ROOT, "bars: 95 %% interval of the mean, n = %s repetitions%s",
                n.getMin() == n.getMax() ? String.valueOf(n.getMin()) : n.getMin() + "–" + n.getMax(), "; dashed bar: clipped");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(axis.title() + " · " + caption).yAxisTitle(yTitle + (log ? ", log scale" : "")).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisTickLabelsFormattingFunction(axis::label);
        chart.getStyler().setYAxisTickLabelsFormattingFunction(Plots::number);
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setPlotContentSize(0.9);   // (an x range would cost the tick labels: XChart ticks data positions only without one)
        if (!log) {
            chart.getStyler().setYAxisMin(0.0);
        }
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            List<Point> ps = points.get(i);
            if (ps.isEmpty()) {
                continue;
            }
            Color colour = colour(line.mode());
            XYSeries series = chart.addSeries(line.name(), ps.stream().mapToDouble(Point::x).toArray(),
                    ps.stream().mapToDouble(Point::mean).toArray());
            series.setLineColor(colour);
            series.setMarkerColor(colour);
            series.setMarker(SeriesMarkers.CIRCLE);
            if (ps.size() < 2) {
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);   // one point is not a line
            } else {
                series.setLineStyle(line.dashed() ? SeriesLines.DASH_DASH : SeriesLines.SOLID);   // never XChart's cycling default
            }
            for (int k = 0; k < ps.size(); k++) {
                Point p = ps.get(k);
                if (p.high() <= p.low()) {
                    continue;
                }
                boolean clipped = p.low() < floor;
                XYSeries bar = chart.addSeries(line.name() + " interval " + k, new double[] {p.x(), p.x()},
                        new double[] {Math.max(p.low(), floor), p.high()});
                bar.setShowInLegend(false);
                bar.setMarker(SeriesMarkers.NONE);
                bar.setLineColor(colour);
                bar.setLineStyle(new java.awt.BasicStroke(1.2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                        10f, clipped ? new float[] {2f, 3f} : null, 0f));   // thin: the means stay in front; dotted: clipped
            }
        }
        return new Plot(title, Optional.of(chart), null, metrics);
    }

    /** {@code 0.5}, {@code 12}, {@code 1500}, {@code 0.0031}: three significant digits, no exponent. */
    static String number(double v) {
        if (v == 0) {
            return "0";
        }
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(3));
        return d.stripTrailingZeros().toPlainString();
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

    /** The fewest and the most threads of a plan (one count when it has one). */
    private static List<Integer> ends(List<Integer> threads) {
        int fewest = threads.stream().min(Integer::compare).orElseThrow();
        int most = threads.stream().max(Integer::compare).orElseThrow();
        return fewest == most ? List.of(fewest) : List.of(fewest, most);
    }

    private static String threadRange(List<Integer> ends) {
        return ends.size() == 1 ? threads(ends.get(0)) : threads(ends.get(0)) + " solid, " + threads(ends.get(1)) + " dashed";
    }

    private static String threads(int n) {
        return n + (n == 1 ? " thread" : " threads");
    }
}
