package dev.copybench;

import java.util.Objects;

/** A metric's value in one cell, or why this host could not measure it. Absent is never 0. */
public final class Measurement {

    private final double value;
    private final String whyAbsent;

    private Measurement(double value, String whyAbsent) {
        this.value = value;
        this.whyAbsent = whyAbsent;
    }

    public static Measurement of(double value) {
        return new Measurement(value, null);
    }

    public static Measurement absent(String why) {
        return new Measurement(Double.NaN, Objects.requireNonNull(why));
    }

    public boolean isPresent() {
        return whyAbsent == null;
    }

    /** The value; throws when absent, so an unmeasured metric can never be used as a number. */
    public double value() {
        if (whyAbsent != null) {
            throw new IllegalStateException("not measured: " + whyAbsent);
        }
        return value;
    }

    public String whyAbsent() {
        return whyAbsent;
    }

    @Override
    public String toString() {
        return isPresent() ? String.valueOf(value) : "absent (" + whyAbsent + ")";
    }
}
