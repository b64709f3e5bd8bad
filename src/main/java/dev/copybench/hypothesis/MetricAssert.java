package dev.copybench.hypothesis;

import dev.copybench.Configuration;
import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Metric;
import dev.copybench.Workload;
import dev.copybench.internal.plan.Cell;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A hypothesis about one metric under construction: select configurations, then compare.
 *
 * <pre>{@code
 * assertThat(results).metric(LLC_MISSES_PER_KIB).forSizesAtLeast("256K")
 *         .of(ZERO_COPY).isAtMost(TWO_COPY);
 * assertThat(results).metric(THROUGHPUT_GBPS).atSize("64K").isGreaterThanAtSize("64");
 * assertThat(results).metric(INTEGRITY_ERRORS).isAtMost(0);
 * }</pre>
 */
public final class MetricAssert {

    final BenchmarkResults results;
    final Metric metric;
    private Predicate<Configuration> filter = c -> true;
    private String description = "";
    private double tolerance;
    private double confidence = 0.95;
    private boolean trueZeroCopy;

    MetricAssert(BenchmarkResults results, Metric metric) {
        this.results = results;
        this.metric = metric;
    }

    public MetricAssert forSize(String size) {
        MessageSize s = MessageSize.parse(size);
        return narrow(c -> c.size().equals(s), "size " + s);
    }

    public MetricAssert forSizesAtLeast(String size) {
        MessageSize s = MessageSize.parse(size);
        return narrow(c -> c.size().compareTo(s) >= 0, "sizes ≥ " + s);
    }

    public MetricAssert forSizesAtMost(String size) {
        MessageSize s = MessageSize.parse(size);
        return narrow(c -> c.size().compareTo(s) <= 0, "sizes ≤ " + s);
    }

    public MetricAssert forThreads(int... threads) {
        Set<Integer> t = Arrays.stream(threads).boxed().collect(Collectors.toSet());
        return narrow(c -> t.contains(c.threads()), "threads " + t);
    }

    public MetricAssert forWorkload(Workload workload) {
        return narrow(c -> c.workload() == workload, workload.engineName());
    }

    /** Relative margin, e.g. {@code 0.05}: "≤" accepts up to 5 % above the right side, "<" demands 5 % below. */
    public MetricAssert withTolerance(double relative) {
        if (!(relative >= 0 && relative < 1)) {
            throw new IllegalArgumentException("tolerance " + relative + " must be in [0, 1), e.g. 0.05 for 5 %");
        }
        this.tolerance = relative;
        return this;
    }

    /** Confidence level of the intervals, default 0.95. */
    public MetricAssert withConfidence(double level) {
        if (!(level > 0.5 && level < 1)) {
            throw new IllegalArgumentException("confidence " + level + " must be in (0.5, 1), e.g. 0.95");
        }
        this.confidence = level;
        return this;
    }

    /** Undecidable when the kernel copied zero-copy sends (always over veth or loopback). */
    public MetricAssert requiringTrueZeroCopy() {
        this.trueZeroCopy = true;
        return this;
    }

    /** Compare this mode with another mode, configuration by configuration. */
    public ModeComparison of(CopyMode mode) {
        MetricAssert m = copy();
        m.filter = m.filter.and(c -> c.mode() == mode);   // the mode is named in the claim itself
        return new ModeComparison(m, mode);
    }

    /** Compare this size with another size, configuration by configuration (every mode). */
    public SizeComparison atSize(String size) {
        MessageSize s = MessageSize.parse(size);
        MetricAssert m = copy();
        m.filter = m.filter.and(c -> c.size().equals(s));
        return new SizeComparison(m, s);
    }

    public Verdict isAtMost(double value) {
        return constant(Relation.AT_MOST, value);
    }

    public Verdict isLessThan(double value) {
        return constant(Relation.LESS_THAN, value);
    }

    public Verdict isAtLeast(double value) {
        return constant(Relation.AT_LEAST, value);
    }

    public Verdict isGreaterThan(double value) {
        return constant(Relation.GREATER_THAN, value);
    }

    private Verdict constant(Relation r, double value) {
        return decide(new Hypothesis.Counterpart.Constant(value), r, String.format(Locale.ROOT, "%s %s %g %s", metric,
                r.symbol, value, metric.unit()));
    }

    Verdict decide(Hypothesis.Counterpart counterpart, Relation relation, String claim) {
        String statement = claim + (description.isEmpty() ? "" : " for " + description)
                + (tolerance > 0 ? String.format(Locale.ROOT, " (tolerance %.1f %%)", tolerance * 100) : "");
        Hypothesis.Selection sel = new Hypothesis.Selection(metric, filter, tolerance, confidence, trueZeroCopy);
        return Hypothesis.evaluate(results, sel, counterpart, relation, statement).enforce();
    }

    private MetricAssert narrow(Predicate<Configuration> more, String what) {
        filter = filter.and(more);
        description = description.isEmpty() ? what : description + ", " + what;
        return this;
    }

    private MetricAssert copy() {
        MetricAssert m = new MetricAssert(results, metric);
        m.filter = filter;
        m.description = description;
        m.tolerance = tolerance;
        m.confidence = confidence;
        m.trueZeroCopy = trueZeroCopy;
        return m;
    }
}
