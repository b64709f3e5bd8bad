package dev.copybench.bench;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyModeBenchmark;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.ZERO_COPY;
import static dev.copybench.Metric.INTEGRITY_ERRORS;
import static dev.copybench.Workload.REQUEST_RESPONSE;
import static dev.copybench.Workload.STREAM;

/**
 * The harness's own cost per cell, for {@code bench/overhead.sh}: 2 modes × 2 sizes × 2 thread counts ×
 * 2 workloads × 3 repetitions = 48 short cells (50 ms warm-up + 200 ms window), whose Allure start/stop
 * times the script compares with the time the engines were asked to measure. Not part of {@code mvn verify}
 * (the framework-its execution excludes {@code bench/}); run it with {@code -Dit.test=OverheadIT}.
 */
class OverheadIT {

    @CopyModeBenchmark(modes = {ONE_COPY, ZERO_COPY}, sizes = {"64", "64K"}, threads = {1, 2},
            workloads = {STREAM, REQUEST_RESPONSE}, duration = "200ms", warmup = "50ms", repetitions = 3)
    void fortyEightShortCells(BenchmarkResults results) {
        assertThat(results).hasNoFailedCells();
        assertThat(results).metric(INTEGRITY_ERRORS).isAtMost(0);
    }
}
