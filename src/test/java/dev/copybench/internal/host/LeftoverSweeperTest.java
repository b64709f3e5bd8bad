package dev.copybench.internal.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up sweep removes a dead run's directory only when the directory still carries the proof its record
 * names, and never anything a planted or broken record lists. Real directories; namespaces are in
 * {@code OwnershipIT}.
 */
class LeftoverSweeperTest {

    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    /** The record this JVM wrote, as its owner's death leaves it: the same lines under a dead owner's name. */
    static Path asDeadRunsRecord(RunRecord record, Path stateDir) throws Exception {
        long dead = deadPid();
        List<String> lines = new ArrayList<>(Files.readAllLines(record.file()));
        lines.set(0, "owner " + dead + " 1");
        return Files.write(stateDir.resolve("jvm-" + dead + "-1.record"), lines);
    }

    private static Path victim(Path parent, String name) throws IOException {
        Path victim = Files.createDirectory(parent.resolve(name), OwnDirectory.OWNER_ONLY);   // root's own, 0700
        Files.writeString(victim.resolve("precious.txt"), "mine");
        return victim;
    }

    @Test
    void aDeadRunsDirectoryIsRemovedWhenItsMarkerStillMatches(@TempDir Path tmp) throws Exception {
        Path state = Files.createDirectory(tmp.resolve("state"));
        RunRecord record = RunRecord.ofThisJvm(Files.createDirectory(tmp.resolve("writer")));
        Path dir = record.createPrivateDirectory(tmp, "copybench-dead-cell1-");
        Files.writeString(dir.resolve("server.err"), "x");
        Path victim = victim(tmp, "victim");
        Files.createSymbolicLink(dir.resolve("link-to-victim"), victim);
        Path dead = asDeadRunsRecord(record, state);
        record.removed(RunRecord.Kind.DIR, dir.toString());

        List<String> removed = LeftoverSweeper.sweep(state, w -> { });

        assertThat(removed).containsExactly("dir " + dir);
        assertThat(dir).doesNotExist();
        assertThat(dead).doesNotExist();
        assertThat(victim.resolve("precious.txt")).as("a link inside is deleted, never followed").hasContent("mine");
    }

    @Test
    void aListedDirectoryWithoutItsMarkerSurvivesADeadOwnersRecord(@TempDir Path tmp) throws Exception {
        Path state = Files.createDirectory(tmp.resolve("state"));
        Path victim = victim(tmp, "victim");
        long ino = RunRecord.inode(victim);
        long dead = deadPid();
        // the old plain listing, and forgeries that know the victim's inode and owner but not a token inside it
        Files.write(state.resolve("jvm-" + dead + "-1.record"), List.of("owner " + dead + " 1", "dir " + victim,
                "dir " + ino + " 0 0123456789abcdef0123456789abcdef " + victim,
                "dir " + ino + " 0 0123456789abcdef0123456789abcdef " + victim + "/"));
        List<String> warnings = new ArrayList<>();

        List<String> removed = LeftoverSweeper.sweep(state, warnings::add);

        assertThat(removed).isEmpty();
        assertThat(victim.resolve("precious.txt")).hasContent("mine");
        assertThat(warnings).hasSize(3).allSatisfy(w -> assertThat(w).startsWith("left alone: 'dir ")
                .contains(state.resolve("jvm-" + dead + "-1.record").toString()));
        assertThat(warnings.get(1)).endsWith("it holds no marker file");

        // the victim with a marker of its own: another token than the record's
        Files.writeString(victim.resolve(RunRecord.MARKER), "ffffffffffffffffffffffffffffffff");
        Files.write(state.resolve("jvm-" + dead + "-1.record"), List.of("owner " + dead + " 1",
                "dir " + ino + " 0 0123456789abcdef0123456789abcdef " + victim));
        assertThat(LeftoverSweeper.sweep(state, warnings::add)).isEmpty();
        assertThat(victim.resolve("precious.txt")).hasContent("mine");
        assertThat(warnings).last().asString().endsWith("its marker holds another token");
    }

    @Test
    void recordsInAStateDirectoryAnotherUserCouldWriteAreNeverActedOn(@TempDir Path tmp) throws Exception {
        Path victim = victim(tmp, "victim");
        RunRecord record = RunRecord.ofThisJvm(Files.createDirectory(tmp.resolve("writer")));
        Path ours = record.createPrivateDirectory(tmp, "copybench-planted-");
        try {
            for (Path planted : List.of(RunRecordTest.planted(tmp, "open", "1777", false),
                    RunRecordTest.planted(tmp, "theirs", "0700", true))) {
                // even a record whose proofs hold: whoever could write there could have copied them
                Path copy = asDeadRunsRecord(record, planted);
                Files.writeString(copy, "dir " + victim + "\n", java.nio.file.StandardOpenOption.APPEND);
                List<String> warnings = new ArrayList<>();

                assertThat(LeftoverSweeper.sweep(planted, warnings::add)).isEmpty();

                assertThat(warnings).singleElement().asString().startsWith("leftovers not swept: the state directory "
                        + planted + " is ");
                assertThat(copy).exists();
                assertThat(victim.resolve("precious.txt")).hasContent("mine");
                assertThat(ours).exists();
            }
        } finally {
            LeftoverSweeper.deleteTree(ours);
            record.removed(RunRecord.Kind.DIR, ours.toString());
        }
    }

    @Test
    void aMalformedRecordIsSkippedWithAWarningNamingItAndTheOthersAreStillSwept(@TempDir Path tmp) throws Exception {
        Path state = Files.createDirectory(tmp.resolve("state"));
        Path victim = victim(tmp, "victim");
        Path badOwner = Files.write(state.resolve("jvm-12-5.record"), List.of("owner 12x 5", "dir " + victim));
        Path huge = Files.write(state.resolve("jvm-13-5.record"), List.of("owner 99999999999999999999 5"));
        Path garbage = Files.write(state.resolve("jvm-14-5.record"), new byte[] {0, (byte) 0xff, 10, 27, '[', '2', 'J'});
        Path empty = Files.write(state.resolve("jvm-15-5.record"), new byte[0]);
        Path fifo = state.resolve("jvm-16-5.record");
        Commands.run(List.of("mkfifo", fifo.toString())).orThrow();
        long dead = deadPid();
        Path unknownKind = Files.write(state.resolve("jvm-" + dead + "-1.record"), List.of("owner " + dead + " 1",
                "socket /tmp/x", "netns copybench-1-1-s"));
        RunRecord record = RunRecord.ofThisJvm(Files.createDirectory(tmp.resolve("writer")));
        Path leftover = record.createPrivateDirectory(tmp, "copybench-dead-");
        asDeadRunsRecord(record, state);
        record.removed(RunRecord.Kind.DIR, leftover.toString());
        List<String> warnings = new ArrayList<>();

        List<String> removed = LeftoverSweeper.sweep(state, warnings::add);

        assertThat(removed).containsExactly("dir " + leftover);
        assertThat(victim.resolve("precious.txt")).hasContent("mine");
        assertThat(warnings).contains(
                "skipped the run record " + badOwner + ": its first line 'owner 12x 5' is not 'owner <pid> <start ms>'",
                "skipped the run record " + huge + ": its first line 'owner 99999999999999999999 5' is not 'owner <pid> "
                        + "<start ms>'",
                "skipped the run record " + empty + ": its first line '' is not 'owner <pid> <start ms>'",
                "skipped the run record " + fifo + ": it is not a regular file",
                "left alone: 'socket /tmp/x' of the dead run's record " + unknownKind + ": not a line a run writes "
                        + "(netns <inode> <name> or dir <inode> <uid> <token> <path>)");
        assertThat(warnings).filteredOn(w -> w.contains(garbage.toString())).singleElement().asString()
                .doesNotContain("\u001b").doesNotContain("\n");
        assertThat(warnings).allSatisfy(w -> assertThat(w).doesNotContain("\n"));
        assertThat(badOwner).as("kept for its owner to look at").exists();
    }

    @Test
    void aPrivateDirectoryIsOnlyItsOwners(@TempDir Path tmp) throws IOException {
        RunRecord record = RunRecord.ofThisJvm(Files.createDirectory(tmp.resolve("writer")));
        Path dir = record.createPrivateDirectory(tmp, "copybench-x-");
        try {
            assertThat(Files.getPosixFilePermissions(dir.resolve(RunRecord.MARKER)))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        } finally {
            LeftoverSweeper.deleteTree(dir);
            record.removed(RunRecord.Kind.DIR, dir.toString());
        }
    }
}
