package dev.copybench.internal.host;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Two network namespaces {@code copybench-<ownerPid>-<n>-s} and {@code -c} joined by a veth pair
 * created directly inside them (so nothing is ever left in the host namespace), with
 * 198.18.0.1/30 on the server side and 198.18.0.2/30 on the client side.
 */
final class NamespacePair implements Topology {

    static final String SERVER_ADDRESS = "198.18.0.1";
    static final String CLIENT_ADDRESS = "198.18.0.2";
    /** udp-sink's destination: inside 198.18.0.0/15, routed via the client's namespace into a blackhole. */
    static final String SINK_PREFIX = "198.19.255.0/24";
    static final String SINK_ADDRESS = "198.19.255.1";
    /** veth's largest MTU: a 63 KiB datagram then crosses unfragmented, and zero-copy is not copied for it. */
    private static final String SINK_MTU = "65535";
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9-]{1,64}");
    /** How many names a pair tries before it gives up: each taken one was made by someone else. */
    static final int NAME_ATTEMPTS = 8;

    private final String serverNs;
    private final String clientNs;
    private final String serverIf;
    private final String clientIf;
    private final RunRecord record;
    private final boolean sink;
    private final List<String> created = new ArrayList<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();

    private NamespacePair(long ownerPid, int n, RunRecord record, boolean sink) {
        this.record = record;
        this.sink = sink;
        serverNs = "copybench-" + ownerPid + "-" + n + "-s";
        clientNs = "copybench-" + ownerPid + "-" + n + "-c";
        serverIf = "cb" + ownerPid + "s" + n;   // interface names are at most 15 characters
        clientIf = "cb" + ownerPid + "c" + n;
        for (String name : List.of(serverNs, clientNs, serverIf, clientIf)) {
            if (!SAFE_NAME.matcher(name).matches() || (name.startsWith("cb") && name.length() > 15)) {
                throw new IllegalArgumentException("unsafe namespace or interface name: " + name);
            }
        }
    }

    /**
     * Creates the pair and sets the sysctls inside both namespaces, or removes what it had created and
     * throws. With {@code sink}, the client's namespace also forwards {@value #SINK_PREFIX} into a
     * blackhole route and the veth carries 64 KiB frames: udp-sink's path.
     *
     * <p>A name someone else already holds is left alone and the pair takes the next {@code n} from
     * {@code next}, up to {@value #NAME_ATTEMPTS} times: a taken name is never a reason to delete, nor to fall
     * back to loopback.
     */
    static NamespacePair create(long ownerPid, IntSupplier next, Map<String, String> sysctls, RunRecord record,
                                boolean sink) {
        List<String> taken = new ArrayList<>();
        for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
            NamespacePair pair = new NamespacePair(ownerPid, next.getAsInt(), record, sink);
            try {
                pair.setUp();
                sysctls.forEach(pair::setSysctl);
                if (sink) {
                    pair.setUpSink();
                }
                return pair;
            } catch (NameTakenException e) {
                pair.close();   // only what this pair made: the taken name is someone else's
                taken.add(e.name);
            } catch (RuntimeException e) {
                pair.close();
                throw e;
            }
        }
        throw new IllegalStateException("network namespace names " + taken + " are all taken by namespaces this run did "
                + "not make; they were left alone");
    }

    /** ip netns add failed because the name exists: someone else's namespace (ours are never reused). */
    static final class NameTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String name;

        NameTakenException(String name) {
            super("network namespace " + name + " already exists");
            this.name = name;
        }
    }

    private void setUp() {
        for (String ns : List.of(serverNs, clientNs)) {
            Commands.Result add = Commands.run(List.of("ip", "netns", "add", ns));
            if (!add.ok()) {
                // ip netns add opens /run/netns/<name> with O_EXCL: when it exists now, the name was taken
                if (Files.exists(RunRecord.NETNS_DIR.resolve(ns), LinkOption.NOFOLLOW_LINKS)) {
                    throw new NameTakenException(ns);
                }
                add.orThrow();
            }
            // ours from here on: close() deletes it even if writing it down fails. Written down only now that it
            // exists (see RunRecord on the crash window in between)
            created.add(ns);
            record.createdNamespace(ns);
        }
        ip("link", "add", serverIf, "netns", serverNs, "type", "veth", "peer", "name", clientIf, "netns", clientNs);
        ip("-n", serverNs, "addr", "add", SERVER_ADDRESS + "/30", "dev", serverIf);
        ip("-n", clientNs, "addr", "add", CLIENT_ADDRESS + "/30", "dev", clientIf);
        for (String[] nsIf : new String[][] {{serverNs, serverIf}, {clientNs, clientIf}}) {
            ip("-n", nsIf[0], "link", "set", "lo", "up");
            ip("-n", nsIf[0], "link", "set", nsIf[1], "up");
        }
    }

    private void setUpSink() {
        ip("-n", serverNs, "link", "set", serverIf, "mtu", SINK_MTU);
        ip("-n", clientNs, "link", "set", clientIf, "mtu", SINK_MTU);
        if (!sysctls.containsKey("net.ipv4.ip_forward")) {
            writeSysctl("net.ipv4.ip_forward", "1");   // part of the sink, not a user's tuning
        }
        ip("-n", clientNs, "route", "add", "blackhole", SINK_PREFIX);
        ip("-n", serverNs, "route", "add", SINK_PREFIX, "via", CLIENT_ADDRESS);
    }

    @Override
    public java.util.Optional<String> sinkAddress() {
        return sink ? java.util.Optional.of(SINK_ADDRESS) : java.util.Optional.empty();
    }

    /**
     * Writes a sysctl inside both namespaces and reads it back: {@code sysctl -w} exits 0 even where the
     * kernel keeps the key host-wide and read-only inside a namespace, and a setting that did not take
     * must not be reported as applied.
     */
    private void setSysctl(String key, String value) {
        writeSysctl(key, value);
        sysctls.put(key, value);
    }

    private void writeSysctl(String key, String value) {
        for (String ns : List.of(serverNs, clientNs)) {
            // `ip netns exec` runs sysctl inside the namespace: the host's value is never touched
            Commands.run(List.of("ip", "netns", "exec", ns, "sysctl", "-q", "-w", key + "=" + value)).orThrow();
            String actual = readSysctl(ns, key);
            if (!actual.equals(value)) {
                throw new IllegalStateException("namespaceSysctls: " + key + "=" + value + " did not take inside the test "
                        + "namespace " + ns + ": it reads " + actual + " (the kernel keeps this key host-wide or refused the "
                        + "value; copybench never changes the host's settings)");
            }
        }
    }

    /** A sysctl's value as the server's namespace sees it, or why it cannot be read. */
    String readSysctl(String key) {
        return readSysctl(serverNs, key);
    }

    private static String readSysctl(String ns, String key) {
        Commands.Result r = Commands.run(List.of("ip", "netns", "exec", ns, "sysctl", "-n", key));
        return r.ok() ? r.stdout().strip().replaceAll("\\s+", " ") : "unreadable: " + r.stderr().strip();
    }

    @Override
    public Map<String, String> networkSettings() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : Topologies.REPORTED_SYSCTLS) {
            out.put(key, readSysctl(key));
        }
        return out;
    }

    @Override
    public Map<String, String> sysctls() {
        return Map.copyOf(sysctls);
    }

    private static void ip(String... args) {
        Commands.run(Stream.concat(Stream.of("ip"), Stream.of(args)).toList()).orThrow();
    }

    @Override
    public Kind kind() {
        return Kind.NAMESPACES;
    }

    @Override
    public String serverAddress() {
        return SERVER_ADDRESS;
    }

    @Override
    public List<String> onServerSide(List<String> command) {
        return inNamespace(serverNs, command);
    }

    @Override
    public List<String> onClientSide(List<String> command) {
        return inNamespace(clientNs, command);
    }

    private static List<String> inNamespace(String ns, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(command);
        return cmd;
    }

    List<String> namespaces() {
        return List.of(serverNs, clientNs);
    }

    @Override
    public String describe() {
        return "netns " + serverNs + " (" + SERVER_ADDRESS + "/30) <-veth-> " + clientNs + " (" + CLIENT_ADDRESS + "/30)"
                + (sink ? ", udp-sink " + SINK_PREFIX + " forwarded into a blackhole (MTU " + SINK_MTU + ")" : "")
                + (sysctls.isEmpty() ? "" : " with " + sysctls);
    }

    @Override
    public void close() {
        // deleting a namespace deletes the veth end inside it, and with it the peer
        for (int i = created.size() - 1; i >= 0; i--) {
            String ns = created.get(i);
            Commands.Result del = Commands.run(List.of("ip", "netns", "del", ns));
            if (del.ok() || !Commands.run(List.of("ip", "netns", "list")).stdout().contains(ns)) {
                record.removed(RunRecord.Kind.NETNS, ns);
            }
        }
        created.clear();
    }
}
