package org.volseg.ops.predictor;

import java.nio.file.Path;
import org.volseg.nn.engine.Compute;
import org.volseg.ops.api.Setting;

/**
 * @param outputFolder where label maps go
 * @param overwrite    what to do when a label map exists already
 * @param overlap      sliding-window overlap
 * @param gaussian     Gaussian blending of window predictions
 * @param device       where the network runs
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
                description = "auto: the first GPU PyTorch can use, else the CPU (the progress says which, and why "
                        + "not a GPU); cpu; gpu: the first GPU, or stop with the reason there is none.")
        Compute device) {

    /** What to do with a label map that exists already. */
    public enum Overwrite { FAIL, OVERWRITE, SKIP }
}
