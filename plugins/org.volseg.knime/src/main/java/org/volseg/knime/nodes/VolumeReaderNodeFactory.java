package org.volseg.knime.nodes;

import org.volseg.knime.OperationNodeFactory;

/** The Volume Reader node (operation "volume-reader"). */
public final class VolumeReaderNodeFactory extends OperationNodeFactory {

    /** The operation this node runs; its name gives this class's name. */
    public static final String OPERATION = "volume-reader";

    public VolumeReaderNodeFactory() {
        super(OPERATION);
    }
}
