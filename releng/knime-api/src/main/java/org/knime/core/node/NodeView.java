package org.knime.core.node;

import java.awt.Component;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class NodeView<T extends NodeModel> extends AbstractNodeView<T> implements NodeModelWarningListener {

    protected NodeView(T nodeModel) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected abstract void onClose();

    protected abstract void onOpen();

    protected T getNodeModel() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected final void setComponent(Component comp) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
