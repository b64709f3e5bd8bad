package dev.copybench.hypothesis;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.internal.host.HostCapabilities;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.results.Baseline;
import dev.copybench.internal.results.ResultsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.TWO_COPY;
import static dev.copybench.Metric.CPU_NS_PER_BYTE;
import static dev.copybench.Metric.THROUGHPUT_GBPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

/** This run against a previous one, on synthetic runs: decided with confidence, or undecidable with the reason. */
class BaselineTest {

    private static final String METHOD = "ExampleIT.method";

    @TempDir
    Path dir;

    /** A run's results file under dir, with gbps per repetition for every cell of the plan. */
    private Path run(BenchmarkPlan plan, HostCapabilities host, double... gbps) {
        return run(plan, host, c -> Values.gbps(Synthetic.pick(c, gbps)));
    }

    private Path run(BenchmarkPlan plan, HostCapabilities host, Function<Cell, Values> values) {
        ResultsFile file = ResultsFile.create(dir.resolve("runs-" + System.nanoTime()), host, new Properties());
        String id = file.plan(plan, METHOD, "synthetic");
        BenchmarkResults r = Synthetic.results(plan, values);
        r.cells().forEach(c -> file.measured(id, c, null));
        return file.path();
    }

    /** A directory of kept runs of one build, one per level (its repetitions at level, +0.1, −0.1 Gbps). */
    private Path keptRuns(double... levels) throws IOException {
        Path runs = dir.resolve("kept");
        for (double level : levels) {
            Path one = run(plan("64K"), Synthetic.host(), level, level + 0.1, level - 0.1);
            java.nio.file.Files.move(one.getParent(), java.nio.file.Files.createDirectories(runs)
                    .resolve(one.getParent().getFileName()));
        }
        return runs;
    }

    private static BenchmarkResults now(BenchmarkPlan plan, Path baseline, double... gbps) throws IOException {
        return now(plan, baseline, c -> Values.gbps(Synthetic.pick(c, gbps)));
    }

    private static BenchmarkResults now(BenchmarkPlan plan, Path baseline, Function<Cell, Values> values) throws IOException {
        return now(plan, baseline, Baseline.DEFAULT_DRIFT, values);
    }

    /** This run against the baseline file or directory of runs, assuming {@code drift} when it is a single run. */
    private static BenchmarkResults now(BenchmarkPlan plan, Path baseline, double drift, Function<Cell, Values> values)
            throws IOException {
        BenchmarkResults r = Synthetic.results(plan, values);
        r.compareWith(Baseline.of(Baseline.read(baseline), baseline, Baseline.PlanKey.of(METHOD, plan), drift));
        return r;
    }

    /** Without drift between runs: for what these tests check besides it (matching, units, hosts). */
    private static BenchmarkResults noDrift(BenchmarkPlan plan, Path baseline, double... gbps) throws IOException {
        return now(plan, baseline, 0, c -> Values.gbps(Synthetic.pick(c, gbps)));
    }

    private static BenchmarkPlan plan(String... sizes) {
        return Synthetic.plan(List.of(ONE_COPY, TWO_COPY), List.of(sizes), 3);
    }

    @Test
    void theSameThroughputHoldsWithinTheToleranceWhenRunsDoNotDrift() throws IOException {
        Path before = run(plan("64K"), Synthetic.host(), 10.0, 10.2, 9.8);
        BenchmarkResults now = noDrift(plan("64K"), before, 10.1, 9.9, 10.0);

        Verdict v = assertThat(now).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(10));

        assertThat(v.outcome()).isEqualTo(Outcome.HOLDS);
        assertThat(v.statement()).contains("throughput (client) of ONE_COPY ≥ baseline " + before);
        assertThat(v.rows()).singleElement().satisfies(r -> assertThat(r.difference().method())
                .isEqualTo("one baseline run, assumed drift 0 %"));
    }

    @Test
    void oneBaselineRunNeverRefutesAChangeWithinTheDriftItCannotExclude() throws IOException {
        Path before = run(plan("64K"), Synthetic.host(), 10.0, 10.1, 9.9);
        BenchmarkResults now = now(plan("64K"), before, 8.0, 8.1, 7.9);   // −20 %, each run precise to ±1 %

        assertThatThrownBy(() -> assertThat(now).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(5)))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("one baseline run cannot tell this change from run-to-run drift")
                .hasMessageContaining("sd 10 % of a run's level, copybench.baseline.drift")
                .hasMessageContaining("within the two runs alone [-22.")
                .hasMessageContaining("a baseline of 3 or more runs (a directory of results) measures the drift");
        BenchmarkResults muchSlower = now(plan("64K"), before, 4.0, 4.1, 3.9);   // −60 %: beyond any drift of 10 %
        assertThatThrownBy(() -> assertThat(muchSlower).metric(THROUGHPUT_GBPS).of(ONE_COPY)
                .isNotWorseThanBaseline(withinPercentage(5))).isInstanceOf(AssertionFailedError.class);
    }

    @Test
    void severalBaselineRunsDecideOnTheirMeansAsAPrediction() throws IOException {
        Path runs = keptRuns(10.0, 10.4, 9.6);

        BenchmarkResults same = now(plan("64K"), runs, c -> Values.gbps(Synthetic.pick(c, 10.1, 10.2, 10.0)));
        Verdict holds = assertThat(same).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(25));
        assertThat(holds.outcome()).isEqualTo(Outcome.HOLDS);
        assertThat(holds.statement()).contains("baseline " + runs + " (3 runs)");
        assertThat(holds.rows()).singleElement().satisfies(r -> {
            assertThat(r.difference().method()).isEqualTo("prediction from 3 baseline runs' means");
            assertThat(r.right().n()).as("the run is the unit").isEqualTo(3);
        });
        assertThatThrownBy(() -> assertThat(same).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(5)))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("prediction interval of this run's mean from 3 baseline runs' means");
        BenchmarkResults slower = now(plan("64K"), runs, c -> Values.gbps(Synthetic.pick(c, 5.0, 5.1, 4.9)));
        assertThatThrownBy(() -> assertThat(slower).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(5)))
                .isInstanceOf(AssertionFailedError.class);
    }

    /** A kept run that cannot be read is skipped with one line, as trends skip it; the others still decide. */
    @Test
    void aBadRunInADirectoryOfRunsIsSkippedAndTheOthersStillDecide() throws IOException {
        Path runs = keptRuns(10.0, 10.4, 9.6);
        Path bad = java.nio.file.Files.createDirectories(runs.resolve("zz-bad")).resolve("results.json");
        java.nio.file.Files.writeString(bad, "not json");

        assertThat(Baseline.read(runs)).as("the three good runs").hasSize(3);
        BenchmarkResults same = now(plan("64K"), runs, c -> Values.gbps(Synthetic.pick(c, 10.1, 10.2, 10.0)));
        assertThat(assertThat(same).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(25))
                .outcome()).isEqualTo(Outcome.HOLDS);
        Path onlyBad = java.nio.file.Files.createDirectories(dir.resolve("only-bad/run"));
        java.nio.file.Files.writeString(onlyBad.resolve("results.json"), "not json");
        assertThatThrownBy(() -> Baseline.read(dir.resolve("only-bad"))).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a copybench results.json");
    }

    @Test
    void aBaselinePlanWithAnotherWindowOrTuningIsUndecidableNamingItUnlessAllowed() throws IOException {
        BenchmarkPlan shorter = new BenchmarkPlan(List.of(ONE_COPY, TWO_COPY), List.of(dev.copybench.MessageSize.parse("64K")),
                List.of(1), List.of(dev.copybench.Workload.STREAM), java.time.Duration.ofMillis(100),
                java.time.Duration.ofMillis(500), 3, List.of(), false,
                new dev.copybench.internal.plan.SocketTuning(4096, true, Map.of(), false), Map.of());
        Path before = run(shorter, Synthetic.host(), 10.0, 10.2, 9.8);
        BenchmarkResults now = noDrift(plan("64K"), before, 10.1, 9.9, 10.0);

        assertThatThrownBy(() -> assertThat(now).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(10)))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("the baseline's plan of " + METHOD + " differs from this run's: window 500 ms "
                        + "(this run 1000 ms), tuning sendBuffer=4 KiB, nonBlocking (this run kernel defaults)")
                .hasMessageContaining("allowingDifferentPlan()");
        Verdict allowed = assertThat(now).metric(THROUGHPUT_GBPS).allowingDifferentPlan().of(ONE_COPY)
                .isNotWorseThanBaseline(withinPercentage(10));
        assertThat(allowed.outcome()).isEqualTo(Outcome.HOLDS);
        assertThat(allowed.rows()).singleElement().satisfies(r -> assertThat(r.reason())
                .contains("compared across a different plan, as allowed (window 500 ms"));
    }

    @Test
    void aPlanOfAnotherMethodIsNeverPooledInEvenWithTheSameWindow() throws IOException {
        ResultsFile file = ResultsFile.create(dir.resolve("other"), Synthetic.host(), new Properties());
        String id = file.plan(plan("64K"), "OtherIT.method", "synthetic");
        Synthetic.results(plan("64K"), c -> Values.gbps(10)).cells().forEach(c -> file.measured(id, c, null));
        BenchmarkResults now = noDrift(plan("64K"), file.path(), 10.1, 9.9, 10.0);

        assertThatThrownBy(() -> assertThat(now).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(10)))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("is not in the baseline").hasMessageContaining("no plan of " + METHOD + " measured it");
    }

    @Test
    void aConfidentDropBeyondTheToleranceIsRefuted() throws IOException {
        Path before = run(plan("64K"), Synthetic.host(), 10.0, 10.2, 9.8);
        BenchmarkResults now = now(plan("64K"), before, 5.0, 5.2, 4.9);

        assertThatThrownBy(() -> assertThat(now).metric(THROUGHPUT_GBPS).isNotWorseThanBaseline(withinPercentage(5)))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("REFUTED: throughput (client) ≥ baseline")
                .hasMessageContaining("refuted after Holm's correction across 2 rows");
    }

    /** task-clock in ms over the server's 10^6 payload bytes: CPU ns per byte equals the figure. */
    private static Function<Cell, Values> cpuNsPerByte(double... perRepetition) {
        return c -> Values.gbps(10).withCounter("task-clock", Synthetic.pick(c, perRepetition), "msec");
    }

    @Test
    void lowerIsBetterForCostsSoARiseIsTheRegression() throws IOException {
        Path before = run(plan("64K"), Synthetic.host(), cpuNsPerByte(1.0, 1.02, 0.98));
        BenchmarkResults now = now(plan("64K"), before, cpuNsPerByte(2.0, 2.1, 1.9));

        assertThatThrownBy(() -> assertThat(now).metric(CPU_NS_PER_BYTE).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(5)))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("REFUTED: CPU ns per byte (server) of ONE_COPY ≤ baseline");
        BenchmarkResults cheaper = now(plan("64K"), before, cpuNsPerByte(0.5, 0.52, 0.49));
        assertThat(assertThat(cheaper).metric(CPU_NS_PER_BYTE).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(5))
                .outcome()).isEqualTo(Outcome.HOLDS);
    }

    @Test
    void aMetricThisHostCannotMeasureIsUndecidableNamingWhy() throws IOException {
        Path before = run(plan("64K"), Synthetic.host(), 10.0, 10.2, 9.8);
        BenchmarkResults now = now(plan("64K"), before, 10.0, 10.2, 9.8);

        assertThatThrownBy(() -> assertThat(now).metric(CPU_NS_PER_BYTE).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(5)))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("CPU ns per byte (server) not measurable: task-clock was not recorded");
    }

    @Test
    void withinTheNoiseItIsUndecidableWithThePrecisionReached() throws IOException {
        Path before = run(plan("64K"), Synthetic.host(), 10.0, 13.0, 7.0);
        BenchmarkResults now = now(plan("64K"), before, 9.0, 12.0, 6.5);

        assertThatThrownBy(() -> assertThat(now).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(5)))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("one baseline run cannot tell this change from run-to-run drift");
    }

    @Test
    void withoutABaselineItIsUndecidableNamingTheParameter() {
        BenchmarkResults now = Synthetic.results(plan("64K"), c -> Values.gbps(10));

        assertThatThrownBy(() -> assertThat(now).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(5)))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no baseline: set the configuration parameter copybench.baseline");
    }

    @Test
    void aConfigurationTheBaselineLacksIsUndecidableUnlessAllowed() throws IOException {
        Path before = run(plan("64K"), Synthetic.host(), 10.0, 10.2, 9.8);
        BenchmarkResults now = noDrift(plan("64K", "1M"), before, 10.1, 9.9, 10.0);

        assertThatThrownBy(() -> assertThat(now).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(10)))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("ONE_COPY · 1 MiB · 1 thread is not in the baseline");
        Verdict allowed = assertThat(now).metric(THROUGHPUT_GBPS).allowingConfigurationsNotInBaseline().of(ONE_COPY)
                .isNotWorseThanBaseline(withinPercentage(10));
        assertThat(allowed.outcome()).isEqualTo(Outcome.HOLDS);
        assertThat(allowed.rows()).hasSize(1);
    }

    @Test
    void aBaselineFromAnotherKernelIsUndecidableUnlessAllowed() throws IOException {
        HostCapabilities other = new HostCapabilities(Optional.empty(), Map.of(), true, true, "Linux other", "test cpu", 2,
                Synthetic.host().modeStatus());
        Path before = run(plan("64K"), other, 10.0, 10.2, 9.8);
        BenchmarkResults now = noDrift(plan("64K"), before, 10.1, 9.9, 10.0);

        assertThatThrownBy(() -> assertThat(now).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(10)))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("ran on another host (kernel Linux other, this run Linux test)")
                .hasMessageContaining("allowingDifferentHost()");
        assertThat(assertThat(now).metric(THROUGHPUT_GBPS).allowingDifferentHost().of(ONE_COPY)
                .isNotWorseThanBaseline(withinPercentage(10)).outcome()).isEqualTo(Outcome.HOLDS);
    }

    @Test
    void compareExitsOneOnAConfidentRegressionZeroOtherwiseTwoOnBadInput() {
        Path before = run(plan("64K"), Synthetic.host(), 10.0, 10.2, 9.8);
        Path same = run(plan("64K"), Synthetic.host(), 10.1, 9.9, 10.0);
        Path slower = run(plan("64K"), Synthetic.host(), 5.0, 5.2, 4.9);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(Compare.run(new String[] {before.toString(), same.toString(), "--threshold", "5%", "--drift", "0%"},
                print, print)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("HOLDS: " + METHOD + ": throughput (client) ≥ old run")
                .contains("threshold 5 %").contains("no confident regression");
        out.reset();
        assertThat(Compare.run(new String[] {before.toString(), same.toString()}, print, print)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("one old run: a change within the run-to-run drift")
                .contains("UNDECIDABLE: " + METHOD + ": throughput (client) ≥ old run")
                .contains("Holm's correction across all 2 comparisons of this invocation");
        out.reset();
        assertThat(Compare.run(new String[] {before.toString(), slower.toString()}, print, print)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("REFUTED: " + METHOD + ": throughput (client)")
                .contains("ONE_COPY · 64 KiB · 1 thread").contains("-49.7 % [").contains("REGRESSION: 1 REFUTED");
        out.reset();
        assertThat(Compare.run(new String[] {before.toString()}, print, print)).isEqualTo(2);
        assertThat(Compare.run(new String[] {before.toString(), dir.resolve("missing.json").toString()}, print, print))
                .isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("missing.json does not exist");
        assertThat(Compare.run(new String[] {before.toString(), same.toString(), "--threshold", "lots"}, print, print))
                .isEqualTo(2);
        assertThat(Compare.run(new String[] {before.toString(), same.toString(), "--drift", "lots"}, print, print))
                .isEqualTo(2);
    }

    @Test
    void compareTakesADirectoryOfOldRunsAndLeavesTheNewRunOutOfIt() throws IOException {
        Path runs = dir.resolve("kept");
        Path newest = null;
        for (double level : new double[] {10.0, 10.4, 9.6, 10.1}) {
            Path one = run(plan("64K"), Synthetic.host(), level, level + 0.1, level - 0.1);
            newest = java.nio.file.Files.createDirectories(runs).resolve(one.getParent().getFileName());
            java.nio.file.Files.move(one.getParent(), newest);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

        int exit = Compare.run(new String[] {runs.toString(), newest.resolve("results.json").toString(), "--threshold",
                "25%"}, print, print);

        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("3 runs in " + runs + " (old)")
                .contains("the run is the unit").contains("HOLDS: " + METHOD + ": throughput (client) ≥ old runs");
    }

    @Test
    void compareCorrectsAcrossEverythingItDecidesNotOnlyWithinAMetric() {
        // ONE_COPY's drop (p ≈ 0.01) survives Holm across its metric's 2 rows (needs p ≤ 0.0125) but not across all
        // 4 comparisons of the invocation, throughput and CPU per byte of both modes (needs p ≤ 0.00625)
        Function<Cell, Values> old = c -> Values.gbps(Synthetic.pick(c, 10.0, 10.2, 9.8))
                .withCounter("task-clock", Synthetic.pick(c, 1.0, 1.02, 0.98), "msec");
        Function<Cell, Values> dropped = c -> Values.gbps(c.mode() == ONE_COPY ? Synthetic.pick(c, 8.89, 9.09, 8.69)
                : Synthetic.pick(c, 10.0, 10.2, 9.8)).withCounter("task-clock", Synthetic.pick(c, 1.0, 1.02, 0.98), "msec");
        Path before = run(plan("64K"), Synthetic.host(), old);
        Path after = run(plan("64K"), Synthetic.host(), dropped);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

        int exit = Compare.run(new String[] {before.toString(), after.toString(), "--drift", "0%"}, print, print);

        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Holm's correction across all 4 comparisons")
                .contains("refuted on its own (p = 0.01").contains("but not after Holm's correction across all 4 "
                        + "comparisons of this compare").contains("no confident regression: 0 REFUTED");
    }

    @Test
    void theDriftSettingIsAPercentageBelowAHundred() {
        assertThat(Baseline.drift(Optional.empty())).isEqualTo(Baseline.DEFAULT_DRIFT);
        assertThat(Baseline.drift(Optional.of("15%"))).isEqualTo(0.15);
        assertThat(Baseline.drift(Optional.of("2.5"))).isEqualTo(0.025);
        assertThatThrownBy(() -> Baseline.drift(Optional.of("lots"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("copybench.baseline.drift 'lots' is not a percentage below 1000, e.g. 10%");
        assertThat(Baseline.drift(Optional.of("100%"))).as("a standard deviation may exceed the mean").isEqualTo(1.0);
    }
}
