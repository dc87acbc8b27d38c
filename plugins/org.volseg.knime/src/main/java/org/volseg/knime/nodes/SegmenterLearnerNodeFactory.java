package org.volseg.knime.nodes;

import org.volseg.knime.OperationNodeFactory;

/** The Segmenter Learner node (operation "segmenter-learner"). */
public final class SegmenterLearnerNodeFactory extends OperationNodeFactory {

    /** The operation this node runs; its name gives this class's name. */
    public static final String OPERATION = "segmenter-learner";

    public SegmenterLearnerNodeFactory() {
        super(OPERATION);
    }
}
