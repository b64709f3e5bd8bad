package dev.copybench.internal.plan;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code "300ms"}, {@code "2s"}, {@code "1.5s"}, {@code "1m"}. */
public final class Durations {

    private static final Pattern FORM = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,3})?)\\s*(ms|s|m|min)");

    private Durations() {
    }

    public static Duration parse(String field, String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidBenchmarkException(field + " '" + text + "' is not a duration: write e.g. 300ms, 2s or 1m");
        }
        double value = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> value;
            case "s" -> value * 1000;
            default -> value * 60_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /** {@code 300ms}, {@code 2s}, {@code 1.5s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 || ms % 100 != 0 ? ms + "ms" : (ms % 1000 == 0 ? ms / 1000 + "s" : ms / 1000.0 + "s");
    }
}
