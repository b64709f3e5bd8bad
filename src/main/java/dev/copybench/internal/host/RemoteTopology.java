package dev.copybench.internal.host;

import dev.copybench.internal.Settings;
import dev.copybench.internal.plan.MemoryBudget;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Two machines: the server and/or the client on remote hosts reached over SSH
 * ({@code copybench.server.host}, {@code copybench.client.host}), the data path over
 * {@code copybench.server.address} (default: the server host's address). A side without a host
 * runs locally, in this JVM's own network namespace: the one that reaches the remote host (a
 * namespace pair of its own would have no route to it).
 *
 * <p>Address safety: the engines get exactly the configured data address ({@code --allow-address}),
 * and nothing else outside the built-in ranges.
 */
public final class RemoteTopology implements Topology {

    private final Optional<RemoteHost> server;
    private final Optional<RemoteHost> client;
    private final String address;
    private final Map<String, String> networkSettings;
    private final double memoryShare;

    private RemoteTopology(Optional<RemoteHost> server, Optional<RemoteHost> client, String address,
                           Map<String, String> networkSettings, double memoryShare) {
        this.server = server;
        this.client = client;
        this.address = address;
        this.networkSettings = networkSettings;
        this.memoryShare = memoryShare;
    }

    /** Whether these settings ask for a remote side at all. */
    public static boolean requested(Settings settings) {
        return settings.get(Settings.SERVER_HOST).isPresent() || settings.get(Settings.CLIENT_HOST).isPresent();
    }

    /**
     * The two-machine settings' own mistakes, before anything starts: a destination ssh could misread,
     * a data address the engine cannot take, a missing ssh_config, a remote client without the address
     * of this host. One line naming the setting, the value and the fix.
     */
    public static void checkSettings(Function<String, Optional<String>> settings) {
        settings.apply(Settings.SERVER_HOST).ifPresent(v -> SshDestination.parse(Settings.SERVER_HOST, v));
        settings.apply(Settings.CLIENT_HOST).ifPresent(v -> SshDestination.parse(Settings.CLIENT_HOST, v));
        settings.apply(Settings.SERVER_ADDRESS).ifPresent(RemoteTopology::checkIpv4);
        settings.apply(Settings.SSH_CONFIG).filter(c -> !Files.isRegularFile(Path.of(c))).ifPresent(c -> {
            throw new IllegalArgumentException(Settings.SSH_CONFIG + " = '" + c + "': no such file (an ssh_config for ssh -F)");
        });
        if (settings.apply(Settings.CLIENT_HOST).isPresent() && settings.apply(Settings.SERVER_HOST).isEmpty()
                && settings.apply(Settings.SERVER_ADDRESS).isEmpty()) {
            throw new IllegalArgumentException(Settings.SERVER_ADDRESS + " is needed when only " + Settings.CLIENT_HOST
                    + " is set: the address of this host the remote client connects to");
        }
    }

    /**
     * Connects to, probes and prepares every remote host these settings name. On a failure, what was
     * opened is closed again and the exception names the setting, the host and ssh's own words.
     */
    public static RemoteTopology connect(Settings settings, NativeEngine engine, RunRecord record, List<String> events) {
        checkSettings(settings::get);
        Optional<Path> config = settings.get(Settings.SSH_CONFIG).map(Path::of).map(Path::toAbsolutePath);
        Optional<SshDestination> serverAt = settings.get(Settings.SERVER_HOST).map(v -> SshDestination.parse(Settings.SERVER_HOST, v));
        Optional<SshDestination> clientAt = settings.get(Settings.CLIENT_HOST).map(v -> SshDestination.parse(Settings.CLIENT_HOST, v));
        String address = settings.get(Settings.SERVER_ADDRESS).map(String::strip)
                .orElseGet(() -> serverAddressOf(serverAt, config));
        List<RemoteHost> opened = new ArrayList<>();
        try {
            Optional<RemoteHost> server = serverAt.map(d -> open(d, Settings.SERVER_HOST, settings, config, engine, record, events, address, opened));
            Optional<RemoteHost> client = clientAt.map(d -> open(d, Settings.CLIENT_HOST, settings, config, engine, record, events, address, opened));
            Map<String, String> net = new LinkedHashMap<>();
            if (server.isPresent()) {
                StringBuilder script = new StringBuilder();
                for (String key : Topologies.REPORTED_SYSCTLS) {
                    script.append("echo \"").append(key).append("=$(tr -s '\\t ' ' ' < /proc/sys/")
                            .append(key.replace('.', '/')).append(" 2>&1)\"\n");
                }
                for (String line : server.get().ssh().runOrThrow(script.toString(), Duration.ofSeconds(30), "reading sysctls").lines().toList()) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        net.put(line.substring(0, eq), line.substring(eq + 1).strip());
                    }
                }
            } else {
                net.putAll(new LoopbackTopology().networkSettings());
            }
            return new RemoteTopology(server, client, address, net,
                    MemoryBudget.share(settings.get(Settings.MEMORY_SHARE)));
        } catch (RuntimeException e) {
            opened.forEach(RemoteHost::close);
            throw e;
        }
    }

    private static RemoteHost open(SshDestination d, String role, Settings settings, Optional<Path> config, NativeEngine engine,
                                   RunRecord record, List<String> events, String address, List<RemoteHost> opened) {
        SshHost ssh = SshHost.open(d, config, role, record);
        if (!ssh.swept().isEmpty()) {
            System.out.println("[copybench] removed run directories of dead runs on " + d + ": " + ssh.swept());
        }
        RemoteHost host = RemoteHost.open(ssh, engine, events, address);
        opened.add(host);
        return host;
    }

    /** The server host's address as ssh resolves it ({@code ssh -G}: HostName of the config), as IPv4. */
    private static String serverAddressOf(Optional<SshDestination> server, Optional<Path> config) {
        // checkSettings made sure: without copybench.server.address there is a server host
        List<String> cmd = new ArrayList<>(List.of("ssh", "-G"));
        config.ifPresent(c -> cmd.addAll(List.of("-F", c.toString())));
        cmd.addAll(List.of("--", server.get().host()));
        Commands.Result r = Commands.run(cmd, Duration.ofSeconds(10));
        String name = r.stdout().lines().filter(l -> l.startsWith("hostname ")).map(l -> l.substring(9).strip())
                .findFirst().orElse(server.get().host());
        try {
            return InetAddress.getByName(name).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(Settings.SERVER_HOST + " " + server.get() + ": its address '" + name
                    + "' does not resolve; set " + Settings.SERVER_ADDRESS + " to the data-path IPv4 address");
        }
    }

    private static void checkIpv4(String address) {
        if (!address.matches("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}")) {
            throw new IllegalArgumentException(Settings.SERVER_ADDRESS + " = '" + address
                    + "': the engine takes an IPv4 address (the server binds it, the client connects to it)");
        }
    }

    /**
     * The cap an engine on that host checks its planned allocation against ({@code --max-memory}):
     * the memory share of the host's own MemAvailable, as probed; empty when it could not be read.
     */
    public Optional<Long> engineMemoryCap(RemoteHost host) {
        return host.memAvailable() > 0 ? Optional.of(MemoryBudget.engineCap(host.memAvailable(), memoryShare)) : Optional.empty();
    }

    /** The remote server host, if the server is remote. */
    public Optional<RemoteHost> server() {
        return server;
    }

    /** The remote client host, if the client is remote. */
    public Optional<RemoteHost> client() {
        return client;
    }

    /**
     * What the hosts of this topology can measure, as one view: the send paths and SO_ZEROCOPY of
     * the server's host; an event counted only where every side counts it (else why not, naming the
     * host); perf only when every side has it.
     */
    public HostCapabilities capabilities(HostCapabilities local) {
        HostCapabilities serverSide = server.map(RemoteHost::capabilities).orElse(local);
        HostCapabilities clientSide = client.map(RemoteHost::capabilities).orElse(local);
        Map<String, String> events = merge(serverSide.eventStatus(), clientSide.eventStatus());
        Optional<String> perf = clientSide.perfAvailable() ? serverSide.perfVersion() : Optional.empty();
        return new HostCapabilities(perf, events, serverSide.soZeroCopy(), false, serverSide.kernel(),
                serverSide.cpuModel(), serverSide.cores(), serverSide.modeStatus());
    }

    /** The merged status of more events, probed on every side. */
    public Map<String, String> probe(List<String> events, Map<String, String> local) {
        Map<String, String> s = server.map(h -> h.probe(events)).orElse(local);
        Map<String, String> c = client.map(h -> h.probe(events)).orElse(local);
        return merge(s, c);
    }

    private Map<String, String> merge(Map<String, String> serverSide, Map<String, String> clientSide) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : serverSide.entrySet()) {
            String s = e.getValue();
            String c = clientSide.getOrDefault(e.getKey(), "not probed on the client's host");
            String where;
            if (s.equals(c)) {
                where = s;
            } else if (!accepted(s)) {
                where = s + " (server host " + server.map(h -> h.ssh().describe()).orElse("local") + ")";
            } else if (!accepted(c)) {
                where = c + " (client host " + client.map(h -> h.ssh().describe()).orElse("local") + ")";
            } else {
                where = "<not supported>";   // counted on one side only: perf takes it, the other side reports it absent
            }
            out.put(e.getKey(), where);
        }
        return out;
    }

    private static boolean accepted(String status) {
        return status.equals(HostCapabilities.COUNTED) || status.equals("<not supported>");
    }

    @Override
    public Kind kind() {
        return Kind.REMOTE;
    }

    @Override
    public String serverAddress() {
        return address;
    }

    /** A local side runs in this JVM's network namespace, as is. */
    @Override
    public List<String> onServerSide(List<String> command) {
        if (server.isPresent()) {
            throw new IllegalStateException("the server runs on " + server.get().ssh().describe() + ", not here");
        }
        return command;
    }

    @Override
    public List<String> onClientSide(List<String> command) {
        if (client.isPresent()) {
            throw new IllegalStateException("the client runs on " + client.get().ssh().describe() + ", not here");
        }
        return command;
    }

    @Override
    public Map<String, String> networkSettings() {
        return networkSettings;
    }

    /** Per host: kernel, CPU, perf, countable events, data interface and driver. */
    @Override
    public Map<String, String> hostFacts() {
        Map<String, String> out = new LinkedHashMap<>();
        server.ifPresent(h -> h.facts().forEach((k, v) -> out.put("server host (" + h.ssh().describe() + ") " + k, v)));
        client.ifPresent(h -> h.facts().forEach((k, v) -> out.put("client host (" + h.ssh().describe() + ") " + k, v)));
        return out;
    }

    @Override
    public String describe() {
        return "remote: server " + server.map(h -> "on " + h.ssh().describe()).orElse("local")
                + ", client " + client.map(h -> "on " + h.ssh().describe()).orElse("local (this JVM's network namespace)")
                + ", data path " + address;
    }

    @Override
    public void close() {
        server.ifPresent(RemoteHost::close);
        client.ifPresent(RemoteHost::close);
    }
}
