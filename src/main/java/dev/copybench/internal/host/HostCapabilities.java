package dev.copybench.internal.host;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What this host can measure, probed once per run.
 *
 * @param perfVersion   {@code perf --version}, empty when perf is missing
 * @param eventStatus   per requested event: {@code counted}, {@code <not supported>}, or why perf rejected it
 * @param soZeroCopy    whether a TCP socket accepts {@code SO_ZEROCOPY}
 * @param namespaces    whether network namespaces can be created (root / CAP_SYS_ADMIN)
 * @param modeStatus    per send path the engine knows ({@code copybench-engine --list-modes}): {@value #AVAILABLE}
 *                      or why the path cannot run here (io_uring disabled, no SO_ZEROCOPY, …)
 */
public record HostCapabilities(Optional<String> perfVersion, Map<String, String> eventStatus, boolean soZeroCopy,
                               boolean namespaces, String kernel, String cpuModel, int cores,
                               Map<String, String> modeStatus) {

    public static final String COUNTED = "counted";
    public static final String AVAILABLE = "available";

    public HostCapabilities {
        eventStatus = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(eventStatus));
        modeStatus = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(modeStatus));
    }

    /** Why a send path cannot be measured on this host, if it cannot. */
    public Optional<String> unavailable(dev.copybench.CopyMode mode) {
        String status = modeStatus.getOrDefault(mode.engineName(), "this engine does not know the path");
        return status.equals(AVAILABLE) ? Optional.empty() : Optional.of(mode + " cannot be measured here: " + status);
    }

    /** The same host with more probed events. */
    public HostCapabilities withEvents(Map<String, String> more) {
        Map<String, String> all = new java.util.LinkedHashMap<>(eventStatus);
        all.putAll(more);
        return new HostCapabilities(perfVersion, all, soZeroCopy, namespaces, kernel, cpuModel, cores, modeStatus);
    }

    public boolean perfAvailable() {
        return perfVersion.isPresent();
    }

    /** Events perf accepts on this host (counted or not supported): those are passed to perf stat. */
    public List<String> eventsPerfAccepts() {
        return eventStatus.entrySet().stream()
                .filter(e -> e.getValue().equals(COUNTED) || e.getValue().equals("<not supported>"))
                .map(Map.Entry::getKey).toList();
    }
}
