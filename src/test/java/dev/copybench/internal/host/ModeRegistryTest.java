package dev.copybench.internal.host;

import dev.copybench.CopyMode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** One registry of send paths: the engine's (native/src/modes.c), Java's {@link CopyMode}, and the README's table agree. */
class ModeRegistryTest {

    @Test
    void theEngineAndJavaKnowTheSameSendPaths() {
        assertThat(HostProbe.modes(NativeEngine.local()).keySet())
                .containsExactlyElementsOf(Arrays.stream(CopyMode.values()).map(CopyMode::engineName).toList());
    }

    @Test
    void everyPathIsAvailableOnThisKernelOrSaysWhyNot() {
        assertThat(HostProbe.modes(NativeEngine.local()).values())
                .allSatisfy(status -> assertThat(status).matches("available|.{10,}"));
    }

    @Test
    void theReadmeTableListsEveryPath() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (CopyMode mode : CopyMode.values()) {
            assertThat(readme).as("README row for " + mode).containsPattern("\\n\\| `" + mode + "` \\| `" + mode.engineName() + "` \\|");
        }
    }
}
