package org.knime.core.node.defaultnodesettings;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class SettingsModelInteger extends SettingsModelNumber implements SettingsModelFlowVariableCompatible {

    public SettingsModelInteger(String configName, int defaultValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    SettingsModelInteger() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setIntValue(int newValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public int getIntValue() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
