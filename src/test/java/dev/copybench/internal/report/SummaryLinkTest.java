package dev.copybench.internal.report;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;

/** The overview's link opens the summary's group: Allure names a group md5(parent uid + name). */
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
}
