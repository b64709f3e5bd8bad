package dev.copybench.internal.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON object one engine process prints when it ends (see native/src/report.c). Bytes and
 * messages are payload inside the measured window; {@code seconds} is the measured window length.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EngineReport(String role, String mode, String workload, long size, int threads, double seconds,
                           long bytes, long messages, double gbps, double messagesPerS, long totalBytes,
                           long totalMessages, long sendCalls, long shortWrites, long verifiedMessages,
                           long integrityErrors, long rejectedConnections, Latency latencyNs, ZeroCopy zerocopy,
                           Progress progress, SystemCpu system, Rusage rusage, Window window) {

    /**
     * Every CPU's busy and idle time over the window, from /proc/stat (USER_HZ ticks, so ±10 ms): softirq
     * and the receiver included, which a process's own task-clock misses; irq + softirq and steal are
     * also given apart (both inside busy; null from an engine that did not report them). Null when absent.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SystemCpu(long busyNs, long idleNs, Long irqNs, Long stealNs, int cpus) {
    }

    /**
     * Progress sampled every {@code intervalMs} inside the window: the slowest and median interval, and
     * the longest run of intervals without progress (a frozen or starved process). Null when absent.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Progress(int intervalMs, long intervals, double minGbps, double medianGbps, double maxGbps,
                           long longestStallMs, long missedIntervals) {
    }

    /** Round-trip latency of the request/response workload, in nanoseconds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Latency(long count, double mean, long min, long p50, long p90, long p99, long p999, long max) {
    }

    /**
     * Accounting of every zero-copy call (MSG_ZEROCOPY, io_uring SENDMSG_ZC): completions reconciled and
     * the share the kernel copied. {@code copied} and {@code copiedShare} are null, with
     * {@code copiedUnknown} saying why, when the kernel does not report it; {@code sends} and
     * {@code notifications} are io_uring's, null for MSG_ZEROCOPY.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ZeroCopy(long calls, long completed, Long copied, Double copiedShare, String copiedUnknown, long ranges,
                           long enobufs, long reconcileErrors, long poolWaits, Long sends, Long notifications) {
    }

    /** CPU time and context switches of the process inside the window. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rusage(double userS, double systemS, long voluntaryCtx, long involuntaryCtx) {
    }

    /** CLOCK_MONOTONIC edges of the window. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Window(long startNs, long endNs) {
    }

    static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    public static EngineReport parse(String json) {
        try {
            return JSON.readValue(json, EngineReport.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("engine output is not its JSON report: " + json.strip(), e);
        }
    }
}
