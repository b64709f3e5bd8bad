package dev.copybench.host;

import java.util.List;

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

    @Override
    public String describe() {
        return "loopback 127.0.0.1 (fallback: network namespaces could not be created)";
    }

    @Override
    public void close() {
    }
}
