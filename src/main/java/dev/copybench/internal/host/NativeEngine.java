package dev.copybench.internal.host;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the native build lives ({@code native/build}, built by Maven before the tests), and the
 * JNA view of {@code libcopybench.so}: capability probes and the engine's own message routines.
 */
public final class NativeEngine {

    /** Functions exported by native/src/probe.c. */
    public interface Lib extends Library {
        int cb_probe_so_zerocopy();

        int cb_probe_perf_event(int type, long config);

        int cb_probe_netns();

        int cb_wire_message(long size, int seq, byte[] out);

        int cb_verify_message(byte[] buf, long size, int seq);
    }

    private static volatile Lib lib;

    private NativeEngine() {
    }

    /** {@code -Dcopybench.native.dir}, else {@code native/build} below the working directory. */
    public static Path buildDir() {
        String configured = System.getProperty("copybench.native.dir");
        return (configured != null ? Path.of(configured) : Path.of("native", "build")).toAbsolutePath();
    }

    public static Path executable() {
        Path p = buildDir().resolve("copybench-engine");
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("native engine not found at " + p
                    + ": build it with `make -C native` (mvn does this before compiling; it needs gcc and make)");
        }
        return p;
    }

    public static Lib library() {
        Lib l = lib;
        if (l == null) {
            synchronized (NativeEngine.class) {
                if (lib == null) {
                    Path so = buildDir().resolve("libcopybench.so");
                    if (!Files.exists(so)) {
                        throw new IllegalStateException("libcopybench.so not found at " + so + ": run `make -C native`");
                    }
                    lib = Native.load(so.toString(), Lib.class);
                }
                l = lib;
            }
        }
        return l;
    }
}
