package org.volseg.ops.api;

/** A setting outside what its operation accepts; the message names the setting and what is allowed. */
public class InvalidSettingsException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidSettingsException(String message) {
        super(message);
    }
}
