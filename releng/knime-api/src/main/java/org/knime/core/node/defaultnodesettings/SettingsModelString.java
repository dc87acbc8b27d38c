package org.knime.core.node.defaultnodesettings;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class SettingsModelString extends SettingsModel implements SettingsModelFlowVariableCompatible {

    public SettingsModelString(String configName, String defaultValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setStringValue(String newValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public String getStringValue() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public String getKey() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
