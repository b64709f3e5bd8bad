package dev.copybench.hypothesis;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * A confidence interval for mean(left) − mean(right), with the standard error and degrees of freedom
 * it came from, so one-sided p-values can be derived for family-wise control.
 *
 * @param method {@code paired} (per-round differences: both sides measured back to back in each
 *               round), {@code Welch} (independent samples, unequal variances) or {@code one sample}
 */
public record Difference(double estimate, double ciLow, double ciHigh, double standardError, double degreesOfFreedom,
                         String method) {

    /** Welch's interval for two independent samples with possibly different variances. */
    public static Difference welch(Summary a, Summary b, double confidence) {
        double va = a.stdDev() * a.stdDev() / a.n();
        double vb = b.stdDev() * b.stdDev() / b.n();
        double se = Math.sqrt(va + vb);
        double estimate = a.mean() - b.mean();
        if (se == 0) {
            return new Difference(estimate, estimate, estimate, 0, Double.POSITIVE_INFINITY, "Welch");
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        double half = Summary.tQuantile(confidence, df) * se;
        return new Difference(estimate, estimate - half, estimate + half, se, df, "Welch");
    }

    /**
     * The paired interval from per-round differences left<sub>i</sub> − right<sub>i</sub>: the drift a
     * round shares between its modes cancels, which Welch's interval counts as noise.
     */
    public static Difference paired(double[] differences, double confidence) {
        DescriptiveStatistics s = new DescriptiveStatistics(differences);
        int n = differences.length;
        double estimate = s.getMean();
        double se = s.getStandardDeviation() / Math.sqrt(n);
        if (se == 0) {
            return new Difference(estimate, estimate, estimate, 0, n - 1, "paired");
        }
        double half = Summary.tQuantile(confidence, n - 1) * se;
        return new Difference(estimate, estimate - half, estimate + half, se, n - 1, "paired");
    }

    /** One sample against a constant. */
    public static Difference against(Summary a, double constant) {
        double se = a.n() > 1 ? a.stdDev() / Math.sqrt(a.n()) : Double.NaN;
        return new Difference(a.mean() - constant, a.ciLow() - constant, a.ciHigh() - constant, se, a.n() - 1,
                "one sample");
    }

    /** Half the interval's width. */
    public double halfWidth() {
        return (ciHigh - ciLow) / 2;
    }

    /** P(T ≥ t) for t = (estimate − bound) / se: small when the difference is shown above {@code bound}. */
    double pAbove(double bound) {
        if (standardError == 0) {
            return estimate > bound ? 0 : 1;
        }
        return 1 - new TDistribution(null, degreesOfFreedom).cumulativeProbability((estimate - bound) / standardError);
    }

    /** P(T ≤ t) for t = (estimate − bound) / se: small when the difference is shown below {@code bound}. */
    double pBelow(double bound) {
        if (standardError == 0) {
            return estimate < bound ? 0 : 1;
        }
        return new TDistribution(null, degreesOfFreedom).cumulativeProbability((estimate - bound) / standardError);
    }
}
