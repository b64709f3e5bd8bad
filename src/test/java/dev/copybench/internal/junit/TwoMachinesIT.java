package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.Measurement;
import dev.copybench.Metric;
import dev.copybench.internal.Settings;
import dev.copybench.internal.host.Commands;
import dev.copybench.internal.host.LeftoverSweeper;
import dev.copybench.internal.host.NativeEngine;
import dev.copybench.internal.host.RunRecord;
import dev.copybench.internal.host.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.Metric.INTEGRITY_ERRORS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * Two machines over SSH, with real OpenSSH servers: two "hosts" on this machine ({@link SshHosts}),
 * each a network namespace with its own sshd, private /tmp and no view of this project or its
 * engine. Matrices run with the server on host A and the client on host B, and with the client
 * local; verdicts and artifacts come back; a JVM killed mid-matrix leaves nothing on either host;
 * each SSH failure is one line.
 */
class TwoMachinesIT {

    private static SshHosts hosts;

    @BeforeAll
    static void startHosts() throws IOException {
        assumeTrue(SshHosts.possible(), "needs root, /usr/sbin/sshd (openssh-server) and ssh (openssh-client)");
        hosts = SshHosts.start();
    }

    @AfterAll
    static void stopHosts() {
        if (hosts != null) {
            hosts.close();
        }
    }

    private static EngineTestKit.Builder remote(String method, Map<String, String> settings) {
        EngineTestKit.Builder kit = Jupiter.engine()
                .selectors(selectMethod(Examples.class, method, BenchmarkResults.class.getName()))
                .configurationParameter(Settings.SSH_CONFIG, hosts.sshConfig().toString());
        settings.forEach(kit::configurationParameter);
        return kit;
    }

    @Test
    void theEngineIsNotOnTheHostsUntilUploaded() {
        for (String host : List.of("a", "b")) {
            assertThat(hosts.onHost(host, "test", "-e", NativeEngine.local().executable().toString()).exitCode())
                    .as("host %s sees this JVM's engine", host).isNotZero();
            assertThat(hosts.onHost(host, "test", "-e", System.getProperty("user.dir")).exitCode()).isZero();
            assertThat(hosts.onHost(host, "ls", "-A", System.getProperty("user.dir")).stdout()).as("the project is hidden").isEmpty();
        }
    }

    @Test
    void serverOnOneHostClientOnTheOther() {
        Examples.last = null;
        long started = System.nanoTime();
        Events tests = remote("acrossHosts", Map.of(Settings.SERVER_HOST, "hostA", Settings.CLIENT_HOST, "hostB",
                Settings.SERVER_ADDRESS, SshHosts.A_DATA)).execute().testEvents();
        long wallMs = (System.nanoTime() - started) / 1_000_000;

        tests.assertStatistics(s -> s.started(5).succeeded(5).failed(0).aborted(0));
        tests.assertThatEvents().haveExactly(1, event(displayName("hypothesis"), finishedSuccessfully()));
        BenchmarkResults results = Examples.last;
        assertThat(results.topology()).contains("server on hostA", "client on hostB", "data path " + SshHosts.A_DATA);
        assertThat(results.cells()).hasSize(4).allSatisfy(r -> {
            assertThat(r.topology()).isEqualTo(Topology.Kind.REMOTE);
            assertThat(r.artifacts()).containsKeys("server.json", "client.json", "server.err", "client.err");
            assertThat(r.artifacts().get("server.json")).contains("\"integrity_errors\"");
            if (results.host().perfAvailable()) {
                assertThat(r.artifacts().get("server.perf")).as("the server's perf output, from host A").contains("task-clock");
                assertThat(r.artifacts().get("client.perf")).as("the client's perf output, from host B").contains("task-clock");
            }
        });
        CellResult zeroCopy = results.cells().stream().filter(r -> r.cell().mode() == CopyMode.ZERO_COPY).findFirst().orElseThrow();
        Measurement copied = Metric.ZERO_COPY_COPIED_SHARE.measure(zeroCopy);
        System.out.printf(Locale.ROOT, "[two machines] remote topology (A → B over the data veth): ZERO_COPY 64 KiB copied share %s; "
                        + "wall %.2f s per cell (%d ms for %d cells and the hypothesis, connection, probe and upload included); "
                        + "a cell's own test takes %s%n",
                copied.isPresent() ? String.format(Locale.ROOT, "%.1f %%", copied.value() * 100) : "absent", wallMs / 4 / 1000.0,
                wallMs, results.cells().size(), cellTimes(tests));
        assertThat(hosts.runDirectories("a")).as("host A's run directory is removed at the end").isEmpty();
        assertThat(hosts.runDirectories("b")).as("host B's run directory is removed at the end").isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(hosts.sessionProcesses("a")).isEmpty();
            assertThat(hosts.sessionProcesses("b")).isEmpty();
        });
    }

    /**
     * A {@code java.io.tmpdir} with a space and a {@code %} (ssh splits an {@code -o} value at whitespace and
     * expands {@code %} tokens): the control socket is still one path, and the matrix runs across both hosts.
     */
    @Test
    void aTmpdirWithASpaceStillReachesTheHosts() throws IOException {
        String tmpdir = System.getProperty("java.io.tmpdir");
        Path spaced = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + " with space %h-");
        System.setProperty("java.io.tmpdir", spaced.toString());
        try {
            Examples.last = null;
            Events tests = remote("acrossHosts", Map.of(Settings.SERVER_HOST, "hostA", Settings.CLIENT_HOST, "hostB",
                    Settings.SERVER_ADDRESS, SshHosts.A_DATA)).execute().testEvents();

            tests.assertStatistics(s -> s.started(5).succeeded(5).failed(0).aborted(0));
            assertThat(Examples.last.topology()).contains("server on hostA", "client on hostB");
            try (Stream<Path> left = Files.list(spaced)) {
                assertThat(left).as("the control and cell directories under the spaced tmpdir are removed").isEmpty();
            }
        } finally {
            System.setProperty("java.io.tmpdir", tmpdir);
            LeftoverSweeper.deleteTree(spaced);   // also when the run failed: the test's own directory
        }
    }

    /**
     * "Local", with a remote server, is this JVM's own network namespace: the one that reaches the
     * server host (here over its management veth, the server host's own address by default).
     */
    @Test
    void clientLocalServerRemote() {
        Examples.last = null;
        Events tests = remote("acrossHosts", Map.of(Settings.SERVER_HOST, "hostA")).execute().testEvents();

        tests.assertStatistics(s -> s.started(5).succeeded(5).failed(0));
        assertThat(Examples.last.topology()).contains("server on hostA", "client local", "data path " + SshHosts.A_MGMT);
        assertThat(Examples.last.cells()).allSatisfy(r -> assertThat(r.artifacts()).containsKeys("server.json", "client.json"));
        assertThat(hosts.runDirectories("a")).isEmpty();
    }

    /**
     * A run directory of a dead owner on the host is swept only when this login made it: another user's, with an
     * owner file naming a dead PID, survives the next run's sweep; one of ours is removed.
     */
    @Test
    void theRemoteSweepRemovesOnlyThisLoginsDeadRunDirectories() {
        String plant = "mkdir /tmp/copybench-run-planted /tmp/copybench-run-oursdead"
                + " && echo '999999 1' > /tmp/copybench-run-planted/owner && echo '999999 1' > /tmp/copybench-run-oursdead/owner"
                + " && chown -R 65534 /tmp/copybench-run-planted";
        assertThat(hosts.onHost("a", "sh", "-c", plant).exitCode()).isZero();
        try {
            Events tests = remote("acrossHosts", Map.of(Settings.SERVER_HOST, "hostA")).execute().testEvents();

            tests.assertStatistics(s -> s.started(5).succeeded(5).failed(0));
            assertThat(hosts.runDirectories("a")).as("another user's run directory survives, ours is swept")
                    .containsExactly("/tmp/copybench-run-planted");
        } finally {
            hosts.onHost("a", "rm", "-rf", "/tmp/copybench-run-planted", "/tmp/copybench-run-oursdead");
        }
    }

    /** The server here, the client on host B, which reaches this JVM's namespace over its management veth. */
    @Test
    void serverLocalClientRemote() {
        Examples.last = null;
        Events tests = remote("acrossHosts", Map.of(Settings.CLIENT_HOST, "hostB", Settings.SERVER_ADDRESS, SshHosts.HERE_FOR_B))
                .execute().testEvents();

        tests.assertStatistics(s -> s.started(5).succeeded(5).failed(0));
        assertThat(Examples.last.topology()).contains("server local", "client on hostB", "data path " + SshHosts.HERE_FOR_B);
        assertThat(hosts.runDirectories("b")).isEmpty();
    }

    /** The same matrix on the local namespace pair, for the wall time per cell against the remote topology. */
    @Test
    void theSameMatrixLocallyForComparison() {
        long started = System.nanoTime();
        Events tests = Jupiter.engine().selectors(selectMethod(Examples.class, "acrossHosts", BenchmarkResults.class.getName()))
                .execute().testEvents();
        long wallMs = (System.nanoTime() - started) / 1_000_000;
        tests.assertStatistics(s -> s.started(5).succeeded(5));
        System.out.printf(Locale.ROOT, "[two machines] local namespace pair: wall %.2f s per cell (%d ms for 4 cells and the hypothesis); "
                + "a cell's own test takes %s%n", wallMs / 4 / 1000.0, wallMs, cellTimes(tests));
    }

    /**
     * From start to finish of each cell's own test, in ms, in order: the first one includes the
     * matrix's set-up (the topology; for a remote one the connection, probe and upload).
     */
    private static String cellTimes(Events tests) {
        Map<String, java.time.Instant> start = new java.util.HashMap<>();
        tests.started().stream().forEach(e -> start.put(e.getTestDescriptor().getUniqueId().toString(), e.getTimestamp()));
        return tests.finished().stream().filter(e -> !e.getTestDescriptor().getDisplayName().equals("hypothesis"))
                .map(e -> Duration.between(start.get(e.getTestDescriptor().getUniqueId().toString()), e.getTimestamp()).toMillis()
                        + " ms").toList().toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wrongHost      | Connection refused",
            "refusedKey     | Permission denied (publickey)",
            "unknownHostKey | Host key verification failed."})
    void eachSshFailureIsOneLineNamingTheHost(String alias, String sshSays) {
        Events tests = remote("acrossHosts", Map.of(Settings.SERVER_HOST, alias, Settings.SERVER_ADDRESS, SshHosts.A_DATA))
                .execute().testEvents();

        tests.assertThatEvents().haveAtLeast(1, event(finishedWithFailure(message(m ->
                m.startsWith("copybench.server.host " + alias + ": ssh failed: ") && m.contains(sshSays) && !m.contains("\n")))));
        assertThat(hosts.runDirectories("a")).isEmpty();
    }

    @Test
    void aJvmKilledMidMatrixLeavesNothingOnEitherHost() throws Exception {
        Path dir = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + "-ssh-child-");
        Path state = dir.resolve("state");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dcopybench.native.dir=" + NativeEngine.local().directory(), "-Dallure.results.directory=" + dir.resolve("allure"),
                "-D" + Settings.STATE_DIR + "=" + state, "-D" + Settings.RESULTS_DIR + "=" + dir.resolve("results"),
                "-D" + Settings.SSH_CONFIG + "=" + hosts.sshConfig(),
                "-D" + Settings.SERVER_HOST + "=hostA", "-D" + Settings.CLIENT_HOST + "=hostB",
                "-D" + Settings.SERVER_ADDRESS + "=" + SshHosts.A_DATA, ChildRun.class.getName(), "longMatrix")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            await("an engine running on host A").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> engines("a") > 0 && engines("b") > 0);
            assertThat(hosts.runDirectories("a")).hasSize(1);
            child.destroyForcibly().waitFor();   // SIGKILL: no shutdown hook, no JUnit teardown, no ssh -O exit

            await("nothing left on either host").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        assertThat(hosts.sessionProcesses("a")).as("processes on host A").isEmpty();
                        assertThat(hosts.sessionProcesses("b")).as("processes on host B").isEmpty();
                        assertThat(hosts.runDirectories("a")).as("run directories on host A").isEmpty();
                        assertThat(hosts.runDirectories("b")).as("run directories on host B").isEmpty();
                    });
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                    .contains("copybench-" + child.pid() + "-ssh"))).as("the child's ssh clients here").isEmpty();
            Properties env = new Properties();
            try (java.io.Reader in = Files.newBufferedReader(dir.resolve("allure/environment.properties"))) {
                env.load(in);
            }
            assertThat(env).as("per-host facts in the report's environment").containsKeys("server host (hostA) kernel",
                    "server host (hostA) countable events", "client host (hostB) perf");
            assertThat(env.getProperty("server host (hostA) data interface")).startsWith("data (driver ");
            assertThat(env.getProperty("topology")).startsWith("remote: server on hostA, client on hostB");
            // its local leftover (the ssh control directory) is listed in its record, which the next run sweeps
            assertThat(LeftoverSweeper.sweep(state)).allSatisfy(removed -> assertThat(removed).contains("copybench-" + child.pid()));
        } finally {
            child.destroyForcibly();
            LeftoverSweeper.deleteTree(dir);
        }
    }

    private static long engines(String host) {
        return hosts.sessionProcesses(host).stream()
                .filter(p -> p.info().command().orElse("").endsWith(NativeEngine.EXECUTABLE)).count();
    }

    /** A child JVM: runs one example method as a whole JUnit run, until it ends or is killed. */
    static final class ChildRun {
        public static void main(String[] args) {
            org.junit.platform.launcher.core.LauncherFactory.create().execute(
                    org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                            .selectors(selectMethod(Examples.class, args[0], BenchmarkResults.class.getName())).build());
        }
    }

    /** Run only through EngineTestKit above. */
    static class Examples {

        static volatile BenchmarkResults last;

        @CopyModeBenchmark(sizes = "64K", modes = {CopyMode.ONE_COPY, CopyMode.ZERO_COPY}, duration = "300ms",
                warmup = "100ms", repetitions = 2)
        void acrossHosts(BenchmarkResults results) {
            last = results;
            assertThat(results).metric(INTEGRITY_ERRORS).isAtMost(0);
        }

        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "2s", warmup = "100ms", repetitions = 30)
        void longMatrix(BenchmarkResults results) {
            assertThat(results.cells()).isNotEmpty();
        }
    }
}
