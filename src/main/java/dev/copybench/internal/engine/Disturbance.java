package dev.copybench.internal.engine;

import dev.copybench.CellResult;
import dev.copybench.Side;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether a cell's window was disturbed: a side made no progress for a stretch that no undisturbed run
 * shows (a frozen process, a host that starved it). Such a cell is not a measurement of the send path,
 * so it is kept out of verdicts, with this reason, rather than averaged in.
 */
public final class Disturbance {

    /**
     * A stall at least this long, and at least {@link #SHARE} of the window, disturbs a cell. Undisturbed
     * runs here stall 0–40 ms; a loaded 2-core host gives ~100 ms hiccups, which the statistics absorb.
     */
    public static final Duration MIN_STALL = Duration.ofMillis(250);
    public static final double SHARE = 0.2;
    /**
     * In a window shorter than {@link #MIN_STALL}, a stall over this share of it still disturbs the cell:
     * a 200 ms window with no progress at all is a starved process, not a measurement of 0 Gbps.
     */
    public static final double SHORT_WINDOW_SHARE = 0.9;

    private Disturbance() {
    }

    /** Why the cell was disturbed, if it was. */
    public static Optional<String> of(CellResult r, Duration window) {
        long threshold = Math.min(Math.max(MIN_STALL.toMillis(), Math.round(window.toMillis() * SHARE)),
                Math.round(window.toMillis() * SHORT_WINDOW_SHARE));
        for (Side side : Side.values()) {
            EngineReport.Progress p = r.report(side).progress();
            if (p != null && p.longestStallMs() >= threshold) {
                return Optional.of(String.format(java.util.Locale.ROOT, "the %s made no progress for %d ms of its %d ms "
                        + "window (a stall of %d ms or more disturbs a cell; slowest 20 ms interval %.2f Gbps, median "
                        + "%.2f): frozen, or starved by the host", side.label(), p.longestStallMs(), window.toMillis(),
                        threshold, p.minGbps(), p.medianGbps()));
            }
        }
        return Optional.empty();
    }
}
