package dev.copybench.hypothesis;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** {@code ./copybench compare} in this JVM, for tests outside this package: its exit status and what it printed. */
public final class CompareCommand {

    /** What one run of the command did. */
    public record Outcome(int status, String out, String err) {
    }

    private CompareCommand() {
    }

    public static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Compare.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
