package org.knime.core.node;

import org.knime.core.node.config.ConfigRO;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public interface ModelContentRO extends ConfigRO {

    ModelContentRO getModelContent(String key) throws InvalidSettingsException;
}
