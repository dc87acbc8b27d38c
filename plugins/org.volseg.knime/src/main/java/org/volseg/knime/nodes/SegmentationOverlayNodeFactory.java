package org.volseg.knime.nodes;

import org.volseg.knime.OperationNodeFactory;

/** The Segmentation Overlay node (operation "segmentation-overlay"). */
public final class SegmentationOverlayNodeFactory extends OperationNodeFactory {

    /** The operation this node runs; its name gives this class's name. */
    public static final String OPERATION = "segmentation-overlay";

    public SegmentationOverlayNodeFactory() {
        super(OPERATION);
    }
}
