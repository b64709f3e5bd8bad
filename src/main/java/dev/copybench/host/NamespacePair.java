package dev.copybench.host;

import java.util.ArrayList;
import java.util.List;
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
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9-]{1,64}");

    private final String serverNs;
    private final String clientNs;
    private final String serverIf;
    private final String clientIf;
    private final List<String> created = new ArrayList<>();

    private NamespacePair(long ownerPid, int n) {
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

    /** Creates the pair, or removes what it had created and throws. */
    static NamespacePair create(long ownerPid, int n) {
        NamespacePair pair = new NamespacePair(ownerPid, n);
        try {
            pair.setUp();
            return pair;
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    private void setUp() {
        ip("netns", "add", serverNs);
        created.add(serverNs);
        ip("netns", "add", clientNs);
        created.add(clientNs);
        ip("link", "add", serverIf, "netns", serverNs, "type", "veth", "peer", "name", clientIf, "netns", clientNs);
        ip("-n", serverNs, "addr", "add", SERVER_ADDRESS + "/30", "dev", serverIf);
        ip("-n", clientNs, "addr", "add", CLIENT_ADDRESS + "/30", "dev", clientIf);
        for (String[] nsIf : new String[][] {{serverNs, serverIf}, {clientNs, clientIf}}) {
            ip("-n", nsIf[0], "link", "set", "lo", "up");
            ip("-n", nsIf[0], "link", "set", nsIf[1], "up");
        }
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
        return "netns " + serverNs + " (" + SERVER_ADDRESS + "/30) <-veth-> " + clientNs + " (" + CLIENT_ADDRESS + "/30)";
    }

    @Override
    public void close() {
        // deleting a namespace deletes the veth end inside it, and with it the peer
        for (int i = created.size() - 1; i >= 0; i--) {
            Commands.run(List.of("ip", "netns", "del", created.get(i)));
        }
        created.clear();
    }
}
