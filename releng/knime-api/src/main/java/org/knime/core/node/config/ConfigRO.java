package org.knime.core.node.config;

import javax.swing.tree.TreeNode;

import org.knime.core.data.DataCell;
import org.knime.core.node.InvalidSettingsException;
import org.knime.core.node.config.base.ConfigBaseRO;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public interface ConfigRO extends ConfigBaseRO, TreeNode, Iterable<String> {

    DataCell getDataCell(String key) throws InvalidSettingsException;
}
