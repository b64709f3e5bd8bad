package dev.copybench.internal.junit;

import org.junit.platform.testkit.engine.EngineTestKit;

/** EngineTestKit as this build's suites use it. */
final class Jupiter {

    private Jupiter() {
    }

    /**
     * The Jupiter engine, seeing system properties and junit-platform.properties as a real run does
     * (EngineTestKit ignores them by default): the build's copybench.cache.dir reaches the examples.
     */
    static EngineTestKit.Builder engine() {
        return EngineTestKit.engine("junit-jupiter").enableImplicitConfigurationParameters(true);
    }
}
