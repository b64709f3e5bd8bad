package dev.copybench.hypothesis;

import dev.copybench.BenchmarkResults;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.plan.InvalidBenchmarkException;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.List;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.TWO_COPY;
import static dev.copybench.CopyMode.ZERO_COPY;
import static dev.copybench.Metric.LLC_MISSES_PER_KIB;
import static dev.copybench.Metric.THROUGHPUT_GBPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verdicts on synthetic results whose answer is known. */
class VerdictTest {

    private final BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64K"), 3);

    @Test
    void holdsWhenTheWholeIntervalIsOnTheRightSide() {
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(c.mode() == ONE_COPY
                ? Synthetic.pick(c, 20.0, 20.4, 19.8) : Synthetic.pick(c, 15.0, 15.3, 14.9)));

        Verdict v = assertThat(r).metric(THROUGHPUT_GBPS).of(ONE_COPY).isGreaterThan(TWO_COPY);

        assertThat(v.outcome()).isEqualTo(Outcome.HOLDS);
        assertThat(v.rows()).singleElement().satisfies(row -> {
            assertThat(row.left().mean()).isCloseTo(20.0667, org.assertj.core.data.Offset.offset(1e-3));
            assertThat(row.difference().ciLow()).isGreaterThan(0);
        });
    }

    @Test
    void refutedWhenTheWholeIntervalIsOnTheWrongSideAndTheMessageShowsTheData() {
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(c.mode() == ONE_COPY
                ? Synthetic.pick(c, 10.0, 10.2, 9.9) : Synthetic.pick(c, 15.0, 15.3, 14.9)));

        assertThatThrownBy(() -> assertThat(r).metric(THROUGHPUT_GBPS).of(ONE_COPY).isGreaterThan(TWO_COPY))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("REFUTED: throughput (client) of ONE_COPY > TWO_COPY")
                .hasMessageContaining("ONE_COPY · 64 KiB · 1 thread vs TWO_COPY")
                .hasMessageContaining("10.03 [")   // the left mean with its interval
                .hasMessageContaining("15.07 [");
    }

    @Test
    void aDescriptionGivenWithAsCarriesIntoTheDerivedAssertsAndTheVerdict() {
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(c.mode() == ONE_COPY
                ? Synthetic.pick(c, 10.0, 10.2, 9.9) : Synthetic.pick(c, 15.0, 15.3, 14.9)));

        assertThatThrownBy(() -> assertThat(r).as("Q4 at %s", "64K").metric(THROUGHPUT_GBPS).of(ONE_COPY).isGreaterThan(TWO_COPY))
                .hasMessageStartingWith("REFUTED: [Q4 at 64K] throughput (client) of ONE_COPY > TWO_COPY");
        assertThatThrownBy(() -> assertThat(r).metric(THROUGHPUT_GBPS).of(ONE_COPY).as("late").isGreaterThan(TWO_COPY))
                .hasMessageStartingWith("REFUTED: [late] throughput");
        assertThat(assertThat(r).as("kept").metric(THROUGHPUT_GBPS).of(TWO_COPY).isGreaterThan(ONE_COPY).statement())
                .startsWith("[kept] ");
    }

    @Test
    void undecidableWhenIntervalsOverlap() {
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(c.mode() == ONE_COPY
                ? Synthetic.pick(c, 15.0, 16.0, 14.0) : Synthetic.pick(c, 15.2, 15.9, 14.4)));

        assertThatThrownBy(() -> assertThat(r).metric(THROUGHPUT_GBPS).of(ONE_COPY).isGreaterThan(TWO_COPY))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("UNDECIDABLE")
                .hasMessageContaining("cannot tell at this precision: the 95 % interval of the difference")
                .hasMessageContaining("(paired) straddles the margin 0");
    }

    @Test
    void undecidableNamingTheCounterWhenTheHostCannotCountIt() {
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(10).withUnsupported("LLC-load-misses"));

        assertThatThrownBy(() -> assertThat(r).metric(LLC_MISSES_PER_KIB).of(ONE_COPY).isAtMost(TWO_COPY))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("LLC-load-misses is <not supported> on this host (server side)");
    }

    @Test
    void undecidableWithOneRepetition() {
        BenchmarkPlan once = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64K"), 1);
        BenchmarkResults r = Synthetic.results(once, c -> Values.gbps(c.mode() == ONE_COPY ? 20 : 10));

        assertThatThrownBy(() -> assertThat(r).metric(THROUGHPUT_GBPS).of(ONE_COPY).isGreaterThan(TWO_COPY))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("too few repetitions of ONE_COPY · 64 KiB · 1 thread: 1 ran; a confidence interval needs at least 2");
    }

    @Test
    void undecidableWhenTrueZeroCopyIsRequiredButTheKernelCopied() {
        BenchmarkPlan zc = Synthetic.plan(List.of(TWO_COPY, ZERO_COPY), List.of("64K"), 2);
        BenchmarkResults r = Synthetic.results(zc, c -> c.mode() == ZERO_COPY
                ? Values.gbps(Synthetic.pick(c, 30, 31)).copied(1.0) : Values.gbps(Synthetic.pick(c, 20, 21)));

        assertThat(assertThat(r).metric(THROUGHPUT_GBPS).of(ZERO_COPY).isGreaterThan(TWO_COPY).outcome())
                .isEqualTo(Outcome.HOLDS);
        assertThatThrownBy(() -> assertThat(r).metric(THROUGHPUT_GBPS).requiringTrueZeroCopy()
                .of(ZERO_COPY).isGreaterThan(TWO_COPY))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("zero-copy was copied: the kernel completed 100.0 % of zero-copy sends");
    }

    @Test
    void toleranceWidensAtMostAndNarrowsLessThan() {
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(c.mode() == ONE_COPY
                ? Synthetic.pick(c, 10.3, 10.31, 10.29) : Synthetic.pick(c, 10.0, 10.01, 9.99)));

        assertThat(assertThat(r).metric(THROUGHPUT_GBPS).withTolerance(0.05).of(ONE_COPY).isAtMost(TWO_COPY).outcome())
                .isEqualTo(Outcome.HOLDS);
        assertThatThrownBy(() -> assertThat(r).metric(THROUGHPUT_GBPS).of(ONE_COPY).isAtMost(TWO_COPY))
                .isInstanceOf(AssertionFailedError.class);
    }

    @Test
    void aSelectionOutsideTheMatrixIsAnError() {
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(10));

        assertThatThrownBy(() -> assertThat(r).metric(THROUGHPUT_GBPS).forSize("1M").of(ONE_COPY).isAtMost(TWO_COPY))
                .isInstanceOf(InvalidBenchmarkException.class)
                .hasMessageContaining("selects no cell of the matrix");
    }

    @Test
    void undecidableNamingSoZeroCopyWhenTheKernelCannotDoZeroCopy() {
        BenchmarkPlan zc = Synthetic.plan(List.of(TWO_COPY, ZERO_COPY), List.of("64K"), 3);
        BenchmarkResults r = new BenchmarkResults(zc, Synthetic.host(), "synthetic");
        for (Cell cell : zc.cells()) {
            if (cell.mode() == ZERO_COPY) {
                r.addUnmeasurable(cell, "SO_ZEROCOPY is not available on this kernel (setsockopt fails)");
            } else {
                r.add(Synthetic.cell(cell, Values.gbps(10 + cell.repetition())));
            }
        }

        assertThatThrownBy(() -> assertThat(r).metric(THROUGHPUT_GBPS).of(ZERO_COPY).isAtLeast(TWO_COPY))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageStartingWith("UNDECIDABLE")
                .hasMessageContaining("SO_ZEROCOPY is not available on this kernel");
    }
}
