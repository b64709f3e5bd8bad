package dev.copybench.internal.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Removes what runs that died without cleaning up left behind: exactly what their {@link RunRecord}s
 * list, and only when the recorded owner (PID and start time) no longer runs. A resource no record
 * lists is never touched, whatever its name; neither is anything of a live run.
 */
public final class LeftoverSweeper {

    private LeftoverSweeper() {
    }

    /** Returns what was removed, e.g. {@code netns copybench-123-1-s}. */
    public static List<String> sweep(Path stateDir) {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(stateDir)) {
            return removed;
        }
        try (DirectoryStream<Path> records = Files.newDirectoryStream(stateDir, "run-*.record")) {
            for (Path record : records) {
                sweepIfDead(record, removed);
            }
        } catch (IOException e) {
            // an unreadable state directory leaves nothing we could prove is ours
        }
        return removed;
    }

    private static void sweepIfDead(Path record, List<String> removed) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(record);
        } catch (NoSuchFileException e) {
            return;   // its owner finished meanwhile, or another run swept it
        }
        if (lines.isEmpty() || ownerAlive(lines.get(0))) {
            return;
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] kindAndWhat = line.split(" ", 2);
            if (kindAndWhat.length == 2 && remove(kindAndWhat[0], kindAndWhat[1])) {
                removed.add(line);
            }
        }
        Files.deleteIfExists(record);
    }

    /** {@code owner <pid> <start ms>}: alive when that PID runs and started then (a reused PID did not). */
    static boolean ownerAlive(String ownerLine) {
        String[] f = ownerLine.split(" ");
        if (f.length != 3 || !f[0].equals("owner")) {
            return true;   // not a record we understand: leave it alone
        }
        long pid = Long.parseLong(f[1]);
        long start = Long.parseLong(f[2]);
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        return process.isPresent() && RunRecord.startMillis(process.get()).map(s -> s == start).orElse(true);
    }

    private static boolean remove(String kind, String what) {
        if (kind.equals(RunRecord.Kind.NETNS.word())) {
            return Commands.run(List.of("ip", "netns", "del", what)).ok();
        }
        if (kind.equals(RunRecord.Kind.DIR.word())) {
            Path dir = Path.of(what);
            return Files.exists(dir) && deleteTree(dir);
        }
        return false;
    }

    /** Deletes a directory tree; true when it is gone. */
    public static boolean deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
