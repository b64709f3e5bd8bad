package dev.copybench.internal.junit;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.plan.Cell;
import dev.copybench.internal.plan.PlanFactory;
import dev.copybench.internal.report.AllureReport;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Method;
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
        CopyModeBenchmark annotation = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), CopyModeBenchmark.class)
                .orElseThrow();
        BenchmarkPlan plan = PlanFactory.from(annotation, System.getProperties());
        RunResources run = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunResources.class, k -> new RunResources(), RunResources.class);
        Matrix matrix = run.matrix(plan);
        String method = context.getRequiredTestMethod().getName();
        if (!matrix.claimCells(method)) {
            return Stream.of(new HypothesisInvocation(matrix, "hypothesis (cells measured for " + matrix.measuredBy() + ")"));
        }
        return Stream.concat(plan.cells().stream().map(c -> new CellInvocation(matrix, c)),
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

    /** The method body, once, with every cell's results. */
    private record HypothesisInvocation(Matrix matrix, String displayName) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return displayName;
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new ResultsResolver(matrix), new Reported((invocation, method) -> {
                AllureReport.hypothesisStarted(method.getName());
                AllureReport.hypothesisData(matrix.results());
                invocation.proceed();
            }));
        }
    }
}
