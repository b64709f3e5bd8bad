package dev.copybench;

import dev.copybench.internal.HypothesisSession;
import dev.copybench.internal.engine.CellFailedException;
import dev.copybench.internal.host.HostCapabilities;
import dev.copybench.hypothesis.Crossover;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.results.Baseline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link CopyModeBenchmark} measured: the plan, the host, and every cell that ran (and every
 * one that failed, with why). Injected into the benchmark method once all cells have run.
 *
 * <pre>{@code
 * @CopyModeBenchmark(sizes = "64K")
 * void zeroCopyIsAccounted(BenchmarkResults results) {
 *     assertThat(results).metric(Metric.INTEGRITY_ERRORS).of(CopyMode.ZERO_COPY).isAtMost(0);
 * }
 * }</pre>
 */
public final class BenchmarkResults {

    private final BenchmarkPlan plan;
    private final HostCapabilities host;
    private final String topology;
    private final List<CellResult> cells = new ArrayList<>();
    private final Map<Cell, CellFailedException> failures = new LinkedHashMap<>();
    private final Map<Cell, String> unmeasurable = new LinkedHashMap<>();
    private final Map<Cell, String> disturbed = new LinkedHashMap<>();
    private String precision;
    private Baseline baseline = Baseline.notConfigured();

    public BenchmarkResults(BenchmarkPlan plan, HostCapabilities host, String topology) {
        this.plan = plan;
        this.host = host;
        this.topology = topology;
    }

    public synchronized void add(CellResult result) {
        cells.add(result);
    }

    public synchronized void addFailure(Cell cell, CellFailedException failure) {
        failures.put(cell, failure);
    }

    /** A cell this host cannot measure at all (e.g. zero-copy without SO_ZEROCOPY): not run, not failed. */
    public synchronized void addUnmeasurable(Cell cell, String why) {
        unmeasurable.put(cell, why);
    }

    /** A cell whose window was disturbed (a stall no undisturbed run shows): kept out of verdicts, with why. */
    public synchronized void addDisturbed(Cell cell, String why) {
        disturbed.put(cell, why);
    }

    /** Disturbed cells and why, kept out of every verdict. */
    public synchronized Map<Cell, String> disturbed() {
        HypothesisSession.read();
        return Collections.unmodifiableMap(new LinkedHashMap<>(disturbed));
    }

    /** Disturbed repetitions of one configuration. */
    public synchronized List<Cell> disturbed(Configuration configuration) {
        return disturbed.keySet().stream().filter(c -> c.configuration().equals(configuration)).toList();
    }

    /** Why a configuration could not be measured here, if it could not. */
    public synchronized java.util.Optional<String> unmeasurable(Configuration configuration) {
        HypothesisSession.read();
        return unmeasurable.entrySet().stream().filter(e -> e.getKey().configuration().equals(configuration))
                .map(Map.Entry::getValue).findFirst();
    }

    public BenchmarkPlan plan() {
        HypothesisSession.read();
        return plan;
    }

    public HostCapabilities host() {
        HypothesisSession.read();
        return host;
    }

    /** How server and client were connected, e.g. a namespace pair or the loopback fallback. */
    public String topology() {
        HypothesisSession.read();
        return topology;
    }

    public synchronized List<CellResult> cells() {
        HypothesisSession.read();
        return Collections.unmodifiableList(new ArrayList<>(cells));
    }

    public synchronized Map<Cell, CellFailedException> failures() {
        HypothesisSession.read();
        return Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /** The repetitions of one configuration that ran. */
    public synchronized List<CellResult> results(Configuration configuration) {
        HypothesisSession.read();
        return cells.stream().filter(c -> c.cell().configuration().equals(configuration)).toList();
    }

    /**
     * The smallest tested size from which {@code challenger} beats {@code incumbent} on the metric,
     * with confidence, at that size and every larger one; per thread count and workload.
     *
     * <pre>{@code
     * results.crossover(ONE_COPY, TWO_COPY, Metric.THROUGHPUT_GBPS).at(1).from();   // Optional[16 KiB]
     * }</pre>
     */
    public Crossover crossover(CopyMode challenger, CopyMode incumbent, Metric metric) {
        HypothesisSession.read();
        return Crossover.of(this, challenger, incumbent, metric);
    }

    /**
     * Records what the data answers to a question: an observation, not an expectation. It counts as
     * the hypothesis method's outcome, and appears on the console and in the report, followed by a line on
     * the host's load while the run's cells were measured.
     *
     * <pre>{@code
     * results.answer("From which size does one-copy beat two-copy?",
     *         results.crossover(ONE_COPY, TWO_COPY, Metric.THROUGHPUT_GBPS).toString());
     * }</pre>
     */
    public void answer(String question, String answer) {
        // an answer may rest on any cell of the run: it says what else ran on the host while they were measured
        answer = answer.stripTrailing() + "\n" + dev.copybench.internal.engine.HostLoad.summary(cells());
        if (!HypothesisSession.answered(question, answer)) {
            System.out.println("[copybench] " + question + "\n" + answer.indent(2).stripTrailing());
        }
    }

    /**
     * With {@code precision} in the annotation: what was reached, e.g. {@code precision ±5.0 % of the
     * mean throughput: reached ±3.1 % after 7 rounds}; empty for a fixed number of rounds.
     */
    public synchronized java.util.Optional<String> precision() {
        HypothesisSession.read();
        return java.util.Optional.ofNullable(precision);
    }

    /** Records what an adaptive run reached; see {@link #precision()}. */
    public synchronized void precisionReached(String status) {
        this.precision = status;
    }

    /** Sets the previous run {@code isNotWorseThanBaseline(…)} compares with (the extension does, from {@code copybench.baseline}). */
    public synchronized void compareWith(Baseline baseline) {
        this.baseline = baseline;
    }

    /** The previous run this one is compared with, or an absent baseline saying why there is none. */
    public synchronized Baseline baseline() {
        return baseline;
    }

    /** Failed repetitions of one configuration. */
    public synchronized List<Cell> failed(Configuration configuration) {
        HypothesisSession.read();
        return failures.keySet().stream().filter(c -> c.configuration().equals(configuration)).toList();
    }
}
