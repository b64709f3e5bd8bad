package dev.copybench.hypothesis;

/**
 * Welch's confidence interval for mean(a) − mean(b) of two independent samples with possibly
 * different variances; the usual choice when repetitions are few.
 */
public record Difference(double estimate, double ciLow, double ciHigh) {

    public static Difference welch(Summary a, Summary b, double confidence) {
        double va = a.stdDev() * a.stdDev() / a.n();
        double vb = b.stdDev() * b.stdDev() / b.n();
        double se = Math.sqrt(va + vb);
        double estimate = a.mean() - b.mean();
        if (se == 0) {
            return new Difference(estimate, estimate, estimate);
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        double half = Summary.tQuantile(confidence, df) * se;
        return new Difference(estimate, estimate - half, estimate + half);
    }

    /** One sample against a constant. */
    public static Difference against(Summary a, double constant) {
        return new Difference(a.mean() - constant, a.ciLow() - constant, a.ciHigh() - constant);
    }
}
