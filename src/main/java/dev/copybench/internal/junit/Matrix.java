package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.Metric;
import dev.copybench.Configuration;
import dev.copybench.Workload;
import dev.copybench.hypothesis.Summary;
import dev.copybench.internal.results.Repetitions;
import dev.copybench.Measurement;
import dev.copybench.internal.engine.CellFailedException;
import dev.copybench.internal.engine.CellRunner;
import dev.copybench.internal.engine.Disturbance;
import dev.copybench.internal.host.Topology;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.plan.SocketTuning;
import dev.copybench.internal.HypothesisSession;
import dev.copybench.internal.report.AllureReport;
import dev.copybench.internal.report.MatrixReport;
import dev.copybench.internal.report.Trends;
import dev.copybench.internal.results.Baseline;
import dev.copybench.internal.results.ResultsFile;
import org.opentest4j.TestAbortedException;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One benchmark method's matrix: runs its cells in order and collects their results. */
final class Matrix {

    private final BenchmarkPlan plan;
    private final RunResources run;
    private Topology topology;
    private CellRunner runner;
    private RuntimeException setupFailure;
    private BenchmarkResults results;
    private String measuredBy;
    private String measuredByMethod = "";
    private Baseline baseline = Baseline.notConfigured();
    private long testExtraWorkNs;
    private String planId;
    private final MatrixReport report;

    Matrix(BenchmarkPlan plan, RunResources run) {
        this.plan = plan;
        this.run = run;
        this.report = new MatrixReport(plan);
    }

    /** What the report keeps of this matrix: shared attachments, hypothesis outcomes. */
    MatrixReport report() {
        return report;
    }

    /**
     * Claims the cells for a method: true for the first method of this plan, which runs them;
     * later methods with the same plan reuse its results.
     */
    synchronized boolean claimCells(String method) {
        if (measuredBy != null) {
            return false;
        }
        measuredBy = method;
        return true;
    }

    /**
     * What the results file and baselines know the matrix by ({@code Class.method}), the baseline its hypotheses
     * compare with, and the test-only extra work per message its engines do.
     */
    synchronized void measuredBy(String classAndMethod, Baseline baseline, long testExtraWorkNs) {
        this.measuredByMethod = classAndMethod;
        this.baseline = baseline;
        this.testExtraWorkNs = testExtraWorkNs;
    }

    /** The method whose invocations ran the cells. */
    synchronized String measuredBy() {
        return measuredBy;
    }

    /**
     * Set up on the first cell, so a matrix that never runs creates nothing. A set-up that fails (a
     * sysctl that did not take, namespaces refused) fails every cell with its message, and the
     * hypothesis then sees no repetition: it never becomes a raw parameter-resolution error.
     */
    private synchronized void prepare() {
        if (runner != null || setupFailure != null) {
            return;
        }
        try {
            topology = run.topology(plan.needsNamespaces(), plan.tuning().namespaceSysctls(),
                    plan.workloads().contains(Workload.UDP_SINK));
        } catch (RuntimeException e) {
            setupFailure = e;
            results = new BenchmarkResults(plan, run.host(), "not set up: " + e.getMessage());
            results.compareWith(baseline);
            planId = run.results().plan(plan, measuredByMethod, results.topology());
            return;
        }
        List<String> events = run.eventsFor(plan.extraEvents());
        Map<String, String> notCountable = new LinkedHashMap<>(run.host().eventStatus());
        notCountable.keySet().removeAll(events);
        runner = new CellRunner(run.engine().executable(), run.record(), run.engineMemoryCap(), topology, events,
                notCountable, run.host().perfAvailable(), run.postCell());
        runner.withTestExtraWork(testExtraWorkNs);
        results = new BenchmarkResults(plan, run.host(), topology.describe());
        results.compareWith(baseline.on(topology.kind().name()));   // a baseline plan must share the topology kind
        run.results().measuredOn(run.host());   // with a remote server, its host: known only now
        planId = run.results().plan(plan, measuredByMethod, topology.describe(), topology.kind().name());
        System.out.println("[copybench] " + plan.cells().size() + " cells on " + topology.describe()
                + (plan.tuning().equals(SocketTuning.NONE) ? "" : "; " + plan.tuning().describe())
                + (plan.overrides().isEmpty() ? "" : "; overrides " + plan.overrides()));
    }

    synchronized BenchmarkResults results() {
        prepare();
        return results;
    }

    /**
     * Runs a cell, unless the run stopped at a write that failed (a full disk): then the cell is not run, and
     * the first such write stops the run with one line instead of measuring what could not be kept.
     */
    void runCell(Cell cell) {
        java.util.Optional<String> stopped = run.stopped();
        if (stopped.isPresent()) {
            throw new TestAbortedException("not run: " + stopped.get());
        }
        try {
            measure(cell);
        } catch (UncheckedIOException e) {
            throw run.stop(e);
        }
    }

    private void measure(Cell cell) {
        prepare();
        if (setupFailure != null) {
            results.addFailure(cell, new CellFailedException(setupFailure.getMessage(), Map.of()));
            run.results().failed(planId, cell, setupFailure.getMessage());
            System.out.printf("[%s] %s — FAILED: %s%n", cell.position(), cell.displayName(),
                    setupFailure.getMessage());
            throw setupFailure;
        }
        if (cell.index() == 1) {   // inside the first cell's Allure test, so the write is this run's own
            AllureReport.environment(run.host(), topology, plan);
        }
        AllureReport.cellParameters(cell, topology.kind().name().toLowerCase(Locale.ROOT), plan, run.host(), report);
        java.util.Optional<String> unavailable = run.host().unavailable(cell.mode());
        if (unavailable.isPresent()) {
            String why = unavailable.get();
            results.addUnmeasurable(cell, why);
            run.results().unmeasurable(planId, cell, why);
            System.out.printf("[%s] %s — UNDECIDABLE: %s%n", cell.position(), cell.displayName(), why);
            throw new TestAbortedException("UNDECIDABLE: " + why);
        }
        try {
            CellResult r = runner.run(cell, plan);
            java.util.Optional<String> disturbed = Disturbance.of(r, plan.duration());
            if (disturbed.isPresent()) {
                results.addDisturbed(cell, disturbed.get());
                run.results().measured(planId, r, disturbed.get());
                AllureReport.cellArtifacts(r.artifacts(), run.postCell());
                System.out.printf("[%s] %s — DISTURBED: %s%n", cell.position(), cell.displayName(), disturbed.get());
                throw new TestAbortedException("DISTURBED, left out of verdicts: " + disturbed.get());
            }
            results.add(r);
            run.results().measured(planId, r, null);
            AllureReport.cellSummary(r);
            AllureReport.cellArtifacts(r.artifacts(), run.postCell());
            System.out.println(progressLine(r));
        } catch (CellFailedException e) {
            results.addFailure(cell, e);
            run.results().failed(planId, cell, e.getMessage());
            AllureReport.cellArtifacts(e.artifacts(), run.postCell());
            System.out.printf("[%s] %s — FAILED: %s%n", cell.position(), cell.displayName(), e.getMessage());
            throw e;
        }
    }

    /**
     * Records what a hypothesis method decided in the results file, and attaches the plan's part of that file and
     * its trends over earlier runs to the hypothesis's report.
     */
    void decided(String method, HypothesisSession session) {
        prepare();
        ResultsFile file = run.results();
        file.decided(planId, method, session.verdicts(), session.answers());
        AllureReport.resultsFile(file.json(planId));
        AllureReport.trends(Trends.of(ResultsFile.earlierRuns(file.path().getParent().getParent()), file.snapshot(),
                measuredByMethod));
    }

    /**
     * After {@code rounds} rounds of an adaptive plan: whether another is owed, because a configuration
     * has fewer successful repetitions than the minimum, or its throughput interval is wider than the
     * precision asked for. Says on the console, and in the results, what was reached when it stops.
     */
    synchronized boolean needsAnotherRound(int rounds) {
        prepare();
        double worst = 0;
        String worstAt = "";
        boolean short_ = false;
        for (Configuration c : plan.configurations()) {
            if (results.unmeasurable(c).isPresent()) {
                continue;   // a path this host cannot run never gets more precise
            }
            Repetitions r = Repetitions.of(results.results(c), Metric.THROUGHPUT_GBPS);
            double[] v = r.values();
            if (v.length < Math.min(plan.repetitions(), 2)) {
                short_ = true;
                worst = Double.POSITIVE_INFINITY;
                worstAt = c + " (" + v.length + " of " + plan.repetitions() + " repetitions ran)";
                continue;
            }
            Summary s = Summary.of(v, CONFIDENCE);
            double relative = (s.ciHigh() - s.ciLow()) / 2 / Math.abs(s.mean());
            if (relative > worst) {
                worst = relative;
                worstAt = c.toString();
            }
        }
        boolean reached = !short_ && worst <= plan.precision();
        boolean more = !reached && rounds < plan.maxRepetitions();
        if (!more) {
            String figure = Double.isInfinite(worst) ? "too few repetitions at " + worstAt
                    : String.format(Locale.ROOT, "±%.1f %% after %d rounds%s", worst * 100, rounds,
                    reached ? "" : " (widest: " + worstAt + ")");
            String status = String.format(Locale.ROOT, "precision ±%.1f %% of the mean throughput: %s%s",
                    plan.precision() * 100, reached ? "reached " : "not reached: ", figure);
            results.precisionReached(status);
            System.out.println("[copybench] " + status);
        }
        return more;
    }

    private static final double CONFIDENCE = 0.95;

    /** {@code [3/12] ZERO_COPY · 64 KiB · 1 thread — 12.31 Gbps, copied 100 %, server CPU 0.41 ns/B}. */
    static String progressLine(CellResult r) {
        Cell c = r.cell();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "[%s] %s — %.2f Gbps", c.position(),
                c.displayName(), r.client().gbps()));
        Measurement p99 = Metric.LATENCY_P99_US.measure(r);
        if (p99.isPresent()) {
            s.append(String.format(Locale.ROOT, ", p99 %.0f µs", p99.value()));
        }
        Measurement copied = Metric.ZERO_COPY_COPIED_SHARE.measure(r);
        if (copied.isPresent()) {
            s.append(String.format(Locale.ROOT, ", copied %.0f %%", copied.value() * 100));
        }
        Measurement cpu = Metric.CPU_NS_PER_BYTE.measure(r);
        if (cpu.isPresent()) {
            s.append(String.format(Locale.ROOT, ", server CPU %.3f ns/B", cpu.value()));
        }
        if (r.server().sndbuf() != null) {   // the buffer measured with, when it is not the one asked for
            r.server().sndbuf().differs().ifPresent(note -> s.append("; ").append(note));
        }
        r.hostLoad().filter(dev.copybench.internal.engine.HostLoad::busy).ifPresent(l -> s.append(" — ").append(l.describe()));
        return s.toString();
    }
}
