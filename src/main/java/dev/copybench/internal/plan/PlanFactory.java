package dev.copybench.internal.plan;

import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.MessageSize;
import dev.copybench.Workload;
import dev.copybench.internal.Settings;
import dev.copybench.internal.host.RemoteTopology;
import dev.copybench.internal.perf.PerfEvents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Annotation + system-property overrides → a validated {@link BenchmarkPlan}. */
public final class PlanFactory {

    public static final int MAX_THREADS = 64;
    public static final int MAX_REPETITIONS = 100;
    /** Rounds a precision may run when no maximum is given: netperf's -I maximum. */
    static final int DEFAULT_MAX_ROUNDS = 30;
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,2}(?:\\.\\d{1,3})?)\\s*%");
    public static final Duration MAX_DURATION = Duration.ofMinutes(10);
    /** The engine's floor for SO_SNDBUF; the kernel's own (about 4.5 KiB after doubling) applies anyway. */
    public static final long MIN_SEND_BUFFER = 1024;
    private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z0-9_.:/=,-]{1,128}");
    /** Network sysctls that are per network namespace; the value is one to three whole numbers. */
    private static final Pattern NAMESPACE_SYSCTL =
            Pattern.compile("(net\\.(?:core|ipv4|ipv6)\\.[a-z0-9_]{1,64})\\s*=\\s*(\\d{1,12}(?:\\s+\\d{1,12}){0,2})");

    private PlanFactory() {
    }

    /** The system properties that override the annotation. */
    public static final List<String> OVERRIDES = List.of("copybench.sizes", "copybench.threads", "copybench.modes",
            "copybench.duration", "copybench.warmup", "copybench.repetitions");
    /** Events a typo is most likely aimed at; others are passed to perf and probed there. */
    private static final List<String> WELL_KNOWN_EVENTS = java.util.stream.Stream.concat(PerfEvents.DEFAULTS.stream(),
            java.util.stream.Stream.of("branch-misses", "branches", "cache-misses", "cache-references", "L1-dcache-loads",
                    "L1-icache-load-misses", "LLC-stores", "LLC-store-misses", "dTLB-load-misses", "iTLB-load-misses",
                    "major-faults", "minor-faults", "cpu-clock", "stalled-cycles-frontend", "stalled-cycles-backend",
                    "bus-cycles", "ref-cycles")).toList();

    /**
     * The plan as the extension runs it: validated, and refused when one of its cells would plan to
     * allocate more than its share ({@code copybench.memory.share}) of {@code availableMemory}, or
     * take longer to set up and drain than its deadline may grant ({@link CellDeadline}).
     */
    public static BenchmarkPlan from(CopyModeBenchmark a, Properties props, long availableMemory) {
        BenchmarkPlan plan = from(a, props);
        MemoryBudget.check(plan, availableMemory,
                MemoryBudget.share(java.util.Optional.ofNullable(props.getProperty(Settings.MEMORY_SHARE))));
        CellDeadline.check(plan);
        return plan;
    }

    public static BenchmarkPlan from(CopyModeBenchmark a, Properties props) {
        rejectUnknownSettings(props);
        try {
            RemoteTopology.checkSettings(key -> Optional.ofNullable(props.getProperty(key)).filter(v -> !v.isBlank()));
        } catch (IllegalArgumentException e) {
            throw new InvalidBenchmarkException(e.getMessage());
        }
        Map<String, String> applied = new LinkedHashMap<>();
        List<String> sizeTexts = override(props, "copybench.sizes", applied).map(PlanFactory::splitList)
                .orElse(Arrays.asList(a.sizes()));
        List<Integer> threads = override(props, "copybench.threads", applied)
                .map(v -> splitList(v).stream().map(t -> parseInt("copybench.threads", t)).toList())
                .orElse(Arrays.stream(a.threads()).boxed().toList());
        List<CopyMode> modes = override(props, "copybench.modes", applied)
                .map(v -> splitList(v).stream().map(PlanFactory::parseMode).toList())
                .orElse(Arrays.asList(a.modes()));
        Duration duration = Durations.parse("duration",
                override(props, "copybench.duration", applied).orElse(a.duration()));
        Duration warmup = Durations.parse("warmup", override(props, "copybench.warmup", applied).orElse(a.warmup()));
        int repetitions = override(props, "copybench.repetitions", applied)
                .map(v -> parseInt("copybench.repetitions", v)).orElse(a.repetitions());

        List<MessageSize> sizes = new ArrayList<>();
        if (sizeTexts.isEmpty()) {
            throw new InvalidBenchmarkException("sizes is empty: give at least one message size, e.g. sizes = \"64K\"");
        }
        for (String text : sizeTexts) {
            MessageSize size;
            try {
                size = MessageSize.parse(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidBenchmarkException("sizes: " + e.getMessage());
            }
            if (sizes.contains(size)) {
                throw new InvalidBenchmarkException("sizes lists " + size + " twice ('" + text + "'): list each size once");
            }
            sizes.add(size);
        }
        requireDistinctNonEmpty(field("threads", applied), threads);
        for (int t : threads) {
            if (t < 1 || t > MAX_THREADS) {
                throw new InvalidBenchmarkException("threads " + t + " is outside [1, " + MAX_THREADS
                        + "]: one client thread is one connection");
            }
        }
        requireDistinctNonEmpty(field("modes", applied), modes);
        requireDistinctNonEmpty("workloads", Arrays.asList(a.workloads()));
        if (Arrays.asList(a.workloads()).contains(Workload.UDP_SINK)) {
            for (MessageSize size : sizes) {
                if (size.bytes() > Workload.MAX_DATAGRAM) {
                    throw new InvalidBenchmarkException("workloads: udp-sink sends one datagram per message, at most "
                            + new MessageSize(Workload.MAX_DATAGRAM) + " (" + Workload.MAX_DATAGRAM + " B), and sizes has "
                            + size + ": use smaller sizes, or a stream workload for them");
                }
            }
        }
        if (duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new InvalidBenchmarkException("duration " + Durations.format(duration) + " must be above 0 and at most 10m");
        }
        if (warmup.compareTo(MAX_DURATION) > 0) {
            throw new InvalidBenchmarkException("warmup " + Durations.format(warmup) + " must be at most 10m");
        }
        if (repetitions < 1 || repetitions > MAX_REPETITIONS) {
            throw new InvalidBenchmarkException("repetitions " + repetitions + " is outside [1, " + MAX_REPETITIONS
                    + "]; confidence intervals need at least 2");
        }
        for (String e : a.events()) {
            if (!EVENT_NAME.matcher(e).matches()) {
                throw new InvalidBenchmarkException("events: '" + e + "' is not a perf event name (see `perf list`)");
            }
            if (!WELL_KNOWN_EVENTS.contains(e) && Nearest.to(e, WELL_KNOWN_EVENTS).isPresent()) {
                throw new InvalidBenchmarkException("events: '" + e + "' is not a perf event" + Nearest.didYouMean(e, WELL_KNOWN_EVENTS)
                        + " (see `perf list`)");
            }
        }
        double precision = precision(a.precision());
        int maxRepetitions = a.maxRepetitions() == 0 ? (precision > 0 ? Math.max(DEFAULT_MAX_ROUNDS, repetitions) : repetitions)
                : a.maxRepetitions();
        if (maxRepetitions < repetitions || maxRepetitions > MAX_REPETITIONS) {
            throw new InvalidBenchmarkException("maxRepetitions " + maxRepetitions + " must be between repetitions ("
                    + repetitions + ") and " + MAX_REPETITIONS);
        }
        if (maxRepetitions > repetitions && precision == 0) {
            throw new InvalidBenchmarkException("maxRepetitions " + maxRepetitions + " needs a precision to aim at, e.g. "
                    + "precision = \"5%\": without one, exactly repetitions rounds run");
        }
        return new BenchmarkPlan(modes, sizes, threads, Arrays.asList(a.workloads()), warmup, duration, repetitions,
                Arrays.asList(a.events()), a.requireNamespaces(), tuning(a), applied, maxRepetitions, precision);
    }

    private static SocketTuning tuning(CopyModeBenchmark a) {
        long sendBuffer = 0;
        if (!a.sendBuffer().isBlank()) {
            try {
                sendBuffer = MessageSize.parseBytes(a.sendBuffer());
            } catch (IllegalArgumentException e) {
                throw new InvalidBenchmarkException("sendBuffer: " + e.getMessage());
            }
            if (sendBuffer < MIN_SEND_BUFFER) {
                throw new InvalidBenchmarkException("sendBuffer '" + a.sendBuffer() + "' is below 1 KiB; leave it empty for "
                        + "the kernel's default");
            }
        }
        Map<String, String> sysctls = new LinkedHashMap<>();
        for (String text : a.namespaceSysctls()) {
            Matcher m = NAMESPACE_SYSCTL.matcher(text.strip());
            if (!m.matches()) {
                throw new InvalidBenchmarkException("namespaceSysctls: '" + text + "' is not key=value with a namespaced "
                        + "net.core/net.ipv4/net.ipv6 key and whole numbers, e.g. \"net.core.optmem_max=4096\"");
            }
            if (sysctls.put(m.group(1), NamespaceSysctls.check(m.group(1), m.group(2))) != null) {
                throw new InvalidBenchmarkException("namespaceSysctls sets " + m.group(1) + " twice: set each key once");
            }
        }
        return new SocketTuning(sendBuffer, a.nonBlocking(), sysctls, a.pinned());
    }

    /** {@code "5%"} → 0.05; empty → 0 (no precision asked for). */
    private static double precision(String text) {
        if (text.isBlank()) {
            return 0;
        }
        Matcher m = PERCENT.matcher(text.strip());
        double p = m.matches() ? Double.parseDouble(m.group(1)) : 0;
        if (!(p > 0 && p < 100)) {
            throw new InvalidBenchmarkException("precision '" + text + "' is not a percentage above 0 and below 100: write "
                    + "e.g. \"5%\" for intervals within ±5 % of the mean");
        }
        return p / 100;
    }

    /** A misspelt override would silently do nothing: reject it, naming the nearest setting. */
    private static void rejectUnknownSettings(Properties props) {
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith("copybench.") && !OVERRIDES.contains(key) && !Settings.RUN_SETTINGS.contains(key)) {
                List<String> known = java.util.stream.Stream.concat(OVERRIDES.stream(), Settings.RUN_SETTINGS.stream()).toList();
                throw new InvalidBenchmarkException("-D" + key + " is not a copybench setting" + Nearest.didYouMean(key, known)
                        + " (overrides: " + String.join(", ", OVERRIDES) + "; settings: "
                        + String.join(", ", Settings.RUN_SETTINGS) + ")");
            }
        }
    }

    private static java.util.Optional<String> override(Properties props, String key, Map<String, String> applied) {
        String v = props.getProperty(key);
        if (v == null || v.isBlank()) {
            return java.util.Optional.empty();
        }
        applied.put(key, v.strip());
        return java.util.Optional.of(v.strip());
    }

    /** The name a message uses for a field: the system property when an override set it. */
    private static String field(String name, Map<String, String> applied) {
        return applied.containsKey("copybench." + name) ? "copybench." + name : name;
    }

    private static List<String> splitList(String v) {
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static int parseInt(String field, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidBenchmarkException(field + " '" + text + "' is not a whole number: write e.g. -D" + field + "=2");
        }
    }

    private static CopyMode parseMode(String text) {
        String norm = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (CopyMode m : CopyMode.values()) {
            if (m.name().equals(norm)) {
                return m;
            }
        }
        List<String> names = Arrays.stream(CopyMode.values()).map(Enum::name).toList();
        throw new InvalidBenchmarkException("copybench.modes: '" + text + "' is not a mode" + Nearest.didYouMean(norm, names)
                + " (modes: " + String.join(", ", names) + ")");
    }

    private static <T> void requireDistinctNonEmpty(String field, List<T> values) {
        if (values.isEmpty()) {
            throw new InvalidBenchmarkException(field + " is empty: give at least one");
        }
        Set<T> seen = new HashSet<>();
        for (T v : values) {
            if (!seen.add(v)) {
                throw new InvalidBenchmarkException(field + " lists " + v + " twice: list each once");
            }
        }
    }
}
