package org.knime.core.node.defaultnodesettings;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class SettingsModelLong extends SettingsModelNumber {

    public SettingsModelLong(String configName, long defaultValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    SettingsModelLong() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setLongValue(long newValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public long getLongValue() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
