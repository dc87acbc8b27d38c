package org.knime.core.node.defaultnodesettings;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class SettingsModelDouble extends SettingsModelNumber implements SettingsModelFlowVariableCompatible {

    public SettingsModelDouble(String configName, double defaultValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    SettingsModelDouble() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setDoubleValue(double newValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public double getDoubleValue() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
