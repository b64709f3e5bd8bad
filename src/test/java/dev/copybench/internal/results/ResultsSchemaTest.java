package dev.copybench.internal.results;

import dev.copybench.CellResult;
import dev.copybench.internal.engine.EngineReport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.CopyMode;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.internal.HypothesisSession;
import dev.copybench.internal.engine.EngineReport;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.Metric.THROUGHPUT_GBPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The results file against its schema: {@code docs/results-schema.json} validates what the writer produces, and
 * {@code docs/results-schema.md} documents exactly the fields the schema has. BaselineIT validates real runs' files
 * against the same schema.
 */
class ResultsSchemaTest {

    private static final Path SCHEMA = ResultsSchema.SCHEMA;
    private static final Path DOC = Path.of("docs/results-schema.md");

    private static List<String> violations(Path results) throws IOException {
        return ResultsSchema.violations(results);
    }

    @Test
    void aFileWithEveryKindOfCellAndAVerdictConformsToTheSchema(@TempDir Path dir) throws IOException {
        BenchmarkPlan plan = Synthetic.plan(List.of(CopyMode.ONE_COPY, CopyMode.TWO_COPY), List.of("64K"), 3);
        ResultsFile file = ResultsFile.create(dir, Synthetic.host(), new Properties());
        String id = file.plan(plan, "ExampleIT.method", "synthetic");
        BenchmarkResults results = Synthetic.results(plan, c -> Values.gbps(c.mode() == CopyMode.ONE_COPY ? 10 : 12));
        List<Cell> cells = plan.cells();
        file.measured(id, results.cells().get(0), null);
        file.measured(id, results.cells().get(1), "server made no progress for 300 ms");
        file.failed(id, cells.get(2), "engine failed: server exited 1");
        file.unmeasurable(id, cells.get(3), "ZERO_COPY cannot be measured here");
        file.measured(id, results.cells().get(4), null);
        file.measured(id, results.cells().get(5), null);
        HypothesisSession session = HypothesisSession.open();
        try {
            assertThat(results).metric(THROUGHPUT_GBPS).of(CopyMode.TWO_COPY).isGreaterThan(CopyMode.ONE_COPY);
            results.answer("Which is faster?", "two-copy");
        } finally {
            session.close();
        }
        file.decided(id, "method", session.verdicts(), session.answers());

        assertThat(violations(file.path())).isEmpty();
        RunFile back = RunFile.read(file.path());
        assertThat(back.plans()).singleElement().satisfies(p -> {
            assertThat(p.cells()).extracting(RunFile.Cell::status)
                    .containsExactly("measured", "disturbed", "failed", "unmeasurable", "measured", "measured");
            assertThat(p.cells().get(0).metric(THROUGHPUT_GBPS)).hasValueSatisfying(v -> {
                assertThat(v.value()).isEqualTo(10.0);
                assertThat(v.unit()).isEqualTo("Gbps");
            });
            assertThat(p.cells().get(0).metrics()).anySatisfy(v -> assertThat(v.absent()).contains("request/response"));
            assertThat(p.hypotheses()).singleElement().satisfies(h -> assertThat(h.verdicts()).singleElement()
                    .satisfies(v -> assertThat(v.outcome()).isEqualTo("HOLDS")));
        });
        List<String> csv = Files.readAllLines(file.path().resolveSibling("results.csv"));
        assertThat(csv).first().isEqualTo(ResultsCsv.HEADER);
        // appended as the cells came: a line per metric of each measured cell, one for a cell without metrics
        assertThat(csv).hasSize(1 + back.plans().get(0).cells().stream().mapToInt(c -> Math.max(1, c.metrics().size())).sum());
        // each cell was made JSON once and copied into later rewrites: one line per cell
        assertThat(Files.readAllLines(file.path())).filteredOn(line -> line.contains("{\"index\":")).hasSize(6);
    }

    @Test
    void aSendBufferIsRecordedAsAskedAndAsGrantedWithANoteWhenTheKernelCappedIt(@TempDir Path dir) throws IOException {
        BenchmarkPlan plan = Synthetic.plan(List.of(CopyMode.ONE_COPY), List.of("64K"), 2);
        ResultsFile file = ResultsFile.create(dir, Synthetic.host(), new Properties());
        String id = file.plan(plan, "ExampleIT.method", "synthetic");
        BenchmarkResults results = Synthetic.results(plan, c -> Values.gbps(10));
        file.measured(id, withSendBuffer(results.cells().get(0), 64L << 20, 8L << 20), null);
        file.measured(id, withSendBuffer(results.cells().get(1), 64L << 10, 128L << 10), null);

        assertThat(violations(file.path())).isEmpty();
        List<RunFile.Cell> cells = RunFile.read(file.path()).plans().get(0).cells();
        assertThat(cells.get(0).sendBuffer()).isEqualTo(new RunFile.SendBuffer(64L << 20, 8L << 20,
                "sendBuffer asked 64 MiB, the kernel granted 8 MiB (capped by net.core.wmem_max; a full grant reads 128 MiB)"));
        assertThat(cells.get(1).sendBuffer()).as("a full grant: twice the ask, no note")
                .isEqualTo(new RunFile.SendBuffer(64L << 10, 128L << 10, null));
    }

    private static CellResult withSendBuffer(CellResult r, long asked, long granted) {
        EngineReport s = r.server();
        EngineReport server = new EngineReport(s.role(), s.mode(), s.workload(), s.size(), s.threads(), s.seconds(), s.bytes(),
                s.messages(), s.gbps(), s.messagesPerS(), s.totalBytes(), s.totalMessages(), s.sendCalls(), s.shortWrites(),
                s.verifiedMessages(), s.integrityErrors(), s.rejectedConnections(), s.latencyNs(), s.zerocopy(), s.progress(),
                s.system(), s.rusage(), s.window(), new EngineReport.SendBuffer(asked, granted));
        return new CellResult(r.cell(), r.topology(), server, r.client(), r.serverCounters(), r.clientCounters(), r.artifacts());
    }

    @Test
    void theSchemaRefusesAFileThatBreaksIt(@TempDir Path dir) throws IOException {
        ResultsFile file = ResultsFile.create(dir, Synthetic.host(), new Properties());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, Files.readString(file.path()).replace("\"schemaVersion\" : 1", "\"schemaVersion\" : \"one\""));

        assertThat(violations(broken)).anySatisfy(v -> assertThat(v).contains("schemaVersion"));
    }

    @Test
    void aFileOfANewerSchemaIsRefusedByName(@TempDir Path dir) throws IOException {
        ResultsFile file = ResultsFile.create(dir, Synthetic.host(), new Properties());
        Path newer = dir.resolve("newer.json");
        Files.writeString(newer, Files.readString(file.path()).replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 2"));

        assertThatThrownBy(() -> RunFile.read(newer)).hasMessageContaining("has results schema version 2; this copybench "
                + "reads up to 1");
    }

    /** Every object of the markdown (a "### name" table) lists exactly the schema's properties of that object. */
    @Test
    void theDocumentNamesExactlyTheSchemasFields() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(SCHEMA.toFile());
        Map<String, Set<String>> inSchema = new LinkedHashMap<>();
        inSchema.put("run", names(schema.get("properties")));
        for (Iterator<Map.Entry<String, JsonNode>> defs = schema.get("$defs").fields(); defs.hasNext(); ) {
            Map.Entry<String, JsonNode> d = defs.next();
            if (d.getValue().has("properties") && d.getValue().path("type").asText().equals("object")) {
                inSchema.put(d.getKey(), names(d.getValue().get("properties")));
            }
        }
        JsonNode answer = schema.at("/$defs/hypothesis/properties/answers/items/properties");
        inSchema.put("answer", names(answer));

        Map<String, Set<String>> documented = new LinkedHashMap<>();
        String current = null;
        Pattern row = Pattern.compile("^\\| `([A-Za-z]+)` \\|");
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("### ")) {
                current = line.substring(4).strip();
                documented.put(current, new TreeSet<>());
            }
            Matcher m = row.matcher(line);
            if (current != null && m.find()) {
                documented.get(current).add(m.group(1));
            }
        }
        assertThat(documented).isEqualTo(inSchema);
    }

    private static Set<String> names(JsonNode properties) {
        Set<String> names = new TreeSet<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The schema's fields are exactly what the writer's records have (none documented that is never written). */
    @Test
    void theSchemaDescribesEveryRecordComponent() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(SCHEMA.toFile());
        Map<String, Class<?>> records = Map.of("host", RunFile.Host.class, "plan", RunFile.Plan.class, "cell",
                RunFile.Cell.class, "value", RunFile.Value.class, "verdict", RunFile.VerdictData.class, "row",
                RunFile.Row.class, "summary", RunFile.SummaryData.class, "difference", RunFile.DifferenceData.class,
                "hypothesis", RunFile.Hypothesis.class);
        List<String> mismatches = new ArrayList<>();
        records.forEach((def, type) -> {
            Set<String> components = new TreeSet<>();
            for (var c : type.getRecordComponents()) {
                components.add(c.getName());
            }
            if (!components.equals(names(schema.at("/$defs/" + def + "/properties")))) {
                mismatches.add(def + ": record " + components + " vs schema " + names(schema.at("/$defs/" + def + "/properties")));
            }
        });
        Set<String> run = new TreeSet<>();
        for (var c : RunFile.class.getRecordComponents()) {
            run.add(c.getName());
        }
        assertThat(run).isEqualTo(names(schema.get("properties")));
        assertThat(mismatches).isEmpty();
    }
}
