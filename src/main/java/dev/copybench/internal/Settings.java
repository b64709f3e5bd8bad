package dev.copybench.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The {@code copybench.*} configuration parameters of a run, read the JUnit way: a system property
 * and a line in {@code junit-platform.properties} mean the same, and a launcher's explicit parameter
 * (EngineTestKit's {@code configurationParameter}) wins over both.
 */
public final class Settings {

    public static final String PREFIX = "copybench.";
    /** A directory holding a locally built {@code copybench-engine} and {@code libcopybench.so}. */
    public static final String NATIVE_DIR = "copybench.native.dir";
    /** Where the engine shipped in the jar is extracted; default {@code $XDG_CACHE_HOME/copybench} or {@code ~/.cache/copybench}. */
    public static final String CACHE_DIR = "copybench.cache.dir";
    /** Where runs record what they create, so a later run can remove what a dead one left; default {@code /run/copybench}. */
    public static final String STATE_DIR = "copybench.state.dir";
    /** The share of MemAvailable one cell may plan to allocate, default 0.5. */
    public static final String MEMORY_SHARE = "copybench.memory.share";
    /** Where each run writes {@code <run id>/results.json} and {@code results.csv}; default {@code target/copybench}. */
    public static final String RESULTS_DIR = "copybench.results.dir";
    /**
     * A previous run's {@code results.json}, or a directory of runs (each {@code <run>/results.json}, as the results
     * directory keeps them), which {@code isNotWorseThanBaseline(…)} compares this run with.
     */
    public static final String BASELINE = "copybench.baseline";
    /**
     * The run-to-run drift assumed when the baseline is a single run: the standard deviation of a run's level as a
     * percentage of its mean, default 10 %. With several baseline runs it is measured instead.
     */
    public static final String BASELINE_DRIFT = "copybench.baseline.drift";
    /** Tests only: nanoseconds of busy work the sender adds after each message, a deliberately slower engine. */
    public static final String TEST_EXTRA_WORK = "copybench.test.extraWorkNsPerMessage";
    /** The server's SSH destination {@code [user@]host[:port]}; unset: local network namespaces. */
    public static final String SERVER_HOST = "copybench.server.host";
    /** The client's SSH destination {@code [user@]host[:port]}; unset: local. */
    public static final String CLIENT_HOST = "copybench.client.host";
    /** The data-path IPv4 address the server binds and the client connects to; default: the server host's address. */
    public static final String SERVER_ADDRESS = "copybench.server.address";
    /** An ssh_config file handed to {@code ssh -F}; unset: the user's own config, agent and known_hosts. */
    public static final String SSH_CONFIG = "copybench.ssh.config";
    /** Every key that is a setting of the run rather than an override of an annotation. */
    public static final List<String> RUN_SETTINGS = List.of(NATIVE_DIR, CACHE_DIR, STATE_DIR, MEMORY_SHARE, RESULTS_DIR,
            BASELINE, BASELINE_DRIFT, TEST_EXTRA_WORK, SERVER_HOST, CLIENT_HOST, SERVER_ADDRESS, SSH_CONFIG);

    private final Function<String, Optional<String>> lookup;
    private final Set<String> keys;

    private Settings(Function<String, Optional<String>> lookup, Set<String> keys) {
        this.lookup = lookup;
        this.keys = keys;
    }

    /**
     * Settings through a JUnit configuration-parameter lookup (e.g. {@code ExtensionContext::getConfigurationParameter}).
     * {@code known} are looked up by name, since explicit launcher parameters cannot be listed.
     */
    public static Settings of(Function<String, Optional<String>> lookup, List<String> known) {
        Set<String> keys = new TreeSet<>(known);
        keys.addAll(RUN_SETTINGS);
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(PREFIX)).forEach(keys::add);
        junitPlatformProperties().filter(k -> k.startsWith(PREFIX)).forEach(keys::add);
        return new Settings(k -> lookup.apply(k).filter(v -> !v.isBlank()), keys);
    }

    /** Only what these properties say: for tests and for code that runs outside JUnit. */
    public static Settings of(Properties properties) {
        Set<String> keys = new TreeSet<>(properties.stringPropertyNames());
        return new Settings(k -> Optional.ofNullable(properties.getProperty(k)).filter(v -> !v.isBlank()), keys);
    }

    /** The JVM's system properties, for code that runs outside JUnit. */
    public static Settings fromSystemProperties() {
        return of(System.getProperties());
    }

    public Optional<String> get(String key) {
        return lookup.apply(key);
    }

    /** Every {@code copybench.*} key that is set, with its value: what overrides and typo checks read. */
    public Properties asProperties() {
        Properties p = new Properties();
        for (String key : keys) {
            get(key).ifPresent(v -> p.setProperty(key, v));
        }
        return p;
    }

    private static Stream<String> junitPlatformProperties() {
        try {
            Enumeration<URL> urls = Thread.currentThread().getContextClassLoader().getResources("junit-platform.properties");
            Set<String> keys = new TreeSet<>();
            while (urls.hasMoreElements()) {
                Properties p = new Properties();
                try (InputStream in = urls.nextElement().openStream()) {
                    p.load(in);
                }
                keys.addAll(p.stringPropertyNames());
            }
            return keys.stream();
        } catch (IOException e) {
            throw new UncheckedIOException("junit-platform.properties could not be read", e);
        }
    }
}
