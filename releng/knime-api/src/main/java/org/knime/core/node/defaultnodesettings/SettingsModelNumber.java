package org.knime.core.node.defaultnodesettings;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class SettingsModelNumber extends SettingsModel {

    SettingsModelNumber() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
