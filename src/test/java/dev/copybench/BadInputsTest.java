package dev.copybench;

import dev.copybench.Synthetic.Values;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.PlanFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.TWO_COPY;
import static dev.copybench.CopyMode.ZERO_COPY;
import static dev.copybench.Metric.THROUGHPUT_GBPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every row of docs/bad-inputs.md, run: the input (an annotation attribute, a system-property
 * override, a hypothesis on a 64 KiB TWO_COPY/ONE_COPY matrix, or a results file given to
 * {@code compare}, {@code copybench.baseline} or kept for trends) must fail with exactly the
 * message the table shows, so the table cannot drift from the code. A {@code test} row names the
 * test that checks it (one that needs its own JVM or a real run): that test must exist.
 */
class BadInputsTest {

    private static final Path TABLE = Path.of("docs", "bad-inputs.md");

    /** A row of the table. */
    record Row(int number, String where, String input, String message) {
    }

    @Test
    void everyBadInputInTheTableGivesExactlyItsMessage(@TempDir Path tmp) throws Exception {
        List<Row> rows = rows();
        assertThat(rows).as("rows in " + TABLE).hasSizeGreaterThanOrEqualTo(70);
        assertThat(rows).extracting(Row::number).as("rows are numbered 1, 2, 3, …")
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, rows.size()).boxed().toList());
        Path good = BadFiles.goodRun(tmp.resolve("good"));
        List<String> mismatches = new ArrayList<>();
        for (Row row : rows) {
            String actual;
            String expected = row.message();
            if (BadFiles.KINDS.contains(row.where())) {
                Path dir = Files.createDirectories(tmp.resolve("row" + row.number()));
                BadFiles.Answer a = BadFiles.answer(row.where(), row.input(), good, dir);
                actual = a.line();
                expected = expected.replace("<file>", a.file().toString());
            } else if (row.where().equals("test")) {
                actual = BadFiles.testExists(row.message()) ? row.message() : "(no such @Test method)";
            } else {
                Throwable thrown = catchThrowable(() -> run(row));
                actual = thrown == null ? "(no error)" : thrown.getMessage();
            }
            if (!expected.equals(actual)) {
                mismatches.add("#" + row.number() + " " + row.input() + "\n   table: " + expected + "\n  actual: " + actual);
            }
        }
        assertThat(mismatches).as("rows whose message differs").isEmpty();
    }

    private static void run(Row row) {
        switch (row.where()) {
            case "annotation" -> PlanFactory.from(annotation(row.input()), new Properties(), MEM_AVAILABLE);
            case "override" -> {
                String[] kv = row.input().substring(2).split("=", 2);
                Properties props = new Properties();
                props.setProperty(kv[0], kv[1]);
                PlanFactory.from(annotation(""), props, MEM_AVAILABLE);
            }
            case "hypothesis" -> {
                Consumer<BenchmarkResults> h = HYPOTHESES.get(row.input());
                if (h == null) {
                    throw new IllegalStateException("no hypothesis behind table input " + row.input());
                }
                h.accept(RESULTS);
            }
            default -> throw new IllegalStateException("unknown kind of input: " + row.where());
        }
    }

    /** The host's MemAvailable the table's memory rows are checked against: this kind of machine's 24 GiB. */
    private static final long MEM_AVAILABLE = 24L << 30;

    private static final BenchmarkResults RESULTS;

    static {
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64K"), 3);
        RESULTS = Synthetic.results(plan, c -> Values.gbps(10 + c.repetition()));
    }

    private static final Map<String, Consumer<BenchmarkResults>> HYPOTHESES = Map.of(
            "metric(THROUGHPUT_GBPS).forSize(\"3K\").of(ONE_COPY).isAtLeast(TWO_COPY)",
            r -> assertThat(r).metric(THROUGHPUT_GBPS).forSize("3K").of(ONE_COPY).isAtLeast(TWO_COPY),
            "metric(THROUGHPUT_GBPS).of(ZERO_COPY).isAtLeast(TWO_COPY)",
            r -> assertThat(r).metric(THROUGHPUT_GBPS).of(ZERO_COPY).isAtLeast(TWO_COPY),
            "metric(THROUGHPUT_GBPS).forThreads(8).of(ONE_COPY).isAtLeast(TWO_COPY)",
            r -> assertThat(r).metric(THROUGHPUT_GBPS).forThreads(8).of(ONE_COPY).isAtLeast(TWO_COPY),
            "metric(THROUGHPUT_GBPS).atSize(\"64K\").isGreaterThanAtSize(\"1M\")",
            r -> assertThat(r).metric(THROUGHPUT_GBPS).atSize("64K").isGreaterThanAtSize("1M"),
            "crossover(ZERO_COPY, TWO_COPY, THROUGHPUT_GBPS)",
            r -> r.crossover(ZERO_COPY, TWO_COPY, THROUGHPUT_GBPS));

    /** Rows {@code | n | where | `input` | `message` |} of the table. */
    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(TABLE)) {
            if (!line.matches("\\| *\\d+ *\\|.*")) {
                continue;
            }
            String[] cells = line.substring(1, line.lastIndexOf('|')).split(" \\| ");
            rows.add(new Row(Integer.parseInt(cells[0].strip()), cells[1].strip(), code(cells[2]), code(cells[3])));
        }
        return rows;
    }

    /** The text of a code span: {@code `x`} or {@code `` x `with` ticks ``}. */
    private static String code(String cell) {
        String c = cell.strip();
        int ticks = 0;
        while (ticks < c.length() && c.charAt(ticks) == '`') {
            ticks++;
        }
        String inner = c.substring(ticks, c.length() - ticks);
        return ticks > 1 ? inner.substring(1, inner.length() - 1) : inner;
    }

    /** A @CopyModeBenchmark with sizes = "64" and the given {@code name = value; …} attributes. */
    static CopyModeBenchmark annotation(String attributes) {
        Map<String, String> given = new HashMap<>();
        given.put("sizes", "\"64\"");
        for (String a : attributes.split("; ")) {
            if (!a.isBlank()) {
                String[] kv = a.split(" = ", 2);
                given.put(kv[0].strip(), kv[1].strip());
            }
        }
        return (CopyModeBenchmark) Proxy.newProxyInstance(CopyModeBenchmark.class.getClassLoader(),
                new Class<?>[] {CopyModeBenchmark.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return CopyModeBenchmark.class;
                    }
                    String text = given.get(method.getName());
                    return text == null ? method.getDefaultValue() : value(method, text);
                });
    }

    private static Object value(Method method, String text) {
        Class<?> type = method.getReturnType();
        List<String> items = text.startsWith("{")
                ? Arrays.stream(text.substring(1, text.length() - 1).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()
                : List.of(text);
        if (type == String.class) {
            return unquote(text);
        }
        if (type == String[].class) {
            return items.stream().map(BadInputsTest::unquote).toArray(String[]::new);
        }
        if (type == int.class) {
            return Integer.parseInt(text);
        }
        if (type == int[].class) {
            return items.stream().mapToInt(Integer::parseInt).toArray();
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(text);
        }
        if (type == CopyMode[].class) {
            return items.stream().map(CopyMode::valueOf).toArray(CopyMode[]::new);
        }
        if (type == Workload[].class) {
            return items.stream().map(Workload::valueOf).toArray(Workload[]::new);
        }
        throw new IllegalArgumentException("attribute type " + type);
    }

    private static String unquote(String s) {
        return s.startsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
