package dev.copybench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Use copybench in your project" is what {@code examples/consumer} is, so a newcomer who
 * copies it gets a project that {@code ConsumerProjectIT} has built: the Java example compiles as
 * printed, and every pom snippet stands in the consumer's pom.
 */
class ReadmeTest {

    private static final Pattern BLOCK = Pattern.compile("```(java|xml)\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theReadmesUsageSectionIsTheConsumerExample() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Use copybench in your project");
        assertThat(start).as("the README has a usage section").isNotNegative();
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<String> java = new ArrayList<>();
        List<String> xml = new ArrayList<>();
        Matcher m = BLOCK.matcher(section);
        while (m.find()) {
            (m.group(1).equals("java") ? java : xml).add(m.group(2));
        }
        String consumer = Path.of("examples", "consumer").toString();

        assertThat(java).containsExactly(Files.readString(Path.of(consumer, "src/test/java/com/example/ZeroCopyHypothesesIT.java")));
        assertThat(section).contains("src/test/java/com/example/ZeroCopyHypothesesIT.java");
        String pom = squeeze(Files.readString(Path.of(consumer, "pom.xml")));
        assertThat(xml).hasSize(5).allSatisfy(snippet -> assertThat(pom).contains(squeeze(snippet)));
    }

    private static String squeeze(String xml) {
        return xml.replaceAll("\\s+", " ").strip();
    }
}
