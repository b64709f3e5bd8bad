package dev.copybench.internal.results;

import java.util.Locale;

/**
 * {@code results.csv}: the results file flattened, one line per cell × metric, for spreadsheets and
 * {@code pandas.read_csv}. Columns: {@value #HEADER}. A metric without a value has an empty {@code value}
 * and says why in {@code absent}; a cell that did not measure has one line with an empty metric.
 */
final class ResultsCsv {

    static final String HEADER = "run_id,plan,measured_by,cell,mode,size_bytes,threads,workload,repetition,status,reason,"
            + "metric,side,unit,value,absent";

    private ResultsCsv() {
    }

    /** The lines of one cell: what a run appends to its file as the cell finishes. */
    static String rows(String runId, RunFile.Plan p, RunFile.Cell c) {
        StringBuilder s = new StringBuilder();
        String head = String.join(",", quote(runId), quote(p.id()), quote(p.measuredBy()),
                String.valueOf(c.index()), c.mode(), String.valueOf(c.sizeBytes()), String.valueOf(c.threads()),
                c.workload(), String.valueOf(c.repetition()), c.status(), quote(c.reason()));
        if (c.metrics().isEmpty()) {
            s.append(head).append(",,,,,\n");
        }
        for (RunFile.Value v : c.metrics()) {
            s.append(head).append(',').append(quote(v.metric())).append(',').append(v.side()).append(',')
                    .append(quote(v.unit())).append(',')
                    .append(v.value() == null ? "" : String.format(Locale.ROOT, "%.9g", v.value())).append(',')
                    .append(quote(v.absent())).append('\n');
        }
        return s.toString();
    }

    private static String quote(String text) {
        if (text == null) {
            return "";
        }
        return text.contains(",") || text.contains("\"") || text.contains("\n")
                ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
