package dev.copybench.internal.results;

import dev.copybench.CellResult;
import dev.copybench.hypothesis.Verdict;
import dev.copybench.internal.HypothesisSession;
import dev.copybench.internal.host.HostCapabilities;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.MessageSize;
import dev.copybench.Workload;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The results file of one run, {@code <dir>/<run id>/results.json} with {@code results.csv} beside it. The JSON
 * is rewritten whole after every cell and every hypothesis (a temp file renamed over the old one), so a run that
 * is killed keeps every cell that finished and a reader never sees half a file; the CSV gets each cell's lines
 * appended. The time between cells is harness overhead, so a rewrite must not grow with the run: each cell is
 * turned into JSON once, and later rewrites copy that text (a 504-cell run ends near 2 MB).
 *
 * <pre>{@code
 * ResultsFile file = ResultsFile.create(Path.of("target/copybench"), host, settings);
 * String plan = file.plan(plan, "MyIT.method", topology);
 * file.cell(plan, cell, result);
 * }</pre>
 */
public final class ResultsFile {

    /** The run directories kept, a new run's included: older ones are removed when a run starts. */
    public static final int KEPT_RUNS = 30;
    /** {@code 20260101T120000.123Z-4242}: start time (UTC, sorts as it reads), then the JVM's pid. */
    static final Pattern RUN_ID = Pattern.compile("\\d{8}T\\d{6}\\.\\d{3}Z-\\d+");
    private static final ObjectMapper COMPACT = RunFile.JSON.copy().disable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path file;
    private RunFile run;
    /** The first write that failed: the file is behind the run from then on, so every later change is refused. */
    private UncheckedIOException broken;
    /** Each recorded cell's JSON, made once: cells never change after they are added. */
    private final Map<RunFile.Cell, String> cellJson = new IdentityHashMap<>();
    /** Writes arrays one element per line, so each cell is a line of the file. */
    private final ObjectWriter writer = RunFile.JSON.copy().registerModule(new SimpleModule()
            .addSerializer(RunFile.Cell.class, new StdSerializer<>(RunFile.Cell.class) {
                @Override
                public void serialize(RunFile.Cell cell, JsonGenerator gen, SerializerProvider provider) throws IOException {
                    gen.writeRawValue(cellJson.computeIfAbsent(cell, ResultsFile::compactJson));
                }
            })).writer(new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

    private ResultsFile(Path file, RunFile run) {
        this.file = file;
        this.run = run;
    }

    /**
     * A new run's file under {@code dir} (created with it, empty of plans), after removing all but the newest
     * {@value #KEPT_RUNS} earlier runs there.
     */
    public static synchronized ResultsFile create(Path dir, HostCapabilities host, Properties settings) {
        prune(dir);
        Instant now = Instant.now();
        String id = ID_TIME.format(now) + "-" + ProcessHandle.current().pid();
        while (Files.exists(dir.resolve(id))) {   // two runs of one JVM (EngineTestKit) within a millisecond
            now = now.plusMillis(1);
            id = ID_TIME.format(now) + "-" + ProcessHandle.current().pid();
        }
        Map<String, String> set = new TreeMap<>();
        settings.stringPropertyNames().forEach(k -> set.put(k, settings.getProperty(k)));
        RunFile run = new RunFile(RunFile.SCHEMA_VERSION, id, now.toString(), now.toString(),
                hostOf(host),
                set, new ArrayList<>());
        ResultsFile f = new ResultsFile(dir.resolve(id).resolve("results.json"), run);
        f.write();
        try {
            Files.writeString(f.csv(), ResultsCsv.HEADER + "\n");
        } catch (IOException e) {
            throw f.unwritable(f.csv(), e);
        }
        return f;
    }

    private static RunFile.Host hostOf(HostCapabilities host) {
        return new RunFile.Host(host.kernel(), host.cpuModel(), host.cores(), host.perfVersion().orElse(null),
                host.soZeroCopy(), host.namespaces(), host.eventStatus(), host.modeStatus(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    /** Where the file is. */
    public Path path() {
        return file;
    }

    public String runId() {
        return run.runId();
    }

    /**
     * The host the run's cells measure on, when it is not the one the file was created with: a two-machine
     * run knows its server host only once its topology is connected, after the file exists.
     */
    public synchronized void measuredOn(HostCapabilities host) {
        requireWritable();
        RunFile.Host h = hostOf(host);
        if (!h.equals(run.host())) {
            run = new RunFile(run.schemaVersion(), run.runId(), run.started(), run.updated(), h, run.settings(), run.plans());
            write();
        }
    }

    /** Records a plan the run measures, on a topology of unknown kind (one that could not be set up); returns its id. */
    public String plan(BenchmarkPlan p, String measuredBy, String topology) {
        return plan(p, measuredBy, topology, null);
    }

    /**
     * Records a plan the run measures on a topology of {@code topologyKind} ({@code NAMESPACES}, …), with this
     * copybench's engine version; returns its id in the file.
     */
    public synchronized String plan(BenchmarkPlan p, String measuredBy, String topology, String topologyKind) {
        requireWritable();
        String id = "plan-" + (run.plans().size() + 1);
        run.plans().add(new RunFile.Plan(id, measuredBy, p.modes().stream().map(Enum::name).toList(),
                p.sizes().stream().map(MessageSize::bytes).toList(), p.threads(),
                p.workloads().stream().map(Workload::engineName).toList(), p.warmup().toMillis(), p.duration().toMillis(),
                p.repetitions(), p.maxRepetitions(), p.precision(), topology, p.tuning().describe(),
                new TreeMap<>(p.overrides()), new ArrayList<>(), new ArrayList<>(), topologyKind,
                dev.copybench.internal.host.NativeEngine.version()));
        write();
        return id;
    }

    /** A cell that measured; {@code disturbed} non-null when it is left out of verdicts, with why. */
    public synchronized void measured(String plan, CellResult result, String disturbed) {
        add(plan, RunFile.cell(result.cell(), disturbed == null ? RunFile.Cell.MEASURED : RunFile.Cell.DISTURBED,
                disturbed, result));
    }

    public synchronized void failed(String plan, Cell cell, String why) {
        add(plan, RunFile.cell(cell, RunFile.Cell.FAILED, why, null));
    }

    public synchronized void unmeasurable(String plan, Cell cell, String why) {
        add(plan, RunFile.cell(cell, RunFile.Cell.UNMEASURABLE, why, null));
    }

    /** What a hypothesis method decided on the plan's cells. */
    public synchronized void decided(String plan, String method, List<Verdict> verdicts, List<HypothesisSession.Answer> answers) {
        requireWritable();
        if (verdicts.isEmpty() && answers.isEmpty()) {
            return;
        }
        plan(plan).hypotheses().add(new RunFile.Hypothesis(method, verdicts.stream().map(RunFile.VerdictData::of).toList(),
                answers.stream().map(a -> new RunFile.Answer(a.question(), a.answer())).toList()));
        write();
    }

    /** The file as it is now, with only one plan: what a hypothesis's report carries. */
    public synchronized String json(String plan) {
        return new RunFile(run.schemaVersion(), run.runId(), run.started(), Instant.now().toString(), run.host(),
                run.settings(), List.of(plan(plan))).json();
    }

    /** The whole file as it is now. */
    public synchronized RunFile snapshot() {
        return new RunFile(run.schemaVersion(), run.runId(), run.started(), Instant.now().toString(), run.host(),
                run.settings(), List.copyOf(run.plans()));
    }

    private void add(String plan, RunFile.Cell cell) {
        requireWritable();
        RunFile.Plan p = plan(plan);
        p.cells().add(cell);
        write();
        try {
            Files.writeString(csv(), ResultsCsv.rows(run.runId(), p, cell), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw unwritable(csv(), e);
        }
    }

    private Path csv() {
        return file.resolveSibling("results.csv");
    }

    /**
     * Why the file could not be written, once a write failed (a full disk, a directory gone read-only); the
     * file then keeps what it had, and a run must stop rather than measure what it cannot record.
     */
    public synchronized java.util.Optional<String> unwritable() {
        return java.util.Optional.ofNullable(broken).map(Throwable::getMessage);
    }

    private void requireWritable() {
        if (broken != null) {
            throw new UncheckedIOException(broken.getMessage(), broken.getCause());
        }
    }

    /** One line naming the path that failed and the system's reason, e.g. {@code No space left on device}. */
    private UncheckedIOException unwritable(Path path, IOException e) {
        String what = e instanceof FileSystemException f && f.getReason() != null
                ? f.getFile() + ": " + f.getReason() : path + ": " + e.getMessage();
        broken = new UncheckedIOException("copybench could not write its results: " + what, e);
        return broken;
    }

    private static String compactJson(RunFile.Cell cell) {
        try {
            return COMPACT.writeValueAsString(cell);
        } catch (IOException e) {
            throw new IllegalStateException("a cell could not be written as JSON", e);
        }
    }

    private RunFile.Plan plan(String id) {
        return run.plans().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no plan " + id + " in " + file));
    }

    /** The JSON through a temp file renamed over the old: a reader sees the old or the new, never half. */
    private void write() {
        try {
            Files.createDirectories(file.getParent());
            replace(file, writer.writeValueAsString(snapshot()));
        } catch (IOException e) {
            throw unwritable(file, e);
        }
    }

    private static void replace(Path target, String text) throws IOException {
        // one writer per run directory (the methods are synchronized): a fixed temp name needs no random one
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The results files of earlier runs under {@code dir}, oldest first. */
    public static List<Path> earlierRuns(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> runs = Files.list(dir)) {
            return runs.filter(p -> RUN_ID.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .map(p -> p.resolve("results.json")).filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Makes room for a new run beside the newest {@value #KEPT_RUNS} − 1 (directories named by run id; nothing else
     * is touched).
     */
    private static void prune(Path dir) {
        List<Path> runs = earlierRuns(dir);
        for (Path old : runs.subList(0, Math.max(0, runs.size() - (KEPT_RUNS - 1)))) {
            try (Stream<Path> files = Files.list(old.getParent())) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(old.getParent());
            } catch (IOException e) {
                // an old run that cannot be removed costs disk, not correctness
            }
        }
    }
}
