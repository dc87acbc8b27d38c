package org.volseg.core.transforms;

import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * An image and its segmentation on one grid, as a training sample is.
 *
 * @param image  the image
 * @param labels the labels, on the image's grid
 */
public record ImageAndLabels(Volume image, LabelMap labels) {

    public ImageAndLabels {
        Grids.require(image.geometry(), labels.geometry(), "the labels");
    }
}
