package dev.copybench.internal.junit;

import dev.copybench.internal.PostCellWork;
import dev.copybench.internal.Settings;
import dev.copybench.internal.host.HostCapabilities;
import dev.copybench.internal.host.NativeEngine;
import dev.copybench.internal.host.RunRecord;
import dev.copybench.internal.host.HostProbe;
import dev.copybench.internal.host.LeftoverSweeper;
import dev.copybench.internal.host.RemoteTopology;
import dev.copybench.internal.host.Topologies;
import dev.copybench.internal.host.Topology;
import dev.copybench.internal.perf.PerfEvents;
import dev.copybench.internal.perf.TracepointHold;
import dev.copybench.internal.plan.MemoryBudget;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.InvalidBenchmarkException;
import dev.copybench.internal.results.Baseline;
import dev.copybench.internal.results.ResultsFile;
import dev.copybench.internal.report.AllureReport;
import dev.copybench.internal.report.MatrixReport;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one JUnit run shares: the host probe and the topologies, created on first use and closed by
 * the root ExtensionContext store at the end of the run (and by a shutdown hook if the JVM is
 * stopped), so namespaces never outlive the run.
 */
final class RunResources implements AutoCloseable {

    private final Settings settings;
    private final NativeEngine engine;
    private final RunRecord record;
    private HostCapabilities host;
    private final TracepointHold tracepoints;
    private final List<Topology> topologies = new ArrayList<>();
    /** The hosts of copybench.server.host / copybench.client.host, connected on first use. */
    private RemoteTopology remote;
    private final Map<BenchmarkPlan, Matrix> matrices = new LinkedHashMap<>();
    private ResultsFile results;
    /** The first write that failed, which stopped the run. */
    private UncheckedIOException stopped;
    /** Guarded by {@link #baselineLock}. */
    private List<Baseline.Run> baseline;
    private final Object baselineLock = new Object();
    private final PostCellWork postCell = new PostCellWork();
    private final Thread shutdownHook = new Thread(this::closeTopologies, "copybench-cleanup");

    RunResources(Settings settings) {
        this.settings = settings;
        Path stateDir = RunRecord.stateDir(settings);
        record = RunRecord.ofThisJvm(stateDir);
        List<String> removed = LeftoverSweeper.sweep(stateDir);
        if (!removed.isEmpty()) {
            System.out.println("[copybench] removed leftovers of dead runs: " + removed);
        }
        // this run's own checked copy, which every cell runs; removed in closeTopologies
        this.engine = NativeEngine.locate(settings, record);
        try {
            host = HostProbe.probe(PerfEvents.DEFAULTS, engine);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        tracepoints = host.perfAvailable() ? TracepointHold.of(host.eventsPerfAccepts()) : TracepointHold.of(List.of());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The cap each engine checks its planned allocation against: the memory share of what is available now. */
    long engineMemoryCap() {
        return MemoryBudget.available().map(bytes -> MemoryBudget.engineCap(bytes,
                MemoryBudget.share(settings.get(Settings.MEMORY_SHARE)))).orElse(1L << 60);
    }

    /** The run's post-cell thread: what a finished cell leaves to do, done before the next cell starts. */
    PostCellWork postCell() {
        return postCell;
    }

    /** This run's results file, created with the first plan that runs. */
    synchronized ResultsFile results() {
        if (stopped != null) {
            throw new UncheckedIOException(stopped.getMessage(), stopped.getCause());
        }
        if (results == null) {
            try {
                results = ResultsFile.create(resultsDir(settings), host, settings.asProperties());
            } catch (UncheckedIOException e) {
                throw stop(e);
            }
            System.out.println("[copybench] results: " + results.path());
        }
        return results;
    }

    /**
     * Why the run stopped: its first write that failed (the results file or CSV, a cell's directory), after
     * which no cell starts its engines, since nothing they measure could be kept. Empty while the run goes on.
     */
    synchronized java.util.Optional<String> stopped() {
        if (stopped == null && results != null) {   // a write outside a cell (a hypothesis's verdicts) failed
            results.unwritable().ifPresent(why -> stop(new UncheckedIOException(why, new java.io.IOException(why))));
        }
        return java.util.Optional.ofNullable(stopped).map(Throwable::getMessage);
    }

    /** Stops the run at this failed write, said once on the console; returns it for the caller to throw. */
    synchronized UncheckedIOException stop(UncheckedIOException failedWrite) {
        if (failedWrite.getCause() instanceof java.nio.file.FileSystemException f && f.getReason() != null
                && !failedWrite.getMessage().startsWith("copybench could not write")) {   // a cell's directory: say it alike
            failedWrite = new UncheckedIOException("copybench could not write " + f.getFile() + ": " + f.getReason(), f);
        }
        if (stopped == null) {
            stopped = failedWrite;
            System.out.println("[copybench] " + failedWrite.getMessage() + "; the run stops here, no further cell runs");
        }
        return failedWrite;
    }

    /** {@code copybench.results.dir}, default {@code target/copybench}. */
    static Path resultsDir(Settings settings) {
        return Path.of(settings.get(Settings.RESULTS_DIR).orElse("target/copybench"));
    }

    /**
     * The previous runs {@code copybench.baseline} names (a results file or a directory of runs; this run's own file
     * left out), as a plan measured by {@code measuredBy} sees them; a baseline that is set but cannot be read, or a
     * {@code copybench.baseline.drift} that is not a percentage, is refused before any cell runs.
     */
    Baseline baseline(String measuredBy, BenchmarkPlan plan) {
        java.util.Optional<String> path = settings.get(Settings.BASELINE);
        if (path.isEmpty()) {
            return Baseline.notConfigured();
        }
        List<Baseline.Run> read;
        // its own lock, never this object's: the cleanup hook takes that one, and must not wait on a reader
        synchronized (baselineLock) {
            if (baseline == null) {
                baseline = readBaseline(Path.of(path.get()));
            }
            read = baseline;
        }
        double drift;
        try {
            drift = Baseline.drift(settings.get(Settings.BASELINE_DRIFT));
        } catch (IllegalArgumentException e) {
            throw new InvalidBenchmarkException(e.getMessage());
        }
        Baseline b = Baseline.of(read, Path.of(path.get()), Baseline.PlanKey.of(measuredBy, plan), drift);
        ResultsFile own;
        synchronized (this) {
            own = results;
        }
        return own == null ? b : b.without(own.runId());
    }

    /** {@code copybench.baseline}'s runs (a results file or a directory of runs), or the one line saying why not. */
    static List<Baseline.Run> readBaseline(Path path) {
        try {
            return Baseline.read(path);
        } catch (java.io.IOException e) {
            throw new InvalidBenchmarkException(Settings.BASELINE + ": " + e.getMessage());
        }
    }

    /** Tests only: the sender's busy work per message ({@code copybench.test.extraWorkNsPerMessage}), 0 without. */
    long testExtraWorkNs() {
        String v = settings.get(Settings.TEST_EXTRA_WORK).orElse("0").strip();
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidBenchmarkException(Settings.TEST_EXTRA_WORK + " '" + v + "' is not a whole number of "
                    + "nanoseconds, e.g. 20000");
        }
    }

    /** Where this JVM writes down what it creates. */
    RunRecord record() {
        return record;
    }

    NativeEngine engine() {
        return engine;
    }

    synchronized HostCapabilities host() {
        return host;
    }

    /** The events to give perf for a plan: defaults plus extras, minus those perf rejects here. */
    synchronized List<String> eventsFor(List<String> extra) {
        Map<String, String> probed = new LinkedHashMap<>();
        for (String e : extra) {
            if (!host.eventStatus().containsKey(e)) {
                probed.put(e, host.perfAvailable() ? HostProbe.probeEvent(e) : "perf is not installed");
            }
        }
        if (remote != null && !probed.isEmpty()) {
            probed = remote.probe(List.copyOf(probed.keySet()), probed);
        }
        host = host.withEvents(probed);
        Set<String> all = new LinkedHashSet<>(PerfEvents.DEFAULTS);
        all.addAll(extra);
        return all.stream().filter(e -> host.eventsPerfAccepts().contains(e)).toList();
    }

    /**
     * The matrix of a plan: benchmark methods whose annotations give the same plan share one, so
     * its cells run once (under the first such method) and every method decides its hypothesis on them.
     */
    synchronized Matrix matrix(BenchmarkPlan plan) {
        return matrices.computeIfAbsent(plan, p -> new Matrix(p, this));
    }

    /**
     * A topology with exactly these namespace sysctls, and the udp-sink route when asked for, shared by
     * the matrices that ask for the same.
     */
    synchronized Topology topology(boolean requireNamespaces, Map<String, String> sysctls, boolean sink) {
        if (RemoteTopology.requested(settings)) {
            return remoteTopology(sysctls, sink);
        }
        for (Topology t : topologies) {
            if ((!requireNamespaces || t.kind() == Topology.Kind.NAMESPACES) && t.sysctls().equals(sysctls)
                    && t.sinkAddress().isPresent() == sink) {
                return t;
            }
        }
        Topology t = Topologies.create(host, requireNamespaces, sysctls, record, sink);
        topologies.add(t);
        return t;
    }

    /**
     * The run's remote hosts, connected, probed and holding the engine once per run; from then on
     * {@link #host()} describes them. What only local namespaces can do is refused with the reason.
     */
    private Topology remoteTopology(Map<String, String> sysctls, boolean sink) {
        if (!sysctls.isEmpty()) {
            throw new IllegalStateException("namespaceSysctls " + sysctls.keySet() + " are set inside local test namespaces; "
                    + "a remote run never changes a host's sysctls: set them on the hosts, or unset "
                    + Settings.SERVER_HOST + " and " + Settings.CLIENT_HOST);
        }
        if (sink) {
            throw new IllegalStateException("udp-sink sends into a blackhole route of the local namespace pair, which a remote "
                    + "run does not have: measure UDP_SINK without " + Settings.SERVER_HOST + " and " + Settings.CLIENT_HOST);
        }
        if (remote == null) {
            remote = RemoteTopology.connect(settings, engine, record, PerfEvents.DEFAULTS);
            topologies.add(remote);
            host = remote.capabilities(host);
        }
        return remote;
    }

    private synchronized void closeTopologies() {
        postCell.close();   // the last cell's directory is removed before its topology
        for (Topology t : topologies) {
            t.close();
        }
        topologies.clear();
        tracepoints.close();
        engine.close();   // after the topologies: no engine of this run is left to start from it
    }

    @Override
    public void close() {
        try {
            List<MatrixReport> reports;
            synchronized (this) {
                reports = matrices.values().stream().map(Matrix::report).toList();
            }
            AllureReport.summary(reports, host());
        } catch (RuntimeException e) {
            System.out.println("[copybench] the report's summary could not be written: " + e);
        }
        closeTopologies();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }
}
