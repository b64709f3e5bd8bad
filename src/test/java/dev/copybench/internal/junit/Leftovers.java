package dev.copybench.internal.junit;

import dev.copybench.internal.Settings;
import dev.copybench.internal.host.Commands;
import dev.copybench.internal.host.NativeEngine;
import dev.copybench.internal.host.RunRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a run of this JVM may leave behind, for the suites' final checks that it left nothing. Only
 * this JVM's own resources count: other copybench runs on the host may hold theirs meanwhile.
 */
final class Leftovers {

    private Leftovers() {
    }

    /** copybench namespaces now present, of any run. */
    static Set<String> namespaces() {
        return Commands.run(List.of("ip", "netns", "list")).stdout().lines().map(l -> l.split("\\s+")[0])
                .filter(n -> n.startsWith("copybench-")).collect(Collectors.toSet());
    }

    /** Whether process is run or one of its descendants. */
    static boolean within(ProcessHandle process, ProcessHandle run) {
        for (ProcessHandle p = process; p != null; p = p.parent().orElse(null)) {
            if (p.pid() == run.pid()) {
                return true;
            }
        }
        return false;
    }

    /** This JVM's state record, where its runs write down what they create. */
    static RunRecord record() {
        return RunRecord.ofThisJvm(RunRecord.stateDir(Settings.fromSystemProperties()));
    }

    /**
     * Nothing this JVM created remains beyond what it held before ({@code heldBefore}: namespaces of runs
     * of this JVM that last until its launcher run ends): no recorded resource, namespace, engine or perf
     * process, fifo or temp dir. {@code otherRuns}: child JVMs running copybench runs of their own, whose
     * processes are not ours.
     */
    static void assertNothingBeyond(Set<String> heldBefore, ProcessHandle... otherRuns) throws IOException {
        long pid = ProcessHandle.current().pid();
        // NativeEngine.local()'s checked copy serves this JVM's tests outside runs: it lasts as long as the JVM
        Set<String> held = new java.util.HashSet<>(heldBefore);
        held.add("dir " + NativeEngine.local().directory());
        assertThat(record().outstanding()).as("resources this JVM recorded and never removed").isSubsetOf(held);
        assertThat(namespaces()).filteredOn(n -> n.startsWith("copybench-" + pid + "-"))
                .allSatisfy(n -> assertThat(heldBefore).contains("netns " + n));
        assertThat(Commands.run(List.of("ip", "-o", "link")).stdout()).as("veths live inside namespaces, never on the host")
                .doesNotContain("cb" + pid);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> java.util.Arrays.stream(otherRuns).noneMatch(other -> within(p, other)))
                .map(p -> p.info().commandLine().orElse("?"))
                // a live run's tracepoint hold lasts until its launcher run ends, and ends with this JVM at the latest
                .filter(c -> !c.contains("tail --pid=" + pid + " -f /dev/null")))
                .noneMatch(c -> c.contains("copybench-engine") || c.contains("perf "));
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(tmp.filter(p -> !held.contains("dir " + p)).map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("copybench-" + pid + "-"));
        }
    }
}
