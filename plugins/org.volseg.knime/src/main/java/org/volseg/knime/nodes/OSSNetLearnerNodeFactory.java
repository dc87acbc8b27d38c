package org.volseg.knime.nodes;

import org.volseg.knime.OperationNodeFactory;

/** The OSS-Net Learner node (operation "train-ossnet"). */
public final class OSSNetLearnerNodeFactory extends OperationNodeFactory {

    /** The operation this node runs; its name gives this class's name. */
    public static final String OPERATION = "train-ossnet";

    public OSSNetLearnerNodeFactory() {
        super(OPERATION);
    }
}
