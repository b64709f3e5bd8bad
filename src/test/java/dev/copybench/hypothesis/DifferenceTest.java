package dev.copybench.hypothesis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The repetitions that would decide a comparison: t shrinks with n, and the target is the distance to the bound. */
class DifferenceTest {

    /** Three paired rounds whose differences have the standard deviation {@code sd} around {@code mean}. */
    private static Difference threeRounds(double mean, double sd) {
        return Difference.paired(new double[] {mean - sd, mean, mean + sd}, 0.95);   // sample sd exactly sd
    }

    @Test
    void theRepetitionsToResolveFivePercentCountThatTShrinksWithN() {
        // The case: 3 rounds, a 95 % half-width of ±81.2 % (sd 0.327 of the mean). Scaling n by the squared
        // ratio of widths keeps t(2) = 4.30 and says 3 · (0.812 / 0.05)² = 792. By hand: z = 1.96 gives
        // (1.96 · 0.327 / 0.05)² = 164.3; t(166, 0.975) = 1.9743 gives 1.9743 · 0.327 / √167 = 0.04996 ≤ 0.05, while
        // at 166 rounds 0.05012 is not: 167.
        Difference d = threeRounds(0, 0.327);
        assertThat(d.halfWidth()).isCloseTo(0.8123, org.assertj.core.data.Offset.offset(1e-4));
        long old = (long) Math.ceil(3 * Math.pow(d.halfWidth() / 0.05, 2));
        assertThat(old).isEqualTo(792);

        assertThat(d.repetitionsToDecide(0.05, 0.025, 3)).isEqualTo(167);
    }

    @Test
    void theTargetIsTheDistanceFromTheEstimateToTheBoundAtTheLevelAsked() {
        // CrossoverTest's tied 1 KiB: differences −1, 1.5, 0 (mean 0.1667, sd 1.2583), margin 0.5, one-sided 5 %/6.
        // t(84, 1 − 0.05/6) · 1.2583 / √85 = 0.33341 > 0.33333; t(85, …) · 1.2583 / √86 = 0.33138: 86 rounds.
        Difference d = Difference.paired(new double[] {-1, 1.5, 0}, 0.95);
        assertThat(d.repetitionsToDecide(0.5 - d.estimate(), 0.05 / 6, 3)).isEqualTo(86);
        // nearer the bound needs more; on the bound nothing decides it
        assertThat(d.repetitionsToDecide(0.1, 0.05 / 6, 3)).isGreaterThan(86);
        assertThat(d.repetitionsToDecide(0, 0.05 / 6, 3)).isEqualTo(-1);
    }

    @Test
    void theSignFlipPValueCountsTheSignPatternsAtLeastAsExtreme() {
        // 4 rounds at −13, 6 at 0: only the patterns keeping all four negative reach −52, 2⁶ of 2¹⁰
        Difference d = Difference.paired(new double[] {-13, -13, -13, -13, 0, 0, 0, 0, 0, 0}, 0.95);
        assertThat(d.signFlipP(0, false)).isEqualTo(1.0 / 16);
        assertThat(d.signFlipP(0, true)).isEqualTo(1.0);
        // below 6 rounds a sign-flip test cannot reach 2.5 %: t decides alone
        assertThat(Difference.paired(new double[] {-1, -2, -3}, 0.95).signFlipP(0, false)).isNaN();
        assertThat(Difference.welch(Summary.of(new double[] {1, 2, 3, 4, 5, 6}, 0.95),
                Summary.of(new double[] {1, 2, 3, 4, 5, 6}, 0.95), 0.95).signFlipP(0, true)).isNaN();
    }

    @Test
    void equivalenceReadsTheNinetyPercentIntervalOfTheSameDifference() {
        Difference d = Difference.paired(new double[] {-1, 1.5, 0}, 0.95);
        Difference tost = d.atConfidence(Relation.tostConfidence(0.95));

        assertThat(Relation.tostConfidence(0.95)).isCloseTo(0.90, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(tost.estimate()).isEqualTo(d.estimate());
        // t(2, 0.95) = 2.920 against t(2, 0.975) = 4.303
        assertThat(tost.halfWidth() / d.halfWidth()).isCloseTo(2.920 / 4.303, org.assertj.core.data.Offset.offset(1e-3));
        // TOST's p-value is the larger one-sided p-value, which is ≤ 5 % exactly when the 90 % interval is within ±m
        double m = Math.max(Math.abs(tost.ciLow()), Math.abs(tost.ciHigh()));
        assertThat(Relation.tostP(d, m)).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Relation.tostP(d, m)).isEqualTo(Math.max(d.pAbove(-m), d.pBelow(m)));
    }
}
