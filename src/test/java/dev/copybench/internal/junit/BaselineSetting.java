package dev.copybench.internal.junit;

import dev.copybench.internal.results.Baseline;

import java.util.List;

import java.nio.file.Path;

/** How a run reads {@code copybench.baseline}, for tests outside this package. */
public final class BaselineSetting {

    private BaselineSetting() {
    }

    /** The baseline's runs, or an InvalidBenchmarkException with the one line the run fails with. */
    public static List<Baseline.Run> read(Path path) {
        return RunResources.readBaseline(path);
    }
}
