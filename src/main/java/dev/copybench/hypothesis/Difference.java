package dev.copybench.hypothesis;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * A confidence interval for mean(left) − mean(right), with the standard error and degrees of freedom
 * it came from, so one-sided p-values can be derived for family-wise control.
 *
 * @param method {@code paired} (per-round differences: both sides measured back to back in each
 *               round), {@code Welch} (independent samples, unequal variances) or {@code one sample}
 * @param rounds the per-round differences of a paired difference, for the sign-flip check; null otherwise
 */
public record Difference(double estimate, double ciLow, double ciHigh, double standardError, double degreesOfFreedom,
                         String method, double[] rounds) {

    public Difference(double estimate, double ciLow, double ciHigh, double standardError, double degreesOfFreedom,
                      String method) {
        this(estimate, ciLow, ciHigh, standardError, degreesOfFreedom, method, null);
    }

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
            return new Difference(estimate, estimate, estimate, 0, n - 1, "paired", differences.clone());
        }
        double half = Summary.tQuantile(confidence, n - 1) * se;
        return new Difference(estimate, estimate - half, estimate + half, se, n - 1, "paired", differences.clone());
    }

    /** One sample against a constant. */
    public static Difference against(Summary a, double constant) {
        double se = a.n() > 1 ? a.stdDev() / Math.sqrt(a.n()) : Double.NaN;
        return new Difference(a.mean() - constant, a.ciLow() - constant, a.ciHigh() - constant, se, a.n() - 1,
                "one sample");
    }

    /**
     * The same estimate and standard error with an interval at another confidence level: equivalence reads the
     * 90 % interval (two one-sided tests at 5 %) of a difference computed at 95 %.
     */
    public Difference atConfidence(double confidence) {
        if (standardError == 0 || Double.isNaN(standardError)) {
            return this;
        }
        double half = Summary.tQuantile(confidence, degreesOfFreedom) * standardError;
        return new Difference(estimate, estimate - half, estimate + half, standardError, degreesOfFreedom, method, rounds);
    }

    /** The repetitions this difference rests on: rounds when paired, per side (the smaller) for Welch. */
    int repetitions(Summary left, Summary right) {
        return method.equals("Welch") && left != null && right != null ? Math.min(left.n(), right.n())
                : (int) Math.round(degreesOfFreedom) + 1;
    }

    /**
     * The smallest number of repetitions (rounds when paired, per side for Welch) at which, with the spread measured
     * now and the same estimate, a one-sided test at {@code oneSidedAlpha} would put {@code distance} (the gap between
     * the estimate and the bound the decision needs) outside the interval: t<sub>1−α</sub>(df(n))·se(n) &lt; distance,
     * with se(n) = se·√(n₀/n) and df growing with n as it does now. Iterates n, since t shrinks with n; −1 when the
     * estimate sits on the bound (no number decides it) or more than {@value #MOST_REPETITIONS} would be needed.
     */
    int repetitionsToDecide(double distance, double oneSidedAlpha, int nNow) {
        if (!(distance > 0) || standardError == 0 || Double.isNaN(standardError) || nNow < 2) {
            return -1;
        }
        double dfPerRepetition = (degreesOfFreedom) / (nNow - 1);   // 1 when paired, up to 2 for Welch
        // t exceeds z, so the normal approximation is a lower bound to start from
        double z = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1)
                .inverseCumulativeProbability(1 - oneSidedAlpha);
        double fromZ = nNow * Math.pow(z * standardError / distance, 2);
        for (int n = (int) Math.max(2, Math.min(MOST_REPETITIONS, Math.floor(fromZ))); n <= MOST_REPETITIONS; n++) {
            double se = standardError * Math.sqrt((double) nNow / n);
            double df = Math.max(1, Math.rint(dfPerRepetition * (n - 1)));   // whole, so quantiles are remembered
            if (Summary.tInverse(1 - oneSidedAlpha, df) * se < distance) {
                return n;
            }
        }
        return -1;
    }

    /** Beyond this many repetitions an estimate is not worth giving: the comparison is not one this host can decide. */
    static final int MOST_REPETITIONS = 100_000;

    /** From this many rounds a sign-flip test can reach one-sided 2.5 % (1/2⁶ = 1.6 %); below, t decides alone. */
    static final int SIGN_FLIP_FROM = 6;
    /** Up to this many rounds the sign flips are enumerated (2¹⁶); beyond, t decides alone (its error shrinks as 1/n). */
    static final int SIGN_FLIP_UP_TO = 16;

    /**
     * The exact sign-flip (Fisher–Pitman) permutation p-value that the mean of the paired differences lies above
     * {@code bound} ({@code above}) or below it: the share of the 2<sup>n</sup> sign patterns of the deviations
     * d<sub>i</sub> − bound whose sum is at least as extreme as the one observed. Valid with no assumption of
     * normality when, under the null, a round's difference is as likely above the bound as below it (modes exchangeable
     * within a round). NaN when not paired, or outside {@value #SIGN_FLIP_FROM}…{@value #SIGN_FLIP_UP_TO} rounds.
     */
    double signFlipP(double bound, boolean above) {
        if (rounds == null || rounds.length < SIGN_FLIP_FROM || rounds.length > SIGN_FLIP_UP_TO) {
            return Double.NaN;
        }
        int n = rounds.length;
        double[] x = new double[n];
        double observed = 0;
        for (int i = 0; i < n; i++) {
            x[i] = above ? rounds[i] - bound : bound - rounds[i];
            observed += x[i];
        }
        double tolerance = 1e-9 * java.util.Arrays.stream(x).map(Math::abs).sum();
        int atLeast = 0;
        for (int signs = 0; signs < 1 << n; signs++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += (signs >> i & 1) == 0 ? Math.abs(x[i]) : -Math.abs(x[i]);
            }
            if (sum >= observed - tolerance) {
                atLeast++;
            }
        }
        return (double) atLeast / (1 << n);
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
        return 1 - Summary.t(degreesOfFreedom).cumulativeProbability((estimate - bound) / standardError);
    }

    /** P(T ≤ t) for t = (estimate − bound) / se: small when the difference is shown below {@code bound}. */
    double pBelow(double bound) {
        if (standardError == 0) {
            return estimate < bound ? 0 : 1;
        }
        return Summary.t(degreesOfFreedom).cumulativeProbability((estimate - bound) / standardError);
    }
}
