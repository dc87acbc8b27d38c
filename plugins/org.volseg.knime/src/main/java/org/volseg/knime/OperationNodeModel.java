package org.volseg.knime;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knime.core.node.BufferedDataTable;
import org.knime.core.node.CanceledExecutionException;
import org.knime.core.node.ExecutionContext;
import org.knime.core.node.ExecutionMonitor;
import org.knime.core.node.InvalidSettingsException;
import org.knime.core.node.NodeModel;
import org.knime.core.node.NodeSettingsRO;
import org.knime.core.node.NodeSettingsWO;
import org.knime.core.node.port.PortObject;
import org.knime.core.node.port.PortObjectSpec;
import org.knime.core.node.port.PortType;
import org.volseg.ops.api.ModelPort;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.Port;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.PortKind;
import org.volseg.ops.api.PortSpec;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.TableSpec;

/**
 * The one NodeModel of every VolSeg node: KNIME settings, tables and ports in, the operation runs, its outputs go
 * back. It decides nothing an operation could decide.
 *
 * @param <S> the operation's settings record
 */
public final class OperationNodeModel<S extends Record> extends NodeModel {

    private final Operation<S> operation;
    private Map<String, String> settings;

    OperationNodeModel(Operation<S> operation) {
        super(portTypes(operation.inputs()), portTypes(operation.outputs()));
        this.operation = operation;
        this.settings = operation.schema().format(operation.schema().defaults());
    }

    private static PortType[] portTypes(List<Port> ports) {
        return ports.stream().map(p -> p.kind() == PortKind.MODEL ? ModelPortObject.TYPE : BufferedDataTable.TYPE)
                .toArray(PortType[]::new);
    }

    private S current() throws InvalidSettingsException {
        try {
            return operation.schema().parse(settings);
        } catch (org.volseg.ops.api.InvalidSettingsException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
    }

    @Override
    protected PortObjectSpec[] configure(PortObjectSpec[] inSpecs) throws InvalidSettingsException {
        List<PortSpec> inputs = new ArrayList<>();
        for (int i = 0; i < inSpecs.length; i++) {
            PortKind kind = operation.inputs().get(i).kind();
            inputs.add(inSpecs[i] == null ? null : kind == PortKind.MODEL ? ((ModelPortObjectSpec) inSpecs[i]).spec()
                    : TableSpec.of(kind));
        }
        try {
            return toKnime(operation.configure(current(), inputs));
        } catch (org.volseg.ops.api.InvalidSettingsException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
    }

    private static PortObjectSpec[] toKnime(List<PortSpec> specs) {
        return specs.stream().map(s -> s instanceof TableSpec t ? (PortObjectSpec) KnimeTables.spec(t)
                : s instanceof ModelPort.Spec m ? new ModelPortObjectSpec(m) : null).toArray(PortObjectSpec[]::new);
    }

    @Override
    protected PortObject[] execute(PortObject[] inObjects, ExecutionContext exec) throws Exception {
        List<PortData> inputs = new ArrayList<>();
        for (int i = 0; i < inObjects.length; i++) {
            PortKind kind = operation.inputs().get(i).kind();
            inputs.add(kind == PortKind.MODEL ? ((ModelPortObject) inObjects[i]).model()
                    : KnimeTables.fromKnime((BufferedDataTable) inObjects[i], TableSpec.of(kind)));
        }
        List<PortData> outputs;
        try {
            outputs = operation.execute(current(), inputs, new KnimeProgress(exec, this::setWarningMessage,
                    getLogger()::info));
        } catch (Progress.CanceledException e) {
            throw new CanceledExecutionException();
        }
        PortObject[] out = new PortObject[outputs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = outputs.get(i) instanceof ModelPort model ? new ModelPortObject(model)
                    : KnimeTables.toKnime((Table) outputs.get(i), exec);
        }
        return out;
    }

    @Override
    protected void saveSettingsTo(NodeSettingsWO s) {
        KnimeSettings.write(s, operation.schema(), settings);
    }

    @Override
    protected void validateSettings(NodeSettingsRO s) throws InvalidSettingsException {
        KnimeSettings.parse(s, operation.schema());
    }

    @Override
    protected void loadValidatedSettingsFrom(NodeSettingsRO s) throws InvalidSettingsException {
        settings = operation.schema().format(KnimeSettings.parse(s, operation.schema()));
    }

    @Override
    protected void loadInternals(File nodeInternDir, ExecutionMonitor exec) {
        // outputs are tables and files that KNIME saves itself; nothing internal
    }

    @Override
    protected void saveInternals(File nodeInternDir, ExecutionMonitor exec) {
        // see loadInternals
    }

    @Override
    protected void reset() {
        // the outputs are KNIME's to drop; settings stay
    }

}
