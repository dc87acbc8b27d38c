package org.knime.core.node;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class InvalidSettingsException extends Exception {

    public InvalidSettingsException(String s) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public InvalidSettingsException(Throwable cause) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public InvalidSettingsException(String msg, Throwable cause) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
