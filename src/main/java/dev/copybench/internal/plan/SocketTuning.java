package dev.copybench.internal.plan;

import java.util.Map;

/**
 * What a benchmark changes about the sockets and the network stack of its cells.
 *
 * @param sendBufferBytes  SO_SNDBUF of the sender's sockets; 0 leaves the kernel's autotuning alone
 * @param nonBlocking      the sender uses MSG_DONTWAIT and polls for room, as event-loop servers do
 * @param namespaceSysctls sysctls written inside both test namespaces (never on the host), e.g.
 *                         {@code net.core.optmem_max=4096}; empty for none
 * @param pinned           server on CPU 0, client on CPU 1
 */
public record SocketTuning(long sendBufferBytes, boolean nonBlocking, Map<String, String> namespaceSysctls,
                           boolean pinned) {

    public static final SocketTuning NONE = new SocketTuning(0, false, Map.of(), false);

    public SocketTuning {
        namespaceSysctls = Map.copyOf(namespaceSysctls);
    }

    /** {@code sendBuffer=4 KiB, nonBlocking, net.core.optmem_max=4096}, or {@code kernel defaults}. */
    public String describe() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (sendBufferBytes > 0) {
            parts.add("sendBuffer=" + new dev.copybench.MessageSize(sendBufferBytes));
        }
        if (nonBlocking) {
            parts.add("nonBlocking");
        }
        if (pinned) {
            parts.add("pinned (server CPU 0, client CPU 1)");
        }
        namespaceSysctls.forEach((k, v) -> parts.add(k + "=" + v));
        return parts.isEmpty() ? "kernel defaults" : String.join(", ", parts);
    }
}
