package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.internal.host.Commands;
import dev.copybench.internal.host.LeftoverSweeper;
import dev.copybench.Workload;
import dev.copybench.internal.host.NativeEngine;
import dev.copybench.internal.host.RunRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.Events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * Faults a long benchmark run must survive, injected from outside as they happen in life: an
 * engine killed or frozen mid-cell (by the PID of a process this JVM started), an engine that never
 * becomes ready, garbage from a stranger on the server's port, and a JVM that died mid-matrix.
 */
class FaultsIT {

    private static Events testsOf(String method) {
        return Jupiter.engine()
                .selectors(selectMethod(Examples.class, method, BenchmarkResults.class.getName()))
                .execute().testEvents();
    }

    /** Runs body while a watcher applies fault to the first engine process of the role to appear. */
    private static Events withFault(String role, Duration after, Consumer<ProcessHandle> fault, String method) {
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            ProcessHandle engine = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                    .until(() -> engineProcess(role), Optional::isPresent).orElseThrow();
            try {
                Thread.sleep(after.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fault.accept(engine);
        });
        Events events = testsOf(method);
        watcher.join();
        return events;
    }

    /** An engine process of this JVM (not the perf wrapping it): only ever our own children's children. */
    /** An engine of this JVM's own runs (not of the other run, whose JVM is our child too). */
    private static Optional<ProcessHandle> engineProcess(String role) {
        return ProcessHandle.current().descendants().filter(p -> !Leftovers.within(p, otherRun.toHandle()))
                .filter(p -> p.info().command().orElse("").endsWith("/copybench-engine"))
                .filter(p -> p.info().arguments().map(a -> a.length > 0 && a[0].equals(role)).orElse(false)).findFirst();
    }

    @Test
    void aServerKilledMidCellBreaksThatCellWithItsStderrAndTheMatrixGoesOn() {
        Events tests = withFault("server", Duration.ofMillis(400), ProcessHandle::destroyForcibly, "twoCells");

        tests.assertThatEvents()
                .haveExactly(1, event(displayName("ONE_COPY · 64 KiB · 1 thread"),
                        finishedWithFailure(message(m -> m.startsWith("engine failed: server exited")
                                && m.contains("the server printed no report")))))
                .haveExactly(1, event(displayName("TWO_COPY · 64 KiB · 1 thread"), finishedSuccessfully()))
                .haveExactly(1, event(displayName("hypothesis"), finishedSuccessfully()));
    }

    @Test
    void aFrozenClientIsEndedByTheCellsHardDeadline() {
        Events tests = withFault("client", Duration.ofMillis(300), FaultsIT::stop, "oneCell");

        tests.assertThatEvents().haveExactly(1, event(displayName("ONE_COPY · 64 KiB · 1 thread"),
                finishedWithFailure(message(m -> m.startsWith("cell exceeded its hard deadline of")
                        && m.contains("ms; its processes were killed")))));
        assertThat(engineProcess("client")).isEmpty();
    }

    @Test
    void anEngineThatNeverBecomesReadyFailsTheCellWithinTheReadyTimeout() throws IOException {
        Path fake = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + "-fake-engine-");
        Path script = fake.resolve("copybench-engine");
        // answers --version like the real engine, so it passes the version check and then hangs
        Files.writeString(script, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'copybench-engine "
                + NativeEngine.version() + "'; exit 0; fi\nif [ \"$1\" = --list-modes ]; then exec "
                + NativeEngine.local().executable() + " --list-modes; fi\nexec sleep 60\n");
        Files.copy(NativeEngine.local().directory().resolve(NativeEngine.LIBRARY), fake.resolve(NativeEngine.LIBRARY));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        String real = System.getProperty("copybench.native.dir");
        System.setProperty("copybench.native.dir", fake.toString());
        try {
            long start = System.nanoTime();
            Events tests = testsOf("oneCell");

            tests.assertThatEvents().haveExactly(1, event(displayName("ONE_COPY · 64 KiB · 1 thread"),
                    finishedWithFailure(message("server did not become ready within 10 s"))));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        } finally {
            restore(real);
            LeftoverSweeper.deleteTree(fake);
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse(""))).noneMatch(c -> c.contains("sleep 60"));
    }

    @Test
    void garbageOnTheServersPortIsRejectedAndTheRunStillCompletes() throws Exception {
        Path dir = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + "-garbage-");
        Path ready = dir.resolve("ready");
        Process server = new ProcessBuilder(NativeEngine.local().executable().toString(), "server", "--mode", "one-copy",
                "--size", "4096", "--threads", "1", "--bind", "127.0.0.1", "--port", "0", "--ready-file", ready.toString(),
                "--warmup-ms", "50", "--duration-ms", "300", "--deadline-ms", "20000",
                "--owner-pid", String.valueOf(ProcessHandle.current().pid()))
                .redirectError(dir.resolve("server.err").toFile()).redirectOutput(dir.resolve("server.json").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(ready));
            int port = Integer.parseInt(Files.readString(ready).strip());
            Random random = new Random(42);
            for (int size : new int[] {16, 1000, 3}) {   // a wrong hello, a flood, a short one
                byte[] junk = new byte[size];
                random.nextBytes(junk);
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    OutputStream out = s.getOutputStream();
                    out.write(junk);
                    out.flush();
                    s.shutdownOutput();
                    try {
                        s.getInputStream().read();   // wait until the server has dropped it
                    } catch (java.net.SocketException reset) {
                        // dropped with unread bytes: a reset is the server's answer too
                    }
                }
            }
            Commands.Result client = Commands.run(List.of(NativeEngine.local().executable().toString(), "client", "--size", "4096",
                    "--threads", "1", "--connect", "127.0.0.1", "--port", String.valueOf(port), "--warmup-ms", "50",
                    "--duration-ms", "300", "--deadline-ms", "20000"), Duration.ofSeconds(30));

            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitCode()).as("client exit; stderr: %s", client.stderr()).isZero();
            assertThat(server.exitValue()).as("server exit; stderr: %s", Files.readString(dir.resolve("server.err"))).isZero();
            assertThat(Files.readString(dir.resolve("server.json"))).contains("\"rejected_connections\":3");
            assertThat(client.stdout()).contains("\"integrity_errors\":0");
        } finally {
            server.destroyForcibly();
            LeftoverSweeper.deleteTree(dir);
        }
    }

    @Test
    void theStartUpSweepRemovesWhatADeadRunRecordedAndNothingElse(@TempDir Path stateDir) throws Exception {
        long dead = deadPid();
        String deadNs = "copybench-" + dead + "-9-s";
        Path deadDir = Files.createTempDirectory("copybench-" + dead + "-cell1-");
        Files.createFile(deadDir.resolve("server.ctl"));
        RunRecord live = RunRecord.ofThisJvm(stateDir);
        String liveNs = "copybench-" + ProcessHandle.current().pid() + "-99-s";
        // what a user made, with names a name-based sweep took for leftovers of dead runs
        List<String> usersNs = List.of("copybench-999999-keep-me", "copybench-999999-1-s");
        Path usersDir = Files.createTempDirectory("copybench-999999-userdata");
        Files.writeString(usersDir.resolve("notes.txt"), "mine");
        for (String ns : Stream.concat(Stream.of(deadNs, liveNs), usersNs.stream()).toList()) {
            Commands.run(List.of("ip", "netns", "add", ns)).orThrow();
        }
        live.createdNamespace(liveNs);
        // the dead run's record as it wrote it: each thing with its proof (inode; inode, owner and marker token)
        String token = "0123456789abcdef0123456789abcdef";
        Files.writeString(deadDir.resolve(".copybench-owner"), token);
        Files.write(stateDir.resolve("jvm-" + dead + "-1.record"), List.of("owner " + dead + " 1",
                "netns " + Files.getAttribute(Path.of("/run/netns", deadNs), "unix:ino") + " " + deadNs,
                "dir " + Files.getAttribute(deadDir, "unix:ino") + " " + Files.getAttribute(deadDir, "unix:uid") + " "
                        + token + " " + deadDir));
        try {
            List<String> removed = LeftoverSweeper.sweep(stateDir);

            assertThat(removed).containsExactlyInAnyOrder("netns " + deadNs, "dir " + deadDir);
            assertThat(namespaces()).doesNotContain(deadNs).contains(liveNs).containsAll(usersNs);
            assertThat(deadDir).doesNotExist();
            assertThat(stateDir.resolve("jvm-" + dead + "-1.record")).doesNotExist();
            assertThat(live.file()).exists();

            Events tests = testsOf("oneCell");   // a whole run, with its own start-up sweep

            tests.assertStatistics(s -> s.succeeded(2));
            assertThat(namespaces()).containsAll(usersNs).contains(liveNs);
            assertThat(usersDir.resolve("notes.txt")).hasContent("mine");
        } finally {
            for (String ns : Stream.concat(Stream.of(deadNs, liveNs), usersNs.stream()).toList()) {
                Commands.run(List.of("ip", "netns", "del", ns));
            }
            live.removed(RunRecord.Kind.NETNS, liveNs);
            LeftoverSweeper.deleteTree(usersDir);
            LeftoverSweeper.deleteTree(deadDir);
        }
    }

    @Test
    void anEngineWhoseOwnerDiedEndsItself() throws Exception {
        Path dir = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + "-orphan-");
        Process owner = new ProcessBuilder("sleep", "1").start();   // stands in for a JVM killed mid-matrix
        Process orphan = new ProcessBuilder(NativeEngine.local().executable().toString(), "server", "--mode", "one-copy",
                "--size", "4096", "--threads", "1", "--bind", "127.0.0.1", "--port", "0",
                "--ready-file", dir.resolve("ready").toString(), "--duration-ms", "60000",
                "--owner-pid", String.valueOf(owner.pid())).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.out").toFile()).start();
        try {
            owner.waitFor();

            assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).as("the engine ended within 5 s of its owner").isTrue();
            assertThat(orphan.exitValue()).isEqualTo(3);
            assertThat(Files.readString(dir.resolve("server.out"))).contains("owner process " + owner.pid() + " is gone; exiting");
        } finally {
            orphan.destroyForcibly();
            LeftoverSweeper.deleteTree(dir);
        }
    }

    @Test
    void aTakenPortIsNeverAskedFor() throws Exception {
        Path dir = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + "-port-");
        try (java.net.ServerSocket squatter = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int taken = squatter.getLocalPort();
            List<String> server = List.of(NativeEngine.local().executable().toString(), "server", "--mode", "one-copy", "--size", "4096",
                    "--threads", "1", "--bind", "127.0.0.1", "--ready-file", dir.resolve("ready").toString(), "--duration-ms", "100",
                    "--deadline-ms", "5000", "--owner-pid", String.valueOf(ProcessHandle.current().pid()), "--port");

            Commands.Result fixed = Commands.run(concat(server, String.valueOf(taken)), Duration.ofSeconds(10));
            assertThat(fixed.exitCode()).isEqualTo(1);
            assertThat(fixed.stderr()).contains("cannot listen on 127.0.0.1:" + taken + ": Address already in use");

            // what CellRunner does: port 0, and the port the kernel picked is read from the ready file
            Process picked = new ProcessBuilder(concat(server, "0")).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.out").toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("ready")));
                assertThat(Integer.parseInt(Files.readString(dir.resolve("ready")).strip())).isPositive().isNotEqualTo(taken);
            } finally {
                picked.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } finally {
            LeftoverSweeper.deleteTree(dir);
        }
    }

    private static List<String> concat(List<String> command, String last) {
        return Stream.concat(command.stream(), Stream.of(last)).toList();
    }

    @Test
    void aJvmKilledMidMatrixLeavesNothingTheNextRunsSweepDoesNotRemove() throws Exception {
        Path dir = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + "-child-");
        Process child = startChildRun("longMatrix", dir);
        String prefix = "copybench-" + child.pid() + "-";
        String owner = "--owner-pid " + child.pid();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                    Leftovers.namespaces().stream().anyMatch(n -> n.startsWith(prefix)) && !processesOwnedBy(owner).isEmpty());

            child.destroyForcibly().waitFor();   // SIGKILL: no shutdown hook, no JUnit teardown

            // its engines notice their owner is gone and end themselves; nobody kills them by name
            await().atMost(Duration.ofSeconds(10)).until(() -> processesOwnedBy(owner).isEmpty());
            List<String> removed = LeftoverSweeper.sweep(Leftovers.record().file().getParent());   // as the next run does
            assertThat(removed).anyMatch(r -> r.startsWith("netns " + prefix));
            assertThat(Leftovers.namespaces()).noneMatch(n -> n.startsWith(prefix));
            try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                assertThat(tmp.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(prefix));
            }
        } finally {
            child.destroyForcibly();
            LeftoverSweeper.deleteTree(dir);
        }
    }

    private static List<ProcessHandle> processesOwnedBy(String ownerArgument) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(ownerArgument)).toList();
    }

    /** A child JVM: runs the example method named by its argument until it ends or is killed. */
    static final class ChildRun {
        public static void main(String[] args) {
            org.junit.platform.launcher.core.LauncherFactory.create().execute(
                    org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                            .selectors(selectMethod(Examples.class, args[0], BenchmarkResults.class.getName())).build());
        }
    }

    /** The PID of a process that ran and exited: an owner that is certainly dead. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static void stop(ProcessHandle p) {
        Commands.run(List.of("kill", "-STOP", String.valueOf(p.pid())));
    }

    /** The cgroup v1 freezer this machine mounts: freezing through it sends no SIGCHLD, unlike SIGSTOP. */
    private static final Path FREEZER = Path.of("/sys/fs/cgroup/freezer");

    /**
     * Freezes the process for a while, as a starving host would, then lets it go on. Through the cgroup
     * freezer rather than SIGSTOP: a stopped child wakes perf stat's SIGCHLD handler, which then ends its
     * window control, so a SIGSTOP tests perf rather than copybench.
     */
    private static void freeze(ProcessHandle p, Duration how) {
        Path group = FREEZER.resolve("cbtest-freeze-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(group);
            Files.writeString(group.resolve("cgroup.procs"), String.valueOf(p.pid()));
            Files.writeString(group.resolve("freezer.state"), "FROZEN");
            Thread.sleep(how.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.writeString(group.resolve("freezer.state"), "THAWED");
                Files.writeString(FREEZER.resolve("cgroup.procs"), String.valueOf(p.pid()));
            } catch (IOException e) {
                // the process may have ended meanwhile, leaving the group empty
            }
            try {
                Files.delete(group);   // the test's own group, also when the process ended first
            } catch (IOException e) {
                // not empty: a process still in it; nothing more this test can do
            }
        }
    }

    @Test
    void aServerFrozenForOneSecondOfItsTwoSecondWindowIsDisturbedAndKeptOutOfTheVerdict() {
        assumeTrue(Files.isWritable(FREEZER), "no cgroup v1 freezer to freeze the server with");
        Events tests = withFault("server", Duration.ofMillis(700), p -> freeze(p, Duration.ofSeconds(1)), "twoSecondCell");

        // its own sampler woke a second late: the server is named, not the client that waited on it
        tests.assertThatEvents().haveExactly(1, event(displayName("ONE_COPY · 64 KiB · 1 thread"), abortedWithReason(
                message(m -> m.startsWith("DISTURBED, left out of verdicts: the server stalled: it was not running for ")
                        && m.contains(" ms of its 2000 ms window (its own progress sampler woke that late; a stall of "
                        + "400 ms or more disturbs a cell)")))))
                .haveExactly(1, event(displayName("hypothesis"), finishedSuccessfully()));
    }

    /**
     * Issue 21: a client stopped for 3 s was reported as a server stall (the server made no progress because the
     * client stopped reading). The client's own sampler woke late, and the server's stall was spent waiting on it.
     * Frozen through the cgroup freezer rather than SIGSTOP (see {@link #freeze}): a stopped client makes its perf
     * stat end early, and the cell then fails for want of the client's report instead of testing the attribution.
     */
    @Test
    void aClientFrozenForThreeSecondsIsDisturbedAndNamedAsTheSideThatStalled() {
        assumeTrue(Files.isWritable(FREEZER), "no cgroup v1 freezer to freeze the client with");
        Events tests = withFault("client", Duration.ofMillis(700), p -> freeze(p, Duration.ofSeconds(3)), "twoSecondCell");

        tests.assertThatEvents().haveExactly(1, event(displayName("ONE_COPY · 64 KiB · 1 thread"), abortedWithReason(
                message(m -> m.startsWith("DISTURBED, left out of verdicts: the client stalled: it was not running for ")))))
                .haveExactly(1, event(displayName("hypothesis"), finishedSuccessfully()));
    }

    private static void restore(String nativeDir) {
        if (nativeDir == null) {
            System.clearProperty("copybench.native.dir");
        } else {
            System.setProperty("copybench.native.dir", nativeDir);
        }
    }

    private static Set<String> namespaces() {
        return Commands.run(List.of("ip", "netns", "list")).stdout().lines().map(l -> l.split("\\s+")[0])
                .collect(Collectors.toSet());
    }

    /** Another copybench run on the host, alive through every test here: none of them may touch it. */
    private static Process otherRun;
    private static Path otherRunDir;

    /** What other classes' runs in this JVM hold until the JVM's launcher run ends. */
    private static Set<String> heldBefore;

    @BeforeAll
    static void anotherRunIsAlive() throws IOException {
        heldBefore = Leftovers.record().outstanding();
        otherRunDir = Files.createTempDirectory("other-copybench-run-");
        otherRun = startChildRun("anotherRunsLongCell", otherRunDir);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> !namespacesOf(otherRun).isEmpty());
    }

    /** The final check: nothing of this JVM remains, and the other run kept everything it had. */
    @AfterAll
    static void nothingRemainsAndTheOtherRunWasNotTouched() throws Exception {
        try {
            Leftovers.assertNothingBeyond(heldBefore, otherRun.toHandle());
            assertThat(otherRun.isAlive()).as("the other run is still running").isTrue();
            assertThat(namespacesOf(otherRun)).hasSize(2);
        } finally {
            otherRun.destroy();   // SIGTERM: its shutdown hook removes its namespaces
            otherRun.waitFor(30, TimeUnit.SECONDS);
            LeftoverSweeper.deleteTree(otherRunDir);
        }
        assertThat(namespacesOf(otherRun)).isEmpty();
    }

    private static Set<String> namespacesOf(Process run) {
        return Leftovers.namespaces().stream().filter(n -> n.startsWith("copybench-" + run.pid() + "-"))
                .collect(Collectors.toSet());
    }

    /** A separate JVM that runs one example method of {@link Examples} as a whole JUnit run, logging into dir. */
    private static Process startChildRun(String method, Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dcopybench.native.dir=" + NativeEngine.local().directory(), "-Dallure.results.directory=" + dir.resolve("allure"),
                "-Dcopybench.results.dir=" + dir.resolve("results"), ChildRun.class.getName(), method).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    /** Run only through EngineTestKit above. */
    static class Examples {

        @CopyModeBenchmark(sizes = "64K", modes = {CopyMode.ONE_COPY, CopyMode.TWO_COPY}, duration = "1500ms",
                warmup = "100ms", repetitions = 1)
        void twoCells(BenchmarkResults results) {
            assertThat(results.failures()).hasSize(1);
            assertThat(results.cells()).singleElement().satisfies(r -> assertThat(r.cell().mode()).isEqualTo(CopyMode.TWO_COPY));
            assertThat(results.failures().values()).singleElement()
                    .satisfies(e -> assertThat(e.artifacts()).containsKey("server.err"));
        }

        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "2s", warmup = "100ms", repetitions = 1)
        void twoSecondCell(BenchmarkResults results) {
            assertThat(results.cells()).as("a disturbed cell is no measurement").isEmpty();
            assertThat(results.disturbed()).hasSize(1);
        }

        /** Light on the CPU (64 B ping-pong), and longer than this whole class. */
        @CopyModeBenchmark(sizes = "64", modes = CopyMode.ONE_COPY, workloads = Workload.REQUEST_RESPONSE,
                duration = "10m", repetitions = 1)
        void anotherRunsLongCell(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }

        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "5s", repetitions = 5)
        void longMatrix(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }

        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "1s", warmup = "100ms", repetitions = 1)
        void oneCell(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }
    }
}
