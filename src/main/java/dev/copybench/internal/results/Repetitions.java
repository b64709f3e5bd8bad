package dev.copybench.internal.results;

import dev.copybench.CellResult;
import dev.copybench.Measurement;
import dev.copybench.Metric;
import dev.copybench.internal.HypothesisSession;

import java.util.List;
import java.util.Optional;

/**
 * A metric measured in every repetition of one configuration, with the round each came from, or why
 * it is absent (the first repetition that could not measure it): never averaged over the rest, never a 0.
 *
 * <pre>{@code
 * Repetitions r = Repetitions.of(results.results(config), Metric.THROUGHPUT_GBPS);
 * }</pre>
 */
public record Repetitions(int[] rounds, double[] values, Optional<String> absent) {

    public static Repetitions of(List<CellResult> runs, Metric metric) {
        HypothesisSession.used(metric);
        double[] values = new double[runs.size()];
        int[] rounds = new int[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            Measurement m = metric.measure(runs.get(i));
            if (!m.isPresent()) {
                return new Repetitions(new int[0], new double[0], Optional.of(m.whyAbsent()));
            }
            values[i] = m.value();
            rounds[i] = runs.get(i).cell().repetition();
        }
        return new Repetitions(rounds, values, Optional.empty());
    }

    /** The value of a round, if that round measured this configuration. */
    public Optional<Double> inRound(int round) {
        for (int i = 0; i < rounds.length; i++) {
            if (rounds[i] == round) {
                return Optional.of(values[i]);
            }
        }
        return Optional.empty();
    }
}
