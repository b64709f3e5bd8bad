package dev.copybench.internal.plan;

/** A benchmark declaration or override that cannot run; the message names the field, the value and the fix. */
public final class InvalidBenchmarkException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidBenchmarkException(String message) {
        super(message);
    }
}
