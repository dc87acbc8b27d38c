package org.volseg.nn.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import java.util.Locale;

/**
 * Where networks run, as users choose it: {@code auto} takes the first GPU PyTorch can use and the CPU otherwise,
 * {@code cpu} always the CPU, {@code gpu} the first GPU and {@code gpu:N} GPU N, or a clear refusal.
 * {@link #resolve()} says which device it will be and, when auto falls back to the CPU, why.
 *
 * @param kind which choice
 * @param gpu  the GPU's index for {@link Kind#GPU} (0 for the first)
 */
public record Compute(Kind kind, int gpu) {

    /** The kinds of choice. */
    public enum Kind { AUTO, CPU, GPU }

    public static final Compute AUTO = new Compute(Kind.AUTO, 0);
    public static final Compute CPU = new Compute(Kind.CPU, 0);
    public static final Compute GPU = new Compute(Kind.GPU, 0);

    public Compute {
        if (kind == null || gpu < 0) {
            throw new IllegalArgumentException("a device needs a kind and a GPU index of 0 or more");
        }
    }

    /**
     * Reads "auto", "cpu", "gpu" or "gpu:N".
     *
     * @throws IllegalArgumentException saying what is allowed
     */
    public static Compute parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "", "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "gpu":
                return GPU;
            default:
                if (t.matches("gpu:\\d{1,3}")) {
                    return new Compute(Kind.GPU, Integer.parseInt(t.substring(4)));
                }
                throw new IllegalArgumentException("device \"" + text + "\" is not one of auto, cpu, gpu or gpu:N "
                        + "(N the GPU's index, 0 for the first)" + (t.matches("gpu:[\\d,\\s]+") ? "; one GPU per "
                                + "node: run several predictors in parallel branches to use several GPUs" : ""));
        }
    }

    /** As {@link #parse} reads it. */
    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case GPU -> gpu == 0 ? "gpu" : "gpu:" + gpu;
        };
    }

    /**
     * The device this choice means on this machine.
     *
     * @param device what DJL gets
     * @param note   "gpu(0) of 2", or "cpu" with why no GPU is used
     */
    public record Resolved(Device device, String note) {
    }

    /**
     * Resolves the choice against the loaded engine.
     *
     * @throws IllegalArgumentException for a GPU where PyTorch has none (or not that one), with the reason
     */
    public Resolved resolve() {
        return DjlContext.call(() -> {
            Engine engine = Engine.getEngine(DjlContext.ENGINE);
            int gpus = engine.hasCapability(StandardCapabilities.CUDA) ? engine.getGpuCount() : 0;
            if (kind == Kind.CPU) {
                return new Resolved(Device.cpu(), "cpu (as chosen)");
            }
            if (gpus > gpu) {
                return new Resolved(Device.gpu(gpu), "gpu(" + gpu + ") of " + gpus);
            }
            String why = gpus > 0 ? "PyTorch sees " + gpus + " GPU(s), numbered from 0" : EngineDoctor.gpuNote(engine,
                    0);
            if (kind == Kind.GPU) {
                throw new IllegalArgumentException("the device is set to " + this + ", but there is no such GPU "
                        + "PyTorch can use (" + why + "); choose auto or cpu");
            }
            return new Resolved(Device.cpu(), "cpu (" + why + ")");
        });
    }

    /** A new base manager on the resolved device (call inside {@link DjlContext}). */
    public NDManager newManager() {
        return NDManager.newBaseManager(resolve().device());
    }
}
