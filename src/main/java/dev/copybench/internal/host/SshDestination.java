package dev.copybench.internal.host;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SSH destination as the settings give it: {@code [user@]host[:port]}, where host is a name (an
 * alias of the ssh_config in use is fine) or an IPv4 address.
 *
 * <pre>{@code
 * SshDestination.parse("bench@10.0.0.2:2222").port()   // Optional[2222]
 * }</pre>
 */
public record SshDestination(Optional<String> user, String host, Optional<Integer> port) {

    /** Never a leading '-': the host goes on ssh's command line, where it must not read as an option. */
    private static final Pattern FORM = Pattern.compile("(?:([A-Za-z0-9._][A-Za-z0-9._-]*)@)?([A-Za-z0-9_][A-Za-z0-9._-]*)(?::([0-9]{1,5}))?");

    /** The destination, or an exception saying which setting and what form it needs. */
    public static SshDestination parse(String key, String value) {
        Matcher m = FORM.matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(key + " = '" + value + "': not an SSH destination [user@]host[:port]");
        }
        Optional<Integer> port = Optional.ofNullable(m.group(3)).map(Integer::parseInt);
        if (port.isPresent() && (port.get() < 1 || port.get() > 65535)) {
            throw new IllegalArgumentException(key + " = '" + value + "': port " + port.get() + " is not in [1, 65535]");
        }
        return new SshDestination(Optional.ofNullable(m.group(1)), m.group(2), port);
    }

    @Override
    public String toString() {
        return user.map(u -> u + "@").orElse("") + host + port.map(p -> ":" + p).orElse("");
    }
}
