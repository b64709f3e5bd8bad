package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.Metric;
import dev.copybench.hypothesis.Verdict;
import dev.copybench.internal.engine.HostLoad;
import dev.copybench.internal.results.RunFile;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * A window run beside a CPU hog shows the competing load in every cell and in the verdict that uses the
 * cells (flagged as a busy host); the same run without the hog shows a quiet host.
 */
class HostLoadIT {

    /** What the example measured, read back here (EngineTestKit runs it on this thread). */
    private static final List<CellResult> CELLS = new ArrayList<>();
    private static Verdict holding;

    @Test
    void aWindowBesideACpuHogShowsTheLoadInItsCellsAndItsVerdict() throws Exception {
        Process hog = startHog();
        String verdictText;
        try {
            verdictText = runExample();
        } finally {
            // by PID, the processes this test started: sha256sum first, since timeout killed outright would orphan it
            List<ProcessHandle> started = java.util.stream.Stream.concat(hog.descendants(), java.util.stream.Stream.of(hog.toHandle()))
                    .toList();
            started.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : started) {
                p.onExit().get(10, TimeUnit.SECONDS);
            }
        }
        List<HostLoad> loads = CELLS.stream().map(c -> c.hostLoad().orElseThrow()).toList();
        System.out.println("[copybench] beside a hog: " + loads.stream().map(HostLoad::describe).toList() + "\n  "
                + verdictText.lines().findFirst().orElse(""));

        assertThat(loads).as("measured cells").isNotEmpty().allSatisfy(l -> {
            assertThat(l.othersCpus()).as("others' CPU beside a hog that keeps one CPU busy").isGreaterThan(0.3);
            assertThat(l.busy()).isTrue();
            assertThat(l.describe()).endsWith(": busy host");
        });
        RunFile.Plan recorded = lastResultsFile();
        assertThat(recorded.cells()).as("results.json cells").filteredOn(c -> c.busyHost() != null).isNotEmpty()
                .allSatisfy(c -> assertThat(c.busyHost()).as(c.hostLoad()).isTrue());
        String hostLoad = verdictHostLoad(recorded);
        assertThat(hostLoad).startsWith("host load: others used ")
                .endsWith("busy host in " + loads.size() + " of " + loads.size() + " cells (others above 10 % of one CPU)");
        assertThat(verdictText).as("the verdict as JUnit reports it").contains(hostLoad);
    }

    @Test
    void theSameWindowWithoutTheHogShowsAQuietHost() throws Exception {
        // other jobs on this host (a shared CI runner, parallel builds) would be load too: then this half cannot be shown
        double before = othersOnAnIdleSecond();
        String verdictText = runExample();
        double after = othersOnAnIdleSecond();
        List<HostLoad> loads = CELLS.stream().map(c -> c.hostLoad().orElseThrow()).toList();
        System.out.printf("[copybench] without a hog: %s (idle host around it: %.2f, %.2f CPU)%n  %s%n",
                loads.stream().map(HostLoad::describe).toList(), before, after, verdictText.lines().findFirst().orElse(""));
        String hostLoad = verdictHostLoad(lastResultsFile());
        assertThat(verdictText).contains(hostLoad).contains("host load: others used ");
        assumeThat(Math.max(before, after)).as("CPUs other jobs kept busy around the run: the host is not quiet")
                .isLessThan(HostLoad.BUSY_SHARE_OF_ONE_CPU);

        assertThat(loads).isNotEmpty().allSatisfy(l -> assertThat(l.busy()).as(l.describe()).isFalse());
        assertThat(hostLoad).doesNotContain("busy host");
    }

    /**
     * Runs the example; its verdict's text as JUnit reports it: the line of a holding verdict, the
     * message of an undecidable one (a cell the load disturbed leaves too few to decide).
     */
    private static String runExample() {
        CELLS.clear();
        holding = null;
        Events tests = Jupiter.engine().selectors(selectMethod(Examples.class, "oneCopyMovesData", BenchmarkResults.class.getName()))
                .execute().testEvents();
        assertThat(tests.failed().list()).as("failed cells or hypothesis").isEmpty();
        if (holding != null) {
            return holding.line();
        }
        return tests.aborted().list().stream().filter(e -> e.getTestDescriptor().getDisplayName().startsWith("hypothesis"))
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                        .orElseThrow().getMessage())
                .findFirst().orElseThrow(() -> new AssertionError("the hypothesis neither held nor was undecidable"));
    }

    /** The example's plan in the results file of the run that just ended (run ids sort by time). */
    private static RunFile.Plan lastResultsFile() throws IOException {
        try (java.util.stream.Stream<Path> runs = Files.list(Path.of("target/copybench-examples"))) {
            Path last = runs.filter(r -> Files.exists(r.resolve("results.json"))).max(java.util.Comparator.naturalOrder())
                    .orElseThrow();
            return RunFile.read(last.resolve("results.json")).plans().stream()
                    .filter(p -> p.measuredBy().endsWith("HostLoadIT$Examples.oneCopyMovesData")).findFirst().orElseThrow();
        }
    }

    /** The host-load line the results file recorded with the example's one verdict. */
    private static String verdictHostLoad(RunFile.Plan plan) {
        List<String> lines = plan.hypotheses().stream().flatMap(h -> h.verdicts().stream()).map(RunFile.VerdictData::hostLoad)
                .toList();
        assertThat(lines).hasSize(1).doesNotContainNull();
        return lines.get(0);
    }

    /** One process spinning on a CPU for at most a minute (bounded even if this JVM dies), from an argument list. */
    private static Process startHog() throws IOException {
        return new ProcessBuilder("timeout", "60", "sha256sum", "/dev/zero").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * CPUs busy outside irq, softirq and steal over one second in which this test runs nothing, less this JVM's own
     * CPU (its compiler and collector, the finished run's post-cell work): the others, as a cell counts them.
     */
    private static double othersOnAnIdleSecond() throws IOException, InterruptedException {
        com.sun.management.OperatingSystemMXBean self =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long a = busyTicks();
        long ownA = self.getProcessCpuTime();
        Thread.sleep(1000);
        long ownNs = self.getProcessCpuTime() - ownA;
        return Math.max(0, (busyTicks() - a) / 100.0 - ownNs / 1e9);   // USER_HZ ticks over 1 s, less our own
    }

    /** {@code /proc/stat}'s user + nice + system, in ticks. */
    private static long busyTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]);
    }

    /** Run only through EngineTestKit above. */
    static class Examples {

        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "1s", warmup = "200ms", repetitions = 4)
        void oneCopyMovesData(BenchmarkResults results) {
            CELLS.addAll(results.cells());
            holding = assertThat(results).metric(Metric.THROUGHPUT_GBPS).of(CopyMode.ONE_COPY).isAtLeast(0.001);
        }
    }
}
