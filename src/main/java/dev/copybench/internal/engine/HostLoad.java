package dev.copybench.internal.engine;

import dev.copybench.CellResult;
import dev.copybench.internal.host.Topology;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What else kept the server's host busy during one cell's measured window: the competing load a
 * system-wide figure would otherwise charge to the cell, and that a reader needs to trust any figure.
 *
 * <p>From the server's window: every CPU's busy time ({@code /proc/stat}) less steal, less irq and
 * softirq, less the CPU time of the cell's engine processes on that host (getrusage over each one's
 * window: every thread, io_uring's iou-wrk workers included). What is left ran in other processes
 * (other tests, the copybench JVM, perf). Irq and softirq are never counted as others': the cell's
 * own traffic causes nearly all of it here, and no counter splits it by owner. On a kernel without
 * {@code CONFIG_IRQ_TIME_ACCOUNTING} a process's CPU time already holds the softirq it ran inline, so
 * that much is subtracted twice: {@link #othersNs()} is a lower bound, exact to within the window's
 * irq time (at most {@link #irqNs()} of others' CPU is missed). /proc/stat counts USER_HZ ticks, so
 * each figure is uncertain by about a tick per CPU.
 *
 * <pre>{@code
 * HostLoad.of(result).filter(HostLoad::busy).ifPresent(l -> System.out.println(l.describe()));
 * }</pre>
 *
 * @param windowNs  the server's measured window
 * @param busyNs    every CPU's busy time in it (steal, irq and softirq included)
 * @param irqNs     irq and softirq time in it
 * @param stealNs   time the hypervisor ran other guests on this guest's CPUs
 * @param enginesNs the CPU time of the cell's engine processes on the server's host
 */
public record HostLoad(long windowNs, int cpus, long busyNs, long irqNs, long stealNs, long enginesNs) {

    /**
     * Others using more than this share of one CPU over the window (beyond a tick per CPU of
     * /proc/stat's own uncertainty) make the host {@linkplain #busy() busy}: small against what the
     * cell's two processes use (up to two CPUs), yet well above what copybench's JVM and perf use while
     * they wait out a window, so a flag means another job, not copybench's own overhead.
     */
    public static final double BUSY_SHARE_OF_ONE_CPU = 0.10;
    /** /proc/stat's unit, USER_HZ: 100 per second on Linux. */
    static final long TICK_NS = 10_000_000L;

    /**
     * The load during the cell's window, or empty when the engine reported no system-wide CPU time (or not
     * its irq and steal parts).
     * Both engines are subtracted when they share the server's host (namespaces, loopback); on a
     * remote topology only the server is, since the client runs on another host.
     */
    public static Optional<HostLoad> of(CellResult r) {
        EngineReport server = r.server();
        if (server.system() == null || server.system().irqNs() == null || server.system().stealNs() == null
                || server.rusage() == null || server.window() == null) {
            return Optional.empty();
        }
        long engines = cpuNs(server);
        if (r.client() != server && r.topology() != Topology.Kind.REMOTE && r.client().rusage() != null) {
            engines += cpuNs(r.client());
        }
        EngineReport.SystemCpu s = server.system();
        return Optional.of(new HostLoad(server.window().endNs() - server.window().startNs(), s.cpus(), s.busyNs(),
                s.irqNs(), s.stealNs(), engines));
    }

    private static long cpuNs(EngineReport report) {
        return Math.round((report.rusage().userS() + report.rusage().systemS()) * 1e9);
    }

    /** CPU time other processes used in the window (a lower bound; see the class comment). */
    public long othersNs() {
        return Math.max(0, busyNs - stealNs - irqNs - enginesNs);
    }

    /** Others' CPU as a number of CPUs kept busy over the window: 0.25 is a quarter of one CPU. */
    public double othersCpus() {
        return windowNs <= 0 ? 0 : (double) othersNs() / windowNs;
    }

    /** Steal as a number of CPUs over the window. */
    public double stealCpus() {
        return windowNs <= 0 ? 0 : (double) stealNs / windowNs;
    }

    /** Others used more than {@link #BUSY_SHARE_OF_ONE_CPU} of one CPU, beyond a tick per CPU of uncertainty. */
    public boolean busy() {
        return othersNs() > BUSY_SHARE_OF_ONE_CPU * windowNs + (double) cpus * TICK_NS;
    }

    /** The cell's own share of the busy time: all but steal and others' CPU (so an upper bound of the cell's cost). */
    public long cellNs() {
        return busyNs - stealNs - othersNs();
    }

    /** {@code others used 12 % of 2 CPUs (0.24 CPU), steal 0 %: busy host}. */
    public String describe() {
        return String.format(Locale.ROOT, "others used %s of %d CPUs (%.2f CPU), steal %s%s", percent(othersCpus() / cpus),
                cpus, othersCpus(), percent(stealCpus() / cpus), busy() ? ": busy host" : "");
    }

    /**
     * One line over the cells a verdict or answer used: {@code host load: others used 0–3 % of 2 CPUs,
     * steal 0 %} and, when some were busy, how many, against which threshold.
     */
    public static String summary(Collection<CellResult> cells) {
        List<HostLoad> loads = cells.stream().map(HostLoad::of).flatMap(Optional::stream).toList();
        if (loads.isEmpty()) {
            return cells.isEmpty() ? "host load: no cell measured"
                    : "host load: not measured (the engines reported no system-wide CPU time)";
        }
        return summary(loads.stream().mapToDouble(HostLoad::othersCpus).toArray(),
                loads.stream().mapToDouble(HostLoad::stealCpus).toArray(), (int) loads.stream().filter(HostLoad::busy).count(),
                loads.get(0).cpus(), cells.size() - loads.size());
    }

    /**
     * The same line from recorded figures (a results file's cells): others' CPU and steal of each cell in CPUs,
     * how many of them were busy, on how many CPUs, and how many cells had no reading.
     */
    public static String summary(double[] othersCpus, double[] stealCpus, int busy, int cpus, int unmeasured) {
        if (othersCpus.length == 0) {
            return "host load: not measured" + (unmeasured > 0 ? " in " + unmeasured + " cells" : "");
        }
        double lo = java.util.Arrays.stream(othersCpus).min().orElse(0) / cpus;
        double hi = java.util.Arrays.stream(othersCpus).max().orElse(0) / cpus;
        double steal = java.util.Arrays.stream(stealCpus).max().orElse(0) / cpus;
        String range = percent(lo).equals(percent(hi)) ? percent(hi) : percent(lo).replace(" %", "") + "–" + percent(hi);
        String s = "host load: others used " + range + " of " + cpus + " CPUs, steal "
                + (percent(steal).equals(percent(0)) ? "" : "up to ") + percent(steal) + (unmeasured > 0 ? " (" + unmeasured + " cells unmeasured)" : "");
        return busy == 0 ? s : s + String.format(Locale.ROOT, "; busy host in %d of %d cells (others above %.0f %% of one CPU)",
                busy, othersCpus.length, BUSY_SHARE_OF_ONE_CPU * 100);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }
}
