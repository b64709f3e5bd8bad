package dev.copybench.internal.perf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code perf stat} prefix for one engine process: counters start disabled ({@code -D -1})
 * and the engine enables and disables them through the control fifo at the edges of its
 * measured window, so they cover exactly that window.
 */
public final class PerfStatCommand {

    private PerfStatCommand() {
    }

    public static List<String> prefix(List<String> events, Path output, PerfControlFifos fifos) {
        List<String> cmd = new ArrayList<>(List.of("perf", "stat", "-x,", "-o", output.toString()));
        if (!events.isEmpty()) {
            cmd.add("-e");
            cmd.add(String.join(",", events));
        }
        cmd.addAll(List.of("-D", "-1", "--control", "fifo:" + fifos.control() + "," + fifos.ack(), "--"));
        return cmd;
    }
}
