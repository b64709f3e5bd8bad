package dev.copybench.hypothesis;

/**
 * How the left side must compare to the right. The difference D = left − right has a confidence
 * interval; the margin m = tolerance × |right| widens {@code ≤}/{@code ≥} and narrows {@code <}/{@code >}:
 * {@code AT_MOST}: D ≤ m, {@code LESS_THAN}: D &lt; −m, {@code AT_LEAST}: D ≥ −m, {@code GREATER_THAN}: D &gt; m,
 * {@code CLOSE_TO}: |D| ≤ m (equivalence, by two one-sided tests: the whole interval within ±m).
 * The relation holds when the whole interval satisfies it, is refuted when the whole interval
 * violates it, and is undecidable otherwise.
 */
enum Relation {
    AT_MOST("≤"), LESS_THAN("<"), AT_LEAST("≥"), GREATER_THAN(">"), CLOSE_TO("≈");

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
            case CLOSE_TO -> d.ciLow() >= -margin && d.ciHigh() <= margin ? Outcome.HOLDS
                    : d.ciLow() > margin || d.ciHigh() < -margin ? Outcome.REFUTED : Outcome.UNDECIDABLE;
        };
    }

    /**
     * The one-sided p-value of the evidence against the claim: small when the difference is shown on
     * the violating side of the margin. Holm's step-down over a hypothesis's rows uses it.
     */
    double violationP(Difference d, double margin) {
        return switch (this) {
            case AT_MOST -> d.pAbove(margin);
            case LESS_THAN -> d.pAbove(-margin);
            case AT_LEAST -> d.pBelow(-margin);
            case GREATER_THAN -> d.pBelow(margin);
            case CLOSE_TO -> Math.min(d.pAbove(margin), d.pBelow(-margin));
        };
    }

    /** The bound an undecided interval straddles, for the message. */
    String bound(double margin) {
        return switch (this) {
            case AT_MOST, GREATER_THAN -> String.format(java.util.Locale.ROOT, "the margin %.4g", margin);
            case LESS_THAN, AT_LEAST -> String.format(java.util.Locale.ROOT, "the margin %.4g", -margin);
            case CLOSE_TO -> String.format(java.util.Locale.ROOT, "±%.4g", margin);
        };
    }
}
