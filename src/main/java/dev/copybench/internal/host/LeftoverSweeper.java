package dev.copybench.internal.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes what runs that died without cleaning up left behind: namespaces
 * {@code copybench-<pid>-…} and temp directories {@code copybench-<pid>-…} whose owner PID no
 * longer runs. Resources of live owners, including other concurrent runs, are never touched.
 */
public final class LeftoverSweeper {

    private static final Pattern OWNED = Pattern.compile("copybench-(\\d+)-.*");

    private LeftoverSweeper() {
    }

    /** Returns what was removed. */
    public static List<String> sweep() {
        List<String> removed = new ArrayList<>();
        Commands.Result list = Commands.run(List.of("ip", "netns", "list"));
        if (list.ok()) {
            for (String line : list.stdout().lines().toList()) {
                String ns = line.split("\\s+")[0];
                if (ownerIsDead(ns) && Commands.run(List.of("ip", "netns", "del", ns)).ok()) {
                    removed.add("netns " + ns);
                }
            }
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, "copybench-*")) {
            for (Path dir : dirs) {
                if (ownerIsDead(dir.getFileName().toString()) && deleteTree(dir)) {
                    removed.add("dir " + dir);
                }
            }
        } catch (IOException e) {
            // an unreadable temp dir leaves nothing of ours to sweep
        }
        return removed;
    }

    static boolean ownerIsDead(String name) {
        Matcher m = OWNED.matcher(name);
        if (!m.matches()) {
            return false;
        }
        long pid = Long.parseLong(m.group(1));
        return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
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
