package dev.copybench.internal.host;

import dev.copybench.internal.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine shipped in the jar, extracted into an empty cache by two JVMs at the same moment: both
 * run, one copy of each file survives, and it is the one the jar's manifest names.
 */
class EngineCacheIT {

    @Test
    void twoJvmsExtractingIntoAnEmptyCacheAtOnceBothRunAndOneVerifiedCopySurvives(@TempDir Path cache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long startAt = System.currentTimeMillis() + 2_000;   // both JVMs are up by then, and start extracting together
        List<Process> jvms = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            jvms.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                    cache.toString(), String.valueOf(startAt), cache.resolve("state").toString())
                    .redirectErrorStream(true).start());
        }
        List<String> outputs = new ArrayList<>();
        for (Process jvm : jvms) {
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(jvm.getInputStream().readAllBytes()).strip();
            assertThat(jvm.exitValue()).as(out).isZero();
            outputs.add(out);
        }

        Path dir = cache.resolve(outputs.get(0).lines().findFirst().orElseThrow());
        assertThat(outputs).allSatisfy(out -> assertThat(out).isEqualTo(cache.relativize(dir) + "\n" + NativeEngine.version()));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                    NativeEngine.EXECUTABLE, NativeEngine.LIBRARY);   // no half-written .part file left
        }
        Map<String, String> manifest = EngineCache.manifest(EngineCache.platform()).orElseThrow();
        for (Map.Entry<String, String> file : manifest.entrySet()) {
            assertThat(EngineCache.sha256(Files.readAllBytes(dir.resolve(file.getKey())))).as(file.getKey())
                    .isEqualTo(file.getValue());
        }
        assertThat(Files.isExecutable(dir.resolve(NativeEngine.EXECUTABLE))).isTrue();
    }

    @Test
    void aDamagedCachedEngineIsReplacedByTheJarsOwn(@TempDir Path cache) throws IOException {
        Path dir = EngineCache.extract(cache, NativeEngine.version(), EngineCache.platform());
        Files.writeString(dir.resolve(NativeEngine.EXECUTABLE), "#!/bin/sh\necho not the engine\n");

        Path again = EngineCache.extract(cache, NativeEngine.version(), EngineCache.platform());

        assertThat(again).isEqualTo(dir);
        assertThat(EngineCache.sha256(Files.readAllBytes(dir.resolve(NativeEngine.EXECUTABLE))))
                .isEqualTo(EngineCache.manifest(EngineCache.platform()).orElseThrow().get(NativeEngine.EXECUTABLE));
    }

    @Test
    void anUnsupportedPlatformGetsOneLineNamingItAndWhatIsCarried(@TempDir Path cache) {
        assertThatThrownBy(() -> EngineCache.extract(cache, NativeEngine.version(), "macosx-aarch64"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("copybench has no engine for macosx-aarch64: this jar carries engines for " + EngineCache.platform()
                        + "; build one with `make -C native` on such a host and point copybench.native.dir at native/build");
    }

    @Test
    void anEngineOfAnotherVersionIsRefusedWithOneLine(@TempDir Path dir, @TempDir Path stateDir) throws IOException {
        Path engine = dir.resolve(NativeEngine.EXECUTABLE);
        Files.writeString(engine, "#!/bin/sh\necho 'copybench-engine 0.0.1-old'\n");
        Files.setPosixFilePermissions(engine, PosixFilePermissions.fromString("rwx------"));
        Files.copy(NativeEngine.local().directory().resolve(NativeEngine.LIBRARY), dir.resolve(NativeEngine.LIBRARY));
        Properties settings = new Properties();
        settings.setProperty(Settings.NATIVE_DIR, dir.toString());

        assertThatThrownBy(() -> NativeEngine.locate(Settings.of(settings), RunRecord.ofThisJvm(stateDir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(engine + " is not copybench-engine " + NativeEngine.version() + " (it answered "
                        + "'copybench-engine 0.0.1-old' to --version): rebuild it with `make -C native VERSION="
                        + NativeEngine.version() + "` or unset copybench.native.dir");
    }

    /** One JVM: waits for the agreed moment, locates the engine (extracting it), and prints where and which version. */
    public static final class Child {
        public static void main(String[] args) throws InterruptedException {
            Properties settings = new Properties();
            settings.setProperty(Settings.CACHE_DIR, args[0]);
            settings.setProperty(Settings.STATE_DIR, args[2]);
            long startAt = Long.parseLong(args[1]);
            while (System.currentTimeMillis() < startAt) {
                Thread.sleep(1);
            }
            Settings parsed = Settings.of(settings);
            try (NativeEngine engine = NativeEngine.locate(parsed, RunRecord.ofThisJvm(RunRecord.stateDir(parsed)))) {
                System.out.println(Path.of(args[0]).relativize(EngineCache.extract(Path.of(args[0]), NativeEngine.version(),
                        EngineCache.platform())));
                System.out.println(engine.library().cb_version());
            }
        }
    }
}
