package dev.copybench.internal.host;

import dev.copybench.internal.Settings;
import dev.copybench.internal.plan.InvalidBenchmarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where records live and how private directories are made, against directories another user made first (as root
 * here: {@code chown 65534} stands in for that user). Real directories, nothing mocked.
 */
class RunRecordTest {

    private static Settings stateDirSetting(Path dir) {
        return Settings.of(key -> key.equals(Settings.STATE_DIR) ? Optional.of(dir.toString()) : Optional.empty(), List.of());
    }

    /** A directory as another user would leave it: theirs, or open to all (mode in octal, for chmod). */
    static Path planted(Path parent, String name, String mode, boolean foreign) throws IOException {
        Path dir = Files.createDirectory(parent.resolve(name));
        Commands.run(List.of("chmod", mode, dir.toString())).orThrow();
        if (foreign) {
            Commands.run(List.of("chown", "65534:65534", dir.toString())).orThrow();
        }
        return dir;
    }

    @Test
    void aConfiguredStateDirectoryAnotherUserCouldWriteIsRefusedInOneLine(@TempDir Path tmp) throws IOException {
        Path open = planted(tmp, "open", "0777", false);
        Path theirs = planted(tmp, "theirs", "0700", true);
        Path own = planted(tmp, "own", "0700", false);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), own);

        assertThatThrownBy(() -> RunRecord.stateDir(stateDirSetting(open))).isInstanceOf(InvalidBenchmarkException.class)
                .hasMessage(Settings.STATE_DIR + " " + open + " is writable by group or others (rwxrwxrwx): another user "
                        + "could plant run records there, so copybench will not use it; name a directory only you can write");
        assertThatThrownBy(() -> RunRecord.stateDir(stateDirSetting(theirs)))
                .hasMessageStartingWith(Settings.STATE_DIR + " " + theirs + " is owned by uid 65534, not by this user (uid "
                        + OwnDirectory.uid() + ")").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> RunRecord.stateDir(stateDirSetting(link)))
                .hasMessageStartingWith(Settings.STATE_DIR + " " + link + " is a symbolic link:");
        assertThat(RunRecord.stateDir(stateDirSetting(own))).isEqualTo(own);
    }

    /**
     * Under a directory others may write that is not sticky, another user could rename a checked directory away and
     * put one of theirs at its name: neither a state directory nor a private directory is made or used there.
     */
    @Test
    void nothingIsTrustedUnderADirectoryOthersCanRenameThingsIn(@TempDir Path tmp) throws IOException {
        Path open = planted(tmp, "open", "0777", false);
        Path state = Files.createDirectory(open.resolve("state"), OwnDirectory.OWNER_ONLY);
        RunRecord record = RunRecord.ofThisJvm(Files.createDirectory(tmp.resolve("state")));

        assertThat(OwnDirectory.whyNotOwn(state)).contains("lies under " + open.toRealPath()
                + ", writable by others and not sticky (mode 0777)");
        assertThatThrownBy(() -> RunRecord.stateDir(stateDirSetting(state))).isInstanceOf(InvalidBenchmarkException.class)
                .hasMessageContaining("lies under " + open.toRealPath());
        assertThatThrownBy(() -> record.createPrivateDirectory(open, "copybench-cell-"))
                .hasMessage("copybench makes no private directory in " + open + ": it lies under " + open.toRealPath()
                        + ", writable by others and not sticky (mode 0777); set java.io.tmpdir to a directory only you "
                        + "(or root) can change");
        assertThat(OwnDirectory.whyNotSafeToHold(Path.of("/tmp"))).as("sticky /tmp").isEmpty();
    }

    @Test
    void aConfiguredStateDirectoryThatDoesNotExistIsMadeForThisUserAlone(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("a/state");

        assertThat(RunRecord.stateDir(stateDirSetting(dir))).isEqualTo(dir);

        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(OwnDirectory.whyNotOwn(dir)).isEmpty();
    }

    @Test
    void aDefaultStateDirectoryAnotherUserMadeFirstIsPassedOverForAPrivateOne(@TempDir Path tmp) throws IOException {
        for (Path planted : List.of(planted(tmp, "copybench-state-open", "1777", false),
                planted(tmp, "copybench-state-theirs", "0755", true))) {
            List<String> warnings = new ArrayList<>();

            Path used = RunRecord.defaultStateDir(planted, tmp, warnings::add);

            assertThat(used).isNotEqualTo(planted).hasParent(tmp);
            assertThat(OwnDirectory.whyNotOwn(used)).isEmpty();
            assertThat(Files.getPosixFilePermissions(used)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(warnings).singleElement().asString().startsWith("the state directory " + planted + " is ")
                    .endsWith("this run keeps its records in " + used + " instead");
            Files.delete(used);
        }
        Path absent = tmp.resolve("copybench-state-new");
        assertThat(RunRecord.defaultStateDir(absent, tmp, w -> { })).isEqualTo(absent);
        assertThat(Files.getPosixFilePermissions(absent)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void privateDirectoriesHaveNamesNobodyCanTakeFirstAndNeverWriteThroughALink(@TempDir Path tmp) throws IOException {
        long pid = ProcessHandle.current().pid();
        Path victim = Files.createDirectory(tmp.resolve("victim"));
        // what used to be the names of a cell's directory, taken by someone else: a directory and a link
        Files.createDirectory(tmp.resolve("copybench-" + pid + "-1-cell1"));
        Files.createSymbolicLink(tmp.resolve("copybench-" + pid + "-2-cell1"), victim);
        RunRecord record = RunRecord.ofThisJvm(Files.createDirectory(tmp.resolve("state")));

        Path first = record.createPrivateDirectory(tmp, "copybench-" + pid + "-cell1-");
        Path second = record.createPrivateDirectory(tmp, "copybench-" + pid + "-cell1-");
        try {
            assertThat(first).isNotEqualTo(second);
            for (Path dir : List.of(first, second)) {
                assertThat(dir.getFileName().toString()).matches("copybench-" + pid + "-cell1-\\d+");
                assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
                assertThat(Files.readString(dir.resolve(RunRecord.MARKER))).matches("[0-9a-f]{32}");
                assertThat(record.outstanding()).contains("dir " + dir);
            }
            assertThat(Files.readAllLines(record.file())).hasSize(3).element(1).asString()
                    .matches("dir \\d+ " + OwnDirectory.uid() + " [0-9a-f]{32} " + first);
            assertThat(Files.getPosixFilePermissions(record.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            try (var inVictim = Files.list(victim)) {
                assertThat(inVictim).as("nothing written through the planted link").isEmpty();
            }
        } finally {
            for (Path dir : List.of(first, second)) {
                LeftoverSweeper.deleteTree(dir);
                record.removed(RunRecord.Kind.DIR, dir.toString());
            }
        }
        assertThat(record.file()).doesNotExist();
    }

    @Test
    void aLinkPlantedAtTheRecordsNameIsReplacedNotWrittenThrough(@TempDir Path tmp) throws IOException {
        Path state = Files.createDirectory(tmp.resolve("state"));
        RunRecord record = RunRecord.ofThisJvm(state);
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious");
        Files.createSymbolicLink(record.file(), victim);

        Path dir = record.createPrivateDirectory(tmp, "copybench-test-");
        try {
            assertThat(victim).hasContent("precious");
            assertThat(Files.isSymbolicLink(record.file())).isFalse();
            assertThat(Files.readAllLines(record.file(), java.nio.charset.StandardCharsets.UTF_8)).first().asString()
                    .startsWith("owner " + ProcessHandle.current().pid() + " ");
        } finally {
            LeftoverSweeper.deleteTree(dir);
            record.removed(RunRecord.Kind.DIR, dir.toString());
        }
        assertThat(Files.exists(record.file(), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(victim).hasContent("precious");
    }

    @Test
    void whyNotOwnNamesEachReason(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path groupWritable = planted(tmp, "group", "0770", false);

        assertThat(Map.of(tmp.resolve("absent"), OwnDirectory.whyNotOwn(tmp.resolve("absent")).orElseThrow(),
                file, OwnDirectory.whyNotOwn(file).orElseThrow(),
                groupWritable, OwnDirectory.whyNotOwn(groupWritable).orElseThrow())).containsOnly(
                Map.entry(tmp.resolve("absent"), "does not exist"), Map.entry(file, "is not a directory"),
                Map.entry(groupWritable, "is writable by group or others (rwxrwx---)"));
        assertThat(OwnDirectory.whyNotOwn(tmp)).isEmpty();
    }
}
