package dev.copybench.internal.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar, as a user's project gets it: it carries the engine, and the engine is this version. */
class JarContentsIT {

    private static final String PLATFORM_DIR = "dev/copybench/internal/native/" + EngineCache.platform() + "/";

    @Test
    void theJarCarriesTheEngineAndTheLibraryAndTheEngineReportsTheJarsVersion(@TempDir Path tmp) throws IOException {
        try (JarFile jar = new JarFile(packagedJar().toFile())) {
            assertThat(jar.stream().map(ZipEntry::getName)).contains(PLATFORM_DIR + NativeEngine.EXECUTABLE,
                    PLATFORM_DIR + NativeEngine.LIBRARY, PLATFORM_DIR + EngineCache.MANIFEST);

            Properties pom = new Properties();
            try (InputStream in = jar.getInputStream(jar.getEntry("META-INF/maven/dev.copybench/copybench/pom.properties"))) {
                pom.load(in);
            }
            Path engine = tmp.resolve(NativeEngine.EXECUTABLE);
            try (InputStream in = jar.getInputStream(jar.getEntry(PLATFORM_DIR + NativeEngine.EXECUTABLE))) {
                Files.copy(in, engine);
            }
            Files.setPosixFilePermissions(engine, PosixFilePermissions.fromString("rwx------"));

            Commands.Result version = Commands.run(List.of(engine.toString(), "--version"), Duration.ofSeconds(10));

            assertThat(version.exitCode()).isZero();
            assertThat(version.stdout()).isEqualTo("copybench-engine " + pom.getProperty("version") + "\n");
        }
    }

    /** target/copybench-VERSION.jar, made by the package phase before the integration tests. */
    private static Path packagedJar() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "copybench-*.jar")) {
            for (Path jar : jars) {
                if (!jar.getFileName().toString().endsWith("-sources.jar")) {
                    return jar;
                }
            }
        }
        throw new IllegalStateException("no target/copybench-*.jar: the integration tests run after `mvn package`");
    }
}
