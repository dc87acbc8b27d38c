package org.volseg.knime;

import java.util.function.Consumer;
import org.knime.core.node.CanceledExecutionException;
import org.knime.core.node.ExecutionMonitor;
import org.volseg.ops.api.Progress;

/**
 * An operation's progress on the node's progress bar, its warnings on the node, its logged facts in the node's log
 * (info level), its cancellation from the node's cancel button.
 */
final class KnimeProgress implements Progress {

    private final ExecutionMonitor exec;
    private final Consumer<String> warnings;
    private final Consumer<String> log;

    KnimeProgress(ExecutionMonitor exec, Consumer<String> warnings, Consumer<String> log) {
        this.exec = exec;
        this.warnings = warnings;
        this.log = log;
    }

    @Override
    public void report(double fraction, String message) {
        exec.setProgress(Math.max(0, Math.min(1, fraction)), message);
    }

    @Override
    public void checkCanceled() throws CanceledException {
        try {
            exec.checkCanceled();
        } catch (CanceledExecutionException e) {
            throw new CanceledException();
        }
    }

    @Override
    public void warn(String message) {
        warnings.accept(message);
    }

    @Override
    public void log(String message) {
        log.accept(message);
    }
}
