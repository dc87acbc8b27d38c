package org.knime.core.node.defaultnodesettings;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class SettingsModelBoolean extends SettingsModel {

    public SettingsModelBoolean(String configName, boolean defaultValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setBooleanValue(boolean newValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public boolean getBooleanValue() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
