package org.knime.core.node.defaultnodesettings;

import org.knime.core.node.InvalidSettingsException;
import org.knime.core.node.NotConfigurableException;
import org.knime.core.node.port.PortObjectSpec;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class DialogComponentString extends DialogComponent {

    public DialogComponentString(SettingsModelString stringModel, String label) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DialogComponentString(SettingsModelString stringModel, String label, boolean disallowEmptyString,
        int compWidth) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    protected void updateComponent() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    protected void validateSettingsBeforeSave() throws InvalidSettingsException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    protected void checkConfigurabilityBeforeLoad(PortObjectSpec[] specs) throws NotConfigurableException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    protected void setEnabledComponents(boolean enabled) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public void setToolTipText(String text) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
