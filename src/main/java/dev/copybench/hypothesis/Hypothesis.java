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
        return Survivorship.noted(Verdict.of(statement, rows, selection.confidence(), selection.metric().unit(), relation),
                results, used).withHostLoad(hostLoad(results, used));
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
            return noted(decided(label, leftSide.shown(sel), null, d, relation, sel.tolerance() * Math.abs(k.value())),
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
        if (why == null) {
            why = Survivorship.uneven(results, left, right).orElse(null);
        }
        if (why != null) {
            return Verdict.Row.undecidable(label + " vs " + other.label(), leftSide.summary, rightSide.summary, why);
        }
        Difference d = other.paired() ? paired(leftSide, rightSide, sel.confidence())
                : Difference.welch(leftSide.summary, rightSide.summary, sel.confidence());
        return noted(decided(label + " vs " + other.label(), leftSide.shown(sel), rightSide.shown(sel), d, relation,
                sel.tolerance() * Math.abs(rightSide.summary.mean())), leftSide, rightSide);
    }

    /**
     * This run against the baseline (previous runs' results), configuration by configuration, with the run as the
     * unit ({@link AcrossRuns}): decided as "not worse than the baseline by more than the tolerance" (≥ −tolerance ×
     * |baseline mean| where higher is better, ≤ +… where lower is), with Holm's correction across the rows as every
     * verdict. A configuration the baseline lacks, a baseline from another kernel or CPU, or a baseline plan that
     * differs (window, warm-up, tuning, topology kind, engine version) is an undecidable row with the reason unless
     * {@code allowMissing}, {@code allowDifferentHost} or {@code allowDifferentPlan} say otherwise.
     */
    static Verdict againstBaseline(BenchmarkResults results, Selection sel, String statement, boolean allowDifferentHost,
                                   boolean allowMissing, boolean allowDifferentPlan) {
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
            Baseline.Values before = baseline.values(c, sel.metric(), allowDifferentPlan);
            String why = baseline.absent().or(() -> otherHost).orElse(now.why);
            if (why == null && before.notInBaseline() && allowMissing) {
                continue;
            }
            if (why == null && !before.present()) {
                why = before.why();
            }
            rows.add(why != null ? Verdict.Row.undecidable(label, now.summary, null, why)
                    : noted(baselineRow(label, sel.metric(), now.summary, before, sel.tolerance(), sel.confidence(),
                    baseline.drift()), now, null));
        }
        if (rows.isEmpty()) {
            rows.add(Verdict.Row.undecidable("every selected configuration", null, null, "none of them is in the baseline "
                    + baseline.describe() + ", so nothing was compared"));
        }
        Set<Configuration> used = new LinkedHashSet<>(selected);
        return Survivorship.noted(Verdict.of(statement, rows, sel.confidence(), sel.metric().unit()), results, used)
                .withHostLoad(hostLoad(results, used));
    }

    /**
     * One configuration, now against the baseline's runs, decided with the run as the unit ({@link AcrossRuns}):
     * "not worse by more than {@code tolerance} of the baseline's mean". Shared by the DSL and {@link Compare}.
     */
    static Verdict.Row baselineRow(String label, Metric metric, Summary now, Baseline.Values before, double tolerance,
                                   double confidence, double drift) {
        Verdict.Row row = AcrossRuns.row(label, metric, now, before.runs(), tolerance, confidence, drift);
        return before.note() == null ? row
                : row.as(row.outcome(), row.reason() == null ? before.note() : row.reason() + "; " + before.note());
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
        double confidence = left.confidence();
        Outcome byT = relation.decide(d, margin, confidence);
        String veto = relation.signFlipVeto(d, margin, confidence, byT);
        Outcome o = veto == null ? byT : Outcome.UNDECIDABLE;
        // equivalence is read on its TOST interval (90 % at 0.95), so that is the one the row shows
        Difference shown = relation == Relation.CLOSE_TO ? d.atConfidence(Relation.tostConfidence(confidence)) : d;
        String reason = veto != null ? veto + "; " + whatWouldDecide(d, relation, margin, confidence,
                d.repetitions(left, right)) : switch (o) {
            case UNDECIDABLE -> String.format(Locale.ROOT,
                    "cannot tell at this precision: the %s interval of the difference [%.4g, %.4g] (%s) straddles %s; %s",
                    Relation.percent(relation == Relation.CLOSE_TO ? Relation.tostConfidence(confidence) : confidence),
                    shown.ciLow(), shown.ciHigh(), d.method(), relation.bound(margin),
                    whatWouldDecide(d, relation, margin, confidence, d.repetitions(left, right)));
            case HOLDS -> relation == Relation.CLOSE_TO ? String.format(Locale.ROOT,
                    "two one-sided tests: p = max(%.3g, %.3g) = %.3g ≤ %s", d.pAbove(-margin), d.pBelow(margin),
                    Relation.tostP(d, margin), Relation.percent(1 - confidence)) : null;
            default -> null;
        };
        return new Verdict.Row(label, left, right, shown, o, reason, relation.violationP(d, margin));
    }

    /**
     * What would decide an undecided row: the repetitions at which, with the spread measured now, the interval
     * would clear the bound the estimate points to (the claim's side or the violating side).
     */
    static String whatWouldDecide(Difference d, Relation relation, double margin, double confidence, int repetitions) {
        double oneSided = (1 - confidence) / 2;
        double distance;
        if (relation == Relation.CLOSE_TO) {
            boolean inside = Math.abs(d.estimate()) < margin;
            distance = Math.abs(Math.abs(d.estimate()) - margin);
            oneSided = inside ? 1 - confidence : oneSided;   // TOST's level when it points to equivalence
        } else {
            double bound = relation == Relation.AT_MOST || relation == Relation.GREATER_THAN ? margin : -margin;
            distance = Math.abs(d.estimate() - bound);
        }
        int n = d.repetitionsToDecide(distance, oneSided, repetitions);
        String unit = d.method().equals("paired") ? "rounds" : d.method().equals("Welch") ? "repetitions of each side"
                : "repetitions";
        if (n > 0) {
            return String.format(Locale.ROOT, "about %d %s (now %d) at the measured spread would decide it, if the "
                    + "estimate %.4g held", n, unit, repetitions, d.estimate());
        }
        return distance == 0 ? "the estimate lies on the bound: no number of repetitions decides it; a less noisy host "
                + "or a different regime might" : String.format(Locale.ROOT, "more than %d %s at the measured spread "
                + "would be needed: a less noisy host or a different regime might decide it", Difference.MOST_REPETITIONS, unit);
    }

    /** A summary of the metric over the configuration's repetitions (with their rounds), or why there is none to decide with. */
    record Sample(Summary summary, Repetitions repetitions, String why, String note) {
        Sample(Summary summary, String why) {
            this(summary, null, why, null);
        }

        Sample(Summary summary, Repetitions repetitions, String why) {
            this(summary, repetitions, why, null);
        }

        /**
         * The summary a row shows: on the log scale for a latency percentile (never below zero). The decision itself
         * is on the plain means, whose difference may have either sign.
         */
        Summary shown(Selection sel) {
            return repetitions == null || !sel.metric().isLatencyPercentile() ? summary
                    : Summary.logScale(repetitions.values(), sel.confidence());
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
