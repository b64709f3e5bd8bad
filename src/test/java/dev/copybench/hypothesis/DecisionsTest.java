package dev.copybench.hypothesis;

import dev.copybench.BenchmarkResults;
import dev.copybench.MessageSize;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.internal.plan.BenchmarkPlan;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.List;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.TWO_COPY;
import static dev.copybench.Metric.THROUGHPUT_GBPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

/** How verdicts are decided at this noise: pairing by round, Holm across rows, equivalence, the crossover's "never". */
class DecisionsTest {

    private static final List<String> TEN_SIZES = List.of("64", "128", "256", "512", "1K", "2K", "4K", "8K", "16K", "32K");

    @Test
    void aRowRefutedOnItsOwnButNotAfterHolmAcrossTenRowsLeavesTheHypothesisUndecidable() {
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), TEN_SIZES, 3);
        // at 64 B one-copy is lower in every round (p ≈ 0.007 one-sided); elsewhere the rounds disagree
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(c.mode() == TWO_COPY ? 10
                : c.size().equals(MessageSize.parse("64")) ? Synthetic.pick(c, 9.0, 8.8, 9.2)
                : Synthetic.pick(c, 9.0, 11.0, 10.0)));

        assertThatThrownBy(() -> assertThat(r).metric(THROUGHPUT_GBPS).of(ONE_COPY).isAtLeast(TWO_COPY))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("(no row refuted after Holm's correction across 10 rows at one-sided 2.5 %, and not every row holds)")
                .hasMessageContaining("refuted on its own (p = 0.00")
                .hasMessageContaining("but not after Holm's correction across 10 rows (it needed p ≤ 0.00250); about 4 "
                        + "rounds (now 3) at the measured spread would reach it");

        // the same row alone is refuted: one comparison needs no correction
        assertThatThrownBy(() -> assertThat(r).metric(THROUGHPUT_GBPS).forSize("64").of(ONE_COPY).isAtLeast(TWO_COPY))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("REFUTED: throughput (client) of ONE_COPY ≥ TWO_COPY for size 64 B (the row is refuted at one-sided 2.5 %)");
    }

    @Test
    void fromSixRoundsTheSignFlipTestMustAgreeWithT() {
        // two regimes: in 4 of 10 rounds one-copy landed on the slow one (10 instead of 23 Gbps), in 6 both were fast.
        // t (p ≈ 0.018 one-sided) would refute "≥"; the sign-flip test cannot tell 4 slow rounds from luck (p = 1/16)
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64K"), 10);
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(c.mode() == TWO_COPY ? 23
                : Synthetic.pick(c, 10, 10, 10, 10, 23, 23, 23, 23, 23, 23)));

        assertThatThrownBy(() -> assertThat(r).metric(THROUGHPUT_GBPS).of(ONE_COPY).isAtLeast(TWO_COPY))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("t says REFUTED, but the sign-flip permutation test of the 10 rounds does not agree "
                        + "(p = 0.0625 > 2.5 %)");
    }

    @Test
    void modesArePairedByRoundSoDriftSharedByARoundCancels() {
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64K"), 3);
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(Synthetic.pick(c, 7.0, 10.0, 13.0)
                + (c.mode() == ONE_COPY ? 0.5 : 0)));

        Verdict v = assertThat(r).metric(THROUGHPUT_GBPS).of(ONE_COPY).isGreaterThan(TWO_COPY);

        assertThat(v.outcome()).isEqualTo(Outcome.HOLDS);
        assertThat(v.rows()).singleElement().satisfies(row -> {
            assertThat(row.difference().method()).isEqualTo("paired");
            Difference welch = Difference.welch(row.left(), row.right(), 0.95);
            assertThat(welch.ciLow()).as("Welch counts the drift as noise").isNegative();
        });
    }

    @Test
    void equivalenceHoldsIsRefutedOrIsUndecidableWithThePrecisionReached() {
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64K"), 3);
        BenchmarkResults close = Synthetic.results(plan, c -> Values.gbps(c.mode() == TWO_COPY ? 10
                : Synthetic.pick(c, 10.1, 9.9, 10.05)));
        BenchmarkResults far = Synthetic.results(plan, c -> Values.gbps(c.mode() == TWO_COPY ? 10
                : Synthetic.pick(c, 15.1, 14.9, 15.0)));
        BenchmarkResults noisy = Synthetic.results(plan, c -> Values.gbps(c.mode() == TWO_COPY ? 10
                : Synthetic.pick(c, 9.0, 11.5, 10.0)));

        Verdict equivalent = assertThat(close).metric(THROUGHPUT_GBPS).of(ONE_COPY).isCloseTo(TWO_COPY, withinPercentage(5));
        assertThat(equivalent.outcome()).isEqualTo(Outcome.HOLDS);
        // the conventional 5 % TOST: the 90 % interval, and the larger of the two one-sided p-values
        assertThat(equivalent.rule()).isEqualTo("the row holds at two one-sided tests at 5 % (the 90 % interval within "
                + "the margin)");
        assertThat(equivalent.rows()).singleElement().satisfies(row -> {
            Difference d = row.difference();
            assertThat(d.halfWidth()).isCloseTo(2.920 * d.standardError(), org.assertj.core.data.Offset.offset(1e-3));
            double p = Math.max(d.pAbove(-0.5), d.pBelow(0.5));
            assertThat(row.reason()).isEqualTo(String.format(java.util.Locale.ROOT,
                    "two one-sided tests: p = max(%.3g, %.3g) = %.3g ≤ 5 %%", d.pAbove(-0.5), d.pBelow(0.5), p));
        });
        assertThatThrownBy(() -> assertThat(far).metric(THROUGHPUT_GBPS).of(ONE_COPY).isCloseTo(TWO_COPY, withinPercentage(5)))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("REFUTED: throughput (client) of ONE_COPY ≈ TWO_COPY within ±5.0 %");
        assertThatThrownBy(() -> assertThat(noisy).metric(THROUGHPUT_GBPS).of(ONE_COPY).isCloseTo(TWO_COPY, withinPercentage(5)))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("cannot tell at this precision")
                .hasMessageContaining("straddles ±0.5000");
    }

    @Test
    void theCrossoverSaysNeverOnlyWhenEverySizeIsShownWorseOrEquivalent() {
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64", "64K"), 3);
        BenchmarkResults never = Synthetic.results(plan, c -> Values.gbps(c.mode() == TWO_COPY ? 10
                : c.size().bytes() == 64 ? Synthetic.pick(c, 5.0, 5.1, 4.9) : Synthetic.pick(c, 10.05, 9.95, 10.0)));
        BenchmarkResults imprecise = Synthetic.results(plan, c -> Values.gbps(c.mode() == TWO_COPY ? 10
                : c.size().bytes() == 64 ? Synthetic.pick(c, 5.0, 5.1, 4.9) : Synthetic.pick(c, 9.0, 11.5, 10.0)));

        Crossover.Finding shown = never.crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS).at(1);
        Crossover.Finding notShown = imprecise.crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS).at(1);

        assertThat(shown.isDecidable()).isTrue();
        assertThat(shown.answer()).isEqualTo("ONE_COPY never beats TWO_COPY on throughput (client) in the tested range "
                + "64 B … 64 KiB (every size shown worse or equivalent within ±5 %) · 1 thread: 64 B loses, 64 KiB equivalent");
        assertThat(notShown.isDecidable()).isFalse();
        assertThat(notShown.answer()).isEqualTo("ONE_COPY beats TWO_COPY on throughput (client): undecidable at this "
                + "precision at 64 KiB, the largest tested size: about 68 rounds (now 3) would show equivalence within ±5 % "
                + "at the measured spread (±31.3 % now) · 1 thread: 64 B loses, 64 KiB tied");
    }
}
