package dev.copybench.internal.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The network sysctls a benchmark may set inside its test namespaces, with the values each takes.
 * Checked before any process starts; whether the kernel really keeps a key per namespace is checked
 * by reading it back after writing (some, such as {@code net.core.rmem_max}, are host-wide and read
 * only inside a namespace, where {@code sysctl -w} even exits 0).
 */
final class NamespaceSysctls {

    /** A key's value: {@code count} whole numbers, each in [{@code min}, {@code max}], ascending when several. */
    private record Spec(int count, long min, long max) {
        String describe() {
            String one = "a whole number from " + min + " to " + max;
            return count == 1 ? one : count + " whole numbers min default max, each from " + min + " to " + max
                    + ", in ascending order";
        }
    }

    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final Map<String, Spec> KNOWN = new TreeMap<>(Map.ofEntries(
            Map.entry("net.core.optmem_max", new Spec(1, 0, INT_MAX)),
            Map.entry("net.core.rmem_default", new Spec(1, 256, INT_MAX)),
            Map.entry("net.core.rmem_max", new Spec(1, 256, INT_MAX)),
            Map.entry("net.core.wmem_default", new Spec(1, 256, INT_MAX)),
            Map.entry("net.core.wmem_max", new Spec(1, 256, INT_MAX)),
            Map.entry("net.core.somaxconn", new Spec(1, 1, INT_MAX)),
            Map.entry("net.ipv4.ip_forward", new Spec(1, 0, 1)),
            Map.entry("net.ipv4.tcp_autocorking", new Spec(1, 0, 1)),
            Map.entry("net.ipv4.tcp_limit_output_bytes", new Spec(1, 0, INT_MAX)),
            Map.entry("net.ipv4.tcp_mtu_probing", new Spec(1, 0, 2)),
            Map.entry("net.ipv4.tcp_no_metrics_save", new Spec(1, 0, 1)),
            Map.entry("net.ipv4.tcp_notsent_lowat", new Spec(1, 0, INT_MAX)),
            Map.entry("net.ipv4.tcp_rmem", new Spec(3, 1, INT_MAX)),
            Map.entry("net.ipv4.tcp_slow_start_after_idle", new Spec(1, 0, 1)),
            Map.entry("net.ipv4.tcp_wmem", new Spec(3, 1, INT_MAX)),
            Map.entry("net.ipv4.udp_rmem_min", new Spec(1, 1, INT_MAX)),
            Map.entry("net.ipv4.udp_wmem_min", new Spec(1, 1, INT_MAX))));

    private NamespaceSysctls() {
    }

    /** Validates one setting; its value with whitespace folded, or an InvalidBenchmarkException naming key, value and fix. */
    static String check(String key, String value) {
        Spec spec = KNOWN.get(key);
        if (spec == null) {
            throw new InvalidBenchmarkException("namespaceSysctls: " + key + " is not a network sysctl copybench sets in "
                    + "a namespace" + Nearest.didYouMean(key, KNOWN.keySet()) + " (known: " + String.join(", ", KNOWN.keySet()) + ")");
        }
        List<String> numbers = Arrays.asList(value.strip().split("\\s+"));
        String folded = String.join(" ", numbers);
        long previous = Long.MIN_VALUE;
        boolean ok = numbers.size() == spec.count();
        for (String n : ok ? numbers : List.<String>of()) {
            long v = Long.parseLong(n);   // the syntax pattern allows only digits, at most 12
            ok &= v >= spec.min() && v <= spec.max() && v >= previous;
            previous = v;
        }
        if (!ok) {
            throw new InvalidBenchmarkException("namespaceSysctls: " + key + "=" + folded + " is out of range: it takes "
                    + spec.describe());
        }
        return folded;
    }
}
