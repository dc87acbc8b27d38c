package org.volseg.nn.engine;

/** DJL could not start its PyTorch engine; the message says why and where the natives are expected. */
public class EngineUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
