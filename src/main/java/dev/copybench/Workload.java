package dev.copybench;

/** What the client asks of the server in a cell. */
public enum Workload {
    /** The server sends continuously on every connection: throughput. */
    STREAM("stream"),
    /** The client sends a 16-byte request, the server answers one message: round-trip latency. */
    REQUEST_RESPONSE("request-response");

    private final String engineName;

    Workload(String engineName) {
        this.engineName = engineName;
    }

    public String engineName() {
        return engineName;
    }
}
