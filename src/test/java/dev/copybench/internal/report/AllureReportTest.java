package dev.copybench.internal.report;

import dev.copybench.BenchmarkResults;
import dev.copybench.Synthetic;
import dev.copybench.Synthetic.Values;
import dev.copybench.internal.plan.BenchmarkPlan;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.TestResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.copybench.CopyMode.ONE_COPY;
import static dev.copybench.CopyMode.TWO_COPY;
import static org.assertj.core.api.Assertions.assertThat;

/** What the report writes besides plots: perf's header, escaped messages, the summary's wide table. */
class AllureReportTest {

    @Test
    void perfOutputGetsAHeaderNamingItsColumnsAfterPerfsOwnComment() {
        String perf = "# started on Sun Nov 22 18:52:30 2026\n\n69.04,msec,task-clock,69044115,100.00,0.256,CPUs utilized\n";

        String shown = AllureReport.withPerfHeader(perf);

        assertThat(shown.lines()).containsExactly("# started on Sun Nov 22 18:52:30 2026", "",
                "# columns: counter value,unit,event,run time (ns),running %,metric value,metric unit",
                "69.04,msec,task-clock,69044115,100.00,0.256,CPUs utilized");
        assertThat(AllureReport.withPerfHeader("")).isEmpty();
    }

    @Test
    void copybenchsStatusMessagesAreEscapedOthersAreLeftAlone() {
        String message = "UNDECIDABLE: LLC-load-misses is <not supported> on this host & so on";
        TestResult ours = new TestResult().setLabels(List.of(new Label().setName("tag").setValue(AllureReport.TAG)))
                .setStatusDetails(new StatusDetails().setMessage(message).setTrace(message));
        TestResult theirs = new TestResult().setStatusDetails(new StatusDetails().setMessage(message));

        new EscapedStatus().beforeTestWrite(ours);
        new EscapedStatus().beforeTestWrite(theirs);

        assertThat(ours.getStatusDetails().getMessage())
                .isEqualTo("UNDECIDABLE: LLC-load-misses is &lt;not supported&gt; on this host &amp; so on");
        assertThat(ours.getStatusDetails().getTrace()).isEqualTo(ours.getStatusDetails().getMessage());
        assertThat(theirs.getStatusDetails().getMessage()).isEqualTo(message);
    }

    @Test
    void theWideTableHasARowPerConfigurationAColumnPerModeAndTheRatioToTwoCopy() {
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64", "64K"), 3);
        BenchmarkResults results = Synthetic.results(plan, c -> Values.gbps((c.mode() == ONE_COPY ? 20 : 10) + c.repetition()));

        String html = LandingPage.wideTable(results);

        assertThat(html).contains("<th>TWO_COPY</th><th>ONE_COPY</th>")
                .contains("<td>stream</td><td>64 B</td><td>1</td>")
                .contains("<td>12 ± 2.48</td><td>22 ± 2.48<br>× 1.83</td>");   // 22 / 12
        assertThat(html.split("<tr>")).hasSize(1 + 1 + 2);   // before the header, the header, two sizes
    }

    @Test
    void theScopeSaysWhatTheMatrixWas() {
        BenchmarkPlan plan = Synthetic.plan(List.of(TWO_COPY, ONE_COPY), List.of("64", "16K", "1M"), 3);

        assertThat(MatrixReport.scope(plan))
                .isEqualTo("2 modes × 3 sizes (64 B – 1 MiB) × 1 thread × stream; 3 rounds of 1s after 100ms warm-up");
    }
}
