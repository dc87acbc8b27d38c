package org.volseg.knime.nodes;

import org.volseg.knime.OperationNodeFactory;

/** The Synthetic Phantoms node (operation "synthetic-phantoms"). */
public final class SyntheticPhantomsNodeFactory extends OperationNodeFactory {

    /** The operation this node runs; its name gives this class's name. */
    public static final String OPERATION = "synthetic-phantoms";

    public SyntheticPhantomsNodeFactory() {
        super(OPERATION);
    }
}
