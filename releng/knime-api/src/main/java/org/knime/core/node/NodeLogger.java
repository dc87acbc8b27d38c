package org.knime.core.node;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class NodeLogger {

    private NodeLogger() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public static NodeLogger getLogger(Class<?> c) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public static NodeLogger getLogger(String s) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void debug(Object o) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void debug(Object o, Throwable t) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void info(Object o) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void info(Object o, Throwable t) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void warn(Object o) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void warn(Object o, Throwable t) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void error(Object o) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void error(Object o, Throwable t) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void fatal(Object o) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void fatal(Object o, Throwable t) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void coding(Object o) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void coding(Object o, Throwable t) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void debugWithFormat(String format, Object... args) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void infoWithFormat(String format, Object... args) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void warnWithFormat(String format, Object... args) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void errorWithFormat(String format, Object... args) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void fatalWithFormat(String format, Object... args) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void codingWithFormat(String format, Object... args) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public boolean isDebugEnabled() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public boolean isInfoEnabled() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
