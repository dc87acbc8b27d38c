package org.volseg.ops.volumereader;

import java.nio.file.Path;
import org.volseg.ops.api.Setting;

/**
 * @param source        how the dataset is described
 * @param path          the folder, CSV manifest or dataset.json
 * @param imagePattern  folder source: image files below the folder
 * @param labelPattern  folder source: label files below the folder (blank: none)
 * @param checkGeometry whether to check that each case's channels and label share one grid
 */
public record VolumeReaderSettings(
        @Setting(key = "source", label = "Dataset description", defaultValue = "folder",
                choices = {"folder", "csv", "msd"},
                description = "folder: files below a folder named by a pattern; csv: a manifest with id, image and "
                        + "label columns; msd: a Medical Segmentation Decathlon dataset.json.")
        String source,
        @Setting(key = "path", label = "Folder or manifest", defaultValue = "", widget = Setting.Widget.FILE_OR_FOLDER,
                description = "The dataset's folder (folder source), CSV file (csv) or dataset.json (msd).")
        Path path,
        @Setting(key = "image_pattern", label = "Image pattern", defaultValue = "imagesTr/{id}_{channel}.nii.gz",
                description = "Folder source: image paths below the folder; {id} is the case id and the optional "
                        + "{channel} a channel number, as nnU-Net names files.")
        String imagePattern,
        @Setting(key = "label_pattern", label = "Label pattern", defaultValue = "labelsTr/{id}.nii.gz",
                description = "Folder source: label paths below the folder, with the same {id}; blank for none. "
                        + "A case whose label file is missing is read as unlabeled.")
        String labelPattern,
        @Setting(key = "check_geometry", label = "Check geometry", defaultValue = "true",
                description = "Read every file's header and refuse a case whose channels and label are not on "
                        + "one grid (dims and affine within 0.001 mm).")
        boolean checkGeometry) {
}
