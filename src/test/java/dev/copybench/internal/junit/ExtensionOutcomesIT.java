package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.Workload;
import dev.copybench.internal.host.HostCapabilities;
import dev.copybench.internal.host.HostProbe;
import dev.copybench.internal.host.NativeEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.Metric.CPU_NS_PER_BYTE;
import static dev.copybench.Metric.LLC_MISSES_PER_KIB;
import static dev.copybench.Metric.THROUGHPUT_GBPS;
import static dev.copybench.Metric.ZERO_COPY_COPIED_SHARE;
import static org.assertj.core.api.Assertions.anyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * Runs example benchmark classes through the Jupiter engine, as JUnit tests its own extensions,
 * and asserts how each ends: passed when the hypothesis holds, failed when it is refuted, aborted
 * with the missing counter named when the host cannot measure it.
 */
class ExtensionOutcomesIT {

    private static Events testsOf(Class<?> example, String method) {
        return Jupiter.engine()
                .selectors(selectMethod(example, method, BenchmarkResults.class.getName()))
                .execute().testEvents();
    }

    @Test
    void aHoldingHypothesisPassesAndEveryCellIsItsOwnTest() {
        Events tests = testsOf(Examples.class, "biggerMessagesMoveMoreData");

        tests.assertStatistics(s -> s.started(9).succeeded(9).failed(0).aborted(0));
        tests.assertThatEvents().haveExactly(1, event(displayName("ONE_COPY · 64 KiB · 1 thread · rep 2/4"), finishedSuccessfully()))
                .haveExactly(1, event(displayName("hypothesis"), finishedSuccessfully()));
    }

    @Test
    void copybenchKeysAreJUnitConfigurationParameters() {
        Events tests = Jupiter.engine()
                .selectors(selectMethod(Examples.class, "biggerMessagesMoveMoreData", BenchmarkResults.class.getName()))
                .configurationParameter("copybench.repetitions", "2")
                .execute().testEvents();

        tests.assertStatistics(s -> s.started(5));   // 2 sizes × 2 repetitions + the hypothesis
        tests.assertThatEvents().haveExactly(1, event(displayName("ONE_COPY · 64 KiB · 1 thread · rep 2/2"), finishedSuccessfully()));
    }

    @Test
    void aRefutedHypothesisFailsWithTheCellsThatBrokeIt() {
        Events tests = testsOf(Examples.class, "biggerMessagesMoveLessData");

        tests.assertStatistics(s -> s.started(9).succeeded(8).failed(1));
        tests.assertThatEvents().haveExactly(1, event(displayName("hypothesis"), finishedWithFailure(
                instanceOf(AssertionFailedError.class),
                message(m -> m.startsWith("REFUTED: throughput (client) at 64 KiB < at 64 B")
                        && m.contains("ONE_COPY · 64 KiB · 1 thread vs 64 B")))));
    }

    @Test
    void aHypothesisOnAnUncountableCounterIsAbortedNamingTheCounter() {
        HostCapabilities host = HostProbe.probe(List.of("LLC-load-misses"), NativeEngine.local());
        assumeFalse(host.eventStatus().get("LLC-load-misses").equals(HostCapabilities.COUNTED),
                "this host counts LLC-load-misses, so the hypothesis is decidable here");

        Events tests = testsOf(Examples.class, "zeroCopyMissesLlcLess");

        tests.assertStatistics(s -> s.started(5).succeeded(4).aborted(1).failed(0));
        tests.assertThatEvents().haveExactly(1, event(displayName("hypothesis"), abortedWithReason(
                instanceOf(TestAbortedException.class), message(m -> m.startsWith("UNDECIDABLE")
                        && m.contains("LLC-load-misses is <not supported> on this host")))));
    }

    @Test
    void aCpuCostHypothesisIsDecidedFromRealRunsOnEveryHostWithPerf() {
        assumeTrue(HostProbe.probe(List.of("task-clock"), NativeEngine.local()).perfAvailable(), "perf is not installed");

        Events tests = testsOf(Examples.class, "smallMessagesCostMoreCpuPerByte");

        // decided either way: passed (HOLDS) or failed as REFUTED, never aborted as UNDECIDABLE
        tests.assertStatistics(s -> s.started(7).aborted(0));
        tests.assertThatEvents().haveExactly(1, event(displayName("hypothesis"), anyOf(finishedSuccessfully(),
                finishedWithFailure(instanceOf(AssertionFailedError.class), message(m -> m.startsWith("REFUTED: CPU ns per byte"))))));
    }

    @Test
    void anInvalidSizeFailsBeforeAnyProcessStarts() {
        Events containers = Jupiter.engine()
                .selectors(selectMethod(Examples.class, "sizeTooSmall", BenchmarkResults.class.getName()))
                .execute().containerEvents();

        containers.assertThatEvents().haveExactly(1, event(finishedWithFailure(message(m ->
                m.equals("sizes: message size 7 B is outside [8 B, 64 MiB]: one message is 8 fields of at least one byte")))));
    }

    @Test
    void aHypothesisAboutAModeOutsideTheMatrixFailsClearly() {
        Events tests = testsOf(Examples.class, "comparesWithAModeNotMeasured");

        tests.assertThatEvents().haveExactly(1, event(displayName("hypothesis"), finishedWithFailure(message(m ->
                m.contains("compares with TWO_COPY · 64 KiB · 1 thread, which is not in the matrix")))));
    }

    @Test
    void aBenchmarkMethodWithoutAResultsParameterFailsBeforeAnyCellRuns() {
        Set<String> before = Leftovers.record().outstanding();
        EngineExecutionResults run = Jupiter.engine()
                .selectors(selectMethod(Examples.class, "withoutResultsParameter")).execute();

        run.testEvents().assertStatistics(s -> s.started(0));
        run.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("@CopyModeBenchmark method Examples.withoutResultsParameter() has no BenchmarkResults parameter, "
                        + "so what its cells measure could never reach it: declare it as "
                        + "`void withoutResultsParameter(BenchmarkResults results)`"))));
        assertThat(Leftovers.record().outstanding()).isEqualTo(before);
    }

    /**
     * udp-sink: datagrams forwarded into a blackhole are never delivered, so the kernel need not copy
     * zero-copy sends: the COPIED share is 0 and "requiring true zero-copy" becomes decidable here.
     */
    @Test
    void onUdpSinkZeroCopyIsTrueZeroCopyAndTheCpuHypothesisIsDecided() {
        Events tests = Jupiter.engine()
                .selectors(selectMethod(TrueZeroCopy.class, "nothingIsCopied", BenchmarkResults.class.getName()),
                        selectMethod(TrueZeroCopy.class, "zeroCopyCostsLessCpuPerByte", BenchmarkResults.class.getName()))
                .execute().testEvents();

        tests.assertThatEvents().haveExactly(1, event(displayName("hypothesis"), finishedSuccessfully()))
                .haveExactly(1, event(displayName("hypothesis (cells measured for nothingIsCopied)"),
                        anyOf(finishedSuccessfully(), finishedWithFailure(instanceOf(AssertionFailedError.class),
                                message(m -> m.startsWith("REFUTED: CPU ns per byte (server) of ZERO_COPY < ONE_COPY"))))));
        assertThat(tests.aborted().filter(e -> e.getTestDescriptor().getDisplayName().startsWith("hypothesis")).count())
                .as("no hypothesis is undecidable").isZero();
    }

    @Test
    void anAdaptiveRunReachesItsPrecisionOrSaysItDidNotWithTheFigure() {
        Events tests = testsOf(Examples.class, "toFivePercent");

        tests.assertThatEvents().haveExactly(1, event(displayName("hypothesis"), finishedSuccessfully()))
                .haveAtLeastOne(event(displayName("ONE_COPY · 64 KiB · 1 thread · rep 3/≤8"), finishedSuccessfully()));
        assertThat(tests.started().count() - 1).as("cells: the minimum, and at most the maximum").isBetween(3L, 8L);
    }

    @Test
    void aMatrixThatWouldExhaustMemoryIsRefusedBeforeAnyProcessStarts() {
        Set<String> before = Leftovers.record().outstanding();
        EngineExecutionResults run = Jupiter.engine()
                .selectors(selectMethod(Examples.class, "needs32GiB", BenchmarkResults.class.getName())).execute();

        run.testEvents().assertStatistics(s -> s.started(0));
        run.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(message(m -> m.startsWith(
                "ZERO_COPY · 64 MiB · 64 threads would allocate about 32.1 GiB (64 connections × 512.0 MiB on the server, "
                        + "plus the client), more than 50 % of the ")))));
        assertThat(Leftovers.record().outstanding()).isEqualTo(before);
    }

    @Test
    void aNamespaceSysctlThatDoesNotTakeFailsWithAskedAndActual() {
        Events tests = testsOf(Examples.class, "rmemMaxInANamespace");

        tests.assertThatEvents().haveAtLeastOne(event(displayName("ONE_COPY · 64 KiB · 1 thread"), finishedWithFailure(
                message(m -> m.matches("namespaceSysctls: net.core.rmem_max=4096 did not take inside the test namespace "
                        + "copybench-\\d+-\\d+-s: it reads \\d+ \\(the kernel keeps this key host-wide or refused the value; "
                        + "copybench never changes the host's settings\\)")))));
    }

    @Test
    void aHypothesisLeftWithoutAComparisonFailsNamingTheChain() {
        Events tests = testsOf(Examples.class, "unfinishedChain");

        tests.assertThatEvents().haveExactly(1, event(displayName("hypothesis"), finishedWithFailure(
                instanceOf(AssertionFailedError.class),
                message(m -> m.startsWith("copybench: Examples.unfinishedChain() left 1 hypothesis unfinished, so nothing "
                        + "was tested there: assertThat(results).metric(throughput).of(ONE_COPY) has no comparison: end it "
                        + "with .isAtMost(OTHER_MODE)")))));
    }

    @Test
    void aHypothesisThatDecidesNothingFails() {
        Events tests = testsOf(Examples.class, "decidesNothing");

        tests.assertThatEvents().haveExactly(1, event(displayName("hypothesis"), finishedWithFailure(
                instanceOf(AssertionFailedError.class),
                message(m -> m.startsWith("copybench: Examples.decidesNothing() decided nothing: it recorded no verdict, "
                        + "check or answer and never read its results.")))));
    }

    /** What other classes' runs in this JVM hold until the JVM's launcher run ends (Failsafe runs every class in one). */
    private static Set<String> heldBefore;

    @BeforeAll
    static void snapshotWhatThisJvmHolds() {
        heldBefore = Leftovers.record().outstanding();
    }

    /** After every example ran (each EngineTestKit run is a whole run): nothing it started is left. */
    @AfterAll
    static void nothingIsLeftBehind() throws IOException {
        Leftovers.assertNothingBeyond(heldBefore);
    }

    /** Shares one matrix: the first method measures, the second decides on the same cells. */
    static class TrueZeroCopy {

        @CopyModeBenchmark(sizes = "32K", modes = {CopyMode.ZERO_COPY, CopyMode.IO_URING_ZC, CopyMode.ONE_COPY},
                workloads = Workload.UDP_SINK, duration = "300ms", warmup = "100ms", repetitions = 4)
        void nothingIsCopied(BenchmarkResults results) {
            assertThat(results).metric(ZERO_COPY_COPIED_SHARE).of(CopyMode.ZERO_COPY).isAtMost(0);
            assertThat(results).metric(ZERO_COPY_COPIED_SHARE).of(CopyMode.IO_URING_ZC).isAtMost(0);
        }

        @CopyModeBenchmark(sizes = "32K", modes = {CopyMode.ZERO_COPY, CopyMode.IO_URING_ZC, CopyMode.ONE_COPY},
                workloads = Workload.UDP_SINK, duration = "300ms", warmup = "100ms", repetitions = 4)
        void zeroCopyCostsLessCpuPerByte(BenchmarkResults results) {
            assertThat(results).metric(CPU_NS_PER_BYTE).requiringTrueZeroCopy().of(CopyMode.ZERO_COPY).isLessThan(CopyMode.ONE_COPY);
        }
    }

    /** Run only through EngineTestKit above (nested classes are not picked up by Surefire or Failsafe). */
    static class Examples {

        @CopyModeBenchmark(sizes = {"64", "64K"}, modes = CopyMode.ONE_COPY, duration = "200ms", warmup = "50ms", repetitions = 4)
        void biggerMessagesMoveMoreData(BenchmarkResults results) {
            assertThat(results).metric(THROUGHPUT_GBPS).atSize("64K").isGreaterThanAtSize("64");
        }

        @CopyModeBenchmark(sizes = {"64", "64K"}, modes = CopyMode.ONE_COPY, duration = "200ms", warmup = "50ms", repetitions = 4)
        void biggerMessagesMoveLessData(BenchmarkResults results) {
            assertThat(results).metric(THROUGHPUT_GBPS).atSize("64K").isLessThanAtSize("64");
        }

        @CopyModeBenchmark(sizes = "64K", modes = {CopyMode.ZERO_COPY, CopyMode.TWO_COPY}, duration = "200ms",
                warmup = "50ms", repetitions = 2)
        void zeroCopyMissesLlcLess(BenchmarkResults results) {
            assertThat(results).metric(LLC_MISSES_PER_KIB).of(CopyMode.ZERO_COPY).isAtMost(CopyMode.TWO_COPY);
        }

        @CopyModeBenchmark(sizes = {"64", "64K"}, modes = CopyMode.ONE_COPY, duration = "200ms", warmup = "50ms", repetitions = 3)
        void smallMessagesCostMoreCpuPerByte(BenchmarkResults results) {
            assertThat(results).metric(CPU_NS_PER_BYTE).atSize("64").isGreaterThanAtSize("64K");
        }

        @CopyModeBenchmark(sizes = "7")
        void sizeTooSmall(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }

        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "200ms", warmup = "50ms", repetitions = 3,
                precision = "5%", maxRepetitions = 8)
        void toFivePercent(BenchmarkResults results) {
            assertThat(results.precision()).hasValueSatisfying(p -> assertThat(p).matches("precision ±5\\.0 % of the mean "
                    + "throughput: (reached ±\\d+\\.\\d % after [3-8] rounds|not reached: ±\\d+\\.\\d % after 8 rounds "
                    + "\\(widest: ONE_COPY · 64 KiB · 1 thread\\))"));
            assertThat(results.cells().size()).isBetween(3, 8);
        }

        @CopyModeBenchmark(sizes = "64M", threads = 64, modes = CopyMode.ZERO_COPY)
        void needs32GiB(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }

        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "100ms", warmup = "20ms", repetitions = 1,
                namespaceSysctls = "net.core.rmem_max=4096")
        void rmemMaxInANamespace(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }

        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "100ms", warmup = "20ms", repetitions = 2)
        void withoutResultsParameter() {
        }

        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "100ms", warmup = "20ms", repetitions = 2)
        @SuppressWarnings("ResultOfMethodCallIgnored")   // the mistake under test: a chain without a comparison
        void unfinishedChain(BenchmarkResults results) {
            assertThat(results).metric(THROUGHPUT_GBPS).of(CopyMode.ONE_COPY);
        }

        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "100ms", warmup = "20ms", repetitions = 2)
        void decidesNothing(BenchmarkResults results) {
        }

        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "100ms", warmup = "20ms", repetitions = 2)
        void comparesWithAModeNotMeasured(BenchmarkResults results) {
            assertThat(results).metric(THROUGHPUT_GBPS).of(CopyMode.ONE_COPY).isAtLeast(CopyMode.TWO_COPY);
        }
    }
}
