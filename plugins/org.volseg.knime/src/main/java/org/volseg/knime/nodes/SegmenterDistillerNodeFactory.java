package org.volseg.knime.nodes;

import org.volseg.knime.OperationNodeFactory;

/** The Segmenter Distiller node (operation "distill"). */
public final class SegmenterDistillerNodeFactory extends OperationNodeFactory {

    /** The operation this node runs; its name gives this class's name. */
    public static final String OPERATION = "distill";

    public SegmenterDistillerNodeFactory() {
        super(OPERATION);
    }
}
