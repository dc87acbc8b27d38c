package org.knime.core.data;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public interface MissingValue extends DataValue {
}
