package dev.copybench.internal.plan;

import dev.copybench.Configuration;
import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Workload;

/**
 * One run of the matrix: a mode, a message size, a client thread count, a workload and a
 * repetition. {@code index} counts from 1 in execution order.
 */
public record Cell(int index, int total, CopyMode mode, MessageSize size, int threads, Workload workload,
                   int repetition, int repetitions, boolean atMost) {

    /** A cell of a fixed number of rounds. */
    public Cell(int index, int total, CopyMode mode, MessageSize size, int threads, Workload workload, int repetition,
                int repetitions) {
        this(index, total, mode, size, threads, workload, repetition, repetitions, false);
    }

    /** {@code 3/12}, or {@code 3/≤12} when further rounds depend on the precision reached. */
    public String of() {
        return repetition + "/" + (atMost ? "≤" : "") + repetitions;
    }

    /** {@code 7/36}, or {@code 7/≤36}. */
    public String position() {
        return index + "/" + (atMost ? "≤" : "") + total;
    }

    /** {@code ZERO_COPY · 64 KiB · 4 threads}, with the workload and repetition when they vary. */
    public String displayName() {
        StringBuilder s = new StringBuilder().append(mode).append(" · ").append(size).append(" · ")
                .append(threads).append(threads == 1 ? " thread" : " threads");
        if (workload != Workload.STREAM) {
            s.append(" · ").append(workload.engineName());
        }
        if (repetitions > 1) {
            s.append(" · rep ").append(of());
        }
        return s.toString();
    }

    /** The cell without its repetition: repetitions of one configuration share it. */
    public Configuration configuration() {
        return new Configuration(mode, size, threads, workload);
    }
}
