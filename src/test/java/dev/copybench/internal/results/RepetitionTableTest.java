package dev.copybench.internal.results;

import dev.copybench.BenchmarkResults;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.internal.engine.CellFailedException;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.copybench.CopyMode.TWO_COPY;
import static dev.copybench.CopyMode.ZERO_COPY;
import static org.assertj.core.api.Assertions.assertThat;

/** One row per repetition, failed ones included, and no column that no row fills. */
class RepetitionTableTest {

    private final BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ZERO_COPY), List.of("64", "64K"), 2);

    @Test
    void everyRepetitionIsARowAndAFailedOneSaysWhy() {
        Cell broken = plan.cells().get(3);
        BenchmarkResults results = new BenchmarkResults(plan, Synthetic.host(), "synthetic");
        for (Cell c : plan.cells()) {
            if (c.equals(broken)) {
                results.addFailure(c, new CellFailedException("server exited with status 3", Map.of()));
            } else {
                Values v = Values.gbps(10 + c.repetition()).withCounter("task-clock", 250 + c.index(), "msec")
                        .withUnsupported("LLC-load-misses");
                results.add(Synthetic.cell(c, c.mode() == ZERO_COPY ? v.copied(1.0) : v));
            }
        }

        RepetitionTable table = RepetitionTable.of(results);

        assertThat(table.rows()).hasSize(plan.cells().size());
        assertThat(table.columns()).startsWith("cell", "mode", "size_bytes", "threads", "workload", "repetition", "status")
                .contains("server_window_s", "server_bytes", "client_messages", "server_task-clock", "zerocopy_copied_share")
                .doesNotContain("server_LLC-load-misses", "client_task-clock", "latency_p50_us");
        IntStream.range(0, table.columns().size()).forEach(i -> assertThat(table.rows())
                .as("column %s has a value somewhere", table.columns().get(i)).anyMatch(r -> !r.get(i).isEmpty()));
        List<String> failed = table.rows().get(3);
        assertThat(failed.get(table.columns().indexOf("status"))).isEqualTo("failed");
        assertThat(failed.get(table.columns().indexOf("reason"))).isEqualTo("server exited with status 3");
        assertThat(failed.get(table.columns().indexOf("server_bytes"))).isEmpty();
        List<String> first = table.rows().get(0);
        assertThat(first.get(table.columns().indexOf("server_task-clock"))).isEqualTo("251");   // an integral value exactly, as perf counted it
        assertThat(table.csv().lines()).hasSize(plan.cells().size() + 1)
                .first().isEqualTo(String.join(",", table.columns()));
    }
}
