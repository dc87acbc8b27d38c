package org.knime.core.node;

import java.io.File;
import java.io.IOException;

import org.knime.core.data.DataTableSpec;
import org.knime.core.node.port.PortObject;
import org.knime.core.node.port.PortObjectSpec;
import org.knime.core.node.port.PortType;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class NodeModel implements AbstractNodeView.ViewableModel {

    protected NodeModel(int nrInDataPorts, int nrOutDataPorts) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected NodeModel(PortType[] inPortTypes, PortType[] outPortTypes) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected DataTableSpec[] configure(DataTableSpec[] inSpecs) throws InvalidSettingsException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected PortObjectSpec[] configure(PortObjectSpec[] inSpecs) throws InvalidSettingsException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected BufferedDataTable[] execute(BufferedDataTable[] inData, ExecutionContext exec) throws Exception {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected PortObject[] execute(PortObject[] inObjects, ExecutionContext exec) throws Exception {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected abstract void saveSettingsTo(NodeSettingsWO settings);

    protected abstract void validateSettings(NodeSettingsRO settings) throws InvalidSettingsException;

    protected abstract void loadValidatedSettingsFrom(NodeSettingsRO settings) throws InvalidSettingsException;

    protected abstract void loadInternals(File nodeInternDir, ExecutionMonitor exec)
        throws IOException, CanceledExecutionException;

    protected abstract void saveInternals(File nodeInternDir, ExecutionMonitor exec)
        throws IOException, CanceledExecutionException;

    protected abstract void reset();

    protected void onDispose() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final NodeLogger getLogger() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final void setWarningMessage(String warningMessage) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final String getWarningMessage() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final int getNrInPorts() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final int getNrOutPorts() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final PortType getInPortType(int index) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final PortType getOutPortType(int index) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final void pushFlowVariableString(String name, String value) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final void pushFlowVariableInt(String name, int value) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final void pushFlowVariableDouble(String name, double value) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final String peekFlowVariableString(String name) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final int peekFlowVariableInt(String name) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final double peekFlowVariableDouble(String name) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
