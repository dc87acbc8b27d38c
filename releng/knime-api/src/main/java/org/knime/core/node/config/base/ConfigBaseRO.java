package org.knime.core.node.config.base;

import java.util.Set;

import org.knime.core.node.InvalidSettingsException;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public interface ConfigBaseRO extends Iterable<String> {

    public String getString(String key) throws InvalidSettingsException;

    public String getString(String key, String def);

    public int getInt(String key) throws InvalidSettingsException;

    public int getInt(String key, int def);

    public long getLong(String key) throws InvalidSettingsException;

    public long getLong(String key, long def);

    public double getDouble(String key) throws InvalidSettingsException;

    public double getDouble(String key, double def);

    public boolean getBoolean(String key) throws InvalidSettingsException;

    public boolean getBoolean(String key, boolean def);

    public String[] getStringArray(String key) throws InvalidSettingsException;

    public String[] getStringArray(String key, String... def);

    public int[] getIntArray(String key) throws InvalidSettingsException;

    public double[] getDoubleArray(String key) throws InvalidSettingsException;

    public boolean containsKey(String key);

    public Set<String> keySet();

    public String getKey();
}
