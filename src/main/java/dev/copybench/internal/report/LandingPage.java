package dev.copybench.internal.report;

import dev.copybench.BenchmarkResults;
import dev.copybench.Configuration;
import dev.copybench.CopyMode;
import dev.copybench.MessageSize;
import dev.copybench.Metric;
import dev.copybench.Workload;
import dev.copybench.hypothesis.Summary;
import dev.copybench.internal.host.HostCapabilities;
import dev.copybench.internal.plan.BenchmarkPlan;
import dev.copybench.internal.results.MetricTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.copybench.internal.report.AllureReport.escape;

/**
 * The summary result's page, which a reader opens first: one line per verdict or answer, the run's
 * scope, the host's caveats, and per matrix a wide table (a row per size, threads and workload, a
 * column per mode: mean ± half the 95 % interval, and the ratio to two-copy). Every text is escaped.
 */
record LandingPage(String headline, String status, String html) {

    static LandingPage of(List<MatrixReport> matrices, HostCapabilities host) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        StringBuilder answers = new StringBuilder("<ul class=\"copybench-answers\">");
        for (MatrixReport m : matrices) {
            for (MatrixReport.Outcome o : m.outcomes()) {
                counts.merge(o.status(), 1, Integer::sum);
                for (String line : o.lines().isEmpty() ? List.of(o.status()) : o.lines()) {
                    answers.append("<li><b>").append(escape(o.status())).append("</b> · <code>").append(escape(o.testClass() + "." + o.test()))
                            .append("</code>: ").append(escape(line.replaceFirst("^ANSWERED: ", ""))).append("</li>");
                }
            }
        }
        answers.append("</ul>");
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        String headline = total + (total == 1 ? " hypothesis: " : " hypotheses: ") + String.join(", ",
                counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().toLowerCase(Locale.ROOT)).toList());
        StringBuilder html = new StringBuilder("<div class=\"copybench-summary\">");
        html.append("<p><b>").append(escape(headline)).append("</b>. Answers first; in Behaviors, each test class follows "
                + "with its questions and hypotheses, then its cells under the matrix that measured them.</p>");
        html.append("<h3>Answers</h3>").append(answers);
        html.append("<h3>Scope</h3><ul>");
        for (MatrixReport m : matrices) {
            BenchmarkPlan plan = m.plan();
            html.append("<li>").append(escape(MatrixReport.scope(plan))).append(plan.overrides().isEmpty()
                    ? " (as annotated)" : " — a sample: " + escape(plan.overrides().toString())
                    + " override the annotation; the full matrix runs without them").append("</li>");
        }
        html.append("</ul><h3>Host caveats</h3><ul>");
        caveats(matrices, host).forEach(c -> html.append("<li>").append(escape(c)).append("</li>"));
        html.append("</ul>");
        for (MatrixReport m : matrices) {
            html.append("<h3>").append(escape(m.name())).append("</h3>").append(wideTable(m.results()));
        }
        html.append("<p>Downloads (attachments below): every repetition of every cell, every configuration × metric, "
                + "and every plot of the run, each stored once.</p></div>");
        return new LandingPage(headline, "unknown", html.toString());
    }

    /** What a reader must know about this host before reading any number. */
    static List<String> caveats(List<MatrixReport> matrices, HostCapabilities host) {
        List<String> caveats = new ArrayList<>();
        if (virtualMachine()) {
            caveats.add("A virtual machine (the CPU reports a hypervisor): hardware counters are usually absent and other "
                    + "guests share the physical cores, so absolute numbers do not transfer to bare metal.");
        }
        caveats.add(host.cores() + " cores (" + host.cpuModel() + ", " + host.kernel() + "): server and client threads share "
                + "them, so more client threads compete with the server rather than add parallel work.");
        List<String> absent = host.eventStatus().entrySet().stream()
                .filter(e -> !e.getValue().equals(HostCapabilities.COUNTED))
                .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
        caveats.add(absent.isEmpty() ? "Every requested perf counter was counted."
                : "Perf counters not counted here: " + String.join(", ", absent)
                + ". Hypotheses on them are UNDECIDABLE, never passed.");
        for (MatrixReport m : matrices) {
            copiedShare(m.results()).ifPresent(caveats::add);
            caveats.add("Topology: " + m.results().topology() + ".");
        }
        return caveats.stream().distinct().toList();
    }

    private static boolean virtualMachine() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .anyMatch(l -> l.startsWith("flags") && l.contains(" hypervisor"));
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<String> copiedShare(BenchmarkResults results) {
        MetricTable table = MetricTable.of(results);
        DoubleSummaryStatistics shares = table.configurations().stream()
                .map(c -> table.entry(c, Metric.ZERO_COPY_COPIED_SHARE).summary())
                .flatMap(Optional::stream).mapToDouble(Summary::mean).summaryStatistics();
        if (shares.getCount() == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "Zero-copy sends the kernel copied anyway (SO_EE_CODE_ZEROCOPY_COPIED): "
                + "%.1f–%.1f %% per configuration. Local delivery (veth, loopback) copies; true zero-copy needs a NIC.",
                shares.getMin() * 100, shares.getMax() * 100));
    }

    /**
     * A row per workload, size and thread count; a column per mode with mean ± half the 95 % interval
     * of the workload's headline metric (throughput; for request/response the round-trip p50's geometric mean
     * with its log-scale interval, which is not symmetric), and × the two-copy mean.
     */
    static String wideTable(BenchmarkResults results) {
        BenchmarkPlan plan = results.plan();
        MetricTable table = MetricTable.of(results);
        StringBuilder s = new StringBuilder("<table class=\"copybench-wide\"><tr><th>workload</th><th>size</th><th>threads</th>"
                + "<th>metric</th>");
        plan.modes().forEach(m -> s.append("<th>").append(m).append("</th>"));
        s.append("</tr>");
        for (Workload w : plan.workloads()) {
            Metric metric = w == Workload.REQUEST_RESPONSE ? Metric.LATENCY_P50_US : Metric.THROUGHPUT_GBPS;
            for (MessageSize size : plan.sizes().stream().sorted().toList()) {
                for (int t : plan.threads()) {
                    s.append("<tr><td>").append(w.engineName()).append("</td><td>").append(size).append("</td><td>").append(t)
                            .append("</td><td>").append(escape(metric.name() + " (" + metric.unit() + ")")).append("</td>");
                    Optional<Summary> baseline = table.entry(new Configuration(CopyMode.TWO_COPY, size, t, w), metric).summary();
                    for (CopyMode mode : plan.modes()) {
                        MetricTable.Entry e = table.entry(new Configuration(mode, size, t, w), metric);
                        s.append("<td>");
                        if (e.summary().isPresent()) {
                            double mean = e.summary().get().mean();
                            Summary m = e.summary().get();
                            s.append(Plots.number(mean)).append(metric.isLatencyPercentile() && m.hasInterval()
                                    ? " [" + Plots.number(m.ciLow()) + ", " + Plots.number(m.ciHigh()) + "]"
                                    : " ± " + Plots.number(e.halfInterval()));
                            baseline.filter(b -> mode != CopyMode.TWO_COPY && b.mean() != 0)
                                    .ifPresent(b -> s.append("<br>× ").append(String.format(Locale.ROOT, "%.2f", mean / b.mean())));
                        } else {
                            s.append("<i>").append(escape(e.absent())).append("</i>");
                        }
                        s.append("</td>");
                    }
                    s.append("</tr>");
                }
            }
        }
        return s.append("</table><p>mean ± half the 95 % t interval over the repetitions; × = ratio to the TWO_COPY "
                + "mean.</p>").toString();
    }
}
