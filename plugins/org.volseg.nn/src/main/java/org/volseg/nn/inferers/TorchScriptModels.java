package org.volseg.nn.inferers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.nn.bundle.BundleFormatException;
import org.volseg.nn.bundle.BundleManifest;
import org.volseg.nn.bundle.ModelBundle;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.GradMode;

/**
 * Models trained elsewhere (a MONAI bundle's {@code model.ts}, an nnU-Net network exported with
 * {@code torch.jit.trace}) as VolSeg bundles: the TorchScript module travels in the bundle beside a manifest the
 * user fills in (channels, labels, preprocessing, window size), and predicts through the same sliding window,
 * planner and post-processing as VolSeg's own networks. The module must take N × C × D × H × W float32 windows and
 * return N × K × D × H × W logits (or a tuple whose first element is that). A TorchScript file is code from its
 * author: VolSeg runs it with the user's rights, as PyTorch does.
 */
public final class TorchScriptModels {

    private TorchScriptModels() {
    }

    /**
     * What the user says about a TorchScript module.
     *
     * @param channelNames  input channels in order
     * @param labelNames    label value of each output class (ascending values are classes 0, 1, …) and its name
     * @param preprocessing what an image gets before the module sees it (as in its training)
     * @param window        the window (patch) size it predicts on
     */
    public record Description(List<String> channelNames, Map<Integer, String> labelNames,
            Preprocessing preprocessing, PatchSize window) {
    }

    /**
     * Wraps {@code module} (a TorchScript file) as a bundle at {@code bundle}, after checking that PyTorch loads it
     * and that it turns a window of zeros into logits of the described classes.
     *
     * @throws IllegalArgumentException naming the file and what does not fit
     * @return the bundle's manifest
     */
    public static BundleManifest importModule(Path module, Description description, Path bundle,
            Map<String, Object> provenance) throws IOException {
        byte[] bytes = Files.readAllBytes(module);
        Map<String, Object> architecture = new LinkedHashMap<>();
        architecture.put("name", ModelBundle.TORCHSCRIPT_ARCHITECTURE);
        architecture.put("input_channels", description.channelNames().size());
        architecture.put("classes", description.labelNames().size());
        architecture.put("source", module.getFileName().toString());
        PatchSize w = description.window();
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, architecture,
                description.channelNames(), description.labelNames(), description.preprocessing().toMap(),
                List.of(w.x(), w.y(), w.z()), provenance, Map.of(), null);
        DjlContext.callIo(() -> {
            try (NDManager m = DjlContext.cpuManager()) {
                PatchPredictor predictor = predictor(module, bytes, m);
                NDArray logits = predictor.logits(m.zeros(new Shape(1, description.channelNames().size(), w.z(),
                        w.y(), w.x())));
                Shape expected = new Shape(1, description.labelNames().size(), w.z(), w.y(), w.x());
                if (!logits.getShape().equals(expected)) {
                    throw new IllegalArgumentException(module + ": the module turns a window of 1 × "
                            + description.channelNames().size() + " × " + w.z() + " × " + w.y() + " × " + w.x()
                            + " into " + logits.getShape() + "; expected logits " + expected + " (one channel per "
                            + "label: " + description.labelNames().keySet() + ")");
                }
                return null;
            }
        });
        ModelBundle.writeTorchScript(bundle, manifest, bytes);
        return manifest;
    }

    /** The model of a TorchScript bundle, its module loaded into {@code manager}. */
    public static PredictingModel load(Path file, ModelBundle.Contents contents, NDManager manager) throws IOException {
        BundleManifest m = contents.manifest();
        Preprocessing preprocessing;
        try {
            preprocessing = Preprocessing.fromMap(m.preprocessing());
        } catch (IllegalArgumentException e) {
            throw new BundleFormatException(file, "preprocessing", e.getMessage(), e);
        }
        PatchPredictor predictor;
        long parameters;
        try {
            PtSymbolBlock block = block(contents.torchScript(), manager);
            predictor = predictor(block);
            try (NDList params = JniUtils.moduleGetParams(block, (PtNDManager) manager)) {
                parameters = params.stream().mapToLong(p -> p.getShape().size()).sum();
            }
        } catch (RuntimeException e) {
            throw new BundleFormatException(file, "model.ts", "is not a TorchScript module this PyTorch can load ("
                    + DjlContext.engineWords(e) + ")", e);
        }
        return new PredictingModel(predictor, null, parameters, m.channelNames(), PredictingModel.labelValues(m),
                preprocessing, PredictingModel.patch(m), m);
    }

    private static PatchPredictor predictor(Path module, byte[] bytes, NDManager manager) {
        try {
            return predictor(block(bytes, manager));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(module + " is not a TorchScript module this PyTorch can load ("
                    + DjlContext.engineWords(e) + ")", e);
        }
    }

    private static PtSymbolBlock block(byte[] bytes, NDManager manager) {
        if (!(manager instanceof PtNDManager pytorch)) {
            throw new IllegalStateException("TorchScript modules run on the PyTorch engine, not "
                    + manager.getEngine().getEngineName());
        }
        try {
            return JniUtils.loadModule(pytorch, new ByteArrayInputStream(bytes), true, false);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Logits of the module's first output, without recording gradients. */
    private static PatchPredictor predictor(PtSymbolBlock block) {
        return patches -> GradMode.with(false, () -> {
            NDList out = block.forward(new ParameterStore(patches.getManager(), false), new NDList(patches), false);
            return out.get(0);
        });
    }
}
