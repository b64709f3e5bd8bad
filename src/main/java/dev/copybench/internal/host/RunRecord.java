package dev.copybench.internal.host;

import dev.copybench.internal.Settings;
import dev.copybench.internal.plan.InvalidBenchmarkException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What this JVM's runs created and have not removed yet (namespaces, temp directories), written to a
 * record file once each exists and struck off once it is gone. The record names its owner by PID
 * <em>and</em> start time, so a reused PID cannot pass for it, and each resource with a proof that it is
 * the one this run made: a later run removes a dead owner's resource only when that proof still holds
 * ({@link LeftoverSweeper}); names alone never condemn anything, and neither does a listed path.
 *
 * <p>Record: {@code <state dir>/jvm-<pid>-<start ms>.record}, first line {@code owner <pid> <start ms>}, then
 * one line per resource: {@code netns <inode> <name>} (the inode of {@code /run/netns/<name>}) or
 * {@code dir <inode> <uid> <token> <path>} (the directory's inode and owner, and a random token also written
 * into its {@value #MARKER} file). The state directory must be this user's own ({@link OwnDirectory}).
 *
 * <p>A resource is written down after it was made, never before: a name written down first could be someone
 * else's by the time we try to make it (a taken namespace name), and the record would then condemn it. The
 * price is a crash window of microseconds between making and recording, in which a {@code kill -9} leaves
 * one empty namespace or directory unlisted; it is never someone else's thing deleted.
 */
public final class RunRecord {

    /** What a record can list; the sweeper knows how to prove and remove each. */
    public enum Kind {
        NETNS, DIR;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The file in each private directory holding the token its record line names. */
    static final String MARKER = ".copybench-owner";
    /** Where {@code ip netns} keeps its namespaces. */
    static final Path NETNS_DIR = Path.of("/run/netns");

    private static final Map<Path, RunRecord> OF_THIS_JVM = new ConcurrentHashMap<>();
    /** The default state directory, chosen once per JVM so every run of it (and its tests) agrees. */
    private static volatile Path defaultStateDir;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path file;
    private final String ownerLine;
    /** "kind what" to its whole record line. */
    private final Map<String, String> outstanding = new LinkedHashMap<>();

    private RunRecord(Path stateDir) {
        ProcessHandle self = ProcessHandle.current();
        long start = startMillis(self).orElse(0L);
        this.file = stateDir.resolve("jvm-" + self.pid() + "-" + start + ".record");
        this.ownerLine = "owner " + self.pid() + " " + start;
    }

    /** This JVM's record in that state directory (one per JVM, shared by all its runs). */
    public static RunRecord ofThisJvm(Path stateDir) {
        return OF_THIS_JVM.computeIfAbsent(stateDir.toAbsolutePath(), RunRecord::new);
    }

    /**
     * {@code copybench.state.dir}, made if absent, and refused in one line unless it is this user's own; else
     * {@code /run/copybench} where {@code /run} can be written (root), else {@code $TMPDIR/copybench-state-<user>};
     * a default that is not this user's own (someone made it first) is passed over for a private one.
     *
     * @throws InvalidBenchmarkException naming the configured directory and why it cannot be trusted
     */
    public static Path stateDir(Settings settings) {
        Optional<String> configured = settings.get(Settings.STATE_DIR);
        if (configured.isPresent()) {
            Path dir = Path.of(configured.get()).toAbsolutePath();
            Optional<String> why = OwnDirectory.makeOrCheck(dir);
            if (why.isPresent()) {
                throw new InvalidBenchmarkException(Settings.STATE_DIR + " " + dir + " " + why.get() + ": another user "
                        + "could plant run records there, so copybench will not use it; name a directory only you can write");
            }
            return dir;
        }
        Path dir = defaultStateDir;
        if (dir == null) {
            synchronized (RunRecord.class) {
                if (defaultStateDir == null) {
                    Path run = Path.of("/run");
                    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
                    Path usual = Files.isDirectory(run) && Files.isWritable(run) ? run.resolve("copybench")
                            : tmp.resolve("copybench-state-" + System.getProperty("user.name"));
                    defaultStateDir = defaultStateDir(usual, tmp, line -> System.out.println("[copybench] " + line));
                }
                dir = defaultStateDir;
            }
        }
        return dir;
    }

    /**
     * usual, made if absent, when it is this user's own; else a private directory made under tmp for this JVM
     * (removed at exit when empty), and a warning saying why.
     */
    static Path defaultStateDir(Path usual, Path tmp, Consumer<String> warn) {
        Optional<String> why = OwnDirectory.makeOrCheck(usual);
        if (why.isEmpty()) {
            return usual;
        }
        try {
            Path own = Files.createTempDirectory(tmp, "copybench-state-" + OwnDirectory.uid() + "-", OwnDirectory.OWNER_ONLY);
            own.toFile().deleteOnExit();
            warn.accept("the state directory " + usual + " " + why.get() + ", so another user could plant run records "
                    + "there; this run keeps its records in " + own + " instead");
            return own;
        } catch (IOException e) {
            throw new UncheckedIOException("no private state directory can be made in " + tmp + " (" + usual + " "
                    + why.get() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Makes a directory with a random name under parent that only its owner can enter
     * ({@link Files#createTempDirectory}: nobody can take its name first), puts a fresh token into its marker
     * file and writes it down with its inode, owner and token: the proof a later sweep asks for.
     *
     * @param prefix the name's start, e.g. {@code copybench-<pid>-cell3-}
     */
    public Path createPrivateDirectory(Path parent, String prefix) {
        Optional<String> unsafe = OwnDirectory.whyNotSafeToHold(parent);
        if (unsafe.isPresent()) {   // another user could swap the proven directory for one of theirs before a sweep
            throw new IllegalStateException("copybench makes no private directory in " + parent + ": it lies under "
                    + unsafe.get() + "; set java.io.tmpdir to a directory only you (or root) can change");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory(parent, prefix, OwnDirectory.OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("a private directory cannot be made in " + parent + ": " + e.getMessage(), e);
        }
        try {
            String token = HexFormat.of().formatHex(randomBytes());
            try (SeekableByteChannel out = Files.newByteChannel(dir.resolve(MARKER), Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY_FILE)) {
                out.write(ByteBuffer.wrap(token.getBytes(StandardCharsets.US_ASCII)));
            }
            long inode = inode(dir);
            add(Kind.DIR, dir.toString(), "dir " + inode + " " + OwnDirectory.uid() + " " + token + " " + dir);
            return dir;
        } catch (IOException e) {
            LeftoverSweeper.deleteTree(dir);
            throw new UncheckedIOException("the private directory " + dir + " cannot be marked: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            LeftoverSweeper.deleteTree(dir);   // made but not written down: ours to remove now
            throw e;
        }
    }

    /** Writes down a namespace this run has just made ({@code ip netns add} succeeded), with its inode. */
    public void createdNamespace(String name) {
        long inode;
        try {
            inode = inode(NETNS_DIR.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("the namespace " + name + " just made cannot be examined: " + e.getMessage(), e);
        }
        add(Kind.NETNS, name, "netns " + inode + " " + name);
    }

    private synchronized void add(Kind kind, String what, String line) {
        outstanding.put(kind.word() + " " + what, line);
        write();
    }

    /** Strikes the resource off once it is gone. */
    public synchronized void removed(Kind kind, String what) {
        if (outstanding.remove(kind.word() + " " + what) != null) {
            write();
        }
    }

    /** What this JVM created and has not removed, as {@code kind what}: empty after a clean run. */
    public synchronized Set<String> outstanding() {
        return Set.copyOf(outstanding.keySet());
    }

    public Path file() {
        return file;
    }

    static long inode(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * Replaces the record: a new file (O_EXCL, never through a link, only the owner may read it) renamed over
     * the old one, so a reader sees a whole record or none.
     */
    private void write() {
        try {
            if (outstanding.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            Path dir = file.getParent();
            Optional<String> why = OwnDirectory.whyNotOwn(dir);
            if (why.isPresent()) {
                throw new IOException("the state directory " + dir + " " + why.get());
            }
            StringBuilder text = new StringBuilder(ownerLine).append('\n');
            outstanding.values().forEach(line -> text.append(line).append('\n'));
            Path temp = dir.resolve(file.getFileName() + "." + HexFormat.of().formatHex(randomBytes()) + ".part");
            try (SeekableByteChannel out = Files.newByteChannel(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY_FILE)) {
                out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("the run record " + file + " cannot be written (set copybench.state.dir "
                    + "to a directory of your own): " + e.getMessage(), e);
        }
    }

    static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }
}
