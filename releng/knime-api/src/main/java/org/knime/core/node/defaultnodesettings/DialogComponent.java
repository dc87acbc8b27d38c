package org.knime.core.node.defaultnodesettings;

import javax.swing.JPanel;

import org.knime.core.node.InvalidSettingsException;
import org.knime.core.node.NotConfigurableException;
import org.knime.core.node.port.PortObjectSpec;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class DialogComponent {

    public DialogComponent(SettingsModel model) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    DialogComponent() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public JPanel getComponentPanel() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final SettingsModel getModel() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final void setEnabled(boolean enabled) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public abstract void setToolTipText(String text);

    protected abstract void updateComponent();

    protected abstract void validateSettingsBeforeSave() throws InvalidSettingsException;

    protected abstract void checkConfigurabilityBeforeLoad(PortObjectSpec[] specs) throws NotConfigurableException;

    protected abstract void setEnabledComponents(boolean enabled);
}
