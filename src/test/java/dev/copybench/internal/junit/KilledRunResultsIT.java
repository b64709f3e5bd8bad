package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.internal.host.LeftoverSweeper;
import dev.copybench.internal.host.NativeEngine;
import dev.copybench.internal.results.ResultsSchema;
import dev.copybench.internal.results.RunFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * A run killed mid-matrix (SIGKILL: no shutdown hook, no JUnit teardown) keeps in its results.json every cell that
 * had finished, as a whole file the schema accepts: the file is rewritten after each cell through a temp file
 * renamed over it, before the cell's progress line is printed.
 */
class KilledRunResultsIT {

    /** {@code [3/6] ONE_COPY · 2 KiB · 1 thread · rep 3/6 — 1.23 Gbps, …}: a cell that finished measuring. */
    private static final Pattern FINISHED = Pattern.compile("^\\[(\\d+)/6\\] .* — \\d+\\.\\d+ Gbps", Pattern.MULTILINE);

    @Test
    void aKilledRunsResultsFileHoldsEveryCellThatFinished() throws Exception {
        Path dir = Files.createTempDirectory("copybench-" + ProcessHandle.current().pid() + "-killed-");
        Path log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dcopybench.native.dir=" + NativeEngine.local().directory(),
                "-Dcopybench.results.dir=" + dir.resolve("results"), "-Dallure.results.directory=" + dir.resolve("allure"),
                ChildRun.class.getName()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> finished(log).size() >= 3 || !child.isAlive());
            child.destroyForcibly().waitFor();   // SIGKILL mid-matrix
            // its engines end themselves once their owner is gone; then its namespaces go, as the next run's sweep does
            String owner = "--owner-pid " + child.pid();
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.allProcesses()
                    .noneMatch(p -> p.info().commandLine().orElse("").contains(owner)));
            LeftoverSweeper.sweep(Leftovers.record().file().getParent());
            List<Integer> finished = finished(log);
            assertThat(finished).as(Files.readString(log)).hasSizeBetween(3, 5);

            Path results;
            try (Stream<Path> runs = Files.list(dir.resolve("results"))) {
                results = runs.map(r -> r.resolve("results.json")).filter(Files::isRegularFile).findFirst().orElseThrow();
            }
            assertThat(ResultsSchema.violations(results)).isEmpty();
            RunFile run = RunFile.read(results);
            assertThat(run.plans()).singleElement().satisfies(p -> {
                assertThat(p.cells()).extracting(RunFile.Cell::index).containsAll(finished);
                assertThat(p.cells()).filteredOn(c -> finished.contains(c.index()))
                        .allSatisfy(c -> assertThat(c.status()).isEqualTo(RunFile.Cell.MEASURED))
                        .allSatisfy(c -> assertThat(c.metrics()).isNotEmpty());
                assertThat(p.hypotheses()).as("the hypothesis never ran").isEmpty();
            });
            try (Stream<Path> files = Files.list(results.getParent())) {
                // a kill that lands in a rewrite (about 1 ms between cells) may leave the temp file: results.json
                // is whole either way, since it is only ever replaced by a rename
                assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.equals(".results.json.tmp")))
                        .containsExactlyInAnyOrder("results.json", "results.csv");
            }
        } finally {
            child.destroyForcibly();
            LeftoverSweeper.deleteTree(dir);
        }
    }

    private static List<Integer> finished(Path log) throws IOException {
        Matcher m = FINISHED.matcher(Files.readString(log));
        return m.results().map(r -> Integer.parseInt(r.group(1))).toList();
    }

    /** A child JVM running {@link Examples#sixCells} as a whole JUnit run, until it is killed. */
    static final class ChildRun {
        public static void main(String[] args) {
            org.junit.platform.launcher.core.LauncherFactory.create().execute(
                    org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                            .selectors(selectMethod(Examples.class, "sixCells", BenchmarkResults.class.getName())).build());
        }
    }

    /** Run only by the child JVM above. */
    static class Examples {

        @CopyModeBenchmark(sizes = "2K", modes = CopyMode.ONE_COPY, duration = "300ms", warmup = "50ms", repetitions = 6)
        void sixCells(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }
    }
}
