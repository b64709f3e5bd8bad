package dev.copybench.internal.plan;

import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a cell's engines allocate, estimated before anything starts (the formula of native/README.md:
 * message buffers × connections, with the zero-copy pools), so a matrix that would exhaust the host
 * is refused up front, naming the cell and the figure, rather than leaving the OOM killer to choose.
 */
public final class MemoryBudget {

    /** Default share of {@code MemAvailable} one cell may plan to use; {@code copybench.memory.share} overrides it. */
    public static final double DEFAULT_SHARE = 0.5;
    /** What the client reads at a time in the stream workload: one message, within these bounds. */
    private static final long STREAM_READ_MIN = 64 * 1024;
    private static final long STREAM_READ_MAX = 1024 * 1024;
    private static final long ZERO_COPY_POOL_BYTES = 8L << 20;
    /** The engine's own bookkeeping per connection, and per client thread. */
    private static final long CONNECTION = 1024;
    private static final long CLIENT_THREAD = 24_576;
    private static final Pattern MEM_AVAILABLE = Pattern.compile("(?m)^MemAvailable:\\s+(\\d+) kB$");

    private MemoryBudget() {
    }

    /** Messages a zero-copy path keeps per connection by default: about 8 MiB worth, 8 … 1024 (native/src/zc_stats.c). */
    static long zeroCopyPool(long size) {
        return Math.max(8, Math.min(1024, ZERO_COPY_POOL_BYTES / size));
    }

    /** Bytes the server allocates for one connection in this mode (native/README.md, "Memory"). */
    static long serverPerConnection(CopyMode mode, long size) {
        long pool = zeroCopyPool(size);
        return CONNECTION + switch (mode) {
            case ONE_COPY -> size;                                  // the 8 fields
            case IO_URING -> size + 16_384;                         // and a ring
            case TWO_COPY -> 2 * size;                              // the fields and the flat buffer
            case SENDFILE -> 3 * size + 4096;                       // the fields, a flat copy, the page-cache file
            case ZERO_COPY -> pool * size + 20_480 + 4 * pool;      // a pool of whole messages and its tracker
            case IO_URING_ZC -> pool * size + 184_320 + 8 * pool;   // the same, and a larger ring
        };
    }

    /** Bytes the client allocates for one connection; udp-sink has no client. */
    static long clientPerConnection(Workload workload, long size) {
        return switch (workload) {
            case STREAM -> CLIENT_THREAD + Math.max(STREAM_READ_MIN, Math.min(STREAM_READ_MAX, size));
            case REQUEST_RESPONSE -> CLIENT_THREAD + size;
            case UDP_SINK -> 0;
        };
    }

    /** Both engines' planned allocation for a cell. */
    public static long cellBytes(CopyMode mode, MessageSize size, int threads, Workload workload) {
        return threads * (serverPerConnection(mode, size.bytes()) + clientPerConnection(workload, size.bytes()));
    }

    /**
     * Refuses the plan when one of its cells would plan more than {@code share} of {@code availableBytes}.
     *
     * @throws InvalidBenchmarkException naming the largest such cell, its figure and the fix
     */
    public static void check(BenchmarkPlan plan, long availableBytes, double share) {
        long allowed = (long) (availableBytes * share);
        for (CopyMode mode : plan.modes()) {
            for (MessageSize size : plan.sizes()) {
                for (int threads : plan.threads()) {
                    for (Workload workload : plan.workloads()) {
                        long need = cellBytes(mode, size, threads, workload);
                        if (need > allowed) {
                            throw new InvalidBenchmarkException(String.format(Locale.ROOT, "%s · %s · %d threads would "
                                    + "allocate about %s (%d connections × %s on the server, plus the client), more than "
                                    + "%.0f %% of the %s this host has available (MemAvailable): use fewer threads or "
                                    + "smaller messages, or set copybench.memory.share", mode, size, threads,
                                    gib(need), threads, gib(serverPerConnection(mode, size.bytes())), share * 100,
                                    gib(availableBytes)));
                        }
                    }
                }
            }
        }
    }

    /** The cap handed to each engine ({@code --max-memory}): the same share of what is available. */
    public static long engineCap(long availableBytes, double share) {
        return Math.max(1, (long) (availableBytes * share));
    }

    /** {@code MemAvailable} from /proc/meminfo, if this host has one. */
    public static Optional<Long> available() {
        try {
            Matcher m = MEM_AVAILABLE.matcher(Files.readString(Path.of("/proc/meminfo")));
            return m.find() ? Optional.of(Long.parseLong(m.group(1)) * 1024) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code copybench.memory.share}: a fraction in (0, 1]. */
    public static double share(Optional<String> setting) {
        if (setting.isEmpty()) {
            return DEFAULT_SHARE;
        }
        try {
            double share = Double.parseDouble(setting.get());
            if (share > 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new InvalidBenchmarkException("copybench.memory.share '" + setting.get() + "' must be a fraction in (0, 1], "
                + "e.g. 0.5 for half of MemAvailable");
    }

    /** {@code 32.0 GiB}, {@code 512.0 MiB}: binary units, one decimal. */
    static String gib(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
