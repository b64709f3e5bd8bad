package dev.copybench.internal.report;

import io.qameta.allure.listener.TestLifecycleListener;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.TestResult;

/**
 * Escapes the status message and trace of copybench's results before Allure writes them: the Allure 2
 * report renders both as HTML (through ansi-to-html), so {@code LLC-load-misses is <not supported>}
 * would lose its key words to an unknown tag. Other tests' results are left as they are. Registered
 * through {@code META-INF/services}.
 */
public final class EscapedStatus implements TestLifecycleListener {

    @Override
    public void beforeTestWrite(TestResult result) {
        StatusDetails details = result.getStatusDetails();
        boolean ours = result.getLabels().stream()
                .anyMatch(l -> "tag".equals(l.getName()) && AllureReport.TAG.equals(l.getValue()));
        if (details == null || !ours) {
            return;
        }
        if (details.getMessage() != null) {
            details.setMessage(AllureReport.escape(details.getMessage()));
        }
        if (details.getTrace() != null) {
            details.setTrace(AllureReport.escape(details.getTrace()));
        }
    }
}
