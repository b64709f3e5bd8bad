package dev.copybench.internal.results;

import dev.copybench.Configuration;
import dev.copybench.Metric;
import dev.copybench.internal.Settings;
import dev.copybench.internal.host.NativeEngine;
import dev.copybench.internal.plan.BenchmarkPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Previous runs' results, as one plan of this run sees them: per configuration and metric, the repetitions each
 * baseline run measured, or why there are none. A baseline is one results file or a directory of runs (each
 * {@code <run>/results.json}, as the results directory keeps them). A baseline plan counts only when it was
 * measured by the same method with the same window, warm-up, tuning ({@code sendBuffer}, {@code nonBlocking},
 * {@code pinned}, sysctls), topology kind and engine version; a near miss is named, never pooled.
 *
 * <pre>{@code
 * Baseline b = Baseline.of(Baseline.read(Path.of("target/copybench")), Path.of("target/copybench"),
 *         Baseline.PlanKey.of(thisRunsPlan), Baseline.DEFAULT_DRIFT);
 * b.values(config, Metric.THROUGHPUT_GBPS, false);   // each baseline run's repetitions, or why there are none
 * }</pre>
 */
public final class Baseline {

    /**
     * The run-to-run drift assumed when the baseline is a single run, as the standard deviation of a run's level
     * (its mean) around the build's, relative to the mean. One run cannot measure how far the next run of the same
     * build lands, so it has to be assumed: Kalibera and Jones found run-level shifts of several per cent on quiet
     * machines; 10 % covers them and the 8 % of a busy VM, while still letting a single run refute a gross regression
     * (a drop beyond the tolerance plus about 28 %). Several runs measure the drift instead.
     */
    public static final double DEFAULT_DRIFT = 0.10;
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%?");

    /** What must be equal for a baseline plan to stand for a plan of this run. */
    public record PlanKey(String measuredBy, long warmupMs, long durationMs, String tuning, String topologyKind,
                          String engineVersion) {

        /** A plan of a results file. */
        public static PlanKey of(RunFile.Plan p) {
            return new PlanKey(p.measuredBy(), p.warmupMs(), p.durationMs(), p.tuning(), p.topologyKind(),
                    p.engineVersion());
        }

        /** A plan about to run with this copybench's engine; its topology kind is known once it is set up. */
        public static PlanKey of(String measuredBy, BenchmarkPlan p) {
            return new PlanKey(measuredBy, p.warmup().toMillis(), p.duration().toMillis(), p.tuning().describe(), null,
                    NativeEngine.version());
        }

        public PlanKey on(String kind) {
            return new PlanKey(measuredBy, warmupMs, durationMs, tuning, kind, engineVersion);
        }

        /** How a baseline plan differs from this one, each as {@code window 200 ms (this run 1000 ms)}; empty when none. */
        List<String> differences(PlanKey baseline) {
            List<String> d = new ArrayList<>();
            if (baseline.durationMs != durationMs) {
                d.add("window " + baseline.durationMs + " ms (this run " + durationMs + " ms)");
            }
            if (baseline.warmupMs != warmupMs) {
                d.add("warm-up " + baseline.warmupMs + " ms (this run " + warmupMs + " ms)");
            }
            if (!Objects.equals(baseline.tuning, tuning)) {
                d.add("tuning " + baseline.tuning + " (this run " + tuning + ")");
            }
            // unknown on this side (a topology that was not set up) decides nothing: its cells all failed anyway
            if (topologyKind != null && !Objects.equals(baseline.topologyKind, topologyKind)) {
                d.add("topology " + (baseline.topologyKind == null ? "not recorded" : baseline.topologyKind)
                        + " (this run " + topologyKind + ")");
            }
            if (!Objects.equals(baseline.engineVersion, engineVersion)) {
                d.add("engine version " + (baseline.engineVersion == null ? "not recorded" : baseline.engineVersion)
                        + " (this run " + engineVersion + ")");
            }
            return d;
        }
    }

    /** One baseline run: its results and the file they came from. */
    public record Run(RunFile file, Path path) {
    }

    /**
     * Each baseline run's repetitions of a configuration's metric (one array per run that measured it), or why there
     * are none; {@code notInBaseline} when no baseline plan of the method ever measured the configuration (which a
     * hypothesis may allow). {@code note} says what a decided comparison should mention (runs left out, a plan that
     * differs but was allowed).
     */
    public record Values(List<double[]> runs, String why, boolean notInBaseline, String note) {
        public boolean present() {
            return why == null;
        }

        /** Every repetition of every run. */
        public double[] pooled() {
            return runs.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
        }

        static Values missing(String why, boolean notInBaseline) {
            return new Values(List.of(), why, notInBaseline, null);
        }
    }

    private final List<Run> runs;
    private final Path source;
    private final String missing;
    private final PlanKey key;
    private final double drift;

    private Baseline(List<Run> runs, Path source, String missing, PlanKey key, double drift) {
        this.runs = List.copyOf(runs);
        this.source = source;
        this.missing = missing;
        this.key = key;
        this.drift = drift;
    }

    /** No baseline: every comparison with it is undecidable, with {@code why}. */
    public static Baseline none(String why) {
        return new Baseline(List.of(), null, why, null, DEFAULT_DRIFT);
    }

    /** Without {@link Settings#BASELINE} set. */
    public static Baseline notConfigured() {
        return none("no baseline: set the configuration parameter " + Settings.BASELINE + " to a previous run's "
                + "results.json or to a directory of runs (e.g. -D" + Settings.BASELINE + "=target/copybench)");
    }

    /** The baseline {@code runs} (read from {@code source}) as the plan {@code key} of this run sees them. */
    public static Baseline of(List<Run> runs, Path source, PlanKey key, double drift) {
        if (runs.isEmpty()) {
            return none("no baseline run in " + source);
        }
        return new Baseline(runs, source, null, key, drift);
    }

    /** One results file as the baseline of the plan {@code key}, with the default drift. */
    public static Baseline of(RunFile run, Path path, PlanKey key) {
        return of(List.of(new Run(run, path)), path, key, DEFAULT_DRIFT);
    }

    /** The same runs as a plan on a topology of this kind sees them (known once the topology is set up). */
    public Baseline on(String topologyKind) {
        return key == null ? this : new Baseline(runs, source, missing, key.on(topologyKind), drift);
    }

    /** The same runs, without the run {@code runId} (this run's own file, when it sits among them). */
    public Baseline without(String runId) {
        List<Run> rest = runs.stream().filter(r -> !r.file().runId().equals(runId)).toList();
        return rest.size() == runs.size() || missing != null ? this : of(rest, source, key, drift);
    }

    /**
     * The runs of a results file, or of a directory: its own {@code results.json}, else each subdirectory's, in name
     * order (run ids sort by start time).
     *
     * In a directory, a run that cannot be read is skipped with one line naming it.
     *
     * @throws IOException naming the file that cannot be read (a directory's first, when none can), or the directory
     *                     without any results file
     */
    public static List<Run> read(Path fileOrDirectory) throws IOException {
        if (!Files.isDirectory(fileOrDirectory) || Files.isRegularFile(fileOrDirectory.resolve("results.json"))) {
            Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve("results.json") : fileOrDirectory;
            return List.of(new Run(RunFile.read(file), file));
        }
        List<Path> files;
        try (Stream<Path> dirs = Files.list(fileOrDirectory)) {
            files = dirs.map(d -> d.resolve("results.json")).filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(p -> p.getParent().getFileName().toString())).toList();
        }
        if (files.isEmpty()) {
            throw new IOException(fileOrDirectory + " is a directory without a results.json in it or in any of its "
                    + "subdirectories: name a results file or a directory of runs");
        }
        List<Run> runs = new ArrayList<>();
        IOException firstBad = null;
        for (Path f : files) {
            try {
                runs.add(new Run(RunFile.read(f), f));
            } catch (IOException e) {
                // one bad kept run must not refuse the others, as trends skip it too
                System.out.println("[copybench] the baseline skips a run: " + e.getMessage());
                firstBad = firstBad == null ? e : firstBad;
            }
        }
        if (runs.isEmpty()) {
            throw firstBad;
        }
        return runs;
    }

    /**
     * {@code copybench.baseline.drift} as a fraction ({@code 10%} → 0.1), {@link #DEFAULT_DRIFT} when unset.
     *
     * @throws IllegalArgumentException when it is not a percentage below 1000
     */
    public static double drift(Optional<String> setting) {
        if (setting.isEmpty()) {
            return DEFAULT_DRIFT;
        }
        Matcher m = PERCENT.matcher(setting.get().strip());
        // a standard deviation, so beyond 100 % is possible (a host where one run says next to nothing)
        if (!m.matches() || !(Double.parseDouble(m.group(1)) < 1000)) {
            throw new IllegalArgumentException(Settings.BASELINE_DRIFT + " '" + setting.get()
                    + "' is not a percentage below 1000, e.g. 10%");
        }
        return Double.parseDouble(m.group(1)) / 100;
    }

    /** The assumed run-to-run drift (a fraction of the mean), used when the baseline is a single run. */
    public double drift() {
        return drift;
    }

    /** How many runs the baseline has. */
    public int size() {
        return runs.size();
    }

    /** Why nothing can be compared with this baseline at all, or empty when something may be. */
    public Optional<String> absent() {
        return Optional.ofNullable(missing);
    }

    /** Why a baseline run's host cannot be compared with this one (another kernel or CPU model), or empty. */
    public Optional<String> differentHost(String kernel, String cpuModel) {
        for (Run r : runs) {
            List<String> diffs = new ArrayList<>();
            if (!r.file().host().kernel().equals(kernel)) {
                diffs.add("kernel " + r.file().host().kernel() + ", this run " + kernel);
            }
            if (!r.file().host().cpuModel().equals(cpuModel)) {
                diffs.add("CPU " + r.file().host().cpuModel() + ", this run " + cpuModel);
            }
            if (!diffs.isEmpty()) {
                return Optional.of("the baseline " + r.path() + " ran on another host (" + String.join("; ", diffs)
                        + "): allow it with allowingDifferentHost() if that is the comparison you want");
            }
        }
        return Optional.empty();
    }

    /**
     * Each baseline run's repetitions of the metric in this configuration, from the run's plans of the same method
     * that match this plan strictly, or (with {@code allowDifferentPlan}) from any plan of the same method; or why
     * there are none.
     */
    public Values values(Configuration c, Metric m, boolean allowDifferentPlan) {
        if (missing != null) {
            return Values.missing(missing, false);
        }
        List<double[]> perRun = new ArrayList<>();
        Set<String> nearMisses = new LinkedHashSet<>();
        int leftOut = 0;
        boolean measuredAnywhere = false;
        boolean acrossPlans = false;   // a run's cells came from a plan that differs, as allowed
        for (Run run : runs) {
            java.util.Map<RunFile.Plan, List<RunFile.Cell>> measuring = new java.util.LinkedHashMap<>();
            for (RunFile.Plan p : run.file().plans()) {
                if (p.measuredBy().equals(key.measuredBy())) {
                    List<RunFile.Cell> cells = p.measured(c);
                    if (!cells.isEmpty()) {
                        measuring.put(p, cells);
                    }
                }
            }
            if (measuring.isEmpty()) {
                continue;
            }
            measuredAnywhere = true;
            List<RunFile.Cell> strict = new ArrayList<>();
            List<RunFile.Cell> any = new ArrayList<>();
            measuring.forEach((p, cells) -> {
                List<String> d = key.differences(PlanKey.of(p));
                if (d.isEmpty()) {
                    strict.addAll(cells);
                } else {
                    nearMisses.add(String.join(", ", d));
                }
                any.addAll(cells);
            });
            boolean across = strict.isEmpty() && allowDifferentPlan;
            acrossPlans |= across && !any.isEmpty();
            List<RunFile.Cell> cells = across ? any : strict;
            if (cells.isEmpty()) {
                leftOut++;
                continue;
            }
            double[] values = new double[cells.size()];
            for (int i = 0; i < values.length; i++) {
                Optional<RunFile.Value> v = cells.get(i).metric(m);
                if (v.isEmpty() || v.get().value() == null) {
                    return Values.missing(String.format(Locale.ROOT, "%s has no value in the baseline %s: %s", m,
                            run.path(), v.map(RunFile.Value::absent).orElse("the baseline did not record it")), false);
                }
                values[i] = v.get().value();
            }
            perRun.add(values);
        }
        if (!measuredAnywhere) {
            return Values.missing(c + " is not in the baseline " + describe() + " (no plan of " + key.measuredBy()
                    + " measured it)", true);
        }
        String differs = String.join("; ", nearMisses);
        if (perRun.isEmpty()) {
            return Values.missing("the baseline's plan of " + key.measuredBy() + " differs from this run's: " + differs
                    + ": a comparison across them measures the change of plan, not of the build; allow it with "
                    + "allowingDifferentPlan() if that is the comparison you want", false);
        }
        String note = leftOut > 0 ? leftOut + " of " + (leftOut + perRun.size()) + " baseline runs left out, their plan "
                + "differs (" + differs + ")" : acrossPlans ? "compared across a different plan, as allowed ("
                + differs + ")" : null;
        return new Values(perRun, null, false, note);
    }

    /** {@code <path> (run <id>)} or {@code <dir> (3 runs)}, for statements. */
    public String describe() {
        if (runs.isEmpty()) {
            return "no baseline";
        }
        return runs.size() == 1 ? runs.get(0).path() + " (run " + runs.get(0).file().runId() + ")"
                : source + " (" + runs.size() + " runs)";
    }
}
