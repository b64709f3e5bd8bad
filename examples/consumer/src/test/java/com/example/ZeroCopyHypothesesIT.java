package com.example;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyModeBenchmark;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.TWO_COPY;
import static dev.copybench.CopyMode.ZERO_COPY;
import static dev.copybench.Metric.INTEGRITY_ERRORS;
import static dev.copybench.Metric.LLC_MISSES_PER_KIB;
import static dev.copybench.Metric.THROUGHPUT_GBPS;

class ZeroCopyHypothesesIT {

    @CopyModeBenchmark(sizes = {"64", "64K"}, modes = ONE_COPY, duration = "300ms", repetitions = 4)
    void biggerMessagesMoveMoreData(BenchmarkResults results) {
        assertThat(results).metric(INTEGRITY_ERRORS).isAtMost(0);
        assertThat(results).metric(THROUGHPUT_GBPS).atSize("64K").isGreaterThanAtSize("64");
    }

    @CopyModeBenchmark(sizes = "256K", modes = {ZERO_COPY, TWO_COPY}, repetitions = 3)
    void zeroCopyMissesTheLastLevelCacheLessOften(BenchmarkResults results) {
        assertThat(results).metric(LLC_MISSES_PER_KIB).of(ZERO_COPY).isAtMost(TWO_COPY);
    }
}
