package dev.copybench.internal.plan;

import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Workload;
import dev.copybench.internal.host.NativeEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Java plans a cell's memory before starting it; the engine plans it again and refuses a run over
 * {@code --max-memory}. The two formulas must agree, or Java admits cells the engine then refuses
 * (or refuses cells it could run): each case asks the real engine for its figure with a 1-byte cap.
 */
class MemoryBudgetTest {

    private static final int THREADS = 3;
    private static final int DURATION_MS = 1000;
    /** The engine's progress samples: 16 B per 20 ms of window, per process (native/README.md, "Memory"). */
    private static final long PER_PROCESS = 16L * (DURATION_MS / 20 + 2);
    private static final Pattern PLANNED = Pattern.compile("would allocate .* \\((\\d+) bytes\\)");

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (String size : List.of("64", "64K", "256K", "1M", "4M")) {
            for (CopyMode mode : CopyMode.values()) {
                cells.add(Arguments.of(mode, MessageSize.parse(size), Workload.STREAM));
            }
            cells.add(Arguments.of(CopyMode.ONE_COPY, MessageSize.parse(size), Workload.REQUEST_RESPONSE));
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} · {1} · {2}")
    @MethodSource("cells")
    void javaPlansWhatTheEnginePlans(CopyMode mode, MessageSize size, Workload workload) throws Exception {
        long server = engineFigure("server", size, "--mode", mode.engineName(), "--bind", "127.0.0.1");
        long client = engineFigure("client", size, "--connect", "127.0.0.1", "--port", "9",
                "--workload", workload.engineName());

        assertThat(MemoryBudget.cellBytes(mode, size, THREADS, workload))
                .isEqualTo(server + client - 2 * PER_PROCESS);
    }

    private static long engineFigure(String role, MessageSize size, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(NativeEngine.local().executable().toString(), role,
                "--size", String.valueOf(size.bytes()), "--threads", String.valueOf(THREADS), "--duration-ms", String.valueOf(DURATION_MS), "--max-memory", "1"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isEqualTo(2);
        Matcher m = PLANNED.matcher(out);
        assertThat(m.find()).as("the engine's refusal names its planned figure: %s", out).isTrue();
        return Long.parseLong(m.group(1));
    }
}
