package dev.copybench.internal.plan;

import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.MessageSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanFactoryTest {

    /** Declarations only: nested, so no engine discovers them as tests. */
    static class Declarations {
        @CopyModeBenchmark(sizes = {"64", "4K"}, threads = {1, 4}, duration = "300ms", repetitions = 2)
        void twoByTwo() {
        }

        @CopyModeBenchmark(sizes = {"4K", "4kb"})
        void duplicateSize() {
        }

        @CopyModeBenchmark(sizes = "64", threads = 0)
        void noThreads() {
        }

        @CopyModeBenchmark(sizes = "64", duration = "fast")
        void badDuration() {
        }

        @CopyModeBenchmark(sizes = "64", repetitions = 0)
        void noRepetitions() {
        }
    }

    private static CopyModeBenchmark annotation(String method) throws NoSuchMethodException {
        return Declarations.class.getDeclaredMethod(method).getAnnotation(CopyModeBenchmark.class);
    }

    @ParameterizedTest
    @CsvSource({"64,64", "4K,4096", "4KiB,4096", "4kb,4096", "4 KB,4096", "1M,1048576", "1MiB,1048576", "8,8"})
    void sizesAcceptCommonForms(String text, long bytes) {
        assertThat(MessageSize.parse(text).bytes()).isEqualTo(bytes);
    }

    @Test
    void sizesPrintInTheirLargestWholeUnit() {
        assertThat(MessageSize.parse("64K")).hasToString("64 KiB");
        assertThat(MessageSize.parse("1M")).hasToString("1 MiB");
        assertThat(MessageSize.parse("1536")).hasToString("1536 B");
    }

    @Test
    void garbageAndTooSmallSizesAreRejectedWithTheFix() {
        assertThatThrownBy(() -> MessageSize.parse("4 parsecs"))
                .hasMessage("size '4 parsecs' is not a byte count: write e.g. 64, 4K, 4KiB, 4kb or 1M");
        assertThatThrownBy(() -> MessageSize.parse("7"))
                .hasMessage("message size 7 B is outside [8 B, 64 MiB]: one message is 8 fields of at least one byte");
    }

    @Test
    void durationsAcceptMillisecondsSecondsAndMinutes() {
        assertThat(Durations.parse("duration", "300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(Durations.parse("duration", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("duration", "1m")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void cellsInterleaveModesInsideEachRepetition() throws Exception {
        BenchmarkPlan plan = PlanFactory.from(annotation("twoByTwo"), new Properties());

        assertThat(plan.cells()).hasSize(2 * 2 * 3 * 2);
        assertThat(plan.cells().subList(0, 3)).extracting(Cell::mode)
                .containsExactly(CopyMode.TWO_COPY, CopyMode.ONE_COPY, CopyMode.ZERO_COPY);
        assertThat(plan.cells().get(12).repetition()).isEqualTo(2);
        assertThat(plan.cells().subList(12, 15)).as("the next round starts with the next mode").extracting(Cell::mode)
                .containsExactly(CopyMode.ONE_COPY, CopyMode.ZERO_COPY, CopyMode.TWO_COPY);
        assertThat(plan.cells().get(3).displayName()).isEqualTo("TWO_COPY · 64 B · 4 threads · rep 1/2");
    }

    @Test
    void systemPropertiesOverrideAndAreRecorded() throws Exception {
        Properties props = new Properties();
        props.setProperty("copybench.duration", "100ms");
        props.setProperty("copybench.repetitions", "3");
        props.setProperty("copybench.sizes", "1M");

        BenchmarkPlan plan = PlanFactory.from(annotation("twoByTwo"), props);

        assertThat(plan.duration()).isEqualTo(Duration.ofMillis(100));
        assertThat(plan.repetitions()).isEqualTo(3);
        assertThat(plan.sizes()).containsExactly(MessageSize.parse("1M"));
        assertThat(plan.overrides()).containsEntry("copybench.duration", "100ms").containsEntry("copybench.sizes", "1M");
    }

    @Test
    void invalidDeclarationsNameTheFieldTheValueAndTheFix() {
        assertThatThrownBy(() -> PlanFactory.from(annotation("duplicateSize"), new Properties()))
                .hasMessage("sizes lists 4 KiB twice ('4kb'): list each size once");
        assertThatThrownBy(() -> PlanFactory.from(annotation("noThreads"), new Properties()))
                .hasMessage("threads 0 is outside [1, 64]: one client thread is one connection");
        assertThatThrownBy(() -> PlanFactory.from(annotation("badDuration"), new Properties()))
                .hasMessage("duration 'fast' is not a duration: write e.g. 300ms, 2s or 1m");
        assertThatThrownBy(() -> PlanFactory.from(annotation("noRepetitions"), new Properties()))
                .hasMessage("repetitions 0 is outside [1, 100]; confidence intervals need at least 2");
    }
}
