package org.knime.core.node;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class AbstractNodeView<T extends NodeModel> {

    public static interface ViewableModel {
    }

    AbstractNodeView() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected abstract void modelChanged();
}
