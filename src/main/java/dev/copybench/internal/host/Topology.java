package dev.copybench.internal.host;

import java.util.List;
import java.util.Map;

/**
 * Where the server and the client of a cell run and how they reach each other: two network
 * namespaces joined by a veth pair on 198.18.0.0/30 (RFC 2544 benchmark range), or, when
 * namespaces cannot be created, loopback 127.0.0.1 (flagged in every result and report), or
 * remote hosts over SSH ({@link RemoteTopology}).
 */
public interface Topology extends AutoCloseable {

    enum Kind { NAMESPACES, LOOPBACK, REMOTE }

    Kind kind();

    String serverAddress();

    /** The command, run inside the server's side. */
    List<String> onServerSide(List<String> command);

    /** The command, run inside the client's side. */
    List<String> onClientSide(List<String> command);

    /**
     * Where udp-sink datagrams go: an address routed through the client's namespace, which forwards it
     * into a blackhole route. Empty when the topology was built without a sink.
     */
    default java.util.Optional<String> sinkAddress() {
        return java.util.Optional.empty();
    }

    /** The sysctls this topology set inside its namespaces (empty on loopback: never on the host). */
    default Map<String, String> sysctls() {
        return Map.of();
    }

    /** Sysctls that shape socket memory, as the server's side sees them: {@code net.core.optmem_max}, {@code net.ipv4.tcp_wmem}. */
    Map<String, String> networkSettings();

    /** Facts about the hosts a remote topology runs on (kernel, CPU, perf, data interface), for reports. */
    default Map<String, String> hostFacts() {
        return Map.of();
    }

    /** One line for logs and reports. */
    String describe();

    /** Removes what the topology created; idempotent, never throws. */
    @Override
    void close();
}
