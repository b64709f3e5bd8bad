package dev.copybench.internal.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The overview's link opens the summary's group (Allure names a group md5(parent uid + name)) as written
 * before the report exists; once it does, the build points it at the newest summary's own page.
 */
class SummaryLinkTest {

    private static String md5(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, digest));
    }

    @Test
    void theLinkNamesTheSummaryGroupAsAllureDoesAndThePomCarriesIt() throws Exception {
        String root = md5("null" + "behaviors");

        assertThat(AllureReport.SUMMARY_LINK).isEqualTo("#behaviors/" + md5(root + AllureReport.SUMMARY_GROUP));
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<buildUrl>" + AllureReport.SUMMARY_LINK + "</buildUrl>");
        assertThat(Files.readString(Path.of("examples", "consumer", "pom.xml")))
                .contains("<buildUrl>" + AllureReport.SUMMARY_LINK + "</buildUrl>");
    }

    @Test
    void aGeneratedReportLinksTheNewestSummarysPage(@TempDir Path report) throws Exception {
        Files.createDirectories(report.resolve("data/test-cases"));
        Files.createDirectories(report.resolve("widgets"));
        testCase(report, "a1", "copybench summary · FrameworkIT: 3 hypotheses", 1000);
        testCase(report, "b2", "copybench summary · SixQuestionsIT: 6 questions", 2000);
        testCase(report, "c3", "hypothesis: q1", 3000);
        Files.writeString(report.resolve("widgets/executors.json"), "[{\"name\":\"copybench\",\"buildName\":\""
                + AllureReport.SUMMARY + ": the answers first\",\"buildUrl\":\"" + AllureReport.SUMMARY_LINK + "\"}]");

        assertThat(SummaryLink.link(report)).contains("#testresult/b2");
        assertThat(Files.readString(report.resolve("widgets/executors.json"))).contains("\"buildUrl\":\"#testresult/b2\"");
    }

    @Test
    void aReportWithoutASummaryKeepsTheGroupLink(@TempDir Path report) throws Exception {
        Files.createDirectories(report.resolve("data/test-cases"));
        Files.createDirectories(report.resolve("widgets"));
        testCase(report, "c3", "hypothesis: q1", 3000);
        String widget = "[{\"buildName\":\"" + AllureReport.SUMMARY + ": the answers first\",\"buildUrl\":\"x\"}]";
        Files.writeString(report.resolve("widgets/executors.json"), widget);

        assertThat(SummaryLink.link(report)).isEmpty();
        assertThat(Files.readString(report.resolve("widgets/executors.json"))).isEqualTo(widget);
    }

    private static void testCase(Path report, String uid, String name, long start) throws Exception {
        Files.writeString(report.resolve("data/test-cases/" + uid + ".json"),
                "{\"uid\":\"" + uid + "\",\"name\":\"" + name + "\",\"time\":{\"start\":" + start + "}}");
    }
}
