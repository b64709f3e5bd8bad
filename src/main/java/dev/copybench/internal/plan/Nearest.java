package dev.copybench.internal.plan;

import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** The known name closest to a misspelt one, for "did you mean …?" in validation messages. */
final class Nearest {

    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private Nearest() {
    }

    /** The candidate within a small edit distance (case-insensitive), if any. */
    static Optional<String> to(String input, Collection<String> candidates) {
        String in = input.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, in.length() / 4);
        return candidates.stream()
                .filter(c -> DISTANCE.apply(in, c.toLowerCase(Locale.ROOT)) <= limit)
                .min(Comparator.comparingInt(c -> DISTANCE.apply(in, c.toLowerCase(Locale.ROOT))));
    }

    /** {@code "; did you mean X?"}, or nothing. */
    static String didYouMean(String input, Collection<String> candidates) {
        return to(input, candidates).map(c -> "; did you mean " + c + "?").orElse("");
    }
}
