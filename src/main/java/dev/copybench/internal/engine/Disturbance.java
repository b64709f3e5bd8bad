package dev.copybench.internal.engine;

import dev.copybench.CellResult;
import dev.copybench.Side;

import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * Whether a cell's window was disturbed: a side was not running, or made no progress, for a stretch that no
 * undisturbed run shows (a frozen process, a host that starved it). Such a cell is not a measurement of the send
 * path, so it is kept out of verdicts, with this reason naming the side that stalled, rather than averaged in.
 *
 * <p>What is not a disturbance: a slow cell whose bytes keep moving (the engine credits a sender's bytes as the
 * peer acknowledges them, so one large message in flight is progress), a mode's own waits (zero-copy waiting for
 * completions is measured as its time), and a sampler that woke late (its gap is the side's own, below).
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

    /**
     * Why the cell was disturbed, if it was, naming the side that stalled: the side whose own sampler woke late
     * (it was not running), else the side that made no progress, unless it was waiting on its peer the while (its
     * peer's receive window closed, or nothing came to read): then the peer.
     */
    public static Optional<String> of(CellResult r, Duration window) {
        long threshold = Math.min(Math.max(MIN_STALL.toMillis(), Math.round(window.toMillis() * SHARE)),
                Math.round(window.toMillis() * SHORT_WINDOW_SHARE));
        String rule = "a stall of " + threshold + " ms or more disturbs a cell";
        Optional<Side> notRunning = longest(r, EngineReport.Progress::longestGapMs, threshold);
        if (notRunning.isPresent()) {
            Side side = notRunning.get();
            return Optional.of(String.format(Locale.ROOT, "the %s stalled: it was not running for %d ms of its %d ms "
                    + "window (its own progress sampler woke that late; %s): frozen, or starved by the host",
                    side.label(), r.report(side).progress().longestGapMs(), window.toMillis(), rule));
        }
        return longest(r, EngineReport.Progress::longestStallMs, threshold).map(side -> {
            EngineReport.Progress p = r.report(side).progress();
            String rates = String.format(Locale.ROOT, "slowest 20 ms interval %.2f Gbps, median %.2f", p.minGbps(),
                    p.medianGbps());
            if (p.stallWasThePeers()) {
                Side peer = side == Side.SERVER ? Side.CLIENT : Side.SERVER;
                return String.format(Locale.ROOT, "the %s stalled: the %s made no progress for %d ms of its %d ms window, "
                        + "%d ms of them waiting on the %s (%s; %s): the %s was frozen, starved by the host, or %s",
                        peer.label(), side.label(), p.longestStallMs(), window.toMillis(), p.stallOnPeerMs(),
                        peer.label(), rule, rates, peer.label(),
                        peer == Side.CLIENT ? "not reading" : "not sending");
            }
            return String.format(Locale.ROOT, "the %s stalled: it made no progress for %d ms of its %d ms window "
                    + "(%s; %s): frozen, or starved by the host", side.label(), p.longestStallMs(), window.toMillis(),
                    rule, rates);
        });
    }

    /** The side with the longest of what, if at least threshold. */
    private static Optional<Side> longest(CellResult r, ToLongFunction<EngineReport.Progress> what, long threshold) {
        return Stream.of(Side.values()).filter(s -> r.report(s).progress() != null)
                .filter(s -> what.applyAsLong(r.report(s).progress()) >= threshold)
                .max(Comparator.comparingLong(s -> what.applyAsLong(r.report(s).progress())));
    }
}
