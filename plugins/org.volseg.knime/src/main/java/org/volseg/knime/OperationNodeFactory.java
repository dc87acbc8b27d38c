package org.volseg.knime;

import org.knime.core.node.NodeDialogPane;
import org.knime.core.node.NodeFactory;
import org.knime.core.node.NodeView;
import org.volseg.ops.Operations;
import org.volseg.ops.api.Operation;

/**
 * The factory of every VolSeg node; each node's own factory only names its operation. The node description
 * ({@code <Factory>.xml} beside each factory) is generated from the same operation at build time.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public abstract class OperationNodeFactory extends NodeFactory<OperationNodeModel> {

    private final Operation<?> operation;

    protected OperationNodeFactory(String operationId) {
        this.operation = Operations.byId(operationId).orElseThrow(() -> new IllegalStateException(
                "no operation '" + operationId + "'"));
    }

    @Override
    public OperationNodeModel createNodeModel() {
        return new OperationNodeModel(operation);
    }

    @Override
    public int getNrNodeViews() {
        return 0;
    }

    @Override
    public NodeView<OperationNodeModel> createNodeView(int viewIndex, OperationNodeModel nodeModel) {
        return null;
    }

    @Override
    public boolean hasDialog() {
        return true;
    }

    @Override
    public NodeDialogPane createNodeDialogPane() {
        return new OperationDialog(operation.schema(), "volseg." + operation.id());
    }
}
