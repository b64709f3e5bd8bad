package dev.copybench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message size in bytes, written as in the annotation: {@code "64"}, {@code "4K"}, {@code "4KiB"},
 * {@code "4kb"}, {@code "1M"}. Units are binary (K = 1024), as in kernel and socket buffer sizes.
 *
 * <pre>{@code
 * MessageSize.parse("64KiB").bytes() == 65536
 * }</pre>
 */
public record MessageSize(long bytes) implements Comparable<MessageSize> {

    /** One message is 8 fields of at least one byte each. */
    public static final long MIN_BYTES = 8;
    /** The engine's cap; larger messages are not a socket-copy question any more. */
    public static final long MAX_BYTES = 64L * 1024 * 1024;

    private static final Pattern FORM = Pattern.compile("(\\d{1,12})\\s*(b|k|kb|kib|m|mb|mib)?");

    public MessageSize {
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("message size " + bytes + " B is outside [" + MIN_BYTES
                    + " B, 64 MiB]: one message is 8 fields of at least one byte");
        }
    }

    /** Parses {@code "64"}, {@code "4K"}, {@code "4KiB"}, {@code "4kb"}, {@code "1M"}, {@code "1MiB"}. */
    public static MessageSize parse(String text) {
        return new MessageSize(parseBytes(text));
    }

    /**
     * The byte count written as a size is written (also used for socket buffers), at most 64 MiB,
     * without the bounds of a message.
     */
    public static long parseBytes(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("size '" + text
                    + "' is not a byte count: write e.g. 64, 4K, 4KiB, 4kb or 1M");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long multiplier = switch (unit) {
            case "k", "kb", "kib" -> 1024L;
            case "m", "mb", "mib" -> 1024L * 1024;
            default -> 1L;
        };
        if (value * multiplier > MAX_BYTES) {
            throw new IllegalArgumentException("size '" + text + "' is above the cap of 64 MiB: larger messages are not a socket-copy question any more");
        }
        return value * multiplier;
    }

    /** {@code 64 B}, {@code 4 KiB}, {@code 1 MiB}, or {@code 1536 B} when not a whole unit. */
    @Override
    public String toString() {
        if (bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " B";
    }

    @Override
    public int compareTo(MessageSize other) {
        return Long.compare(bytes, other.bytes);
    }
}
