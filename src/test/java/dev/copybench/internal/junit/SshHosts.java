package dev.copybench.internal.junit;

import dev.copybench.internal.host.Commands;
import dev.copybench.internal.host.LeftoverSweeper;
import dev.copybench.internal.host.NativeEngine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Two "hosts" on this machine for the two-machine tests: each a network namespace running a real
 * OpenSSH server, in its own mount namespace with a private {@code /tmp} and {@code /run}, and with
 * this project's directory, the engine's directory and the engine cache hidden under empty tmpfs, so
 * an engine that was not uploaded cannot run there. The hosts share a data veth
 * (198.18.251.1 ⇄ 198.18.251.2); this JVM reaches them over management veths (198.18.250.2 and
 * 198.18.250.6). Keys, known_hosts and an ssh_config are generated into a private temp directory.
 *
 * <p>ssh_config aliases: {@code hostA}, {@code hostB}, and three that fail, one way each:
 * {@code wrongHost} (no sshd on that port), {@code refusedKey} (a key the hosts do not authorize),
 * {@code unknownHostKey} (an empty known_hosts).
 *
 * <p>Everything is recorded and removed by {@link #close()}: sshd processes by PID, namespaces (with
 * their veths), the directory.
 */
final class SshHosts implements AutoCloseable {

    static final String A_MGMT = "198.18.250.2";
    static final String B_MGMT = "198.18.250.6";
    static final String A_DATA = "198.18.251.1";
    static final String B_DATA = "198.18.251.2";
    /** This JVM's end of host B's management veth: where B reaches a server that runs here. */
    static final String HERE_FOR_B = "198.18.250.5";

    private final long pid = ProcessHandle.current().pid();
    private final String nsA = "copybench-it-" + pid + "-a";
    private final String nsB = "copybench-it-" + pid + "-b";
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final List<Process> sshds = new ArrayList<>();
    private final Path dir;

    private SshHosts(Path dir) {
        this.dir = dir;
    }

    /** Whether this machine can host them: root, sshd and ssh installed. */
    static boolean possible() {
        return Commands.run(List.of("id", "-u")).stdout().strip().equals("0") && Files.isExecutable(Path.of("/usr/sbin/sshd"))
                && Commands.run(List.of("ssh", "-V")).ok();
    }

    static SshHosts start() throws IOException {
        Path dir = Files.createTempDirectory("copybench-it-ssh-");
        SshHosts hosts = new SshHosts(dir);
        try {
            hosts.keys();
            hosts.network();
            hosts.sshd("a", hosts.nsA, A_MGMT);
            hosts.sshd("b", hosts.nsB, B_MGMT);
            return hosts;
        } catch (IOException | RuntimeException e) {
            hosts.close();
            throw e;
        }
    }

    private void keys() throws IOException {
        for (String key : List.of("user_key", "other_key", "host_a_key", "host_b_key")) {
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "copybench-it", "-f", dir.resolve(key).toString());
        }
        Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
        Files.writeString(dir.resolve("known_hosts"), A_MGMT + " " + Files.readString(dir.resolve("host_a_key.pub"))
                + B_MGMT + " " + Files.readString(dir.resolve("host_b_key.pub")));
        Files.writeString(dir.resolve("empty_known_hosts"), "");
        String common = "  User root\n  IdentitiesOnly yes\n  StrictHostKeyChecking yes\n  GlobalKnownHostsFile /dev/null\n"
                + "  ConnectTimeout 5\n";
        Files.writeString(dir.resolve("ssh_config"), String.join("\n",
                host("hostA", A_MGMT, 22, "user_key", "known_hosts"),
                host("hostB", B_MGMT, 22, "user_key", "known_hosts"),
                host("wrongHost", A_MGMT, 2222, "user_key", "known_hosts"),
                host("refusedKey", A_MGMT, 22, "other_key", "known_hosts"),
                host("unknownHostKey", A_MGMT, 22, "user_key", "empty_known_hosts"),
                "Host *\n" + common));
    }

    private String host(String alias, String address, int port, String key, String knownHosts) {
        return "Host " + alias + "\n  HostName " + address + "\n  Port " + port + "\n  IdentityFile " + dir.resolve(key)
                + "\n  UserKnownHostsFile " + dir.resolve(knownHosts) + "\n";
    }

    private void network() {
        for (String ns : List.of(nsA, nsB)) {
            namespaces.add(ns);
            run("ip", "netns", "add", ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        management(nsA, "cbm" + pid + "a", "198.18.250.1/30", A_MGMT + "/30");
        management(nsB, "cbm" + pid + "b", HERE_FOR_B + "/30", B_MGMT + "/30");
        run("ip", "-n", nsA, "link", "add", "data", "type", "veth", "peer", "name", "data", "netns", nsB);
        run("ip", "-n", nsA, "addr", "add", A_DATA + "/30", "dev", "data");
        run("ip", "-n", nsB, "addr", "add", B_DATA + "/30", "dev", "data");
        run("ip", "-n", nsA, "link", "set", "data", "up");
        run("ip", "-n", nsB, "link", "set", "data", "up");
    }

    /** A veth with one end here (where this JVM runs) and one in the host's namespace. */
    private void management(String ns, String here, String hereAddress, String thereAddress) {
        run("ip", "link", "add", here, "type", "veth", "peer", "name", "mgmt", "netns", ns);
        run("ip", "addr", "add", hereAddress, "dev", here);
        run("ip", "link", "set", here, "up");
        run("ip", "-n", ns, "addr", "add", thereAddress, "dev", "mgmt");
        run("ip", "-n", ns, "link", "set", "mgmt", "up");
    }

    /** Directories the hosts must not see: where this JVM's engine and its sources live. */
    private static List<String> hidden() {
        Set<String> out = new LinkedHashSet<>();
        out.add(Path.of(System.getProperty("user.dir")).toAbsolutePath().toString());
        out.add(NativeEngine.local().directory().toString());
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "copybench");
        if (Files.isDirectory(cache)) {
            out.add(cache.toString());
        }
        System.getProperty("copybench.cache.dir", "").lines().filter(s -> !s.isBlank() && Files.isDirectory(Path.of(s)))
                .forEach(out::add);
        // one tmpfs over the outermost: a directory inside an already hidden one has no mount point left; the
        // hosts' /tmp is a tmpfs of their own, which hides the runs' engine copies there already
        return out.stream().filter(d -> !Path.of(d).startsWith("/tmp"))
                .filter(d -> out.stream().noneMatch(o -> !o.equals(d) && Path.of(d).startsWith(Path.of(o)))).toList();
    }

    private void sshd(String name, String ns, String address) throws IOException {
        Files.writeString(dir.resolve("sshd_" + name + ".conf"), String.join("\n",
                "Port 22", "ListenAddress " + address, "HostKey /run/fixture/host_" + name + "_key", "PidFile none",
                "AuthorizedKeysFile /run/fixture/authorized_keys", "PermitRootLogin prohibit-password",
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
                "LogLevel ERROR", ""));
        StringBuilder script = new StringBuilder(String.join("\n",
                "set -e",
                "mount --make-rprivate /",
                // the fixture first, while /tmp still shows it; then a private /run (sshd's privsep dir) and /tmp
                "mount -t tmpfs -o mode=755 tmpfs /run",
                "mkdir -m 755 /run/sshd /run/fixture",
                "mount --bind \"$1\" /run/fixture",
                "mount -t tmpfs -o mode=1777 tmpfs /tmp",
                ""));
        for (String hide : hidden()) {
            script.append("mount -t tmpfs -o mode=755 tmpfs ").append(quote(hide)).append('\n');
        }
        script.append("exec /usr/sbin/sshd -D -e -f /run/fixture/sshd_").append(name).append(".conf\n");
        // ip netns exec and unshare exec, and sh execs sshd: the PID started here is sshd's
        Process sshd = new ProcessBuilder("ip", "netns", "exec", ns, "unshare", "-m", "sh", "-c", script.toString(), "sh",
                dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("sshd_" + name + ".log").toFile()).start();
        sshds.add(sshd);
        try {
            await("sshd on " + address).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !sshd.isAlive() || listening(address));
        } catch (RuntimeException e) {
            throw new IllegalStateException("sshd on " + address + " did not listen: " + Files.readString(dir.resolve("sshd_" + name + ".log")), e);
        }
        if (!sshd.isAlive()) {
            throw new IllegalStateException("sshd on " + address + " exited: " + Files.readString(dir.resolve("sshd_" + name + ".log")));
        }
    }

    private static boolean listening(String address) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, 22), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void run(String... command) {
        Commands.run(List.of(command)).orThrow();
    }

    /** The ssh_config for {@code copybench.ssh.config}. */
    Path sshConfig() {
        return dir.resolve("ssh_config");
    }

    /** The sshd of host "a" or "b": every process of that host's sessions descends from it. */
    ProcessHandle sshd(String name) {
        return sshds.get(name.equals("a") ? 0 : 1).toHandle();
    }

    /** A command on a host, through its mount and network namespaces (no SSH): what is there. */
    Commands.Result onHost(String name, String... command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(sshd(name).pid()), "-m", "-n", "--"));
        cmd.addAll(List.of(command));
        return Commands.run(cmd, Duration.ofSeconds(20));
    }

    /** Processes of the host's SSH sessions (engines, perf, shells) now alive. */
    List<ProcessHandle> sessionProcesses(String name) {
        return sshd(name).descendants().filter(ProcessHandle::isAlive).toList();
    }

    /** Run directories now in the host's private /tmp. */
    List<String> runDirectories(String name) {
        return onHost(name, "sh", "-c", "ls -d /tmp/copybench-run-* 2>/dev/null || true").stdout().lines().toList();
    }

    @Override
    public void close() {
        for (Process sshd : sshds) {
            sshd.descendants().forEach(ProcessHandle::destroyForcibly);
            sshd.destroyForcibly();
            try {
                sshd.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : namespaces) {
            Commands.run(List.of("ip", "netns", "del", ns));   // its veths go with it, also their ends here
        }
        LeftoverSweeper.deleteTree(dir);
    }
}
