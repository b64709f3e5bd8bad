package dev.copybench;

/**
 * What the repetitions of one cell have in common: a mode, a message size, a client thread count and
 * a workload. Verdict rows, crossovers and {@link BenchmarkResults#results(Configuration)} are per
 * configuration.
 *
 * <pre>{@code
 * var oneCopy64K = new Configuration(CopyMode.ONE_COPY, MessageSize.parse("64K"), 1, Workload.STREAM);
 * results.results(oneCopy64K).size();   // the repetitions that ran
 * }</pre>
 */
public record Configuration(CopyMode mode, MessageSize size, int threads, Workload workload) {

    /** {@code ZERO_COPY · 64 KiB · 4 threads}, with the workload when it is not streaming. */
    @Override
    public String toString() {
        return mode + " · " + size + " · " + threads + (threads == 1 ? " thread" : " threads")
                + (workload == Workload.STREAM ? "" : " · " + workload.engineName());
    }
}
