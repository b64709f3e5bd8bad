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
    ZERO_COPY("zero-copy", true),
    /** The message lives in a page-cache file (a memfd); {@code sendfile()} sends its range. */
    SENDFILE("sendfile"),
    /** io_uring {@code SENDMSG} with the 8-entry iovec: the control for io_uring's own cost. */
    IO_URING("io-uring"),
    /** io_uring {@code SENDMSG_ZC} with the 8-entry iovec; buffers reused only after their notification. */
    IO_URING_ZC("io-uring-zc", true);

    private final String engineName;
    private final boolean zeroCopy;

    CopyMode(String engineName) {
        this(engineName, false);
    }

    CopyMode(String engineName, boolean zeroCopy) {
        this.engineName = engineName;
        this.zeroCopy = zeroCopy;
    }

    /**
     * Whether the kernel reports, per send, if it copied after all (completions with
     * {@code SO_EE_CODE_ZEROCOPY_COPIED}, or io_uring's usage report): such modes have a COPIED share.
     */
    public boolean isZeroCopy() {
        return zeroCopy;
    }

    /** The name the native engine knows this mode by, e.g. {@code zero-copy}. */
    public String engineName() {
        return engineName;
    }
}
