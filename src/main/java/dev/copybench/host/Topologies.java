package dev.copybench.host;

import java.util.concurrent.atomic.AtomicInteger;

/** Chooses and builds the topology of a run. */
public final class Topologies {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Topologies() {
    }

    /**
     * A namespace pair when the host allows it, else loopback. With {@code requireNamespaces} a host
     * that cannot create namespaces is an error rather than a fallback.
     */
    public static Topology create(HostCapabilities host, boolean requireNamespaces) {
        long pid = ProcessHandle.current().pid();
        if (host.namespaces()) {
            try {
                return NamespacePair.create(pid, SEQUENCE.incrementAndGet());
            } catch (RuntimeException e) {
                if (requireNamespaces) {
                    throw e;
                }
            }
        } else if (requireNamespaces) {
            throw new IllegalStateException("network namespaces cannot be created here (run as root or with CAP_SYS_ADMIN "
                    + "and CAP_NET_ADMIN); the benchmark requires them");
        }
        return new LoopbackTopology();
    }
}
