package dev.copybench.internal.engine;

import dev.copybench.CellResult;
import dev.copybench.CopyMode;
import dev.copybench.Synthetic;
import dev.copybench.internal.perf.PerfCounters;
import dev.copybench.internal.plan.Cell;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DisturbanceTest {

    private static final Cell CELL = Synthetic.plan(List.of(CopyMode.ONE_COPY), List.of("64K"), 1).cells().get(0);

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
        assertThat(Disturbance.of(cellWithStall(stallMs), Duration.ofMillis(windowMs)).isPresent()).isEqualTo(disturbed);
    }

    private static CellResult cellWithStall(long stallMs) {
        // a real server report of the engine, with the stall under test
        EngineReport side = EngineReport.parse("""
                {"role":"server","mode":"one-copy","workload":"stream","size":65536,"threads":1,"seconds":0.200111307,
                 "bytes":580928,"messages":9077,"gbps":0.023224,"messages_per_s":45359.756,"total_bytes":747712,
                 "total_messages":11683,"send_calls":11683,"short_writes":0,"verified_messages":0,"integrity_errors":0,
                 "rejected_connections":0,"latency_ns":null,"zerocopy":null,"cpu":null,
                 "progress":{"interval_ms":20,"intervals":10,"min_gbps":0,"median_gbps":0.023245,"max_gbps":0.023987,
                             "longest_stall_ms":%d,"missed_intervals":0},
                 "rusage":{"user_s":0.009705,"system_s":0.090916,"voluntary_ctx":7256,"involuntary_ctx":2560},
                 "system":{"busy_ns":400000000,"idle_ns":0,"cpus":2},
                 "window":{"start_ns":8996071270790,"end_ns":8996271382097}}""".formatted(stallMs));
        return new CellResult(CELL, dev.copybench.internal.host.Topology.Kind.NAMESPACES, side, side,
                PerfCounters.none(), PerfCounters.none(), Map.of());
    }
}
