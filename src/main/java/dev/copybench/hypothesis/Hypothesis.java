package dev.copybench.hypothesis;

import dev.copybench.Configuration;
import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.CopyMode;
import dev.copybench.Measurement;
import dev.copybench.Metric;
import dev.copybench.internal.engine.HostLoad;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.plan.InvalidBenchmarkException;
import dev.copybench.hypothesis.Difference;
import dev.copybench.internal.results.Baseline;
import dev.copybench.internal.results.Repetitions;
import dev.copybench.hypothesis.Summary;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Evaluates one comparison over the selected configurations; shared by every assertion form. */
final class Hypothesis {

    /** What to compare each selected configuration with: another configuration, or a constant. */
    sealed interface Counterpart {
        /** Another configuration; {@code paired} when it differs only in mode, so both ran back to back in every round. */
        record Other(UnaryOperator<Configuration> of, String label, boolean paired) implements Counterpart {
        }

        record Constant(double value) implements Counterpart {
        }
    }

    private Hypothesis() {
    }

    static Verdict evaluate(BenchmarkResults results, Selection selection, Counterpart counterpart, Relation relation,
                            String statement) {
        Set<Configuration> planned = new LinkedHashSet<>(results.plan().configurations());
        List<Configuration> selected = planned.stream().filter(selection.filter()).toList();
        if (selected.isEmpty()) {
            throw new InvalidBenchmarkException("the hypothesis '" + statement + "' selects no cell of the matrix "
                    + "(modes " + results.plan().modes() + ", sizes " + results.plan().sizes() + ", threads "
                    + results.plan().threads() + "): select what the annotation measures, or add it there");
        }
        List<Verdict.Row> rows = new ArrayList<>();
        Set<Configuration> used = new LinkedHashSet<>(selected);
        for (Configuration left : selected) {
            rows.add(row(results, selection, left, counterpart, relation, planned));
            if (counterpart instanceof Counterpart.Other other) {
                used.add(other.of().apply(left));
            }
        }
        return Verdict.of(statement, rows, selection.confidence(), selection.metric().unit())
                .withHostLoad(hostLoad(results, used));
    }

    /** What else ran on the host while the configurations' cells were measured ({@link HostLoad#summary}). */
    private static String hostLoad(BenchmarkResults results, Set<Configuration> used) {
        return HostLoad.summary(used.stream().flatMap(c -> results.results(c).stream()).toList());
    }

    private static Verdict.Row row(BenchmarkResults results, Selection sel, Configuration left,
                                   Counterpart counterpart, Relation relation, Set<Configuration> planned) {
        String label = left.toString();
        Sample leftSide = sample(results, sel, left);
        if (counterpart instanceof Counterpart.Constant k) {
            if (leftSide.why != null) {
                return Verdict.Row.undecidable(label, leftSide.summary, null, leftSide.why);
            }
            Difference d = Difference.against(leftSide.summary, k.value());
            return noted(decided(label, leftSide.summary, null, d, relation, sel.tolerance() * Math.abs(k.value())),
                    leftSide, null);
        }
        Counterpart.Other other = (Counterpart.Other) counterpart;
        Configuration right = other.of().apply(left);
        if (!planned.contains(right)) {
            throw new InvalidBenchmarkException("the hypothesis compares with " + right
                    + ", which is not in the matrix: add it to the annotation");
        }
        Sample rightSide = sample(results, sel, right);
        String why = leftSide.why != null ? leftSide.why : rightSide.why;
        if (why != null) {
            return Verdict.Row.undecidable(label + " vs " + other.label(), leftSide.summary, rightSide.summary, why);
        }
        Difference d = other.paired() ? paired(leftSide, rightSide, sel.confidence())
                : Difference.welch(leftSide.summary, rightSide.summary, sel.confidence());
        return noted(decided(label + " vs " + other.label(), leftSide.summary, rightSide.summary, d, relation,
                sel.tolerance() * Math.abs(rightSide.summary.mean())), leftSide, rightSide);
    }

    /**
     * This run against the baseline (a previous run's results), configuration by configuration: Welch's interval of
     * this run's mean minus the baseline's, decided as "not worse than the baseline by more than the tolerance"
     * (≥ −tolerance × |baseline mean| where higher is better, ≤ +… where lower is), with Holm's correction across
     * the rows as every verdict. A configuration the baseline lacks, or a baseline from another kernel or CPU, is an
     * undecidable row with the reason unless {@code allowDifferentHost} or {@code allowMissing} say otherwise.
     */
    static Verdict againstBaseline(BenchmarkResults results, Selection sel, String statement, boolean allowDifferentHost,
                                   boolean allowMissing) {
        List<Configuration> selected = results.plan().configurations().stream().filter(sel.filter()).toList();
        if (selected.isEmpty()) {
            throw new InvalidBenchmarkException("the hypothesis '" + statement + "' selects no cell of the matrix "
                    + "(modes " + results.plan().modes() + ", sizes " + results.plan().sizes() + ", threads "
                    + results.plan().threads() + "): select what the annotation measures, or add it there");
        }
        Baseline baseline = results.baseline();
        java.util.Optional<String> otherHost = baseline.differentHost(results.host().kernel(), results.host().cpuModel())
                .filter(why -> !allowDifferentHost);
        List<Verdict.Row> rows = new ArrayList<>();
        for (Configuration c : selected) {
            String label = c + " vs baseline";
            Sample now = sample(results, sel, c);
            Baseline.Values before = baseline.values(c, sel.metric());
            String why = baseline.absent().or(() -> otherHost).orElse(now.why);
            if (why == null && before.notInBaseline() && allowMissing) {
                continue;
            }
            if (why == null && !before.present()) {
                why = before.why();
            }
            rows.add(why != null ? Verdict.Row.undecidable(label, now.summary, null, why)
                    : noted(baselineRow(label, sel.metric(), now.summary, before.values(), sel.tolerance(), sel.confidence()),
                    now, null));
        }
        if (rows.isEmpty()) {
            rows.add(Verdict.Row.undecidable("every selected configuration", null, null, "none of them is in the baseline "
                    + baseline.describe() + ", so nothing was compared"));
        }
        return Verdict.of(statement, rows, sel.confidence(), sel.metric().unit())
                .withHostLoad(hostLoad(results, new LinkedHashSet<>(selected)));
    }

    /**
     * One configuration, now against before: Welch's interval of mean(now) − mean(before), decided as "not worse by
     * more than {@code tolerance} of the baseline's mean". Shared by the DSL and {@link Compare}.
     */
    static Verdict.Row baselineRow(String label, Metric metric, Summary now, double[] before, double tolerance,
                                   double confidence) {
        if (before.length < 2) {
            return Verdict.Row.undecidable(label, now, before.length == 0 ? null : Summary.of(before, confidence),
                    "the baseline has " + before.length + " repetition(s) of it; a confidence interval needs at least 2");
        }
        if (now.n() < 2) {
            return Verdict.Row.undecidable(label, now, Summary.of(before, confidence),
                    "this run has " + now.n() + " repetition(s) of it; a confidence interval needs at least 2");
        }
        Summary base = Summary.of(before, confidence);
        Difference d = Difference.welch(now, base, confidence);
        return decided(label, now, base, d, notWorse(metric), tolerance * Math.abs(base.mean()));
    }

    /** "Not worse": at least the baseline where more is better, at most it where less is. */
    static Relation notWorse(Metric metric) {
        return metric.isHigherBetter() ? Relation.AT_LEAST : Relation.AT_MOST;
    }

    /** A decided row built on fewer repetitions than planned says so. */
    private static Verdict.Row noted(Verdict.Row row, Sample left, Sample right) {
        String note = java.util.stream.Stream.of(left, right).filter(java.util.Objects::nonNull).map(Sample::note)
                .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining("; "));
        if (note.isEmpty()) {
            return row;
        }
        return row.as(row.outcome(), row.reason() == null ? note : row.reason() + "; " + note);
    }

    /**
     * The paired difference over the rounds both sides measured (a failed cell drops its round), or
     * Welch's when fewer than two rounds have both.
     */
    static Difference paired(Sample left, Sample right, double confidence) {
        List<Double> differences = new ArrayList<>();
        for (int i = 0; i < left.repetitions.rounds().length; i++) {
            double l = left.repetitions.values()[i];
            right.repetitions.inRound(left.repetitions.rounds()[i]).ifPresent(r -> differences.add(l - r));
        }
        return differences.size() >= 2
                ? Difference.paired(differences.stream().mapToDouble(Double::doubleValue).toArray(), confidence)
                : Difference.welch(left.summary, right.summary, confidence);
    }

    private static Verdict.Row decided(String label, Summary left, Summary right, Difference d, Relation relation,
                                       double margin) {
        Outcome o = relation.decide(d, margin);
        String reason = o == Outcome.UNDECIDABLE ? String.format(Locale.ROOT,
                "cannot tell at this precision: the %.0f %% interval of the difference [%.4g, %.4g] (%s) straddles %s",
                left.confidence() * 100, d.ciLow(), d.ciHigh(), d.method(), relation.bound(margin))
                : null;
        return new Verdict.Row(label, left, right, d, o, reason, relation.violationP(d, margin));
    }

    /** A summary of the metric over the configuration's repetitions (with their rounds), or why there is none to decide with. */
    record Sample(Summary summary, Repetitions repetitions, String why, String note) {
        Sample(Summary summary, String why) {
            this(summary, null, why, null);
        }

        Sample(Summary summary, Repetitions repetitions, String why) {
            this(summary, repetitions, why, null);
        }

        /** A sample that decides, but on fewer repetitions than planned: the row says so. */
        Sample noting(String fewer) {
            return new Sample(summary, repetitions, why, fewer);
        }
    }

    static Sample sample(BenchmarkResults results, Selection sel, Configuration config) {
        List<CellResult> runs = results.results(config);
        List<Cell> failed = results.failed(config);
        if (runs.isEmpty() && results.unmeasurable(config).isPresent()) {
            return new Sample(null, results.unmeasurable(config).get());
        }
        Repetitions measured = Repetitions.of(runs, sel.metric());
        if (measured.absent().isPresent()) {
            return new Sample(null, sel.metric() + " not measurable: " + measured.absent().get());
        }
        if (sel.trueZeroCopy() && config.mode().isZeroCopy()) {
            for (CellResult run : runs) {
                Measurement copied = Metric.ZERO_COPY_COPIED_SHARE.measure(run);
                if (!copied.isPresent()) {   // unknown is not "not copied"
                    return new Sample(null, "true zero-copy cannot be shown: " + copied.whyAbsent());
                }
                if (copied.value() > 0) {
                    return new Sample(null, String.format(Locale.ROOT, "zero-copy was copied: the kernel completed %.1f %% "
                            + "of zero-copy sends with SO_EE_CODE_ZEROCOPY_COPIED (deferred copy: veth or loopback "
                            + "deliver locally); true zero-copy needs a NIC", copied.value() * 100));
                }
            }
        }
        double[] values = measured.values();
        if (values.length < 2) {
            int disturbed = results.disturbed(config).size();
            String failures = (failed.isEmpty() ? "" : " (" + failed.size() + " failed)")
                    + (disturbed == 0 ? "" : " (" + disturbed + " disturbed, left out)");
            return new Sample(values.length == 0 ? null : Summary.of(values, sel.confidence()),
                    "too few repetitions of " + config + ": " + values.length + " ran" + failures
                            + "; a confidence interval needs at least 2");
        }
        Sample sample = new Sample(Summary.of(values, sel.confidence()), measured, null);
        int planned = results.plan().repetitions();
        int disturbed = results.disturbed(config).size();
        return values.length >= planned ? sample : sample.noting(config + ": " + values.length + " of "
                + planned + " planned repetitions ran" + (failed.isEmpty() ? "" : " (" + failed.size() + " failed)")
                + (disturbed == 0 ? "" : " (" + disturbed + " disturbed, left out)"));
    }

    /** The configurations a hypothesis looks at, and how it decides. */
    record Selection(Metric metric, Predicate<Configuration> filter, double tolerance,
                     double confidence, boolean trueZeroCopy) {
    }
}
