package dev.copybench.internal.report;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.results.ResultsFile;
import dev.copybench.internal.results.RunFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Trends are drawn from the results files kept in the results directory, per method and configuration. */
class TrendsTest {

    private static final BenchmarkPlan PLAN = Synthetic.plan(List.of(CopyMode.ONE_COPY), List.of("64K"), 2);

    /** A run of PLAN under dir, measured by {@code method} at {@code gbps}. */
    private static RunFile run(Path dir, String method, double gbps) {
        ResultsFile file = ResultsFile.create(dir, Synthetic.host(), new Properties());
        String id = file.plan(PLAN, method, "synthetic");
        BenchmarkResults r = Synthetic.results(PLAN, c -> Values.gbps(gbps));
        r.cells().forEach(c -> file.measured(id, c, null));
        return file.snapshot();
    }

    @Test
    void eachRunOfTheSameMethodIsAPointAndOtherMethodsStayOut(@TempDir Path dir) throws IOException {
        run(dir, "ExampleIT.method", 10);
        run(dir, "OtherIT.method", 99);
        run(dir, "ExampleIT.method", 11);
        RunFile current = run(dir, "ExampleIT.method", 12);

        Trends t = Trends.of(ResultsFile.earlierRuns(dir), current, "ExampleIT.method");

        assertThat(t.charts()).extracting(Trends.Chart::title).containsExactly("throughput (client) over the last 4 runs");
        assertThat(t.charts().get(0).png()).isNotEmpty();
        assertThat(t.missing()).isEmpty();
        assertThat(t.csv().lines().skip(1).map(l -> l.substring(l.lastIndexOf(',') + 1)))
                .containsExactly("10.0000", "11.0000", "12.0000");
    }

    @Test
    void theFirstRunHasNoTrendAndSaysWhy(@TempDir Path dir) throws IOException {
        RunFile current = run(dir, "ExampleIT.method", 10);

        Trends t = Trends.of(ResultsFile.earlierRuns(dir), current, "ExampleIT.method");

        assertThat(t.charts()).isEmpty();
        assertThat(t.missing()).hasValueSatisfying(why -> assertThat(why).startsWith("No trend yet: this is the first run "
                + "of ExampleIT.method"));
    }

    @Test
    void onlyTheNewestRunsAreKept(@TempDir Path dir) {
        for (int i = 0; i < ResultsFile.KEPT_RUNS + 3; i++) {
            run(dir, "ExampleIT.method", 10);
        }
        assertThat(ResultsFile.earlierRuns(dir)).hasSize(ResultsFile.KEPT_RUNS);
    }
}
