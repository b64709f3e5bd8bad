package dev.copybench.internal.results;

import dev.copybench.Configuration;
import dev.copybench.Metric;
import dev.copybench.internal.Settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A previous run's results, as one plan of this run sees them: the repetitions the baseline measured of each of
 * its configurations, or why there are none. The baseline's plan is the one measured by the same method; failing
 * that, any plan with the same measuring window (a 1 s cell is not a 200 ms cell).
 *
 * <pre>{@code
 * Baseline b = Baseline.of(RunFile.read(path), path, "ThroughputIT.oneCopy", 50, 200);
 * b.values(config, Metric.THROUGHPUT_GBPS);   // the baseline's repetitions, or why there are none
 * }</pre>
 */
public final class Baseline {

    /**
     * The repetitions of a configuration's metric in the baseline, or why there are none; {@code notInBaseline}
     * when the baseline never measured the configuration (which a hypothesis may allow).
     */
    public record Values(double[] values, String why, boolean notInBaseline) {
        public boolean present() {
            return why == null;
        }
    }

    private final RunFile run;
    private final Path path;
    private final List<RunFile.Plan> plans;
    private final String missing;
    private final String measuredBy;

    private Baseline(RunFile run, Path path, List<RunFile.Plan> plans, String missing, String measuredBy) {
        this.run = run;
        this.path = path;
        this.plans = plans;
        this.missing = missing;
        this.measuredBy = measuredBy;
    }

    /** No baseline: every comparison with it is undecidable, with {@code why}. */
    public static Baseline none(String why) {
        return new Baseline(null, null, List.of(), why, null);
    }

    /** Without {@link Settings#BASELINE} set. */
    public static Baseline notConfigured() {
        return none("no baseline: set the configuration parameter " + Settings.BASELINE + " to a previous run's "
                + "results.json (e.g. -D" + Settings.BASELINE + "=target/copybench/<run id>/results.json)");
    }

    /** The baseline's plans that match a plan of this run measured by {@code measuredBy} with this window. */
    public static Baseline of(RunFile run, Path path, String measuredBy, long warmupMs, long durationMs) {
        List<RunFile.Plan> same = run.plans().stream().filter(p -> p.measuredBy().equals(measuredBy)).toList();
        List<RunFile.Plan> plans = new ArrayList<>(same.isEmpty() ? run.plans().stream()
                .filter(p -> p.warmupMs() == warmupMs && p.durationMs() == durationMs).toList() : same);
        return new Baseline(run, path, plans, null, measuredBy);
    }

    /** Why nothing can be compared with this baseline at all, or empty when something may be. */
    public Optional<String> absent() {
        return Optional.ofNullable(missing);
    }

    /** Why the baseline's host cannot be compared with this one (another kernel or CPU model), or empty. */
    public Optional<String> differentHost(String kernel, String cpuModel) {
        if (run == null) {
            return Optional.empty();
        }
        List<String> diffs = new ArrayList<>();
        if (!run.host().kernel().equals(kernel)) {
            diffs.add("kernel " + run.host().kernel() + ", this run " + kernel);
        }
        if (!run.host().cpuModel().equals(cpuModel)) {
            diffs.add("CPU " + run.host().cpuModel() + ", this run " + cpuModel);
        }
        return diffs.isEmpty() ? Optional.empty() : Optional.of("the baseline " + path + " ran on another host ("
                + String.join("; ", diffs) + "): allow it with allowingDifferentHost() if that is the comparison you want");
    }

    /** The baseline's repetitions of the metric in this configuration, or why there are none. */
    public Values values(Configuration c, Metric m) {
        if (missing != null) {
            return new Values(new double[0], missing, false);
        }
        List<RunFile.Cell> cells = plans.stream().flatMap(p -> p.measured(c).stream()).toList();
        if (cells.isEmpty()) {
            return new Values(new double[0], c + " is not in the baseline " + path + " (no plan of " + measuredBy
                    + ", nor one with the same window, measured it)", true);
        }
        double[] values = new double[cells.size()];
        for (int i = 0; i < values.length; i++) {
            Optional<RunFile.Value> v = cells.get(i).metric(m);
            if (v.isEmpty() || v.get().value() == null) {
                return new Values(new double[0], String.format(Locale.ROOT, "%s has no value in the baseline %s: %s", m,
                        path, v.map(RunFile.Value::absent).orElse("the baseline did not record it")), false);
            }
            values[i] = v.get().value();
        }
        return new Values(values, null, false);
    }

    /** {@code <path> (run <id>)}, for statements. */
    public String describe() {
        return run == null ? "no baseline" : path + " (run " + run.runId() + ")";
    }
}
