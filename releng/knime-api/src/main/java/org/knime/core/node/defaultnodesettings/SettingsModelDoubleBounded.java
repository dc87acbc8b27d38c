package org.knime.core.node.defaultnodesettings;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class SettingsModelDoubleBounded extends SettingsModelDouble {

    public SettingsModelDoubleBounded(String configName, double defaultValue, double minValue, double maxValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public double getLowerBound() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public double getUpperBound() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
