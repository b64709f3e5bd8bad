package dev.copybench.hypothesis;

import dev.copybench.BenchmarkResults;
import dev.copybench.Metric;
import org.assertj.core.api.AbstractAssert;

/** AssertJ entry point over {@link BenchmarkResults}; see {@link dev.copybench.CopyBenchAssertions}. */
public final class ResultsAssert extends AbstractAssert<ResultsAssert, BenchmarkResults> {

    public ResultsAssert(BenchmarkResults actual) {
        super(actual, ResultsAssert.class);
    }

    /** Starts a hypothesis about one metric. */
    public MetricAssert metric(Metric metric) {
        isNotNull();
        return new MetricAssert(actual, metric);
    }

    /** Fails when any cell of the matrix failed to run, listing them. */
    public ResultsAssert hasNoFailedCells() {
        isNotNull();
        if (!actual.failures().isEmpty()) {
            StringBuilder s = new StringBuilder(actual.failures().size() + " cell(s) failed:");
            actual.failures().forEach((cell, e) -> s.append("\n  ").append(cell.displayName()).append(": ").append(e.getMessage()));
            failWithMessage("%s", s.toString());
        }
        return this;
    }
}
