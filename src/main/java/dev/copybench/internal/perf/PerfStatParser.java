package dev.copybench.internal.perf;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses {@code perf stat -x,} output: one line per event,
 * {@code value,unit,event,run-time,pcnt-running,metric-value,metric-unit}.
 * The event field may itself contain commas ({@code cpu/event=0xd1,umask=0x40/}), so the line is
 * read from both ends. Comment lines ({@code #}) and perf's status messages are skipped.
 */
public final class PerfStatParser {

    private static final int TRAILING_FIELDS = 4;   // run-time, pcnt-running, metric-value, metric-unit

    private PerfStatParser() {
    }

    public static PerfCounters parse(String text) {
        Map<String, CounterReading> readings = new LinkedHashMap<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 5 || f[0].isBlank()) {
                continue;   // not a counter line ("Events enabled", a metric-only line)
            }
            int eventEnd = f.length >= 3 + TRAILING_FIELDS ? f.length - TRAILING_FIELDS : f.length - 2;
            String event = String.join(",", Arrays.copyOfRange(f, 2, eventEnd));
            if (event.isEmpty()) {
                continue;
            }
            String value = f[0].strip();
            if (value.equals("<not supported>")) {
                readings.put(event, new CounterReading.NotSupported(event));
            } else if (value.equals("<not counted>")) {
                readings.put(event, new CounterReading.NotCounted(event));
            } else {
                double pct = eventEnd + 1 < f.length && !f[eventEnd + 1].isBlank() ? Double.parseDouble(f[eventEnd + 1]) : 100.0;
                try {
                    readings.put(event, new CounterReading.Counted(event, Double.parseDouble(value), f[1].strip(), pct));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("perf stat line has no number where the value belongs: " + line, e);
                }
            }
        }
        return new PerfCounters(readings);
    }
}
