package org.volseg.knime.nodes;

import org.volseg.knime.OperationNodeFactory;

/** The TorchScript Importer node (operation "torchscript-importer"). */
public final class TorchScriptImporterNodeFactory extends OperationNodeFactory {

    /** The operation this node runs; its name gives this class's name. */
    public static final String OPERATION = "torchscript-importer";

    public TorchScriptImporterNodeFactory() {
        super(OPERATION);
    }
}
