package dev.copybench.internal.engine;

import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.Metric;
import dev.copybench.internal.host.Topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.ZERO_COPY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's accounting under the conditions that broke earlier attempts (experiment.md, "What
 * went wrong" 7–10): many threads of zero-copy, short writes on every message, ENOBUFS from a
 * namespace with little option memory. Each runs real cells and checks every one of them.
 */
class EngineAccountingIT {

    @CopyModeBenchmark(modes = ZERO_COPY, sizes = "64K", threads = 4, duration = "2s", repetitions = 1,
            requireNamespaces = true)
    void zeroCopyCompletesEveryCallAndReportsTheCopiedShare(BenchmarkResults results) {
        assertThat(results).hasNoFailedCells();
        for (CellResult r : results.cells()) {
            EngineReport.ZeroCopy zc = r.server().zerocopy();
            assertThat(zc.calls()).as("zero-copy calls of %s", r.cell().displayName()).isPositive();
            assertThat(zc.completed()).as("completed calls == calls").isEqualTo(zc.calls());
            assertThat(zc.reconcileErrors()).isZero();
            // veth delivers locally, so the kernel copies (SO_EE_CODE_ZEROCOPY_COPIED); a handful of
            // completions for skbs freed undelivered after the client's reset carry no flag
            assertThat(r.topology()).isEqualTo(Topology.Kind.NAMESPACES);
            assertThat(r.measure(Metric.ZERO_COPY_COPIED_SHARE).value()).isGreaterThan(0.99);
            assertIntact(r);
        }
    }

    @CopyModeBenchmark(sizes = "1M", threads = 2, duration = "1s", repetitions = 1, sendBuffer = "64K",
            nonBlocking = true)
    void shortWritesAreResumedWithoutCorruptingAMessage(BenchmarkResults results) {
        assertThat(results).hasNoFailedCells();
        assertThat(results.cells()).hasSize(3);
        for (CellResult r : results.cells()) {
            // a 1 MiB message cannot leave through a 128 KiB (doubled) send buffer in one non-blocking call
            assertThat(r.server().shortWrites()).as("short writes of %s", r.cell().displayName())
                    .isGreaterThan(r.server().totalMessages());
            assertIntact(r);
        }
    }

    @CopyModeBenchmark(modes = ZERO_COPY, sizes = "64K", threads = 2, duration = "1s", repetitions = 1,
            namespaceSysctls = "net.core.optmem_max=2048")
    void enobufsIsDrainedAndRetriedUntilTheWindowEnds(BenchmarkResults results) {
        assertThat(results).hasNoFailedCells();
        assertThat(results.topology()).contains("net.core.optmem_max=2048");
        for (CellResult r : results.cells()) {
            EngineReport.ZeroCopy zc = r.server().zerocopy();
            assertThat(zc.enobufs()).as("ENOBUFS answers with optmem_max=2048").isPositive();
            assertThat(zc.completed()).isEqualTo(zc.calls());
            assertIntact(r);
        }
    }

    @CopyModeBenchmark(modes = ONE_COPY, sizes = "64K", duration = "500ms", warmup = "100ms", repetitions = 1,
            sendBuffer = "64M", requireNamespaces = true)
    void aSendBufferIsRecordedAsTheKernelGrantedIt(BenchmarkResults results) throws IOException {
        assertThat(results).hasNoFailedCells();
        // host-wide (not per namespace): the test namespaces are capped by the same figure
        long wmemMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/wmem_max")).get(0).strip());
        long asked = 64L << 20;
        long granted = Math.min(2 * asked, 2 * wmemMax);
        for (CellResult r : results.cells()) {
            assertThat(r.topology()).isEqualTo(Topology.Kind.NAMESPACES);
            assertThat(r.server().sndbuf()).isEqualTo(new EngineReport.SendBuffer(asked, granted));
            if (granted < 2 * asked) {
                assertThat(r.server().sndbuf().differs()).hasValue("sendBuffer asked 64 MiB, the kernel granted "
                        + (granted >> 20) + " MiB (capped by net.core.wmem_max; a full grant reads 128 MiB)");
            }
            assertThat(r.client().sndbuf()).as("the client asks for no send buffer").isNull();
            assertIntact(r);
        }
    }

    /** Every message the client received was checked, and none was damaged or out of order. */
    private static void assertIntact(CellResult r) {
        assertThat(r.client().integrityErrors()).as("integrity errors of %s", r.cell().displayName()).isZero();
        assertThat(r.client().verifiedMessages()).as("verified messages").isEqualTo(r.client().totalMessages());
    }
}
