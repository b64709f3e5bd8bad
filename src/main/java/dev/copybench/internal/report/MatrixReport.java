package dev.copybench.internal.report;

import dev.copybench.BenchmarkResults;
import dev.copybench.Metric;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Durations;
import dev.copybench.internal.results.MetricTable;
import dev.copybench.internal.results.RepetitionTable;
import io.qameta.allure.Allure;
import io.qameta.allure.model.Attachment;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What the report keeps of one matrix: its name, the attachments every hypothesis on it shares
 * (written once into the results directory, then referenced by each test that shows them), and the
 * outcome of each hypothesis, for the summary.
 */
public final class MatrixReport {

    /** An attachment written once; {@code metrics} says which metrics it shows (empty: it is data, shown everywhere). */
    record Shared(String name, String type, String source, Set<Metric> metrics, String omitted) {
        Attachment reference() {
            return new Attachment().setName(name).setType(type).setSource(source);
        }
    }

    /** A hypothesis's outcome: its class (simple name) and method, its status word, and one line per verdict or answer. */
    public record Outcome(String testClass, String test, String status, List<String> lines) {
    }

    private final BenchmarkPlan plan;
    private String measuredBy = "?";
    private String testClass = "?";
    private List<Shared> shared;
    private BenchmarkResults results;
    private final List<Outcome> outcomes = new ArrayList<>();

    public MatrixReport(BenchmarkPlan plan) {
        this.plan = plan;
    }

    /** The test method whose invocations run the cells. */
    public synchronized void measuredBy(String testClass, String method) {
        this.testClass = testClass;
        this.measuredBy = testClass + "." + method;
    }

    /** The simple name of the class whose method runs the cells: the epic the cells sit under. */
    synchronized String testClass() {
        return testClass;
    }

    /** {@code cells measured by SixQuestionsIT.q1…: 3 modes × 3 sizes × 1–2 threads × stream, request-response × 3 rounds}. */
    public synchronized String name() {
        return "cells measured by " + measuredBy + ": " + scope(plan);
    }

    /**
     * {@code 3 modes × 3 sizes (64 B – 1 MiB) × 1–2 threads × stream, request-response; 3 rounds of 200 ms
     * after 50 ms warm-up}.
     */
    static String scope(BenchmarkPlan plan) {
        List<dev.copybench.MessageSize> sizes = plan.sizes().stream().sorted().toList();
        int fewest = plan.threads().stream().min(Integer::compare).orElseThrow();
        int most = plan.threads().stream().max(Integer::compare).orElseThrow();
        return plan.modes().size() + (plan.modes().size() == 1 ? " mode" : " modes") + " × " + sizes.size()
                + (sizes.size() == 1 ? " size (" + sizes.get(0) : " sizes (" + sizes.get(0) + " – " + sizes.get(sizes.size() - 1))
                + ") × " + (fewest == most ? fewest : fewest + "–" + most) + (most == 1 ? " thread" : " threads") + " × "
                + String.join(", ", plan.workloads().stream().map(w -> w.engineName()).toList()) + "; "
                + (plan.adaptive() ? plan.repetitions() + "–" + plan.maxRepetitions() : String.valueOf(plan.repetitions()))
                + " rounds of " + Durations.format(plan.duration()) + " after " + Durations.format(plan.warmup()) + " warm-up";
    }

    synchronized BenchmarkPlan plan() {
        return plan;
    }

    synchronized BenchmarkResults results() {
        return results;
    }

    synchronized List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    synchronized void record(Outcome outcome) {
        outcomes.add(outcome);
    }

    /**
     * The shared attachments, written on the first call: the CSV of every repetition, the CSV of every
     * configuration × metric, one PNG per plot, and the list of plots left out. All cells have run by
     * then (hypotheses run after the cells of their matrix), so the data is final.
     */
    synchronized List<Shared> shared(BenchmarkResults results) {
        if (shared != null) {
            return shared;
        }
        this.results = results;
        List<Shared> written = new ArrayList<>();
        written.add(write("data: every repetition of every cell (CSV)", "text/csv", "csv",
                RepetitionTable.of(results).csv().getBytes(StandardCharsets.UTF_8), Set.of(), null));
        written.add(write("data: every configuration × metric (mean, median, sd, 95 % CI; CSV)", "text/csv", "csv",
                MetricTable.of(results).csv().getBytes(StandardCharsets.UTF_8), Set.of(), null));
        for (Plots.Plot plot : Plots.of(results)) {
            written.add(plot.chart().isPresent()
                    ? write("plot: " + plot.title(), "image/png", "png", plot.png(), plot.metrics(), null)
                    : new Shared("plot: " + plot.title(), null, null, plot.metrics(), plot.omitted()));
        }
        shared = List.copyOf(written);
        return shared;
    }

    private static Shared write(String name, String type, String extension, byte[] content, Set<Metric> metrics, String omitted) {
        String source = UUID.randomUUID() + "-attachment." + extension;
        Allure.getLifecycle().writeAttachment(source, new ByteArrayInputStream(content));
        return new Shared(name, type, source, metrics, omitted);
    }
}
