package org.volseg.knime.nodes;

import org.volseg.knime.OperationNodeFactory;

/** The Segmenter Predictor node (operation "segmenter-predictor"). */
public final class SegmenterPredictorNodeFactory extends OperationNodeFactory {

    /** The operation this node runs; its name gives this class's name. */
    public static final String OPERATION = "segmenter-predictor";

    public SegmenterPredictorNodeFactory() {
        super(OPERATION);
    }
}
