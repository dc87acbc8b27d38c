package org.knime.core.node;

import java.net.URL;

import org.knime.core.node.config.ConfigRO;
import org.knime.core.node.config.ConfigWO;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class NodeFactory<T extends NodeModel> {

    public static enum NodeType {
        Source, Sink, Learner, Predictor, Manipulator, Visualizer, Widget, Meta, LoopStart, LoopEnd, ScopeStart,
        ScopeEnd, @Deprecated QuickForm, Configuration, Other, Missing, Unknown, Subnode, VirtualIn, VirtualOut,
        Container
    }

    protected NodeFactory() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected NodeFactory(boolean lazyInitialization) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public abstract T createNodeModel();

    protected abstract int getNrNodeViews();

    public abstract NodeView<T> createNodeView(int viewIndex, T nodeModel);

    protected abstract boolean hasDialog();

    protected abstract NodeDialogPane createNodeDialogPane();

    public synchronized void init() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final String getNodeName() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public URL getIcon() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public NodeType getType() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final boolean isDeprecated() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void loadAdditionalFactorySettings(ConfigRO config) throws InvalidSettingsException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void saveAdditionalFactorySettings(ConfigWO config) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
