package dev.copybench.internal.junit;

import dev.copybench.internal.host.Commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What a run of this JVM may leave behind, for the suites' final checks that it left nothing. */
final class Leftovers {

    private Leftovers() {
    }

    /** copybench namespaces now present (other suites of this JVM may hold theirs until their run ends). */
    static Set<String> namespaces() {
        return Commands.run(List.of("ip", "netns", "list")).stdout().lines().map(l -> l.split("\\s+")[0])
                .filter(n -> n.startsWith("copybench-")).collect(Collectors.toSet());
    }

    /** No namespace beyond those present before, no veth, engine or perf process, fifo or temp dir of this JVM. */
    static void assertNoneBeyond(Set<String> namespacesBefore) throws IOException {
        long pid = ProcessHandle.current().pid();
        assertThat(namespaces()).isSubsetOf(namespacesBefore);
        assertThat(Commands.run(List.of("ip", "-o", "link")).stdout()).doesNotContain("cb" + pid);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(p -> p.info().commandLine().orElse("?")))
                .noneMatch(c -> c.contains("copybench-engine") || c.contains("perf "));
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(tmp.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("copybench-" + pid + "-"));
        }
    }
}
