package dev.copybench.internal.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cell whose engine processes did not finish cleanly. The message names what went wrong and
 * quotes the engines' error lines; {@link #artifacts()} holds their full output for the report.
 */
public final class CellFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, String> artifacts;

    public CellFailedException(String message, Map<String, String> artifacts) {
        super(message + errorLines(artifacts));
        this.artifacts = new LinkedHashMap<>(artifacts);
    }

    private static String errorLines(Map<String, String> artifacts) {
        StringBuilder s = new StringBuilder();
        artifacts.forEach((name, text) -> {
            if (name.endsWith(".err")) {
                text.lines().filter(l -> l.contains("error")).forEach(l -> s.append("\n  ").append(name).append(": ").append(l));
            }
        });
        return s.toString();
    }

    /** Raw output of the cell's processes by file name (server.err, client.json, …). */
    public Map<String, String> artifacts() {
        return artifacts;
    }
}
