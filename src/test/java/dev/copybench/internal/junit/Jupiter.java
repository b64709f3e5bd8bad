package dev.copybench.internal.junit;

import dev.copybench.internal.Settings;
import org.junit.platform.testkit.engine.EngineTestKit;

/** EngineTestKit as this build's suites use it. */
final class Jupiter {

    private Jupiter() {
    }

    /**
     * The Jupiter engine, seeing system properties and junit-platform.properties as a real run does
     * (EngineTestKit ignores them by default): the build's copybench.cache.dir reaches the examples. Their results
     * files go to target/copybench-examples, so target/copybench holds the build's own runs (and their trends).
     */
    static EngineTestKit.Builder engine() {
        return EngineTestKit.engine("junit-jupiter").enableImplicitConfigurationParameters(true)
                .configurationParameter(Settings.RESULTS_DIR, "target/copybench-examples");
    }
}
