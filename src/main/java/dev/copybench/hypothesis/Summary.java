package dev.copybench.hypothesis;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Mean, median, standard deviation and a Student-t confidence interval of one metric over the
 * repetitions of one configuration. With fewer than two values there is no interval. Latency percentiles are
 * summarised on the log scale ({@link #logScale}): their mean is the geometric mean and their interval never reaches
 * below zero.
 */
public record Summary(int n, double mean, double median, double stdDev, double ciLow, double ciHigh, double confidence) {

    public static Summary of(double[] values, double confidence) {
        DescriptiveStatistics s = new DescriptiveStatistics(values);
        int n = values.length;
        double mean = s.getMean();
        double sd = n > 1 ? s.getStandardDeviation() : Double.NaN;
        double half = n > 1 ? tQuantile(confidence, n - 1) * sd / Math.sqrt(n) : Double.NaN;
        return new Summary(n, mean, s.getPercentile(50), sd, mean - half, mean + half, confidence);
    }

    /** The summary that fits the metric: on the log scale for latency percentiles, plain otherwise. */
    public static Summary of(dev.copybench.Metric metric, double[] values, double confidence) {
        return metric.isLatencyPercentile() ? logScale(values, confidence) : of(values, confidence);
    }

    /**
     * A positive, right-skewed quantity (a p99 over 3–5 repetitions) on the log scale: the geometric mean, and the
     * Student-t interval of the mean of the logarithms taken back, exp(m ± t·s/√n), so an interval of a latency
     * is never below zero and is as wide in ratio above as below. {@code stdDev} stays the spread of the values
     * themselves. With a value ≤ 0 there is no log scale: the plain summary.
     */
    public static Summary logScale(double[] values, double confidence) {
        if (values.length == 0 || java.util.Arrays.stream(values).anyMatch(v -> !(v > 0))) {
            return of(values, confidence);
        }
        Summary plain = of(values, confidence);
        Summary logs = of(java.util.Arrays.stream(values).map(Math::log).toArray(), confidence);
        double geometric = Math.exp(logs.mean());
        return new Summary(plain.n(), geometric, plain.median(), plain.stdDev(),
                logs.hasInterval() ? Math.exp(logs.ciLow()) : Double.NaN,
                logs.hasInterval() ? Math.exp(logs.ciHigh()) : Double.NaN, confidence);
    }

    public boolean hasInterval() {
        return n >= 2;
    }

    /** Two-sided Student-t quantile for the confidence level. */
    public static double tQuantile(double confidence, double degreesOfFreedom) {
        return tInverse(1 - (1 - confidence) / 2, degreesOfFreedom);
    }

    /**
     * The Student-t quantile at probability {@code p}. Whole degrees of freedom are remembered: commons-math solves for
     * each quantile, and the Monte-Carlo checks and the repetitions estimate ask for the same few thousands of times.
     */
    static double tInverse(double p, double degreesOfFreedom) {
        if (degreesOfFreedom != Math.rint(degreesOfFreedom) || degreesOfFreedom > 1000) {
            return t(degreesOfFreedom).inverseCumulativeProbability(p);
        }
        return QUANTILES.computeIfAbsent(p + "/" + degreesOfFreedom, k -> t(degreesOfFreedom).inverseCumulativeProbability(p));
    }

    /** The t distribution without the random generator the default constructor seeds (we never sample). */
    static TDistribution t(double degreesOfFreedom) {
        return new TDistribution(null, degreesOfFreedom);
    }

    private static final java.util.Map<String, Double> QUANTILES = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code 12.3 [11.9, 12.7]}, or the mean alone without an interval. */
    public String format() {
        return hasInterval() ? String.format("%.4g [%.4g, %.4g]", mean, ciLow, ciHigh) : String.format("%.4g (n=1)", mean);
    }
}
