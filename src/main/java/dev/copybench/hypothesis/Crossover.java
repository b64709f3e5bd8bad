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
 * }</pre>
 */
public final class Crossover {

    /** The margin within which two modes count as equivalent: ±5 % of the incumbent's mean. */
    public static final double EQUIVALENCE = 0.05;

    /** Where the challenger stands against the incumbent at one size. */
    public enum Standing {
        /** Better, the whole confidence interval of the difference on the better side. */
        WINS,
        /** Worse, with the same confidence. */
        LOSES,
        /** Shown within ±{@link #EQUIVALENCE} of the incumbent by two one-sided tests: no difference worth the name. */
        EQUIVALENT,
        /** The interval straddles a bound: neither a difference nor its absence shown at this precision. */
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
     * @param from         the crossover size, empty when there is none in the tested range
     * @param below        the tested size just below {@code from}, empty when {@code from} is the smallest
     * @param undecidable  why no answer can be given (a point the answer depends on is unmeasured), or null
     */
    public record Finding(String subject, int threads, Workload workload, List<Point> points,
                          Optional<MessageSize> from, Optional<MessageSize> below, String undecidable) {

        public Finding {
            points = List.copyOf(points);
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

        /** One sentence, as the report gives it. */
        public String answer() {
            String where = " · " + threads + (threads == 1 ? " thread" : " threads")
                    + (workload == Workload.STREAM ? "" : " · " + workload.engineName());
            if (!isDecidable()) {
                return undecidable.startsWith("undecidable at this precision")
                        ? subject + ": " + undecidable + where + standings()
                        : "undecidable: " + undecidable + where;
            }
            if (from.isEmpty()) {
                return subject.replace(" beats ", " never beats ") + " with confidence in the tested range "
                        + points.get(0).size() + " … " + points.get(points.size() - 1).size() + where
                        + standings();
            }
            String bracket = below.map(b -> " (between " + b + " and " + from.get() + ")")
                    .orElse(" (the smallest tested size: it may cross lower)");
            return subject + " from " + from.get() + bracket + where
                    + (isNonMonotonic() ? "; non-monotonic" + standings() : "");
        }

        private String standings() {
            return ": " + points.stream().map(p -> p.size() + " " + p.standing().name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
    }

    private final List<Finding> findings;

    private Crossover(List<Finding> findings) {
        this.findings = List.copyOf(findings);
    }

    /** Finds the crossover of every thread count and workload in the results, at 95 % confidence. */
    public static Crossover of(BenchmarkResults results, CopyMode challenger, CopyMode incumbent, Metric metric) {
        return of(results, challenger, incumbent, metric, 0.95);
    }

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
        List<Finding> findings = new ArrayList<>();
        for (Workload w : results.plan().workloads()) {
            for (int threads : results.plan().threads()) {
                List<Point> points = new ArrayList<>();
                for (MessageSize size : sizes) {
                    points.add(point(results, selection, size,
                            new Configuration(challenger, size, threads, w),
                            new Configuration(incumbent, size, threads, w), metric.isHigherBetter()));
                }
                findings.add(finding(subject, threads, w, points));
            }
        }
        return new Crossover(findings);
    }

    private static Point point(BenchmarkResults results, Hypothesis.Selection selection, MessageSize size,
                               Configuration challenger, Configuration incumbent, boolean higherIsBetter) {
        Hypothesis.Sample a = Hypothesis.sample(results, selection, challenger);
        Hypothesis.Sample b = Hypothesis.sample(results, selection, incumbent);
        String why = a.why() != null ? a.why() : b.why();
        if (why != null) {
            return new Point(size, a.summary(), b.summary(), null, Standing.UNMEASURED, why);
        }
        Difference d = Hypothesis.paired(a, b, selection.confidence());   // the modes ran back to back in each round
        // orient so that a positive difference means the challenger is better
        double low = higherIsBetter ? d.ciLow() : -d.ciHigh();
        double high = higherIsBetter ? d.ciHigh() : -d.ciLow();
        double margin = EQUIVALENCE * Math.abs(b.summary().mean());
        Standing s = low > 0 ? Standing.WINS : high < 0 ? Standing.LOSES
                : low >= -margin && high <= margin ? Standing.EQUIVALENT : Standing.TIED;
        return new Point(size, a.summary(), b.summary(), d, s, null);
    }

    /** Walks down from the largest size while the challenger wins; the last size reached is the crossover. */
    static Finding finding(String subject, int threads, Workload workload, List<Point> points) {
        int from = points.size();
        while (from > 0 && points.get(from - 1).standing() == Standing.WINS) {
            from--;
        }
        if (from > 0 && points.get(from - 1).standing() == Standing.UNMEASURED) {
            Point p = points.get(from - 1);
            return new Finding(subject, threads, workload, points, Optional.empty(), Optional.empty(),
                    "at " + p.size() + ": " + p.why());
        }
        Optional<MessageSize> crossing = from < points.size() ? Optional.of(points.get(from).size()) : Optional.empty();
        List<Point> tied = points.stream().filter(p -> p.standing() == Standing.TIED).toList();
        if (crossing.isEmpty() && !tied.isEmpty()) {
            // "never" needs every size shown worse or equivalent; an interval that straddles is not that
            double precision = tied.stream().mapToDouble(p -> p.difference().halfWidth() / Math.abs(p.incumbent().mean()))
                    .max().orElseThrow();
            int n = tied.stream().mapToInt(p -> Math.min(p.challenger().n(), p.incumbent().n())).min().orElseThrow();
            long needed = (long) Math.ceil(n * Math.pow(precision / EQUIVALENCE, 2));
            return new Finding(subject, threads, workload, points, Optional.empty(), Optional.empty(), String.format(
                    java.util.Locale.ROOT, "undecidable at this precision: ±%.0f %% (at %s) — about %d repetitions would "
                            + "resolve ±%.0f %%", precision * 100, tied.stream().map(p -> p.size().toString())
                            .collect(Collectors.joining(", ")), needed, EQUIVALENCE * 100));
        }
        Optional<MessageSize> below = crossing.isPresent() && from > 0 ? Optional.of(points.get(from - 1).size()) : Optional.empty();
        return new Finding(subject, threads, workload, points, crossing, below, null);
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

    /** One answer per line. */
    @Override
    public String toString() {
        return findings.stream().map(Finding::answer).collect(Collectors.joining("\n"));
    }
}
