package dev.copybench.internal.host;

import dev.copybench.internal.perf.CounterReading;
import dev.copybench.internal.perf.PerfStatParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Probes the host once: whether perf exists and which events it counts (one {@code perf stat} per
 * event, as JMH's profilers do, because one unknown event makes perf reject the whole list),
 * {@code SO_ZEROCOPY}, and whether network namespaces can be created.
 */
public final class HostProbe {

    private HostProbe() {
    }

    public static HostCapabilities probe(List<String> events, NativeEngine engine) {
        Commands.Result version = Commands.run(List.of("perf", "--version"), Duration.ofSeconds(10));
        Optional<String> perfVersion = version.ok() ? Optional.of(version.stdout().strip()) : Optional.empty();
        Map<String, String> status = new LinkedHashMap<>();
        for (String event : events) {
            status.put(event, perfVersion.isEmpty() ? "perf is not installed (apt-get install linux-perf)" : probeEvent(event));
        }
        NativeEngine.Lib lib = engine.library();
        return new HostCapabilities(perfVersion, status, lib.cb_probe_so_zerocopy() == 1, lib.cb_probe_netns() == 1,
                System.getProperty("os.name") + " " + System.getProperty("os.version"), cpuModel(),
                Runtime.getRuntime().availableProcessors(), modes(engine));
    }

    /** {@code copybench-engine --list-modes}: one {@code name<TAB>available|unavailable: reason} line per send path. */
    public static Map<String, String> modes(NativeEngine engine) {
        Commands.Result list = Commands.run(List.of(engine.executable().toString(), "--list-modes"), Duration.ofSeconds(10))
                .orThrow();
        return modes(list.stdout());
    }

    /** The lines of {@code --list-modes}, wherever the engine ran. */
    static Map<String, String> modes(String listModesOutput) {
        Map<String, String> modes = new LinkedHashMap<>();
        for (String line : listModesOutput.lines().toList()) {
            String[] nameAndStatus = line.split("\t", 2);
            if (nameAndStatus.length == 2) {
                modes.put(nameAndStatus[0], nameAndStatus[1].replaceFirst("^unavailable: ", ""));
            }
        }
        return modes;
    }

    /** {@value HostCapabilities#COUNTED}, {@code <not supported>}, {@code <not counted>} or why perf rejects the event. */
    public static String probeEvent(String event) {
        List<String> cmd = new ArrayList<>(List.of("perf", "stat", "-x,", "-e", event, "--", "true"));
        Commands.Result r = Commands.run(cmd, Duration.ofSeconds(10));
        return eventStatus(event, r.ok(), r.stderr(), readParanoid());
    }

    /**
     * What {@code perf stat -x, -e event -- true} said, wherever it ran (here, or on a remote host):
     * the same words {@link #probeEvent} gives.
     */
    static String eventStatus(String event, boolean ok, String perfStderr, Optional<Integer> paranoid) {
        if (!ok) {
            return rejection(perfStderr, paranoid);
        }
        CounterReading reading = PerfStatParser.parse(perfStderr).reading(event).orElse(null);
        if (reading instanceof CounterReading.Counted) {
            return HostCapabilities.COUNTED;
        }
        if (reading instanceof CounterReading.NotSupported) {
            return "<not supported>";
        }
        return reading == null ? "perf printed no reading for it" : "<not counted>";
    }

    /**
     * Why perf rejected an event, from its stderr; when the kernel's perf_event_paranoid is what
     * stands in the way, says so and how to lift it.
     */
    static String rejection(String perfStderr, Optional<Integer> paranoid) {
        String first = perfStderr.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.equals("Error:"))
                .findFirst().orElse("no reason given");
        boolean permission = perfStderr.contains("perf_event_paranoid") || perfStderr.contains("Permission denied")
                || perfStderr.contains("Access to performance monitoring");
        if (permission && paranoid.isPresent()) {
            return "perf rejects it: kernel.perf_event_paranoid is " + paranoid.get() + " here; run as root, or lower it "
                    + "on the host with `sysctl -w kernel.perf_event_paranoid=1` (" + first + ")";
        }
        return "perf rejects it: " + first;
    }

    private static Optional<Integer> readParanoid() {
        try {
            return Optional.of(Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/perf_event_paranoid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The first {@code model name} of a {@code /proc/cpuinfo}, this host's or a remote one's. */
    static String cpuModel(List<String> cpuinfo) {
        return cpuinfo.stream().filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst().orElse("unknown");
    }

    private static String cpuModel() {
        try {
            return cpuModel(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException e) {
            return "unknown";
        }
    }
}
