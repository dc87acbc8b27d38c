package org.knime.core.node.config.base;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public interface ConfigBaseWO {

    public void addString(String key, String value);

    public void addInt(String key, int value);

    public void addLong(String key, long value);

    public void addDouble(String key, double value);

    public void addBoolean(String key, boolean value);

    public void addStringArray(String key, String... values);

    public void addIntArray(String key, int... values);

    public void addDoubleArray(String key, double... values);
}
