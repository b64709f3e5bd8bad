package dev.copybench.internal.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.copybench.BenchmarkResults;
import dev.copybench.CellResult;
import dev.copybench.Metric;
import dev.copybench.hypothesis.Verdict;
import dev.copybench.internal.HypothesisSession;
import dev.copybench.internal.host.HostCapabilities;
import dev.copybench.internal.host.Topology;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.plan.Durations;
import dev.copybench.internal.plan.SocketTuning;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import dev.copybench.internal.PostCellWork;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Stage;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.TestResult;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes what copybench knows into the running Allure test: parameters and raw data of a cell, the
 * verdict of a hypothesis with the shared data and the plots it argues from, the run's environment,
 * and at the end of the run a summary result that answers first. Outside the Allure test of the
 * invocation being executed (for example under EngineTestKit) it does nothing.
 */
public final class AllureReport {

    /** The tag on everything copybench writes into (so its status messages are escaped, see {@link EscapedStatus}). */
    static final String TAG = "copybench";
    static final String SUMMARY = "copybench summary";
    /**
     * The summary's epic and suite: the Allure 2 UI sorts groups before leaves and by lower-cased name,
     * so "[" puts it above every test class.
     */
    static final String SUMMARY_GROUP = "[copybench] summary";
    /**
     * The overview's link to the summary: Behaviors with its group open. Allure names a tree group
     * md5(parent uid + name), the Behaviors root md5("null" + "behaviors"); a test result's own uid is
     * random at generation, so no link made before it can open the result itself. The pom's
     * executorInfo carries the same link.
     */
    static final String SUMMARY_LINK = "#behaviors/1c2ebcc8cfd935dae585fc87ef800099";

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** Text for a place Allure renders as HTML (descriptions, status messages): {@code <not supported>} stays visible. */
    public static String escape(String text) {
        // only the four characters HTML reads as markup: µ, ≥ and × stay readable in the raw results
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The cell's coordinates and conditions as parameters, and its place under the matrix that measured it. */
    public static void cellParameters(Cell cell, String topology, BenchmarkPlan plan, HostCapabilities host, MatrixReport matrix) {
        if (!active()) {
            return;
        }
        Allure.getLifecycle().updateTestCase(t -> t.setName(cell.displayName()));
        Allure.parameter("mode", cell.mode().name());
        Allure.parameter("size", cell.size().toString());
        Allure.parameter("threads", cell.threads());
        Allure.parameter("workload", cell.workload().engineName());
        Allure.parameter("repetition", cell.of());
        Allure.parameter("duration", Durations.format(plan.duration()));
        Allure.parameter("warm-up", Durations.format(plan.warmup()));
        Allure.parameter("tuning", plan.tuning().equals(SocketTuning.NONE) ? "none" : plan.tuning().describe());
        Allure.parameter("topology", topology);
        Allure.parameter("host", host.cpuModel() + ", " + host.cores() + " cores, " + host.kernel());
        group(matrix.testClass(), matrix.name(), cell.mode().name());
    }

    /**
     * Epic (the test class), feature and story (Behaviors: the run's table of contents, headed by the
     * summary) and the sub-suite (Suites): where a result sits in the report's trees.
     */
    private static void group(String epic, String feature, String story) {
        Allure.getLifecycle().updateTestCase(t -> {
            t.getLabels().removeIf(l -> Set.of("epic", "feature", "story", "subSuite").contains(l.getName()));
            t.getLabels().add(new Label().setName("epic").setValue(epic));
            t.getLabels().add(new Label().setName("feature").setValue(feature));
            t.getLabels().add(new Label().setName("story").setValue(story));
            t.getLabels().add(new Label().setName("subSuite").setValue(feature));
            t.getLabels().add(new Label().setName("tag").setValue(TAG));
        });
    }

    /**
     * Raw engine JSON (pretty-printed), perf output (with a header naming its columns) and stderr of both
     * sides; an empty stderr is left out. The attachments are entered in the cell's result at once and
     * their files written on the post-cell thread, while JUnit moves to the next cell.
     */
    public static void cellArtifacts(Map<String, String> artifacts, PostCellWork work) {
        if (!active()) {
            return;
        }
        AllureLifecycle lifecycle = Allure.getLifecycle();
        artifacts.forEach((name, text) -> {
            if (name.endsWith(".err") && text.isBlank()) {
                return;
            }
            boolean json = name.endsWith(".json");
            String source = lifecycle.prepareAttachment(name, json ? "application/json" : "text/plain", json ? "json" : "txt");
            work.later(() -> lifecycle.writeAttachment(source, new java.io.ByteArrayInputStream((json ? pretty(text)
                    : name.endsWith(".perf") ? withPerfHeader(text) : text).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        });
    }

    private static String pretty(String json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
        } catch (IOException e) {
            return json;   // not JSON after all (a truncated report): shown as it came
        }
    }

    /** perf stat -x, output: the header line perf itself does not print. */
    static String withPerfHeader(String perf) {
        String header = "# columns: counter value,unit,event,run time (ns),running %,metric value,metric unit\n";
        int firstData = perf.lines().takeWhile(l -> l.isBlank() || l.startsWith("#")).mapToInt(l -> l.length() + 1).sum();
        return firstData >= perf.length() ? perf : perf.substring(0, firstData) + header + perf.substring(firstData);
    }

    public static void cellSummary(CellResult r) {
        if (!active()) {
            return;
        }
        Allure.parameter("Gbps", String.format(Locale.ROOT, "%.3f", r.client().gbps()));
        r.hostLoad().ifPresent(load -> {
            Allure.parameter("host load", load.describe());
            Allure.addAttachment("host load", "text/plain", load.describe() + String.format(Locale.ROOT,
                    "%n%nserver's window %.3f s on %d CPUs: busy %.3f s, of which irq+softirq %.3f s, steal %.3f s, "
                    + "the engines' own CPU %.3f s; others (busy − steal − irq − engines) %.3f s%n", load.windowNs() / 1e9,
                    load.cpus(), load.busyNs() / 1e9, load.irqNs() / 1e9, load.stealNs() / 1e9, load.enginesNs() / 1e9,
                    load.othersNs() / 1e9), "txt");
        });
    }

    /** Names the running hypothesis test after its method and puts it among its matrix's questions. */
    public static void hypothesisStarted(String testClass, String method) {
        if (active()) {
            Allure.getLifecycle().updateTestCase(t -> t.setName("hypothesis: " + method));
            group(testClass, "questions and hypotheses", method);
        }
    }

    public static void verdict(Verdict v) {
        if (!active()) {
            return;
        }
        Allure.addAttachment("verdict", "text/plain", v.outcome() + ": " + v.statement() + "\n\n" + v.table(null)
                + (v.hostLoad() == null ? "" : "\n" + v.hostLoad() + "\n"), "txt");
        Allure.addAttachment("verdict table", "text/csv", v.csv(), "csv");
    }

    /** An answer the hypothesis recorded (an observation, not an expectation): an attachment. */
    public static void answer(String question, String answer) {
        if (!active()) {
            return;
        }
        Allure.addAttachment("answer", "text/plain", question + "\n\n" + answer, "txt");
    }

    /**
     * What a hypothesis test carries besides its verdict: a description that starts with its question,
     * references to the matrix's shared data (written once per matrix), the plots of the metrics it
     * evaluated, and which of those plots were left out and why. Records its outcome for the summary.
     */
    public static void hypothesisReported(MatrixReport matrix, BenchmarkResults results, String testClass, String method,
                                          HypothesisSession session, Throwable thrown) {
        if (!active()) {
            return;
        }
        MatrixReport.Outcome outcome = outcome(testClass, method, session, thrown);
        matrix.record(outcome);
        Set<Metric> used = session.metricsUsed();
        StringBuilder leftOut = new StringBuilder();
        List<io.qameta.allure.model.Attachment> references = new ArrayList<>();
        for (MatrixReport.Shared s : matrix.shared(results)) {
            if (!s.metrics().isEmpty() && s.metrics().stream().noneMatch(used::contains)) {
                continue;
            }
            if (s.source() == null) {
                leftOut.append("<li>").append(escape(s.name())).append(": ").append(escape(s.omitted())).append("</li>");
            } else {
                references.add(s.reference());
            }
        }
        StringBuilder html = new StringBuilder();
        for (HypothesisSession.Answer a : session.answers()) {
            html.append("<h3>").append(escape(a.question())).append("</h3>").append(paragraphs(a.answer()));
        }
        for (Verdict v : session.verdicts()) {
            html.append("<p><b>").append(escape(v.outcome() + ": " + v.statement())).append("</b> (")
                    .append(escape(v.rule())).append(")</p>");
        }
        if (session.answers().isEmpty() && session.verdicts().isEmpty() && thrown != null) {
            html.append("<p><b>").append(escape(outcome.lines().get(0))).append("</b></p>");
        }
        html.append("<p>Plots shown: those of the metrics this hypothesis evaluated (")
                .append(escape(String.join(", ", used.stream().map(Metric::toString).toList())))
                .append("). The CSVs hold every number of the run; every hypothesis on this matrix refers to the same files.</p>");
        if (leftOut.length() > 0) {
            html.append("<p>Plots of these metrics left out, because this run cannot support them:</p><ul>")
                    .append(leftOut).append("</ul>");
        }
        Allure.getLifecycle().updateTestCase(t -> {
            t.setDescriptionHtml(html.toString());
            t.getAttachments().addAll(references);
        });
    }

    static String paragraphs(String text) {
        StringBuilder s = new StringBuilder();
        for (String p : text.strip().split("\n\\s*\n")) {
            s.append("<p>").append(escape(p.strip()).replace("\n", "<br>")).append("</p>");
        }
        return s.toString();
    }

    /** One line per verdict or answer, and the status word the summary shows. */
    private static MatrixReport.Outcome outcome(String testClass, String method, HypothesisSession session, Throwable thrown) {
        List<String> lines = new ArrayList<>();
        session.verdicts().forEach(v -> lines.add(v.line()));
        session.answers().forEach(a -> lines.add("ANSWERED: " + a.question() + " — " + firstSentence(a.answer())));
        String first = thrown == null ? "" : String.valueOf(thrown.getMessage()).strip().lines().findFirst().orElse("");
        if (thrown != null && session.verdicts().stream().noneMatch(v -> first.startsWith(v.outcome() + ": " + v.statement()))) {
            lines.add(thrown instanceof TestAbortedException ? (first.startsWith("UNDECIDABLE") ? first : "UNDECIDABLE: " + first)
                    : thrown instanceof AssertionError ? (first.startsWith("REFUTED") ? first : "FAILED: " + first)
                    : "BROKEN: " + first);
        }
        String status = thrown == null ? (session.answers().isEmpty() ? "HOLDS" : "ANSWERED")
                : thrown instanceof TestAbortedException ? "UNDECIDABLE"
                : thrown instanceof AssertionError ? (first.startsWith("REFUTED") ? "REFUTED" : "FAILED") : "BROKEN";
        return new MatrixReport.Outcome(testClass, method, status, lines);
    }

    private static String firstSentence(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        int end = line.indexOf(". ");
        return end < 0 ? line : line.substring(0, end + 1);
    }

    /**
     * The summary result, written once at the end of a run that reported hypotheses: the landing page
     * (see {@link LandingPage}), with the shared data and every plot attached by reference, and an
     * executor entry on the overview pointing to it.
     */
    public static void summary(List<MatrixReport> matrices, HostCapabilities host) {
        List<MatrixReport> reported = matrices.stream().filter(m -> !m.outcomes().isEmpty() && m.results() != null).toList();
        if (reported.isEmpty()) {
            return;
        }
        LandingPage page = LandingPage.of(reported, host);
        String uuid = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        List<io.qameta.allure.model.Attachment> references = new ArrayList<>();
        reported.forEach(m -> m.shared(m.results()).stream().filter(s -> s.source() != null)
                .forEach(s -> references.add(s.reference())));
        // named (and kept apart in the report's history) by its classes: each JVM of a build writes its own
        String classes = String.join(", ", reported.stream().flatMap(m -> m.outcomes().stream())
                .map(MatrixReport.Outcome::testClass).distinct().toList());
        TestResult summary = new TestResult().setUuid(uuid).setName(SUMMARY + " · " + classes + ": " + page.headline())
                .setFullName(SUMMARY + " · " + classes).setHistoryId(SUMMARY + " · " + classes).setTestCaseId(SUMMARY + " · " + classes)
                .setStatus(null).setStage(Stage.FINISHED)   // no status: Allure shows "unknown", neither a pass nor a failure
                .setStart(now).setStop(now).setDescriptionHtml(page.html()).setAttachments(references)
                .setLabels(new ArrayList<>(List.of(new Label().setName("tag").setValue(TAG),
                        new Label().setName("epic").setValue(SUMMARY_GROUP),
                        new Label().setName("suite").setValue(SUMMARY_GROUP),
                        new Label().setName("severity").setValue("blocker"))));
        Allure.getLifecycle().scheduleTestCase(summary);
        Allure.getLifecycle().writeTestCase(uuid);
    }

    /** environment.properties, categories.json and executor.json in the results directory. */
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
        List<String> notCounted = host.eventStatus().entrySet().stream()
                .filter(e -> !e.getValue().equals(HostCapabilities.COUNTED)).map(Map.Entry::getKey).toList();
        values.put("perf events not counted here", notCounted.isEmpty() ? "none" : String.join(", ", notCounted));
        values.forEach(p::setProperty);
        try {
            Files.createDirectories(dir);
            try (Writer w = Files.newBufferedWriter(dir.resolve("environment.properties"))) {
                p.store(w, "copybench run environment");
            }
            try (InputStream categories = AllureReport.class.getResourceAsStream("categories.json")) {
                Files.copy(categories, dir.resolve("categories.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            // the overview's executor widget: the link a newcomer sees first, to the summary (allure-maven
            // writes its own executor.json over this one: configure the same there, see the README)
            Files.writeString(dir.resolve("executor.json"), JSON.writeValueAsString(Map.of("name", "copybench",
                    "type", "copybench", "buildName", SUMMARY + ": the answers first", "buildUrl", SUMMARY_LINK,
                    "reportName", "copybench")));
        } catch (IOException e) {
            // the report loses its environment page; the measurements are unaffected
        }
    }

    /** The run's results file (this plan's part, as it is when the hypothesis ends), attached to the hypothesis. */
    public static void resultsFile(String json) {
        if (active()) {
            Allure.addAttachment("results.json (this plan)", "application/json", json, "json");
        }
    }

    /** Each key metric's value over the last runs: a plot per metric and the table, or why there is no trend yet. */
    public static void trends(Trends trends) {
        if (!active()) {
            return;
        }
        for (Trends.Chart c : trends.charts()) {
            Allure.addAttachment("trend: " + c.title(), "image/png", new java.io.ByteArrayInputStream(c.png()), "png");
        }
        Allure.addAttachment("trends over the last runs", "text/csv", trends.csv(), "csv");
        trends.missing().ifPresent(why -> Allure.addAttachment("trends", "text/plain", why, "txt"));
    }
}
