package dev.copybench.internal.perf;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.nio.file.Path;

/** The control and acknowledgement fifos of one perf session, created with {@code mkfifo(3)}. */
public record PerfControlFifos(Path control, Path ack) {

    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int mkfifo(String path, int mode);
    }

    /** Creates {@code <prefix>.ctl} and {@code <prefix>.ack} in dir. */
    public static PerfControlFifos create(Path dir, String prefix) throws IOException {
        PerfControlFifos f = new PerfControlFifos(dir.resolve(prefix + ".ctl"), dir.resolve(prefix + ".ack"));
        for (Path p : new Path[] {f.control, f.ack}) {
            if (LibC.INSTANCE.mkfifo(p.toString(), 0600) != 0) {
                throw new IOException("mkfifo " + p + " failed (errno " + Native.getLastError() + ")");
            }
        }
        return f;
    }
}
