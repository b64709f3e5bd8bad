package dev.copybench.internal.perf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** The counters of one {@code perf stat} session, by event name as perf printed it. */
public final class PerfCounters {

    private final Map<String, CounterReading> readings;
    /** Why no perf session ran at all, or null when one did. */
    private final String noSession;
    /** Why the host probe kept an event away from perf, by event. */
    private final Map<String, String> notCountable;

    public PerfCounters(Map<String, CounterReading> readings) {
        this(readings, null, Map.of());
    }

    private PerfCounters(Map<String, CounterReading> readings, String noSession, Map<String, String> notCountable) {
        this.readings = Collections.unmodifiableMap(new LinkedHashMap<>(readings));
        this.noSession = noSession;
        this.notCountable = Map.copyOf(notCountable);
    }

    /** The same readings, knowing why the probe kept these events away from perf (e.g. perf rejects them). */
    public PerfCounters withNotCountable(Map<String, String> reasons) {
        return new PerfCounters(readings, noSession, reasons);
    }

    public static PerfCounters none() {
        return new PerfCounters(Map.of());
    }

    /** No perf session ran; every event is absent for this reason. */
    public static PerfCounters unavailable(String why) {
        return new PerfCounters(Map.of(), why, Map.of());
    }

    public Map<String, CounterReading> readings() {
        return readings;
    }

    public Optional<CounterReading> reading(String event) {
        return Optional.ofNullable(readings.get(event));
    }

    /** The counted value, or empty when the event is absent, not supported or not counted. */
    public OptionalDouble value(String event) {
        return readings.get(event) instanceof CounterReading.Counted c ? OptionalDouble.of(c.value()) : OptionalDouble.empty();
    }

    /** Why there is no value for the event; empty when there is one. */
    public Optional<String> whyAbsent(String event) {
        CounterReading r = readings.get(event);
        if (r == null && notCountable.containsKey(event)) {
            return Optional.of(event + " cannot be counted here: " + notCountable.get(event));
        }
        if (r == null && noSession != null) {
            return Optional.of(event + " was not counted: " + noSession);
        }
        if (r == null) {
            return Optional.of(event + " was not recorded (perf did not report it)");
        }
        if (r instanceof CounterReading.NotSupported) {
            return Optional.of(event + " is <not supported> on this host");
        }
        if (r instanceof CounterReading.NotCounted) {
            return Optional.of(event + " was <not counted> (never scheduled in the window)");
        }
        return Optional.empty();
    }
}
