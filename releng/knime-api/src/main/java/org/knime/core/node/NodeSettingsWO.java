package org.knime.core.node;

import org.knime.core.node.config.ConfigWO;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public interface NodeSettingsWO extends ConfigWO {

    NodeSettingsWO addNodeSettings(String key);

    void addPassword(String key, String encryptionKey, String value);
}
