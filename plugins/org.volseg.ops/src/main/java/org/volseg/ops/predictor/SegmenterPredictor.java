package org.volseg.ops.predictor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import org.volseg.core.data.Case;
import org.volseg.core.data.CaseChecks;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.volume.Geometry;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.inferers.CasePredictor;
import org.volseg.nn.inferers.SlidingWindow;
import org.volseg.nn.inferers.Stitching;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.ModelPort;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.Port;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.PortKind;
import org.volseg.ops.api.PortSpec;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.TableSpec;
import org.volseg.ops.api.VolumeTable;
import org.volseg.ops.learner.SegmenterLearnerSettings;

/**
 * The Segmenter Predictor node: segments every case of a volume table with a trained model and writes the label
 * maps, each on its own image's grid and header.
 */
public final class SegmenterPredictor implements Operation<SegmenterPredictorSettings> {

    /** Appended to the case id to name its label map. */
    public static final String SUFFIX = "_seg.nii.gz";

    /** The predictions: a VolumeTable whose label column holds the label maps, and how each case was run. */
    public static final TableSpec OUTPUT = VolumeTable.extendedWith(
            new TableSpec.Column("device", TableSpec.CellType.STRING, "the device that ran the network and, when "
                    + "it is the CPU under auto, why not a GPU (none found, or it ran out of memory on this case); "
                    + "missing for a case whose existing file was kept"),
            new TableSpec.Column("plan", TableSpec.CellType.STRING, "window batch, stitching and expected peak "
                    + "memory, and any out-of-memory retry"),
            new TableSpec.Column("probability_maps", TableSpec.CellType.STRING, "the probability map files, "
                    + "';'-separated in label order (missing unless asked for)"));

    /** The file name of one label's probability map. */
    static String mapName(String caseId, int label) {
        return caseId + "_prob_" + label + ".nii.gz";
    }

    @Override
    public String id() {
        return "segmenter-predictor";
    }

    @Override
    public String name() {
        return "Segmenter Predictor";
    }

    @Override
    public String summary() {
        return "Segments volumes with a trained VolSeg model and writes label maps in each input's geometry.";
    }

    @Override
    public String description() {
        return "Prepares each case as the model's training cases were (the bundle records reorientation, "
                + "resampling and normalisation), slides the network over it in windows of the training patch size "
                + "with overlap and Gaussian blending, and writes the label map on the case's own grid with its "
                + "first image's header (orientation, spacing and origin as the input's; resampled predictions are "
                + "taken back by resampling the class probabilities, not the labels), optionally cleaned (largest "
                + "component per label, small components removed, holes filled). Further models trained for the "
                + "same labels (cross-validation folds, say) can join as an ensemble that averages the class "
                + "probabilities (tab Ensemble). Files are written under a "
                + "temporary name and moved into place when complete, so a cancelled run leaves no half-written "
                + "file. The output table lists the cases with the written label maps in the label column, ready "
                + "for the Segmentation Scorer and Overlay.";
    }

    @Override
    public String nodeType() {
        return "Predictor";
    }

    @Override
    public Class<SegmenterPredictorSettings> settingsType() {
        return SegmenterPredictorSettings.class;
    }

    @Override
    public List<Port> inputs() {
        return List.of(new Port(PortKind.MODEL, "Model", "A trained model (Segmenter Learner)."),
                new Port(PortKind.VOLUME_TABLE, "Volumes", "Cases to segment (labels, if any, are ignored)."));
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(PortKind.VOLUME_TABLE, "Predictions", "The cases with their predicted label maps."));
    }

    @Override
    public List<PortSpec> configure(SegmenterPredictorSettings s, List<PortSpec> inputs) {
        return List.of(OUTPUT);
    }

    @Override
    public List<PortData> execute(SegmenterPredictorSettings s, List<PortData> inputs, Progress progress)
            throws Exception {
        ModelPort model = (ModelPort) inputs.get(0);
        List<Case> cases = VolumeTable.cases((Table) inputs.get(1));
        List<Path> bundles = new java.util.ArrayList<>(List.of(model.bundle()));
        for (Path member : s.ensembleModels()) {
            if (!Files.isRegularFile(member)) {
                throw new InvalidSettingsException("Ensemble with (ensemble_models): " + member + " does not exist");
            }
            bundles.add(member);
        }
        if (s.overwrite() == SegmenterPredictorSettings.Overwrite.FAIL && s.outputFolder() != null) {
            for (Case c : cases) {
                if (Files.exists(s.outputFolder().resolve(c.id() + SUFFIX))) {
                    throw new InvalidSettingsException(s.outputFolder().resolve(c.id() + SUFFIX) + " exists "
                            + "already; set Existing files (overwrite) to overwrite or skip, or choose another "
                            + "output folder");
                }
            }
        }
        List<Integer> p = model.spec().patch();
        boolean autoStitching = s.stitchingMode() == null;
        Stitching stitching = autoStitching ? Stitching.FLOAT32 : s.stitchingMode();
        // class chunks chosen: up to half the classes per pass, halved by the planner until they fit
        int chunk = stitching == Stitching.CLASS_CHUNKS ? Math.max(1, model.spec().labels().size() / 2) : 1;
        SlidingWindow.Settings window = new SlidingWindow.Settings(new PatchSize(p.get(0), p.get(1), p.get(2)),
                s.overlap(), s.gaussian(), Math.max(1, s.windowBatch()), s.flips(), stitching, chunk);
        CasePredictor.Options options = new CasePredictor.Options(window, s.windowBatch() == 0, autoStitching)
                .withOccupancy(s.occupancyProcedure());
        Table.Builder table = new Table.Builder(OUTPUT);
        Compute.Resolved device = SegmenterLearnerSettings.resolve(s.device());
        String ensemble = bundles.size() > 1 ? "; an ensemble of " + bundles.size() + " models" : "";
        progress.reportAndLog(0, "predicting on " + device.note() + "; post-processing: " + s.postProcessing()
                + ensemble);
        Path folder;
        // the models are read (and an ensemble's members checked against each other) before anything is written
        try (CasePredictor predictor = CasePredictor.open(bundles, options, s.device())) {
            folder = s.outputFolder() != null ? s.outputFolder() : Files.createTempDirectory("volseg-predictions");
            Files.createDirectories(folder);
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                Progress slice = progress.slice((double) i / cases.size(), (double) (i + 1) / cases.size());
                Path output = folder.resolve(c.id() + SUFFIX);
                IntFunction<Path> maps = s.probabilityMaps() ? label -> folder.resolve(mapName(c.id(), label)) : null;
                String plan = "existing file kept";
                String ranOn = null;
                if (!(s.overwrite() == SegmenterPredictorSettings.Overwrite.SKIP && Files.exists(output))) {
                    slice.report(0, "segmenting " + c.id() + " (" + (i + 1) + " of " + cases.size() + ")");
                    CasePredictor.Result result = Progress.callNetworks(() -> predictor.predict(c, output, maps,
                            s.postProcessing(), slice.monitor()));
                    plan = result.plan().describe() + ensemble + (result.retry() != null ? "; " + result.retry()
                            : "");
                    String report = predictor.takeModelReport();
                    plan += report != null ? "; " + report : "";
                    ranOn = result.device() != null ? result.device() : device.note();
                    // the run's device is logged once, above; a case names its own only when it fell back
                    slice.log(c.id() + (result.device() != null ? " on " + result.device() : "") + ": " + plan);
                }
                Geometry g = CaseChecks.checkGeometry(c);
                String mapFiles = !s.probabilityMaps() ? null : String.join(";", model.spec().labels().keySet().stream()
                        .map(label -> folder.resolve(mapName(c.id(), label)).toString()).toList());
                table.add(c.id(), String.join(";", c.images().stream().map(Path::toString).toList()),
                        output.toString(), model.spec().channels().size(), g.nx(), g.ny(), g.nz(), g.spacingX(),
                        g.spacingY(), g.spacingZ(), g.orientation(), ranOn, plan, mapFiles);
            }
        }
        progress.report(1, cases.size() + " label maps in " + folder);
        return List.of(table.build());
    }
}
