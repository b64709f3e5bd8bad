package dev.copybench.hypothesis;

import dev.copybench.BenchmarkResults;
import dev.copybench.MessageSize;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.plan.InvalidBenchmarkException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.TWO_COPY;
import static dev.copybench.CopyMode.ZERO_COPY;
import static dev.copybench.Metric.LLC_MISSES_PER_KIB;
import static dev.copybench.Metric.THROUGHPUT_GBPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The crossover finder on synthetic results whose crossover is known. */
class CrossoverTest {

    private static final List<String> SIZES = List.of("64", "1K", "16K", "64K", "1M");
    private final BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), SIZES, 3);

    /** One-copy at the given mean Gbps per size (with ±1 % jitter over repetitions); two-copy at 10. */
    private BenchmarkResults oneCopyAt(Map<String, Double> gbpsBySize) {
        return Synthetic.results(plan, c -> Values.gbps(jitter(c, c.mode() == ONE_COPY
                ? gbpsBySize.get(label(c.size())) : 10.0)));
    }

    private static double jitter(Cell c, double mean) {
        return mean * Synthetic.pick(c, 0.99, 1.0, 1.01);
    }

    private static String label(MessageSize s) {
        return SIZES.stream().filter(t -> MessageSize.parse(t).equals(s)).findFirst().orElseThrow();
    }

    @Test
    void findsTheSmallestSizeFromWhichTheChallengerKeepsWinningWithItsBracket() {
        BenchmarkResults r = oneCopyAt(Map.of("64", 5.0, "1K", 8.0, "16K", 12.0, "64K", 14.0, "1M", 13.0));

        Crossover.Finding f = r.crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS).at(1);

        assertThat(f.from()).contains(MessageSize.parse("16K"));
        assertThat(f.below()).contains(MessageSize.parse("1K"));
        assertThat(f.isNonMonotonic()).isFalse();
        assertThat(f.answer()).isEqualTo("ONE_COPY beats TWO_COPY on throughput (client) from 16 KiB "
                + "(between 1 KiB and 16 KiB) · 1 thread");
    }

    @Test
    void noCrossoverInTheTestedRangeIsAnAnswer() {
        BenchmarkResults r = oneCopyAt(Map.of("64", 5.0, "1K", 6.0, "16K", 7.0, "64K", 8.0, "1M", 9.0));

        Crossover.Finding f = r.crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS).at(1);

        assertThat(f.isDecidable()).isTrue();
        assertThat(f.from()).isEmpty();
        assertThat(f.answer()).isEqualTo("ONE_COPY never beats TWO_COPY on throughput (client) in the tested range "
                + "64 B … 1 MiB (every size shown worse or equivalent within ±5 %) · 1 thread: 64 B loses, 1 KiB loses, "
                + "16 KiB loses, 64 KiB loses, 1 MiB loses");
    }

    @Test
    void equivalentEverywhereIsNeverBeatingEither() {
        // the rounds disagree by ±0.5 %: no win, but equivalence within ±5 % shown
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(c.mode() == TWO_COPY ? 10.0
                : Synthetic.pick(c, 10.05, 9.95, 10.0)));

        Crossover.Finding f = r.crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS).at(1);

        assertThat(f.answer()).isEqualTo("ONE_COPY never beats TWO_COPY on throughput (client) in the tested range "
                + "64 B … 1 MiB (every size shown worse or equivalent within ±5 %) · 1 thread: 64 B equivalent, "
                + "1 KiB equivalent, 16 KiB equivalent, 64 KiB equivalent, 1 MiB equivalent");
    }

    @Test
    void anUnmeasuredSizeIsNeverPartOfNever() {
        BenchmarkResults r = new BenchmarkResults(plan, Synthetic.host(), "synthetic");
        for (Cell cell : plan.cells()) {
            if (cell.mode() == ONE_COPY && label(cell.size()).equals("1K")) {
                r.addUnmeasurable(cell, "the path failed to start at this size");
            } else {
                r.add(Synthetic.cell(cell, Values.gbps(jitter(cell, cell.mode() == ONE_COPY ? 5.0 : 10.0))));
            }
        }

        Crossover.Finding f = r.crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS).at(1);

        assertThat(f.isDecidable()).isTrue();
        assertThat(f.from()).isEmpty();
        assertThat(f.answer()).isEqualTo("ONE_COPY does not beat TWO_COPY on throughput (client) at the largest tested "
                + "size (1 MiB loses): no crossover in the tested range 64 B … 1 MiB · 1 thread: 64 B loses, 1 KiB "
                + "unmeasured, 16 KiB loses, 64 KiB loses, 1 MiB loses; not measured at 1 KiB: the path failed to start "
                + "at this size");
    }

    @Test
    void aTiedSizeBelowTheWinsIsNoBracket() {
        // 86 rounds: the paired differences -1, 1.5, 0 (sd 1.258) put the estimate 0.167 at 0.333 from the margin 0.5;
        // four differences are shown, so Holm's next level is 5 % / 6, and t(85, 1 − 0.05/6) · 1.258 / √86 < 0.333
        // while t(84, …) · 1.258 / √85 is not (see DifferenceTest)
        // at 1 KiB one-copy's rounds disagree: neither a win nor equivalence within ±5 % is shown
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(c.mode() == TWO_COPY ? 10.0
                : label(c.size()).equals("1K") ? Synthetic.pick(c, 9.0, 11.5, 10.0)
                : jitter(c, Map.of("64", 5.0, "16K", 12.0, "64K", 14.0, "1M", 13.0).get(label(c.size())))));

        Crossover.Finding f = r.crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS).at(1);

        assertThat(f.from()).contains(MessageSize.parse("16K"));
        assertThat(f.below()).isEmpty();
        assertThat(f.answer()).isEqualTo("ONE_COPY beats TWO_COPY on throughput (client) from 16 KiB at the latest: at "
                + "1 KiB tied, about 86 rounds (now 3) would show equivalence within ±5 % at the measured spread "
                + "(±31.3 % now), so it may cross lower · 1 thread: 64 B loses, 1 KiB tied, 16 KiB wins, 64 KiB wins, "
                + "1 MiB wins");
    }

    @Test
    void aTiedLargestSizeLeavesTheCrossoverUndecidableSayingWhatWouldDecideIt() {
        BenchmarkResults r = Synthetic.results(plan, c -> Values.gbps(c.mode() == TWO_COPY ? 10.0
                : label(c.size()).equals("1M") ? Synthetic.pick(c, 9.0, 11.5, 10.0)
                : jitter(c, Map.of("64", 5.0, "1K", 8.0, "16K", 12.0, "64K", 14.0).get(label(c.size())))));

        Crossover.Finding f = r.crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS).at(1);

        assertThat(f.isDecidable()).isFalse();
        assertThat(f.answer()).isEqualTo("ONE_COPY beats TWO_COPY on throughput (client): undecidable at this precision "
                + "at 1 MiB, the largest tested size: about 86 rounds (now 3) would show equivalence within ±5 % at the "
                + "measured spread (±31.3 % now) · 1 thread: 64 B loses, 1 KiB loses, 16 KiB wins, 64 KiB wins, 1 MiB tied");
    }

    @Test
    void theFindingsOfOneQuestionAreControlledTogether() {
        // one-copy is ahead in every round at 64 B (two-sided p ≈ 0.013): shown alone, not among ten sizes
        List<String> ten = List.of("64", "128", "256", "512", "1K", "2K", "4K", "8K", "16K", "32K");
        Function<Cell, Values> values = c -> Values.gbps(c.mode() == TWO_COPY ? 10
                : c.size().bytes() == 64 ? Synthetic.pick(c, 11.0, 11.2, 10.8) : Synthetic.pick(c, 9.0, 11.0, 10.0));
        Crossover alone = Synthetic.results(Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64"), 3), values)
                .crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS);
        Crossover among = Synthetic.results(Synthetic.plan(List.of(TWO_COPY, ONE_COPY), ten, 3), values)
                .crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS);

        assertThat(alone.at(1).points().get(0).standing()).isEqualTo(Crossover.Standing.WINS);
        assertThat(among.at(1).points().get(0).standing()).isEqualTo(Crossover.Standing.TIED);
        assertThat(among.toString()).endsWith("\nFamily-wise 5 %: Holm's correction across the 20 tests of this finding "
                + "(at each measured size a two-sided difference, and an equivalence within ±5 % by two one-sided tests).");
    }

    @Test
    void noWinAtTheLargestSizeMeansNoCrossoverEvenIfItWinsBelow() {
        BenchmarkResults r = oneCopyAt(Map.of("64", 5.0, "1K", 8.0, "16K", 12.0, "64K", 14.0, "1M", 10.0));

        Crossover.Finding f = r.crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS).at(1);

        assertThat(f.from()).isEmpty();
        assertThat(f.points()).extracting(Crossover.Point::standing).containsExactly(Crossover.Standing.LOSES,
                Crossover.Standing.LOSES, Crossover.Standing.WINS, Crossover.Standing.WINS, Crossover.Standing.EQUIVALENT);
        assertThat(f.isNonMonotonic()).isTrue();
        assertThat(f.isDecidable()).isTrue();
        assertThat(f.answer()).isEqualTo("ONE_COPY does not beat TWO_COPY on throughput (client) at the largest tested "
                + "size (1 MiB equivalent): no crossover in the tested range 64 B … 1 MiB; it wins only at 16 KiB, 64 KiB"
                + " · 1 thread: 64 B loses, 1 KiB loses, 16 KiB wins, 64 KiB wins, 1 MiB equivalent");
    }

    @Test
    void nonMonotonicDataCrossesWhereTheWinningStreakToTheLargestSizeBegins() {
        BenchmarkResults r = oneCopyAt(Map.of("64", 12.0, "1K", 8.0, "16K", 12.0, "64K", 14.0, "1M", 13.0));

        Crossover.Finding f = r.crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS).at(1);

        assertThat(f.from()).contains(MessageSize.parse("16K"));
        assertThat(f.below()).contains(MessageSize.parse("1K"));
        assertThat(f.isNonMonotonic()).isTrue();
        assertThat(f.answer()).endsWith("; non-monotonic: 64 B wins, 1 KiB loses, 16 KiB wins, 64 KiB wins, 1 MiB wins");
    }

    @Test
    void winningEverywhereCrossesAtTheSmallestSizeWithNoBracketBelow() {
        BenchmarkResults r = oneCopyAt(Map.of("64", 12.0, "1K", 12.0, "16K", 12.0, "64K", 12.0, "1M", 12.0));

        Crossover.Finding f = r.crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS).at(1);

        assertThat(f.from()).contains(MessageSize.parse("64"));
        assertThat(f.below()).isEmpty();
        assertThat(f.answer()).isEqualTo("ONE_COPY beats TWO_COPY on throughput (client) from 64 B (the smallest "
                + "tested size: it may cross lower) · 1 thread");
    }

    @Test
    void forACostMetricFewerIsBetter() {
        BenchmarkPlan zc = Synthetic.plan(List.of(TWO_COPY, ZERO_COPY), List.of("4K", "256K"), 3);
        // zero-copy misses less than two-copy at 256 KiB only
        Function<Cell, Values> misses = c -> Values.gbps(10).withCounter("LLC-load-misses",
                jitter(c, c.mode() == ZERO_COPY && c.size().bytes() > 4096 ? 100 : 1000), "");
        BenchmarkResults r = Synthetic.results(zc, misses);

        Crossover.Finding f = r.crossover(ZERO_COPY, TWO_COPY, LLC_MISSES_PER_KIB).at(1);

        assertThat(f.from()).contains(MessageSize.parse("256K"));
        assertThat(f.below()).contains(MessageSize.parse("4K"));
    }

    @Test
    void aCounterTheHostCannotCountMakesTheFindingUndecidableNamingIt() {
        BenchmarkPlan zc = Synthetic.plan(List.of(TWO_COPY, ZERO_COPY), List.of("4K", "256K"), 3);
        BenchmarkResults r = Synthetic.results(zc, c -> Values.gbps(10).withUnsupported("LLC-load-misses"));

        Crossover.Finding f = r.crossover(ZERO_COPY, TWO_COPY, LLC_MISSES_PER_KIB).at(1);

        assertThat(f.isDecidable()).isFalse();
        assertThat(f.from()).isEmpty();
        assertThat(f.answer()).startsWith("undecidable: at 256 KiB: LLC load misses per KiB (server) not measurable: "
                + "LLC-load-misses is <not supported> on this host");
    }

    @Test
    void aModeOutsideTheMatrixIsAClearError() {
        BenchmarkResults r = oneCopyAt(Map.of("64", 5.0, "1K", 5.0, "16K", 5.0, "64K", 5.0, "1M", 5.0));

        assertThatThrownBy(() -> r.crossover(ZERO_COPY, TWO_COPY, THROUGHPUT_GBPS))
                .isInstanceOf(InvalidBenchmarkException.class)
                .hasMessage("the crossover needs ZERO_COPY, which is not in the matrix (modes [TWO_COPY, ONE_COPY]): "
                        + "add it to the annotation");
    }
}
