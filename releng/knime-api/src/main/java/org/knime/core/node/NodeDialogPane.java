package org.knime.core.node;

import java.awt.Component;

import org.knime.core.data.DataTableSpec;
import org.knime.core.node.port.PortObjectSpec;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class NodeDialogPane {

    protected NodeDialogPane() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected abstract void saveSettingsTo(NodeSettingsWO settings) throws InvalidSettingsException;

    protected void loadSettingsFrom(NodeSettingsRO settings, PortObjectSpec[] specs) throws NotConfigurableException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected void loadSettingsFrom(NodeSettingsRO settings, DataTableSpec[] specs) throws NotConfigurableException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final void addTab(String title, Component comp) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final void addTab(String title, Component comp, boolean wrapInScrollPane) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final void removeTab(String name) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final void renameTab(String oldName, String newName) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final NodeLogger getLogger() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void onOpen() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void onClose() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void onCancel() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
