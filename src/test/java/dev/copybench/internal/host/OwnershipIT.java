package dev.copybench.internal.host;

import dev.copybench.BenchmarkResults;
import dev.copybench.CopyMode;
import dev.copybench.CopyModeBenchmark;
import dev.copybench.internal.Settings;
import dev.copybench.internal.plan.InvalidBenchmarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * What another local user can plant (a state directory with records, a namespace under the name a run will take
 * next) never costs anyone a namespace or a directory, and never pushes a run onto loopback. Real namespaces
 * ({@code ip netns}), real directories ({@code chown 65534} makes a foreign owner), real runs through EngineTestKit.
 */
class OwnershipIT {

    private static final long PID = ProcessHandle.current().pid();

    private static Set<String> namespaces() {
        return Commands.run(List.of("ip", "netns", "list")).stdout().lines().map(l -> l.split("\\s+")[0])
                .collect(Collectors.toSet());
    }

    private static void addNamespace(String name) {
        Commands.run(List.of("ip", "netns", "add", name)).orThrow();
    }

    private static void deleteNamespaces(List<String> names) {
        names.forEach(n -> Commands.run(List.of("ip", "netns", "del", n)));
    }

    private static Path victimDir(Path parent) throws IOException {
        Path victim = Files.createDirectory(parent.resolve("precious"), OwnDirectory.OWNER_ONLY);   // root's, 0700
        Files.writeString(victim.resolve("notes.txt"), "mine");
        return victim;
    }

    private static EngineExecutionResults run(String method, Map<String, String> settings) {
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter").enableImplicitConfigurationParameters(true)
                .configurationParameter(Settings.RESULTS_DIR, "target/copybench-examples")
                .selectors(selectMethod(Examples.class, method, BenchmarkResults.class.getName()));
        settings.forEach(kit::configurationParameter);
        return kit.execute();
    }

    /** Acceptance 1: records planted in a state directory another user made remove nothing, and the run refuses it. */
    @Test
    void recordsPlantedInAnotherUsersStateDirectoryRemoveNoVictim(@TempDir Path tmp) throws Exception {
        Path victim = victimDir(tmp);
        String victimNs = "copybench-victim-" + PID;
        addNamespace(victimNs);
        try {
            long victimIno = RunRecord.inode(RunRecord.NETNS_DIR.resolve(victimNs));
            for (Path planted : List.of(RunRecordTest.planted(tmp, "open", "1777", false),
                    RunRecordTest.planted(tmp, "theirs", "0755", true))) {
                long dead = LeftoverSweeperTest.deadPid();
                // the plain listing the probe used, and one with the victims' real inodes as proof
                Files.write(planted.resolve("jvm-" + dead + "-1.record"), List.of("owner " + dead + " 1",
                        "dir " + victim, "netns " + victimNs, "netns " + victimIno + " " + victimNs,
                        "dir " + RunRecord.inode(victim) + " 0 0123456789abcdef0123456789abcdef " + victim));
                List<String> warnings = new ArrayList<>();

                assertThat(LeftoverSweeper.sweep(planted, warnings::add)).isEmpty();
                assertThat(warnings).singleElement().asString().startsWith("leftovers not swept: the state directory " + planted);

                Events events = run("oneCell", Map.of(Settings.STATE_DIR, planted.toString())).allEvents();

                events.assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(InvalidBenchmarkException.class),
                        message(m -> m.startsWith(Settings.STATE_DIR + " " + planted + " is ") && !m.contains("\n")
                                && m.contains("another user could plant run records there")))));
                assertThat(victim.resolve("notes.txt")).hasContent("mine");
                assertThat(namespaces()).contains(victimNs);
            }
        } finally {
            deleteNamespaces(List.of(victimNs));
        }
    }

    /** Acceptance 1, in a state directory of our own: a dead owner's record without a matching proof removes nothing. */
    @Test
    void aDeadOwnersRecordWithoutMatchingProofsLeavesTheVictimsAlone(@TempDir Path tmp) throws Exception {
        Path state = Files.createDirectory(tmp.resolve("state"), OwnDirectory.OWNER_ONLY);
        Path victim = victimDir(tmp);
        String victimNs = "copybench-victim-" + PID;
        String ourNs = "copybench-" + PID + "-dead-s";
        addNamespace(victimNs);
        addNamespace(ourNs);
        RunRecord writer = RunRecord.ofThisJvm(Files.createDirectory(tmp.resolve("writer")));
        try {
            writer.createdNamespace(ourNs);
            long dead = LeftoverSweeperTest.deadPid();
            long wrongIno = RunRecord.inode(RunRecord.NETNS_DIR.resolve(ourNs));
            Files.write(state.resolve("jvm-" + dead + "-1.record"), List.of("owner " + dead + " 1", "netns " + victimNs,
                    "netns " + wrongIno + " " + victimNs, "dir " + victim));
            LeftoverSweeperTest.asDeadRunsRecord(writer, state);   // a real proof: this one goes
            writer.removed(RunRecord.Kind.NETNS, ourNs);
            List<String> warnings = new ArrayList<>();

            List<String> removed = LeftoverSweeper.sweep(state, warnings::add);

            assertThat(removed).containsExactly("netns " + ourNs);
            assertThat(namespaces()).contains(victimNs).doesNotContain(ourNs);
            assertThat(victim.resolve("notes.txt")).hasContent("mine");
            assertThat(warnings).hasSize(3).anySatisfy(w -> assertThat(w)
                    .endsWith("it is not the namespace that run made (inode " + RunRecord.inode(RunRecord.NETNS_DIR
                            .resolve(victimNs)) + ", recorded " + wrongIno + ")"));
        } finally {
            deleteNamespaces(List.of(victimNs, ourNs));
            writer.removed(RunRecord.Kind.NETNS, ourNs);
        }
    }

    /** Acceptance 3, the naming alone: a taken server or client name is left alone and the pair moves on. */
    @Test
    void aTakenNamespaceNameIsLeftAloneAndThePairTakesTheNext(@TempDir Path tmp) throws Exception {
        RunRecord record = RunRecord.ofThisJvm(Files.createDirectory(tmp.resolve("state")));
        int n = Topologies.SEQUENCE.get() + 1;
        String takenServer = "copybench-" + PID + "-" + n + "-s";
        String takenClient = "copybench-" + PID + "-" + (n + 1) + "-c";
        List<String> taken = List.of(takenServer, takenClient);
        taken.forEach(OwnershipIT::addNamespace);
        NamespacePair pair = null;
        try {
            pair = NamespacePair.create(PID, Topologies.SEQUENCE::incrementAndGet, Map.of(), record, false);

            assertThat(pair.namespaces()).containsExactly("copybench-" + PID + "-" + (n + 2) + "-s",
                    "copybench-" + PID + "-" + (n + 2) + "-c");
            assertThat(pair.kind()).isEqualTo(Topology.Kind.NAMESPACES);
            assertThat(record.outstanding()).containsExactlyInAnyOrder("netns " + pair.namespaces().get(0),
                    "netns " + pair.namespaces().get(1));
            assertThat(namespaces()).containsAll(taken)
                    .as("the server half made before its client's name was found taken").doesNotContain(
                            "copybench-" + PID + "-" + (n + 1) + "-s");
            assertThat(Commands.run(pair.onServerSide(List.of("ip", "-o", "addr"))).stdout())
                    .contains(NamespacePair.SERVER_ADDRESS + "/30");
        } finally {
            if (pair != null) {
                pair.close();
            }
            assertThat(namespaces()).containsAll(taken);
            deleteNamespaces(taken);
        }
        assertThat(record.outstanding()).isEmpty();
    }

    @Test
    void whenEveryNameItTriesIsTakenThePairSaysSoAndLeavesThemAll(@TempDir Path tmp) throws Exception {
        RunRecord record = RunRecord.ofThisJvm(Files.createDirectory(tmp.resolve("state")));
        int n = Topologies.SEQUENCE.get() + 1;
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < NamespacePair.NAME_ATTEMPTS; i++) {
            taken.add("copybench-" + PID + "-" + (n + i) + "-s");
        }
        taken.forEach(OwnershipIT::addNamespace);
        try {
            assertThatThrownBy(() -> NamespacePair.create(PID, Topologies.SEQUENCE::incrementAndGet, Map.of(), record, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("network namespace names " + taken + " are all taken by namespaces this run did not make; "
                            + "they were left alone");
            assertThat(namespaces()).containsAll(taken);
            assertThat(record.outstanding()).isEmpty();
        } finally {
            deleteNamespaces(taken);
        }
    }

    /**
     * Acceptance 3, a whole run: the next namespace name is taken, and so are the names a cell's directory used to
     * have (a directory, and links to a victim's directory); the taken ones survive, nothing is written through a
     * link, and the cell runs in namespaces of another name.
     */
    @Test
    void aRunWhoseNextNamesAreTakenRunsInNamespacesOfOtherNames(@TempDir Path tmp) throws IOException {
        int n = Topologies.SEQUENCE.get() + 1;
        List<String> taken = List.of("copybench-" + PID + "-" + n + "-s", "copybench-" + PID + "-" + n + "-c");
        taken.forEach(OwnershipIT::addNamespace);
        Path victim = victimDir(tmp);
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> plantedCellDirs = new ArrayList<>();
        for (int k = 1; k <= 20; k++) {
            Path old = temp.resolve("copybench-" + PID + "-" + k + "-cell1");
            plantedCellDirs.add(k % 2 == 0 ? Files.createDirectory(old) : Files.createSymbolicLink(old, victim));
        }
        Examples.topology = null;
        try {
            Events tests = run("oneCell", Map.of()).testEvents();

            tests.assertStatistics(s -> s.failed(0).aborted(0).succeeded(2));   // the cell and the hypothesis
            assertThat(Examples.topology).startsWith("netns copybench-" + PID + "-" + (n + 1) + "-s (198.18.0.1/30)");
            assertThat(namespaces()).containsAll(taken).doesNotContain("copybench-" + PID + "-" + (n + 1) + "-s");
            try (var inVictim = Files.list(victim)) {
                assertThat(inVictim.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
            }
            assertThat(plantedCellDirs).allSatisfy(p -> assertThat(Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .isTrue());
        } finally {
            deleteNamespaces(taken);
            for (Path p : plantedCellDirs) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Run only through EngineTestKit above. */
    static class Examples {

        static volatile String topology;

        @CopyModeBenchmark(sizes = "4K", modes = CopyMode.ONE_COPY, duration = "200ms", warmup = "50ms", repetitions = 1)
        void oneCell(BenchmarkResults results) {
            topology = results.topology();
            assertThat(results.failures()).isEmpty();
        }
    }
}
