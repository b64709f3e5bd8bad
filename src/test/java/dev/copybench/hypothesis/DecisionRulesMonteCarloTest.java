package dev.copybench.hypothesis;

import dev.copybench.BenchmarkResults;
import dev.copybench.Configuration;
import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Metric;
import dev.copybench.Synthetic;
import dev.copybench.internal.plan.BenchmarkPlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.TWO_COPY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A/A checks of the within-run decision rules: on {@link SyntheticCells} (a between-round shift, within-run noise,
 * and a lognormal or bimodal cell), each rule's false-alarm rate over {@value #DRAWS} seeded draws stays within its
 * nominal level plus three Monte-Carlo standard errors; its power at one stated effect is printed beside it.
 */
class DecisionRulesMonteCarloTest {

    static final int DRAWS = 10_000;
    private static final MessageSize SMALL = MessageSize.parse("64");
    private static final MessageSize LARGE = MessageSize.parse("64K");

    static Stream<Arguments> noise() {
        return Stream.of(Arguments.of(SyntheticCells.Shape.LOGNORMAL, 3), Arguments.of(SyntheticCells.Shape.BIMODAL, 3),
                Arguments.of(SyntheticCells.Shape.BIMODAL, 10));
    }

    /** Paired rules also at 5 rounds, the most where t decides alone (a sign-flip test cannot reach 2.5 % below 6). */
    static Stream<Arguments> pairedNoise() {
        return Stream.concat(noise(), Stream.of(Arguments.of(SyntheticCells.Shape.BIMODAL, 5)));
    }

    private static SyntheticCells cells(SyntheticCells.Shape shape, long seed) {
        return shape == SyntheticCells.Shape.BIMODAL ? SyntheticCells.bimodal(seed) : SyntheticCells.lognormal(seed);
    }

    /** A share of draws with its Monte-Carlo standard error. */
    record Rate(int hits, int draws) {
        double value() {
            return (double) hits / draws;
        }

        /** The standard error of a rate whose true value is {@code nominal}: what the bound allows above it. */
        static double standardError(double nominal, int draws) {
            return Math.sqrt(nominal * (1 - nominal) / draws);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f %%", value() * 100);
        }
    }

    /** How often {@code event} happens over the draws of one noise model and truth. */
    private static <T> Rate rate(SyntheticCells noise, BenchmarkPlan plan, ToDoubleFunction<Configuration> truth,
                                 Function<BenchmarkResults, T> decide, Predicate<T> event) {
        int hits = 0;
        for (int i = 0; i < DRAWS; i++) {
            if (event.test(decide.apply(noise.draw(plan, truth)))) {
                hits++;
            }
        }
        return new Rate(hits, DRAWS);
    }

    private static void report(String rule, SyntheticCells noise, int repetitions, Rate falseAlarm, double nominal,
                               Rate power, String effect) {
        System.out.printf(Locale.ROOT, "[monte-carlo] %-45s | %-52s | n=%2d | false alarm %6s (nominal %s) | power %6s at %s%n",
                rule, noise, repetitions, falseAlarm, Relation.percent(nominal), power, effect);
        assertThat(falseAlarm.value()).as("%s: false-alarm rate under %s, n = %d", rule, noise, repetitions)
                .isLessThanOrEqualTo(nominal + 3 * Rate.standardError(nominal, DRAWS));
    }

    /** The verdict of {@code left relation right} on throughput, as the DSL decides it (without enforcing it). */
    private static Verdict modes(BenchmarkResults r, Relation relation, double tolerance) {
        Hypothesis.Selection sel = new Hypothesis.Selection(Metric.THROUGHPUT_GBPS, c -> c.mode() == ONE_COPY, tolerance,
                0.95, false);
        return Hypothesis.evaluate(r, sel, new Hypothesis.Counterpart.Other(
                c -> new Configuration(TWO_COPY, c.size(), c.threads(), c.workload()), "TWO_COPY", true), relation, "mc");
    }

    private static Verdict sizes(BenchmarkResults r, Relation relation) {
        Hypothesis.Selection sel = new Hypothesis.Selection(Metric.THROUGHPUT_GBPS, c -> c.size().equals(LARGE), 0,
                0.95, false);
        return Hypothesis.evaluate(r, sel, new Hypothesis.Counterpart.Other(
                c -> new Configuration(c.mode(), SMALL, c.threads(), c.workload()), "64 B", false), relation, "mc");
    }

    private static Predicate<Verdict> is(Outcome o) {
        return v -> v.outcome() == o;
    }

    @ParameterizedTest(name = "{0} cells, {1} repetitions")
    @MethodSource("pairedNoise")
    void modeComparisonRefutesATrueClaimAtMostTwoAndAHalfPercent(SyntheticCells.Shape shape, int n) {
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64K"), n);
        SyntheticCells noise = cells(shape, 1);

        // ONE_COPY ≥ TWO_COPY, true at equality
        Rate falseAlarm = rate(noise, plan, c -> 1.0, r -> modes(r, Relation.AT_LEAST, 0), is(Outcome.REFUTED));
        Rate power = rate(cells(shape, 2), plan, c -> c.mode() == ONE_COPY ? 0.8 : 1.0,
                r -> modes(r, Relation.AT_LEAST, 0), is(Outcome.REFUTED));

        report("mode comparison (paired, one-sided)", noise, n, falseAlarm, 0.025, power, "one-copy 20 % lower");
    }

    @ParameterizedTest(name = "{0} cells, {1} repetitions")
    @MethodSource("noise")
    void sizeComparisonRefutesATrueClaimAtMostTwoAndAHalfPercent(SyntheticCells.Shape shape, int n) {
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY), List.of("64", "64K"), n);
        SyntheticCells noise = cells(shape, 3);

        // at 64 KiB ≥ at 64 B, true at equality
        Rate falseAlarm = rate(noise, plan, c -> 1.0, r -> sizes(r, Relation.AT_LEAST), is(Outcome.REFUTED));
        Rate power = rate(cells(shape, 4), plan, c -> c.size().equals(LARGE) ? 0.8 : 1.0,
                r -> sizes(r, Relation.AT_LEAST), is(Outcome.REFUTED));

        report("size comparison (Welch, one-sided)", noise, n, falseAlarm, 0.025, power, "64 KiB 20 % lower");
    }

    @ParameterizedTest(name = "{0} cells, {1} repetitions")
    @MethodSource("noise")
    void equivalenceHoldsAtTheMarginAtMostFivePercent(SyntheticCells.Shape shape, int n) {
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64K"), n);
        SyntheticCells noise = cells(shape, 5);

        // ONE_COPY ≈ TWO_COPY within ±5 %, false when one-copy is 5 % above: "equivalent" is the false alarm
        Rate falseAlarm = rate(noise, plan, c -> c.mode() == ONE_COPY ? 1.05 : 1.0,
                r -> modes(r, Relation.CLOSE_TO, 0.05), is(Outcome.HOLDS));
        Rate power = rate(cells(shape, 6), plan, c -> 1.0, r -> modes(r, Relation.CLOSE_TO, 0.05), is(Outcome.HOLDS));

        report("equivalence ±5 % (TOST)", noise, n, falseAlarm, 0.05, power, "no difference");
    }

    @ParameterizedTest(name = "{0} cells, {1} repetitions")
    @MethodSource("noise")
    void equivalenceRefutesATrueClaimAtMostTwoAndAHalfPercent(SyntheticCells.Shape shape, int n) {
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64K"), n);
        SyntheticCells noise = cells(shape, 7);

        // true at the margin: one-copy 5 % below (the margin is 5 % of two-copy's mean)
        Rate falseAlarm = rate(noise, plan, c -> c.mode() == ONE_COPY ? 0.95 : 1.0,
                r -> modes(r, Relation.CLOSE_TO, 0.05), is(Outcome.REFUTED));
        Rate power = rate(cells(shape, 8), plan, c -> c.mode() == ONE_COPY ? 0.8 : 1.0,
                r -> modes(r, Relation.CLOSE_TO, 0.05), is(Outcome.REFUTED));

        report("equivalence ±5 % refuted", noise, n, falseAlarm, 0.025, power, "one-copy 20 % lower");
    }

    @ParameterizedTest(name = "{0} cells, {1} repetitions")
    @MethodSource("noise")
    void theCrossoverStatesAFalseStandingAtMostFivePercentOfTheTime(SyntheticCells.Shape shape, int n) {
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64", "1K", "16K", "64K"), n);
        SyntheticCells noise = cells(shape, 9);
        // one-copy equal to two-copy up to 1 KiB, 30 % faster from 16 KiB: the crossover is 16 KiB, between 1 and 16
        ToDoubleFunction<Configuration> truth = c -> c.mode() == ONE_COPY && c.size().bytes() >= 16384 ? 1.3 : 1.0;
        Function<BenchmarkResults, Crossover.Finding> finding = r -> r.crossover(ONE_COPY, TWO_COPY,
                Metric.THROUGHPUT_GBPS).at(1);

        Rate falseAlarm = rate(noise, plan, truth, finding, f -> f.points().stream().anyMatch(p -> switch (p.standing()) {
            case WINS, LOSES -> p.size().bytes() < 16384;   // a difference where there is none
            case EQUIVALENT -> p.size().bytes() >= 16384;   // "equivalent" 30 % apart
            default -> false;
        } || p.standing() == Crossover.Standing.LOSES));
        Rate power = rate(cells(shape, 10), plan, truth, finding,
                f -> f.from().equals(java.util.Optional.of(MessageSize.parse("16K"))));

        report("crossover (Holm across 8 tests, family-wise)", noise, n, falseAlarm, 0.05, power,
                "+30 % from 16 KiB: crossover found at 16 KiB");
    }
}
