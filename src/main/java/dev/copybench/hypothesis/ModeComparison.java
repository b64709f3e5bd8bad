package dev.copybench.hypothesis;

import dev.copybench.BenchmarkResults;
import dev.copybench.Configuration;
import dev.copybench.CopyMode;
import dev.copybench.internal.HypothesisSession;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.data.Percentage;

/**
 * One mode compared with another in every selected configuration (same size, threads, workload).
 *
 * <pre>{@code
 * assertThat(results).metric(CPU_NS_PER_BYTE).of(ONE_COPY).isAtMost(TWO_COPY);
 * }</pre>
 */
public final class ModeComparison extends AbstractAssert<ModeComparison, BenchmarkResults> {

    private final MetricAssert selection;
    private final CopyMode mode;
    private final HypothesisSession.Step step;

    /** Derived from {@code parent}, whose description carries over; {@code selection} holds what to compare. */
    ModeComparison(MetricAssert parent, MetricAssert selection, CopyMode mode) {
        super(parent.results(), ModeComparison.class);
        MetricAssert.carryAssertionState(parent, this);
        this.selection = selection;
        this.mode = mode;
        this.step = HypothesisSession.step(() -> parent.chain() + ".of(" + mode + ")",
                "has no comparison: end it with .isAtMost(OTHER_MODE), .isLessThan(…), .isAtLeast(…) or .isGreaterThan(…)");
    }

    public Verdict isAtMost(CopyMode other) {
        return against(other, Relation.AT_MOST);
    }

    public Verdict isLessThan(CopyMode other) {
        return against(other, Relation.LESS_THAN);
    }

    public Verdict isAtLeast(CopyMode other) {
        return against(other, Relation.AT_LEAST);
    }

    public Verdict isGreaterThan(CopyMode other) {
        return against(other, Relation.GREATER_THAN);
    }

    /** This mode against a constant, in every selected configuration. */
    public Verdict isAtMost(double value) {
        step.close();
        return selection.constant(info.descriptionText(), Relation.AT_MOST, value);
    }

    public Verdict isAtLeast(double value) {
        step.close();
        return selection.constant(info.descriptionText(), Relation.AT_LEAST, value);
    }

    /**
     * Equivalence: this mode is within {@code percentage} of the other in every selected configuration,
     * decided by the usual two one-sided tests at 5 % (at the default confidence 0.95): HOLDS when the larger of
     * the two one-sided p-values is ≤ 5 %, i.e. the 90 % interval of the difference lies within ±percentage of the
     * other's mean. REFUTED when the 95 % interval lies wholly outside (one-sided 2.5 %); UNDECIDABLE, with the
     * precision reached and the rounds that would decide it, otherwise.
     *
     * <pre>{@code
     * assertThat(results).metric(THROUGHPUT_GBPS).of(ONE_COPY).isCloseTo(TWO_COPY, withinPercentage(5));
     * }</pre>
     */
    public Verdict isCloseTo(CopyMode other, Percentage percentage) {
        return selection.withMargin(percentage.value / 100).compare(this, other, Relation.CLOSE_TO,
                String.format(java.util.Locale.ROOT, " within ±%s %%", percentage.value));
    }

    /**
     * This mode is not worse than in the baseline run ({@code copybench.baseline}) by more than {@code percentage};
     * see {@link MetricAssert#isNotWorseThanBaseline(Percentage)}.
     *
     * <pre>{@code
     * assertThat(results).metric(THROUGHPUT_GBPS).of(ONE_COPY).isNotWorseThanBaseline(withinPercentage(5));
     * }</pre>
     */
    public Verdict isNotWorseThanBaseline(Percentage percentage) {
        step.close();
        return selection.againstBaseline(info.descriptionText(), percentage, " of " + mode);
    }

    private Verdict against(CopyMode other, Relation r) {
        return selection.compare(this, other, r, "");
    }

    /** Decides {@code mode r other}, closing this link of the chain. */
    Verdict against(MetricAssert by, CopyMode other, Relation r, String suffix) {
        if (other == mode) {
            throw new IllegalArgumentException("the hypothesis compares " + mode + " with itself");
        }
        step.close();
        return by.decide(info.descriptionText(), new Hypothesis.Counterpart.Other(
                        c -> new Configuration(other, c.size(), c.threads(), c.workload()), other.name(), true),
                r, by.metric + " of " + mode + " " + r.symbol + " " + other + suffix);
    }
}
