package dev.copybench.examples;

import dev.copybench.internal.host.Commands;
import dev.copybench.internal.host.LeftoverSweeper;
import dev.copybench.internal.host.NativeEngine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * copybench used the way a user's project uses it: {@code examples/consumer}, a Maven project of its
 * own, copied away from this tree (no {@code native/}, no engine build beside it), builds against
 * the jar installed into a throwaway local repository and decides its hypotheses with
 * {@code mvn verify}, report included.
 */
class ConsumerProjectIT {

    private static final Path BUILD = Path.of("target", "consumer").toAbsolutePath();

    @Test
    void theConsumerProjectBuildsAgainstTheInstalledJarAndDecidesItsHypotheses() throws IOException {
        Path repository = throwawayRepository();
        Path jar = Path.of("target", "copybench-" + NativeEngine.version() + ".jar").toAbsolutePath();
        run(List.of("mvn", "-B", "-q", "-Dmaven.repo.local=" + repository,
                "org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file", "-Dfile=" + jar,
                "-DpomFile=" + Path.of("pom.xml").toAbsolutePath()), Path.of("."));
        Path project = copyOfTheConsumer();
        assertThat(Files.readString(project.resolve("pom.xml")))
                .as("examples/consumer depends on this copybench version")
                .contains("<artifactId>copybench</artifactId>\n      <version>" + NativeEngine.version() + "</version>");

        Path engineCache = BUILD.resolve("engine-cache");   // the user's ~/.cache/copybench stays untouched
        deleteTree(engineCache);
        Commands.Result build = Commands.run(List.of("mvn", "-B", "-Dmaven.repo.local=" + repository,
                "-Dcopybench.cache.dir=" + engineCache, "verify"), project, Duration.ofMinutes(10));

        System.out.println(build.stdout());   // the consumer's console, cells and verdicts, in this build's log
        assertThat(build.exitCode()).as(build.stderr()).isZero();
        assertThat(build.stdout())
                .contains("[8/8] ONE_COPY · 64 KiB · 1 thread · rep 4/4 — ")
                .contains("[copybench] HOLDS: throughput (client) at 64 KiB > at 64 B")
                .contains("[copybench] UNDECIDABLE: LLC load misses per KiB (server) of ZERO_COPY ≤ TWO_COPY")
                .contains("Tests run: 16, Failures: 0, Errors: 0, Skipped: 1")
                .contains("BUILD SUCCESS");
        Path report = project.resolve("target/site/allure-maven-plugin");
        assertThat(report.resolve("index.html")).isRegularFile();
        // a user's report opens with the copybench summary too, named as the consumer's pom names it
        try (Stream<Path> tests = Files.list(report.resolve("data/test-cases"))) {
            assertThat(tests.map(ConsumerProjectIT::readQuietly)).as("the copybench summary among the consumer's results")
                    .anyMatch(json -> json.contains("\"name\":\"copybench summary · ") && json.contains("copybench-wide"));
        }
        assertThat(Files.readString(report.resolve("widgets/summary.json"))).contains("my hypotheses, measured");
        try (Stream<Path> extracted = Files.walk(engineCache)) {
            assertThat(extracted.map(f -> f.getFileName().toString())).as("the engine came out of the jar")
                    .contains(NativeEngine.EXECUTABLE, NativeEngine.LIBRARY);
        }

        Commands.Result tree = Commands.run(List.of("mvn", "-B", "-Dmaven.repo.local=" + repository,
                "dependency:tree", "-Dverbose"), project, Duration.ofMinutes(5));
        assertThat(tree.exitCode()).as(tree.stdout()).isZero();
        assertThat(tree.stdout().lines().filter(l -> l.contains("org.junit"))).as("JUnit in the consumer's tree")
                .isNotEmpty()
                .noneMatch(l -> l.contains("omitted for conflict"))
                .noneMatch(l -> l.contains(":1.10.") || l.contains(":5.10."));   // Allure's own JUnit stays out
    }

    /**
     * A local repository holding what this build already downloaded, but no copybench. Artifacts are
     * hard links (never rewritten in place); Maven's metadata files are copies, since it updates them.
     */
    private static Path throwawayRepository() throws IOException {
        Path source = Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path target = BUILD.resolve("repository");
        deleteTree(target);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = source.relativize(file);
                if (relative.startsWith(Path.of("dev", "copybench"))) {
                    continue;
                }
                Path copy = target.resolve(relative);
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else if (file.toString().matches(".*\\.(jar|pom|zip)$")) {
                    Files.createLink(copy, file);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return target;
    }

    private static Path copyOfTheConsumer() throws IOException {
        Path source = Path.of("examples", "consumer");
        Path target = BUILD.resolve("project");
        deleteTree(target);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = source.relativize(file);
                if (relative.startsWith("target") || relative.startsWith(".allure") || relative.startsWith("allure-results")) {
                    continue;
                }
                Files.copy(file, target.resolve(relative), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        assertThat(target.resolve("native")).doesNotExist();
        return target;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static Commands.Result run(List<String> command, Path directory) {
        Commands.Result r = Commands.run(command, directory, Duration.ofMinutes(10));
        assertThat(r.exitCode()).as(String.join(" ", command) + "\n" + r.stdout() + r.stderr()).isZero();
        return r;
    }

    private static void deleteTree(Path dir) {
        if (Files.exists(dir) && !LeftoverSweeper.deleteTree(dir)) {
            throw new IllegalStateException("could not empty " + dir);
        }
    }
}
