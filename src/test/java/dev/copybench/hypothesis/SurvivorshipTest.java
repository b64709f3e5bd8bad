package dev.copybench.hypothesis;

import dev.copybench.BenchmarkResults;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.util.List;
import java.util.function.Predicate;

import static dev.copybench.CopyBenchAssertions.assertThat;
import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.TWO_COPY;
import static dev.copybench.Metric.THROUGHPUT_GBPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A comparison is not decided on one side's survivors: disturbed cells are counted per mode, and uneven counts undecide. */
class SurvivorshipTest {

    private static final BenchmarkPlan PLAN = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64K"), 5);

    @Test
    void modesThatLostDifferentNumbersOfCellsAreNotComparedOnTheirSurvivors() {
        // one-copy is clearly faster in the cells that survived; two of its five were disturbed, none of two-copy's
        BenchmarkResults r = results(c -> c.mode() == ONE_COPY && c.repetition() <= 2);

        assertThatThrownBy(() -> assertThat(r).metric(THROUGHPUT_GBPS).of(ONE_COPY).isGreaterThan(TWO_COPY))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("disturbed cells differ: ONE_COPY · 64 KiB · 1 thread lost 2 of 5, "
                        + "TWO_COPY · 64 KiB · 1 thread 0 of 5; deciding on the survivors")
                .hasMessageContaining("disturbed cells left out: ONE_COPY 2 of 5, TWO_COPY 0 of 5");
    }

    @Test
    void aCrossoverPointWhoseModesLostDifferentCellsIsNotDecidedOnTheSurvivors() {
        BenchmarkResults r = results(c -> c.mode() == ONE_COPY && c.repetition() <= 2);

        Crossover.Point p = r.crossover(ONE_COPY, TWO_COPY, THROUGHPUT_GBPS).at(1).points().get(0);

        assertThat(p.standing()).isEqualTo(Crossover.Standing.UNMEASURED);
        assertThat(p.why()).startsWith("disturbed cells differ: ONE_COPY · 64 KiB · 1 thread lost 2 of 5");
    }

    @Test
    void equalLossesAreTheHostsAndTheVerdictSaysHowManyPerMode() {
        BenchmarkResults r = results(c -> c.repetition() == 3);

        Verdict v = assertThat(r).metric(THROUGHPUT_GBPS).of(ONE_COPY).isGreaterThan(TWO_COPY);

        assertThat(v.outcome()).isEqualTo(Outcome.HOLDS);
        assertThat(v.rule()).isEqualTo("the row holds at one-sided 2.5 % (the 95 % interval on the claimed side); disturbed cells left out: "
                + "ONE_COPY 1 of 5, TWO_COPY 1 of 5");
    }

    @Test
    void aVerdictWithoutDisturbedCellsKeepsItsRule() {
        Verdict v = assertThat(results(c -> false)).metric(THROUGHPUT_GBPS).of(ONE_COPY).isGreaterThan(TWO_COPY);

        assertThat(v.rule()).isEqualTo("the row holds at one-sided 2.5 % (the 95 % interval on the claimed side)");
    }

    private static BenchmarkResults results(Predicate<Cell> disturbed) {
        BenchmarkResults r = new BenchmarkResults(PLAN, Synthetic.host(), "synthetic");
        for (Cell cell : PLAN.cells()) {
            if (disturbed.test(cell)) {
                r.addDisturbed(cell, "the client stalled: it was not running for 900 ms of its 1000 ms window");
            } else {
                r.add(Synthetic.cell(cell, Values.gbps((cell.mode() == ONE_COPY ? 12 : 10)
                        + Synthetic.pick(cell, 0.1, -0.2, 0.3, 0, -0.1))));
            }
        }
        return r;
    }
}
