package dev.copybench.internal.host;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.internal.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * The engine a run executes is the one it checked: a wrapper swapped into the engine cache after the first
 * cell (as anyone who can write the cache could) never runs, whether the cache is ours or another user's, and
 * every cell still runs the genuine engine.
 */
class EngineTrustIT {

    @Test
    void anEngineSwappedInTheCacheAfterTheFirstCellNeverRuns(@TempDir Path cache, @TempDir Path work) throws Exception {
        Path cached = EngineCache.extract(cache, NativeEngine.version(), EngineCache.platform());
        Path marker = work.resolve("wrapper-ran");
        Path results = work.resolve("results");
        Set<String> engines = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> attacker = CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
                engines.addAll(runningEngines());
                return firstCellWritten(results);
            });
            swapForWrapper(cached, work, marker);
            while (!done.get()) {
                engines.addAll(runningEngines());
            }
        });

        Events cells;
        try {
            cells = EngineTestKit.engine("junit-jupiter").enableImplicitConfigurationParameters(true)
                    .configurationParameter(Settings.CACHE_DIR, cache.toString())
                    .configurationParameter(Settings.RESULTS_DIR, results.toString())
                    .selectors(selectMethod(Examples.class, "fourCells", BenchmarkResults.class.getName()))
                    .execute().testEvents();
        } finally {
            done.set(true);
        }
        attacker.join();

        assertThat(marker).as("the swapped-in wrapper never ran").doesNotExist();
        assertThat(cells.succeeded().count()).as("four cells and the hypothesis").isEqualTo(5);
        assertThat(cells.failed().count() + cells.aborted().count()).isZero();
        assertThat(engines).as("engines seen running").isNotEmpty()
                .allSatisfy(e -> assertThat(e).doesNotStartWith(cache.toString())
                        .matches(".*/copybench-\\d+-engine-\\d+/copybench-engine"));
    }

    @Test
    void aDefaultCacheOfAnotherUserIsPassedOverAndItsEngineNeverRuns(@TempDir Path work) throws Exception {
        assumeTrue(OwnDirectory.uid() == 0, "giving a directory to another user takes root");
        // XDG_CACHE_HOME/copybench made first by uid 65534, writable by all, with its wrapper where the engine goes
        Path xdg = Files.createDirectory(work.resolve("xdg"));
        Path foreign = Files.createDirectory(xdg.resolve("copybench"));
        Path planted = EngineCache.extract(Files.createDirectory(work.resolve("layout")), NativeEngine.version(),
                EngineCache.platform());
        Path at = Files.createDirectories(foreign.resolve(work.resolve("layout").relativize(planted)));
        Files.copy(planted.resolve(NativeEngine.LIBRARY), at.resolve(NativeEngine.LIBRARY));
        Files.copy(planted.resolve(NativeEngine.EXECUTABLE), at.resolve(NativeEngine.EXECUTABLE));
        Path marker = work.resolve("wrapper-ran");
        swapForWrapper(at, work, marker);
        try (Stream<Path> all = Files.walk(foreign)) {
            for (Path p : all.toList()) {
                assertThat(Commands.run(List.of("chown", "65534", p.toString())).ok()).isTrue();
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rwxr-xr-x"));
            }
        }

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-D" + Settings.RESULTS_DIR + "=" + work.resolve("results"), "-Dallure.results.directory=" + work.resolve("allure"),
                ChildRun.class.getName()).redirectErrorStream(true).redirectOutput(work.resolve("child.log").toFile());
        child.environment().put("XDG_CACHE_HOME", xdg.toString());
        Process run = child.start();
        CompletableFuture<Void> attacker = CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> firstCellWritten(work.resolve("results")) || !run.isAlive());
            swapForWrapper(at, work, marker);   // and once more after the first cell
        });
        try {
            assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            run.destroyForcibly();   // a child past its bound ends here, not with the build
        }
        attacker.join();
        String log = Files.readString(work.resolve("child.log"));

        assertThat(run.exitValue()).as(log).isZero();
        assertThat(log).contains("succeeded 5, failed 0, aborted 0")
                .contains("[copybench] the engine cache is not used: " + foreign + " is owned by uid 65534, not by this user "
                        + "(uid 0); each run takes its engine straight from the jar (set copybench.cache.dir to a directory of yours)");
        assertThat(marker).as("the planted wrapper never ran").doesNotExist();
        assertThat(at.resolve(NativeEngine.EXECUTABLE)).as("nothing was written into the other user's cache")
                .content().startsWith("#!/bin/sh");
    }

    /** Puts a script where the cached engine was: it leaves a marker, then runs a genuine engine saved aside. */
    private static void swapForWrapper(Path engineDir, Path work, Path marker) {
        try {
            Path genuine = work.resolve("genuine-engine");
            if (!Files.exists(genuine)) {
                Files.copy(NativeEngine.local().executable(), genuine);
            }
            Path temp = engineDir.resolve(".wrapper");
            Files.writeString(temp, "#!/bin/sh\ntouch '" + marker + "'\nexec '" + genuine + "' \"$@\"\n");
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(temp, engineDir.resolve(NativeEngine.EXECUTABLE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<String> runningEngines() {
        return ProcessHandle.current().descendants().map(p -> p.info().command().orElse(""))
                .filter(c -> c.endsWith("/" + NativeEngine.EXECUTABLE)).collect(java.util.stream.Collectors.toSet());
    }

    private static boolean firstCellWritten(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("results.json")).toList()) {
                if (Files.readString(f).contains("\"status\":\"measured\"")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A JVM of its own (its environment names the cache): runs {@code fourCells} and says how it went. */
    public static final class ChildRun {
        public static void main(String[] args) {
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            org.junit.platform.launcher.core.LauncherFactory.create().execute(
                    org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                            .selectors(selectMethod(Examples.class, "fourCells", BenchmarkResults.class.getName())).build(),
                    listener);
            TestExecutionSummary s = listener.getSummary();
            System.out.println("succeeded " + s.getTestsSucceededCount() + ", failed " + s.getTestsFailedCount()
                    + ", aborted " + s.getTestsAbortedCount());
            s.getFailures().forEach(f -> System.out.println(f.getTestIdentifier().getDisplayName() + ": " + f.getException()));
            System.exit(s.getTestsFailedCount() == 0 ? 0 : 1);
        }
    }

    /** Run only through EngineTestKit and the child JVM above. */
    static class Examples {

        @CopyModeBenchmark(sizes = "64K", modes = {CopyMode.ONE_COPY, CopyMode.TWO_COPY}, duration = "400ms",
                warmup = "100ms", repetitions = 2)
        void fourCells(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }
    }
}
