package org.volseg.nn.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;

/**
 * Where networks run, as users choose it: {@code AUTO} takes the first GPU PyTorch can use and the CPU otherwise,
 * {@code CPU} always the CPU, {@code GPU} the first GPU or a clear refusal. {@link #resolve()} says which device it
 * will be and, when AUTO falls back to the CPU, why.
 */
public enum Compute {
    AUTO, CPU, GPU;

    /**
     * The device this choice means on this machine.
     *
     * @param device what DJL gets
     * @param note   "gpu(0)", or "cpu" with why no GPU is used
     */
    public record Resolved(Device device, String note) {
    }

    /**
     * Resolves the choice against the loaded engine.
     *
     * @throws IllegalArgumentException for GPU where PyTorch has none, with the reason
     */
    public Resolved resolve() {
        return DjlContext.call(() -> {
            Engine engine = Engine.getEngine(DjlContext.ENGINE);
            int gpus = engine.hasCapability(StandardCapabilities.CUDA) ? engine.getGpuCount() : 0;
            if (this == CPU) {
                return new Resolved(Device.cpu(), "cpu (as chosen)");
            }
            if (gpus > 0) {
                return new Resolved(Device.gpu(0), "gpu(0) of " + gpus);
            }
            String why = EngineDoctor.gpuNote(engine, 0);
            if (this == GPU) {
                throw new IllegalArgumentException("the device is set to gpu, but there is no GPU PyTorch can use ("
                        + why + "); choose auto or cpu");
            }
            return new Resolved(Device.cpu(), "cpu (" + why + ")");
        });
    }

    /** A new base manager on the resolved device (call inside {@link DjlContext}). */
    public NDManager newManager() {
        return NDManager.newBaseManager(resolve().device());
    }
}
