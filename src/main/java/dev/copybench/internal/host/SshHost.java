package dev.copybench.internal.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One remote host of a run, reached with the system OpenSSH client from argument lists: one master
 * connection ({@code ControlMaster}) for the whole run, which every command multiplexes over, in
 * {@code BatchMode} (no prompt ever blocks a test) with the user's host-key checking as configured
 * ({@code -F copybench.ssh.config}, else {@code ~/.ssh/config} and {@code known_hosts}).
 *
 * <p>The master's own session is the run's sentinel on the remote host: it sweeps the run directories
 * of dead runs, makes this run's private directory ({@code /tmp/copybench-run-XXXXXXXX}) with an
 * {@code owner} record (its PID and start time), and then waits on its stdin. When the JVM ends, even
 * by {@code kill -9}, that stdin ends, the sentinel removes the directory and the master exits; every
 * engine, started with {@code --exit-on-stdin-eof} over the same master, ends with its own session.
 *
 * <pre>{@code
 * try (SshHost a = SshHost.open(SshDestination.parse(key, "root@10.0.0.2"), Optional.empty(), key, record)) {
 *     a.run("uname -r", Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class SshHost implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Duration CONNECT = Duration.ofSeconds(20);
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./=:,+@%-]+");

    /**
     * Sweeps this login's run directories whose owner is gone (PID dead, or reused: the start time differs), makes
     * this run's and names it, then holds the session open until stdin ends and removes the directory.
     * POSIX sh: the remote login shell runs it.
     */
    private static final String SENTINEL = String.join("\n",
            "umask 077",
            "for o in /tmp/copybench-run-*/owner; do",
            "  d=${o%/owner}",
            // only a directory of this login, not a link, with an owner file it wrote: others' are never swept
            "  [ -d \"$d\" ] && [ ! -L \"$d\" ] && [ -O \"$d\" ] && [ -f \"$o\" ] && [ ! -L \"$o\" ] && [ -O \"$o\" ] || continue",
            "  read p t < \"$o\" || continue",
            "  [ \"$(cut -d' ' -f22 /proc/$p/stat 2>/dev/null)\" = \"$t\" ] && continue",
            "  rm -rf \"$d\" && echo \"swept $d\"",
            "done",
            "d=$(mktemp -d /tmp/copybench-run-XXXXXXXX) || exit 1",
            "echo \"$$ $(cut -d' ' -f22 /proc/$$/stat)\" > \"$d/owner\"",
            "echo \"dir $d\"",
            "cat > /dev/null",
            "sleep 1",   // engines that saw the same end of stdin are exiting; their directory goes next
            "rm -rf \"$d\"");

    private final String role;
    private final SshDestination destination;
    private final Optional<Path> config;
    private final Path controlDir;
    private final RunRecord record;
    private final Process master;
    private final String runDir;
    private final List<String> swept;

    private SshHost(String role, SshDestination destination, Optional<Path> config, Path controlDir, RunRecord record,
                    Process master, String runDir, List<String> swept) {
        this.role = role;
        this.destination = destination;
        this.config = config;
        this.controlDir = controlDir;
        this.record = record;
        this.master = master;
        this.runDir = runDir;
        this.swept = List.copyOf(swept);
    }

    /**
     * Connects: starts the master and its sentinel. A failure (unknown host, refused key, unknown host
     * key) is one line naming the setting, the host and ssh's own words.
     *
     * @param role   the setting that named the host, for messages ({@code copybench.server.host})
     * @param record where the local control directory is written down while it exists
     */
    public static SshHost open(SshDestination destination, Optional<Path> config, String role, RunRecord record) {
        Path controlDir = record.createPrivateDirectory(controlParent(System.getProperty("java.io.tmpdir")),
                "copybench-" + ProcessHandle.current().pid() + "-ssh" + SEQUENCE.incrementAndGet() + "-");
        Process master = null;
        try {
            List<String> cmd = base(destination, config, controlDir);
            cmd.addAll(List.of("-o", "ControlMaster=yes", "-o", "ControlPersist=no", "-o", "ConnectTimeout=10",
                    "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3"));
            cmd.addAll(target(destination, SENTINEL));
            Path err = controlDir.resolve("master.err");
            // stdin stays a pipe this JVM holds: its end (this JVM's end) is the sentinel's cue
            master = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            Process started = master;
            CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> readUntilDir(started));
            List<String> out;
            try {
                out = lines.get(CONNECT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw failure(role, destination, "no answer within " + CONNECT.toSeconds() + " s");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            String last = out.isEmpty() ? "" : out.get(out.size() - 1);
            if (!last.startsWith("dir /tmp/copybench-run-")) {
                started.waitFor(5, TimeUnit.SECONDS);
                String why = sshMessage(Files.exists(err) ? Files.readString(err) : "");
                throw failure(role, destination, why.isEmpty() ? "the remote shell could not make a run directory "
                        + "in /tmp (output: " + String.join(" ", out) + ")" : why);
            }
            List<String> swept = out.stream().filter(l -> l.startsWith("swept ")).map(l -> l.substring(6)).toList();
            return new SshHost(role, destination, config, controlDir, record, master, last.substring(4), swept);
        } catch (IOException e) {
            end(master, controlDir, record);
            throw failure(role, destination, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end(master, controlDir, record);
            throw failure(role, destination, "interrupted");
        } catch (RuntimeException e) {
            end(master, controlDir, record);
            throw e;
        }
    }

    private static List<String> readUntilDir(Process master) {
        List<String> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8));
        try {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(line);
                if (line.startsWith("dir ")) {
                    break;
                }
            }
        } catch (IOException e) {
            out.add("unreadable: " + e.getMessage());
        }
        return out;
    }

    /** ssh's own words: its stderr on one line, without the notices that are no failure. */
    static String sshMessage(String stderr) {
        return String.join(" ", stderr.lines().map(String::strip).filter(l -> !l.isEmpty())
                .filter(l -> !l.startsWith("Warning: Permanently added")).toList());
    }

    private static IllegalStateException failure(String role, SshDestination destination, String why) {
        return new IllegalStateException(role + " " + destination + ": ssh failed: " + why);
    }

    private static List<String> base(SshDestination destination, Optional<Path> config, Path controlDir) {
        List<String> cmd = new ArrayList<>(List.of("ssh"));
        config.ifPresent(c -> cmd.addAll(List.of("-F", c.toString())));
        cmd.addAll(List.of("-o", "BatchMode=yes", "-o", controlPathOption(controlDir.resolve("cm"))));
        destination.port().ifPresent(p -> cmd.addAll(List.of("-p", String.valueOf(p))));
        destination.user().ifPresent(u -> cmd.addAll(List.of("-l", u)));
        return cmd;
    }

    /**
     * {@code ControlPath="…"}: ssh reads an {@code -o} value as a line of its config, split at whitespace, with
     * {@code %} tokens expanded ({@code %h}, {@code %p}), so the path goes as one quoted word, its {@code \} and
     * {@code "} escaped and its {@code %} doubled: a {@code java.io.tmpdir} with a space or a {@code %} stays one path.
     */
    static String controlPathOption(Path socket) {
        String quoted = socket.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%");
        return "ControlPath=\"" + quoted + "\"";
    }

    /**
     * Where the control socket's directory goes: {@code tmpdir}, or {@code /tmp} when a socket there could pass
     * the 108 bytes of a Unix socket address (ssh binds {@code cm} with 17 more characters, then renames it).
     */
    static Path controlParent(String tmpdir) {
        // the private directory's name ends in Files.createTempDirectory's random number
        String longest = tmpdir + "/copybench-" + Long.MAX_VALUE + "-ssh" + Integer.MAX_VALUE + "-" + Long.MAX_VALUE
                + "/cm.0123456789abcdef";
        return longest.getBytes(StandardCharsets.UTF_8).length < 108 ? Path.of(tmpdir) : Path.of("/tmp");
    }

    private static List<String> target(SshDestination destination, String script) {
        return List.of("--", destination.host(), script);
    }

    /** The ssh command that runs this script on the host over the master connection. */
    public List<String> command(String script) {
        List<String> cmd = base(destination, config, controlDir);
        cmd.addAll(List.of("-o", "ControlMaster=no"));
        cmd.addAll(target(destination, script));
        return cmd;
    }

    /** Runs a short script on the host; its result, as {@link Commands} gives it. */
    public Commands.Result run(String script, Duration timeout) {
        return Commands.run(command(script), timeout);
    }

    /** Runs a script that must succeed; else one line naming the host and what failed. */
    public String runOrThrow(String script, Duration timeout, String what) {
        Commands.Result r = run(script, timeout);
        if (!r.ok()) {
            throw failure(role, destination, what + " failed (exit " + r.exitCode() + "): " + sshMessage(r.stderr()));
        }
        return r.stdout();
    }

    /**
     * Copies a local file to {@code remotePath} through the master, and checks its SHA-256 there
     * with {@code sha256sum}: what runs remotely is exactly the local file, or nothing.
     */
    public void upload(Path local, String remotePath, String sha256) {
        String part = remotePath + ".part";
        String script = "cat > " + quote(part) + " && chmod 700 " + quote(part) + " && sha256sum " + quote(part);
        List<String> cmd = command(script);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(local.toFile()).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            // read on another thread, so the bound below holds even when the remote side never closes stdout
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw failure(role, destination, "uploading the engine took more than 120 s");
            }
            String out = stdout.join();
            String remoteHash = out.strip().split("\\s+")[0];
            if (p.exitValue() != 0 || !remoteHash.equals(sha256)) {
                throw failure(role, destination, "the uploaded engine's SHA-256 is '" + remoteHash + "', not " + sha256
                        + " (" + sshMessage(err.join()) + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(role, destination, "interrupted while uploading the engine");
        }
        runOrThrow("mv " + quote(part) + " " + quote(remotePath), Duration.ofSeconds(30), "placing the engine");
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** One word for the remote shell: as is when it is plainly safe, else in single quotes. */
    public static String quote(String word) {
        return SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /** The remote shell line running these words. */
    public static String quote(List<String> words) {
        return String.join(" ", words.stream().map(SshHost::quote).toList());
    }

    /** This run's private directory on the host. */
    public String runDir() {
        return runDir;
    }

    /** Run directories of dead runs this connection removed. */
    public List<String> swept() {
        return swept;
    }

    public SshDestination destination() {
        return destination;
    }

    /** The setting that named this host. */
    public String role() {
        return role;
    }

    public String describe() {
        return destination.toString();
    }

    /** Whether the master connection is still up. */
    public boolean connected() {
        return master.isAlive();
    }

    /**
     * Removes the run directory, then closes the master ({@code ssh -O exit}); the master process is
     * ended by PID if it lingers. Idempotent, never throws.
     */
    @Override
    public synchronized void close() {
        if (master.isAlive()) {
            run("rm -rf " + quote(runDir), Duration.ofSeconds(15));
            List<String> exit = base(destination, config, controlDir);
            exit.addAll(List.of("-O", "exit", destination.host()));
            Commands.run(exit, Duration.ofSeconds(10));
        }
        end(master, controlDir, record);
    }

    private static void end(Process master, Path controlDir, RunRecord record) {
        if (master != null) {
            try {
                master.getOutputStream().close();   // the sentinel's cue, should the master still run
                if (!master.waitFor(5, TimeUnit.SECONDS)) {
                    master.descendants().forEach(ProcessHandle::destroyForcibly);
                    master.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                master.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                master.destroyForcibly();
            }
        }
        if (LeftoverSweeper.deleteTree(controlDir)) {
            record.removed(RunRecord.Kind.DIR, controlDir.toString());
        }
    }
}
