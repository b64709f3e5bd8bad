package dev.copybench.internal.host;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.copybench.internal.Settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The native engine of this copybench version: {@code copybench-engine} (server and client) and the
 * JNA view of {@code libcopybench.so} (capability probes, the engine's own message routines).
 * By default both come out of the jar ({@link EngineCache}); {@code copybench.native.dir} points at
 * a locally built pair instead. Either way an engine of another version is refused, and what runs is
 * this run's own checked copy ({@link #locate}).
 */
public final class NativeEngine implements AutoCloseable {

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

    /** Engines whose {@code --version} and library version were checked, by content: identical bytes pass again. */
    private static final Set<String> CHECKED = ConcurrentHashMap.newKeySet();
    /** The library loaded once per content; the file it came from may be gone, its mapping stays. */
    private static final Map<String, Lib> LOADED = new ConcurrentHashMap<>();
    /** {@link #local()}'s engines, one per place they come from, removed when the JVM exits. */
    private static final Map<String, NativeEngine> LOCAL = new ConcurrentHashMap<>();
    private static final AtomicBoolean LOCAL_CLEANUP = new AtomicBoolean();
    /** Cache directories already said to be passed over, so a JVM of many runs says it once. */
    private static final Set<Path> SAID = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final Optional<Path> cache;
    private final RunRecord record;
    private final String libraryHash;

    private NativeEngine(Path directory, Optional<Path> cache, RunRecord record, String libraryHash) {
        this.directory = directory;
        this.cache = cache;
        this.record = record;
        this.libraryHash = libraryHash;
    }

    /**
     * The engine these settings name ({@code copybench.native.dir}, else the jar's through the cache), copied
     * into a directory of this run's own: owned by this user, mode 0700, written down in {@code record} before
     * it exists. Every cell runs that copy, and JNA loads the library from it, so nobody who can write the cache
     * or the native dir can swap what runs after it was checked. {@link #close()} removes it.
     *
     * <pre>{@code
     * try (NativeEngine engine = NativeEngine.locate(settings, record)) {
     *     new ProcessBuilder(engine.executable().toString(), "--version").start();
     * }
     * }</pre>
     */
    public static NativeEngine locate(Settings settings, RunRecord record) {
        Optional<String> local = settings.get(Settings.NATIVE_DIR);
        Optional<Path> cache = local.isPresent() ? Optional.empty() : trustedCache(settings);
        Path dir = privateDirectory(record);
        try {
            if (local.isPresent()) {
                Path from = Path.of(local.get()).toAbsolutePath();
                if (!Files.isExecutable(from.resolve(EXECUTABLE)) || !Files.isRegularFile(from.resolve(LIBRARY))) {
                    throw new IllegalStateException("no " + EXECUTABLE + " and " + LIBRARY + " in " + from
                            + ": build them with `make -C native` (gcc, make) or unset " + Settings.NATIVE_DIR);
                }
                for (String file : List.of(EXECUTABLE, LIBRARY)) {
                    byte[] bytes = Files.readAllBytes(from.resolve(file));
                    EngineCache.writeChecked(bytes, EngineCache.sha256(bytes), dir.resolve(file));
                }
            } else {
                Optional<Path> cached = cache.map(root -> EngineCache.extract(root, version(), EngineCache.platform()));
                EngineCache.copyVerified(cached, EngineCache.platform(), dir);
            }
            NativeEngine engine = new NativeEngine(dir, cache, record,
                    EngineCache.sha256(Files.readAllBytes(dir.resolve(LIBRARY))));
            engine.checkVersion(local.map(l -> "rebuild it with `make -C native VERSION=" + version() + "` or unset "
                    + Settings.NATIVE_DIR).orElse(cache.map(c -> "delete the cache directory " + c + " and run again")
                    .orElse("the jar itself carries it, so the jar is damaged")), local.map(Path::of).orElse(null));
            return engine;
        } catch (IOException e) {
            remove(dir, record);
            throw new UncheckedIOException("the engine could not be copied into " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            remove(dir, record);
            throw e;
        }
    }

    /**
     * The engine named by system properties alone, for code that runs outside a JUnit run (tests, tools): one
     * private copy per JVM, removed when it exits.
     */
    public static NativeEngine local() {
        Settings settings = Settings.fromSystemProperties();
        String key = settings.get(Settings.NATIVE_DIR).orElse("") + "|" + cacheRoot(settings);
        return LOCAL.computeIfAbsent(key, k -> {
            NativeEngine engine = locate(settings, RunRecord.ofThisJvm(RunRecord.stateDir(settings)));
            if (LOCAL_CLEANUP.compareAndSet(false, true)) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> LOCAL.values().forEach(NativeEngine::close),
                        "copybench-engine-cleanup"));
            }
            return engine;
        });
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

    /**
     * The cache directory, when only this user can write it (see {@link EngineCache#untrusted}). One that is not
     * ours is refused in one line when {@code copybench.cache.dir} names it: the user chose that place, and
     * quietly going elsewhere would hide that others can write it. The default place (XDG_CACHE_HOME,
     * ~/.cache) is only a convenience, so there the run says so once and takes the engine from the jar
     * without a cache.
     */
    static Optional<Path> trustedCache(Settings settings) {
        Path root = cacheRoot(settings);
        Optional<String> why;
        Path real = root;
        try {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            }
            real = root.toRealPath();
            why = EngineCache.untrusted(real);   // the real path, used from here on: a link re-pointed later changes nothing
        } catch (IOException e) {
            why = Optional.of(root + " cannot be created: " + e.getMessage());
        }
        if (why.isEmpty()) {
            return Optional.of(real);
        }
        if (settings.get(Settings.CACHE_DIR).isPresent()) {
            throw new IllegalStateException("copybench will not use " + Settings.CACHE_DIR + "=" + root + " for its engine: "
                    + why.get() + "; point it at a directory only you can write");
        }
        if (SAID.add(root)) {
            System.out.println("[copybench] the engine cache is not used: " + why.get()
                    + "; each run takes its engine straight from the jar (set " + Settings.CACHE_DIR + " to a directory of yours)");
        }
        return Optional.empty();
    }

    /**
     * A new directory of this run's under the temp directory, mode 0700, written down before it exists; refused
     * when anyone but this user could replace what is put in it.
     */
    private static Path privateDirectory(RunRecord record) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        try {
            tmp = tmp.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("the temp directory " + tmp + " cannot be used for the engine: " + e.getMessage(), e);
        }
        Path dir = record.createPrivateDirectory(tmp, "copybench-" + ProcessHandle.current().pid() + "-engine-");
        Optional<String> why = EngineCache.untrusted(dir);
        if (why.isPresent()) {
            remove(dir, record);
            throw new IllegalStateException("copybench will not run its engine from " + dir + ": " + why.get()
                    + "; set java.io.tmpdir to a directory only you can write");
        }
        return dir;
    }

    private static void remove(Path dir, RunRecord record) {
        if (LeftoverSweeper.deleteTree(dir)) {
            record.removed(RunRecord.Kind.DIR, dir.toString());
        }
    }

    /**
     * The engine for another machine's platform ({@code linux-aarch64}), from the cache or the jar, checked
     * into a directory of its own inside this run's: what is uploaded is what was checked.
     */
    public Path executableFor(String platform) {
        if (platform.equals(EngineCache.platform())) {
            return executable();
        }
        Path dir = directory.resolve(platform);
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                EngineCache.copyVerified(cache.map(root -> EngineCache.extract(root, version(), platform)), platform, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the engine for " + platform + " could not be copied into " + dir + ": "
                    + e.getMessage(), e);
        }
        return dir.resolve(EXECUTABLE);
    }

    /** Removes this run's copy (a library already loaded from it stays loaded). */
    @Override
    public void close() {
        remove(directory, record);
    }

    public Path directory() {
        return directory;
    }

    public Path executable() {
        return directory.resolve(EXECUTABLE);
    }

    public Lib library() {
        return LOADED.computeIfAbsent(libraryHash, h -> Native.load(directory.resolve(LIBRARY).toString(), Lib.class));
    }

    private void checkVersion(String fix, Path from) {
        String content;
        try {
            content = EngineCache.sha256(Files.readAllBytes(executable())) + "+" + libraryHash;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (CHECKED.contains(content)) {
            return;
        }
        Path named = from == null ? executable() : from.resolve(EXECUTABLE);
        Commands.Result answer = Commands.run(List.of(executable().toString(), "--version"), Duration.ofSeconds(10));
        String expected = EXECUTABLE + " " + version();
        if (answer.exitCode() == 127 && answer.stderr().contains("Permission denied")) {
            throw new IllegalStateException("this run's copy of the engine " + executable() + " cannot be run ("
                    + answer.stderr().strip() + "): is " + directory.getParent() + " mounted noexec? Set java.io.tmpdir "
                    + "to a directory of yours that programs may run from");
        }
        if (!answer.ok() || !answer.stdout().strip().equals(expected)) {
            throw new IllegalStateException(named + " is not " + expected + " (it answered '"
                    + (answer.ok() ? answer.stdout().strip() : answer.stderr().strip()) + "' to --version): " + fix);
        }
        String libraryVersion = library().cb_version();
        if (!version().equals(libraryVersion)) {
            throw new IllegalStateException((from == null ? directory : from).resolve(LIBRARY) + " is version "
                    + libraryVersion + ", not " + version() + ": " + fix);
        }
        CHECKED.add(content);
    }
}
