package org.knime.core.node.config;

import org.knime.core.node.config.base.ConfigBaseWO;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public interface ConfigWO extends ConfigBaseWO {
}
