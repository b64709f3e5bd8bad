package dev.copybench.internal.plan;

import dev.copybench.Configuration;
import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A validated benchmark: the matrix, the timing, and the overrides that shaped it.
 *
 * @param tuning    socket buffer and namespace sysctls the cells run with
 * @param overrides system-property overrides that were applied, shown in results and reports
 */
public record BenchmarkPlan(List<CopyMode> modes, List<MessageSize> sizes, List<Integer> threads,
                            List<Workload> workloads, Duration warmup, Duration duration, int repetitions,
                            List<String> extraEvents, boolean requireNamespaces, SocketTuning tuning,
                            Map<String, String> overrides, int maxRepetitions, double precision) {

    /** A plan of a fixed number of rounds. */
    public BenchmarkPlan(List<CopyMode> modes, List<MessageSize> sizes, List<Integer> threads, List<Workload> workloads,
                         Duration warmup, Duration duration, int repetitions, List<String> extraEvents,
                         boolean requireNamespaces, SocketTuning tuning, Map<String, String> overrides) {
        this(modes, sizes, threads, workloads, warmup, duration, repetitions, extraEvents, requireNamespaces, tuning,
                overrides, repetitions, 0);
    }

    /** Whether further rounds depend on the precision reached. */
    public boolean adaptive() {
        return precision > 0 && maxRepetitions > repetitions;
    }

    public BenchmarkPlan {
        modes = List.copyOf(modes);
        sizes = List.copyOf(sizes);
        threads = List.copyOf(threads);
        workloads = List.copyOf(workloads);
        extraEvents = List.copyOf(extraEvents);
        overrides = Map.copyOf(overrides);
    }

    /** Namespaces are needed when asked for, and whenever sysctls must change: never on the host. */
    public boolean needsNamespaces() {
        return requireNamespaces || !tuning.namespaceSysctls().isEmpty() || workloads.contains(Workload.UDP_SINK);
    }

    /** The configurations of the matrix (cells without their repetition), in execution order. */
    public List<Configuration> configurations() {
        return cells().stream().map(Cell::configuration).distinct().toList();
    }

    /**
     * The cells in execution order, in rounds: repetition outermost and mode innermost, so the modes of
     * one configuration run back to back (their comparison is paired by round), with the mode order
     * rotated each round so that no mode always runs first, on a cold host, or last.
     */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (int rep = 1; rep <= repetitions; rep++) {
            cells.addAll(round(rep));
        }
        return cells;
    }

    /** The cells of one round; an adaptive plan has up to {@code maxRepetitions} of them. */
    public List<Cell> round(int rep) {
        int perRound = workloads.size() * sizes.size() * threads.size() * modes.size();
        int rounds = adaptive() ? maxRepetitions : repetitions;
        List<Cell> cells = new ArrayList<>(perRound);
        for (Workload w : workloads) {
            for (MessageSize s : sizes) {
                for (int t : threads) {
                    for (int i = 0; i < modes.size(); i++) {
                        CopyMode m = modes.get((i + rep - 1) % modes.size());
                        cells.add(new Cell((rep - 1) * perRound + cells.size() + 1, perRound * rounds, m, s, t, w, rep,
                                rounds, adaptive()));
                    }
                }
            }
        }
        return cells;
    }
}
