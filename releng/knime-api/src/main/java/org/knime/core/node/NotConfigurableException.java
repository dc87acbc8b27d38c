package org.knime.core.node;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class NotConfigurableException extends Exception {

    public NotConfigurableException(String message) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public NotConfigurableException(String message, Throwable cause) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
