package dev.copybench.hypothesis;

import dev.copybench.hypothesis.Difference;

/**
 * How the left side must compare to the right. The difference D = left − right has a confidence
 * interval; the margin m = tolerance × |right| widens {@code ≤}/{@code ≥} and narrows {@code <}/{@code >}:
 * {@code AT_MOST}: D ≤ m, {@code LESS_THAN}: D &lt; −m, {@code AT_LEAST}: D ≥ −m, {@code GREATER_THAN}: D &gt; m.
 * The relation holds when the whole interval satisfies it, is refuted when the whole interval
 * violates it, and is undecidable otherwise.
 */
enum Relation {
    AT_MOST("≤"), LESS_THAN("<"), AT_LEAST("≥"), GREATER_THAN(">");

    final String symbol;

    Relation(String symbol) {
        this.symbol = symbol;
    }

    Outcome decide(Difference d, double margin) {
        return switch (this) {
            case AT_MOST -> d.ciHigh() <= margin ? Outcome.HOLDS : d.ciLow() > margin ? Outcome.REFUTED : Outcome.UNDECIDABLE;
            case LESS_THAN -> d.ciHigh() < -margin ? Outcome.HOLDS : d.ciLow() >= -margin ? Outcome.REFUTED : Outcome.UNDECIDABLE;
            case AT_LEAST -> d.ciLow() >= -margin ? Outcome.HOLDS : d.ciHigh() < -margin ? Outcome.REFUTED : Outcome.UNDECIDABLE;
            case GREATER_THAN -> d.ciLow() > margin ? Outcome.HOLDS : d.ciHigh() <= margin ? Outcome.REFUTED : Outcome.UNDECIDABLE;
        };
    }
}
