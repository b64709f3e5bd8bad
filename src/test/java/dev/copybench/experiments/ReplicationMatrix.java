package dev.copybench.experiments;

import dev.copybench.CopyModeBenchmark;
import dev.copybench.Workload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The matrix of the assignment (experiment.md): 64 B … 1 MiB, 1/2/4/8 client threads, the three
 * modes, streaming and request/response, three repetitions. Every question shares it, so its cells
 * run once. `mvn verify` samples it through the copybench.* overrides set in the pom.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@CopyModeBenchmark(sizes = {"64", "1K", "4K", "16K", "64K", "256K", "1M"}, threads = {1, 2, 4, 8},
        workloads = {Workload.STREAM, Workload.REQUEST_RESPONSE}, duration = "1s", warmup = "200ms", repetitions = 3)
@interface ReplicationMatrix {
}
