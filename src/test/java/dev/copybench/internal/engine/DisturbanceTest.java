package dev.copybench.internal.engine;

import dev.copybench.CellResult;
import dev.copybench.CopyMode;
import dev.copybench.Synthetic;
import dev.copybench.internal.perf.PerfCounters;
import dev.copybench.internal.plan.Cell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DisturbanceTest {

    private static final Cell CELL = Synthetic.plan(List.of(CopyMode.ONE_COPY), List.of("64K"), 1).cells().get(0);
    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    @ParameterizedTest(name = "window {0} ms, longest stall {1} ms: disturbed {2}")
    @CsvSource({
            "1000, 240, false",   // a loaded host's hiccup, absorbed by the statistics
            "1000, 260, true",    // 250 ms at least
            "5000, 900, false",   // and 20 % of a long window
            "5000, 1000, true",
            "200, 160, false",    // a short window: only a stall of nearly all of it
            "200, 200, true",     // a starved 200 ms window is not a measurement of 0 Gbps
    })
    void aStallDisturbsACellWhenItIsLongAgainstTheWindow(long windowMs, long stallMs, boolean disturbed) {
        CellResult r = cell(report("server", stallMs, 0, 0), report("client", 0, 0, 0));
        assertThat(Disturbance.of(r, Duration.ofMillis(windowMs)).isPresent()).isEqualTo(disturbed);
    }

    @Test
    void aSideThatWasNotRunningIsNamedEvenWhenItsPeerStalledLongerWaitingOnIt() {
        // the client frozen for 1.9 s (its sampler woke that late); the server waited on its closed window
        CellResult r = cell(report("server", 1940, 1940, 0), report("client", 0, 0, 1900));
        assertThat(Disturbance.of(r, TWO_SECONDS)).hasValueSatisfying(why -> assertThat(why)
                .startsWith("the client stalled: it was not running for 1900 ms of its 2000 ms window")
                .contains("a stall of 400 ms or more disturbs a cell"));
    }

    @Test
    void aStallSpentWaitingOnThePeerIsThePeers() {
        CellResult r = cell(report("server", 1940, 1900, 0), report("client", 0, 0, 0));
        assertThat(Disturbance.of(r, TWO_SECONDS)).hasValueSatisfying(why -> assertThat(why)
                .startsWith("the client stalled: the server made no progress for 1940 ms of its 2000 ms window, "
                        + "1900 ms of them waiting on the client")
                .endsWith("the client was frozen, starved by the host, or not reading"));
        CellResult clientWaiting = cell(report("server", 0, 0, 0), report("client", 700, 700, 0));
        assertThat(Disturbance.of(clientWaiting, TWO_SECONDS)).hasValueSatisfying(why -> assertThat(why)
                .startsWith("the server stalled: the client made no progress for 700 ms")
                .endsWith("or not sending"));
    }

    @Test
    void aStallNotSpentWaitingOnThePeerIsTheSidesOwn() {
        CellResult r = cell(report("server", 700, 100, 0), report("client", 660, 660, 0));
        assertThat(Disturbance.of(r, TWO_SECONDS)).hasValueSatisfying(why -> assertThat(why)
                .startsWith("the server stalled: it made no progress for 700 ms of its 2000 ms window")
                .endsWith("frozen, or starved by the host"));
    }

    @Test
    void aSlowSideThatKeepsMovingAndAModesOwnWaitsAreNoDisturbance() {
        // 0.21 Gbps throughout, a quarter of the window spent waiting for zero-copy completions
        CellResult r = cell(report("server", 0, 0, 20, 0.25), report("client", 0, 0, 20, 0));
        assertThat(Disturbance.of(r, TWO_SECONDS)).isEmpty();
    }

    @Test
    void aReportWithoutTheNewerProgressFieldsReadsThemAsNothingSeen() {
        EngineReport.Progress p = EngineReport.parse(OLD).progress();
        assertThat(p.longestStallMs()).isEqualTo(300);
        assertThat(p.stallOnPeerMs()).isZero();
        assertThat(p.longestGapMs()).isZero();
        assertThat(p.modeWaitS()).isZero();
    }

    /** An engine's report from before the peer, gap and wait fields. */
    private static final String OLD = """
            {"role":"server","mode":"one-copy","workload":"stream","size":65536,"threads":1,"seconds":0.200111307,
             "bytes":580928,"messages":9077,"gbps":0.023224,"messages_per_s":45359.756,"total_bytes":747712,
             "total_messages":11683,"send_calls":11683,"short_writes":0,"verified_messages":0,"integrity_errors":0,
             "rejected_connections":0,"latency_ns":null,"zerocopy":null,"cpu":null,
             "progress":{"interval_ms":20,"intervals":10,"min_gbps":0,"median_gbps":0.023245,"max_gbps":0.023987,
                         "longest_stall_ms":300,"missed_intervals":0},
             "rusage":{"user_s":0.009705,"system_s":0.090916,"voluntary_ctx":7256,"involuntary_ctx":2560},
             "system":{"busy_ns":400000000,"idle_ns":0,"cpus":2},
             "window":{"start_ns":8996071270790,"end_ns":8996271382097}}""";

    private static CellResult cell(EngineReport server, EngineReport client) {
        return new CellResult(CELL, dev.copybench.internal.host.Topology.Kind.NAMESPACES, server, client,
                PerfCounters.none(), PerfCounters.none(), Map.of());
    }

    private static EngineReport report(String role, long stallMs, long onPeerMs, long gapMs) {
        return report(role, stallMs, onPeerMs, gapMs, 0);
    }

    private static EngineReport report(String role, long stallMs, long onPeerMs, long gapMs, double modeWaitS) {
        // a real report of the engine, with the progress under test
        return EngineReport.parse("""
                {"role":"%s","mode":"one-copy","workload":"stream","size":65536,"threads":1,"seconds":2.000111307,
                 "bytes":52428800,"messages":800,"gbps":0.209715,"messages_per_s":400.0,"total_bytes":60000000,
                 "total_messages":915,"send_calls":915,"short_writes":0,"verified_messages":0,"integrity_errors":0,
                 "rejected_connections":0,"latency_ns":null,"zerocopy":null,"cpu":null,
                 "progress":{"interval_ms":20,"intervals":100,"min_gbps":0,"median_gbps":0.2093,"max_gbps":0.2399,
                             "longest_stall_ms":%d,"stall_on_peer_ms":%d,"longest_gap_ms":%d,"missed_intervals":0,
                             "mode_wait_s":%s},
                 "rusage":{"user_s":0.009705,"system_s":0.090916,"voluntary_ctx":7256,"involuntary_ctx":2560},
                 "system":{"busy_ns":400000000,"idle_ns":0,"cpus":2},
                 "window":{"start_ns":8996071270790,"end_ns":8998071382097}}"""
                .formatted(role, stallMs, onPeerMs, gapMs, modeWaitS));
    }
}
