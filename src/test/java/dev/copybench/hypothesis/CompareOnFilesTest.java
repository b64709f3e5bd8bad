package dev.copybench.hypothesis;

import dev.copybench.internal.results.RunFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run-to-run scenario through the real command: results files written by {@link RunFile}'s own
 * serializer and read back by the command, each run of 2 modes × 1 size × 10 repetitions of the three key metrics
 * with its own level per mode and metric (lognormal, sd 8 %) and cells from a skewed bimodal distribution (CV 3.2 %,
 * {@link AcrossRunsMonteCarloTest#runFile}); {@code compare OLD NEW} at the default 5 % threshold on pairs of runs of
 * the same build must exit 1 (a regression) in at most 3 % of pairs.
 */
class CompareOnFilesTest {

    private static final int PAIRS = 200;

    @TempDir
    Path dir;
    private int runs;

    private Path write(RunFile run) throws IOException {
        Path file = Files.createDirectories(dir.resolve(run.runId())).resolve("results.json");
        Files.writeString(file, run.json());
        return file;
    }

    private Path run(SplittableRandom r, double change) throws IOException {
        return write(AcrossRunsMonteCarloTest.runFile(r, String.format(Locale.ROOT, "20260101T000000.%03dZ-%d",
                runs % 1000, runs++), change));
    }

    private static int[] exits(List<Path[]> pairs) {
        int[] exits = new int[3];
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        for (Path[] p : pairs) {
            exits[Compare.run(new String[] {p[0].toString(), p[1].toString()}, quiet, quiet)]++;
        }
        return exits;
    }

    @Test
    void theSameBuildIsCalledARegressionInAtMostThreePercentOfPairs() throws IOException {
        SplittableRandom r = new SplittableRandom(22);
        List<Path[]> same = new ArrayList<>();
        List<Path[]> slower = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            same.add(new Path[] {run(r, 0), run(r, 0)});
        }
        for (int i = 0; i < PAIRS / 4; i++) {
            slower.add(new Path[] {run(r, 0), run(r, 0.40)});
        }

        int[] aa = exits(same);
        int[] regression = exits(slower);
        System.out.printf(Locale.ROOT, "[compare on files] same build: %d of %d pairs exit 1 (%.1f %%), %d exit 0, %d "
                        + "exit 2; a true 40 %% regression: %d of %d exit 1 (run sd 8 %%, CV 3.2 %%, 10 repetitions, "
                        + "threshold 5 %%, one old run, drift 10 %%)%n", aa[1], PAIRS, aa[1] * 100.0 / PAIRS, aa[0], aa[2],
                regression[1], slower.size());

        assertThat(aa[2]).as("no pair is bad input").isZero();
        assertThat(aa[1]).as("pairs of one build called a regression").isLessThanOrEqualTo(PAIRS * 3 / 100);
        assertThat(regression[2]).isZero();
        assertThat(regression[1]).as("a 40 % regression is found in some pairs").isGreaterThan(aa[1]);
    }
}
