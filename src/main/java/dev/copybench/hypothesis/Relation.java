package dev.copybench.hypothesis;

/**
 * How the left side must compare to the right. The difference D = left − right has a confidence
 * interval; the margin m = tolerance × |right| widens {@code ≤}/{@code ≥} and narrows {@code <}/{@code >}:
 * {@code AT_MOST}: D ≤ m, {@code LESS_THAN}: D &lt; −m, {@code AT_LEAST}: D ≥ −m, {@code GREATER_THAN}: D &gt; m,
 * {@code CLOSE_TO}: |D| ≤ m (equivalence).
 * <p>Levels, at the default confidence 0.95: a directional relation holds when the whole 95 % interval
 * satisfies it and is refuted when the whole interval violates it, each a one-sided test at 2.5 %.
 * Equivalence holds by the usual two one-sided tests (TOST) at 5 %, whose p-value is the larger of the
 * two one-sided p-values, which is the 90 % interval lying within ±m; it is refuted when the 95 %
 * interval lies wholly outside ±m (one-sided 2.5 %, as every refutation). Otherwise undecidable.
 */
enum Relation {
    AT_MOST("≤"), LESS_THAN("<"), AT_LEAST("≥"), GREATER_THAN(">"), CLOSE_TO("≈");

    final String symbol;

    Relation(String symbol) {
        this.symbol = symbol;
    }

    /** The decision on a difference whose interval is at {@code confidence}. */
    Outcome decide(Difference d, double margin, double confidence) {
        if (this == CLOSE_TO) {
            Difference tost = d.atConfidence(tostConfidence(confidence));
            return tost.ciLow() >= -margin && tost.ciHigh() <= margin ? Outcome.HOLDS
                    : d.ciLow() > margin || d.ciHigh() < -margin ? Outcome.REFUTED : Outcome.UNDECIDABLE;
        }
        return decide(d, margin);
    }

    /**
     * Why the sign-flip permutation test of a paired difference does not confirm what t decided ({@code byT}), or null
     * when it does or does not apply. On a host whose cells fall into two regimes (70 % fast, 30 % slow), many rounds
     * differ by almost nothing and a few by a whole regime; t's one-sided error then grows with the rounds (2.7–3.0 % at
     * 10 rounds for a nominal 2.5 % in DecisionRulesMonteCarloTest), while the exact sign-flip test keeps its level
     * whatever the shape. So from {@value Difference#SIGN_FLIP_FROM} to {@value Difference#SIGN_FLIP_UP_TO} rounds a
     * HOLDS or REFUTED needs both.
     */
    String signFlipVeto(Difference d, double margin, double confidence, Outcome byT) {
        double oneSided = (1 - confidence) / 2;
        if (byT == Outcome.UNDECIDABLE || Double.isNaN(d.signFlipP(0, true))) {
            return null;
        }
        double p;
        double level;
        if (this == CLOSE_TO) {
            p = byT == Outcome.HOLDS ? Math.max(d.signFlipP(-margin, true), d.signFlipP(margin, false))
                    : d.estimate() > margin ? d.signFlipP(margin, true) : d.signFlipP(-margin, false);
            level = byT == Outcome.HOLDS ? 1 - confidence : oneSided;
        } else {
            double bound = this == AT_MOST || this == GREATER_THAN ? margin : -margin;
            boolean claimAbove = this == AT_LEAST || this == GREATER_THAN;
            p = d.signFlipP(bound, byT == Outcome.HOLDS == claimAbove);
            level = oneSided;
        }
        return p <= level ? null : String.format(java.util.Locale.ROOT, "t says %s, but the sign-flip permutation test of "
                        + "the %d rounds does not agree (p = %.3g > %s): the rounds' differences are too uneven to trust t",
                byT, d.rounds().length, p, percent(level));
    }

    /** The interval two one-sided tests at 1 − confidence read: 90 % for 0.95. */
    static double tostConfidence(double confidence) {
        return 1 - 2 * (1 - confidence);
    }

    /** TOST's p-value: the larger of the two one-sided p-values, against D ≤ −m and against D ≥ m. */
    static double tostP(Difference d, double margin) {
        return Math.max(d.pAbove(-margin), d.pBelow(margin));
    }

    /** The level a HOLDS of this relation carries, at {@code confidence}: e.g. {@code one-sided 2.5 %}. */
    String holdsLevel(double confidence) {
        return this == CLOSE_TO ? "two one-sided tests at " + percent(1 - confidence) + " (the "
                + percent(tostConfidence(confidence)) + " interval within the margin)"
                : "one-sided " + percent((1 - confidence) / 2) + " (the " + percent(confidence) + " interval on the claimed side)";
    }

    static String percent(double p) {
        return new java.math.BigDecimal(p * 100).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString()
                + " %";
    }

    private Outcome decide(Difference d, double margin) {
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
     * the violating side of the margin. Holm's step-down over a hypothesis's rows uses it. For equivalence it is
     * the p-value of the side the estimate lies on (the other is near 1): a refutation, not the TOST p-value
     * ({@link #tostP}), which decides HOLDS.
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
            case LESS_THAN, AT_LEAST -> String.format(java.util.Locale.ROOT, "the margin %.4g", 0.0 - margin);
            case CLOSE_TO -> String.format(java.util.Locale.ROOT, "±%.4g", margin);
        };
    }
}
