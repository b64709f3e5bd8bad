package dev.copybench.internal.results;

import com.fasterxml.jackson.databind.JsonNode;
import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Workload;
import dev.copybench.internal.plan.PlanFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a results file read back must be before anything uses it: a regular file of bounded size (a FIFO or a device
 * would block or never end), then every field {@code docs/results-schema.json} requires, present, of its type and in
 * the range this copybench can use (modes and workloads it knows, message sizes and threads its plans allow, metric
 * values finite and never negative). A file written by another copybench, edited by hand or planted is refused in one
 * line naming the field by its JSON path, e.g. {@code plans[0].cells[3].sizeBytes}, never half-used.
 *
 * <pre>{@code
 * RunFileCheck.regularFile(path);         // before opening it
 * RunFileCheck.check(JSON.readTree(bytes));  // before binding it to RunFile
 * }</pre>
 */
final class RunFileCheck {

    /** A 504-cell run writes about 2 MB: 64 MiB is far beyond any real file and still cheap to hold in memory. */
    static final long MAX_FILE_BYTES = 64L << 20;

    private static final List<String> MODES = Arrays.stream(CopyMode.values()).map(Enum::name).toList();
    private static final List<String> WORKLOADS = Arrays.stream(Workload.values()).map(Workload::engineName).toList();
    private static final List<String> STATUSES = List.of(RunFile.Cell.MEASURED, RunFile.Cell.DISTURBED,
            RunFile.Cell.FAILED, RunFile.Cell.UNMEASURABLE);
    private static final List<String> SIDES = List.of("server", "client");
    private static final List<String> OUTCOMES = List.of("HOLDS", "REFUTED", "UNDECIDABLE");

    /** A field that breaks the format, said as {@code <json path> <what is wrong>}, or what is wrong with the whole file. */
    static final class Bad extends Exception {
        Bad(String message) {
            super(message, null, false, false);
        }

        /** The line naming the file. */
        String line(Path file) {
            return file + (getMessage().startsWith("has ") ? " " : ": ") + getMessage();
        }
    }

    private RunFileCheck() {
    }

    /**
     * Refuses anything but a regular file (following a symlink to what it names) of at most {@link #MAX_FILE_BYTES},
     * looking only at its attributes: opening a FIFO blocks until a writer comes, reading a device never ends.
     */
    static void regularFile(Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            boolean danglingLink = Files.isSymbolicLink(file);
            throw new IOException(file + (danglingLink ? " is a symbolic link to nothing" : " does not exist")
                    + ": give a results.json a run wrote");
        }
        if (!a.isRegularFile()) {
            throw new IOException(file + " is " + (Files.isSymbolicLink(file) ? "a symbolic link to " : "") + kind(file, a)
                    + ", not a results file: give a results.json a run wrote");
        }
        if (a.size() > MAX_FILE_BYTES) {
            throw new IOException(String.format(Locale.ROOT, "%s is %.1f MiB: a results file is at most %d MiB (a "
                    + "504-cell run writes about 2 MB)", file, a.size() / (double) (1L << 20), MAX_FILE_BYTES >> 20));
        }
        if (a.size() == 0) {
            throw new IOException(file + " is empty: not a copybench results.json");
        }
    }

    private static String kind(Path file, BasicFileAttributes a) {
        if (a.isDirectory()) {
            return "a directory";
        }
        try {
            Object mode = Files.getAttribute(file, "unix:mode");
            int type = (Integer) mode & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "not a regular file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "not a regular file";
        }
    }

    /** Every required field of a results file, checked before it is bound to {@link RunFile}. */
    static void check(JsonNode root) throws Bad {
        if (root == null || root.isMissingNode()) {
            throw new Bad("it holds no JSON value");
        }
        if (!root.isObject()) {
            throw new Bad("the top level is " + type(root) + ", not an object");
        }
        JsonNode version = field(root, "", "schemaVersion");
        if (!version.isIntegralNumber() || !version.canConvertToInt()) {
            throw new Bad("schemaVersion is " + type(version) + " " + version + ", not a whole number");
        }
        if (version.intValue() > RunFile.SCHEMA_VERSION) {
            throw new Bad("has results schema version " + version.intValue() + "; this copybench reads up to "
                    + RunFile.SCHEMA_VERSION + ": compare it with a newer copybench");
        }
        if (version.intValue() < 1) {
            throw new Bad("schemaVersion " + version.intValue() + " is not a results schema version (1 to "
                    + RunFile.SCHEMA_VERSION + ")");
        }
        string(root, "", "runId");
        string(root, "", "started");
        string(root, "", "updated");
        host(object(root, "", "host"), "host");
        stringMap(root, "", "settings");
        JsonNode plans = array(root, "", "plans");
        for (int i = 0; i < plans.size(); i++) {
            plan(element(plans, "plans", i), "plans[" + i + "]");
        }
    }

    private static void host(JsonNode host, String at) throws Bad {
        string(host, at, "kernel");
        string(host, at, "cpuModel");
        integer(host, at, "cores", 1, Integer.MAX_VALUE);
        nullableString(host, at, "perfVersion");
        bool(host, at, "soZeroCopy");
        bool(host, at, "namespaces");
        stringMap(host, at, "events");
        stringMap(host, at, "modes");
        string(host, at, "jdk");
    }

    private static void plan(JsonNode plan, String at) throws Bad {
        string(plan, at, "id");
        string(plan, at, "measuredBy");
        JsonNode modes = array(plan, at, "modes");
        for (int i = 0; i < modes.size(); i++) {
            oneOf(modes.get(i), at + ".modes[" + i + "]", MODES, "a mode this copybench knows");
        }
        JsonNode sizes = array(plan, at, "sizesBytes");
        for (int i = 0; i < sizes.size(); i++) {
            inRange(sizes.get(i), at + ".sizesBytes[" + i + "]", MessageSize.MIN_BYTES, MessageSize.MAX_BYTES);
        }
        JsonNode threads = array(plan, at, "threads");
        for (int i = 0; i < threads.size(); i++) {
            inRange(threads.get(i), at + ".threads[" + i + "]", 1, PlanFactory.MAX_THREADS);
        }
        JsonNode workloads = array(plan, at, "workloads");
        for (int i = 0; i < workloads.size(); i++) {
            oneOf(workloads.get(i), at + ".workloads[" + i + "]", WORKLOADS, "a workload this copybench knows");
        }
        integer(plan, at, "warmupMs", 0, Long.MAX_VALUE);
        integer(plan, at, "durationMs", 1, Long.MAX_VALUE);
        integer(plan, at, "repetitions", 1, Integer.MAX_VALUE);
        integer(plan, at, "maxRepetitions", 1, Integer.MAX_VALUE);
        number(plan, at, "precision", false);
        string(plan, at, "topology");
        string(plan, at, "tuning");
        stringMap(plan, at, "overrides");
        JsonNode cells = array(plan, at, "cells");
        Map<Long, Integer> indices = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            String c = at + ".cells[" + i + "]";
            long index = cell(element(cells, at + ".cells", i), c);
            Integer first = indices.putIfAbsent(index, i);
            if (first != null) {
                throw new Bad(c + ".index " + index + " repeats " + at + ".cells[" + first + "]: each cell is recorded once");
            }
        }
        JsonNode hypotheses = array(plan, at, "hypotheses");
        for (int i = 0; i < hypotheses.size(); i++) {
            hypothesis(element(hypotheses, at + ".hypotheses", i), at + ".hypotheses[" + i + "]");
        }
    }

    /** Checks a cell; returns its index. */
    private static long cell(JsonNode cell, String at) throws Bad {
        long index = integer(cell, at, "index", 1, Integer.MAX_VALUE);
        oneOf(field(cell, at, "mode"), at + ".mode", MODES, "a mode this copybench knows");
        integer(cell, at, "sizeBytes", MessageSize.MIN_BYTES, MessageSize.MAX_BYTES);
        integer(cell, at, "threads", 1, PlanFactory.MAX_THREADS);
        oneOf(field(cell, at, "workload"), at + ".workload", WORKLOADS, "a workload this copybench knows");
        integer(cell, at, "repetition", 1, Integer.MAX_VALUE);
        String status = oneOf(field(cell, at, "status"), at + ".status", STATUSES, "a cell status");
        String reason = nullableString(cell, at, "reason");
        if (status.equals(RunFile.Cell.MEASURED) != (reason == null)) {
            throw new Bad(at + ".reason " + (reason == null ? "is null: a " + status + " cell says why"
                    : "is set: a measured cell has none"));
        }
        JsonNode metrics = array(cell, at, "metrics");
        for (int i = 0; i < metrics.size(); i++) {
            value(element(metrics, at + ".metrics", i), at + ".metrics[" + i + "]");
        }
        return index;
    }

    private static void value(JsonNode value, String at) throws Bad {
        string(value, at, "metric");
        oneOf(field(value, at, "side"), at + ".side", SIDES, "a side");
        string(value, at, "unit");
        boolean hasValue = nullableNumber(value, at, "value", false);
        String absent = nullableString(value, at, "absent");
        if (hasValue == (absent != null)) {
            throw new Bad(at + (hasValue ? " has both a value and why it is absent" : " has neither a value nor why it is absent"));
        }
    }

    private static void hypothesis(JsonNode h, String at) throws Bad {
        string(h, at, "method");
        JsonNode verdicts = array(h, at, "verdicts");
        for (int i = 0; i < verdicts.size(); i++) {
            String v = at + ".verdicts[" + i + "]";
            JsonNode verdict = element(verdicts, at + ".verdicts", i);
            string(verdict, v, "statement");
            oneOf(field(verdict, v, "outcome"), v + ".outcome", OUTCOMES, "a verdict");
            string(verdict, v, "rule");
            string(verdict, v, "unit");
            JsonNode rows = array(verdict, v, "rows");
            for (int j = 0; j < rows.size(); j++) {
                String r = v + ".rows[" + j + "]";
                JsonNode row = element(rows, v + ".rows", j);
                string(row, r, "configuration");
                summary(row, r, "left");
                summary(row, r, "right");
                JsonNode d = nullableObject(row, r, "difference");
                if (d != null) {
                    String dAt = r + ".difference";
                    nullableNumber(d, dAt, "estimate", true);
                    nullableNumber(d, dAt, "ciLow", true);
                    nullableNumber(d, dAt, "ciHigh", true);
                    string(d, dAt, "method");
                }
                oneOf(field(row, r, "outcome"), r + ".outcome", OUTCOMES, "a verdict");
                nullableString(row, r, "reason");
            }
        }
        JsonNode answers = array(h, at, "answers");
        for (int i = 0; i < answers.size(); i++) {
            String a = at + ".answers[" + i + "]";
            JsonNode answer = element(answers, at + ".answers", i);
            string(answer, a, "question");
            string(answer, a, "answer");
        }
    }

    private static void summary(JsonNode row, String at, String name) throws Bad {
        JsonNode s = nullableObject(row, at, name);
        if (s == null) {
            return;
        }
        String sAt = at + "." + name;
        integer(s, sAt, "n", 0, Integer.MAX_VALUE);
        for (String f : List.of("mean", "median", "stdDev", "ciLow", "ciHigh")) {
            nullableNumber(s, sAt, f, true);
        }
        number(s, sAt, "confidence", false);
    }

    // ---- one field -------------------------------------------------------------------------------------------

    private static String at(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The field, present and not null. */
    private static JsonNode field(JsonNode object, String path, String name) throws Bad {
        JsonNode v = object.get(name);
        if (v == null) {
            throw new Bad(at(path, name) + " is missing");
        }
        if (v.isNull()) {
            throw new Bad(at(path, name) + " is null");
        }
        return v;
    }

    private static JsonNode element(JsonNode array, String path, int i) throws Bad {
        JsonNode v = array.get(i);
        String at = path + "[" + i + "]";
        if (v.isNull()) {
            throw new Bad(at + " is null");
        }
        if (!v.isObject()) {
            throw new Bad(at + " is " + type(v) + ", not an object");
        }
        return v;
    }

    private static JsonNode object(JsonNode object, String path, String name) throws Bad {
        JsonNode v = field(object, path, name);
        if (!v.isObject()) {
            throw new Bad(at(path, name) + " is " + type(v) + ", not an object");
        }
        return v;
    }

    private static JsonNode nullableObject(JsonNode object, String path, String name) throws Bad {
        if (!object.has(name)) {
            throw new Bad(at(path, name) + " is missing");
        }
        JsonNode v = object.get(name);
        return v.isNull() ? null : object(object, path, name);
    }

    private static JsonNode array(JsonNode object, String path, String name) throws Bad {
        JsonNode v = field(object, path, name);
        if (!v.isArray()) {
            throw new Bad(at(path, name) + " is " + type(v) + ", not an array");
        }
        return v;
    }

    private static String string(JsonNode object, String path, String name) throws Bad {
        JsonNode v = field(object, path, name);
        if (!v.isTextual()) {
            throw new Bad(at(path, name) + " is " + type(v) + ", not a string");
        }
        return v.textValue();
    }

    private static String nullableString(JsonNode object, String path, String name) throws Bad {
        if (!object.has(name)) {
            throw new Bad(at(path, name) + " is missing");
        }
        return object.get(name).isNull() ? null : string(object, path, name);
    }

    private static void bool(JsonNode object, String path, String name) throws Bad {
        JsonNode v = field(object, path, name);
        if (!v.isBoolean()) {
            throw new Bad(at(path, name) + " is " + type(v) + ", not true or false");
        }
    }

    private static void stringMap(JsonNode object, String path, String name) throws Bad {
        JsonNode v = object(object, path, name);
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) v::fields) {
            if (!e.getValue().isTextual()) {
                throw new Bad(at(path, name) + "." + e.getKey() + " is " + type(e.getValue()) + ", not a string");
            }
        }
    }

    private static long integer(JsonNode object, String path, String name, long min, long max) throws Bad {
        return inRange(field(object, path, name), at(path, name), min, max);
    }

    private static long inRange(JsonNode v, String at, long min, long max) throws Bad {
        if (v.isNull()) {
            throw new Bad(at + " is null");
        }
        if (!v.isIntegralNumber()) {
            throw new Bad(at + " is " + type(v) + " " + v + ", not a whole number");
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new Bad(at + " " + v.asText() + " is outside [" + min + ", "
                    + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "∞" : max) + "]");
        }
        return v.longValue();
    }

    private static void number(JsonNode object, String path, String name, boolean mayBeNegative) throws Bad {
        finite(field(object, path, name), at(path, name), mayBeNegative);
    }

    /** Whether the field holds a number (else it is null); a number must be finite, and non-negative unless allowed. */
    private static boolean nullableNumber(JsonNode object, String path, String name, boolean mayBeNegative) throws Bad {
        if (!object.has(name)) {
            throw new Bad(at(path, name) + " is missing");
        }
        JsonNode v = object.get(name);
        if (v.isNull()) {
            return false;
        }
        finite(v, at(path, name), mayBeNegative);
        return true;
    }

    private static void finite(JsonNode v, String at, boolean mayBeNegative) throws Bad {
        if (!v.isNumber()) {
            throw new Bad(at + " is " + type(v) + " " + v + ", not a number");
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw new Bad(at + " is not a finite number (it overflows a double)");
        }
        if (!mayBeNegative && d < 0) {
            throw new Bad(at + " " + v.asText() + " is negative: it is never below 0");
        }
    }

    private static String oneOf(JsonNode v, String at, List<String> known, String what) throws Bad {
        if (!v.isTextual()) {
            throw new Bad(at + " is " + type(v) + ", not a string");
        }
        if (!known.contains(v.textValue())) {
            throw new Bad(at + " '" + v.textValue() + "' is not " + what + " (" + String.join(", ", known) + ")");
        }
        return v.textValue();
    }

    private static String type(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "not JSON";
        };
    }
}
