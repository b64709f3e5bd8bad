package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.Workload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * Fifty consecutive cells on a host kept busy by CPU hogs on every core: none fails. A window that
 * ends on one side before the other does not break a cell (the engine ends a cell with a handshake);
 * a cell the load starved outright is DISTURBED, left out rather than failed or averaged in.
 */
class LoadIT {

    private static final List<Process> HOGS = new ArrayList<>();

    @BeforeAll
    static void keepEveryCpuBusy() throws IOException {
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            HOGS.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
        }
    }

    @AfterAll
    static void endTheHogs() throws InterruptedException {
        for (Process hog : HOGS) {   // by PID, the ones this test started
            hog.destroyForcibly();
            hog.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void fiftyCellsUnderLoadAllEndWithoutFailing() {
        Events tests = Jupiter.engine()
                .selectors(selectMethod(Loaded.class, "fiftyCells", BenchmarkResults.class.getName()))
                .execute().testEvents();

        assertThat(tests.started().count()).isEqualTo(51);
        assertThat(tests.failed().list()).as("cells or hypothesis that failed").isEmpty();
        System.out.printf("[copybench] under load: %d of 50 cells measured, %d disturbed%n",
                tests.succeeded().count() - 1, tests.aborted().count());
    }

    /** Run only through EngineTestKit above. */
    static class Loaded {

        @CopyModeBenchmark(sizes = {"64", "4K", "64K", "256K", "1M"}, modes = {CopyMode.ONE_COPY, CopyMode.ZERO_COPY},
                workloads = Workload.STREAM, duration = "100ms", warmup = "50ms", repetitions = 5)
        void fiftyCells(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }
    }
}
