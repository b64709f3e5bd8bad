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
                           Progress progress, SystemCpu system, Rusage rusage, Window window, SendBuffer sndbuf) {

    /** A report without a send buffer figure: no {@code --sndbuf}, or an engine that predates it. */
    public EngineReport(String role, String mode, String workload, long size, int threads, double seconds, long bytes,
                        long messages, double gbps, double messagesPerS, long totalBytes, long totalMessages, long sendCalls,
                        long shortWrites, long verifiedMessages, long integrityErrors, long rejectedConnections,
                        Latency latencyNs, ZeroCopy zerocopy, Progress progress, SystemCpu system, Rusage rusage, Window window) {
        this(role, mode, workload, size, threads, seconds, bytes, messages, gbps, messagesPerS, totalBytes, totalMessages,
                sendCalls, shortWrites, verifiedMessages, integrityErrors, rejectedConnections, latencyNs, zerocopy, progress,
                system, rusage, window, null);
    }

    /**
     * The server's {@code --sndbuf} as asked and SO_SNDBUF as read back on its connections (the least). Linux
     * holds twice what is asked (its bookkeeping), capped at twice {@code net.core.wmem_max} and at least its
     * minimum (about 4.5 KiB): a full grant reads {@code 2 × asked}. Null when no send buffer was asked for.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SendBuffer(long asked, long granted) {

        /**
         * What the kernel did with the ask, when it is more than the doubling: {@code sendBuffer asked 64 MiB, the
         * kernel granted 8 MiB (capped by net.core.wmem_max; a full grant reads 128 MiB)}.
         */
        public java.util.Optional<String> differs() {
            if (granted == 2 * asked) {
                return java.util.Optional.empty();
            }
            String why = granted < 2 * asked ? "capped by net.core.wmem_max; a full grant reads " + binary(2 * asked)
                    : "raised to the kernel's minimum";
            return java.util.Optional.of("sendBuffer asked " + binary(asked) + ", the kernel granted " + binary(granted)
                    + " (" + why + ")");
        }

        /** {@code 8 MiB}, {@code 4.5 KiB}, {@code 900 B}. */
        private static String binary(long bytes) {
            return bytes >= 1L << 20 ? unit(bytes / (double) (1L << 20)) + " MiB"
                    : bytes >= 1024 ? unit(bytes / 1024.0) + " KiB" : bytes + " B";
        }

        private static String unit(double v) {
            return v == Math.rint(v) ? String.valueOf((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
        }
    }

    /**
     * Every CPU's busy and idle time over the window, from /proc/stat (USER_HZ ticks, so ±10 ms): softirq
     * and the receiver included, which a process's own task-clock misses; irq + softirq and steal are
     * also given apart (both inside busy; null from an engine that did not report them). Null when absent.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SystemCpu(long busyNs, long idleNs, Long irqNs, Long stealNs, int cpus) {
    }

    /**
     * Progress sampled every {@code intervalMs} inside the window: the slowest and median interval; the longest
     * run of intervals without progress and how much of it this side was waiting on its peer (its receive window
     * closed, or nothing to read: the stall is the peer's); the longest the sampler woke late (this process was
     * not running: frozen, or starved by the host); and the send path's own waits, summed over connections
     * (zero-copy waiting for completions: the mode's time, not a stall). Over TCP a sender's bytes count as the
     * peer acknowledges them, so one large message in flight is progress. Null when absent.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Progress(int intervalMs, long intervals, double minGbps, double medianGbps, double maxGbps,
                           long longestStallMs, Long stallOnPeerMs, Long longestGapMs, long missedIntervals,
                           Double modeWaitS) {

        /** An engine before these fields said nothing of them: nothing seen, so zero. */
        public Progress {
            stallOnPeerMs = stallOnPeerMs == null ? 0L : stallOnPeerMs;
            longestGapMs = longestGapMs == null ? 0L : longestGapMs;
            modeWaitS = modeWaitS == null ? 0.0 : modeWaitS;
        }

        /** Whether the longest stall was mostly spent waiting on the peer: then it is the peer's. */
        public boolean stallWasThePeers() {
            return longestStallMs > 0 && stallOnPeerMs * 2 >= longestStallMs;
        }
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
