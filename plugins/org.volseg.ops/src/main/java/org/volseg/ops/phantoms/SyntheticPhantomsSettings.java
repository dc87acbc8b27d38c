package org.volseg.ops.phantoms;

import java.nio.file.Path;
import org.volseg.ops.api.Setting;

/**
 * @param count   how many cases
 * @param size    voxels along each axis
 * @param spacing voxel size in mm
 * @param seed    the same seed gives the same cases
 * @param folder  where the NIfTI files go (blank: a folder in the system's temporary directory)
 */
public record SyntheticPhantomsSettings(
        @Setting(key = "count", label = "Cases", defaultValue = "4", min = 1, max = 1000,
                description = "How many cases to generate.")
        int count,
        @Setting(key = "size", label = "Size (voxels)", defaultValue = "32", min = 8, max = 512,
                description = "Voxels along each axis of each case.")
        int size,
        @Setting(key = "spacing", label = "Spacing (mm)", defaultValue = "1", min = 0.01, max = 100,
                description = "Voxel size in millimetres.")
        double spacing,
        @Setting(key = "seed", label = "Seed", defaultValue = "42", min = 0, max = 2147483647,
                description = "The same seed gives the same cases, bit for bit, on every machine.")
        int seed,
        @Setting(key = "folder", label = "Output folder", defaultValue = "", widget = Setting.Widget.FOLDER,
                description = "Where the case folders are written; blank for a folder in the system's temporary "
                        + "directory named after the settings.")
        Path folder) {
}
