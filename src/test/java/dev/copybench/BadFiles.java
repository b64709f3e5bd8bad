package dev.copybench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.copybench.Synthetic.Values;
import dev.copybench.hypothesis.CompareCommand;
import dev.copybench.internal.HypothesisSession;
import dev.copybench.internal.junit.BaselineSetting;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.InvalidBenchmarkException;
import dev.copybench.internal.report.Trends;
import dev.copybench.internal.results.ResultsFile;
import dev.copybench.internal.results.RunFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.Metric.THROUGHPUT_GBPS;

/**
 * The results-file rows of docs/bad-inputs.md: a good results file, broken as the row's input says, given to
 * {@code compare} (as the new run), to {@code copybench.baseline}, or kept among the runs trends read.
 *
 * <p>An input is {@code <json path> = <raw JSON>} (e.g. {@code plans[0].cells[0].sizeBytes = 1e999}, written into
 * the file as it stands), {@code <json path> removed}, {@code file: <text>} (the whole file), or a kind of file:
 * {@code an empty file}, {@code the first 100 bytes}, {@code 100000 nested arrays}, {@code a 65 MiB file},
 * {@code a FIFO}, {@code a directory}, {@code a missing file}, {@code a dangling symlink},
 * {@code a symlink to /dev/zero}, or an absolute path such as {@code /dev/zero}.
 */
final class BadFiles {

    static final List<String> KINDS = List.of("compare", "baseline", "trends");
    static final String METHOD = "ExampleIT.method";
    /** Every row answers within this, a FIFO included: nothing may block on a file. */
    private static final long BOUND_SECONDS = 5;
    private static final Pattern SET = Pattern.compile("([\\w\\[\\].]+) = (.*)");
    private static final Pattern REMOVE = Pattern.compile("([\\w\\[\\].]+) removed");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The one line the row gave, and the bad file it named. */
    record Answer(String line, Path file) {
    }

    private BadFiles() {
    }

    /** A run of TWO_COPY and ONE_COPY at 64 KiB, 3 repetitions (cell 3 failed), and a verdict: every kind of field. */
    static Path goodRun(Path dir) {
        BenchmarkPlan plan = Synthetic.plan(List.of(CopyMode.TWO_COPY, CopyMode.ONE_COPY), List.of("64K"), 3);
        ResultsFile file = ResultsFile.create(dir, Synthetic.host(), new Properties());
        String id = file.plan(plan, METHOD, "synthetic");
        BenchmarkResults results = Synthetic.results(plan, c -> Values.gbps(10 + c.repetition()));
        for (int i = 0; i < results.cells().size(); i++) {
            if (i == 2) {
                file.failed(id, plan.cells().get(i), "engine failed: server exited 1");
            } else {
                file.measured(id, results.cells().get(i), null);
            }
        }
        HypothesisSession session = HypothesisSession.open();
        try {
            assertThat(results).metric(THROUGHPUT_GBPS).of(CopyMode.TWO_COPY).isAtLeast(CopyMode.ONE_COPY);
        } finally {
            session.close();
        }
        file.decided(id, "method", session.verdicts(), session.answers());
        try {
            // fixed id and times: a row's line and column in the file do not move with the clock or the pid
            ObjectNode tree = (ObjectNode) JSON.readTree(file.path().toFile());
            tree.put("runId", "20260101T000000.000Z-1").put("started", "2026-01-01T00:00:00Z")
                    .put("updated", "2026-01-01T00:00:00Z");
            Files.writeString(file.path(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file.path();
    }

    /** What {@code where} answers to the good file broken as {@code input} says, within {@value #BOUND_SECONDS} s. */
    static Answer answer(String where, String input, Path good, Path dir) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bad-input");
            t.setDaemon(true);   // one blocked in open() on a FIFO cannot be interrupted: it must not hold the JVM
            return t;
        });
        try {
            Future<Answer> a = thread.submit(() -> switch (where) {
                case "compare" -> compare(input, good, dir);
                case "baseline" -> baseline(input, good, dir);
                default -> trends(input, good, dir);
            });
            return a.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return new Answer("(still running after " + BOUND_SECONDS + " s)", dir);
        } finally {
            thread.shutdownNow();
        }
    }

    /**
     * compare OLD NEW with NEW broken (OLD when the input starts with {@code old: }): exit 2, nothing on stdout, and
     * exactly one line on stderr.
     */
    private static Answer compare(String input, Path good, Path dir) throws IOException {
        boolean old = input.startsWith("old: ");
        Path bad = broken(old ? input.substring("old: ".length()) : input, good, dir.resolve("results.json"));
        CompareCommand.Outcome o = old ? CompareCommand.run(bad.toString(), good.toString())
                : CompareCommand.run(good.toString(), bad.toString());
        List<String> lines = o.err().lines().toList();
        if (o.status() != 2 || !o.out().isEmpty() || lines.size() != 1) {
            return new Answer("exit " + o.status() + ", stdout " + o.out().length() + " chars, stderr " + o.err(), bad);
        }
        return new Answer(lines.get(0), bad);
    }

    private static Answer baseline(String input, Path good, Path dir) throws IOException {
        Path bad = broken(input, good, dir.resolve("results.json"));
        try {
            BaselineSetting.read(bad);
            return new Answer("(no error)", bad);
        } catch (InvalidBenchmarkException e) {
            return new Answer(e.getMessage(), bad);   // the benchmark method fails with it, before any cell runs
        } catch (RuntimeException e) {
            return new Answer(e.toString(), bad);
        }
    }

    /**
     * A good run, the broken one and this run in a results directory: the trend leaves the broken one out in one
     * line and still draws the other two.
     */
    private static Answer trends(String input, Path good, Path dir) throws IOException {
        Path results = dir.resolve("results");
        Path earlier = copyAsRun(good, results, "20260101T000000.000Z-1");
        Path bad = broken(input, good, results.resolve("20260101T000001.000Z-2").resolve("results.json"));
        RunFile current = RunFile.read(copyAsRun(good, results, "20260101T000002.000Z-3"));
        Trends t = Trends.of(List.of(earlier, bad), current, METHOD);
        if (t.charts().isEmpty()) {
            return new Answer("no trend was drawn from the good runs: " + t.missing().orElse(""), bad);
        }
        return new Answer(t.skipped().size() == 1 ? t.skipped().get(0) : "skipped: " + t.skipped(), bad);
    }

    /** The good file under a run directory named {@code runId}, its runId field set to match. */
    private static Path copyAsRun(Path good, Path results, String runId) throws IOException {
        ObjectNode tree = (ObjectNode) JSON.readTree(good.toFile());
        tree.put("runId", runId);
        Path file = Files.createDirectories(results.resolve(runId)).resolve("results.json");
        Files.writeString(file, JSON.writeValueAsString(tree));
        return file;
    }

    /** {@code target} made as the input says, from the good file; the path to give the command. */
    static Path broken(String input, Path good, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        if (input.startsWith("/")) {
            return Path.of(input);
        }
        switch (input) {
            case "an empty file" -> Files.writeString(target, "");
            case "the first 100 bytes" -> Files.write(target, java.util.Arrays.copyOf(Files.readAllBytes(good), 100));
            case "100000 nested arrays" -> Files.writeString(target, "[".repeat(100_000) + "]".repeat(100_000));
            case "a 65 MiB file" -> {
                try (RandomAccessFile f = new RandomAccessFile(target.toFile(), "rw")) {
                    f.setLength(65L << 20);   // sparse: no disk spent
                }
            }
            case "a FIFO" -> run("mkfifo", target.toString());
            case "a directory" -> Files.createDirectory(target);
            case "a missing file" -> {
            }
            case "a dangling symlink" -> Files.createSymbolicLink(target, target.resolveSibling("gone.json"));
            case "a symlink to /dev/zero" -> Files.createSymbolicLink(target, Path.of("/dev/zero"));
            default -> Files.writeString(target, edited(input, good));
        }
        return target;
    }

    private static String edited(String input, Path good) throws IOException {
        if (input.startsWith("file: ")) {
            return input.substring("file: ".length());
        }
        JsonNode tree = JSON.readTree(good.toFile());
        Matcher set = SET.matcher(input);
        Matcher remove = REMOVE.matcher(input);
        if (remove.matches()) {
            List<String> steps = steps(remove.group(1));
            JsonNode parent = walk(tree, steps.subList(0, steps.size() - 1));
            String last = steps.get(steps.size() - 1);
            if (parent instanceof ArrayNode a) {
                a.remove(Integer.parseInt(last));
            } else {
                ((ObjectNode) parent).remove(last);
            }
            return JSON.writeValueAsString(tree);
        }
        if (!set.matches()) {
            throw new IllegalStateException("not an input of a results-file row: " + input);
        }
        // a marker string replaced by the raw text afterwards: 1e999, NaN or a malformed value stay as written
        String marker = "@@bad-input@@";
        List<String> steps = steps(set.group(1));
        JsonNode parent = walk(tree, steps.subList(0, steps.size() - 1));
        String last = steps.get(steps.size() - 1);
        if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), TextNode.valueOf(marker));
        } else {
            ((ObjectNode) parent).set(last, TextNode.valueOf(marker));
        }
        return JSON.writeValueAsString(tree).replace("\"" + marker + "\"", set.group(2));
    }

    /** {@code plans[0].cells} as {@code plans, 0, cells}. */
    private static List<String> steps(String path) {
        return java.util.Arrays.stream(path.replace("[", ".").replace("]", "").split("\\.")).toList();
    }

    private static JsonNode walk(JsonNode node, List<String> steps) {
        for (String s : steps) {
            node = node.isArray() ? node.get(Integer.parseInt(s)) : node.get(s);
            if (node == null) {
                throw new IllegalStateException("the good file has no " + steps);
            }
        }
        return node;
    }

    private static void run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Whether {@code Class#method} (a class of dev.copybench, by its name below it) is a @Test method. */
    static boolean testExists(String reference) {
        String[] parts = reference.split("#");
        try {
            Class<?> c = Class.forName("dev.copybench." + parts[0]);
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(parts[1]) && m.isAnnotationPresent(Test.class)) {
                    return true;
                }
            }
            return false;
        } catch (ClassNotFoundException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }
}
