package dev.copybench.internal.report;

import dev.copybench.Configuration;
import dev.copybench.Metric;
import dev.copybench.internal.results.RunFile;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each key metric of a plan over the last runs, from the results files kept in the results directory (Allure's own
 * history counts tests, not Gbps): per configuration the mean of its repetitions in each run that measured the same
 * method, this run last. A plot per metric with at least two runs, and the table.
 *
 * <pre>{@code
 * Trends t = Trends.of(ResultsFile.earlierRuns(dir), thisRun, "ThroughputIT.oneCopy");
 * t.charts();   // throughput (client), CPU ns per byte (server), latency p99 (client) where measured
 * }</pre>
 */
public final class Trends {

    /** The runs a trend shows, this one included. */
    public static final int RUNS = 10;
    static final List<Metric> KEY_METRICS = List.of(Metric.THROUGHPUT_GBPS, Metric.CPU_NS_PER_BYTE, Metric.LATENCY_P99_US);
    /** Earlier runs' files do not change: each is read once per JVM (and a bad one warned about once). */
    private static final Map<Path, Kept> READ = new ConcurrentHashMap<>();

    /** A kept run's file as read: the run, or the one line saying why it has no place in a trend. */
    private record Kept(RunFile run, String skipped) {
    }

    /** A plot of one metric over the runs. */
    public record Chart(String title, byte[] png) {
    }

    private record Point(int run, String runId, Configuration configuration, Metric metric, int n, double mean) {
    }

    private final List<Chart> charts;
    private final List<Point> points;
    private final String missing;
    private final List<String> skipped;

    private Trends(List<Chart> charts, List<Point> points, String missing, List<String> skipped) {
        this.charts = charts;
        this.points = points;
        this.missing = missing;
        this.skipped = skipped;
    }

    /**
     * @param earlier    results files of runs in the results directory, oldest first (this run's may be among them)
     * @param current    this run's results so far
     * @param measuredBy the plan's method, {@code Class.method}: only runs of the same method are compared
     */
    public static Trends of(List<Path> earlier, RunFile current, String measuredBy) {
        List<RunFile> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path p : earlier) {
            if (p.getParent() != null && p.getParent().getFileName().toString().equals(current.runId())) {
                continue;   // this run's own file is still growing: never read, never cached
            }
            Kept kept = READ.computeIfAbsent(p, Trends::read);
            if (kept.run() == null) {
                skipped.add(kept.skipped());
            } else if (!kept.run().runId().equals(current.runId())) {
                runs.add(kept.run());
            }
        }
        runs.add(current);
        runs = runs.subList(Math.max(0, runs.size() - RUNS), runs.size());
        List<Configuration> configurations = current.plans().stream().filter(p -> p.measuredBy().equals(measuredBy))
                .flatMap(p -> p.configurations().stream()).distinct().toList();
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunFile run = runs.get(i);
            for (Metric m : KEY_METRICS) {
                for (Configuration c : configurations) {
                    double[] values = run.plans().stream().filter(p -> p.measuredBy().equals(measuredBy))
                            .flatMap(p -> p.measured(c).stream()).map(cell -> cell.metric(m))
                            .flatMap(Optional::stream).filter(v -> v.value() != null).mapToDouble(RunFile.Value::value)
                            .toArray();
                    if (values.length > 0) {
                        points.add(new Point(i + 1, run.runId(), c, m, values.length,
                                java.util.Arrays.stream(values).average().orElseThrow()));
                    }
                }
            }
        }
        List<Chart> charts = new ArrayList<>();
        for (Metric m : KEY_METRICS) {
            List<Point> ofMetric = points.stream().filter(p -> p.metric().equals(m)).toList();
            if (ofMetric.stream().mapToInt(Point::run).distinct().count() >= 2) {
                charts.add(chart(m, ofMetric, runs.size()));
            }
        }
        long withData = points.stream().mapToInt(Point::run).distinct().count();
        String missing = charts.isEmpty() ? "No trend yet: " + (withData <= 1 ? "this is the first run of " + measuredBy
                + " in the results directory" : "no key metric was measured in two runs") + "; each run's results.json "
                + "is kept there (the newest 30), and the next run's report shows the trend." : null;
        return new Trends(charts, points, missing, List.copyOf(skipped));
    }

    public List<Chart> charts() {
        return charts;
    }

    /** One line per kept run left out of the trend because its file cannot be used, naming the file and why. */
    public List<String> skipped() {
        return skipped;
    }

    /** Why nothing is plotted, if nothing is. */
    public Optional<String> missing() {
        return Optional.ofNullable(missing);
    }

    /** {@code run,run_id,configuration,metric,side,unit,n,mean}: one line per run, configuration and key metric. */
    public String csv() {
        StringBuilder s = new StringBuilder("run,run_id,configuration,metric,side,unit,n,mean\n");
        for (Point p : points) {
            s.append(p.run()).append(',').append(p.runId()).append(",\"").append(p.configuration()).append("\",")
                    .append(p.metric().name()).append(',').append(p.metric().side().label()).append(',')
                    .append(p.metric().unit()).append(',').append(p.n()).append(',')
                    .append(String.format(Locale.ROOT, "%.6g", p.mean())).append('\n');
        }
        return s.toString();
    }

    private static Chart chart(Metric m, List<Point> points, int runs) {
        String title = m + " over the last " + runs + " runs";
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title)
                .xAxisTitle("run (oldest → this one)").yAxisTitle(m.name() + " (" + m.unit() + ")").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisDecimalPattern("0");
        for (Configuration c : points.stream().map(Point::configuration).distinct().toList()) {
            List<Point> series = points.stream().filter(p -> p.configuration().equals(c)).toList();
            chart.addSeries(c.toString(), series.stream().map(p -> (double) p.run()).toList(),
                    series.stream().map(Point::mean).toList());
        }
        return new Chart(title, new Plots.Plot(title, Optional.of(chart), "", Set.of()).png());
    }

    /**
     * A kept run, or why it is skipped: a broken file, one of another schema or a planted one has no place in a
     * trend, and must never fail the hypothesis whose report draws it. Said once, on the console.
     */
    private static Kept read(Path file) {
        String why;
        try {
            return new Kept(RunFile.read(file), null);
        } catch (IOException e) {
            why = e.getMessage();
        } catch (RuntimeException e) {
            why = file + ": " + e;
        }
        String line = "trends skip a kept run: " + String.valueOf(why).lines().findFirst().orElse("");
        System.out.println("[copybench] " + line);
        return new Kept(null, line);
    }
}
