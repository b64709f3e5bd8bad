package dev.copybench.hypothesis;

import dev.copybench.Configuration;
import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Metric;
import dev.copybench.Workload;

import dev.copybench.internal.HypothesisSession;
import org.assertj.core.annotation.CheckReturnValue;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.data.Percentage;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A hypothesis about one metric under construction: select configurations, then compare.
 *
 * <pre>{@code
 * assertThat(results).metric(LLC_MISSES_PER_KIB).forSizesAtLeast("256K")
 *         .of(ZERO_COPY).isAtMost(TWO_COPY);
 * assertThat(results).metric(THROUGHPUT_GBPS).atSize("64K").isGreaterThanAtSize("64");
 * assertThat(results).metric(INTEGRITY_ERRORS).isAtMost(0);
 * }</pre>
 */
public final class MetricAssert extends AbstractAssert<MetricAssert, BenchmarkResults> {

    final Metric metric;
    private final HypothesisSession.Step step;
    private Predicate<Configuration> filter = c -> true;
    private String selected = "";
    private double tolerance;
    private double confidence = 0.95;
    private boolean trueZeroCopy;
    private boolean differentHost;
    private boolean notInBaseline;
    private boolean differentPlan;

    /** Derived from {@code parent}: its description (from {@code as(…)}) and representation carry over. */
    MetricAssert(AbstractAssert<?, ?> parent, BenchmarkResults results, Metric metric) {
        super(results, MetricAssert.class);
        carryAssertionState(parent, this);
        this.metric = metric;
        this.step = HypothesisSession.step(this::chain, "has no comparison: end it with .of(MODE).isAtMost(OTHER_MODE) "
                + "(or isLessThan, isAtLeast, isGreaterThan), .atSize(\"64K\").isGreaterThanAtSize(\"64\"), or a constant "
                + "such as .isAtMost(0)");
    }

    /** What AssertJ's own derived asserts inherit from their parent: description and representation. */
    static void carryAssertionState(AbstractAssert<?, ?> parent, AbstractAssert<?, ?> derived) {
        derived.info.description(parent.info.description());
        derived.info.useRepresentation(parent.info.representation());
    }

    BenchmarkResults results() {
        return actual;
    }

    /** How the chain reads so far, for the message of one left unfinished. */
    String chain() {
        return "assertThat(results).metric(" + metric.name() + ")" + (selected.isEmpty() ? "" : " for " + selected);
    }

    @CheckReturnValue
    public MetricAssert forSize(String size) {
        MessageSize s = MessageSize.parse(size);
        return narrow(c -> c.size().equals(s), "size " + s);
    }

    @CheckReturnValue
    public MetricAssert forSizesAtLeast(String size) {
        MessageSize s = MessageSize.parse(size);
        return narrow(c -> c.size().compareTo(s) >= 0, "sizes ≥ " + s);
    }

    @CheckReturnValue
    public MetricAssert forSizesAtMost(String size) {
        MessageSize s = MessageSize.parse(size);
        return narrow(c -> c.size().compareTo(s) <= 0, "sizes ≤ " + s);
    }

    @CheckReturnValue
    public MetricAssert forThreads(int... threads) {
        Set<Integer> t = Arrays.stream(threads).boxed().collect(Collectors.toSet());
        return narrow(c -> t.contains(c.threads()), "threads " + t);
    }

    @CheckReturnValue
    public MetricAssert forWorkload(Workload workload) {
        return narrow(c -> c.workload() == workload, workload.engineName());
    }

    /** Relative margin, e.g. {@code 0.05}: "≤" accepts up to 5 % above the right side, "<" demands 5 % below. */
    @CheckReturnValue
    public MetricAssert withTolerance(double relative) {
        if (!(relative >= 0 && relative < 1)) {
            throw new IllegalArgumentException("tolerance " + relative + " must be in [0, 1), e.g. 0.05 for 5 %");
        }
        this.tolerance = relative;
        return this;
    }

    /**
     * Confidence level of the intervals, default 0.95: each row holds or is refuted by a one-sided test at
     * (1 − level) / 2, 2.5 %; equivalence holds by two one-sided tests at 1 − level, 5 %.
     */
    @CheckReturnValue
    public MetricAssert withConfidence(double level) {
        if (!(level > 0.5 && level < 1)) {
            throw new IllegalArgumentException("confidence " + level + " must be in (0.5, 1), e.g. 0.95");
        }
        this.confidence = level;
        return this;
    }

    /** Undecidable when the kernel copied zero-copy sends (always over veth or loopback). */
    @CheckReturnValue
    public MetricAssert requiringTrueZeroCopy() {
        this.trueZeroCopy = true;
        return this;
    }

    /** A baseline from another kernel or CPU model is compared all the same (by default such a comparison is undecidable). */
    @CheckReturnValue
    public MetricAssert allowingDifferentHost() {
        this.differentHost = true;
        return this;
    }

    /**
     * A baseline plan of the same method that differs from this run's (window, warm-up, tuning such as sendBuffer,
     * nonBlocking or pinned, topology kind, engine version) is compared all the same, the difference named in the
     * row; by default such a comparison is undecidable, since it measures the change of plan, not of the build.
     *
     * <pre>{@code
     * assertThat(results).metric(THROUGHPUT_GBPS).allowingDifferentPlan().isNotWorseThanBaseline(withinPercentage(5));
     * }</pre>
     */
    @CheckReturnValue
    public MetricAssert allowingDifferentPlan() {
        this.differentPlan = true;
        return this;
    }

    /**
     * Configurations the baseline never measured (new ones) are left out of a baseline comparison instead of making
     * it undecidable.
     */
    @CheckReturnValue
    public MetricAssert allowingConfigurationsNotInBaseline() {
        this.notInBaseline = true;
        return this;
    }

    /**
     * This run is not worse than the baseline (the previous run, or directory of runs, named by the configuration
     * parameter {@code copybench.baseline}) by more than {@code percentage} of the baseline's mean, in every selected
     * configuration, with the run as the unit: a run's level drifts from run to run, so the interval of the change is
     * a prediction from the baseline runs' means (several runs), or widened by the assumed drift
     * {@code copybench.baseline.drift} (one run: a change within that drift is never REFUTED). HOLDS when each
     * interval excludes a worsening beyond the tolerance, REFUTED when one shows such a worsening after Holm's
     * correction, UNDECIDABLE otherwise, and when there is no baseline, it lacks a configuration, its plan differs
     * (window, warm-up, tuning, topology kind, engine version) or it ran on another kernel or CPU. Worse is lower for
     * throughput and message rate, higher for latency and costs.
     *
     * <pre>{@code
     * assertThat(results).metric(THROUGHPUT_GBPS).isNotWorseThanBaseline(withinPercentage(5));
     * }</pre>
     */
    public Verdict isNotWorseThanBaseline(Percentage percentage) {
        step.close();
        return againstBaseline(info.descriptionText(), percentage, "");
    }

    /** Decides "not worse than the baseline" on this selection; {@code what} names a mode, when the chain named one. */
    Verdict againstBaseline(String description, Percentage percentage, String what) {
        MetricAssert m = withMargin(percentage.value / 100);
        String statement = (description.isEmpty() ? "" : "[" + description + "] ") + metric + what
                + (metric.isHigherBetter() ? " ≥ " : " ≤ ") + "baseline " + m.results().baseline().describe()
                + String.format(Locale.ROOT, " (tolerance %s %%)", percentage.value)
                + (selected.isEmpty() ? "" : " for " + selected);
        Hypothesis.Selection sel = new Hypothesis.Selection(metric, m.filter, m.tolerance, confidence, trueZeroCopy);
        return Hypothesis.againstBaseline(actual, sel, statement, differentHost, notInBaseline, differentPlan).enforce();
    }

    /** Compare this mode with another mode, configuration by configuration. */
    @CheckReturnValue
    public ModeComparison of(CopyMode mode) {
        step.close();
        MetricAssert m = copy();
        m.filter = m.filter.and(c -> c.mode() == mode);   // the mode is named in the claim itself
        return new ModeComparison(this, m, mode);
    }

    /** Compare this size with another size, configuration by configuration (every mode). */
    @CheckReturnValue
    public SizeComparison atSize(String size) {
        MessageSize s = MessageSize.parse(size);
        step.close();
        MetricAssert m = copy();
        m.filter = m.filter.and(c -> c.size().equals(s));
        return new SizeComparison(this, m, s);
    }

    public Verdict isAtMost(double value) {
        return constant(Relation.AT_MOST, value);
    }

    public Verdict isLessThan(double value) {
        return constant(Relation.LESS_THAN, value);
    }

    public Verdict isAtLeast(double value) {
        return constant(Relation.AT_LEAST, value);
    }

    public Verdict isGreaterThan(double value) {
        return constant(Relation.GREATER_THAN, value);
    }

    private Verdict constant(Relation r, double value) {
        step.close();
        return constant(info.descriptionText(), r, value);
    }

    Verdict constant(String description, Relation r, double value) {
        return decide(description, new Hypothesis.Counterpart.Constant(value), r, String.format(Locale.ROOT, "%s %s %g %s", metric,
                r.symbol, value, metric.unit()));
    }

    /** This selection with another margin, for equivalence; this one is left as it is. */
    MetricAssert withMargin(double relative) {
        MetricAssert m = copy();
        m.tolerance = relative;
        return m;
    }

    /** Compares a mode with another through this selection (which may carry a tolerance the comparison set). */
    Verdict compare(ModeComparison comparison, CopyMode other, Relation relation, String suffix) {
        return comparison.against(this, other, relation, suffix);
    }

    /** Decides the claim on the selected configurations; {@code description} is the caller's {@code as(…)}. */
    Verdict decide(String description, Hypothesis.Counterpart counterpart, Relation relation, String claim) {
        String statement = (description.isEmpty() ? "" : "[" + description + "] ") + claim
                + (selected.isEmpty() ? "" : " for " + selected)
                + (tolerance > 0 ? String.format(Locale.ROOT, " (tolerance %.1f %%)", tolerance * 100) : "");
        Hypothesis.Selection sel = new Hypothesis.Selection(metric, filter, tolerance, confidence, trueZeroCopy);
        return Hypothesis.evaluate(actual, sel, counterpart, relation, statement).enforce();
    }

    private MetricAssert narrow(Predicate<Configuration> more, String what) {
        filter = filter.and(more);
        selected = selected.isEmpty() ? what : selected + ", " + what;
        return this;
    }

    /** A copy for one comparison, so the selection can go on being used for others. Opens no step of its own. */
    private MetricAssert copy() {
        MetricAssert m = new MetricAssert(this, actual, metric);
        m.step.close();
        m.filter = filter;
        m.selected = selected;
        m.tolerance = tolerance;
        m.confidence = confidence;
        m.trueZeroCopy = trueZeroCopy;
        m.differentHost = differentHost;
        m.notInBaseline = notInBaseline;
        m.differentPlan = differentPlan;
        return m;
    }
}
