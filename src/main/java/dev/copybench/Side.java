package dev.copybench;

/** Which process of a cell a measurement belongs to. The server is the sender. */
public enum Side {
    SERVER, CLIENT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
