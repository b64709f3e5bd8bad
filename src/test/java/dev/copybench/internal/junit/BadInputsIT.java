package dev.copybench.internal.junit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.internal.Settings;
import dev.copybench.internal.host.LeftoverSweeper;
import dev.copybench.internal.host.NativeEngine;
import dev.copybench.internal.results.RunFile;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.Metric.THROUGHPUT_GBPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * The bad-input rows of docs/bad-inputs.md that need a real run or a JVM of their own: a broken run kept in the
 * results directory does not fail a later hypothesis (trends read kept runs); {@code compare} on a FIFO exits 2 in
 * its own JVM without waiting for a writer; a FIFO as {@code copybench.baseline} is refused and the run ends; and SIGTERM ends a run
 * whose baseline read is blocked (the file's open held by a write lease), leaving nothing behind.
 */
class BadInputsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void aBadKeptRunDoesNotFailALaterHypothesis() throws IOException {
        Path dir = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + "-badkept-");
        try {
            run(dir).assertStatistics(s -> s.failed(0));
            Path good = onlyRun(dir);
            // the same method's run, one cell of it in a mode this copybench does not know, kept as an older run
            ObjectNode tree = (ObjectNode) JSON.readTree(good.toFile());
            tree.put("runId", "20200101T000000.000Z-1");
            ((ObjectNode) tree.path("plans").path(0).path("cells").path(0)).put("mode", "SPLICE");
            Path bad = Files.createDirectories(dir.resolve("20200101T000000.000Z-1")).resolve("results.json");
            Files.writeString(bad, JSON.writeValueAsString(tree));

            Events later = run(dir);

            later.assertStatistics(s -> s.failed(0).aborted(0));
            assertThat(later.succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName())).contains("hypothesis");
            Path latest;
            try (Stream<Path> runs = Files.list(dir)) {
                latest = runs.sorted().reduce((a, b) -> b).orElseThrow().resolve("results.json");
            }
            assertThat(RunFile.read(latest).plans().get(0).hypotheses()).singleElement()
                    .satisfies(h -> assertThat(h.verdicts()).extracting(RunFile.VerdictData::outcome).containsOnly("HOLDS"));
            assertThat(bad).as("trends leave a bad kept run where it is").exists();
        } finally {
            LeftoverSweeper.deleteTree(dir);
        }
    }

    private static Events run(Path resultsDir) {
        return Jupiter.engine().selectors(selectMethod(Examples.class, "movesData",
                        BenchmarkResults.class.getName()))
                .configurationParameter(Settings.RESULTS_DIR, resultsDir.toString()).execute().testEvents();
    }

    private static Path onlyRun(Path dir) throws IOException {
        try (Stream<Path> runs = Files.list(dir)) {
            return runs.map(r -> r.resolve("results.json")).filter(Files::isRegularFile).findFirst().orElseThrow();
        }
    }

    @Test
    void compareOnAFifoInItsOwnJvmExitsTwoWithoutWaitingForAWriter() throws Exception {
        Path dir = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + "-fifo-");
        try {
            Path fifo = mkfifo(dir.resolve("new.json"));
            Path log = dir.resolve("compare.log");
            Process compare = new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"),
                    "dev.copybench.hypothesis.Compare", fifo.toString(), fifo.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                // waiting for a writer would be forever: any bound shows it does not, and a JVM's start on this shared
                // host can take several seconds (BadInputsTest answers the same FIFO in-process within 5 s)
                assertThat(compare.waitFor(60, TimeUnit.SECONDS)).as("compare ended without a writer").isTrue();
                assertThat(compare.exitValue()).isEqualTo(2);
                assertThat(Files.readAllLines(log)).containsExactly("compare: " + fifo + " is a FIFO, not a results "
                        + "file: give a results.json a run wrote");
            } finally {
                compare.destroyForcibly();
            }
        } finally {
            LeftoverSweeper.deleteTree(dir);
        }
    }

    @Test
    void aFifoAsTheBaselineIsRefusedAndTheRunEnds() throws Exception {
        Path dir = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + "-fifobase-");
        try {
            Path fifo = mkfifo(dir.resolve("baseline.json"));
            Process child = childRun(dir, fifo);
            try {
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the run ended by itself").isTrue();
                assertThat(Files.readString(dir.resolve("child.log"))).contains("copybench.baseline: " + fifo
                        + " is a FIFO, not a results file: give a results.json a run wrote");
                assertNothingLeftBy(child.toHandle());
            } finally {
                child.destroyForcibly();
            }
        } finally {
            LeftoverSweeper.deleteTree(dir);
        }
    }

    /**
     * A regular baseline file whose open blocks: another process holds a write lease on it, so the kernel holds the
     * run's open() until the lease is given up or 45 s ({@code fs.lease-break-time}) pass. SIGTERM then ends the run
     * at once: its cleanup hook does not wait on the reader.
     */
    @Test
    void sigtermEndsARunBlockedReadingItsBaseline() throws Exception {
        Path dir = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + "-blockedbase-");
        Path baseline = dir.resolve("baseline.json");
        Files.writeString(baseline, "{}");
        long inode = (Long) Files.getAttribute(baseline, "unix:ino");
        Process holder = new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"), LeaseHolder.class.getName(),
                baseline.toString()).redirectErrorStream(true).start();
        Process child = null;
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(said.readLine()).isEqualTo("leased");
            child = childRun(dir, baseline);
            // the run's open() is held: the kernel is breaking the lease
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> leaseOf(inode).contains("BREAKING"));
            long blockedAt = System.nanoTime();
            assertThat(child.isAlive()).isTrue();

            child.destroy();   // SIGTERM

            assertThat(child.waitFor(15, TimeUnit.SECONDS)).as("the run ended on SIGTERM\n"
                    + Files.readString(dir.resolve("child.log"))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - blockedAt)).as("ended before the kernel broke the lease")
                    .isLessThan(Duration.ofSeconds(40));
            assertThat(leaseOf(inode)).as("the open was still held when the run ended").contains("BREAKING");
            assertNothingLeftBy(child.toHandle());
        } finally {
            if (child != null) {
                child.destroyForcibly();
            }
            holder.destroyForcibly().waitFor();
            LeftoverSweeper.deleteTree(dir);
        }
    }

    /** The lines of /proc/locks about the file with this inode. */
    private static String leaseOf(long inode) throws IOException {
        return String.join("\n", Files.readAllLines(Path.of("/proc/locks")).stream()
                .filter(l -> l.contains(":" + inode + " ")).toList());
    }

    /** A separate JVM running {@link Examples#againstTheBaseline} as a whole JUnit run, logging into dir. */
    private static Process childRun(Path dir, Path baseline) throws IOException {
        return new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"),
                "-Dcopybench.native.dir=" + NativeEngine.local().directory(),
                "-Dcopybench.results.dir=" + dir.resolve("results"), "-Dallure.results.directory=" + dir.resolve("allure"),
                "-D" + Settings.BASELINE + "=" + baseline, ChildRun.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    /** Nothing of the ended run remains: no process of it, no namespace, no temp directory, no record of it. */
    private static void assertNothingLeftBy(ProcessHandle run) throws IOException {
        assertThat(run.isAlive()).isFalse();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                .contains("--owner-pid " + run.pid()))).as("engines of the run").isEmpty();
        assertThat(Leftovers.namespaces()).filteredOn(n -> n.startsWith("copybench-" + run.pid() + "-")).isEmpty();
        List<String> temp = new ArrayList<>();
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            tmp.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("copybench-" + run.pid() + "-"))
                    .forEach(temp::add);
        }
        assertThat(temp).as("temp directories of the run").isEmpty();
    }

    private static Path mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        return path;
    }

    /** Holds a write lease on a file (root may lease any file) until killed; the lease-break signal is ignored. */
    static final class LeaseHolder {
        private static final int O_RDWR = 2;
        private static final int F_SETLEASE = 1024;
        private static final int F_WRLCK = 1;
        private static final int SIGIO = 29;
        private static final long SIG_IGN = 1;

        interface C extends Library {
            int open(String path, int flags);

            int fcntl(int fd, int cmd, int arg);

            long signal(int signal, long handler);
        }

        public static void main(String[] args) throws InterruptedException {
            C c = Native.load("c", C.class);
            c.signal(SIGIO, SIG_IGN);   // its default would end this process, and with it the lease
            int fd = c.open(args[0], O_RDWR);
            if (fd < 0 || c.fcntl(fd, F_SETLEASE, F_WRLCK) != 0) {
                System.out.println("no lease: errno " + Native.getLastError());
                System.exit(1);
            }
            System.out.println("leased");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** A JUnit run of {@link Examples#againstTheBaseline} in its own JVM. */
    static final class ChildRun {
        public static void main(String[] args) {
            var listener = new org.junit.platform.launcher.listeners.SummaryGeneratingListener();
            org.junit.platform.launcher.core.LauncherFactory.create().execute(
                    org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                            .selectors(selectMethod(Examples.class, "againstTheBaseline", BenchmarkResults.class.getName()))
                            .build(), listener);
            listener.getSummary().getFailures().forEach(f -> System.out.println("FAILED: " + f.getException().getMessage()));
            System.exit(listener.getSummary().getTotalFailureCount() == 0 ? 0 : 1);
        }
    }

    /** Run only by this class, through EngineTestKit or a child JVM. */
    static class Examples {

        /** Holds on any host that moves data at all: 6 repetitions keep the interval's low end above 1 Mbps. */
        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "200ms", warmup = "50ms",
                repetitions = 6)
        void movesData(BenchmarkResults results) {
            assertThat(results).metric(THROUGHPUT_GBPS).isGreaterThan(0.001);
        }

        @CopyModeBenchmark(sizes = "64K", modes = CopyMode.ONE_COPY, duration = "300ms", warmup = "50ms", repetitions = 2)
        void againstTheBaseline(BenchmarkResults results) {
            assertThat(results).metric(THROUGHPUT_GBPS).of(CopyMode.ONE_COPY)
                    .isNotWorseThanBaseline(org.assertj.core.api.Assertions.withinPercentage(50));
        }
    }
}
