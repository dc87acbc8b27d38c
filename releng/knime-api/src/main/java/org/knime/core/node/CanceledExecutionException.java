package org.knime.core.node;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class CanceledExecutionException extends Exception {

    public CanceledExecutionException() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public CanceledExecutionException(String s) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
