package dev.copybench.internal.results;

import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.Measurement;
import dev.copybench.Metric;
import dev.copybench.Side;
import dev.copybench.internal.engine.EngineReport;
import dev.copybench.internal.perf.CounterReading;
import dev.copybench.internal.plan.Cell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every repetition of every cell as one row: what it is (mode, size, threads, workload, repetition),
 * whether it counted (status and why not), and the raw quantities the metrics are derived from (both
 * sides' window, bytes, messages and perf counters, the COPIED share, latency percentiles). The
 * numbers a reader needs to redo any statistic; columns that no row fills are left out.
 *
 * <pre>{@code
 * Files.writeString(dir.resolve("repetitions.csv"), RepetitionTable.of(results).csv());
 * }</pre>
 */
public final class RepetitionTable {

    /** A row's status: measured and used, or why it is not in any statistic. */
    public static final String MEASURED = "measured";

    private final List<String> columns;
    private final List<List<String>> rows;

    private RepetitionTable(List<String> columns, List<List<String>> rows) {
        this.columns = List.copyOf(columns);
        this.rows = rows.stream().map(List::copyOf).toList();
    }

    public static RepetitionTable of(BenchmarkResults results) {
        Map<Cell, Map<String, String>> byCell = new LinkedHashMap<>();
        List<CellResult> measured = results.cells();
        // counters in the order perf printed them, the server's first: one column per side and event
        Set<String> events = new LinkedHashSet<>();
        for (CellResult r : measured) {
            events.addAll(r.serverCounters().readings().keySet());
            events.addAll(r.clientCounters().readings().keySet());
        }
        for (CellResult r : measured) {
            byCell.put(r.cell(), measuredRow(r, events));
        }
        results.failures().forEach((cell, e) -> byCell.put(cell, status(cell, "failed", e.getMessage())));
        results.disturbed().forEach((cell, why) -> byCell.put(cell, status(cell, "disturbed", why)));
        for (Cell cell : results.plan().cells()) {
            if (!byCell.containsKey(cell)) {
                byCell.put(cell, results.unmeasurable(cell.configuration())
                        .map(why -> status(cell, "unmeasurable", why))
                        .orElseGet(() -> status(cell, "not run", "the run ended before this cell")));
            }
        }
        List<Map<String, String>> ordered = byCell.entrySet().stream()
                .sorted(Comparator.comparingInt(e -> e.getKey().index())).map(Map.Entry::getValue).toList();
        List<String> columns = new ArrayList<>();
        for (Map<String, String> row : ordered) {
            row.forEach((column, value) -> {
                if (!value.isEmpty() && !columns.contains(column)) {
                    columns.add(column);
                }
            });
        }
        // the order of the first row that has a column, identity and status first
        List<String> order = new ArrayList<>(template(events).keySet());
        columns.sort(Comparator.comparingInt(order::indexOf));
        List<List<String>> rows = ordered.stream().map(r -> columns.stream().map(c -> r.getOrDefault(c, "")).toList()).toList();
        return new RepetitionTable(columns, rows);
    }

    /** The column names, in order. */
    public List<String> columns() {
        return columns;
    }

    /** One list of values per repetition, in execution order; an empty string where a row has no value. */
    public List<List<String>> rows() {
        return rows;
    }

    /** The header line and one line per repetition (RFC 4180 quoting). */
    public String csv() {
        StringBuilder s = new StringBuilder(String.join(",", columns.stream().map(RepetitionTable::quote).toList())).append('\n');
        for (List<String> row : rows) {
            s.append(String.join(",", row.stream().map(RepetitionTable::quote).toList())).append('\n');
        }
        return s.toString();
    }

    /** Every column a row can have, in the table's order, all empty. */
    private static Map<String, String> template(Set<String> events) {
        Map<String, String> row = new LinkedHashMap<>();
        for (String c : List.of("cell", "mode", "size_bytes", "threads", "workload", "repetition", "status", "reason")) {
            row.put(c, "");
        }
        for (Side side : Side.values()) {
            String p = side.label() + "_";
            for (String c : List.of("window_s", "bytes", "messages", "gbps", "send_calls", "short_writes", "integrity_errors")) {
                row.put(p + c, "");
            }
        }
        for (Side side : Side.values()) {
            for (String event : events) {
                row.put(side.label() + "_" + event, "");
            }
        }
        for (String c : List.of("system_busy_ns", "system_idle_ns", "zerocopy_calls", "zerocopy_copied_share",
                "latency_count", "latency_p50_us", "latency_p90_us", "latency_p99_us", "latency_p999_us", "latency_max_us")) {
            row.put(c, "");
        }
        return row;
    }

    private static Map<String, String> identity(Cell cell, Map<String, String> row) {
        row.put("cell", String.valueOf(cell.index()));
        row.put("mode", cell.mode().name());
        row.put("size_bytes", String.valueOf(cell.size().bytes()));
        row.put("threads", String.valueOf(cell.threads()));
        row.put("workload", cell.workload().engineName());
        row.put("repetition", String.valueOf(cell.repetition()));
        return row;
    }

    private static Map<String, String> status(Cell cell, String status, String reason) {
        Map<String, String> row = identity(cell, new LinkedHashMap<>());
        row.put("status", status);
        row.put("reason", reason == null ? "" : reason.strip().lines().findFirst().orElse(""));
        return row;
    }

    private static Map<String, String> measuredRow(CellResult r, Set<String> events) {
        Map<String, String> row = identity(r.cell(), new LinkedHashMap<>());
        row.put("status", MEASURED);
        for (Side side : Side.values()) {
            EngineReport e = r.report(side);
            String p = side.label() + "_";
            row.put(p + "window_s", num(e.seconds()));
            row.put(p + "bytes", String.valueOf(e.bytes()));
            row.put(p + "messages", String.valueOf(e.messages()));
            row.put(p + "gbps", num(e.gbps()));
            row.put(p + "send_calls", e.sendCalls() == 0 ? "" : String.valueOf(e.sendCalls()));
            row.put(p + "short_writes", e.sendCalls() == 0 ? "" : String.valueOf(e.shortWrites()));
            if (side == Side.CLIENT) {
                row.put(p + "integrity_errors", optional(Metric.INTEGRITY_ERRORS.measure(r)));
            }
            for (String event : events) {
                row.put(side.label() + "_" + event, r.counters(side).reading(event)
                        .filter(CounterReading.Counted.class::isInstance).map(c -> num(((CounterReading.Counted) c).value()))
                        .orElse(""));
            }
        }
        EngineReport.SystemCpu system = r.server().system();
        if (system != null) {
            row.put("system_busy_ns", String.valueOf(system.busyNs()));
            row.put("system_idle_ns", String.valueOf(system.idleNs()));
        }
        if (r.server().zerocopy() != null) {
            row.put("zerocopy_calls", String.valueOf(r.server().zerocopy().calls()));
        }
        row.put("zerocopy_copied_share", optional(Metric.ZERO_COPY_COPIED_SHARE.measure(r)));
        EngineReport.Latency latency = r.client().latencyNs();
        if (latency != null) {
            Function<Long, String> us = ns -> num(ns / 1000.0);
            row.put("latency_count", String.valueOf(latency.count()));
            row.put("latency_p50_us", us.apply(latency.p50()));
            row.put("latency_p90_us", us.apply(latency.p90()));
            row.put("latency_p99_us", us.apply(latency.p99()));
            row.put("latency_p999_us", us.apply(latency.p999()));
            row.put("latency_max_us", us.apply(latency.max()));
        }
        return row;
    }

    private static String optional(Measurement m) {
        return m.isPresent() ? num(m.value()) : "";
    }

    /** Counts (bytes, messages, perf counters) exactly, so a reader can redo a statistic; others to 9 digits. */
    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.9g", v);
    }

    private static String quote(String text) {
        return text.contains(",") || text.contains("\"") || text.contains("\n") ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
