package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.Metric;
import dev.copybench.internal.engine.EngineReport;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;

/**
 * Honest slow cells are measured, not dropped as disturbed (issue 22: which cells survived used to depend on the
 * configuration): a blocking send of one large message through tiny socket buffers keeps moving, and zero-copy's
 * own waits for completions are its time, reported beside its progress. Frozen sides stay disturbed: see FaultsIT.
 */
class SurvivorshipIT {

    private static Events testsOf(String method) {
        return Jupiter.engine().selectors(selectMethod(Examples.class, method, BenchmarkResults.class.getName()))
                .execute().testEvents();
    }

    @Test
    void aLargeMessageThroughTinySocketBuffersIsASlowMeasurementNotAStall() {
        Events tests = testsOf("largeMessagesThroughTinyBuffers");

        // two measured cells (a disturbed one aborts, naming why) and the hypothesis, whose assertions are above
        tests.assertThatEvents().haveExactly(3, event(finishedSuccessfully()))
                .haveExactly(1, event(displayName("hypothesis"), finishedSuccessfully()));
    }

    @Test
    void zeroCopyWaitingForCompletionsIsMeasuredWithItsWaitVisible() {
        Events tests = testsOf("zeroCopyShortOfOptionMemory");

        // two measured cells (a disturbed one aborts, naming why) and the hypothesis, whose assertions are above
        tests.assertThatEvents().haveExactly(3, event(finishedSuccessfully()))
                .haveExactly(1, event(displayName("hypothesis"), finishedSuccessfully()));
    }

    /** Run only through EngineTestKit above. */
    static class Examples {

        /**
         * 64 MiB messages through 4 KiB socket buffers over the veth: ~0.2 Gbps, one message per ~2.5 s, so a send
         * is in flight for whole windows. Until bytes were credited as the peer acknowledged them, every repetition
         * was DISTURBED ("the server made no progress for 640–700 ms").
         */
        @CopyModeBenchmark(sizes = "64M", modes = CopyMode.ONE_COPY, duration = "2s", warmup = "200ms", repetitions = 2,
                namespaceSysctls = {"net.ipv4.tcp_rmem=4096 4096 4096", "net.ipv4.tcp_wmem=4096 4096 4096"})
        void largeMessagesThroughTinyBuffers(BenchmarkResults results) {
            assertThat(results.disturbed()).as("disturbed cells").isEmpty();
            results.cells().forEach(SurvivorshipIT::print);
            assertThat(results.cells()).hasSize(2).allSatisfy(r -> {
                EngineReport.Progress server = r.server().progress();
                assertThat(server.longestStallMs()).as("the server's longest stall (ms)").isLessThan(250);
                assertThat(server.medianGbps()).as("the server's median 20 ms interval (Gbps)").isPositive();
                assertThat(r.client().gbps()).as("client throughput (Gbps): slow, as tiny buffers make it").isPositive()
                        .isLessThan(5);
            });
        }

        /** optmem_max = 2048: ENOBUFS, answered by waiting for completions, but never for good (docs/bad-inputs.md). */
        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ZERO_COPY, threads = 2, duration = "1s", warmup = "200ms",
                repetitions = 2, namespaceSysctls = "net.core.optmem_max=2048")
        void zeroCopyShortOfOptionMemory(BenchmarkResults results) {
            assertThat(results.disturbed()).as("disturbed cells").isEmpty();
            assertThat(results.cells()).hasSize(2).allSatisfy(r -> {
                assertThat(r.server().zerocopy().enobufs()).as("ENOBUFS answers").isPositive();
                assertThat(r.server().progress().modeWaitS()).as("time waiting for completions (s, both connections)")
                        .isPositive().isLessThan(2 * r.server().seconds());
                double share = Metric.SEND_PATH_WAIT_SHARE.measure(r).value();
                assertThat(share).as("send-path wait share").isGreaterThan(0).isLessThan(1);
                System.out.printf("[survivorship] zero-copy with optmem_max=2048: %.3f Gbps, waited %.3f s of %.3f s "
                        + "x 2 connections for completions (wait share %.2f, %d ENOBUFS)%n", r.client().gbps(),
                        r.server().progress().modeWaitS(), r.server().seconds(), share, r.server().zerocopy().enobufs());
            });
        }
    }

    static void print(CellResult r) {
        System.out.printf("[survivorship] %s: %.3f Gbps, server progress %s%n", r.cell().displayName(), r.client().gbps(),
                r.server().progress());
    }
}
