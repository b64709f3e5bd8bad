package dev.copybench.internal.host;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Chooses and builds the topology of a run. */
public final class Topologies {

    /** The n of {@code copybench-<pid>-<n>-s|c}: each pair, and each name found taken, moves it on. */
    static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Socket-memory sysctls every report shows, as the server's namespace sees them. */
    static final java.util.List<String> REPORTED_SYSCTLS = java.util.List.of("net.core.optmem_max", "net.ipv4.tcp_wmem",
            "net.ipv4.tcp_rmem");

    private Topologies() {
    }

    /**
     * A namespace pair when the host allows it, else loopback. With {@code requireNamespaces} a host
     * that cannot create namespaces is an error rather than a fallback; without, a pair that fails where
     * namespaces work falls back to loopback and says why (never silently).
     *
     * @param sysctls written inside both namespaces; with any, namespaces are required
     * @param record  where the namespaces are written down, with their inodes, once made
     * @param sink    with the udp-sink route (namespaces required)
     */
    public static Topology create(HostCapabilities host, boolean requireNamespaces, Map<String, String> sysctls,
                                  RunRecord record, boolean sink) {
        long pid = ProcessHandle.current().pid();
        requireNamespaces |= !sysctls.isEmpty() || sink;
        if (host.namespaces()) {
            try {
                return NamespacePair.create(pid, SEQUENCE::incrementAndGet, sysctls, record, sink);
            } catch (RuntimeException e) {
                if (requireNamespaces) {
                    throw e;
                }
                System.out.println("[copybench] measuring over loopback: the network namespaces could not be made ("
                        + e.getMessage() + ")");
            }
        } else if (requireNamespaces) {
            throw new IllegalStateException("network namespaces cannot be created here (run as root or with CAP_SYS_ADMIN "
                    + "and CAP_NET_ADMIN); the benchmark requires them" + (sysctls.isEmpty() ? "" : " to set " + sysctls.keySet()
                    + ", which are never changed on the host"));
        }
        return new LoopbackTopology();
    }
}
