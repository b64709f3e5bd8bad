package dev.copybench.internal.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Both processes in the current namespace, over 127.0.0.1: the fallback when namespaces are not allowed. */
final class LoopbackTopology implements Topology {

    @Override
    public Kind kind() {
        return Kind.LOOPBACK;
    }

    @Override
    public String serverAddress() {
        return "127.0.0.1";
    }

    @Override
    public List<String> onServerSide(List<String> command) {
        return command;
    }

    @Override
    public List<String> onClientSide(List<String> command) {
        return command;
    }

    /** Read from the host's /proc/sys (read only: copybench never writes a host sysctl). */
    @Override
    public Map<String, String> networkSettings() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : Topologies.REPORTED_SYSCTLS) {
            Path file = Path.of("/proc/sys", key.split("\\."));
            try {
                out.put(key, Files.readString(file).strip().replaceAll("\\s+", " "));
            } catch (IOException e) {
                out.put(key, "unreadable: " + e.getMessage());
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return "loopback 127.0.0.1 (fallback: network namespaces could not be created)";
    }

    @Override
    public void close() {
    }
}
