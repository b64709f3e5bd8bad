package dev.copybench.internal.junit;

import dev.copybench.internal.results.RunFile;

import java.nio.file.Path;

/** How a run reads {@code copybench.baseline}, for tests outside this package. */
public final class BaselineSetting {

    private BaselineSetting() {
    }

    /** The baseline's file, or an InvalidBenchmarkException with the one line the run fails with. */
    public static RunFile read(Path path) {
        return RunResources.readBaseline(path);
    }
}
