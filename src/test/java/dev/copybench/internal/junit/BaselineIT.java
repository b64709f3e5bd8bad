package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.internal.Settings;
import dev.copybench.internal.host.LeftoverSweeper;
import dev.copybench.internal.results.ResultsSchema;
import dev.copybench.internal.results.RunFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.Metric.THROUGHPUT_GBPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * Two runs in a row of one small example, the second with {@code copybench.baseline} naming the first's
 * results.json, and a third with a deliberately slowed engine ({@code copybench.test.extraWorkNsPerMessage}): the
 * baseline hypothesis is decided (or honestly undecidable) at the noise and refuted on the slowed engine; the
 * {@code compare} command, run as its own process, says the same with its exit status; every file the runs wrote
 * conforms to docs/results-schema.json.
 */
class BaselineIT {

    /**
     * 100 µs of busy work per 1 KiB message: an engine over ten times slower (a 1 KiB send takes a few µs here), a
     * regression far beyond the ±30 % this shared host's runs scatter by (a JVM's first cell is often half as fast as
     * the rest, and a window the host starves entirely measures nothing), and beyond the example's 40 % tolerance.
     * The example asks for ±20 % precision (up to 10 rounds), so the baseline's own interval is narrow enough for the
     * refutation to be confident however noisy a round was.
     */
    private static final String SLOWER = "100000";

    private static Path dir;
    private static Path first;
    private static Path second;
    private static Path slowed;
    private static Events firstRun;
    private static Events secondRun;
    private static Events slowedRun;

    @BeforeAll
    static void threeRuns() throws IOException {
        dir = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + "-baseline-");
        firstRun = run("first", null, null);
        first = resultsOf("first");
        secondRun = run("second", first, null);
        second = resultsOf("second");
        slowedRun = run("slowed", first, SLOWER);
        slowed = resultsOf("slowed");
    }

    @AfterAll
    static void removeRuns() {
        LeftoverSweeper.deleteTree(dir);
    }

    private static Events run(String name, Path baseline, String extraWork) {
        EngineTestKit.Builder kit = Jupiter.engine()
                .selectors(selectMethod(Examples.class, "notSlowerThanTheBaseline", BenchmarkResults.class.getName()))
                .configurationParameter(Settings.RESULTS_DIR, dir.resolve(name).toString());
        if (baseline != null) {
            kit.configurationParameter(Settings.BASELINE, baseline.toString());
        }
        if (extraWork != null) {
            kit.configurationParameter(Settings.TEST_EXTRA_WORK, extraWork);
        }
        return kit.execute().testEvents();
    }

    /** The one results.json a run wrote under its own results directory. */
    private static Path resultsOf(String name) throws IOException {
        try (Stream<Path> runs = Files.list(dir.resolve(name))) {
            return runs.map(r -> r.resolve("results.json")).filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new AssertionError("no results.json under " + dir.resolve(name)));
        }
    }

    private static Event hypothesis(Events run) {
        return run.finished().stream().filter(e -> e.getTestDescriptor().getDisplayName().equals("hypothesis"))
                .findFirst().orElseThrow(() -> new AssertionError("the hypothesis did not run"));
    }

    private static Throwable thrown(Event e) {
        return e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElse(null);
    }

    @Test
    void withoutABaselineTheHypothesisIsUndecidableNamingTheParameter() {
        assertThat(thrown(hypothesis(firstRun))).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no baseline: set the configuration parameter copybench.baseline");
    }

    @Test
    void theSecondRunAgainstTheFirstHoldsOrIsUndecidableWithTheReasonNeverRefuted() {
        secondRun.assertStatistics(s -> s.failed(0));
        Throwable t = thrown(hypothesis(secondRun));
        if (t != null) {   // one baseline run cannot tell a change within the run-to-run drift: an honest answer
            assertThat(t).isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("one baseline run cannot tell this change from run-to-run drift");
        }
    }

    @Test
    void theSlowedEngineIsRefutedAgainstTheFirstRun() {
        assertThat(thrown(hypothesis(slowedRun))).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("REFUTED: throughput (client) of ONE_COPY ≥ baseline " + first)
                .hasMessageContaining("ONE_COPY · 1 KiB · 1 thread vs baseline");
    }

    @Test
    void everyRunRecordsItsCellsAndVerdictInAFileTheSchemaAccepts() throws IOException {
        for (Path file : List.of(first, second, slowed)) {
            assertThat(ResultsSchema.violations(file)).as(file.toString()).isEmpty();
            RunFile run = RunFile.read(file);
            assertThat(run.plans()).singleElement().satisfies(p -> {
                assertThat(p.measuredBy()).isEqualTo("BaselineIT$Examples.notSlowerThanTheBaseline");
                assertThat(p.cells()).hasSizeBetween(3, 10).allSatisfy(c -> assertThat(c.status()).isIn("measured", "disturbed"));
                assertThat(p.hypotheses()).singleElement().satisfies(h -> assertThat(h.verdicts()).hasSize(1));
            });
        }
        assertThat(RunFile.read(slowed).settings()).containsEntry(Settings.TEST_EXTRA_WORK, SLOWER)
                .containsEntry(Settings.BASELINE, first.toString());
        assertThat(RunFile.read(slowed).plans().get(0).hypotheses().get(0).verdicts().get(0).outcome()).isEqualTo("REFUTED");
    }

    @Test
    void aBaselineThatCannotBeReadIsRefusedBeforeAnyCellRuns() {
        Path missing = dir.resolve("no-such-run/results.json");
        EngineExecutionResults run = Jupiter.engine()
                .selectors(selectMethod(Examples.class, "notSlowerThanTheBaseline", BenchmarkResults.class.getName()))
                .configurationParameter(Settings.RESULTS_DIR, dir.resolve("refused").toString())
                .configurationParameter(Settings.BASELINE, missing.toString()).execute();

        run.testEvents().assertStatistics(s -> s.started(0));
        run.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(message(
                "copybench.baseline: " + missing + " does not exist: give a results.json a run wrote"))));
    }

    @Test
    void compareExitsZeroOnTheSecondRunAndOneOnTheSlowedOne() throws Exception {
        Compared same = compare(first, second);
        assertThat(same.exit()).as(same.output()).isZero();
        assertThat(same.output()).contains("configuration").contains("old mean [CI] (Gbps)").contains("change [CI]")
                .contains("ONE_COPY · 1 KiB · 1 thread").contains("no confident regression");

        Compared slower = compare(first, slowed);
        assertThat(slower.exit()).as(slower.output()).isEqualTo(1);
        assertThat(slower.output()).contains("REFUTED: BaselineIT$Examples.notSlowerThanTheBaseline: throughput (client)")
                .contains("REGRESSION: ");
    }

    private record Compared(int exit, String output) {
    }

    /** The compare command as a user runs it: its own JVM, on the test classpath. */
    private static Compared compare(Path before, Path after) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.copybench.hypothesis.Compare",
                before.toString(), after.toString(), "--threshold", "40%").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Compared(p.exitValue(), out);
    }

    /** Run only through EngineTestKit above. */
    static class Examples {

        @CopyModeBenchmark(sizes = "1K", modes = ONE_COPY, duration = "200ms", warmup = "100ms", repetitions = 3,
                precision = "20%", maxRepetitions = 10)
        void notSlowerThanTheBaseline(BenchmarkResults results) {
            assertThat(results).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(40));
        }
    }
}
