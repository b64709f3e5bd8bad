package dev.copybench;

import dev.copybench.internal.junit.CopyBenchExtension;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Turns a test method into a benchmark matrix and a hypothesis about it. Each cell (mode × size ×
 * client threads × workload × repetition) runs the native server and client under {@code perf stat}
 * and appears as its own test; then the method runs once with the {@link BenchmarkResults} and
 * asserts what it expects.
 *
 * <pre>{@code
 * @CopyModeBenchmark(sizes = {"64", "64K"}, threads = 1, duration = "300ms")
 * void biggerMessagesMoveMoreData(BenchmarkResults results) {
 *     assertThat(results).metric(Metric.THROUGHPUT_GBPS).atSize("64K").isGreaterThanAtSize("64");
 * }
 * }</pre>
 *
 * Methods of one run whose annotations give the same plan (for example through a composed
 * annotation such as {@code @ReplicationMatrix} meta-annotated with this one) share one matrix:
 * its cells run once, under the first method, and every method decides its own hypothesis on them.
 *
 * <p>Configuration parameters (system properties or {@code junit-platform.properties}) override the
 * annotation for quick or CI runs: {@code copybench.duration},
 * {@code copybench.warmup}, {@code copybench.repetitions}, {@code copybench.sizes},
 * {@code copybench.threads}, {@code copybench.modes}.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(CopyBenchExtension.class)
public @interface CopyModeBenchmark {

    /** Message sizes: {@code "64"}, {@code "4K"}, {@code "4KiB"}, {@code "1M"} (binary units). */
    String[] sizes();

    /** Client threads, one connection each. */
    int[] threads() default {1};

    CopyMode[] modes() default {CopyMode.TWO_COPY, CopyMode.ONE_COPY, CopyMode.ZERO_COPY};

    Workload[] workloads() default {Workload.STREAM};

    /** Measured window per cell: {@code "300ms"}, {@code "2s"}, {@code "1m"}. */
    String duration() default "1s";

    /** Warm-up before the window, not measured. */
    String warmup() default "200ms";

    /** Runs of every cell (rounds); confidence intervals need at least 2. With {@link #precision()}, the minimum. */
    int repetitions() default 3;

    /**
     * Run further rounds, netperf-style, until every configuration's throughput interval is within
     * this relative half-width of its mean, e.g. {@code "5%"}, or {@link #maxRepetitions()} is reached;
     * the console and the report say which. Empty: exactly {@link #repetitions()} rounds. Failed cells
     * are made up for within the maximum.
     *
     * <pre>{@code
     * @CopyModeBenchmark(sizes = "64K", repetitions = 3, precision = "5%", maxRepetitions = 12)
     * }</pre>
     */
    String precision() default "";

    /** The most rounds {@link #precision()} may run; default 30 when a precision is given (netperf's -I maximum). */
    int maxRepetitions() default 0;

    /** perf events to count in addition to the defaults (e.g. {@code "branch-misses"}). */
    String[] events() default {};

    /** Fail instead of falling back to loopback when namespaces cannot be created. */
    boolean requireNamespaces() default false;

    /**
     * SO_SNDBUF of the sender's sockets, e.g. {@code "4K"} to force short writes; empty leaves the
     * kernel's autotuning alone. The kernel doubles the value and applies its own minimum. On the
     * loopback fallback (MTU 64 KiB) a buffer below one segment stalls TCP on delayed ACKs.
     */
    String sendBuffer() default "";

    /**
     * The sender uses non-blocking sends (MSG_DONTWAIT, then poll for room), as event-loop servers
     * do. With a small {@link #sendBuffer()}, nearly every sendmsg then returns short.
     */
    boolean nonBlocking() default false;

    /**
     * Pin the server to CPU 0 and the client to CPU 1 ({@code sched_setaffinity}, every thread). Off by
     * default: measured on a 2-core VM, pinning to separate CPUs raised the run-to-run coefficient of
     * variation of throughput (17–33 % vs 13–15 % unpinned, bench/pinning.sh), the scheduler's freedom
     * to move the pair avoiding a slow mode. Worth trying on bare metal, and for cost-per-byte questions.
     */
    boolean pinned() default false;

    /**
     * Sysctls set inside both test namespaces before the first cell, e.g.
     * {@code "net.core.optmem_max=4096"} to make MSG_ZEROCOPY hit ENOBUFS. Only namespaced
     * {@code net.*} keys; never written on the host, so a benchmark with sysctls requires namespaces.
     */
    String[] namespaceSysctls() default {};
}
