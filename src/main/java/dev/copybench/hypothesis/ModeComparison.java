package dev.copybench.hypothesis;

import dev.copybench.CopyMode;

/**
 * One mode compared with another in every selected configuration (same size, threads, workload).
 *
 * <pre>{@code
 * assertThat(results).metric(CPU_NS_PER_BYTE).of(ONE_COPY).isAtMost(TWO_COPY);
 * }</pre>
 */
public final class ModeComparison {

    private final MetricAssert selection;
    private final CopyMode mode;

    ModeComparison(MetricAssert selection, CopyMode mode) {
        this.selection = selection;
        this.mode = mode;
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
        return selection.isAtMost(value);
    }

    public Verdict isAtLeast(double value) {
        return selection.isAtLeast(value);
    }

    private Verdict against(CopyMode other, Relation r) {
        if (other == mode) {
            throw new IllegalArgumentException("the hypothesis compares " + mode + " with itself");
        }
        return selection.decide(new Hypothesis.Counterpart.Other(
                        c -> new dev.copybench.Configuration(other, c.size(), c.threads(), c.workload()), other.name()),
                r, selection.metric + " of " + mode + " " + r.symbol + " " + other);
    }
}
