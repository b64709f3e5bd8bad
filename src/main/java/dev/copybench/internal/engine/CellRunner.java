package dev.copybench.internal.engine;

import dev.copybench.CellResult;
import dev.copybench.Workload;
import dev.copybench.internal.host.Commands;
import dev.copybench.internal.PostCellWork;
import dev.copybench.internal.host.LeftoverSweeper;
import dev.copybench.internal.host.RemoteHost;
import dev.copybench.internal.host.RemoteTopology;
import dev.copybench.internal.host.SshHost;
import dev.copybench.internal.host.RunRecord;
import dev.copybench.internal.host.Topology;
import dev.copybench.internal.perf.PerfControlFifos;
import dev.copybench.internal.perf.PerfCounters;
import dev.copybench.internal.perf.PerfStatCommand;
import dev.copybench.internal.perf.PerfStatParser;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.plan.CellDeadline;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one cell: the server (under {@code perf stat}) on the topology's server side, then, once it
 * has written its port to the ready file, the client on the other side. Both are bounded by a
 * hard deadline; whatever happens, every process is ended and the cell's temp directory removed.
 */
public final class CellRunner {

    /** How long a server may take to listen. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    /** udp-sink's destination port: discard, though nothing is ever delivered. */
    private static final String SINK_PORT = "9";

    private final Path engine;
    private final RunRecord record;
    private final long maxMemory;
    private final Topology topology;
    private final List<String> perfEvents;
    private final Map<String, String> notCountable;
    private final boolean perf;
    private final PostCellWork postCell;
    private long testExtraWorkNs;

    /**
     * @param engine       the {@code copybench-engine} executable to run on both sides
     * @param record       where each cell's temp directory is written down while it exists
     * @param maxMemory    the cap each engine checks its planned allocation against ({@code --max-memory})
     * @param perfEvents   events for perf stat; with {@code perf == false} no perf session is started
     * @param notCountable events the host probe kept away from perf, with why (reported as their absence)
     * @param postCell     where a finished cell's temporary directory is removed: the run's post-cell thread
     */
    public CellRunner(Path engine, RunRecord record, long maxMemory, Topology topology, List<String> perfEvents,
                      Map<String, String> notCountable, boolean perf, PostCellWork postCell) {
        this.engine = engine;
        this.record = record;
        this.maxMemory = maxMemory;
        this.topology = topology;
        this.perfEvents = List.copyOf(perfEvents);
        this.notCountable = Map.copyOf(notCountable);
        this.perf = perf;
        this.postCell = postCell;
    }

    /** Tests only: the sender spins this long after each message ({@code --test-extra-work-ns}), a slower engine. */
    public void withTestExtraWork(long nanoseconds) {
        this.testExtraWorkNs = nanoseconds;
    }

    public CellResult run(Cell cell, BenchmarkPlan plan) {
        postCell.finish();   // the previous cell's leftovers are gone before this one's engines start
        // a random name nobody can take first, 0700, written down with its proof once it exists
        Path dir = record.createPrivateDirectory(Path.of(System.getProperty("java.io.tmpdir")),
                "copybench-" + ProcessHandle.current().pid() + "-cell" + cell.index() + "-");
        try {
            return runIn(dir, cell, plan);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellFailedException("interrupted", Map.of());
        } finally {
            postCell.later(() -> {
                if (LeftoverSweeper.deleteTree(dir)) {
                    record.removed(RunRecord.Kind.DIR, dir.toString());
                }
            });
        }
    }

    private CellResult runIn(Path dir, Cell cell, BenchmarkPlan plan) throws IOException, InterruptedException {
        long warmupMs = plan.warmup().toMillis();
        long durationMs = plan.duration().toMillis();
        long deadlineMs = CellDeadline.of(plan, cell).toMillis();   // grows with what the cell allocates and drains
        List<String> common = List.of("--workload", cell.workload().engineName(), "--size", String.valueOf(cell.size().bytes()),
                "--threads", String.valueOf(cell.threads()), "--warmup-ms", String.valueOf(warmupMs),
                "--duration-ms", String.valueOf(durationMs), "--deadline-ms", String.valueOf(deadlineMs),
                "--owner-pid", String.valueOf(ProcessHandle.current().pid()), "--max-memory", String.valueOf(maxMemory));
        if (cell.workload() == Workload.UDP_SINK) {
            return runSink(dir, cell, plan, common, deadlineMs);
        }
        if (topology instanceof RemoteTopology remote) {
            return runAcross(remote, dir, cell, plan, common, deadlineMs);
        }
        Path ready = dir.resolve("ready");
        List<String> server = sender(cell, plan, List.of("--bind", topology.serverAddress(), "--port", "0",
                "--ready-file", ready.toString()), common);
        try (EngineProcess serverProcess = EngineProcess.start(topology.onServerSide(underPerf(server, dir, "server")), dir, "server")) {
            // the client starts at once and reads the port from the ready file itself: its perf and
            // process start-up overlap the server's instead of following them
            List<String> client = new ArrayList<>(List.of(engine.toString(), "client",
                    "--mode", cell.mode().engineName(), "--connect", topology.serverAddress(), "--port-file", ready.toString()));
            client.addAll(common);
            if (plan.tuning().pinned()) {
                client.addAll(List.of("--cpu", "1"));
            }
            try (EngineProcess clientProcess = EngineProcess.start(topology.onClientSide(underPerf(client, dir, "client")), dir, "client")) {
                awaitReady(serverProcess, ready, dir);
                long deadline = System.nanoTime() + Duration.ofMillis(deadlineMs).toNanos();
                boolean ended = clientProcess.awaitUntil(deadline) & serverProcess.awaitUntil(deadline);
                if (!ended) {
                    throw pastDeadline(deadlineMs, dir);
                }
                return bothEnded(cell, serverProcess, clientProcess, dir);
            }
        }
    }

    /**
     * A cell with a side on a remote host: the server starts first, its port comes back through its
     * own stderr line ({@code listening on ADDR:PORT}, read over the SSH channel: no shared filesystem),
     * then the client starts with that port. A remote side runs under its host's perf with the fifos
     * in the run directory there; its JSON and stderr come back through the session, its perf output
     * with one more command once it has ended.
     */
    private CellResult runAcross(RemoteTopology remote, Path dir, Cell cell, BenchmarkPlan plan, List<String> common,
                                 long deadlineMs) throws IOException, InterruptedException {
        List<String> allow = List.of("--allow-address", remote.serverAddress());
        Path ready = dir.resolve("ready");
        List<String> server = new ArrayList<>(sender(cell, plan, List.of("--bind", remote.serverAddress(), "--port", "0"), common));
        server.addAll(allow);
        if (remote.server().isEmpty()) {
            server.addAll(List.of("--ready-file", ready.toString()));
        }
        List<RemoteSide> fetched = new ArrayList<>();
        try (EngineProcess serverProcess = startSide(remote, remote.server(), server, dir, "server", fetched)) {
            long deadline = System.nanoTime() + Duration.ofMillis(deadlineMs).toNanos();
            int port = awaitPort(serverProcess, remote.server().isPresent() ? dir.resolve("server.err") : ready, dir, fetched);
            List<String> client = new ArrayList<>(List.of(engine.toString(), "client", "--mode", cell.mode().engineName(),
                    "--connect", remote.serverAddress(), "--port", String.valueOf(port)));
            client.addAll(common);
            client.addAll(allow);
            if (plan.tuning().pinned()) {
                client.addAll(List.of("--cpu", "1"));
            }
            try (EngineProcess clientProcess = startSide(remote, remote.client(), client, dir, "client", fetched)) {
                boolean ended = clientProcess.awaitUntil(deadline) & serverProcess.awaitUntil(deadline);
                if (!ended) {
                    clientProcess.close();
                    serverProcess.close();
                    fetch(dir, fetched);
                    throw pastDeadline(deadlineMs, dir);
                }
                fetch(dir, fetched);
                return bothEnded(cell, serverProcess, clientProcess, dir);
            }
        } finally {
            fetch(dir, fetched);
        }
    }

    /**
     * Starts one side: here (this JVM's network namespace, under local perf), or on its remote host
     * through the SSH master, as one remote shell line that makes the cell's directory and fifos there
     * and execs perf stat and the uploaded engine. {@code remoteDirs} collects the remote cell
     * directories, whose perf output {@link #fetch} brings back.
     */
    private EngineProcess startSide(RemoteTopology remote, java.util.Optional<RemoteHost> host, List<String> command, Path dir,
                                    String side, List<RemoteSide> remoteDirs) throws IOException {
        if (host.isEmpty()) {
            return EngineProcess.start(underPerf(command, dir, side), dir, side);
        }
        RemoteHost h = host.get();
        String cellDir = h.ssh().runDir() + "/" + dir.getFileName() + "-" + side;
        List<String> engineCmd = new ArrayList<>();
        engineCmd.add(h.engine());
        for (int i = 1; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg.equals("--owner-pid")) {
                i++;   // this JVM's PID means nothing there: the session's end ends the engine instead
            } else if (arg.equals("--max-memory") && remote.engineMemoryCap(h).isPresent()) {
                engineCmd.addAll(List.of(arg, String.valueOf(remote.engineMemoryCap(h).get())));   // that host's memory
                i++;
            } else {
                engineCmd.add(arg);
            }
        }
        engineCmd.add("--exit-on-stdin-eof");
        String q = SshHost.quote(cellDir);
        StringBuilder script = new StringBuilder("mkdir " + q + " || exit 125\n");
        if (perf) {
            PerfControlFifos fifos = new PerfControlFifos(Path.of(cellDir, side + ".ctl"), Path.of(cellDir, side + ".ack"));
            script.append("mkfifo -m 600 ").append(SshHost.quote(fifos.control().toString())).append(' ')
                    .append(SshHost.quote(fifos.ack().toString())).append(" || exit 125\n");
            List<String> full = new ArrayList<>(PerfStatCommand.prefix(perfEvents, Path.of(cellDir, side + ".perf"), fifos));
            full.addAll(engineCmd);
            full.addAll(List.of("--perf-ctl", fifos.control().toString(), "--perf-ack", fifos.ack().toString()));
            engineCmd = full;
        }
        script.append("exec ").append(SshHost.quote(engineCmd));
        synchronized (remoteDirs) {
            remoteDirs.add(new RemoteSide(h, side, cellDir));
        }
        return EngineProcess.startHeld(h.ssh().command(script.toString()), dir, side);
    }

    /** Brings back the perf output of each remote side and removes its cell directory there; once each. */
    private static void fetch(Path dir, List<RemoteSide> remoteDirs) {
        synchronized (remoteDirs) {
            for (RemoteSide remote : remoteDirs) {
                String side = remote.side();
                String q = SshHost.quote(remote.dir());
                Commands.Result r = remote.host().ssh().run("cat " + q + "/" + side + ".perf 2>/dev/null; rm -rf " + q,
                        Duration.ofSeconds(30));
                try {
                    if (!r.stdout().isEmpty()) {
                        Files.writeString(dir.resolve(side + ".perf"), r.stdout());
                    }
                } catch (IOException e) {
                    // the cell reports its counters as missing; the measurement itself stands
                }
            }
            remoteDirs.clear();
        }
    }

    /** A side's cell directory on its remote host. */
    private record RemoteSide(RemoteHost host, String side, String dir) {
    }

    /** The server's port: from its ready file here, or from its {@code listening on} line over SSH. */
    private static int awaitPort(EngineProcess server, Path source, Path dir, List<RemoteSide> fetched) {
        java.util.regex.Pattern listening = java.util.regex.Pattern.compile("listening on [^\\s]*:(\\d+)");
        java.util.concurrent.atomic.AtomicInteger port = new java.util.concurrent.atomic.AtomicInteger(-1);
        java.util.function.BooleanSupplier found = () -> {
            try {
                if (!Files.exists(source)) {
                    return false;
                }
                String text = Files.readString(source);
                if (source.getFileName().toString().equals("ready")) {
                    if (text.endsWith("\n")) {
                        port.set(Integer.parseInt(text.strip()));
                    }
                } else {
                    java.util.regex.Matcher m = listening.matcher(text);
                    if (m.find()) {
                        port.set(Integer.parseInt(m.group(1)));
                    }
                }
                return port.get() >= 0;
            } catch (IOException | NumberFormatException e) {
                return false;
            }
        };
        try {
            Awaitility.await("server ready").atMost(READY_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> found.getAsBoolean() || !server.isAlive());
        } catch (ConditionTimeoutException e) {
            server.close();
            fetch(dir, fetched);
            throw new CellFailedException("server did not become ready within " + READY_TIMEOUT.toSeconds() + " s", artifacts(dir));
        }
        if (!found.getAsBoolean()) {
            fetch(dir, fetched);
            throw new CellFailedException("server exited before it was ready (exit " + server.exitCode() + ")", artifacts(dir));
        }
        return port.get();
    }

    /** The cell's result once both sides ended, or its failure: a side that exited non-zero or printed no report. */
    private CellResult bothEnded(Cell cell, EngineProcess serverProcess, EngineProcess clientProcess, Path dir) {
        String serverJson = serverProcess.stdout();
        String clientJson = clientProcess.stdout();
        String unreported = unreported("server", serverJson) + unreported("client", clientJson);
        if (serverProcess.exitCode() != 0 || clientProcess.exitCode() != 0 || !unreported.isEmpty()) {
            throw new CellFailedException("engine failed: server exited " + serverProcess.exitCode()
                    + ", client exited " + clientProcess.exitCode() + unreported, artifacts(dir));
        }
        Map<String, String> artifacts = artifacts(dir);
        return new CellResult(cell, topology.kind(), EngineReport.parse(serverJson), EngineReport.parse(clientJson),
                counters(artifacts, "server.perf"), counters(artifacts, "client.perf"), artifacts);
    }

    /** The server's command: the send path, where it sends, and the socket tuning. */
    private List<String> sender(Cell cell, BenchmarkPlan plan, List<String> where, List<String> common) {
        List<String> server = new ArrayList<>(List.of(engine.toString(), "server", "--mode", cell.mode().engineName()));
        server.addAll(where);
        server.addAll(common);
        if (plan.tuning().sendBufferBytes() > 0) {
            server.addAll(List.of("--sndbuf", String.valueOf(plan.tuning().sendBufferBytes())));
        }
        if (plan.tuning().nonBlocking()) {
            server.add("--nonblocking");
        }
        if (plan.tuning().pinned()) {
            server.addAll(List.of("--cpu", "0"));
        }
        if (testExtraWorkNs > 0) {
            server.addAll(List.of("--test-extra-work-ns", String.valueOf(testExtraWorkNs)));
        }
        return server;
    }

    /**
     * udp-sink: only the server runs, sending datagrams into the topology's blackhole route; with no
     * receiver, its own report stands for both sides (throughput is what it sent in its window).
     */
    private CellResult runSink(Path dir, Cell cell, BenchmarkPlan plan, List<String> common, long deadlineMs)
            throws IOException, InterruptedException {
        String sink = topology.sinkAddress().orElseThrow(() -> new IllegalStateException(
                "udp-sink needs a topology built with its sink route"));
        List<String> server = sender(cell, plan, List.of("--connect", sink, "--port", SINK_PORT), common);
        try (EngineProcess serverProcess = EngineProcess.start(topology.onServerSide(underPerf(server, dir, "server")), dir, "server")) {
            if (!serverProcess.awaitUntil(System.nanoTime() + Duration.ofMillis(deadlineMs).toNanos())) {
                throw pastDeadline(deadlineMs, dir);
            }
            String serverJson = serverProcess.stdout();
            String unreported = unreported("server", serverJson);
            if (serverProcess.exitCode() != 0 || !unreported.isEmpty()) {
                throw new CellFailedException("engine failed: server exited " + serverProcess.exitCode() + unreported,
                        artifacts(dir));
            }
            Map<String, String> artifacts = artifacts(dir);
            EngineReport report = EngineReport.parse(serverJson);
            return new CellResult(cell, topology.kind(), report, report, counters(artifacts, "server.perf"),
                    PerfCounters.unavailable("udp-sink has no client process"), artifacts);
        }
    }

    /**
     * Why a side's output is no report, or nothing: perf stat exits 0 when its workload dies of a
     * signal, so a missing report is a failure of its own.
     */
    private static String unreported(String side, String stdout) {
        return stdout.strip().startsWith("{") ? "" : "; the " + side + " printed no report (killed by a signal?)";
    }

    private static CellFailedException pastDeadline(long deadlineMs, Path dir) {
        return new CellFailedException("cell exceeded its hard deadline of " + deadlineMs + " ms; its processes were killed",
                artifacts(dir));
    }

    private List<String> underPerf(List<String> engine, Path dir, String side) throws IOException {
        if (!perf) {
            return engine;
        }
        PerfControlFifos fifos = PerfControlFifos.create(dir, side);
        List<String> cmd = new ArrayList<>(PerfStatCommand.prefix(perfEvents, dir.resolve(side + ".perf"), fifos));
        cmd.addAll(engine);
        cmd.addAll(List.of("--perf-ctl", fifos.control().toString(), "--perf-ack", fifos.ack().toString()));
        return cmd;
    }

    private static void awaitReady(EngineProcess server, Path ready, Path dir) {
        try {
            Awaitility.await("server ready").atMost(READY_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                    .until(() -> complete(ready) || !server.isAlive());
        } catch (ConditionTimeoutException e) {
            throw new CellFailedException("server did not become ready within " + READY_TIMEOUT.toSeconds() + " s", artifacts(dir));
        }
        if (!complete(ready)) {
            throw new CellFailedException("server exited before it was ready", artifacts(dir));
        }
    }

    /** The ready file holds the port and its newline: written whole, not just created. */
    private static boolean complete(Path ready) {
        try {
            return Files.exists(ready) && Files.readString(ready).endsWith("\n");
        } catch (IOException e) {
            return false;
        }
    }

    private PerfCounters counters(Map<String, String> artifacts, String name) {
        return perf ? PerfStatParser.parse(artifacts.getOrDefault(name, "")).withNotCountable(notCountable)
                : PerfCounters.unavailable("perf is not installed (apt-get install linux-perf)");
    }

    private static Map<String, String> artifacts(Path dir) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : List.of("server.json", "client.json", "server.perf", "client.perf", "server.err", "client.err")) {
            Path p = dir.resolve(name);
            try {
                if (Files.exists(p)) {
                    out.put(name, Files.readString(p));
                }
            } catch (IOException e) {
                out.put(name, "unreadable: " + e.getMessage());
            }
        }
        return out;
    }
}
