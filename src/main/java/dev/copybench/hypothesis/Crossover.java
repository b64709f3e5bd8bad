package dev.copybench.hypothesis;

import dev.copybench.Configuration;
import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Metric;
import dev.copybench.Workload;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.plan.InvalidBenchmarkException;
import dev.copybench.hypothesis.Difference;
import dev.copybench.hypothesis.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The message size from which one mode beats another: for each thread count and workload of the
 * matrix, the smallest tested size at which {@code challenger} beats {@code incumbent} with
 * confidence <em>and</em> keeps beating it at every larger tested size, with the tested size below
 * it as the bracket. "None in the tested range" is an answer, not a failure; a metric this host
 * cannot measure makes the finding undecidable, with the reason.
 *
 * <pre>{@code
 * Crossover c = results.crossover(ONE_COPY, TWO_COPY, Metric.THROUGHPUT_GBPS);
 * c.at(1).from();      // Optional[16 KiB]
 * c.at(1).answer();    // "ONE_COPY beats TWO_COPY on throughput (client) from 16 KiB (between 4 KiB and 16 KiB) · 1 thread"
 * c.family();          // "Family-wise 5 %: Holm's correction across the 40 tests of these 4 findings (…)"
 * }</pre>
 */
public final class Crossover {

    /** The margin within which two modes count as equivalent: ±5 % of the incumbent's mean. */
    public static final double EQUIVALENCE = 0.05;

    /** Where the challenger stands against the incumbent at one size. */
    public enum Standing {
        /** Better, shown by a two-sided test that survives Holm's correction across the question. */
        WINS,
        /** Worse, shown the same way. */
        LOSES,
        /**
         * Shown within ±{@link #EQUIVALENCE} of the incumbent by two one-sided tests (after the same correction): no
         * difference worth the name.
         */
        EQUIVALENT,
        /** Neither a difference nor its absence shown at this precision, after the correction. */
        TIED,
        /** No interval: the metric is absent or there are too few repetitions. */
        UNMEASURED
    }

    /** The comparison at one tested size. {@code why} says why it is {@link Standing#UNMEASURED}. */
    public record Point(MessageSize size, Summary challenger, Summary incumbent, Difference difference,
                        Standing standing, String why) {
    }

    /**
     * The answer for one thread count and workload.
     *
     * @param from         the crossover size (at the latest, when the size below it is tied or unmeasured), empty when
     *                     there is none in the tested range
     * @param below        the tested size just below {@code from} where the challenger is shown not to win, empty when
     *                     {@code from} is the smallest size or the size below it is tied or unmeasured
     * @param undecidable  why no answer can be given (the largest size is tied or unmeasured), or null
     * @param toDecide     for each tied size, the rounds that would decide it at the measured spread
     */
    public record Finding(String subject, int threads, Workload workload, List<Point> points,
                          Optional<MessageSize> from, Optional<MessageSize> below, String undecidable,
                          Map<MessageSize, String> toDecide) {

        public Finding {
            points = List.copyOf(points);
            toDecide = Map.copyOf(toDecide);
        }

        public boolean isDecidable() {
            return undecidable == null;
        }

        /** Whether the challenger also won at a size below one where it did not: worth a look. */
        public boolean isNonMonotonic() {
            Optional<MessageSize> firstWin = points.stream().filter(p -> p.standing() == Standing.WINS)
                    .map(Point::size).findFirst();
            return firstWin.isPresent() && from.map(f -> firstWin.get().compareTo(f) < 0).orElse(true);
        }

        /**
         * One sentence, as the report gives it. Each case says only what its standings show:
         * <ul>
         * <li>{@code X from 16 KiB (between 1 KiB and 16 KiB)}: wins from 16 KiB up, shown not to win at 1 KiB;</li>
         * <li>{@code X from 64 B (the smallest tested size: it may cross lower)};</li>
         * <li>{@code X from 16 KiB at the latest: at 1 KiB tied, …}: the size below is not decided;</li>
         * <li>{@code X never … in the tested range 64 B … 1 MiB (every size shown worse or equivalent within ±5 %)};</li>
         * <li>{@code … does not beat … at the largest tested size (1 MiB equivalent): no crossover in the tested range
         * 64 B … 1 MiB; it wins only at 16 KiB, 64 KiB}: a win below the largest size is no crossover;</li>
         * <li>{@code …: undecidable at this precision at 1 MiB, the largest tested size: about N rounds …}.</li>
         * </ul>
         */
        public String answer() {
            String where = " · " + threads + (threads == 1 ? " thread" : " threads")
                    + (workload == Workload.STREAM ? "" : " · " + workload.engineName());
            Point largest = points.get(points.size() - 1);
            String range = " in the tested range " + points.get(0).size() + " … " + largest.size();
            if (!isDecidable()) {
                return largest.standing() == Standing.TIED
                        ? subject + ": undecidable at this precision at " + largest.size() + ", the largest tested size: "
                        + toDecide.get(largest.size()) + where + standings() + notes(largest.size())
                        : "undecidable: " + undecidable + where;
            }
            if (from.isEmpty()) {
                boolean everyShown = points.stream().allMatch(p -> p.standing() == Standing.LOSES
                        || p.standing() == Standing.EQUIVALENT);
                if (everyShown) {
                    return subject.replace(" beats ", " never beats ") + range + " (every size shown worse or "
                            + "equivalent within ±" + Math.round(EQUIVALENCE * 100) + " %)" + where + standings();
                }
                List<String> wins = points.stream().filter(p -> p.standing() == Standing.WINS)
                        .map(p -> p.size().toString()).toList();
                return subject.replace(" beats ", " does not beat ") + " at the largest tested size (" + largest.size()
                        + " " + largest.standing().name().toLowerCase(Locale.ROOT) + "): no crossover"
                        + range + (wins.isEmpty() ? "" : "; it wins only at " + String.join(", ", wins)) + where
                        + standings() + notes(null);
            }
            MessageSize f = from.get();
            int at = points.stream().map(Point::size).toList().indexOf(f);
            if (at == 0) {
                return subject + " from " + f + " (the smallest tested size: it may cross lower)" + where;
            }
            if (below.isEmpty()) {
                Point b = points.get(at - 1);
                return subject + " from " + f + " at the latest: at " + b.size()
                        + (b.standing() == Standing.TIED ? " tied, " + toDecide.get(b.size()) + ", so it may cross lower"
                        : " not measured (" + b.why() + "), so it may cross lower") + where + standings();
            }
            return subject + " from " + f + " (between " + below.get() + " and " + f + ")" + where
                    + (isNonMonotonic() ? "; non-monotonic" + standings() : "");
        }

        private String standings() {
            return ": " + points.stream().map(p -> p.size() + " " + p.standing().name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }

        /** What would decide the tied sizes, and why the unmeasured ones are, except {@code said}. */
        private String notes(MessageSize said) {
            return points.stream().filter(p -> !p.size().equals(said)).map(p -> switch (p.standing()) {
                case TIED -> "; at " + p.size() + " tied: " + toDecide.get(p.size());
                case UNMEASURED -> "; not measured at " + p.size() + ": " + p.why();
                default -> "";
            }).collect(Collectors.joining());
        }
    }

    private final List<Finding> findings;
    private final String family;

    private Crossover(List<Finding> findings, String family) {
        this.findings = List.copyOf(findings);
        this.family = family;
    }

    /** Finds the crossover of every thread count and workload in the results, family-wise at 95 % confidence. */
    public static Crossover of(BenchmarkResults results, CopyMode challenger, CopyMode incumbent, Metric metric) {
        return of(results, challenger, incumbent, metric, 0.95);
    }

    /**
     * The findings of one question, with family-wise control across all of them: at every measured size, a difference
     * (two-sided, paired by round) and an equivalence within ±{@link #EQUIVALENCE} (two one-sided tests) are tested,
     * and Holm's step-down across every test of every finding at 1 − {@code confidence} decides which standings are
     * shown. A standing not shown after the correction is {@link Standing#TIED}.
     */
    public static Crossover of(BenchmarkResults results, CopyMode challenger, CopyMode incumbent, Metric metric,
                               double confidence) {
        for (CopyMode m : List.of(challenger, incumbent)) {
            if (!results.plan().modes().contains(m)) {
                throw new InvalidBenchmarkException("the crossover needs " + m + ", which is not in the matrix (modes "
                        + results.plan().modes() + "): add it to the annotation");
            }
        }
        if (challenger == incumbent) {
            throw new InvalidBenchmarkException("a crossover compares two different modes, not " + challenger + " with itself");
        }
        List<MessageSize> sizes = results.plan().sizes().stream().sorted().toList();
        String subject = challenger + " beats " + incumbent + " on " + metric;
        Hypothesis.Selection selection = new Hypothesis.Selection(metric, c -> true, 0, confidence, false);
        List<List<Measured>> measured = new ArrayList<>();
        List<int[]> where = new ArrayList<>();
        for (Workload w : results.plan().workloads()) {
            for (int threads : results.plan().threads()) {
                List<Measured> row = new ArrayList<>();
                for (MessageSize size : sizes) {
                    row.add(measure(results, selection, size, new Configuration(challenger, size, threads, w),
                            new Configuration(incumbent, size, threads, w), metric.isHigherBetter()));
                }
                measured.add(row);
                where.add(new int[] {threads, results.plan().workloads().indexOf(w)});
            }
        }
        Holm holm = Holm.across(measured, 1 - confidence);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < measured.size(); i++) {
            List<Point> points = new ArrayList<>();
            Map<MessageSize, String> toDecide = new java.util.HashMap<>();
            for (Measured m : measured.get(i)) {
                Point p = m.point(holm);
                points.add(p);
                if (p.standing() == Standing.TIED) {
                    toDecide.put(p.size(), m.toDecide(holm.nextLevel()));
                }
            }
            findings.add(finding(subject, where.get(i)[0], results.plan().workloads().get(where.get(i)[1]), points,
                    toDecide));
        }
        String family = String.format(Locale.ROOT, "Family-wise %s: Holm's correction across the %d tests of %s "
                        + "(at each measured size a two-sided difference, and an equivalence within ±%d %% by two "
                        + "one-sided tests).", Relation.percent(1 - confidence), holm.tests(),
                findings.size() == 1 ? "this finding" : "these " + findings.size() + " findings",
                Math.round(EQUIVALENCE * 100));
        return new Crossover(findings, family);
    }

    /** One size before the correction: the difference and its two p-values, or why it is unmeasured. */
    private record Measured(MessageSize size, Summary challenger, Summary incumbent, Difference difference,
                            double margin, boolean higherIsBetter, String why) {

        /** Two-sided p-value of "no difference". */
        double pDifference() {
            return Math.min(1, 2 * Math.min(difference.pAbove(0), difference.pBelow(0)));
        }

        /** TOST p-value of "not within ±margin". */
        double pEquivalent() {
            return Relation.tostP(difference, margin);
        }

        Point point(Holm holm) {
            if (why != null) {
                return new Point(size, challenger, incumbent, null, Standing.UNMEASURED, why);
            }
            boolean better = higherIsBetter == difference.estimate() > 0;
            Standing s = holm.rejected(pDifference()) ? (better ? Standing.WINS : Standing.LOSES)
                    : holm.rejected(pEquivalent()) ? Standing.EQUIVALENT : Standing.TIED;
            return new Point(size, challenger, incumbent, difference, s, null);
        }

        /** The rounds that would decide this tied size at {@code level}, the test's level when Holm stopped. */
        String toDecide(double level) {
            int n = difference.repetitions(challenger, incumbent);
            double est = Math.abs(difference.estimate());
            int forDifference = difference.repetitionsToDecide(est, level / 2, n);
            int forEquivalence = est < margin ? difference.repetitionsToDecide(margin - est, level, n) : -1;
            int best = forDifference < 0 ? forEquivalence : forEquivalence < 0 ? forDifference
                    : Math.min(forDifference, forEquivalence);
            String what = best == forEquivalence ? "equivalence within ±" + Math.round(EQUIVALENCE * 100) + " %"
                    : (higherIsBetter == difference.estimate() > 0 ? "a win" : "a loss");
            String unit = difference.method().equals("paired") ? "rounds" : "repetitions of each mode";
            return best < 0 ? String.format(Locale.ROOT, "the difference %.3g %% lies on a bound: no number of %s "
                    + "decides it", 100 * difference.estimate() / Math.abs(incumbent.mean()), unit)
                    : String.format(Locale.ROOT, "about %d %s (now %d) would show %s at the measured spread (±%.3g %% now)",
                    best, unit, n, what, 100 * difference.halfWidth() / Math.abs(incumbent.mean()));
        }
    }

    /** Holm's step-down over every p-value of the question. */
    private record Holm(double threshold, int tests, double nextLevel) {

        static Holm across(List<List<Measured>> measured, double alpha) {
            List<Double> ps = new ArrayList<>();
            for (List<Measured> row : measured) {
                for (Measured m : row) {
                    if (m.why() == null) {
                        ps.add(m.pDifference());
                        ps.add(m.pEquivalent());
                    }
                }
            }
            List<Double> sorted = ps.stream().sorted().toList();
            int k = sorted.size();
            int rejected = 0;
            while (rejected < k && sorted.get(rejected) <= alpha / (k - rejected)) {
                rejected++;
            }
            // every p-value up to the last rejected one is rejected; none after it
            double threshold = rejected == 0 ? -1 : sorted.get(rejected - 1);
            return new Holm(threshold, k, rejected < k ? alpha / (k - rejected) : alpha);
        }

        boolean rejected(double p) {
            return p <= threshold;
        }
    }

    private static Measured measure(BenchmarkResults results, Hypothesis.Selection selection, MessageSize size,
                                    Configuration challenger, Configuration incumbent, boolean higherIsBetter) {
        Hypothesis.Sample a = Hypothesis.sample(results, selection, challenger);
        Hypothesis.Sample b = Hypothesis.sample(results, selection, incumbent);
        String why = a.why() != null ? a.why() : b.why() != null ? b.why()
                : Survivorship.uneven(results, challenger, incumbent).orElse(null);
        if (why != null) {
            return new Measured(size, a.summary(), b.summary(), null, 0, higherIsBetter, why);
        }
        Difference d = Hypothesis.paired(a, b, selection.confidence());   // the modes ran back to back in each round
        return new Measured(size, a.summary(), b.summary(), d, EQUIVALENCE * Math.abs(b.summary().mean()),
                higherIsBetter, null);
    }

    /**
     * The crossover of one finding from its standings: the size from which the challenger wins at every larger size,
     * bracketed by the size below it when that one is shown not to win. {@code toDecide} says, for each tied size, what
     * would decide it.
     */
    static Finding finding(String subject, int threads, Workload workload, List<Point> points,
                           Map<MessageSize, String> toDecide) {
        int from = points.size();
        while (from > 0 && points.get(from - 1).standing() == Standing.WINS) {
            from--;
        }
        if (from == points.size()) {
            Point largest = points.get(from - 1);
            String undecidable = switch (largest.standing()) {
                case TIED -> "undecidable at this precision at " + largest.size();
                case UNMEASURED -> "at " + largest.size() + ": " + largest.why();
                default -> null;
            };
            return new Finding(subject, threads, workload, points, Optional.empty(), Optional.empty(), undecidable,
                    toDecide);
        }
        MessageSize crossing = points.get(from).size();
        Optional<MessageSize> below = from > 0 && (points.get(from - 1).standing() == Standing.LOSES
                || points.get(from - 1).standing() == Standing.EQUIVALENT)
                ? Optional.of(points.get(from - 1).size()) : Optional.empty();
        return new Finding(subject, threads, workload, points, Optional.of(crossing), below, null, toDecide);
    }

    public List<Finding> findings() {
        return findings;
    }

    /** The finding for a thread count, in a matrix with a single workload. */
    public Finding at(int threads) {
        List<Finding> matching = findings.stream().filter(f -> f.threads() == threads).toList();
        if (matching.size() != 1) {
            throw new IllegalArgumentException(matching.isEmpty()
                    ? threads + " threads are not in the matrix"
                    : "the matrix has several workloads: use at(threads, workload)");
        }
        return matching.get(0);
    }

    public Finding at(int threads, Workload workload) {
        return findings.stream().filter(f -> f.threads() == threads && f.workload() == workload).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(threads + " threads · " + workload + " is not in the matrix"));
    }

    /** How the findings are controlled together: Holm's correction across every test of the question. */
    public String family() {
        return family;
    }

    /** One answer per line, then how they are controlled together. */
    @Override
    public String toString() {
        return findings.stream().map(Finding::answer).collect(Collectors.joining("\n")) + "\n" + family;
    }
}
