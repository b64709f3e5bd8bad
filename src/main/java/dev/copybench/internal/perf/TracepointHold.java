package dev.copybench.internal.perf;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the run's tracepoint events registered between cells. Closing the last perf event on a
 * tracepoint waits for an RCU grace period, 25–47 ms per tracepoint here, so every cell's perf paid
 * about 80 ms on exit (measured by bench/overhead.sh: 267 → 176 ms of harness time per cell when
 * something else held them). One {@code perf stat -D -1} over the whole run holds them, disabled:
 * it counts nothing, and the cells' own perf sessions still count exactly their windows. Its
 * workload is {@code tail --pid=<this JVM>}, so it ends by itself when the JVM does, however it dies.
 */
public final class TracepointHold implements AutoCloseable {

    private final Process perf;

    private TracepointHold(Process perf) {
        this.perf = perf;
    }

    /** Holds the tracepoints (events with a {@code :}) among these, or nothing when there are none. */
    public static TracepointHold of(List<String> events) {
        List<String> tracepoints = events.stream().filter(e -> e.contains(":")).toList();
        if (tracepoints.isEmpty()) {
            return new TracepointHold(null);
        }
        List<String> cmd = new ArrayList<>(List.of("perf", "stat", "-x,", "-o", "/dev/null", "-D", "-1", "-e",
                String.join(",", tracepoints), "--", "tail", "--pid=" + ProcessHandle.current().pid(), "-f", "/dev/null"));
        try {
            return new TracepointHold(new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.to(new File("/dev/null"))).start());
        } catch (IOException e) {
            return new TracepointHold(null);   // only a speed-up: the cells count without it
        }
    }

    /** Ends perf and its workload, by PID, children first. */
    @Override
    public void close() {
        if (perf == null) {
            return;
        }
        perf.descendants().forEach(ProcessHandle::destroy);
        perf.destroy();
        try {
            if (!perf.waitFor(5, TimeUnit.SECONDS)) {
                perf.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            perf.destroyForcibly();
        }
    }
}
