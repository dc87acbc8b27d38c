package org.volseg.nn.engines;

import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * One image with its reference segmentation, for training or validation. The image is used as it is: the caller
 * normalises it (and every case alike) the way the model will see images at inference.
 *
 * @param id     names the case in messages
 * @param image  the (normalised) image, one or more channels
 * @param labels the reference labels, on the image's grid
 */
public record TrainingCase(String id, Volume image, LabelMap labels) {

    /** How far (mm) the labels' affine may differ from the image's (the transforms' tolerance). */
    public static final double GRID_TOLERANCE_MM = 1e-3;

    public TrainingCase {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a training case needs an id");
        }
        if (image == null || labels == null) {
            throw new IllegalArgumentException("case '" + id + "' needs an image and labels");
        }
        if (!image.geometry().sameGrid(labels.geometry(), GRID_TOLERANCE_MM)) {
            throw new IllegalArgumentException("case '" + id + "': the labels lie on " + labels.geometry()
                    + ", the image on " + image.geometry() + "; they must share one grid");
        }
    }
}
