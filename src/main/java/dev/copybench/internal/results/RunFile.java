package dev.copybench.internal.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.copybench.CellResult;
import dev.copybench.Configuration;
import dev.copybench.CopyMode;
import dev.copybench.Measurement;
import dev.copybench.MessageSize;
import dev.copybench.Metric;
import dev.copybench.Side;
import dev.copybench.internal.engine.HostLoad;
import dev.copybench.Workload;
import dev.copybench.hypothesis.Difference;
import dev.copybench.hypothesis.Summary;
import dev.copybench.hypothesis.Verdict;
import dev.copybench.internal.engine.EngineReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run's {@code results.json}: the host, each plan with every repetition of every cell and every metric,
 * and the verdicts. Schema version {@value #SCHEMA_VERSION}, documented in {@code docs/results-schema.md}
 * and checked by {@code docs/results-schema.json}. The lists are mutable while a run fills them
 * ({@link ResultsFile}); a file read back is what was written.
 *
 * <pre>{@code
 * RunFile old = RunFile.read(Path.of("target/copybench/20260101T120000Z-4242/results.json"));
 * old.plans().get(0).cells().size();
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunFile(int schemaVersion, String runId, String started, String updated, Host host,
                      Map<String, String> settings, List<Plan> plans) {

    public static final int SCHEMA_VERSION = 1;

    /** The facts a baseline must share with this run to be comparable (kernel, CPU), and the rest of the probe. */
    public record Host(String kernel, String cpuModel, int cores, String perfVersion, boolean soZeroCopy,
                       boolean namespaces, Map<String, String> events, Map<String, String> modes, String jdk) {
    }

    /**
     * One plan of the run, as the method that measured its cells ({@code Class.method}) planned it.
     * {@code topologyKind} ({@code NAMESPACES}, {@code LOOPBACK}, {@code REMOTE}) and {@code engineVersion} are what a
     * baseline must share besides the window and tuning; files written before they were recorded have them null.
     */
    public record Plan(String id, String measuredBy, List<String> modes, List<Long> sizesBytes, List<Integer> threads,
                       List<String> workloads, long warmupMs, long durationMs, int repetitions, int maxRepetitions,
                       double precision, String topology, String tuning, Map<String, String> overrides,
                       List<Cell> cells, List<Hypothesis> hypotheses, String topologyKind, String engineVersion) {

        /** The repetitions of one configuration that measured, in the order they ran. */
        public List<Cell> measured(Configuration c) {
            return cells.stream().filter(x -> x.status().equals(Cell.MEASURED) && x.configuration().equals(c)).toList();
        }

        /**
         * What other processes used while the plan's measured cells ran ({@link HostLoad#summary}), from the
         * cells' recorded {@code others' CPU} and {@code steal}; cells of files written before those existed count
         * as unmeasured.
         */
        public String hostLoad(int cpus) {
            List<Cell> measured = cells.stream().filter(x -> x.status().equals(Cell.MEASURED)).toList();
            List<Cell> read = measured.stream().filter(x -> x.metric(Metric.OTHERS_CPU).map(Value::value).isPresent()).toList();
            return HostLoad.summary(read.stream().mapToDouble(x -> x.metric(Metric.OTHERS_CPU).orElseThrow().value()).toArray(),
                    read.stream().mapToDouble(x -> x.metric(Metric.STEAL_CPU).map(Value::value).orElse(0.0)).toArray(),
                    (int) read.stream().filter(x -> Boolean.TRUE.equals(x.busyHost())).count(), Math.max(1, cpus),
                    measured.size() - read.size());
        }

        /** The planned configurations, in the order their first cell appears. */
        public List<Configuration> configurations() {
            return cells.stream().map(Cell::configuration).distinct().toList();
        }
    }

    /**
     * One repetition of one cell. {@code status} is {@value #MEASURED}, {@value #DISTURBED} (measured, left out of
     * verdicts), {@value #FAILED} or {@value #UNMEASURABLE} (not run: the host cannot), with {@code reason} for all
     * but measured. {@code hostLoad} says what other processes used in the window ({@link HostLoad#describe()}),
     * {@code busyHost} whether that made the host busy; both null without a reading.
     */
    public record Cell(int index, String mode, long sizeBytes, int threads, String workload, int repetition,
                       String status, String reason, List<Value> metrics, String hostLoad, Boolean busyHost,
                       @JsonInclude(JsonInclude.Include.NON_NULL) SendBuffer sendBuffer) {
        public static final String MEASURED = "measured";
        public static final String DISTURBED = "disturbed";
        public static final String FAILED = "failed";
        public static final String UNMEASURABLE = "unmeasurable";

        public Configuration configuration() {
            return new Configuration(CopyMode.valueOf(mode), new MessageSize(sizeBytes), threads,
                    java.util.Arrays.stream(Workload.values()).filter(w -> w.engineName().equals(workload)).findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("unknown workload " + workload)));
        }

        /** The metric's value in this cell, or why it has none. */
        public Optional<Value> metric(Metric m) {
            return metrics.stream().filter(v -> v.metric().equals(m.name()) && v.side().equals(m.side().label())).findFirst();
        }
    }

    /**
     * The server's send buffer as asked ({@code sendBuffer}) and as the kernel granted it (SO_SNDBUF read back),
     * with a note when the kernel did more than double it; absent without a {@code sendBuffer}.
     */
    public record SendBuffer(long askedBytes, long grantedBytes, String note) {
    }

    /** A metric's value and unit, or (value null) why it is absent: absent is never 0. */
    public record Value(String metric, String side, String unit, Double value, String absent) {
    }

    /** What one hypothesis method decided on the plan's cells: its verdicts and the answers it recorded. */
    public record Hypothesis(String method, List<VerdictData> verdicts, List<Answer> answers) {
    }

    public record Answer(String question, String answer) {
    }

    public record VerdictData(String statement, String outcome, String rule, String unit, List<Row> rows, String hostLoad) {
        static VerdictData of(Verdict v) {
            return new VerdictData(v.statement(), v.outcome().name(), v.rule(), v.unit(),
                    v.rows().stream().map(r -> new Row(r.configuration(), SummaryData.of(r.left()), SummaryData.of(r.right()),
                            DifferenceData.of(r.difference()), r.outcome().name(), r.reason())).toList(), v.hostLoad());
        }
    }

    public record Row(String configuration, SummaryData left, SummaryData right, DifferenceData difference,
                      String outcome, String reason) {
    }

    /** A summary over repetitions; what has no value (an interval of one repetition) is null, never NaN. */
    public record SummaryData(int n, Double mean, Double median, Double stdDev, Double ciLow, Double ciHigh,
                              double confidence) {
        static SummaryData of(Summary s) {
            return s == null ? null : new SummaryData(s.n(), finite(s.mean()), finite(s.median()), finite(s.stdDev()),
                    finite(s.ciLow()), finite(s.ciHigh()), s.confidence());
        }
    }

    public record DifferenceData(Double estimate, Double ciLow, Double ciHigh, String method) {
        static DifferenceData of(Difference d) {
            return d == null ? null : new DifferenceData(finite(d.estimate()), finite(d.ciLow()), finite(d.ciHigh()), d.method());
        }
    }

    /** Every metric a cell records: the catalogue, and the client side of each counter metric. */
    public static final List<Metric> RECORDED = Stream.concat(Metric.CATALOGUE.stream(),
            Metric.CATALOGUE.stream().filter(m -> m.perfEvent().isPresent()).map(m -> m.on(Side.CLIENT))).toList();

    /** A cell's entry, with every recorded metric when it has a result. */
    static Cell cell(dev.copybench.internal.plan.Cell cell, String status, String reason, CellResult result) {
        List<Value> values = new ArrayList<>();
        if (result != null) {
            for (Metric m : RECORDED) {
                Measurement x = m.measure(result);
                values.add(new Value(m.name(), m.side().label(), m.unit(), x.isPresent() ? finite(x.value()) : null,
                        x.isPresent() ? null : x.whyAbsent()));
            }
        }
        EngineReport.SendBuffer sndbuf = result == null ? null : result.server().sndbuf();
        Optional<HostLoad> load = result == null ? Optional.empty() : HostLoad.of(result);
        return new Cell(cell.index(), cell.mode().name(), cell.size().bytes(), cell.threads(), cell.workload().engineName(),
                cell.repetition(), status, reason, values, load.map(HostLoad::describe).orElse(null),
                load.map(HostLoad::busy).orElse(null), sndbuf == null ? null
                : new SendBuffer(sndbuf.asked(), sndbuf.granted(), sndbuf.differs().orElse(null)));
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads what {@link #read} checks: strict about duplicate keys and trailing text, numbers kept exact. */
    private static final ObjectReader READER = JSON.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    /**
     * Reads a results file, refusing anything this copybench cannot use: not a regular file (a FIFO, a directory, a
     * device is refused before it is opened), too large, not JSON, a schema version it does not know, or a field
     * missing, null, of another type or out of range ({@link RunFileCheck}).
     *
     * @throws IOException with a one-line message naming the file and, when one field is wrong, its JSON path
     */
    public static RunFile read(Path file) throws IOException {
        RunFileCheck.regularFile(file);
        JsonNode tree;
        try {
            tree = READER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException(file + " is not a copybench results.json: " + parserSays(e), e);
        }
        try {
            RunFileCheck.check(tree);
        } catch (RunFileCheck.Bad e) {
            throw new IOException(e.line(file));
        }
        try {
            return JSON.treeToValue(tree, RunFile.class);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + " is not a copybench results.json: " + parserSays(e), e);
        }
    }

    /** Jackson's complaint without its hints to the programmer, and where in the file, on one line. */
    private static String parserSays(Exception e) {
        if (!(e instanceof JsonProcessingException j)) {
            return firstLine(e.getMessage());
        }
        String m = firstLine(j.getOriginalMessage()).replaceAll(", from `[^`]*`", "");
        for (String hint : List.of(" (start marker", " (bound as", ": enable `", ": not allowed as per")) {
            int at = m.indexOf(hint);
            m = at < 0 ? m : m.substring(0, at);
        }
        return j.getLocation() == null || j.getLocation().getLineNr() < 1 ? m
                : m + " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
    }

    /** The file as JSON text. */
    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("results could not be written as JSON", e);
        }
    }

    private static String firstLine(String text) {
        return String.valueOf(text).lines().findFirst().orElse("");
    }
}
