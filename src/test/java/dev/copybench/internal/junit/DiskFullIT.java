package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.internal.Settings;
import dev.copybench.internal.host.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * A disk that fills mid-run (a small tmpfs as the results directory, filled once the first cell is written):
 * the first cell that cannot be written fails with one line naming the path and the system's reason, the run
 * says it once, and no later cell starts its engines.
 */
class DiskFullIT {

    @Test
    void aResultsDiskThatFillsAfterTheFirstCellStopsTheRunWithOneLine(@TempDir Path mount) throws Exception {
        Commands.Result mounted = Commands.run(List.of("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700",
                "copybench-disk-full-test", mount.toString()), Duration.ofSeconds(10));
        assumeTrue(mounted.ok(), "mounting a tmpfs takes root: " + mounted.stderr());
        PrintStream console = System.out;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try {
            CompletableFuture<Void> filler = CompletableFuture.runAsync(() -> {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> firstCellWritten(mount));
                fill(mount.resolve("filler"));
            });
            System.setOut(new PrintStream(new Tee(console, said), true, StandardCharsets.UTF_8));
            Events cells;
            try {
                cells = Jupiter.engine().configurationParameter(Settings.RESULTS_DIR, mount.toString())
                        .selectors(selectMethod(Examples.class, "sixCells", BenchmarkResults.class.getName()))
                        .execute().testEvents();
            } finally {
                System.setOut(console);
            }
            filler.join();

            List<Event> finished = cells.finished().list().stream()
                    .filter(e -> !e.getTestDescriptor().getDisplayName().startsWith("hypothesis")).toList();
            assertThat(finished).hasSize(6);
            List<String> outcomes = finished.stream().map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .orElseThrow().getStatus().name()).toList();
            int failedAt = outcomes.indexOf("FAILED");
            assertThat(failedAt).as(outcomes.toString()).isBetween(1, 4);
            assertThat(outcomes.subList(0, failedAt)).containsOnly("SUCCESSFUL");
            assertThat(outcomes.subList(failedAt + 1, outcomes.size())).as("no later cell starts its engines")
                    .isNotEmpty().containsOnly("ABORTED");

            String why = finished.get(failedAt).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                    .getThrowable().orElseThrow().getMessage();
            assertThat(why).matches("copybench could not write its results: " + mount + "/[^ ]+/(results\\.json|results\\.csv|"
                    + "\\.results\\.json\\.tmp): No space left on device");
            assertThat(finished.subList(failedAt + 1, finished.size())).allSatisfy(e -> assertThat(
                    e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                    .hasMessage("not run: " + why));
            assertThat(said.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("No space left on device")))
                    .containsExactly("[copybench] " + why + "; the run stops here, no further cell runs");
            assertThat(said.toString(StandardCharsets.UTF_8)).doesNotContain("no plan null");
        } finally {
            Commands.run(List.of("umount", mount.toString()), Duration.ofSeconds(10)).orThrow();
        }
    }

    /** Whether a run's results.json under dir holds a measured cell. */
    private static boolean firstCellWritten(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("results.json")).toList()) {
                if (Files.readString(f).contains("\"status\":\"measured\"")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Writes zeros into file until the disk refuses more. */
    private static void fill(Path file) {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(4096);
            while (true) {
                zeros.clear();
                out.write(zeros);
            }
        } catch (IOException full) {
            // the disk is full: what the run meets next
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }

    /** Run only through EngineTestKit above. */
    static class Examples {

        @CopyModeBenchmark(sizes = "64K", modes = {CopyMode.ONE_COPY, CopyMode.TWO_COPY}, duration = "400ms",
                warmup = "100ms", repetitions = 3)
        void sixCells(BenchmarkResults results) {
            assertThat(results).hasNoFailedCells();
        }
    }
}
