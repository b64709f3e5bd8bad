package dev.copybench.hypothesis;

import dev.copybench.Configuration;
import dev.copybench.Metric;
import dev.copybench.internal.results.Baseline;
import dev.copybench.internal.results.RunFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares two runs' {@code results.json} without a test: per plan, key metric and configuration, the change from
 * the old run to the new with its 95 % interval and a verdict, decided as {@code isNotWorseThanBaseline} decides
 * (Welch's interval, Holm's correction across a metric's configurations). Exits 1 when a metric is REFUTED (a
 * confident regression beyond the threshold), 0 otherwise, 2 on bad input.
 *
 * <pre>{@code
 * ./copybench compare old/results.json new/results.json --threshold 5%
 * java -cp "target/classes:$(cat target/compare.classpath)" dev.copybench.hypothesis.Compare old.json new.json
 * }</pre>
 */
final class Compare {

    static final List<Metric> KEY_METRICS = List.of(Metric.THROUGHPUT_GBPS, Metric.CPU_NS_PER_BYTE, Metric.LATENCY_P99_US);
    private static final double CONFIDENCE = 0.95;
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%?");
    private static final String USAGE = "usage: compare OLD/results.json NEW/results.json [--threshold 5%] [--allow-different-host]";

    private Compare() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command; returns its exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> files = new ArrayList<>();
        double threshold = 0.05;
        boolean allowHost = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--threshold") || a.startsWith("--threshold=")) {
                String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : i + 1 < args.length ? args[++i] : "";
                Matcher m = PERCENT.matcher(v.strip());
                if (!m.matches() || !(Double.parseDouble(m.group(1)) < 100)) {
                    err.println("compare: --threshold '" + v + "' is not a percentage below 100, e.g. 5%\n" + USAGE);
                    return 2;
                }
                threshold = Double.parseDouble(m.group(1)) / 100;
            } else if (a.equals("--allow-different-host")) {
                allowHost = true;
            } else if (a.startsWith("-")) {
                err.println("compare: unknown option " + a + "\n" + USAGE);
                return 2;
            } else {
                files.add(a);
            }
        }
        if (files.size() != 2) {
            err.println("compare: needs two results files, got " + files.size() + "\n" + USAGE);
            return 2;
        }
        RunFile before;
        RunFile now;
        try {
            before = RunFile.read(Path.of(files.get(0)));
            now = RunFile.read(Path.of(files.get(1)));
        } catch (IOException | RuntimeException e) {
            err.println("compare: " + e.getMessage());
            return 2;
        }
        return compare(before, Path.of(files.get(0)), now, threshold, allowHost, out);
    }

    private static int compare(RunFile before, Path beforePath, RunFile now, double threshold, boolean allowHost,
                               PrintStream out) {
        out.printf(Locale.ROOT, "copybench compare: run %s (old) → run %s (new), threshold %s %%, %.0f %% intervals%n",
                before.runId(), now.runId(), trim(threshold * 100), CONFIDENCE * 100);
        Optional<String> otherHost = Baseline.of(before, beforePath, "", 0, 0)
                .differentHost(now.host().kernel(), now.host().cpuModel());
        otherHost.ifPresent(why -> out.println((allowHost ? "note: " : "") + why.replace(
                "allowingDifferentHost()", "--allow-different-host")));
        int refuted = 0;
        int holds = 0;
        int undecidable = 0;
        for (RunFile.Plan plan : now.plans()) {
            Baseline baseline = Baseline.of(before, beforePath, plan.measuredBy(), plan.warmupMs(), plan.durationMs());
            out.println();
            out.println(plan.measuredBy() + ", new run's " + plan.hostLoad(now.host().cores()));
            before.plans().stream().filter(p -> p.measuredBy().equals(plan.measuredBy())).findFirst()
                    .ifPresent(p -> out.println(plan.measuredBy() + ", old run's " + p.hostLoad(before.host().cores())));
            for (Metric metric : KEY_METRICS) {
                List<Verdict.Row> rows = new ArrayList<>();
                for (Configuration c : plan.configurations()) {
                    rows.add(row(plan, c, metric, baseline, threshold, allowHost ? Optional.empty() : otherHost));
                }
                if (rows.stream().allMatch(r -> r.left() == null && r.right() == null)) {
                    continue;   // the metric is measured nowhere in this plan (latency of a stream): nothing to show
                }
                Verdict v = Verdict.of(plan.measuredBy() + ": " + metric + (metric.isHigherBetter() ? " ≥ " : " ≤ ")
                        + "old run", rows, CONFIDENCE, metric.unit());
                out.println();
                out.println(v.line());
                out.print(table(v));
                switch (v.outcome()) {
                    case REFUTED -> refuted++;
                    case HOLDS -> holds++;
                    default -> undecidable++;
                }
            }
        }
        out.println();
        out.printf("%s: %d REFUTED (a regression beyond %s %%), %d HOLDS, %d UNDECIDABLE%n",
                refuted > 0 ? "REGRESSION" : "no confident regression", refuted, trim(threshold * 100), holds, undecidable);
        return refuted > 0 ? 1 : 0;
    }

    private static Verdict.Row row(RunFile.Plan plan, Configuration c, Metric metric, Baseline baseline, double threshold,
                                   Optional<String> otherHost) {
        List<RunFile.Cell> cells = plan.measured(c);
        double[] values = new double[cells.size()];
        for (int i = 0; i < values.length; i++) {
            Optional<RunFile.Value> v = cells.get(i).metric(metric);
            if (v.isEmpty() || v.get().value() == null) {
                return Verdict.Row.undecidable(c.toString(), null, null, metric + " not measured in the new run: "
                        + v.map(RunFile.Value::absent).orElse("not recorded"));
            }
            values[i] = v.get().value();
        }
        Summary now = values.length == 0 ? null : Summary.of(values, CONFIDENCE);
        if (now == null) {
            return Verdict.Row.undecidable(c.toString(), null, null, "no repetition of it measured in the new run");
        }
        Baseline.Values before = baseline.values(c, metric);
        if (!before.present()) {
            return Verdict.Row.undecidable(c.toString(), now, null, before.why());
        }
        if (otherHost.isPresent()) {
            return Verdict.Row.undecidable(c.toString(), now, Summary.of(before.values(), CONFIDENCE), otherHost.get());
        }
        return Hypothesis.baselineRow(c.toString(), metric, now, before.values(), threshold, CONFIDENCE);
    }

    /** configuration, old and new mean [CI], the change in % of the old mean [CI], the row's verdict and reason. */
    private static String table(Verdict v) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "  %-36s %-28s %-28s %-26s %s%n", "configuration",
                "old mean [CI] (" + v.unit() + ")", "new mean [CI] (" + v.unit() + ")", "change [CI]", "verdict"));
        for (Verdict.Row r : v.rows()) {
            String change = "-";
            if (r.difference() != null && r.right() != null && r.right().mean() != 0) {
                double base = Math.abs(r.right().mean());
                change = String.format(Locale.ROOT, "%+.1f %% [%+.1f, %+.1f]", r.difference().estimate() / base * 100,
                        r.difference().ciLow() / base * 100, r.difference().ciHigh() / base * 100);
            }
            s.append(String.format(Locale.ROOT, "  %-36s %-28s %-28s %-26s %s%s%n", r.configuration(),
                    r.right() == null ? "-" : r.right().format(), r.left() == null ? "-" : r.left().format(), change,
                    r.outcome(), r.reason() == null ? "" : " — " + r.reason()));
        }
        return s.toString();
    }

    /** {@code 5}, {@code 2.5}: a percentage as the user wrote it. */
    private static String trim(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }
}
