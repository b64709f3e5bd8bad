package dev.copybench.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Points the overview's executor link straight at the copybench summary's own page, after the HTML
 * report is generated: Allure 2 gives each result its page id ({@code #testresult/<uid>}) only while it
 * generates the report, so before that the link can only open the summary's group in Behaviors (one
 * click more). With several summaries (one per test JVM of a build) the newest is the one linked: the
 * build's last suite. Run by this project's build after {@code allure:report}:
 *
 * <pre>{@code
 * java -cp target/classes:<dependencies> dev.copybench.internal.report.SummaryLink target/site/allure-maven-plugin
 * }</pre>
 */
public final class SummaryLink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SummaryLink() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SummaryLink <allure report directory>");
            System.exit(2);
        }
        Path report = Path.of(args[0]);
        Optional<String> page = link(report);
        System.out.println("[copybench] the overview links to " + page.orElse("the summary's group (no summary in this report)"));
    }

    /** Rewrites the executor widget's link to the newest summary's page; the page, if there is a summary. */
    static Optional<String> link(Path report) throws IOException {
        Optional<String> uid = newestSummary(report.resolve("data/test-cases"));
        Path widget = report.resolve("widgets/executors.json");
        if (uid.isEmpty() || !Files.isRegularFile(widget)) {
            return Optional.empty();
        }
        String page = "#testresult/" + uid.get();
        JsonNode executors = JSON.readTree(widget.toFile());
        if (executors instanceof ArrayNode list) {
            for (JsonNode e : list) {
                if (e instanceof ObjectNode o && o.path("buildName").asText().startsWith(AllureReport.SUMMARY)) {
                    o.put("buildUrl", page);
                }
            }
        }
        JSON.writeValue(widget.toFile(), executors);
        return Optional.of(page);
    }

    private static Optional<String> newestSummary(Path testCases) throws IOException {
        if (!Files.isDirectory(testCases)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(testCases)) {
            return files.filter(f -> f.toString().endsWith(".json")).map(SummaryLink::read)
                    .filter(t -> t != null && t.path("name").asText().startsWith(AllureReport.SUMMARY))
                    .max(Comparator.comparingLong(t -> t.path("time").path("start").asLong()))
                    .map(t -> t.path("uid").asText());
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            return null;   // not a test case after all: no summary
        }
    }
}
