package dev.copybench.internal.report;

import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.internal.host.HostCapabilities;
import dev.copybench.internal.host.Topology;
import dev.copybench.hypothesis.Verdict;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.plan.Durations;
import dev.copybench.internal.plan.SocketTuning;
import dev.copybench.internal.results.MetricTable;
import io.qameta.allure.Allure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.function.Executable;

/**
 * Writes what copybench knows into the running Allure test: parameters and raw data of a cell, the
 * verdict table of a hypothesis, and the run's environment. Outside the Allure test of the invocation
 * being executed (for example under EngineTestKit) it does nothing.
 */
public final class AllureReport {

    private AllureReport() {
    }

    /** The JUnit invocation copybench is executing on this thread. */
    private static final ThreadLocal<String> INVOCATION = new ThreadLocal<>();

    /**
     * Runs body as the JUnit invocation uniqueId. Reports go to the current Allure test only when it
     * is that invocation: an example run through EngineTestKit inside another test must not write
     * into the outer test's result.
     */
    public static void within(String uniqueId, Executable body) throws Throwable {
        String outer = INVOCATION.get();
        INVOCATION.set(uniqueId);
        try {
            body.execute();
        } finally {
            INVOCATION.set(outer);
        }
    }

    static boolean active() {
        String id = INVOCATION.get();
        if (id == null || Allure.getLifecycle().getCurrentTestCase().isEmpty()) {
            return false;
        }
        AtomicBoolean same = new AtomicBoolean();
        Allure.getLifecycle().updateTestCase(t -> same.set(t.getParameters().stream()
                .anyMatch(p -> "UniqueId".equals(p.getName()) && id.equals(p.getValue()))));
        return same.get();
    }

    public static void cellParameters(Cell cell, String topology, SocketTuning tuning) {
        if (!active()) {
            return;
        }
        Allure.getLifecycle().updateTestCase(t -> t.setName(cell.displayName()));
        Allure.parameter("mode", cell.mode().name());
        Allure.parameter("size", cell.size().toString());
        Allure.parameter("threads", cell.threads());
        Allure.parameter("workload", cell.workload().engineName());
        Allure.parameter("repetition", cell.of());
        Allure.parameter("topology", topology);
        if (!tuning.equals(SocketTuning.NONE)) {
            Allure.parameter("tuning", tuning.describe());
        }
    }

    /** Raw engine JSON, perf output and stderr of both sides. */
    public static void cellArtifacts(Map<String, String> artifacts) {
        if (!active()) {
            return;
        }
        artifacts.forEach((name, text) -> {
            boolean json = name.endsWith(".json");
            Allure.addAttachment(name, json ? "application/json" : "text/plain", text, json ? "json" : "txt");
        });
    }

    public static void cellSummary(CellResult r) {
        if (!active()) {
            return;
        }
        Allure.parameter("Gbps", String.format(java.util.Locale.ROOT, "%.3f", r.client().gbps()));
    }

    /** Names the running hypothesis test after its method, so it stands apart from the cells. */
    public static void hypothesisStarted(String method) {
        if (active()) {
            Allure.getLifecycle().updateTestCase(t -> t.setName("hypothesis: " + method));
        }
    }

    public static void verdict(Verdict v) {
        if (!active()) {
            return;
        }
        Allure.addAttachment("verdict", "text/plain", v.outcome() + ": " + v.statement() + "\n\n" + v.table(null), "txt");
        Allure.addAttachment("verdict table", "text/csv", v.csv(), "csv");
    }

    /**
     * What every hypothesis test carries besides its verdict: the CSV of all configurations ×
     * metrics with confidence intervals, a PNG per plot drawn from these results, and which plots
     * were left out and why.
     */
    public static void hypothesisData(BenchmarkResults results) {
        if (!active()) {
            return;
        }
        Allure.addAttachment("results: all cells × metrics (mean, 95 % CI)", "text/csv", MetricTable.of(results).csv(), "csv");
        StringBuilder leftOut = new StringBuilder();
        for (Plots.Plot plot : Plots.of(results)) {
            if (plot.chart().isPresent()) {
                Allure.addAttachment("plot: " + plot.title(), "image/png", new ByteArrayInputStream(plot.png()), "png");
            } else {
                leftOut.append("- ").append(plot.title()).append(": ").append(plot.omitted()).append('\n');
            }
        }
        Allure.addAttachment("plots left out", "text/plain", leftOut.length() == 0
                ? "none: every plot was drawn from this run" : "Not drawn, because this run cannot support them:\n" + leftOut, "txt");
    }

    /** An answer the hypothesis recorded (an observation, not an expectation): the test's description and an attachment. */
    public static void answer(String question, String answer) {
        if (!active()) {
            return;
        }
        Allure.description(question + "\n\n" + answer);
        Allure.addAttachment("answer", "text/plain", question + "\n\n" + answer, "txt");
    }

    /** environment.properties in the results directory: what a reader needs to compare runs. */
    public static void environment(HostCapabilities host, Topology topology, BenchmarkPlan plan) {
        if (!active()) {
            return;
        }
        Path dir = Path.of(System.getProperty("allure.results.directory", "allure-results"));
        Properties p = new Properties();
        Map<String, String> values = new TreeMap<>();
        values.put("kernel", host.kernel());
        values.put("cpu", host.cpuModel());
        values.put("cores", String.valueOf(host.cores()));
        values.put("perf", host.perfVersion().orElse("not installed"));
        values.put("topology", topology.describe());
        topology.networkSettings().forEach((key, value) -> values.put("netns." + key, value));
        topology.hostFacts().forEach(values::put);
        values.put("tuning", plan.tuning().describe());
        values.put("so_zerocopy", String.valueOf(host.soZeroCopy()));
        values.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        values.put("window", Durations.format(plan.duration()) + " after " + Durations.format(plan.warmup()) + " warm-up");
        values.put("overrides", plan.overrides().isEmpty() ? "none" : plan.overrides().toString());
        host.eventStatus().forEach((event, status) -> values.put("event." + event, status));
        values.forEach(p::setProperty);
        try {
            Files.createDirectories(dir);
            try (Writer w = Files.newBufferedWriter(dir.resolve("environment.properties"))) {
                p.store(w, "copybench run environment");
            }
            try (InputStream categories = AllureReport.class.getResourceAsStream("categories.json")) {
                Files.copy(categories, dir.resolve("categories.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // the report loses its environment page; the measurements are unaffected
        }
    }
}
