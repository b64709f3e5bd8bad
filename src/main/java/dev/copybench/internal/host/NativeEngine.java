package dev.copybench.internal.host;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.copybench.internal.Settings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The native engine of this copybench version: {@code copybench-engine} (server and client) and the
 * JNA view of {@code libcopybench.so} (capability probes, the engine's own message routines).
 * By default both come out of the jar ({@link EngineCache}); {@code copybench.native.dir} points at
 * a locally built pair instead. Either way an engine of another version is refused.
 */
public final class NativeEngine {

    /** Functions exported by native/src/probe.c. */
    public interface Lib extends Library {
        String cb_version();

        int cb_probe_so_zerocopy();

        int cb_probe_perf_event(int type, long config);

        int cb_probe_netns();

        int cb_wire_message(long size, int seq, byte[] out);

        int cb_verify_message(byte[] buf, long size, int seq);
    }

    public static final String EXECUTABLE = "copybench-engine";
    public static final String LIBRARY = "libcopybench.so";

    /** One per place an engine was found in, checked once. */
    private static final Map<Path, NativeEngine> LOCATED = new ConcurrentHashMap<>();

    private final Path directory;
    private volatile Lib lib;

    private NativeEngine(Path directory) {
        this.directory = directory;
    }

    /** The engine these settings name: {@code copybench.native.dir}, else the jar's, extracted into the cache. */
    public static NativeEngine locate(Settings settings) {
        Optional<String> local = settings.get(Settings.NATIVE_DIR);
        Path dir = local.isPresent() ? Path.of(local.get()).toAbsolutePath()
                : EngineCache.extract(cacheRoot(settings), version(), EngineCache.platform());
        return LOCATED.computeIfAbsent(dir, d -> {
            NativeEngine engine = new NativeEngine(d);
            engine.checkVersion(local.isPresent());
            return engine;
        });
    }

    /** The engine named by system properties alone, for code that runs outside a JUnit run. */
    public static NativeEngine local() {
        return locate(Settings.fromSystemProperties());
    }

    /** This copybench's version, which the engine must report. */
    public static String version() {
        try (InputStream in = NativeEngine.class.getResourceAsStream("/dev/copybench/internal/copybench.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("copybench.properties is missing from the classpath: a broken build", e);
        }
    }

    static Path cacheRoot(Settings settings) {
        return settings.get(Settings.CACHE_DIR).map(Path::of).orElseGet(() -> {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return base.resolve("copybench");
        }).toAbsolutePath();
    }

    public Path directory() {
        return directory;
    }

    public Path executable() {
        return directory.resolve(EXECUTABLE);
    }

    public Lib library() {
        Lib l = lib;
        if (l == null) {
            synchronized (this) {
                if (lib == null) {
                    lib = Native.load(directory.resolve(LIBRARY).toString(), Lib.class);
                }
                l = lib;
            }
        }
        return l;
    }

    private void checkVersion(boolean locallyBuilt) {
        String fix = locallyBuilt ? "rebuild it with `make -C native VERSION=" + version() + "` or unset "
                + Settings.NATIVE_DIR : "delete the cache directory " + directory.getParent() + " and run again";
        if (!Files.isExecutable(executable()) || !Files.isRegularFile(directory.resolve(LIBRARY))) {
            throw new IllegalStateException("no " + EXECUTABLE + " and " + LIBRARY + " in " + directory
                    + (locallyBuilt ? ": build them with `make -C native` (gcc, make) or unset " + Settings.NATIVE_DIR : ""));
        }
        Commands.Result answer = Commands.run(List.of(executable().toString(), "--version"), Duration.ofSeconds(10));
        String expected = EXECUTABLE + " " + version();
        if (!answer.ok() || !answer.stdout().strip().equals(expected)) {
            throw new IllegalStateException(executable() + " is not " + expected + " (it answered '"
                    + (answer.ok() ? answer.stdout().strip() : answer.stderr().strip()) + "' to --version): " + fix);
        }
        String libraryVersion = library().cb_version();
        if (!version().equals(libraryVersion)) {
            throw new IllegalStateException(directory.resolve(LIBRARY) + " is version " + libraryVersion + ", not "
                    + version() + ": " + fix);
        }
    }
}
