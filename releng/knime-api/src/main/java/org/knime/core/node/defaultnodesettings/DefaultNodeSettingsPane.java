package org.knime.core.node.defaultnodesettings;

import org.knime.core.data.DataTableSpec;
import org.knime.core.node.InvalidSettingsException;
import org.knime.core.node.NodeDialogPane;
import org.knime.core.node.NodeSettingsRO;
import org.knime.core.node.NodeSettingsWO;
import org.knime.core.node.NotConfigurableException;
import org.knime.core.node.port.PortObjectSpec;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class DefaultNodeSettingsPane extends NodeDialogPane {

    public DefaultNodeSettingsPane() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void addDialogComponent(DialogComponent diaC) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void createNewGroup(String title) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void closeCurrentGroup() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void createNewTab(String tabTitle) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void createNewTabAt(String tabTitle, int index) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void selectTab(String tabTitle) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setDefaultTabTitle(String tabTitle) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setHorizontalPlacement(boolean horizontal) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public final void loadSettingsFrom(NodeSettingsRO settings, PortObjectSpec[] specs)
        throws NotConfigurableException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public final void saveSettingsTo(NodeSettingsWO settings) throws InvalidSettingsException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void loadAdditionalSettingsFrom(NodeSettingsRO settings, PortObjectSpec[] specs)
        throws NotConfigurableException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void loadAdditionalSettingsFrom(NodeSettingsRO settings, DataTableSpec[] specs)
        throws NotConfigurableException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void saveAdditionalSettingsTo(NodeSettingsWO settings) throws InvalidSettingsException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
