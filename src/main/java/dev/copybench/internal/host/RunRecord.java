package dev.copybench.internal.host;

import dev.copybench.internal.Settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this JVM's runs created and have not removed yet (namespaces, temp directories), written to a
 * record file before each is made and struck off once it is gone. The record names its owner by PID
 * <em>and</em> start time, so a reused PID cannot pass for it; a later run removes exactly what a
 * dead owner's record lists ({@link LeftoverSweeper}), and names alone never condemn anything.
 *
 * <p>Record: {@code <state dir>/run-<pid>-<start ms>.record}, first line {@code owner <pid> <start ms>},
 * then one line per resource: {@code netns <name>} or {@code dir <path>}.
 */
public final class RunRecord {

    /** What a record can list; the sweeper knows how to remove each. */
    public enum Kind {
        NETNS, DIR;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Map<Path, RunRecord> OF_THIS_JVM = new ConcurrentHashMap<>();

    private final Path file;
    private final String ownerLine;
    private final Set<String> outstanding = new LinkedHashSet<>();

    private RunRecord(Path stateDir) {
        ProcessHandle self = ProcessHandle.current();
        long start = startMillis(self).orElse(0L);
        this.file = stateDir.resolve("run-" + self.pid() + "-" + start + ".record");
        this.ownerLine = "owner " + self.pid() + " " + start;
    }

    /** This JVM's record in that state directory (one per JVM, shared by all its runs). */
    public static RunRecord ofThisJvm(Path stateDir) {
        return OF_THIS_JVM.computeIfAbsent(stateDir.toAbsolutePath(), RunRecord::new);
    }

    /**
     * {@code copybench.state.dir}, else {@code /run/copybench} where it can be written (root), else a
     * directory of this user's under the temp directory.
     */
    public static Path stateDir(Settings settings) {
        return settings.get(Settings.STATE_DIR).map(Path::of).orElseGet(() -> {
            Path run = Path.of("/run");
            return Files.isDirectory(run) && Files.isWritable(run) ? run.resolve("copybench")
                    : Path.of(System.getProperty("java.io.tmpdir"), "copybench-state-" + System.getProperty("user.name"));
        });
    }

    /** Writes the resource down; call before creating it, so a death in between still leaves it listed. */
    public synchronized void creating(Kind kind, String what) {
        outstanding.add(kind.word() + " " + what);
        write();
    }

    /**
     * Creates a directory only its owner can enter, written down first, so a death in between leaves it
     * listed; struck off again when it cannot be created.
     */
    public void createPrivateDirectory(Path dir) {
        creating(Kind.DIR, dir.toString());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            removed(Kind.DIR, dir.toString());
            throw new UncheckedIOException(e);
        }
    }

    /** Strikes the resource off once it is gone. */
    public synchronized void removed(Kind kind, String what) {
        if (outstanding.remove(kind.word() + " " + what)) {
            write();
        }
    }

    /** What this JVM created and has not removed: empty after a clean run. */
    public synchronized Set<String> outstanding() {
        return Set.copyOf(outstanding);
    }

    public Path file() {
        return file;
    }

    private void write() {
        try {
            if (outstanding.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            Files.createDirectories(file.getParent());
            List<String> lines = new ArrayList<>();
            lines.add(ownerLine);
            lines.addAll(outstanding);
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
            Files.write(temp, lines);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("the run record " + file + " cannot be written (set copybench.state.dir "
                    + "to a writable directory): " + e.getMessage(), e);
        }
    }

    static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }
}
