package dev.copybench.hypothesis;

import dev.copybench.Configuration;
import dev.copybench.MessageSize;
import dev.copybench.internal.plan.Cell;

/**
 * One message size compared with another in every selected configuration (same mode, threads, workload).
 *
 * <pre>{@code
 * assertThat(results).metric(THROUGHPUT_GBPS).atSize("64K").isGreaterThanAtSize("64");
 * }</pre>
 */
public final class SizeComparison {

    private final MetricAssert selection;
    private final MessageSize size;

    SizeComparison(MetricAssert selection, MessageSize size) {
        this.selection = selection;
        this.size = size;
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
        return selection.decide(new Hypothesis.Counterpart.Other(
                        c -> new Configuration(c.mode(), other, c.threads(), c.workload()), other.toString()),
                r, selection.metric + " at " + size + " " + r.symbol + " at " + other);
    }
}
