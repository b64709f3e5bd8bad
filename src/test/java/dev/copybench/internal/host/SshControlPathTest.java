package dev.copybench.internal.host;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ssh reads {@code -o ControlPath=…} as a config line: whitespace splits it and {@code %} expands. The real ssh
 * client resolves the option ({@code ssh -G}, nothing is connected) to exactly the socket path asked for.
 */
class SshControlPathTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/tmp/plain/cm", "/tmp/with a space/cm", "/tmp/tab\there/cm", "/tmp/per%hcent/cm",
            "/tmp/quote\"d/cm", "/tmp/back\\slash/cm", "/tmp/it's/cm"})
    void sshResolvesTheOptionToThePathAskedFor(String path) {
        assumeTrue(Commands.run(List.of("ssh", "-V")).ok(), "needs ssh (openssh-client)");
        Commands.Result r = Commands.run(List.of("ssh", "-G", "-o", SshHost.controlPathOption(Path.of(path)), "localhost"));

        assertThat(r.ok()).as("ssh -G: %s", r.stderr()).isTrue();
        assertThat(r.stdout().lines()).contains("controlpath " + path);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {10, 40, 60, 200})
    void theControlDirectoryLeavesRoomForAUnixSocketAddress(int length) {
        String tmpdir = "/tmp/" + "d".repeat(length);
        Path parent = SshHost.controlParent(tmpdir);
        String socket = parent + "/copybench-" + Long.MAX_VALUE + "-ssh" + Integer.MAX_VALUE + "-" + Long.MAX_VALUE
                + "/cm.0123456789abcdef";

        assertThat(socket.length()).isLessThan(108);
        assertThat(parent).isEqualTo(length < 19 ? Path.of(tmpdir) : Path.of("/tmp"));
    }
}
