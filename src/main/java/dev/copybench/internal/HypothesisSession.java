package dev.copybench.internal;

import dev.copybench.Metric;
import dev.copybench.hypothesis.Verdict;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What one hypothesis invocation decided: its verdicts, its checks, the answers it recorded, and the
 * assertion chains it started. The DSL writes here; the extension reads it when the method returns, reports
 * it (console, Allure) and fails an invocation that decided nothing. Outside an invocation (a unit
 * test calling the DSL on synthetic results) nothing is recorded.
 */
public final class HypothesisSession {

    /** A question and what the data answers, recorded by the method. */
    public record Answer(String question, String answer) {
    }

    /**
     * One link of an assertion chain: {@code assertThat(results)}, {@code .metric(…)}, {@code .of(…)}.
     * It is open until a terminal call decides it or a further link continues it.
     */
    public static final class Step {
        private final Supplier<String> text;
        private final String missing;
        private boolean closed;

        private Step(Supplier<String> text, String missing) {
            this.text = text;
            this.missing = missing;
        }

        /** The link is continued or decided: no longer a loose end. */
        public void close() {
            closed = true;
        }

        String describe() {
            return text.get() + " " + missing;
        }
    }

    private static final ThreadLocal<HypothesisSession> CURRENT = new ThreadLocal<>();

    private final List<Verdict> verdicts = new ArrayList<>();
    private final List<Answer> answers = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final Set<Metric> used = new LinkedHashSet<>();
    private int checks;
    private boolean read;

    private HypothesisSession() {
    }

    /** Starts recording for the invocation running on this thread. */
    public static HypothesisSession open() {
        HypothesisSession session = new HypothesisSession();
        CURRENT.set(session);
        return session;
    }

    /** Stops recording on this thread. */
    public void close() {
        CURRENT.remove();
    }

    /**
     * Records a new open link.
     *
     * @param text    how the chain reads so far, e.g. {@code assertThat(results).metric(throughput).of(ZERO_COPY)}
     * @param missing what would finish it, e.g. {@code has no comparison: end it with isAtMost(…)}
     */
    public static Step step(Supplier<String> text, String missing) {
        Step step = new Step(text, missing);
        HypothesisSession session = CURRENT.get();
        if (session != null) {
            session.steps.add(step);
        }
        return step;
    }

    public static void decided(Verdict verdict) {
        HypothesisSession session = CURRENT.get();
        if (session != null) {
            session.verdicts.add(verdict);
        }
    }

    /**
     * The method read the results: it may be asserting on them with plain AssertJ, which copybench
     * cannot see, so it is not "decided nothing".
     */
    public static void read() {
        HypothesisSession session = CURRENT.get();
        if (session != null) {
            session.read = true;
        }
    }

    /** The method evaluated a metric (a verdict, a crossover, a table entry): the report shows the plots of these. */
    public static void used(Metric metric) {
        HypothesisSession session = CURRENT.get();
        if (session != null) {
            session.used.add(metric);
        }
    }

    /** The metrics the method evaluated, in the order it first did. */
    public Set<Metric> metricsUsed() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(used));
    }

    /** A check that passes or fails without a verdict, such as {@code hasNoFailedCells()}. */
    public static void checked() {
        HypothesisSession session = CURRENT.get();
        if (session != null) {
            session.checks++;
        }
    }

    /** Records an answer; false outside an invocation, where nobody would report it. */
    public static boolean answered(String question, String answer) {
        HypothesisSession session = CURRENT.get();
        if (session != null) {
            session.answers.add(new Answer(question, answer));
        }
        return session != null;
    }

    public List<Verdict> verdicts() {
        return List.copyOf(verdicts);
    }

    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** Chains the method started and left without a decision. */
    public List<String> unfinished() {
        return steps.stream().filter(s -> !s.closed).map(Step::describe).toList();
    }

    /** Whether the method decided, answered or checked anything, or at least read the results. */
    public boolean decidedAnything() {
        return !verdicts.isEmpty() || !answers.isEmpty() || checks > 0 || read;
    }
}
