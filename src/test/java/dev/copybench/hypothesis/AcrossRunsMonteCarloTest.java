package dev.copybench.hypothesis;

import dev.copybench.Metric;
import dev.copybench.internal.results.Baseline;
import dev.copybench.internal.results.RunFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A/A and power of the cross-run decisions on synthetic runs with a between-run effect (a run's level is
 * lognormal with sd 8 %), within-run noise from a skewed, bimodal cell distribution (85 % of cells near the run's
 * level, 15 % about 7 % lower: CV 3.2 %) and 10 repetitions a run, at a 5 % tolerance: the scenario. Each
 * rule's false REFUTED rate on a true claim must stay within its nominal 2.5 % (one-sided, the interval's 95 %) plus
 * three Monte-Carlo standard errors, and within the 3 % the scenario promises; the rate and the power at a true 20 %
 * regression are printed. The rule before run-to-run drift was modelled (Welch's interval over one run's repetitions)
 * is printed beside them for the record.
 */
class AcrossRunsMonteCarloTest {

    /** Draws behind each asserted false-alarm rate. */
    private static final int DRAWS = 10_000;
    /** Draws behind a rate that is printed (power, the rule replaced) or asserted with its own wider error. */
    private static final int POWER_DRAWS = 2_000;
    private static final double NOMINAL = 0.025;
    private static final double RUN_SD = 0.08;
    private static final int REPETITIONS = 10;
    private static final double TOLERANCE = 0.05;
    private static final double CONFIDENCE = 0.95;
    /** The cell distribution's mean, so a run's cells average its level. */
    private static final double CELL_MEAN = 0.85 * 1.0 + 0.15 * 0.93;

    /** One cell of a run at {@code level}: bimodal (a slow mode 7 % below, 15 % of cells) with 2 % noise on each mode. */
    private static double cell(SplittableRandom r, double level) {
        return level * ((r.nextDouble() < 0.15 ? 0.93 : 1.0) + 0.02 * gaussian(r)) / CELL_MEAN;
    }

    /** A run of the build whose level is {@code build}: the run's own level drifts around it (lognormal, sd ≈ 8 %). */
    private static double[] run(SplittableRandom r, double build) {
        double level = build * Math.exp(RUN_SD * gaussian(r) - RUN_SD * RUN_SD / 2);
        double[] v = new double[REPETITIONS];
        for (int i = 0; i < v.length; i++) {
            v[i] = cell(r, level);
        }
        return v;
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default, which is slower
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** The share of draws refuted, "this run's throughput ≥ baseline − 5 %", with the new build at {@code change}. */
    private static double refutedShare(int baselineRuns, double change, double drift, long seed, int draws) {
        SplittableRandom r = new SplittableRandom(seed);
        int refuted = 0;
        for (int i = 0; i < draws; i++) {
            List<double[]> before = new ArrayList<>();
            for (int k = 0; k < baselineRuns; k++) {
                before.add(run(r, 10));
            }
            Summary now = Summary.of(run(r, 10 * (1 + change)), CONFIDENCE);
            Verdict.Row row = AcrossRuns.row("c", Metric.THROUGHPUT_GBPS, now, before, TOLERANCE, CONFIDENCE, drift);
            if (Verdict.of("s", List.of(row), CONFIDENCE, "Gbps").outcome() == Outcome.REFUTED) {
                refuted++;
            }
        }
        return (double) refuted / draws;
    }

    /** The rule before: Welch's interval over one baseline run's repetitions, as if they were the population. */
    private static double oldRuleRefutedShare(double change, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int refuted = 0;
        for (int i = 0; i < POWER_DRAWS; i++) {
            Summary base = Summary.of(run(r, 10), CONFIDENCE);
            Summary now = Summary.of(run(r, 10 * (1 + change)), CONFIDENCE);
            if (Relation.AT_LEAST.decide(Difference.welch(now, base, CONFIDENCE), TOLERANCE * base.mean(), CONFIDENCE) == Outcome.REFUTED) {
                refuted++;
            }
        }
        return (double) refuted / POWER_DRAWS;
    }

    /** Nominal plus three Monte-Carlo standard errors of a rate at the nominal level over {@code draws}. */
    private static double bound(int draws) {
        return NOMINAL + 3 * Math.sqrt(NOMINAL * (1 - NOMINAL) / draws);
    }

    private static void report(String rule, double sameBuild, double atBoundary, int boundaryDraws, double power20,
                               double power40) {
        System.out.printf(Locale.ROOT, "[monte-carlo] %-44s false REFUTED %5.2f %% (same build, %d draws), %5.2f %% (a "
                        + "true 5 %% regression, the boundary, %d draws); power at a true 20 %% regression %5.1f %%, at "
                        + "40 %% %5.1f %% (%d draws each); run sd 8 %%, CV 3.2 %% bimodal, 10 repetitions, tolerance "
                        + "5 %%%n", rule, sameBuild * 100, DRAWS, atBoundary * 100, boundaryDraws, power20 * 100,
                power40 * 100, POWER_DRAWS);
    }

    @Test
    void oneBaselineRunRefutesTheSameBuildAtMostAtTheNominalRateAndBelowThreePercent() {
        double old = oldRuleRefutedShare(0, 1);
        double same = refutedShare(1, 0, Baseline.DEFAULT_DRIFT, 2, DRAWS);
        double boundary = refutedShare(1, -TOLERANCE, Baseline.DEFAULT_DRIFT, 3, DRAWS);
        double power = refutedShare(1, -0.20, Baseline.DEFAULT_DRIFT, 4, POWER_DRAWS);
        System.out.printf(Locale.ROOT, "[monte-carlo] %-44s false REFUTED %5.2f %% (same build, %d draws)%n",
                "before: Welch over one run's repetitions", old * 100, POWER_DRAWS);
        report("baseline, 1 run (assumed drift 10 %)", same, boundary, DRAWS, power,
                refutedShare(1, -0.40, Baseline.DEFAULT_DRIFT, 7, POWER_DRAWS));

        assertThat(old).as("the rule this replaces refutes the same build often").isGreaterThan(0.15);
        assertThat(same).isLessThanOrEqualTo(bound(DRAWS)).isLessThanOrEqualTo(0.03);
        assertThat(boundary).isLessThanOrEqualTo(bound(DRAWS));
        assertThat(power).as("a 20 % regression is refuted sometimes, even from one run").isGreaterThan(boundary);
    }

    @ParameterizedTest(name = "{0} baseline runs")
    @ValueSource(ints = {3, 5})
    void severalBaselineRunsRefuteATrueClaimAtMostAtTheNominalRate(int k) {
        double same = refutedShare(k, 0, Baseline.DEFAULT_DRIFT, 10 + k, DRAWS);
        double boundary = refutedShare(k, -TOLERANCE, Baseline.DEFAULT_DRIFT, 20 + k, DRAWS);
        double power = refutedShare(k, -0.20, Baseline.DEFAULT_DRIFT, 30 + k, POWER_DRAWS);
        report("baseline, " + k + " runs (run means, t on " + (k - 1) + " df)", same, boundary, DRAWS, power,
                refutedShare(k, -0.40, Baseline.DEFAULT_DRIFT, 40 + k, POWER_DRAWS));

        assertThat(same).as(k + " runs, same build").isLessThanOrEqualTo(bound(DRAWS)).isLessThanOrEqualTo(0.03);
        assertThat(boundary).as(k + " runs, a true 5 % regression").isLessThanOrEqualTo(bound(DRAWS));
        assertThat(power).as(k + " runs, a true 20 % regression").isGreaterThan(boundary);
    }

    // ---- compare: every plan × metric × configuration of one invocation, Holm across all of them

    private static final List<Metric> METRICS = Compare.KEY_METRICS;
    private static final List<String> MODES = List.of("ONE_COPY", "TWO_COPY");

    /**
     * A run's file in memory: one plan of 2 modes × 1 size, each key metric drawn with its own run-level shift
     * (a run's level is not the same for every metric and mode), the build's level changed by {@code change} in the
     * worse direction of each metric.
     */
    static RunFile runFile(SplittableRandom r, String id, double change) {
        List<RunFile.Cell> cells = new ArrayList<>();
        Map<String, double[][]> values = new java.util.HashMap<>();
        for (String mode : MODES) {
            double[][] perMetric = new double[METRICS.size()][];
            for (int m = 0; m < METRICS.size(); m++) {
                double worse = METRICS.get(m).isHigherBetter() ? 1 - change : 1 + change;
                perMetric[m] = run(r, 10 * worse);
            }
            values.put(mode, perMetric);
        }
        int index = 1;
        for (int rep = 1; rep <= REPETITIONS; rep++) {
            for (String mode : MODES) {
                List<RunFile.Value> v = new ArrayList<>();
                for (int m = 0; m < METRICS.size(); m++) {
                    Metric metric = METRICS.get(m);
                    v.add(new RunFile.Value(metric.name(), metric.side().label(), metric.unit(), values.get(mode)[m][rep - 1],
                            null));
                }
                cells.add(new RunFile.Cell(index++, mode, 65536, 1, "stream", rep, RunFile.Cell.MEASURED, null, v, null, null, null));
            }
        }
        RunFile.Plan plan = new RunFile.Plan("plan-1", "MonteCarloIT.method", MODES, List.of(65536L), List.of(1),
                List.of("stream"), 100, 1000, REPETITIONS, REPETITIONS, 0, "synthetic", "kernel defaults", Map.of(), cells,
                List.of(), "NAMESPACES", "test");
        RunFile.Host host = new RunFile.Host("Linux test", "test cpu", 2, null, true, true, Map.of(), Map.of(), "jdk");
        return new RunFile(RunFile.SCHEMA_VERSION, id, "", "", host, Map.of(), List.of(plan));
    }

    /** The share of compare invocations that exit 1 (any REFUTED), and the number of comparisons each decided. */
    private static double compareRegressionShare(int oldRuns, double change, long seed, int draws, int[] comparisons) {
        SplittableRandom r = new SplittableRandom(seed);
        Compare.Options options = new Compare.Options(TOLERANCE, Baseline.DEFAULT_DRIFT, false, false);
        int regressions = 0;
        for (int i = 0; i < draws; i++) {
            List<Baseline.Run> before = new ArrayList<>();
            for (int k = 0; k < oldRuns; k++) {
                before.add(new Baseline.Run(runFile(r, "old-" + k, 0), Path.of("old-" + k, "results.json")));
            }
            Compare.Decisions d = Compare.decide(before, Path.of("old"), runFile(r, "new", change), options);
            comparisons[0] = d.comparisons();
            if (d.count(Outcome.REFUTED) > 0) {
                regressions++;
            }
        }
        return (double) regressions / draws;
    }

    /**
     * The same build: 10,000 invocations. At the boundary (every comparison a true 5 % regression, where Holm's
     * correction across the 6 comparisons matters) 2,000, asserted within their own three standard errors.
     */
    @ParameterizedTest(name = "{0} old runs")
    @ValueSource(ints = {1, 3})
    void compareCallsTheSameBuildARegressionAtMostAtTheNominalRateAcrossAllItDecides(int k) {
        int[] comparisons = new int[1];
        double same = compareRegressionShare(k, 0, 40 + k, DRAWS, comparisons);
        double boundary = compareRegressionShare(k, TOLERANCE, 50 + k, POWER_DRAWS, comparisons);
        double power = compareRegressionShare(k, 0.20, 60 + k, POWER_DRAWS, comparisons);
        report("compare, " + k + " old run" + (k == 1 ? "" : "s") + ", Holm across " + comparisons[0], same, boundary,
                POWER_DRAWS, power, compareRegressionShare(k, 0.40, 70 + k, POWER_DRAWS, comparisons));

        assertThat(comparisons[0]).isEqualTo(METRICS.size() * MODES.size());
        assertThat(same).as(k + " old runs, same build").isLessThanOrEqualTo(bound(DRAWS)).isLessThanOrEqualTo(0.03);
        assertThat(boundary).as(k + " old runs, every comparison a true 5 % regression")
                .isLessThanOrEqualTo(bound(POWER_DRAWS));
        assertThat(power).as(k + " old runs, every comparison a true 20 % regression").isGreaterThan(boundary);
    }
}
