package dev.copybench.hypothesis;

import dev.copybench.Metric;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Intervals that fit the quantity: a latency percentile over a few repetitions is summarised on the log scale. */
class SummaryTest {

    /** Three p99s of one configuration, one of them caught by a slow wake-up: the plain mean is 31.8 µs. */
    private static final double[] P99_US = {10, 12, 73.4};

    @Test
    void aPlainTIntervalOfThreeP99sReachesBelowZero() {
        Summary plain = Summary.of(P99_US, 0.95);

        assertThat(plain.mean()).isCloseTo(31.8, within(1e-9));
        assertThat(plain.ciLow()).as("a latency below zero").isNegative();
    }

    @Test
    void onTheLogScaleTheCentreIsTheGeometricMeanAndTheIntervalStaysAboveZeroAndSymmetricInRatio() {
        Summary log = Summary.of(Metric.LATENCY_P99_US, P99_US, 0.95);

        assertThat(log.mean()).isCloseTo(Math.cbrt(10 * 12 * 73.4), within(1e-9));   // 20.65 µs
        assertThat(log.ciLow()).isPositive();
        assertThat(log.ciHigh() / log.mean()).isCloseTo(log.mean() / log.ciLow(), within(1e-9));
        // by hand: logs 2.3026, 2.4849, 4.2959; sd 1.1020; t(2, 0.975) = 4.3027; half 2.7375 on the log scale
        assertThat(Math.log(log.ciHigh() / log.mean())).isCloseTo(2.7375, within(1e-3));
        assertThat(log.median()).isEqualTo(12);
        assertThat(log.n()).isEqualTo(3);
    }

    @Test
    void onlyLatencyPercentilesAreSummarisedOnTheLogScale() {
        assertThat(Metric.LATENCY_P50_US.isLatencyPercentile()).isTrue();
        assertThat(Metric.LATENCY_P999_US.isLatencyPercentile()).isTrue();
        assertThat(Metric.THROUGHPUT_GBPS.isLatencyPercentile()).isFalse();
        assertThat(Summary.of(Metric.THROUGHPUT_GBPS, P99_US, 0.95)).isEqualTo(Summary.of(P99_US, 0.95));
    }

    @Test
    void aValueAtOrBelowZeroHasNoLogScale() {
        double[] withZero = {0, 12, 73.4};

        assertThat(Summary.logScale(withZero, 0.95)).isEqualTo(Summary.of(withZero, 0.95));
    }
}
