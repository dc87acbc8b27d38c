package org.volseg.knime.nodes;

import org.volseg.knime.OperationNodeFactory;

/** The Segmentation Scorer node (operation "segmentation-scorer"). */
public final class SegmentationScorerNodeFactory extends OperationNodeFactory {

    /** The operation this node runs; its name gives this class's name. */
    public static final String OPERATION = "segmentation-scorer";

    public SegmentationScorerNodeFactory() {
        super(OPERATION);
    }
}
