package dev.copybench.hypothesis;

import dev.copybench.BenchmarkResults;
import dev.copybench.Configuration;
import dev.copybench.CopyMode;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.stream.Collectors;

/**
 * Disturbed cells (left out of verdicts, see {@code Disturbance}) in a comparison. Which cells survive may depend
 * on the configuration, so a comparison of one side's survivors with the other side's whole sample is no
 * comparison: when the two sides lost different numbers of cells the row is UNDECIDABLE with that reason. Any
 * difference counts, not only a significant one: with 3–10 repetitions no test (Fisher's exact test needs 0 of 5
 * against 4 of 5 to reach p &lt; 0.05) has the power to clear a difference, and the bias of a filtered mean has no
 * known direction. Equal counts are taken as the host's, common to both sides.
 */
final class Survivorship {

    private Survivorship() {
    }

    /** Why left and right cannot be compared on their survivors, if they lost different numbers of cells. */
    static Optional<String> uneven(BenchmarkResults results, Configuration left, Configuration right) {
        int l = results.disturbed(left).size();
        int r = results.disturbed(right).size();
        if (l == r) {
            return Optional.empty();
        }
        int planned = results.plan().repetitions();
        return Optional.of(String.format(Locale.ROOT, "disturbed cells differ: %s lost %d of %d, %s %d of %d; deciding "
                + "on the survivors would compare a filtered sample with a less filtered one (each disturbed cell's "
                + "reason names the side that stalled): rerun on a quieter host", left, l, planned, right, r, planned));
    }

    /** The verdict, its rule naming the disturbed cells per mode over the configurations it used, when there are any. */
    static Verdict noted(Verdict v, BenchmarkResults results, Collection<Configuration> used) {
        Map<CopyMode, int[]> perMode = new LinkedHashMap<>();   // in the order the verdict compares them
        for (Configuration c : new LinkedHashSet<>(used)) {
            int[] counts = perMode.computeIfAbsent(c.mode(), m -> new int[2]);
            counts[0] += results.disturbed(c).size();
            counts[1] += results.plan().repetitions();
        }
        if (perMode.values().stream().allMatch(c -> c[0] == 0)) {
            return v;
        }
        String line = perMode.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0] + " of " + e.getValue()[1])
                .collect(Collectors.joining(", ", "disturbed cells left out: ", ""));
        return new Verdict(v.statement(), v.outcome(), v.rows(), v.rule() + "; " + line, v.unit(), v.hostLoad());
    }
}
