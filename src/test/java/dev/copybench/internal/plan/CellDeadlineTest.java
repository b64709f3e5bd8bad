package dev.copybench.internal.plan;

import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.MessageSize;
import dev.copybench.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A cell's deadline grows with what it allocates and drains, and a cell that could not set up and
 * drain within {@link CellDeadline#MAX_OUTSIDE_WINDOW} is refused up front: the three largest plans
 * the memory guard accepted on a 24 GiB host (issue 21) and then killed at 22.5 s are refused in one line.
 */
class CellDeadlineTest {

    private static final MessageSize SIXTY_FOUR_MIB = MessageSize.parse("64M");
    /** As much memory as anyone has: only the deadline decides. */
    private static final long PLENTY = 1L << 50;

    static class Declarations {
        @CopyModeBenchmark(sizes = "64M", threads = 64, modes = CopyMode.ONE_COPY, workloads = Workload.REQUEST_RESPONSE)
        void oneCopyRequestResponse64x64() {
        }

        @CopyModeBenchmark(sizes = "64M", threads = 22, modes = CopyMode.ZERO_COPY)
        void zeroCopy64x22() {
        }

        @CopyModeBenchmark(sizes = "64M", threads = 56, modes = CopyMode.SENDFILE)
        void sendfile64x56() {
        }

        @CopyModeBenchmark(sizes = "64K", threads = 1, modes = CopyMode.ONE_COPY, duration = "2s", warmup = "500ms")
        void small() {
        }
    }

    private static BenchmarkPlan plan(String method, String threads) throws NoSuchMethodException {
        Properties props = new Properties();
        if (threads != null) {
            props.setProperty("copybench.threads", threads);
        }
        return PlanFactory.from(Declarations.class.getDeclaredMethod(method).getAnnotation(CopyModeBenchmark.class), props,
                PLENTY);
    }

    @Test
    void theIssuesLargestPlansAreRefusedInOneLineNamingTheFigures() {
        assertThatThrownBy(() -> plan("oneCopyRequestResponse64x64", null)).isInstanceOf(InvalidBenchmarkException.class)
                .hasMessage("ONE_COPY · 64 MiB · 64 threads · request-response would need about 140 s outside its window "
                        + "(99 s to allocate and fill 8.0 GiB at 12 ms/MiB, 41 s to drain 4.0 GiB in flight), more than "
                        + "the 60 s a cell may: use fewer threads or smaller messages");
        assertThatThrownBy(() -> plan("zeroCopy64x22", null)).hasMessageMatching(
                "ZERO_COPY · 64 MiB · 22 threads · stream would need about \\d+ s outside its window \\(.*\\), more than the 60 s .*");
        assertThatThrownBy(() -> plan("sendfile64x56", null)).hasMessageMatching(
                "SENDFILE · 64 MiB · 56 threads · stream would need about \\d+ s outside its window \\(.*\\), more than the 60 s .*");
    }

    @Test
    void theLargestAcceptedPlansAreOneThreadBelowTheRefusedOnes() throws Exception {
        assertThat(largestAccepted("oneCopyRequestResponse64x64")).isEqualTo(27);
        assertThat(largestAccepted("zeroCopy64x22")).isEqualTo(8);
        assertThat(largestAccepted("sendfile64x56")).isEqualTo(20);
    }

    private static int largestAccepted(String method) throws NoSuchMethodException {
        int largest = 0;
        for (int t = 1; t <= PlanFactory.MAX_THREADS; t++) {
            try {
                plan(method, String.valueOf(t));
                largest = t;
            } catch (InvalidBenchmarkException e) {
                break;
            }
        }
        return largest;
    }

    @Test
    void aSmallCellKeepsTheFixedMarginAndALargeOneGetsItsSetUpAndDrainOnTop() throws Exception {
        BenchmarkPlan small = plan("small", null);
        Cell one = new Cell(1, 1, CopyMode.ONE_COPY, MessageSize.parse("64K"), 1, Workload.STREAM, 1, 1);
        assertThat(CellDeadline.of(small, one)).isBetween(Duration.ofMillis(22_500), Duration.ofMillis(22_600));

        // 27 connections × (64 MiB message + 64 MiB response buffer): 3.4 GiB to fill (41.8 s), 1.7 GiB to drain (17.3 s)
        Duration margin = CellDeadline.margin(CopyMode.ONE_COPY, SIXTY_FOUR_MIB, 27, Workload.REQUEST_RESPONSE);
        assertThat(margin).isBetween(Duration.ofSeconds(20 + 58), Duration.ofSeconds(20 + 60));
    }

    @Test
    void theDrainIsTheEnginesExtraGrace() {
        // native/tests/unit_tests.c, test_grace_grows_with_what_is_in_flight: 5000 + 64 × 64 × 10 + 1 ms
        assertThat(CellDeadline.drainMs(SIXTY_FOUR_MIB, 64, Workload.REQUEST_RESPONSE)).isEqualTo(64 * 64 * 10 + 1);
        assertThat(CellDeadline.drainMs(MessageSize.parse("64K"), 1, Workload.STREAM)).isEqualTo(1);
        assertThat(CellDeadline.drainMs(MessageSize.parse("1K"), 4, Workload.UDP_SINK)).isZero();
    }
}
