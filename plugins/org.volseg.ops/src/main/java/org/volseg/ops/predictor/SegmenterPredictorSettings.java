package org.volseg.ops.predictor;

import java.nio.file.Path;
import org.volseg.core.postprocessing.PostProcessing;
import org.volseg.nn.engine.Compute;
import org.volseg.ops.api.Setting;
import org.volseg.ops.learner.SegmenterLearnerSettings;

/**
 * @param outputFolder where label maps go
 * @param overwrite    what to do when a label map exists already
 * @param overlap      sliding-window overlap
 * @param gaussian     Gaussian blending of window predictions
 * @param device       where the network runs
 * @param largestOnly  keep each label's largest component
 * @param minVoxels    remove each label's smaller components
 * @param fillHoles    fill enclosed background
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
        @Setting(key = "device", label = "Device", defaultValue = "auto",
                description = SegmenterLearnerSettings.DEVICE)
        Compute device,
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
        boolean fillHoles) {

    /** The post-processing these settings ask for. */
    public PostProcessing postProcessing() {
        return new PostProcessing(largestOnly, minVoxels, fillHoles);
    }

    /** What to do with a label map that exists already. */
    public enum Overwrite { FAIL, OVERWRITE, SKIP }
}
