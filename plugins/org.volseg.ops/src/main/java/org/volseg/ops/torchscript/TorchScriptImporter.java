package org.volseg.ops.torchscript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.nn.inferers.TorchScriptModels;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.ModelPort;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.Port;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.PortKind;
import org.volseg.ops.api.PortSpec;
import org.volseg.ops.api.Progress;

/**
 * The TorchScript Importer node: a model trained elsewhere (MONAI, nnU-Net, plain PyTorch) becomes a VolSeg model
 * that the Segmenter Predictor runs like its own.
 */
public final class TorchScriptImporter implements Operation<TorchScriptImporterSettings> {

    /** Said wherever a TorchScript model enters: the file runs as code. */
    public static final String CODE_WARNING = "a TorchScript file is executable code from its author and runs with "
            + "your rights: import only files from authors you trust";

    @Override
    public String id() {
        return "torchscript-importer";
    }

    @Override
    public String name() {
        return "TorchScript Importer";
    }

    @Override
    public String summary() {
        return "Imports a segmentation network trained elsewhere (TorchScript) as a VolSeg model.";
    }

    @Override
    public String description() {
        return "Wraps a TorchScript module (a MONAI bundle's model.ts, an nnU-Net or plain PyTorch network saved "
                + "with torch.jit.trace or torch.jit.script) with what VolSeg needs to run it: input channels, "
                + "labels, the preprocessing it was trained with (crop to non-zero, orientation, spacing, normalisation) and its "
                + "window size. The module is loaded and run once on a window of zeros to check that it gives one "
                + "logit channel per label; the model bundle then predicts in the Segmenter Predictor with the same "
                + "sliding window, memory planner, test-time flips and post-processing as VolSeg's own networks, "
                + "and outputs in each input's geometry. Note: " + CODE_WARNING + ".";
    }

    @Override
    public String nodeType() {
        return "Source";
    }

    @Override
    public Class<TorchScriptImporterSettings> settingsType() {
        return TorchScriptImporterSettings.class;
    }

    @Override
    public List<Port> inputs() {
        return List.of();
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(PortKind.MODEL, "Model", "The imported model, for the Segmenter Predictor."));
    }

    @Override
    public List<PortSpec> configure(TorchScriptImporterSettings s, List<PortSpec> inputs)
            throws InvalidSettingsException {
        return List.of(spec(description(s)));
    }

    @Override
    public List<PortData> execute(TorchScriptImporterSettings s, List<PortData> inputs, Progress progress)
            throws Exception {
        TorchScriptModels.Description d = description(s);
        Path module = s.torchScriptFile();
        if (!Files.isRegularFile(module)) {
            throw new InvalidSettingsException("TorchScript file (torchscript_file): " + module + " does not exist");
        }
        Path model = s.modelFile() != null ? s.modelFile() : Files.createTempDirectory("volseg-model").resolve(
                module.getFileName().toString().replaceAll("\\.[A-Za-z]+$", "") + ModelPort.EXTENSION);
        if (model.getParent() != null) {
            Files.createDirectories(model.getParent());
        }
        progress.warn(module.getFileName() + ": " + CODE_WARNING);
        progress.report(0, "loading " + module);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("imported_from", module.toAbsolutePath().toString());
        provenance.put("imported_at", Instant.now().toString());
        provenance.put("note", CODE_WARNING);
        try {
            TorchScriptModels.importModule(module, d, model, provenance);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
        progress.report(1, "model written to " + model);
        return List.of(new ModelPort(model, spec(d)));
    }

    private static ModelPort.Spec spec(TorchScriptModels.Description d) {
        PatchSize w = d.window();
        return new ModelPort.Spec("TORCHSCRIPT", d.channelNames(), d.labelNames(), List.of(w.x(), w.y(), w.z()));
    }

    /** What the settings say about the module, or which setting says it wrongly. */
    static TorchScriptModels.Description description(TorchScriptImporterSettings s)
            throws InvalidSettingsException {
        if (s.torchScriptFile() == null) {
            throw new InvalidSettingsException("TorchScript file (torchscript_file) is not set; choose the module "
                    + "to import");
        }
        List<String> channels = Arrays.stream(s.channels().split(",")).map(String::trim).filter(c -> !c.isEmpty())
                .toList();
        if (channels.isEmpty()) {
            throw new InvalidSettingsException("Input channels (channels) is empty; name at least one channel");
        }
        Map<Integer, String> labels = new LinkedHashMap<>();
        for (String entry : s.labels().split(",")) {
            String[] parts = entry.trim().split("=", 2);
            try {
                int value = Integer.parseInt(parts[0].trim());
                if (value < 0 || labels.keySet().stream().anyMatch(v -> v >= value)) {
                    throw new NumberFormatException();
                }
                labels.put(value, parts.length > 1 && !parts[1].isBlank() ? parts[1].trim() : "label " + value);
            } catch (NumberFormatException e) {
                throw new InvalidSettingsException("Labels (labels): '" + entry.trim() + "' is not value=name with a "
                        + "new, ascending, non-negative value; write e.g. 0=background,1=liver");
            }
        }
        if (labels.size() < 2) {
            throw new InvalidSettingsException("Labels (labels) names " + labels.size() + " label; a segmentation "
                    + "model has at least two output channels (background included)");
        }
        Preprocessing preprocessing;
        try {
            String o = s.orientation().trim();
            preprocessing = new Preprocessing(o.equalsIgnoreCase("keep") || o.isEmpty() ? null : o.toUpperCase(
                    Locale.ROOT), numbers(s.spacing(), "Spacing (mm) (spacing)", true).stream()
                            .map(Double::valueOf).toList(), s.normalization(), s.cropToNonzero());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("the preprocessing settings do not fit together: " + e.getMessage());
        }
        List<Double> w = numbers(s.window(), "Window size (voxels) (window)", false);
        for (double edge : w) {
            if (edge != Math.rint(edge) || edge < 1 || edge > 1024) {
                throw new InvalidSettingsException("Window size (voxels) (window) is '" + s.window() + "'; allowed: "
                        + "whole numbers from 1 to 1024, one or three");
            }
        }
        return new TorchScriptModels.Description(channels, labels, preprocessing, new PatchSize(w.get(0).intValue(),
                w.get(1).intValue(), w.get(2).intValue()));
    }

    /** One number for all three axes, or three; blank is none where allowed. */
    private static List<Double> numbers(String text, String setting, boolean blankAllowed)
            throws InvalidSettingsException {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty() && blankAllowed) {
            return List.of();
        }
        try {
            List<Double> values = new ArrayList<>();
            for (String part : t.split(",")) {
                double v = Double.parseDouble(part.trim());
                if (!(v > 0) || Double.isInfinite(v)) {
                    throw new NumberFormatException();
                }
                values.add(v);
            }
            if (values.size() == 1) {
                return List.of(values.get(0), values.get(0), values.get(0));
            }
            if (values.size() == 3) {
                return values;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new InvalidSettingsException(setting + " is '" + t + "'; allowed: one positive number or three (x,y,z)"
                + (blankAllowed ? ", or blank to keep each image's own" : ""));
    }
}
