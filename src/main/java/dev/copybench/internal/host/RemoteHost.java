package dev.copybench.internal.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A remote host once it is ready for cells: connected, probed (kernel, CPU, perf and the events it
 * counts, the send paths its kernel allows, the data interface and its driver) and holding this
 * run's engine, uploaded and hash-checked into the run directory, which every cell reuses.
 */
public final class RemoteHost implements AutoCloseable {

    private static final Duration PROBE = Duration.ofSeconds(60);

    private final SshHost ssh;
    private final String engine;
    private final HostCapabilities capabilities;
    private final long memAvailable;
    private final Map<String, String> facts;

    private RemoteHost(SshHost ssh, String engine, HostCapabilities capabilities, long memAvailable, Map<String, String> facts) {
        this.ssh = ssh;
        this.engine = engine;
        this.capabilities = capabilities;
        this.memAvailable = memAvailable;
        this.facts = facts;
    }

    /**
     * Connects, probes, uploads the engine for the host's architecture and checks it answers this
     * version. On any failure the connection is closed again and the message names the host.
     *
     * @param local       this run's checked engine: uploaded when the host has the same architecture, else the
     *                    one for the host's, checked into this run's directory the same way
     * @param events      the perf events to probe
     * @param dataAddress the data-path address, whose interface and driver are reported
     */
    public static RemoteHost open(SshHost ssh, NativeEngine local, List<String> events, String dataAddress) {
        try {
            Map<String, String> facts = new LinkedHashMap<>();
            Map<String, String> probed = keyValues(ssh.runOrThrow(probeScript(dataAddress), PROBE, "probing the host"));
            String platform = "linux-" + probed.getOrDefault("arch", "unknown");
            Path executable = local.executableFor(platform);
            String remoteEngine = ssh.runDir() + "/" + NativeEngine.EXECUTABLE;
            ssh.upload(executable, remoteEngine, EngineCache.sha256(Files.readAllBytes(executable)));
            String version = ssh.runOrThrow(SshHost.quote(remoteEngine) + " --version", PROBE, "running the uploaded engine").strip();
            String expected = NativeEngine.EXECUTABLE + " " + NativeEngine.version();
            if (!version.equals(expected)) {
                throw new IllegalStateException(ssh.role() + " " + ssh.describe() + ": the uploaded engine answers '" + version
                        + "', not '" + expected + "'");
            }
            Map<String, String> modes = HostProbe.modes(ssh.runOrThrow(SshHost.quote(remoteEngine) + " --list-modes", PROBE,
                    "listing the engine's send paths"));
            Optional<String> perf = Optional.ofNullable(probed.get("perf")).filter(v -> !v.isBlank());
            Map<String, String> status = perf.isPresent() ? probeEvents(ssh, events)
                    : notInstalled(events);
            HostCapabilities caps = new HostCapabilities(perf, status,
                    HostCapabilities.AVAILABLE.equals(modes.get("zero-copy")), false,
                    probed.getOrDefault("kernel", "unknown"), probed.getOrDefault("cpu", "unknown"),
                    parseInt(probed.get("cores"), 1), modes);
            facts.put("kernel", caps.kernel());
            facts.put("cpu", caps.cpuModel() + ", " + caps.cores() + " cores");
            facts.put("perf", perf.orElse("not installed"));
            facts.put("countable events", String.join(" ", caps.eventsPerfAccepts().stream()
                    .filter(e -> HostCapabilities.COUNTED.equals(status.get(e))).toList()));
            facts.put("data interface", probed.getOrDefault("dev", "unknown") + " (driver "
                    + probed.getOrDefault("driver", "unknown") + ")");
            facts.put("so_zerocopy", String.valueOf(caps.soZeroCopy()));
            return new RemoteHost(ssh, remoteEngine, caps, parseLong(probed.get("memavailable"), 0), facts);
        } catch (IOException e) {
            ssh.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            ssh.close();
            throw e;
        }
    }

    /** key=value lines: kernel, arch, CPU, cores, memory, perf, the data address's interface and driver. */
    private static String probeScript(String dataAddress) {
        String a = SshHost.quote(dataAddress);
        return String.join("\n",
                "echo \"kernel=$(uname -sr)\"",
                "echo \"arch=$(uname -m)\"",
                "echo \"cpu=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: *//')\"",
                "echo \"cores=$(getconf _NPROCESSORS_ONLN)\"",
                "echo \"memavailable=$(awk '/^MemAvailable:/ {print $2 * 1024}' /proc/meminfo)\"",
                "echo \"perf=$(perf --version 2>/dev/null)\"",
                // the interface holding the address (the server's host), else the one routing to it
                "dev=$(ip -o -4 addr show to " + a + " 2>/dev/null | awk '{sub(/@.*/, \"\", $2); print $2; exit}')",
                "[ -n \"$dev\" ] || dev=$(ip -o route get " + a + " 2>/dev/null | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p')",
                "echo \"dev=$dev\"",
                "drv=$(ethtool -i \"$dev\" 2>/dev/null | sed -n 's/^driver: //p')",
                "[ -n \"$drv\" ] || drv=$(basename \"$(readlink /sys/class/net/$dev/device/driver 2>/dev/null)\" 2>/dev/null)",
                "[ -n \"$drv\" ] || drv=$(sed -n 's/^DEVTYPE=//p' /sys/class/net/$dev/uevent 2>/dev/null)",
                "echo \"driver=${drv:-unknown}\"",
                "true");
    }

    /**
     * One {@code perf stat} per event on the host, as {@link HostProbe} does here, in one session:
     * each event's exit status and stderr, judged by the same rules.
     */
    private static Map<String, String> probeEvents(SshHost ssh, List<String> events) {
        StringBuilder script = new StringBuilder("p=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)\n"
                + "echo \"@paranoid $p\"\n");
        for (String e : events) {
            String q = SshHost.quote(e);
            script.append("out=$(perf stat -x, -e ").append(q).append(" -- true 2>&1 >/dev/null); rc=$?\n")
                    .append("printf '@event %s %s\\n' \"$rc\" ").append(q).append("\n")
                    .append("printf '%s\\n' \"$out\"\n");
        }
        String out = ssh.runOrThrow(script.toString(), PROBE, "probing perf events");
        Optional<Integer> paranoid = Optional.empty();
        Map<String, String> status = new LinkedHashMap<>();
        String event = null;
        boolean ok = false;
        List<String> stderr = new ArrayList<>();
        for (String line : (out + "\n@end 0 -").lines().toList()) {
            if (line.startsWith("@paranoid ")) {
                paranoid = Optional.of(parseInt(line.substring(10).strip(), Integer.MIN_VALUE)).filter(v -> v != Integer.MIN_VALUE);
            } else if (line.startsWith("@event ") || line.startsWith("@end ")) {
                if (event != null) {
                    status.put(event, HostProbe.eventStatus(event, ok, String.join("\n", stderr), paranoid));
                }
                String[] parts = line.split(" ", 3);
                ok = parts[1].equals("0");
                event = line.startsWith("@end ") ? null : parts[2];
                stderr.clear();
            } else {
                stderr.add(line);
            }
        }
        for (String e : events) {
            status.putIfAbsent(e, "the host's perf gave no answer for it");
        }
        return status;
    }

    private static Map<String, String> notInstalled(List<String> events) {
        Map<String, String> status = new LinkedHashMap<>();
        events.forEach(e -> status.put(e, "perf is not installed on the host"));
        return status;
    }

    /** Probes more events on the host (a plan's extra events). */
    public Map<String, String> probe(List<String> events) {
        return capabilities.perfAvailable() ? probeEvents(ssh, events) : notInstalled(events);
    }

    private static Map<String, String> keyValues(String out) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    private static int parseInt(String s, int otherwise) {
        try {
            return Integer.parseInt(s.strip());
        } catch (RuntimeException e) {
            return otherwise;
        }
    }

    private static long parseLong(String s, long otherwise) {
        try {
            return Long.parseLong(s.strip());
        } catch (RuntimeException e) {
            return otherwise;
        }
    }

    public SshHost ssh() {
        return ssh;
    }

    /** The uploaded engine's path on the host. */
    public String engine() {
        return engine;
    }

    public HostCapabilities capabilities() {
        return capabilities;
    }

    /** The host's MemAvailable in bytes when probed; 0 when it could not be read. */
    public long memAvailable() {
        return memAvailable;
    }

    /** Kernel, CPU, perf, countable events, data interface and driver, for reports. */
    public Map<String, String> facts() {
        return facts;
    }

    @Override
    public void close() {
        ssh.close();
    }
}
