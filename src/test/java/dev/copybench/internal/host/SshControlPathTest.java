package dev.copybench.internal.host;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** ssh's ControlPath: split at spaces, % expanded, at most 107 bytes as a socket path; a temp dir that breaks it is not used. */
class SshControlPathTest {

    private static Path parentWith(String tmpdir) {
        String real = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmpdir);
        try {
            return SshHost.controlParent();
        } finally {
            System.setProperty("java.io.tmpdir", real);
        }
    }

    @Test
    void aTempDirectorySshCannotTakeAsItIsGivesWayToTmp() {
        assertThat(parentWith("/var/tmp")).isEqualTo(Path.of("/var/tmp"));
        assertThat(parentWith("/tmp/with space")).isEqualTo(Path.of("/tmp"));
        assertThat(parentWith("/tmp/100%")).isEqualTo(Path.of("/tmp"));
        assertThat(parentWith("/tmp/" + "x".repeat(60))).isEqualTo(Path.of("/tmp"));
        // the longest a socket path then gets: parent, the directory's name, "/cm", and ssh's 17-character suffix
        String longest = "/" + "x".repeat(39) + "/copybench-" + "9".repeat(7) + "-ssh" + "9".repeat(4) + "-"
                + Long.toUnsignedString(-1L) + "/cm" + ".".repeat(17);
        assertThat(longest.length()).isLessThanOrEqualTo(107);
    }
}
