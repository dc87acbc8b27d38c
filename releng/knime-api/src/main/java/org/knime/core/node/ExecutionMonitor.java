package org.knime.core.node;

import java.util.function.Supplier;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class ExecutionMonitor {

    public ExecutionMonitor() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void checkCanceled() throws CanceledExecutionException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setProgress(double progress) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setProgress(double progress, String message) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setProgress(double progress, Supplier<String> messageSupplier) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setProgress(String message) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setMessage(String message) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public ExecutionMonitor createSubProgress(double maxProg) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public ExecutionMonitor createSilentSubProgress(double maxProg) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
