package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.Workload;
import dev.copybench.internal.plan.InvalidBenchmarkException;
import dev.copybench.internal.plan.MemoryBudget;
import dev.copybench.internal.plan.PlanFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Events;

import java.util.Properties;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * The memory guard and the deadline agree on what can finish (issue 21): the 64 MiB plans the guard
 * accepted and the 22.5 s deadline then killed are refused up front in one line, and the largest
 * plan of the same shape both guards accept on this host, at this moment, runs to its verdict.
 */
class LargePlansIT {

    private static final String EXAMPLES = Examples.class.getName();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"oneCopyRequestResponse", "zeroCopyStream", "sendfileStream"})
    void theIssuesPlanIsRefusedInOneLineBeforeAnyProcessStarts(String method) {
        EngineExecutionResults run = Jupiter.engine().selectors(selectMethod(EXAMPLES, method, BenchmarkResults.class.getName()))
                .execute();

        run.testEvents().assertStatistics(s -> s.started(0));
        run.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(message(m -> !m.contains("\n")
                && m.matches(".* · 64 MiB · \\d+ threads .*would (need about \\d+ s outside its window|allocate about) .*")))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"oneCopyRequestResponse", "zeroCopyStream", "sendfileStream"})
    void theLargestAcceptedPlanOfTheSameShapeFinishes(String method) throws Exception {
        int threads = largestAccepted(method);
        assertThat(threads).as("some %s plan at 64 MiB is accepted", method).isPositive();

        Events tests = Jupiter.engine().selectors(selectMethod(EXAMPLES, method, BenchmarkResults.class.getName()))
                .configurationParameter("copybench.threads", String.valueOf(threads)).execute().testEvents();

        // finished: both engines reported within the deadline. A request-response cell of 64 MiB round trips
        // may be left out of verdicts as DISTURBED (its round trips complete in bursts a second apart), never failed.
        tests.assertStatistics(s -> s.started(2).failed(0));
        assertThat(tests.finished().stream().filter(e -> !e.getTestDescriptor().getDisplayName().equals("hypothesis")))
                .singleElement().satisfies(cell -> {
                    TestExecutionResult r = cell.getRequiredPayload(TestExecutionResult.class);
                    assertThat(cell.getTestDescriptor().getDisplayName()).contains("64 MiB · " + threads + " threads");
                    assertThat(r.getStatus()).isNotEqualTo(TestExecutionResult.Status.FAILED);
                    if (r.getStatus() == TestExecutionResult.Status.ABORTED) {
                        assertThat(r.getThrowable().orElseThrow().getMessage()).startsWith("DISTURBED");
                    }
                });
    }

    /** The most threads both guards accept now: the deadline's, and the memory guard's on what is available. */
    private static int largestAccepted(String method) throws NoSuchMethodException {
        CopyModeBenchmark a = Examples.class.getDeclaredMethod(method, BenchmarkResults.class).getAnnotation(CopyModeBenchmark.class);
        long available = MemoryBudget.available().orElseThrow();
        int largest = 0;
        for (int t = 1; t <= PlanFactory.MAX_THREADS; t++) {
            Properties props = new Properties();
            props.setProperty("copybench.threads", String.valueOf(t));
            try {
                PlanFactory.from(a, props, available);
                largest = t;
            } catch (InvalidBenchmarkException e) {
                break;
            }
        }
        return largest;
    }

    static class Examples {

        @CopyModeBenchmark(sizes = "64M", threads = 64, modes = CopyMode.ONE_COPY, workloads = Workload.REQUEST_RESPONSE,
                duration = "500ms", warmup = "100ms", repetitions = 1)
        void oneCopyRequestResponse(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }

        @CopyModeBenchmark(sizes = "64M", threads = 22, modes = CopyMode.ZERO_COPY, duration = "500ms", warmup = "100ms",
                repetitions = 1)
        void zeroCopyStream(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }

        @CopyModeBenchmark(sizes = "64M", threads = 56, modes = CopyMode.SENDFILE, duration = "500ms", warmup = "100ms",
                repetitions = 1)
        void sendfileStream(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }
    }
}
