package dev.copybench.hypothesis;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Mean, median, standard deviation and a Student-t confidence interval of one metric over the
 * repetitions of one configuration. With fewer than two values there is no interval.
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

    public boolean hasInterval() {
        return n >= 2;
    }

    /** Two-sided Student-t quantile for the confidence level. */
    public static double tQuantile(double confidence, double degreesOfFreedom) {
        return new TDistribution(null, degreesOfFreedom).inverseCumulativeProbability(1 - (1 - confidence) / 2);
    }

    /** {@code 12.3 [11.9, 12.7]}, or the mean alone without an interval. */
    public String format() {
        return hasInterval() ? String.format("%.4g [%.4g, %.4g]", mean, ciLow, ciHigh) : String.format("%.4g (n=1)", mean);
    }
}
