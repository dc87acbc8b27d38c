package org.volseg.nn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * PyTorch's autograd switches, which DJL keeps engine-internal: the memory-saving backward needs to run parts of
 * a step with recording off, and to seed a backward pass with an explicit upstream gradient.
 */
public final class GradMode {

    private static volatile boolean engineLoaded;

    private GradMode() {
    }

    /** PyTorch's natives load with the engine; before that, the switches below are unlinked native methods. */
    private static void ensureEngine() {
        if (!engineLoaded) {
            DjlContext.call(() -> ai.djl.engine.Engine.getEngine(DjlContext.ENGINE));
            engineLoaded = true;
        }
    }

    /** Whether autograd records now. */
    public static boolean isOn() {
        ensureEngine();
        return JniUtils.isGradMode();
    }

    /** Runs {@code work} with autograd recording on or off, restoring the previous mode. */
    public static <T> T with(boolean on, Supplier<T> work) {
        ensureEngine();
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(on);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(before);
        }
    }

    /** Back-propagates {@code upstream} (dL/dy) from {@code y}, adding to every leaf's gradient. */
    public static void backward(NDArray y, NDArray upstream) {
        with(true, () -> {
            JniUtils.backward((PtNDArray) y, (PtNDArray) upstream, false, false);
            return null;
        });
    }

    /** Back-propagates from a scalar. */
    public static void backward(NDArray scalar) {
        backward(scalar, scalar.getManager().ones(new Shape()).toType(scalar.getDataType(), false));
    }

    /** A leaf's gradient, or null when no backward pass reached it. */
    public static NDArray gradientOrNull(NDArray leaf) {
        // DJL's getGradient() makes float32 zeros up when there is none; ask PyTorch directly
        return JniUtils.getGradient((PtNDArray) leaf);
    }


    /** Zeroes a parameter's accumulated gradient (PyTorch adds every backward pass to it). */
    public static void zeroGradient(NDArray parameter) {
        if (parameter.hasGradient()) {
            JniUtils.zeroGrad((PtNDArray) parameter);
        }
    }
}
