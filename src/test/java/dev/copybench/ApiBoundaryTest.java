package dev.copybench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user's test can import without reaching into {@code dev.copybench.internal}: exactly the
 * API. A new public type outside {@code internal} is a decision, made here.
 */
class ApiBoundaryTest {

    private static final List<String> API = List.of(
            "dev.copybench.BenchmarkResults", "dev.copybench.CellResult", "dev.copybench.Configuration",
            "dev.copybench.CopyBenchAssertions", "dev.copybench.CopyMode", "dev.copybench.CopyModeBenchmark",
            "dev.copybench.Measurement", "dev.copybench.MessageSize", "dev.copybench.Metric", "dev.copybench.Side",
            "dev.copybench.Workload",
            "dev.copybench.hypothesis.Crossover", "dev.copybench.hypothesis.Difference",
            "dev.copybench.hypothesis.MetricAssert", "dev.copybench.hypothesis.ModeComparison",
            "dev.copybench.hypothesis.Outcome", "dev.copybench.hypothesis.ResultsAssert",
            "dev.copybench.hypothesis.SizeComparison", "dev.copybench.hypothesis.Summary",
            "dev.copybench.hypothesis.Verdict");

    @Test
    void onlyTheApiIsPublicOutsideTheInternalPackages() throws IOException, URISyntaxException {
        Path classes = Path.of(CopyMode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(classes.resolve("dev/copybench"))) {
            List<String> publicOutsideInternal = files.map(f -> classes.relativize(f).toString())
                    .filter(f -> f.endsWith(".class") && !f.contains("$") && !f.startsWith("dev/copybench/internal/"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .filter(ApiBoundaryTest::isPublic)
                    .toList();

            assertThat(publicOutsideInternal).containsExactlyInAnyOrderElementsOf(API);
        }
    }

    @Test
    void theJUnitExtensionIsRegisteredByTheAnnotationNotByTheUser() {
        assertThat(CopyModeBenchmark.class.getAnnotation(org.junit.jupiter.api.extension.ExtendWith.class).value())
                .allSatisfy(extension -> assertThat(extension.getPackageName()).startsWith("dev.copybench.internal"));
    }

    private static boolean isPublic(String className) {
        try {
            return Modifier.isPublic(Class.forName(className, false, ApiBoundaryTest.class.getClassLoader()).getModifiers());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
