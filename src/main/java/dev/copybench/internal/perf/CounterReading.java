package dev.copybench.internal.perf;

/**
 * What {@code perf stat} reported for one event. A counter the CPU cannot count is
 * {@link NotSupported}, one that was never scheduled is {@link NotCounted}: neither is a number.
 */
public sealed interface CounterReading {

    String event();

    /**
     * A counted value. perf has already scaled it by enabled/running time; {@code runningPercent}
     * below 100 means the counter was multiplexed and the value is an estimate.
     */
    record Counted(String event, double value, String unit, double runningPercent) implements CounterReading {
        public boolean multiplexed() {
            return runningPercent < 100.0;
        }
    }

    /** {@code <not supported>}: this host cannot count the event (no PMU, or a VM without one). */
    record NotSupported(String event) implements CounterReading {
    }

    /** {@code <not counted>}: the event was never scheduled during the window. */
    record NotCounted(String event) implements CounterReading {
    }
}
