package org.volseg.nn.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.cuda.CudaUtils;

/** Starts DJL's PyTorch engine and reports what it found; used by {@code volseg doctor} and the OSGi test. */
public final class EngineDoctor {

    private EngineDoctor() {
    }

    /**
     * Loads the engine and runs a conv3d on the CPU.
     *
     * @throws EngineUnavailableException if the engine or its native libraries cannot be loaded
     */
    public static EngineReport diagnose() {
        return DjlContext.call(() -> {
            Engine engine = pytorch();
            int gpus = engine.hasCapability(StandardCapabilities.CUDA) ? engine.getGpuCount() : 0;
            return new EngineReport(Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion(),
                    DjlContext.offline(), JniUtils.getNumThreads(), gpus, gpuNote(engine, gpus), conv3d(engine));
        });
    }

    private static Engine pytorch() {
        try {
            return Engine.getEngine(DjlContext.ENGINE);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new EngineUnavailableException("DJL could not start its " + DjlContext.ENGINE + " engine ("
                    + e.getMessage() + "): in KNIME the CPU natives come from the fragment org.volseg.nn.natives."
                    + "<os>.<arch>, elsewhere from pytorch-native-cpu on the class path or from PYTORCH_LIBRARY_PATH.",
                    e);
        }
    }

    static String gpuNote(Engine engine, int gpus) {
        if (gpus > 0) {
            return gpus + " CUDA device(s) usable by PyTorch";
        }
        if (!CudaUtils.hasCuda()) {
            return "none: CUDA reports no usable GPU (no NVIDIA driver, or one older than the CUDA runtime), "
                    + "so PyTorch runs on the CPU";
        }
        return "none usable: " + CudaUtils.getGpuCount() + " CUDA device(s) present, but the PyTorch natives loaded "
                + "are the CPU build; point PYTORCH_LIBRARY_PATH at a CUDA libtorch " + engine.getVersion();
    }

    private static EngineReport.Conv3dCheck conv3d(Engine engine) {
        long start = System.nanoTime();
        try (NDManager manager = engine.newBaseManager(Device.cpu())) {
            NDArray volume = manager.ones(new Shape(1, 1, 4, 4, 4));
            NDArray kernel = manager.ones(new Shape(1, 1, 3, 3, 3));
            NDArray bias = manager.zeros(new Shape(1));
            NDArray out = Conv3d.conv3d(volume, kernel, bias).singletonOrThrow();
            double sum = out.sum().getFloat();
            return new EngineReport.Conv3dCheck(out.getShape().toString(), sum, 8 * 27,
                    (System.nanoTime() - start) / 1e6);
        }
    }
}
