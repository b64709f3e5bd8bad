package dev.copybench.internal.host;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SSH destinations as the settings give them, remote shell quoting, and ssh's own words on one line. */
class SshDestinationTest {

    @Test
    void userHostAndPortAreEachOptionalButTheHost() {
        assertThat(SshDestination.parse("k", "bench@10.0.0.2:2222"))
                .isEqualTo(new SshDestination(Optional.of("bench"), "10.0.0.2", Optional.of(2222)));
        assertThat(SshDestination.parse("k", "hostA")).isEqualTo(new SshDestination(Optional.empty(), "hostA", Optional.empty()));
        assertThat(SshDestination.parse("k", "root@bench-b.example").toString()).isEqualTo("root@bench-b.example");
    }

    @Test
    void aDestinationThatSshCouldReadAsAnOptionIsRefused() {
        assertThatThrownBy(() -> SshDestination.parse("copybench.server.host", "-oProxyCommand=x"))
                .hasMessage("copybench.server.host = '-oProxyCommand=x': not an SSH destination [user@]host[:port]");
        assertThatThrownBy(() -> SshDestination.parse("copybench.client.host", "a b")).hasMessageContaining("[user@]host[:port]");
        assertThatThrownBy(() -> SshDestination.parse("copybench.client.host", "h:70000"))
                .hasMessage("copybench.client.host = 'h:70000': port 70000 is not in [1, 65535]");
    }

    @Test
    void everyWordReachesTheRemoteShellAsOneWord() {
        assertThat(SshHost.quote("/tmp/copybench-run-ab12/copybench-engine")).isEqualTo("/tmp/copybench-run-ab12/copybench-engine");
        assertThat(SshHost.quote("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
        assertThat(SshHost.quote(List.of("perf", "stat", "-x,", "-e", "task-clock,cycles", "--control", "fifo:/tmp/a b,/tmp/c")))
                .isEqualTo("perf stat -x, -e task-clock,cycles --control 'fifo:/tmp/a b,/tmp/c'");
        assertThat(SshHost.quote("")).isEqualTo("''");
    }

    @Test
    void sshsWordsBecomeOneLineWithoutItsNotices() {
        String unknownKey = "No ED25519 host key is known for 198.18.250.2 and you have requested strict checking.\r\n"
                + "Host key verification failed.\r\n";
        assertThat(SshHost.sshMessage(unknownKey)).isEqualTo("No ED25519 host key is known for 198.18.250.2 and you have "
                + "requested strict checking. Host key verification failed.");
        assertThat(SshHost.sshMessage("Warning: Permanently added '10.0.0.2' (ED25519) to the list of known hosts.\n"
                + "root@10.0.0.2: Permission denied (publickey).\n")).isEqualTo("root@10.0.0.2: Permission denied (publickey).");
    }
}
