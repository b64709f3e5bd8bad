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
 * Compares a new run's {@code results.json} with an old run's, or with a directory of old runs, without a test: per
 * plan, key metric and configuration, the change from old to new with its 95 % interval and a verdict, decided as
 * {@code isNotWorseThanBaseline} decides: with the run as the unit (a prediction from the old runs' means, or, with
 * one old run, widened by the assumed run-to-run drift {@code --drift}), and Holm's correction across everything the
 * invocation decides (every plan × metric × configuration). A plan matches an old one only with the same window,
 * warm-up, tuning, topology kind and engine version ({@code --allow-different-plan} compares across them). Exits 1
 * when a metric is REFUTED (a confident regression beyond the threshold), 0 otherwise, 2 on bad input.
 *
 * <pre>{@code
 * ./copybench compare old/results.json new/results.json --threshold 5%
 * ./copybench compare target/copybench new/results.json      # every kept run as the baseline
 * java -cp "target/classes:$(cat target/compare.classpath)" dev.copybench.hypothesis.Compare old.json new.json
 * }</pre>
 */
final class Compare {

    static final List<Metric> KEY_METRICS = List.of(Metric.THROUGHPUT_GBPS, Metric.CPU_NS_PER_BYTE, Metric.LATENCY_P99_US);
    private static final double CONFIDENCE = 0.95;
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%?");
    private static final String USAGE = "usage: compare OLD/results.json|OLD-RUNS-DIR NEW/results.json [--threshold 5%] "
            + "[--drift 10%] [--allow-different-host] [--allow-different-plan]";

    /** How one invocation decides. */
    record Options(double threshold, double drift, boolean allowHost, boolean allowPlan) {
    }

    /** What one invocation decided: a verdict per plan and metric, and how many rows Holm's correction spanned. */
    record Decisions(List<Verdict> verdicts, int comparisons) {
        int count(Outcome o) {
            return (int) verdicts.stream().filter(v -> v.outcome() == o).count();
        }
    }

    private Compare() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // the JVM's default would be a stack trace and exit 1, which says "a confident regression"
            System.err.println("compare: " + oneLine(e));
            status = 2;
        }
        System.exit(status);
    }

    /** The command; returns its exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> files = new ArrayList<>();
        double threshold = 0.05;
        double drift = Baseline.DEFAULT_DRIFT;
        boolean allowHost = false;
        boolean allowPlan = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--threshold") || a.startsWith("--threshold=") || a.equals("--drift") || a.startsWith("--drift=")) {
                String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : i + 1 < args.length ? args[++i] : "";
                Matcher m = PERCENT.matcher(v.strip());
                int below = name.equals("--drift") ? 1000 : 100;   // a drift is a standard deviation: it may exceed 100 %
                if (!m.matches() || !(Double.parseDouble(m.group(1)) < below)) {
                    err.println("compare: " + name + " '" + v + "' is not a percentage below " + below + ", e.g. "
                            + (name.equals("--drift") ? "10%" : "5%") + "\n" + USAGE);
                    return 2;
                }
                if (name.equals("--drift")) {
                    drift = Double.parseDouble(m.group(1)) / 100;
                } else {
                    threshold = Double.parseDouble(m.group(1)) / 100;
                }
            } else if (a.equals("--allow-different-host")) {
                allowHost = true;
            } else if (a.equals("--allow-different-plan")) {
                allowPlan = true;
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
        List<Baseline.Run> before;
        RunFile now;
        try {
            before = Baseline.read(Path.of(files.get(0)));
            now = RunFile.read(Path.of(files.get(1)));
        } catch (IOException e) {
            err.println("compare: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("compare: " + files + " could not be read: " + oneLine(e));
            return 2;
        }
        // the new run's own file among the old runs (a kept-runs directory) would compare it with itself
        List<Baseline.Run> old = before.stream().filter(r -> !r.file().runId().equals(now.runId())).toList();
        if (old.isEmpty()) {
            err.println("compare: " + files.get(0) + " holds no run but the new one\n" + USAGE);
            return 2;
        }
        try {
            return compare(old, Path.of(files.get(0)), now, new Options(threshold, drift, allowHost, allowPlan), out);
        } catch (RuntimeException e) {
            // exit 1 says "a confident regression": a failure of compare itself is never that
            err.println("compare: failed on " + files.get(0) + " and " + files.get(1) + ": " + oneLine(e));
            return 2;
        }
    }

    /** An exception as one line: its type and the first line of its message. */
    private static String oneLine(Throwable e) {
        String m = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + ": " + m;
    }

    private static int compare(List<Baseline.Run> before, Path source, RunFile now, Options options, PrintStream out) {
        out.printf(Locale.ROOT, "copybench compare: %s (old) → run %s (new), threshold %s %%, %.0f %% intervals, %s%n",
                before.size() == 1 ? "run " + before.get(0).file().runId() : before.size() + " runs in " + source,
                now.runId(), AcrossRuns.percent(options.threshold()), CONFIDENCE * 100, before.size() == 1
                        ? "one old run: a change within the run-to-run drift it cannot exclude (sd " + AcrossRuns.percent(
                        options.drift()) + " %, --drift) is never called a regression"
                        : "the run is the unit: the new run's mean against a prediction from the old runs' means");
        otherHost(before, source, now).ifPresent(why -> out.println((options.allowHost() ? "note: " : "") + why.replace(
                "allowingDifferentHost()", "--allow-different-host")));
        for (RunFile.Plan plan : now.plans()) {   // what else ran on the host while each run measured
            out.println();
            out.println(plan.measuredBy() + ", new run's " + plan.hostLoad(now.host().cores()));
            for (Baseline.Run run : before) {
                run.file().plans().stream().filter(p -> p.measuredBy().equals(plan.measuredBy())).findFirst()
                        .ifPresent(p -> out.println(plan.measuredBy() + ", old run " + run.file().runId() + "'s "
                                + p.hostLoad(run.file().host().cores())));
            }
        }
        Decisions decisions = decide(before, source, now, options);
        for (Verdict v : decisions.verdicts()) {
            out.println();
            out.println(v.line());
            out.print(table(v));
        }
        int refuted = decisions.count(Outcome.REFUTED);
        out.println();
        out.printf(Locale.ROOT, "Holm's correction across all %d comparisons of this invocation (plans × metrics × "
                + "configurations)%n", decisions.comparisons());
        out.printf("%s: %d REFUTED (a regression beyond %s %%), %d HOLDS, %d UNDECIDABLE%n",
                refuted > 0 ? "REGRESSION" : "no confident regression", refuted, AcrossRuns.percent(options.threshold()),
                decisions.count(Outcome.HOLDS), decisions.count(Outcome.UNDECIDABLE));
        return refuted > 0 ? 1 : 0;
    }

    private static Optional<String> otherHost(List<Baseline.Run> before, Path source, RunFile now) {
        return Baseline.of(before, source, new Baseline.PlanKey("", 0, 0, null, null, null), Baseline.DEFAULT_DRIFT)
                .differentHost(now.host().kernel(), now.host().cpuModel());
    }

    /**
     * Every plan × key metric × configuration of {@code now} against the old runs, with Holm's correction across all
     * of them at once (a row refuted on its own but not after it is undecidable, saying so), then a verdict per plan
     * and metric.
     */
    static Decisions decide(List<Baseline.Run> before, Path source, RunFile now, Options options) {
        Optional<String> otherHost = options.allowHost() ? Optional.empty() : otherHost(before, source, now);
        List<String> statements = new ArrayList<>();
        List<String> units = new ArrayList<>();
        List<List<Verdict.Row>> groups = new ArrayList<>();
        for (RunFile.Plan plan : now.plans()) {
            Baseline baseline = Baseline.of(before, source, Baseline.PlanKey.of(plan), options.drift());
            List<Configuration> configurations = plan.configurations();
            List<List<RunFile.Cell>> measured = configurations.stream().map(plan::measured).toList();
            for (Metric metric : KEY_METRICS) {
                List<Verdict.Row> rows = new ArrayList<>();
                for (int i = 0; i < configurations.size(); i++) {
                    rows.add(row(measured.get(i), configurations.get(i), metric, baseline, options, otherHost));
                }
                if (rows.stream().allMatch(r -> r.left() == null && r.right() == null)) {
                    continue;   // the metric is measured nowhere in this plan (latency of a stream): nothing to show
                }
                statements.add(plan.measuredBy() + ": " + metric + (metric.isHigherBetter() ? " ≥ " : " ≤ ") + "old run"
                        + (before.size() == 1 ? "" : "s"));
                units.add(metric.unit());
                groups.add(rows);
            }
        }
        int comparisons = groups.stream().mapToInt(List::size).sum();
        List<Verdict.Row> all = groups.stream().flatMap(List::stream).toList();
        java.util.Set<Verdict.Row> rejected = holm(all, (1 - CONFIDENCE) / 2);
        List<Verdict> verdicts = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<Verdict.Row> adjusted = new ArrayList<>();
            for (Verdict.Row r : groups.get(g)) {
                adjusted.add(r.outcome() != Outcome.REFUTED || rejected.contains(r) ? r : r.as(Outcome.UNDECIDABLE,
                        String.format(Locale.ROOT, "refuted on its own (p = %.3g), but not after Holm's correction "
                                + "across all %d comparisons of this compare", r.violationP(), comparisons)));
            }
            // a row Holm keeps across all comparisons is kept within its own verdict's fewer rows too
            verdicts.add(Verdict.of(statements.get(g), adjusted, CONFIDENCE, units.get(g)));
        }
        return new Decisions(verdicts, comparisons);
    }

    /** Holm's step-down at one-sided level {@code alpha} over all rows (those without a p-value count in the family). */
    private static java.util.Set<Verdict.Row> holm(List<Verdict.Row> rows, double alpha) {
        List<Verdict.Row> byP = rows.stream().filter(r -> !Double.isNaN(r.violationP()))
                .sorted(java.util.Comparator.comparingDouble(Verdict.Row::violationP)).toList();
        java.util.Set<Verdict.Row> rejected = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int step = 0; step < byP.size(); step++) {
            if (byP.get(step).violationP() > alpha / (rows.size() - step)) {
                break;
            }
            rejected.add(byP.get(step));
        }
        return rejected;
    }

    private static Verdict.Row row(List<RunFile.Cell> cells, Configuration c, Metric metric, Baseline baseline,
                                   Options options, Optional<String> otherHost) {
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
        Baseline.Values before = baseline.values(c, metric, options.allowPlan());
        if (!before.present()) {
            return Verdict.Row.undecidable(c.toString(), now, null, before.why().replace("allowingDifferentPlan()",
                    "--allow-different-plan"));
        }
        if (otherHost.isPresent()) {
            return Verdict.Row.undecidable(c.toString(), now, Summary.of(before.pooled(), CONFIDENCE), otherHost.get());
        }
        return Hypothesis.baselineRow(c.toString(), metric, now, before, options.threshold(), CONFIDENCE, options.drift());
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
}
