package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.plan.MemoryBudget;
import dev.copybench.internal.plan.PlanFactory;
import dev.copybench.internal.report.AllureReport;
import dev.copybench.hypothesis.Verdict;
import dev.copybench.internal.HypothesisSession;
import dev.copybench.internal.Settings;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands a {@link CopyModeBenchmark} method into one invocation per cell (the cell runs, the
 * method body does not) followed by one invocation of the method with the {@link BenchmarkResults}.
 * Methods whose annotations give the same plan share its cells: the first runs them, the others
 * only their hypothesis.
 * Registered by the annotation; not meant to be used directly.
 */
public final class CopyBenchExtension implements TestTemplateInvocationContextProvider {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CopyBenchExtension.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, CopyModeBenchmark.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        CopyModeBenchmark annotation = AnnotationSupport.findAnnotation(method, CopyModeBenchmark.class).orElseThrow();
        if (Arrays.stream(method.getParameterTypes()).noneMatch(t -> t == BenchmarkResults.class)) {
            throw new ExtensionConfigurationException("@CopyModeBenchmark method " + method.getDeclaringClass().getSimpleName()
                    + "." + method.getName() + "() has no BenchmarkResults parameter, so what its cells measure could never "
                    + "reach it: declare it as `void " + method.getName() + "(BenchmarkResults results)`");
        }
        Settings settings = Settings.of(context::getConfigurationParameter, PlanFactory.OVERRIDES);
        BenchmarkPlan plan = PlanFactory.from(annotation, settings.asProperties(),
                MemoryBudget.available().orElse(Long.MAX_VALUE));
        RunResources run = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunResources.class, k -> new RunResources(settings), RunResources.class);
        Matrix matrix = run.matrix(plan);
        // before the claim: a baseline that cannot be read is refused up front, and the matrix stays unclaimed
        String packageName = method.getDeclaringClass().getPackageName();
        String classAndMethod = method.getDeclaringClass().getName().substring(packageName.isEmpty() ? 0
                : packageName.length() + 1) + "." + method.getName();
        var baseline = run.baseline(classAndMethod, plan);
        long extraWork = run.testExtraWorkNs();
        if (matrix.claimCells(method.getName())) {
            matrix.report().measuredBy(method.getDeclaringClass().getSimpleName(), method.getName());
        } else {
            return Stream.of(new HypothesisInvocation(matrix, "hypothesis (cells measured for " + matrix.measuredBy() + ")"));
        }
        matrix.measuredBy(classAndMethod, baseline, extraWork);
        // the run's results file exists before its first cell (creating it costs ~0.1 s the first time:
        // pruning old runs, Jackson's first use), so a cell's time is the cell's own
        run.results();
        // rounds are produced lazily: JUnit runs each cell as it takes it, so whether an adaptive plan
        // needs another round is decided after the previous one ran
        Stream<Cell> cells = Stream.iterate(1, round -> round <= plan.repetitions()
                        || (plan.adaptive() && matrix.needsAnotherRound(round - 1)), round -> round + 1)
                .flatMap(round -> plan.round(round).stream());
        return Stream.concat(cells.map(c -> new CellInvocation(matrix, c)),
                Stream.of(new HypothesisInvocation(matrix, "hypothesis")));
    }

    /** Supplies the matrix's results to a {@code BenchmarkResults} parameter. */
    private record ResultsResolver(Matrix matrix) implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == BenchmarkResults.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return matrix.results();
        }
    }

    /** Runs an invocation's body as the invocation copybench reports into (see {@link AllureReport#within}). */
    private record Reported(Body body) implements InvocationInterceptor {
        interface Body {
            void run(Invocation<Void> invocation, Method method) throws Throwable;
        }

        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                                ExtensionContext extensionContext) throws Throwable {
            AllureReport.within(extensionContext.getUniqueId(), () -> body.run(invocation, context.getExecutable()));
        }
    }

    /** One cell: runs it instead of the method body. */
    private record CellInvocation(Matrix matrix, Cell cell) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return cell.displayName();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new ResultsResolver(matrix), new Reported((invocation, method) -> {
                invocation.skip();
                matrix.runCell(cell);
            }));
        }
    }

    /**
     * The method body, once, with every cell's results. What it decides is reported when it returns;
     * a body that decided nothing, or left an assertion chain unfinished, fails: a hypothesis that
     * was never tested must not pass.
     */
    private record HypothesisInvocation(Matrix matrix, String displayName) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return displayName;
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new ResultsResolver(matrix), new Reported((invocation, method) -> {
                AllureReport.hypothesisStarted(method.getDeclaringClass().getSimpleName(), method.getName());
                HypothesisSession session = HypothesisSession.open();
                Throwable thrown = null;
                try {
                    invocation.proceed();
                    requireDecided(method, session);
                } catch (TestAbortedException | AssertionError e) {
                    thrown = e;
                    // an outcome the method decided without a DSL verdict (an undecidable question, a plain
                    // AssertJ failure) reaches the console too, so every hypothesis's outcome is read there
                    if (session.verdicts().stream().noneMatch(v -> e.getMessage() != null
                            && e.getMessage().startsWith(v.outcome() + ": " + v.statement()))) {
                        String first = String.valueOf(e.getMessage()).strip().lines().findFirst().orElse("");
                        System.out.println("[copybench] " + (e instanceof TestAbortedException
                                ? (first.startsWith("UNDECIDABLE") ? first : "UNDECIDABLE: " + first)
                                : "FAILED: " + first) + " (" + method.getName() + ")");
                    }
                    throw e;
                } catch (Throwable e) {
                    thrown = e;
                    throw e;
                } finally {
                    session.close();
                    report(session);
                    try {
                        matrix.decided(method.getName(), session);
                        AllureReport.hypothesisReported(matrix.report(), matrix.results(),
                                method.getDeclaringClass().getSimpleName(), method.getName(), session, thrown);
                    } catch (RuntimeException e) {
                        if (thrown == null) {
                            throw e;
                        }
                        thrown.addSuppressed(e);   // what the hypothesis decided stays the test's outcome
                    }
                }
            }));
        }

        /**
         * Fails a method that left an assertion chain unfinished or decided nothing: a hypothesis that was
         * never tested must not pass.
         */
        private static void requireDecided(Method method, HypothesisSession session) {
            String name = method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
            List<String> unfinished = session.unfinished();
            if (!unfinished.isEmpty()) {
                throw new AssertionFailedError("copybench: " + name + " left " + unfinished.size()
                        + " hypothesis unfinished, so nothing was tested there: " + String.join("; ", unfinished));
            }
            if (!session.decidedAnything()) {
                throw new AssertionFailedError("copybench: " + name + " decided nothing: it recorded no verdict, check "
                        + "or answer and never read its results. End an assertion chain with a comparison, e.g. assertThat(results)"
                        + ".metric(THROUGHPUT_GBPS).of(ONE_COPY).isAtLeast(TWO_COPY), or record what the data shows "
                        + "with results.answer(question, answer)");
            }
        }

        /** Every verdict and answer of the invocation, on the console and in its Allure test. */
        private static void report(HypothesisSession session) {
            for (Verdict v : session.verdicts()) {
                System.out.println("[copybench] " + v.line() + "\n" + v.table(null).stripTrailing());
                AllureReport.verdict(v);
            }
            for (HypothesisSession.Answer a : session.answers()) {
                System.out.println("[copybench] " + a.question() + "\n" + a.answer().indent(2).stripTrailing());
                AllureReport.answer(a.question(), a.answer());
            }
        }
    }
}
