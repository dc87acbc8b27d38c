package org.knime.core.node.defaultnodesettings;

import javax.swing.event.ChangeListener;

import org.knime.core.node.InvalidSettingsException;
import org.knime.core.node.NodeSettingsRO;
import org.knime.core.node.NodeSettingsWO;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class SettingsModel {

    public static final String CFGKEY_INTERNAL = "_Internals";

    public SettingsModel() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final <T extends SettingsModel> T createCloneWithValidatedValue(NodeSettingsRO settings)
        throws InvalidSettingsException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final void validateSettings(NodeSettingsRO settings) throws InvalidSettingsException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final void loadSettingsFrom(NodeSettingsRO settings) throws InvalidSettingsException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final void saveSettingsTo(NodeSettingsWO settings) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void addChangeListener(ChangeListener l) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void removeChangeListener(ChangeListener l) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setEnabled(boolean enabled) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public boolean isEnabled() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
