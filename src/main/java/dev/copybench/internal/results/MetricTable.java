package dev.copybench.internal.results;

import dev.copybench.hypothesis.Summary;
import dev.copybench.Configuration;
import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.Metric;
import dev.copybench.internal.plan.Cell;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every metric of every configuration, summarised over its repetitions: what plots and the CSV
 * table are drawn from. A metric that is absent in any repetition is absent for the configuration,
 * with the reason, never averaged from the rest or from zeros.
 *
 * <pre>{@code
 * MetricTable.of(results).entry(config, Metric.THROUGHPUT_GBPS).summary().mean();
 * }</pre>
 */
public final class MetricTable {

    /** One configuration and metric: a summary, or why there is none. */
    public record Entry(Configuration configuration, Metric metric, Optional<Summary> summary, String absent) {
        /**
         * Half the width of the confidence interval, 0 without one (a single repetition). A latency percentile's
         * interval is on the log scale and not symmetric: show {@code ciLow}/{@code ciHigh} for it.
         */
        public double halfInterval() {
            return summary.filter(Summary::hasInterval).map(s -> (s.ciHigh() - s.ciLow()) / 2).orElse(0.0);
        }
    }

    private static final double CONFIDENCE = 0.95;

    private final BenchmarkResults results;

    private MetricTable(BenchmarkResults results) {
        this.results = results;
    }

    public static MetricTable of(BenchmarkResults results) {
        return new MetricTable(results);
    }

    /** The planned configurations, in execution order. */
    public List<Configuration> configurations() {
        return results.plan().configurations();
    }

    public Entry entry(Configuration config, Metric metric) {
        List<CellResult> runs = results.results(config);
        if (runs.isEmpty()) {
            return new Entry(config, metric, Optional.empty(),
                    results.unmeasurable(config).orElse("no repetition of this configuration ran"));
        }
        Repetitions r = Repetitions.of(runs, metric);
        return r.absent().map(why -> new Entry(config, metric, Optional.<Summary>empty(), why))
                .orElseGet(() -> new Entry(config, metric, Optional.of(Summary.of(metric, r.values(), CONFIDENCE)), null));
    }

    /** Why the metric is absent in every configuration, or empty when some configuration has it. */
    public Optional<String> absentEverywhere(Metric metric) {
        String why = null;
        for (Configuration c : configurations()) {
            Entry e = entry(c, metric);
            if (e.summary().isPresent()) {
                return Optional.empty();
            }
            why = e.absent();
        }
        return Optional.ofNullable(why);
    }

    /**
     * {@code mode,size_bytes,threads,workload,metric,side,unit,n,mean,median,stddev,ci95_low,ci95_high,absent}:
     * one line per configuration and catalogue metric.
     */
    public String csv() {
        StringBuilder s = new StringBuilder("mode,size_bytes,threads,workload,metric,side,unit,n,mean,median,stddev,"
                + "ci95_low,ci95_high,absent\n");
        for (Configuration c : configurations()) {
            for (Metric m : Metric.CATALOGUE) {
                Entry e = entry(c, m);
                s.append(c.mode()).append(',').append(c.size().bytes()).append(',').append(c.threads()).append(',')
                        .append(c.workload().engineName()).append(',').append(quote(m.name())).append(',')
                        .append(m.side().label()).append(',').append(m.unit()).append(',');
                if (e.summary().isPresent()) {
                    Summary x = e.summary().get();
                    s.append(x.n()).append(',').append(num(x.mean())).append(',').append(num(x.median())).append(',')
                            .append(num(x.stdDev())).append(',').append(num(x.ciLow())).append(',')
                            .append(num(x.ciHigh())).append(",\n");
                } else {
                    s.append(",,,,,,").append(quote(e.absent())).append('\n');
                }
            }
        }
        return s.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String quote(String text) {
        return text.contains(",") || text.contains("\"") ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    /** Configurations of the table, filtered; a small helper for plots. */
    public List<Configuration> configurations(java.util.function.Predicate<Configuration> filter) {
        return configurations().stream().filter(filter).toList();
    }
}
