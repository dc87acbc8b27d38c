package org.volseg.nn.engine;

import java.util.Locale;

/**
 * A run that needed more memory than the device or the Java heap had, with a message that says what was asked for,
 * what was expected and which setting to lower.
 */
public final class OutOfMemoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutOfMemoryException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether {@code e} (or a cause) is the native engine running out of memory: PyTorch's CUDA and CPU allocators
     * say so in their messages ("CUDA out of memory. Tried to allocate …", "DefaultCPUAllocator: not enough
     * memory", "can't allocate memory"), or the Java heap's {@link OutOfMemoryError}.
     */
    public static boolean isOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError || t instanceof OutOfMemoryException) {
                return true;
            }
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("out of memory") || m.contains("not enough memory") || m.contains("can't allocate memory")
                    || m.contains("alloc_failed")) {
                return true;
            }
        }
        return false;
    }
}
