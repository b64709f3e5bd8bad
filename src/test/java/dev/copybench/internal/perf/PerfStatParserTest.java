package dev.copybench.internal.perf;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code perf stat -x,} lines as perf 6.x prints them, on hosts with and without a PMU. */
class PerfStatParserTest {

    /** Captured on this project's CI host (perf 6.1, VM without PMU) for the copybench server. */
    private static final String NO_PMU_HOST = """
            # started on Sun Nov 22 02:55:15 2026

            505.88,msec,task-clock,505879411,100.00,0.354,CPUs utilized
            840,,context-switches,505879411,100.00,1.660,K/sec
            <not supported>,,LLC-load-misses,0,100.00,,
            <not supported>,,cycles,0,100.00,,
            1523,,skb:skb_copy_datagram_iovec,505879411,100.00,3.011,K/sec
            """;

    /** The same format from a machine with a PMU; LLC events multiplexed (62.50 % running). */
    private static final String PMU_HOST = """
            # started on Mon Nov 16 10:12:01 2026

            1003.27,msec,task-clock,1003270117,100.00,0.998,CPUs utilized
            3145728901,,cycles,1003119554,100.00,3.136,GHz
            5123456789,,instructions,1003119554,100.00,1.63,insn per cycle
            45678901,,L1-dcache-load-misses,1003119554,100.00,,
            1234567,,LLC-loads,626949721,62.50,1.231,M/sec
            345678,,LLC-load-misses,626949721,62.50,28.00,% of all LL-cache accesses
            <not counted>,,branch-misses,0,0.00,,
            987,,cpu/event=0xd1,umask=0x20/,1003119554,100.00,,
            """;

    @Test
    void softwareCountersAreValuesWithUnits() {
        PerfCounters c = PerfStatParser.parse(NO_PMU_HOST);

        assertThat(c.reading("task-clock")).contains(new CounterReading.Counted("task-clock", 505.88, "msec", 100.0));
        assertThat(c.value("context-switches")).hasValue(840);
    }

    @Test
    void notSupportedIsAbsentNeverZero() {
        PerfCounters c = PerfStatParser.parse(NO_PMU_HOST);

        assertThat(c.reading("LLC-load-misses")).containsInstanceOf(CounterReading.NotSupported.class);
        assertThat(c.value("LLC-load-misses")).isEmpty();
        assertThat(c.whyAbsent("LLC-load-misses")).contains("LLC-load-misses is <not supported> on this host");
    }

    @Test
    void tracepointNamesKeepTheirColon() {
        assertThat(PerfStatParser.parse(NO_PMU_HOST).value("skb:skb_copy_datagram_iovec")).hasValue(1523);
    }

    @Test
    void hardwareCountersOfAPmuHostAreRead() {
        PerfCounters c = PerfStatParser.parse(PMU_HOST);

        assertThat(c.value("cycles")).hasValue(3145728901.0);
        assertThat(c.value("instructions")).hasValue(5123456789.0);
        assertThat(c.value("L1-dcache-load-misses")).hasValue(45678901);
    }

    @Test
    void multiplexedCountersAreFlagged() {
        CounterReading llc = PerfStatParser.parse(PMU_HOST).reading("LLC-load-misses").orElseThrow();

        assertThat(llc).isInstanceOfSatisfying(CounterReading.Counted.class, c -> {
            assertThat(c.value()).isEqualTo(345678);
            assertThat(c.runningPercent()).isEqualTo(62.5);
            assertThat(c.multiplexed()).isTrue();
        });
    }

    @Test
    void notCountedIsAbsentWithItsOwnReason() {
        PerfCounters c = PerfStatParser.parse(PMU_HOST);

        assertThat(c.reading("branch-misses")).containsInstanceOf(CounterReading.NotCounted.class);
        assertThat(c.whyAbsent("branch-misses")).contains("branch-misses was <not counted> (never scheduled in the window)");
    }

    @Test
    void rawEventsWithCommasInTheirNameAreOneEvent() {
        assertThat(PerfStatParser.parse(PMU_HOST).value("cpu/event=0xd1,umask=0x20/")).hasValue(987);
    }

    @Test
    void anEventPerfDidNotReportIsAbsent() {
        assertThat(PerfStatParser.parse(NO_PMU_HOST).whyAbsent("page-faults"))
                .contains("page-faults was not recorded (perf did not report it)");
    }

    @Test
    void statusLinesAreIgnoredAndGarbageValuesRejected() {
        assertThat(PerfStatParser.parse("Events enabled\nEvents disabled\n").readings()).isEmpty();
        assertThatThrownBy(() -> PerfStatParser.parse("12x,,cycles,100,100.00,,"))
                .hasMessageContaining("no number where the value belongs: 12x,,cycles");
    }

    @Test
    void withoutPerfEveryEventIsAbsentSayingHowToInstallIt() {
        PerfCounters c = PerfCounters.unavailable("perf is not installed (apt-get install linux-perf)");

        assertThat(c.value("task-clock")).isEmpty();
        assertThat(c.whyAbsent("task-clock")).contains("task-clock was not counted: perf is not installed (apt-get install linux-perf)");
    }

    @Test
    void anEventThePerfProbeRejectedIsAbsentWithTheProbesReason() {
        PerfCounters c = PerfStatParser.parse(NO_PMU_HOST).withNotCountable(Map.of("LLC-loads",
                "perf rejects it: kernel.perf_event_paranoid is 3 here"));

        assertThat(c.whyAbsent("LLC-loads")).contains("LLC-loads cannot be counted here: perf rejects it: "
                + "kernel.perf_event_paranoid is 3 here");
    }
}
