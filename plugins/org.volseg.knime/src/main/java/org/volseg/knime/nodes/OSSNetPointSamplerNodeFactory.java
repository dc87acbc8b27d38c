package org.volseg.knime.nodes;

import org.volseg.knime.OperationNodeFactory;

/** The OSS-Net Point Sampler node (operation "sample-points"). */
public final class OSSNetPointSamplerNodeFactory extends OperationNodeFactory {

    /** The operation this node runs; its name gives this class's name. */
    public static final String OPERATION = "sample-points";

    public OSSNetPointSamplerNodeFactory() {
        super(OPERATION);
    }
}
