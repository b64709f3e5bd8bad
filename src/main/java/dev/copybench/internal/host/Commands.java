package dev.copybench.internal.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs short external commands from argument lists (never a shell string) and returns their output. */
public final class Commands {

    /** Exit status and output of a finished command. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Throws with the command and its stderr unless it exited 0. */
        public Result orThrow() {
            if (!ok()) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode + ": " + stderr.strip());
            }
            return this;
        }
    }

    private Commands() {
    }

    public static Result run(List<String> command, Duration timeout) {
        return run(command, null, timeout);
    }

    /** Runs in {@code directory} (null: the JVM's working directory). */
    public static Result run(List<String> command, java.nio.file.Path directory, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(command, -1, out.getNow(""), "timed out after " + timeout.toMillis() + " ms");
            }
            return new Result(command, p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            return new Result(command, 127, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(command, -1, "", "interrupted");
        }
    }

    public static Result run(List<String> command) {
        return run(command, Duration.ofSeconds(30));
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
