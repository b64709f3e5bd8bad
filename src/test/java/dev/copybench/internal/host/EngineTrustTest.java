package dev.copybench.internal.host;

import dev.copybench.internal.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where the engine that runs comes from: a cache directory only this user can write is used as it always was,
 * and the run executes its own checked copy, gone after the run; a configured cache anyone else can write is
 * refused in one line.
 */
class EngineTrustTest {

    @Test
    void aCacheOfOursWithMode0700IsUsedAndTheRunsOwnCopyIsGoneAfterIt(@TempDir Path cache, @TempDir Path state)
            throws IOException {
        RunRecord record = RunRecord.ofThisJvm(state);
        Path copy;
        try (NativeEngine engine = NativeEngine.locate(settings(cache), record)) {
            copy = engine.directory();
            assertThat(copy.startsWith(cache)).as("%s is outside the cache", copy).isFalse();
            assertThat(Files.getPosixFilePermissions(copy)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(EngineCache.untrusted(copy)).isEmpty();
            assertThat(engine.library().cb_version()).isEqualTo(NativeEngine.version());
            assertThat(record.outstanding()).containsExactly("dir " + copy);
        }

        assertThat(copy).doesNotExist();
        assertThat(record.outstanding()).isEmpty();
        Path extracted = EngineCache.extract(cache, NativeEngine.version(), EngineCache.platform());
        try (Stream<Path> files = Files.walk(cache)) {   // the cache holds the two files, and no copy of them
            assertThat(files.filter(Files::isRegularFile).map(cache::relativize).map(Path::toString)).containsExactlyInAnyOrder(
                    cache.relativize(extracted.resolve(NativeEngine.EXECUTABLE)).toString(),
                    cache.relativize(extracted.resolve(NativeEngine.LIBRARY)).toString());
        }
    }

    @Test
    void aConfiguredCacheOwnedByAnotherUserIsRefusedInOneLineNamingItAndWhy(@TempDir Path parent, @TempDir Path state)
            throws IOException {
        Path cache = Files.createDirectory(parent.resolve("cache"));
        chown(cache, 65534);

        assertThatThrownBy(() -> NativeEngine.locate(settings(cache), RunRecord.ofThisJvm(state)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("copybench will not use copybench.cache.dir=" + cache + " for its engine: " + cache
                        + " is owned by uid 65534, not by this user (uid " + OwnDirectory.uid()
                        + "); point it at a directory only you can write");
        assertThat(RunRecord.ofThisJvm(state).outstanding()).isEmpty();
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).as("nothing is written into it").isEmpty();
        }
    }

    @Test
    void aConfiguredCacheOthersCanWriteIsRefusedInOneLine(@TempDir Path cache, @TempDir Path state) throws IOException {
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> NativeEngine.locate(settings(cache), RunRecord.ofThisJvm(state)))
                .hasMessage("copybench will not use copybench.cache.dir=" + cache + " for its engine: " + cache
                        + " is writable by group or others (rwxrwxrwx); point it at a directory only you can write");
    }

    @Test
    void aLinkToAnotherUsersDirectoryIsJudgedByWhereItLeads(@TempDir Path parent, @TempDir Path state) throws IOException {
        Path foreign = Files.createDirectory(parent.resolve("foreign"));
        chown(foreign, 65534);
        Path link = Files.createSymbolicLink(parent.resolve("cache"), foreign);

        assertThatThrownBy(() -> NativeEngine.locate(settings(link), RunRecord.ofThisJvm(state)))
                .hasMessageContaining(foreign + " is owned by uid 65534");
    }

    @Test
    void aDirectoryUnderOneOthersCanWriteWithoutTheStickyBitIsNotTrusted(@TempDir Path parent) throws IOException {
        Path open = Files.createDirectory(parent.resolve("open"));
        Path cache = Files.createDirectory(open.resolve("cache"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(EngineCache.untrusted(cache)).contains(cache + " lies under " + open.toRealPath()
                + ", writable by others and not sticky (mode 0777)");
        Files.setAttribute(open, "unix:mode", 01777);   // like /tmp: nobody renames what is not theirs
        assertThat(EngineCache.untrusted(cache)).isEmpty();
    }

    private static Settings settings(Path cache) {
        Properties p = new Properties();
        p.setProperty(Settings.CACHE_DIR, cache.toString());
        return Settings.of(p);
    }

    private static void chown(Path path, int uid) throws IOException {
        assumeTrue(OwnDirectory.uid() == 0, "giving a directory to another user takes root");
        Commands.Result r = Commands.run(List.of("chown", String.valueOf(uid), path.toString()));
        assertThat(r.ok()).as(r.stderr()).isTrue();
    }
}
