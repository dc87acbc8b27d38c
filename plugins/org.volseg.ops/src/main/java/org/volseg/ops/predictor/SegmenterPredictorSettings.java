package org.volseg.ops.predictor;

import java.nio.file.Path;
import org.volseg.core.postprocessing.PostProcessing;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.inferers.Mirroring;
import org.volseg.nn.inferers.Stitching;
import org.volseg.nn.ossnet.OssNetInference;
import org.volseg.ops.api.Setting;
import org.volseg.ops.learner.SegmenterLearnerSettings;

/**
 * @param outputFolder     where label maps go
 * @param overwrite        what to do when a label map exists already
 * @param overlap          sliding-window overlap
 * @param gaussian         Gaussian blending of window predictions
 * @param flips            test-time flips
 * @param windowBatch      windows per network call, 0 for the planner's choice
 * @param stitching        how whole-volume probabilities are kept, or auto
 * @param probabilityMaps  whether each label's probability map is written too
 * @param device           where the network runs
 * @param occupancy        how an OSS-Net model queries its points: auto, dense, coarse-to-fine or encoder-guided
 * @param largestOnly      keep each label's largest component
 * @param minVoxels        remove each label's smaller components
 * @param fillHoles        fill enclosed background
 * @param ensemble         further model bundles whose probabilities are averaged with the input model's,
 *                         ';'-separated
 */
public record SegmenterPredictorSettings(
        @Setting(key = "output_folder", label = "Output folder", defaultValue = "", widget = Setting.Widget.FOLDER,
                description = "Where the label maps are written, one <case id>_seg.nii.gz per case; blank for a "
                        + "folder in the system's temporary directory.")
        Path outputFolder,
        @Setting(key = "overwrite", label = "Existing files", defaultValue = "fail",
                description = "fail: stop before writing anything when a label map exists already; overwrite: "
                        + "replace it; skip: keep it and list it as it is.")
        Overwrite overwrite,
        @Setting(key = "overlap", label = "Window overlap", defaultValue = "0.5", min = 0, max = 0.95,
                description = "Share of the window that neighbouring windows overlap (nnU-Net and MONAI use 0.5); "
                        + "higher is smoother and slower.")
        double overlap,
        @Setting(key = "gaussian", label = "Gaussian blending", defaultValue = "true",
                description = "Weight each window's prediction by a Gaussian (σ = window / 8) so that window "
                        + "centres count more than edges; off weighs all voxels alike.")
        boolean gaussian,
        @Setting(key = "tta_flips", label = "Test-time flips", defaultValue = "none",
                description = "Also predict each window mirrored and average the probabilities (test-time "
                        + "augmentation): none; all (the 8 flips, nnU-Net's default); or a list of flipped axes "
                        + "such as x, y, z, xy. Each flip is one more network call per window: all 8 take 8 times "
                        + "as long.")
        Mirroring flips,
        @Setting(key = "window_batch", label = "Windows per batch", defaultValue = "0", min = 0, max = 64,
                tab = "Memory", description = "Windows per network call; 0 lets the memory planner choose (up to 8 "
                        + "on a GPU, 1 on a CPU, where batching gains nothing). With several GPUs (gpu:0,1) each GPU "
                        + "takes this many per batch. When the device runs out of memory anyway, the run is retried "
                        + "once with half the batch.")
        int windowBatch,
        @Setting(key = "stitching", label = "Stitching", defaultValue = "auto", tab = "Memory",
                choices = {"auto", "float32", "float16", "class-chunks"},
                description = "How the whole volume's class probabilities are kept until every window is in. "
                        + "float32: classes × voxels × 4 bytes, exact; float16: half of that; class-chunks: a few "
                        + "classes per pass over the windows with a running argmax, memory independent of the "
                        + "class count (a VolSeg network's logits are made a few slices at a time, in every "
                        + "mode; not those of a strided U-Net or a TorchScript model, and an ensemble's only where "
                        + "that holds less, with many classes), time × passes "
                        + "(up to half the classes per pass, fewer until they fit); "
                        + "auto: the first that fits the free memory, in that order. "
                        + "The plan and its expected peak memory are reported before each case.")
        String stitching,
        @Setting(key = "probability_maps", label = "Write probability maps", defaultValue = "false",
                description = "Also write each label's probability (float32, on the case's grid) as "
                        + "<case id>_prob_<label>.nii.gz, listed in the probability_maps column.")
        boolean probabilityMaps,
        @Setting(key = "device", label = "Device", defaultValue = "auto",
                description = SegmenterLearnerSettings.DEVICE)
        Compute device,
        @Setting(key = "occupancy_procedure", label = "OSS-Net querying", defaultValue = "auto", tab = "OSS-Net",
                choices = {"auto", "dense", "coarse-to-fine", "encoder-guided"},
                description = "How an OSS-Net model (an occupancy network) segments; other models ignore this. "
                        + "dense: every voxel is queried (slowest, the reference result); coarse-to-fine: every "
                        + "4th voxel, then every 2nd and every voxel only near the boundary found; encoder-guided "
                        + "(OSS-Net C and D): the encoder's low-resolution map replaces the first scan, about 5 % "
                        + "of the voxels queried; auto: encoder-guided where the model has the map, else "
                        + "coarse-to-fine. The plan column reports the queries and seconds of each case.")
        String occupancy,
        @Setting(key = "largest_component", label = "Keep the largest component", defaultValue = "false",
                tab = "Post-processing", description = "Keep only the largest connected component of each label "
                        + "(26-connected), as nnU-Net's post-processing does for single-object structures.")
        boolean largestOnly,
        @Setting(key = "min_component_voxels", label = "Smallest component (voxels)", defaultValue = "0", min = 0,
                max = 2147483647, tab = "Post-processing",
                description = "Remove each label's components smaller than this many voxels; 0 keeps them all.")
        int minVoxels,
        @Setting(key = "fill_holes", label = "Fill holes", defaultValue = "false", tab = "Post-processing",
                description = "Fill background that labels enclose completely (6-connected, not reaching the "
                        + "border) with the label around it; other labels inside are kept.")
        boolean fillHoles,
        @Setting(key = "ensemble_models", label = "Ensemble with", defaultValue = "", tab = "Ensemble",
                description = "Further model bundles (.volseg files, ';'-separated) whose class probabilities are "
                        + "averaged with the input model's, as nnU-Net ensembles the models of its cross-validation "
                        + "folds; each must be trained for the same channels, labels, preprocessing and patch size. "
                        + "Each model is one more network call per window: three models make three times the calls. "
                        + "Blank: the input model alone.")
        String ensemble) {

    /** The further bundles of the ensemble, in order; empty for the input model alone. */
    public java.util.List<Path> ensembleModels() {
        return java.util.Arrays.stream(ensemble.split(";")).map(String::trim).filter(f -> !f.isEmpty())
                .map(Path::of).toList();
    }

    /** The post-processing these settings ask for. */
    public PostProcessing postProcessing() {
        return new PostProcessing(largestOnly, minVoxels, fillHoles);
    }

    /** The OSS-Net procedure asked for, or null for the model's fastest. */
    public OssNetInference.Procedure occupancyProcedure() {
        return choice(occupancy, OssNetInference.Procedure.class);
    }

    /** The stitching asked for, or null for auto (the planner's choice). */
    public Stitching stitchingMode() {
        return choice(stitching, Stitching.class);
    }

    /** A choice setting's constant ("coarse-to-fine" → COARSE_TO_FINE), or null for "auto". */
    private static <E extends Enum<E>> E choice(String value, Class<E> type) {
        return value.equals("auto") ? null : Enum.valueOf(type, value.toUpperCase(java.util.Locale.ROOT)
                .replace('-', '_'));
    }

    /** What to do with a label map that exists already. */
    public enum Overwrite { FAIL, OVERWRITE, SKIP }
}
