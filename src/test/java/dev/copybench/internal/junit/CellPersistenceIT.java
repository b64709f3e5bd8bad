package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run by Failsafe with the Allure listener, unlike the EngineTestKit examples: checks that finished
 * cells are persisted while the matrix is still running.
 */
class CellPersistenceIT {

    /**
     * A crash loses at most the running cell: each cell is its own Allure result, written with its
     * engine JSON and perf output when the cell ends. By the time the hypothesis runs, every cell
     * of this matrix (an odd size no other suite uses) must already be on disk.
     */
    @CopyModeBenchmark(sizes = "3K", modes = CopyMode.ONE_COPY, duration = "200ms", warmup = "50ms", repetitions = 2)
    void everyFinishedCellIsOnDiskBeforeTheMatrixEnds(BenchmarkResults results) throws IOException {
        assertThat(results).hasNoFailedCells();
        Path dir = Path.of(System.getProperty("allure.results.directory", "allure-results"));
        List<String> written;
        try (Stream<Path> files = Files.list(dir)) {
            written = files.filter(f -> f.getFileName().toString().endsWith("-result.json")).map(CellPersistenceIT::read).toList();
        }
        for (var cell : results.cells()) {
            String name = "\"name\":\"" + cell.cell().displayName() + "\"";
            assertThat(written).as("a result file for %s", cell.cell().displayName())
                    .anyMatch(json -> json.contains(name) && json.contains("server.json"));
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
