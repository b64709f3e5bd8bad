package dev.copybench.hypothesis;

import dev.copybench.BenchmarkResults;
import dev.copybench.Metric;
import dev.copybench.internal.HypothesisSession;
import org.assertj.core.annotation.CheckReturnValue;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ entry point over {@link BenchmarkResults}; see {@link dev.copybench.CopyBenchAssertions}.
 * A description given with {@code as(…)} carries into every assert derived from this one.
 *
 * <pre>{@code
 * assertThat(results).as("Q1").metric(THROUGHPUT_GBPS).of(ZERO_COPY).isAtLeast(TWO_COPY);
 * }</pre>
 */
public final class ResultsAssert extends AbstractAssert<ResultsAssert, BenchmarkResults> {

    private final HypothesisSession.Step step;

    public ResultsAssert(BenchmarkResults actual) {
        super(actual, ResultsAssert.class);
        step = HypothesisSession.step(() -> "assertThat(results)",
                "does nothing: continue it with .metric(…) and a comparison, or .hasNoFailedCells()");
    }

    /** Starts a hypothesis about one metric; finish it with a comparison. */
    @CheckReturnValue
    public MetricAssert metric(Metric metric) {
        isNotNull();
        step.close();
        return new MetricAssert(this, actual, metric);
    }

    /** Fails when any cell of the matrix failed to run, listing them. */
    public ResultsAssert hasNoFailedCells() {
        isNotNull();
        step.close();
        HypothesisSession.checked();
        if (!actual.failures().isEmpty()) {
            StringBuilder s = new StringBuilder(actual.failures().size() + " cell(s) failed:");
            actual.failures().forEach((cell, e) -> s.append("\n  ").append(cell.displayName()).append(": ").append(e.getMessage()));
            failWithMessage("%s", s.toString());
        }
        return this;
    }
}
