package dev.copybench.examples;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyModeBenchmark;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.CopyMode.TWO_COPY;
import static dev.copybench.CopyMode.ZERO_COPY;
import static dev.copybench.Metric.INTEGRITY_ERRORS;
import static dev.copybench.Metric.LLC_MISSES_PER_KIB;
import static dev.copybench.Metric.THROUGHPUT_GBPS;

/**
 * The example hypotheses `mvn verify` runs for real on this machine: one that holds everywhere,
 * and one that needs a hardware counter, which is honestly undecidable (skipped) where the CPU
 * cannot count it.
 */
class ThroughputHypothesesIT {

    @CopyModeBenchmark(sizes = {"64", "64K"}, threads = 1, duration = "300ms", warmup = "100ms", repetitions = 3)
    void everyModeMovesMoreDataWithBiggerMessages(BenchmarkResults results) {
        assertThat(results).hasNoFailedCells();
        assertThat(results).metric(INTEGRITY_ERRORS).isAtMost(0);
        assertThat(results).metric(THROUGHPUT_GBPS).atSize("64K").isGreaterThanAtSize("64");
    }

    @CopyModeBenchmark(sizes = "256K", threads = 1, modes = {ZERO_COPY, TWO_COPY}, duration = "300ms",
            warmup = "100ms", repetitions = 2)
    void zeroCopyMissesTheLastLevelCacheLessOften(BenchmarkResults results) {
        assertThat(results).metric(LLC_MISSES_PER_KIB).of(ZERO_COPY).isAtMost(TWO_COPY);
    }
}
