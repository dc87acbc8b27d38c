package org.volseg.ops.torchscript;

import java.nio.file.Path;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.ops.api.Setting;

/**
 * @param torchScriptFile the TorchScript module (.ts, .pt)
 * @param channels        input channel names, comma-separated
 * @param labels          label values and names, "0=background,1=liver"
 * @param orientation     the orientation the module expects, or keep
 * @param spacing         the spacing (mm) it expects: one value, three, or blank to keep
 * @param normalization   the intensity normalisation it expects
 * @param cropToNonzero   whether images are cropped to their non-zero box first
 * @param window          its window size: one edge or x,y,z
 * @param modelFile       where the bundle is written
 */
public record TorchScriptImporterSettings(
        @Setting(key = "torchscript_file", label = "TorchScript file", defaultValue = "",
                widget = Setting.Widget.FILE, description = "The TorchScript module, for example a MONAI bundle's "
                        + "models/model.ts or a network saved with torch.jit.trace or torch.jit.script. It must take "
                        + "N × C × D × H × W float32 windows and return N × K × D × H × W logits (a tuple's first "
                        + "element counts). A TorchScript file is code: it runs with your rights; import only files "
                        + "from authors you trust.")
        Path torchScriptFile,
        @Setting(key = "channels", label = "Input channels", defaultValue = "image",
                description = "The module's input channels, in order, comma-separated (for example t1,t1ce,t2,flair); "
                        + "a volume table's images are matched to them in order.")
        String channels,
        @Setting(key = "labels", label = "Labels", defaultValue = "0=background,1=foreground",
                description = "The label value and name of each output channel, in output order, comma-separated "
                        + "as value=name (for example 0=background,1=liver,2=tumour); values ascend with the "
                        + "channels.")
        String labels,
        @Setting(key = "orientation", label = "Orientation", defaultValue = "RAS", tab = "Preprocessing",
                description = "The orientation the module was trained in (a code such as RAS or LPS), or keep to "
                        + "feed each image as it is stored. MONAI's Orientationd(\"RAS\") means RAS.")
        String orientation,
        @Setting(key = "spacing", label = "Spacing (mm)", defaultValue = "", tab = "Preprocessing",
                description = "The voxel size the module was trained at: one value for isotropic voxels, x,y,z, or "
                        + "blank to keep each image's own.")
        String spacing,
        @Setting(key = "normalization", label = "Normalization", defaultValue = "zscore", tab = "Preprocessing",
                description = "The intensity normalisation the module was trained with: none (values as they are, "
                        + "e.g. after a CT window applied upstream), zscore per case, or zscore-nonzero over the "
                        + "non-zero voxels.")
        Preprocessing.Normalization normalization,
        @Setting(key = "crop_to_nonzero", label = "Crop to non-zero", defaultValue = "false", tab = "Preprocessing",
                description = "Crop each image to the box of its non-zero voxels first (MONAI's CropForegroundd, "
                        + "nnU-Net's crop); outside the box the prediction is background.")
        boolean cropToNonzero,
        @Setting(key = "window", label = "Window size (voxels)", defaultValue = "96",
                description = "The window (patch) size the module predicts on: one edge for a cube or x,y,z (MONAI "
                        + "bundles give it as roi_size / patch_size in their inference config).")
        String window,
        @Setting(key = "model_file", label = "Model file", defaultValue = "", widget = Setting.Widget.FILE,
                description = "Where the VolSeg model bundle (.volseg) is written; blank for a new folder in the "
                        + "system's temporary directory.")
        Path modelFile) {
}
