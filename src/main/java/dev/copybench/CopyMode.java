package dev.copybench;

/**
 * How the server sends one message of 8 separately allocated fields.
 *
 * <pre>{@code
 * @CopyModeBenchmark(sizes = "64K", modes = {CopyMode.ONE_COPY, CopyMode.ZERO_COPY})
 * }</pre>
 */
public enum CopyMode {
    /** The fields are {@code memcpy}'d into one buffer for every message, then {@code send()}. */
    TWO_COPY("two-copy"),
    /** {@code sendmsg()} with an 8-entry iovec pointing at the fields. */
    ONE_COPY("one-copy"),
    /** {@code SO_ZEROCOPY} + {@code sendmsg(MSG_ZEROCOPY)}; buffers reused only after completion. */
    ZERO_COPY("zero-copy");

    private final String engineName;

    CopyMode(String engineName) {
        this.engineName = engineName;
    }

    /** The name the native engine knows this mode by, e.g. {@code zero-copy}. */
    public String engineName() {
        return engineName;
    }
}
