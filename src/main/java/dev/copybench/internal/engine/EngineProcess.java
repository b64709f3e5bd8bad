package dev.copybench.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One started engine command (usually {@code ip netns exec … perf stat … copybench-engine …}) with
 * stdout and stderr in files. Ending it ends the whole tree it started, by PID, children first.
 */
final class EngineProcess implements AutoCloseable {

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private EngineProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static EngineProcess start(List<String> command, Path dir, String name) throws IOException {
        Path out = dir.resolve(name + ".json");
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new EngineProcess(p, out, err);
    }

    /**
     * Starts a command whose stdin stays a pipe this JVM holds until the process is closed: an
     * {@code ssh} session to a remote engine, which ends (stdin EOF) when this JVM does, however it ends.
     */
    static EngineProcess startHeld(List<String> command, Path dir, String name) throws IOException {
        Path out = dir.resolve(name + ".json");
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new EngineProcess(p, out, err);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the process ends or the deadline (System.nanoTime) passes; true when it ended. */
    boolean awaitUntil(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        return process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    int exitCode() {
        return process.exitValue();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Kills what is still running: descendants (the engine under perf) first, then the process. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            // it ended and was reaped: any child it left was reparented, so descendants() could not
            // find it anyway, and walking /proc costs about a millisecond per call on every cell
            return;
        }
        List<ProcessHandle> tree = process.descendants().toList();
        for (ProcessHandle child : tree) {
            child.destroyForcibly();
        }
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            for (ProcessHandle child : tree) {
                child.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // a child that will not die is reported by the leak checks, not here
        }
    }
}
