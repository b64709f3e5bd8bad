package dev.copybench.hypothesis;

import dev.copybench.internal.HypothesisSession;
import dev.copybench.hypothesis.Difference;
import dev.copybench.hypothesis.Summary;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The decision on one hypothesis, with a row per compared configuration.
 * Deciding it turns it into a JUnit outcome: pass, fail, or aborted (skipped) with the reason; the
 * extension reports it (console, Allure), so the DSL itself never writes a report. {@code hostLoad}
 * says what other processes used during the cells it decided on (null when not known), e.g.
 * {@code host load: others used 0–3 % of 2 CPUs, steal 0 %}; it is part of every text of the verdict.
 */
public record Verdict(String statement, Outcome outcome, List<Row> rows, String rule, String unit, String hostLoad) {

    /**
     * One compared configuration. {@code right} is null when the left side is compared with a
     * constant; {@code difference} is null when the row could not be computed ({@code reason} says why).
     * {@code violationP} is the one-sided p-value of the evidence against the claim (NaN without a difference).
     */
    public record Row(String configuration, Summary left, Summary right, Difference difference, Outcome outcome,
                      String reason, double violationP) {

        static Row undecidable(String configuration, Summary left, Summary right, String reason) {
            return new Row(configuration, left, right, null, Outcome.UNDECIDABLE, reason, Double.NaN);
        }

        Row as(Outcome o, String why) {
            return new Row(configuration, left, right, difference, o, why, violationP);
        }
    }

    public Verdict {
        rows = List.copyOf(rows);
    }

    /**
     * The verdict over rows decided each at {@code confidence}. HOLDS needs every row to hold: an
     * intersection–union test, which needs no adjustment. REFUTED needs a row refuted after Holm's
     * step-down across all rows at α = (1 − confidence) / 2 (the one-sided level of the interval), so
     * that many rows do not make refuting a true hypothesis likely; a row refuted on its own but not
     * after the correction is undecidable. The rule says the level each outcome carries.
     */
    static Verdict of(String statement, List<Row> rows, double confidence, String unit) {
        return of(statement, rows, confidence, unit, Relation.AT_LEAST);
    }

    /** As {@link #of(String, List, double, String)}, for rows decided by {@code relation} (its HOLDS level differs). */
    static Verdict of(String statement, List<Row> rows, double confidence, String unit, Relation relation) {
        double alpha = (1 - confidence) / 2;
        int k = rows.size();
        List<Integer> byP = java.util.stream.IntStream.range(0, k).boxed()
                .filter(i -> !Double.isNaN(rows.get(i).violationP()))
                .sorted(java.util.Comparator.comparingDouble(i -> rows.get(i).violationP())).toList();
        java.util.Set<Integer> rejected = new java.util.HashSet<>();
        for (int step = 0; step < byP.size(); step++) {
            int i = byP.get(step);
            if (rows.get(i).violationP() > alpha / (k - step)) {
                break;
            }
            rejected.add(i);
        }
        List<Row> adjusted = new java.util.ArrayList<>();
        for (int i = 0; i < k; i++) {
            Row r = rows.get(i);
            if (r.outcome() == Outcome.REFUTED && !rejected.contains(i)) {
                double needed = alpha / (k - byP.indexOf(i));
                r = r.as(Outcome.UNDECIDABLE, String.format(Locale.ROOT, "refuted on its own (p = %.3g), but not after "
                        + "Holm's correction across %d rows (it needed p ≤ %.3g)%s", r.violationP(), k, needed,
                        toReach(r, needed)));
            }
            adjusted.add(r);
        }
        boolean refuted = adjusted.stream().anyMatch(r -> r.outcome() == Outcome.REFUTED);
        boolean holds = adjusted.stream().allMatch(r -> r.outcome() == Outcome.HOLDS);
        Outcome o = refuted ? Outcome.REFUTED : holds ? Outcome.HOLDS : Outcome.UNDECIDABLE;
        String refuting = "one-sided " + Relation.percent(alpha);
        String rule = switch (o) {
            case HOLDS -> (k == 1 ? "the row holds" : "every one of " + k + " rows holds") + " at "
                    + relation.holdsLevel(confidence) + (k == 1 ? "" : "; an intersection–union test");
            case REFUTED -> k == 1 ? "the row is refuted at " + refuting
                    : "refuted after Holm's correction across " + k + " rows at " + refuting;
            case UNDECIDABLE -> k == 1 ? "the row is undecidable" : "no row refuted after Holm's correction across " + k
                    + " rows at " + refuting + ", and not every row holds";
        };
        return new Verdict(statement, o, adjusted, rule, unit, null);
    }

    /** The same verdict, saying what else ran on the host while its cells were measured. */
    Verdict withHostLoad(String load) {
        return new Verdict(statement, outcome, rows, rule, unit, load);
    }

    /** {@code "\n  host load: …"}, or nothing when it is not known. */
    private String load() {
        return hostLoad == null ? "" : "\n  " + hostLoad;
    }

    /**
     * How many repetitions at the row's measured spread would bring its p-value to {@code needed}: the estimate lies
     * t·se from the bound its p-value was taken at, where t is the quantile the p-value stands for.
     */
    private static String toReach(Row r, double needed) {
        Difference d = r.difference();
        if (d == null || !(d.standardError() > 0) || !(r.violationP() > 0)) {
            return "";
        }
        double distance = Summary.tInverse(1 - r.violationP(), d.degreesOfFreedom()) * d.standardError();
        int n = d.repetitionsToDecide(distance, needed, d.repetitions(r.left(), r.right()));
        return n < 0 ? "" : String.format(Locale.ROOT, "; about %d %s (now %d) at the measured spread would reach it", n,
                d.method().equals("paired") ? "rounds" : "repetitions", d.repetitions(r.left(), r.right()));
    }

    /** Records the verdict for the report, then passes, throws an AssertionError (refuted) or aborts (undecidable). */
    Verdict enforce() {
        HypothesisSession.decided(this);
        switch (outcome) {
            case REFUTED -> throw new AssertionFailedError("REFUTED: " + statement + " (" + rule + ")" + load() + "\n"
                    + table(null));
            case UNDECIDABLE -> throw new TestAbortedException("UNDECIDABLE: " + statement + " — " + reasons()
                    + " (" + rule + ")" + load() + "\n" + table(null));
            default -> {
                return this;
            }
        }
    }

    /**
     * {@code HOLDS: throughput of ONE_COPY ≥ TWO_COPY for size 64 KiB (the row holds); host load: others used 0 % of
     * 2 CPUs, steal 0 %}: the verdict in one line.
     */
    public String line() {
        return outcome + ": " + statement + " (" + rule + ")" + (hostLoad == null ? "" : "; " + hostLoad);
    }

    /** The distinct reasons of the undecidable rows. */
    public String reasons() {
        return rows.stream().filter(r -> r.outcome() == Outcome.UNDECIDABLE).map(Row::reason).distinct()
                .collect(Collectors.joining("; "));
    }

    /** A text table of the rows with the given outcome (all rows when null). */
    public String table(Outcome only) {
        String u = " (" + unit + ")";
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "  %-40s %-30s %-30s %-30s %s%n",
                "configuration", "left mean [CI]" + u, "right mean [CI]" + u, "left − right [CI]" + u, "verdict"));
        for (Row r : rows) {
            if (only != null && r.outcome() != only) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "  %-40s %-30s %-30s %-30s %s%s%n", r.configuration(),
                    r.left() == null ? "-" : r.left().format(), r.right() == null ? "-" : r.right().format(),
                    r.difference() == null ? "-" : String.format(Locale.ROOT, "%.4g [%.4g, %.4g]",
                            r.difference().estimate(), r.difference().ciLow(), r.difference().ciHigh()),
                    r.outcome(), r.reason() == null ? "" : " — " + r.reason()));
        }
        return s.toString();
    }

    /** CSV of every row, for the report. */
    public String csv() {
        StringBuilder s = new StringBuilder("configuration,left_n,left_mean,left_ci_low,left_ci_high,right_n,right_mean,"
                + "right_ci_low,right_ci_high,difference,difference_ci_low,difference_ci_high,verdict,reason\n");
        for (Row r : rows) {
            s.append('"').append(r.configuration()).append('"');
            for (Summary m : new Summary[] {r.left(), r.right()}) {
                s.append(m == null ? ",,,," : String.format(Locale.ROOT, ",%d,%g,%g,%g", m.n(), m.mean(), m.ciLow(), m.ciHigh()));
            }
            Difference d = r.difference();
            s.append(d == null ? ",,," : String.format(Locale.ROOT, ",%g,%g,%g", d.estimate(), d.ciLow(), d.ciHigh()));
            s.append(',').append(r.outcome()).append(",\"").append(r.reason() == null ? "" : r.reason().replace('"', '\''))
                    .append("\"\n");
        }
        return s.toString();
    }
}
