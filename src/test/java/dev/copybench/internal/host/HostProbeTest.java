package dev.copybench.internal.host;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How a rejected perf event is explained, from perf's own words (verbatim perf 6.x output). */
class HostProbeTest {

    private static final String PARANOID = """
            Error:
            Access to performance monitoring and observability operations is limited.
            Consider adjusting /proc/sys/kernel/perf_event_paranoid setting to open
            access to performance monitoring and observability operations for processes
            without CAP_PERFMON, CAP_SYS_PTRACE or CAP_SYS_ADMIN Linux capability.
            """;

    @Test
    void aStrictPerfEventParanoidIsNamedWithTheWayOut() {
        assertThat(HostProbe.rejection(PARANOID, Optional.of(3))).isEqualTo("perf rejects it: kernel.perf_event_paranoid "
                + "is 3 here; run as root, or lower it on the host with `sysctl -w kernel.perf_event_paranoid=1` "
                + "(Access to performance monitoring and observability operations is limited.)");
    }

    @Test
    void anUnknownEventKeepsPerfsFirstLine() {
        String unknown = "event syntax error: 'LLC-load-mises'\n                     \\___ parser error\n";
        assertThat(HostProbe.rejection(unknown, Optional.of(-1))).isEqualTo("perf rejects it: event syntax error: 'LLC-load-mises'");
    }
}
