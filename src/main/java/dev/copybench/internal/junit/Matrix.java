package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.Metric;
import dev.copybench.Workload;
import dev.copybench.Measurement;
import dev.copybench.internal.engine.CellFailedException;
import dev.copybench.internal.engine.CellRunner;
import dev.copybench.internal.host.Topology;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.plan.SocketTuning;
import dev.copybench.internal.report.AllureReport;
import org.opentest4j.TestAbortedException;

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

    Matrix(BenchmarkPlan plan, RunResources run) {
        this.plan = plan;
        this.run = run;
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
            return;
        }
        List<String> events = run.eventsFor(plan.extraEvents());
        Map<String, String> notCountable = new LinkedHashMap<>(run.host().eventStatus());
        notCountable.keySet().removeAll(events);
        runner = new CellRunner(run.engine().executable(), run.record(), topology, events, notCountable, run.host().perfAvailable());
        results = new BenchmarkResults(plan, run.host(), topology.describe());
        System.out.println("[copybench] " + plan.cells().size() + " cells on " + topology.describe()
                + (plan.tuning().equals(SocketTuning.NONE) ? "" : "; " + plan.tuning().describe())
                + (plan.overrides().isEmpty() ? "" : "; overrides " + plan.overrides()));
    }

    synchronized BenchmarkResults results() {
        prepare();
        return results;
    }

    void runCell(Cell cell) {
        prepare();
        if (setupFailure != null) {
            results.addFailure(cell, new CellFailedException(setupFailure.getMessage(), Map.of()));
            System.out.printf("[%d/%d] %s — FAILED: %s%n", cell.index(), cell.total(), cell.displayName(),
                    setupFailure.getMessage());
            throw setupFailure;
        }
        if (cell.index() == 1) {   // inside the first cell's Allure test, so the write is this run's own
            AllureReport.environment(run.host(), topology, plan);
        }
        AllureReport.cellParameters(cell, topology.kind().name().toLowerCase(Locale.ROOT), plan.tuning());
        java.util.Optional<String> unavailable = run.host().unavailable(cell.mode());
        if (unavailable.isPresent()) {
            String why = unavailable.get();
            results.addUnmeasurable(cell, why);
            System.out.printf("[%d/%d] %s — UNDECIDABLE: %s%n", cell.index(), cell.total(), cell.displayName(), why);
            throw new TestAbortedException("UNDECIDABLE: " + why);
        }
        try {
            CellResult r = runner.run(cell, plan);
            results.add(r);
            AllureReport.cellSummary(r);
            AllureReport.cellArtifacts(r.artifacts());
            System.out.println(progressLine(r));
        } catch (CellFailedException e) {
            results.addFailure(cell, e);
            AllureReport.cellArtifacts(e.artifacts());
            System.out.printf("[%d/%d] %s — FAILED: %s%n", cell.index(), cell.total(), cell.displayName(), e.getMessage());
            throw e;
        }
    }

    /** {@code [3/12] ZERO_COPY · 64 KiB · 1 thread — 12.31 Gbps, copied 100 %, server CPU 0.41 ns/B}. */
    static String progressLine(CellResult r) {
        Cell c = r.cell();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "[%d/%d] %s — %.2f Gbps", c.index(), c.total(),
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
        return s.toString();
    }
}
