package org.knime.core.node.defaultnodesettings;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class SettingsModelLongBounded extends SettingsModelLong {

    public SettingsModelLongBounded(String configName, long defaultValue, long minValue, long maxValue) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
