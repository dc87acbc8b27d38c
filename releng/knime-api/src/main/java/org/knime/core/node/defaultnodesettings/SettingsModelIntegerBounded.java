package org.knime.core.node.defaultnodesettings;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class SettingsModelIntegerBounded extends SettingsModelInteger {

    public SettingsModelIntegerBounded(String configName, int defaultValue, int minValue, int maxValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public int getLowerBound() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public int getUpperBound() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
