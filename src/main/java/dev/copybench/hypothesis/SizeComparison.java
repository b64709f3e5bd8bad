package dev.copybench.hypothesis;

import dev.copybench.BenchmarkResults;
import dev.copybench.Configuration;
import dev.copybench.MessageSize;
import dev.copybench.internal.HypothesisSession;
import org.assertj.core.api.AbstractAssert;

/**
 * One message size compared with another in every selected configuration (same mode, threads, workload).
 *
 * <pre>{@code
 * assertThat(results).metric(THROUGHPUT_GBPS).atSize("64K").isGreaterThanAtSize("64");
 * }</pre>
 */
public final class SizeComparison extends AbstractAssert<SizeComparison, BenchmarkResults> {

    private final MetricAssert selection;
    private final MessageSize size;
    private final HypothesisSession.Step step;

    /** Derived from {@code parent}, whose description carries over; {@code selection} holds what to compare. */
    SizeComparison(MetricAssert parent, MetricAssert selection, MessageSize size) {
        super(parent.results(), SizeComparison.class);
        MetricAssert.carryAssertionState(parent, this);
        this.selection = selection;
        this.size = size;
        this.step = HypothesisSession.step(() -> parent.chain() + ".atSize(" + size + ")",
                "has no comparison: end it with .isGreaterThanAtSize(\"64\"), .isAtLeastAtSize(…), .isLessThanAtSize(…) or .isAtMostAtSize(…)");
    }

    public Verdict isGreaterThanAtSize(String other) {
        return against(other, Relation.GREATER_THAN);
    }

    public Verdict isAtLeastAtSize(String other) {
        return against(other, Relation.AT_LEAST);
    }

    public Verdict isLessThanAtSize(String other) {
        return against(other, Relation.LESS_THAN);
    }

    public Verdict isAtMostAtSize(String other) {
        return against(other, Relation.AT_MOST);
    }

    private Verdict against(String otherText, Relation r) {
        MessageSize other = MessageSize.parse(otherText);
        if (other.equals(size)) {
            throw new IllegalArgumentException("the hypothesis compares size " + size + " with itself");
        }
        step.close();
        return selection.decide(info.descriptionText(), new Hypothesis.Counterpart.Other(
                        c -> new Configuration(c.mode(), other, c.threads(), c.workload()), other.toString(), false),
                r, selection.metric + " at " + size + " " + r.symbol + " at " + other);
    }
}
