package org.volseg.nn.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.function.Supplier;

/**
 * Every call into DJL goes through here. DJL finds engines and native libraries through the thread context class
 * loader, and KNIME's threads carry loaders of their own: inside OSGi only this bundle's loader sees DJL's jars and
 * the natives fragment. DJL also runs offline unless a user explicitly allows downloads.
 */
public final class DjlContext {

    /** The engine VolSeg is built and tested against. */
    public static final String ENGINE = "PyTorch";

    static {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("ai.djl.default_engine") == null) {
            System.setProperty("ai.djl.default_engine", ENGINE);
        }
    }

    private DjlContext() {
    }

    /** Runs DJL work with this bundle's class loader as the thread's context class loader. */
    public static <T> T call(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(DjlContext.class.getClassLoader());
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** DJL work that reads or writes files. */
    @FunctionalInterface
    public interface IoWork<T> {
        T get() throws java.io.IOException;
    }

    /** {@link #call} for work that reads or writes files: its IOException comes out as itself. */
    public static <T> T callIo(IoWork<T> work) throws java.io.IOException {
        try {
            return call(() -> {
                try {
                    return work.get();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * A manager on the CPU, for work that must not touch a GPU (checks, parameter counts, host-memory measurements):
     * a manager made without a device lives on GPU 0 wherever DJL sees CUDA.
     */
    public static NDManager cpuManager() {
        return NDManager.newBaseManager(Device.cpu());
    }

    /** Whether DJL is barred from downloading (the default). */
    public static boolean offline() {
        return Boolean.parseBoolean(System.getProperty("ai.djl.offline"));
    }

    /**
     * What the engine said, the first line of it (PyTorch's messages carry a C++ stack after it), from the first
     * exception in the chain that says anything.
     */
    public static String engineWords(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage().lines().findFirst().orElse("").trim();
            }
        }
        return e.getClass().getSimpleName();
    }
}
