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
 * extension reports it (console, Allure), so the DSL itself never writes a report.
 */
public record Verdict(String statement, Outcome outcome, List<Row> rows) {

    /**
     * One compared configuration. {@code right} is null when the left side is compared with a
     * constant; {@code difference} is null when the row could not be computed ({@code reason} says why).
     */
    public record Row(String configuration, Summary left, Summary right, Difference difference, Outcome outcome,
                      String reason) {
    }

    public Verdict {
        rows = List.copyOf(rows);
    }

    static Verdict of(String statement, List<Row> rows) {
        Outcome o = rows.stream().anyMatch(r -> r.outcome() == Outcome.REFUTED) ? Outcome.REFUTED
                : rows.stream().anyMatch(r -> r.outcome() == Outcome.UNDECIDABLE) ? Outcome.UNDECIDABLE : Outcome.HOLDS;
        return new Verdict(statement, o, rows);
    }

    /** Records the verdict for the report, then passes, throws an AssertionError (refuted) or aborts (undecidable). */
    Verdict enforce() {
        HypothesisSession.decided(this);
        switch (outcome) {
            case REFUTED -> throw new AssertionFailedError("REFUTED: " + statement + "\n" + table(Outcome.REFUTED));
            case UNDECIDABLE -> throw new TestAbortedException("UNDECIDABLE: " + statement + " — " + reasons()
                    + "\n" + table(Outcome.UNDECIDABLE));
            default -> {
                return this;
            }
        }
    }

    /** {@code HOLDS: throughput of ONE_COPY ≥ TWO_COPY for size 64 KiB}: the verdict in one line. */
    public String line() {
        return outcome + ": " + statement;
    }

    /** The distinct reasons of the undecidable rows. */
    public String reasons() {
        return rows.stream().filter(r -> r.outcome() == Outcome.UNDECIDABLE).map(Row::reason).distinct()
                .collect(Collectors.joining("; "));
    }

    /** A text table of the rows with the given outcome (all rows when null). */
    public String table(Outcome only) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "  %-40s %-30s %-30s %-30s %s%n",
                "configuration", "left mean [CI]", "right mean [CI]", "left − right [CI]", "verdict"));
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
