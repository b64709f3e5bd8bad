package dev.copybench;

import dev.copybench.hypothesis.ResultsAssert;

/**
 * Entry point of the hypothesis DSL. Each terminal call decides the hypothesis: it passes when it
 * holds with confidence, fails (AssertionError with the offending cells) when it is refuted, and
 * aborts the test (skipped, with the reason) when the measurements cannot decide it.
 *
 * <pre>{@code
 * import static dev.copybench.CopyBenchAssertions.assertThat;
 *
 * assertThat(results).metric(Metric.LLC_MISSES_PER_KIB).forSizesAtLeast("256K")
 *         .of(CopyMode.ZERO_COPY).isAtMost(CopyMode.TWO_COPY);
 * }</pre>
 */
public final class CopyBenchAssertions {

    private CopyBenchAssertions() {
    }

    public static ResultsAssert assertThat(BenchmarkResults results) {
        return new ResultsAssert(results);
    }
}
