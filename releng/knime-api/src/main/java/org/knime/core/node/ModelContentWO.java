package org.knime.core.node;

import org.knime.core.node.config.ConfigWO;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public interface ModelContentWO extends ConfigWO {

    ModelContentWO addModelContent(String key);
}
