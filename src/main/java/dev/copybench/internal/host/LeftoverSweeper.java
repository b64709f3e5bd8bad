package dev.copybench.internal.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes what runs that died without cleaning up left behind: what their {@link RunRecord}s list, only when
 * the recorded owner (PID and start time) no longer runs, and only what still carries the proof its record
 * line names (a namespace's inode; a directory's inode, owner and the token in its marker file). A listed
 * path or name alone is never removed, nor is anything in a state directory that is not this user's own, nor
 * anything of a live run. A record it cannot read is skipped with a warning naming it; it never fails a run.
 */
public final class LeftoverSweeper {

    private static final Pattern NAMESPACE = Pattern.compile("copybench-[a-z0-9-]{1,54}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,19}");
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");
    /** A record is a few lines; anything larger was not written by a run. */
    private static final int MAX_RECORD_BYTES = 1 << 20;

    private LeftoverSweeper() {
    }

    /** Returns what was removed, e.g. {@code netns copybench-123-1-s}; warnings go to standard output. */
    public static List<String> sweep(Path stateDir) {
        return sweep(stateDir, line -> System.out.println("[copybench] " + line));
    }

    /** Returns what was removed; each record skipped or resource left alone is one line to warn. */
    public static List<String> sweep(Path stateDir, Consumer<String> warn) {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(stateDir, LinkOption.NOFOLLOW_LINKS)) {
            return removed;
        }
        Optional<String> notOwn = OwnDirectory.whyNotOwn(stateDir);
        if (notOwn.isPresent()) {
            warn.accept("leftovers not swept: the state directory " + stateDir + " " + notOwn.get()
                    + ", so its records prove nothing");
            return removed;
        }
        try (DirectoryStream<Path> records = Files.newDirectoryStream(stateDir, "jvm-*.record")) {
            for (Path record : records) {
                sweepIfDead(record, removed, warn);
            }
        } catch (IOException e) {
            warn.accept("leftovers not swept: the state directory " + stateDir + " cannot be read (" + e + ")");
        }
        return removed;
    }

    private static void sweepIfDead(Path record, List<String> removed, Consumer<String> warn) throws IOException {
        List<String> lines;
        try {
            lines = read(record);
        } catch (NoSuchFileException e) {
            return;   // its owner finished meanwhile, or another run swept it
        } catch (IOException e) {
            warn.accept("skipped the run record " + record + ": " + e.getMessage());
            return;
        }
        Optional<Boolean> alive = lines.isEmpty() ? Optional.empty() : ownerAlive(lines.get(0));
        if (alive.isEmpty()) {
            warn.accept("skipped the run record " + record + ": its first line '" + printable(lines.isEmpty() ? "" : lines.get(0)) + "' is not 'owner <pid> <start ms>'");
            return;
        }
        if (alive.get()) {
            return;
        }
        for (String line : lines.subList(1, lines.size())) {
            String outcome = remove(line);
            if (outcome.isEmpty()) {
                removed.add(described(line));
            } else if (!outcome.equals(GONE)) {
                warn.accept("left alone: '" + printable(line) + "' of the dead run's record " + record + ": " + outcome);
            }
        }
        Files.deleteIfExists(record);
    }

    /** A regular file (no link, no FIFO), read without following a link, at most {@link #MAX_RECORD_BYTES}. */
    private static List<String> read(Path record) throws IOException {
        if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.exists(record, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(record.toString());
            }
            throw new IOException("it is not a regular file");
        }
        try (InputStream in = Files.newInputStream(record, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_RECORD_BYTES + 1);
            if (bytes.length > MAX_RECORD_BYTES) {
                throw new IOException("it is larger than " + MAX_RECORD_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        }
    }

    /**
     * {@code owner <pid> <start ms>}: alive when that PID runs and started then (a reused PID did not); empty
     * when the line is not one.
     */
    static Optional<Boolean> ownerAlive(String ownerLine) {
        String[] f = ownerLine.split(" ");
        if (f.length != 3 || !f[0].equals("owner") || !NUMBER.matcher(f[1]).matches() || !NUMBER.matcher(f[2]).matches()) {
            return Optional.empty();
        }
        long pid;
        long start;
        try {
            pid = Long.parseLong(f[1]);
            start = Long.parseLong(f[2]);
        } catch (NumberFormatException e) {
            return Optional.empty();   // 19 digits beyond Long.MAX_VALUE
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        return Optional.of(process.isPresent() && RunRecord.startMillis(process.get()).map(s -> s == start).orElse(true));
    }

    private static final String GONE = "gone";

    /** Removes what the line lists when its proof holds: "" when removed, {@link #GONE}, else why it was left alone. */
    private static String remove(String line) {
        String[] f = line.split(" ", 5);
        if (f.length == 3 && f[0].equals(RunRecord.Kind.NETNS.word()) && NUMBER.matcher(f[1]).matches()
                && NAMESPACE.matcher(f[2]).matches()) {
            return removeNamespace(f[2], Long.parseLong(f[1]));
        }
        if (f.length == 5 && f[0].equals(RunRecord.Kind.DIR.word()) && NUMBER.matcher(f[1]).matches()
                && NUMBER.matcher(f[2]).matches() && TOKEN.matcher(f[3]).matches() && f[4].startsWith("/")) {
            return removeDirectory(Path.of(f[4]), Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]);
        }
        return "not a line a run writes (netns <inode> <name> or dir <inode> <uid> <token> <path>)";
    }

    private static String removeNamespace(String name, long inode) {
        Path file = RunRecord.NETNS_DIR.resolve(name);
        long now;
        try {
            now = RunRecord.inode(file);
        } catch (NoSuchFileException e) {
            return GONE;
        } catch (IOException e) {
            return "it cannot be examined (" + e + ")";
        }
        if (now != inode) {
            return "it is not the namespace that run made (inode " + now + ", recorded " + inode + ")";
        }
        Commands.Result del = Commands.run(List.of("ip", "netns", "del", name));
        if (!del.ok() && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return GONE;   // another run swept the same record meanwhile
        }
        return del.ok() ? "" : "ip netns del failed: " + del.stderr().strip();
    }

    private static String removeDirectory(Path dir, long inode, long uid, String token) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(dir, "unix:isDirectory,ino,uid", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return GONE;
        } catch (IOException e) {
            return "it cannot be examined (" + e + ")";
        }
        if (!(Boolean) a.get("isDirectory") || ((Number) a.get("ino")).longValue() != inode
                || ((Number) a.get("uid")).longValue() != uid) {
            return "it is not the directory that run made (its inode or owner differ)";
        }
        Path marker = dir.resolve(RunRecord.MARKER);
        try {
            if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
                return "it holds no marker file";
            }
            try (InputStream in = Files.newInputStream(marker, LinkOption.NOFOLLOW_LINKS)) {
                if (!new String(in.readNBytes(64), StandardCharsets.US_ASCII).strip().equals(token)) {
                    return "its marker holds another token";
                }
            }
        } catch (IOException e) {
            return "its marker cannot be read (" + e + ")";
        }
        return deleteTree(dir) ? "" : "it could not be deleted";
    }

    /** {@code dir <inode> <uid> <token> <path>} as {@code dir <path>}: the token stays in the record. */
    private static String described(String line) {
        String[] f = line.split(" ", 5);
        return f[0].equals(RunRecord.Kind.DIR.word()) ? f[0] + " " + f[4] : f[0] + " " + f[2];
    }

    /** At most 200 characters, control characters shown as '?': a record's bytes reach the console. */
    private static String printable(String s) {
        String cut = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /**
     * Deletes a directory tree; true when it is gone. Symbolic links are deleted, never followed (neither the
     * start nor anything inside: {@link Files#walk} without {@code FOLLOW_LINKS} reports a link as itself).
     */
    public static boolean deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
