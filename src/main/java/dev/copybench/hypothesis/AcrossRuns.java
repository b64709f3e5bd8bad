package dev.copybench.hypothesis;

import dev.copybench.Metric;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * "This run is not worse than the baseline" decided with the run as the unit, as Kalibera and Jones ("Rigorous
 * benchmarking in reasonable time") model it: a run's level shifts from one run to the next (a random effect), so
 * its repetitions tell how precisely that run's mean is known, not where the next run of the same build will land.
 * The new run is one more draw of the run-level distribution:
 * <ul>
 *   <li>with k ≥ 2 baseline runs, new mean − mean of the k run means has variance τ²(1 + 1/k), τ² estimated by the
 *   variance of the baseline runs' means (between-run variance plus their own mean uncertainty), plus what the new
 *   run's mean is less certain than theirs; the interval takes Student's t on k − 1 degrees of freedom (a prediction
 *   interval);</li>
 *   <li>with one baseline run the between-run variance cannot be estimated, so an assumed drift d (the standard
 *   deviation of a run's level, a fraction of the mean) stands for it: variance 2(d·mean)² plus both runs' own,
 *   Welch–Satterthwaite degrees of freedom. A change smaller than what that drift cannot exclude is undecidable,
 *   never refuted.</li>
 * </ul>
 * The claim is decided on that interval against the margin tolerance × |baseline mean|, as every verdict decides.
 */
final class AcrossRuns {

    private AcrossRuns() {
    }

    /**
     * One configuration, this run against the baseline's runs (each run's repetitions), decided as "not worse by more
     * than {@code tolerance} of the baseline's mean".
     */
    static Verdict.Row row(String label, Metric metric, Summary now, List<double[]> baselineRuns, double tolerance,
                           double confidence, double drift) {
        List<double[]> runs = baselineRuns.stream().filter(r -> r.length > 0).toList();
        if (now.n() < 2) {
            return Verdict.Row.undecidable(label, now, null, "this run has " + now.n()
                    + " repetition(s) of it; a confidence interval needs at least 2");
        }
        if (runs.size() == 1) {
            return oneRun(label, metric, now, runs.get(0), tolerance, confidence, drift);
        }
        double[] means = runs.stream().mapToDouble(r -> Arrays.stream(r).average().orElseThrow()).toArray();
        int k = means.length;
        Summary base = Summary.of(means, confidence);
        double betweenAndOwn = base.stdDev() * base.stdDev();
        // the baseline runs' own mean uncertainty is inside their spread; a new run known less precisely adds the rest
        double ownBaseline = runs.stream().filter(r -> r.length > 1)
                .mapToDouble(r -> variance(r) / r.length).average().orElse(0);
        double ownNow = now.stdDev() * now.stdDev() / now.n();
        double se = Math.sqrt(betweenAndOwn * (1 + 1.0 / k) + Math.max(0, ownNow - ownBaseline));
        double estimate = now.mean() - base.mean();
        double half = se == 0 ? 0 : Summary.tQuantile(confidence, k - 1) * se;
        Difference d = new Difference(estimate, estimate - half, estimate + half, se, k - 1,
                "prediction from " + k + " baseline runs' means");
        return decided(label, metric, now, base, d, tolerance, confidence, null);
    }

    private static Verdict.Row oneRun(String label, Metric metric, Summary now, double[] run, double tolerance,
                                      double confidence, double drift) {
        if (run.length < 2) {
            return Verdict.Row.undecidable(label, now, run.length == 0 ? null : Summary.of(run, confidence),
                    "the baseline has " + run.length + " repetition(s) of it; a confidence interval needs at least 2");
        }
        Summary base = Summary.of(run, confidence);
        double vNow = now.stdDev() * now.stdDev() / now.n();
        double vBase = base.stdDev() * base.stdDev() / base.n();
        double vDrift = 2 * Math.pow(drift * base.mean(), 2);
        double variance = vNow + vBase + vDrift;
        double se = Math.sqrt(variance);
        double welchPart = vNow * vNow / (now.n() - 1) + vBase * vBase / (base.n() - 1);
        // the drift is assumed, not estimated: it adds no degrees-of-freedom uncertainty (Welch–Satterthwaite)
        double df = welchPart == 0 ? 1e6 : Math.min(1e6, variance * variance / welchPart);
        double estimate = now.mean() - base.mean();
        double half = se == 0 ? 0 : Summary.tQuantile(confidence, df) * se;
        Difference d = new Difference(estimate, estimate - half, estimate + half, se, df,
                String.format(Locale.ROOT, "one baseline run, assumed drift %s %%", percent(drift)));
        java.util.function.Supplier<String> why = () -> {
            Difference within = Difference.welch(now, base, confidence);
            return String.format(Locale.ROOT, "one baseline run cannot tell this change from run-to-run drift: "
                        + "with the drift a single run cannot exclude (sd %s %% of a run's level, %s) the %.0f %% "
                        + "interval of the change is [%+.1f %%, %+.1f %%] (within the two runs alone [%+.1f %%, %+.1f %%]),"
                        + " which straddles the margin %s %%; a baseline of 3 or more runs (a directory of results) "
                        + "measures the drift instead", percent(drift), "copybench.baseline.drift", confidence * 100,
                relative(d.ciLow(), base), relative(d.ciHigh(), base), relative(within.ciLow(), base),
                relative(within.ciHigh(), base), (metric.isHigherBetter() ? "−" : "+") + percent(tolerance));
        };
        return decided(label, metric, now, base, d, tolerance, confidence, why);
    }

    private static Verdict.Row decided(String label, Metric metric, Summary now, Summary base, Difference d,
                                       double tolerance, double confidence,
                                       java.util.function.Supplier<String> undecidedWhy) {
        Relation relation = Hypothesis.notWorse(metric);
        double margin = tolerance * Math.abs(base.mean());
        Outcome o = relation.decide(d, margin, confidence);
        String reason = o != Outcome.UNDECIDABLE ? null : undecidedWhy != null ? undecidedWhy.get() : String.format(Locale.ROOT,
                "cannot tell at this precision: the %.0f %% prediction interval of this run's mean from %d baseline "
                        + "runs' means is [%+.1f %%, %+.1f %%] of their mean and straddles the margin %s %%; more baseline "
                        + "runs narrow it", confidence * 100, base.n(), relative(d.ciLow(), base),
                relative(d.ciHigh(), base), (metric.isHigherBetter() ? "−" : "+") + percent(tolerance));
        return new Verdict.Row(label, now, base, d, o, reason, relation.violationP(d, margin));
    }

    private static double relative(double difference, Summary base) {
        return base.mean() == 0 ? Double.NaN : difference / Math.abs(base.mean()) * 100;
    }

    private static double variance(double[] v) {
        double mean = Arrays.stream(v).average().orElseThrow();
        return Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
    }

    /** {@code 10}, {@code 2.5}: a fraction as the percentage a user writes. */
    static String percent(double fraction) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", fraction * 100)).stripTrailingZeros()
                .toPlainString();
    }
}
