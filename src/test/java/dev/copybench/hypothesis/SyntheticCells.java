package dev.copybench.hypothesis;

import dev.copybench.BenchmarkResults;
import dev.copybench.Configuration;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.internal.plan.BenchmarkPlan;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Throughput results drawn from a noise model of a shared two-core VM, for Monte-Carlo checks of the decision rules.
 * A cell measures
 * <pre>
 *   truth(configuration) × run shift × round shift × cell noise
 * </pre>
 * where the <b>run shift</b> exp(N(0, σ<sub>run</sub>)) is shared by every cell of one drawn run (the between-run
 * random effect of Kalibera &amp; Jones: each {@link #draw} is a new run), the <b>round shift</b>
 * exp(N(0, σ<sub>round</sub>)) by every cell of one repetition round (what the host does to everything measured at
 * that time), and the <b>cell
 * noise</b> is within-run noise exp(N(0, cv)), times, in the {@link Shape#BIMODAL} shape, a regime drawn per cell: with
 * probability {@code slowShare} the cell lands in the slow regime ({@code slowRatio} of the fast one; 30 % at 10 Gbps
 * against 70 % at 23 Gbps on this host's two CPUs, depending on where the scheduler puts the two processes).
 * Seeded, so a check reproduces exactly.
 *
 * <pre>{@code
 * SyntheticCells noise = SyntheticCells.bimodal(42);
 * BenchmarkResults r = noise.draw(plan, c -> c.mode() == ONE_COPY ? 0.95 : 1.0);   // one-copy 5 % slower
 * }</pre>
 */
final class SyntheticCells {

    /** The distribution of a cell around its round's level. */
    enum Shape {
        /** Within-run noise only: lognormal, skewed to the right. */
        LOGNORMAL,
        /** Two regimes per cell (slow with {@code slowShare}), each with lognormal within-run noise. */
        BIMODAL
    }

    /** The fast regime's level in Gbps: a truth of 1.0 is 23 Gbps. */
    static final double FAST_GBPS = 23;

    private final SplittableRandom random;
    private final double run;
    private final double between;
    private final double withinCv;
    private final Shape shape;
    private final double slowShare;
    private final double slowRatio;

    SyntheticCells(long seed, double run, double between, double withinCv, Shape shape, double slowShare,
                   double slowRatio) {
        this.random = new SplittableRandom(seed);
        this.run = run;
        this.between = between;
        this.withinCv = withinCv;
        this.shape = shape;
        this.slowShare = slowShare;
        this.slowRatio = slowRatio;
    }

    /** Run and round shifts sd 8 % each, within-run cv 3 %, lognormal cells. */
    static SyntheticCells lognormal(long seed) {
        return new SyntheticCells(seed, 0.08, 0.08, 0.03, Shape.LOGNORMAL, 0, 1);
    }

    /** Run and round shifts sd 8 % each, within-run cv 3 %, and 30 % of cells at 10 instead of 23 Gbps. */
    static SyntheticCells bimodal(long seed) {
        return new SyntheticCells(seed, 0.08, 0.08, 0.03, Shape.BIMODAL, 0.3, 10.0 / 23);
    }

    /**
     * One run of {@code plan}: every cell at {@code truth} (relative, 1.0 = {@link #FAST_GBPS}) of its configuration,
     * with this model's noise.
     */
    BenchmarkResults draw(BenchmarkPlan plan, ToDoubleFunction<Configuration> truth) {
        double level = Math.exp(run * gaussian());
        double[] shift = new double[plan.repetitions() + 1];
        for (int r = 1; r < shift.length; r++) {
            shift[r] = level * Math.exp(between * gaussian());
        }
        return Synthetic.results(plan, c -> Values.gbps(FAST_GBPS
                * truth.applyAsDouble(new Configuration(c.mode(), c.size(), c.threads(), c.workload()))
                * shift[c.repetition()] * cell()));
    }

    private double cell() {
        double regime = shape == Shape.BIMODAL && random.nextDouble() < slowShare ? slowRatio : 1;
        return regime * Math.exp(withinCv * gaussian());
    }

    /** A standard normal draw (Box–Muller; SplittableRandom has none). */
    private double gaussian() {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "run/round shift sd %.0f/%.0f %%, cv %.0f %%, %s", run * 100,
                between * 100, withinCv * 100, shape == Shape.BIMODAL ? String.format(java.util.Locale.ROOT,
                        "bimodal (%.0f %% of cells at %.0f %%)", slowShare * 100, slowRatio * 100)
                        : "lognormal");
    }
}
