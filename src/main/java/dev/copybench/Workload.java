package dev.copybench;

/** What the client asks of the server in a cell. */
public enum Workload {
    /** The server sends continuously on every connection: throughput. */
    STREAM("stream"),
    /** The client sends a 16-byte request, the server answers one message: round-trip latency. */
    REQUEST_RESPONSE("request-response"),
    /**
     * Transmit only: the server sends one UDP datagram per message (at most 63 KiB) through a router
     * namespace that forwards it into a blackhole route. Nothing is delivered to a socket, so the
     * kernel has no reason to copy zero-copy sends: the one way to see true zero-copy on one host.
     * There is no client; throughput is what the server sent in its window.
     */
    UDP_SINK("udp-sink");

    /** The largest message udp-sink sends: one datagram, under IPv4's 64 KiB limit. */
    public static final long MAX_DATAGRAM = 64_512;

    private final String engineName;

    Workload(String engineName) {
        this.engineName = engineName;
    }

    public String engineName() {
        return engineName;
    }
}
