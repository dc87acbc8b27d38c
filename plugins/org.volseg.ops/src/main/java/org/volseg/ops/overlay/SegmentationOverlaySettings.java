package org.volseg.ops.overlay;

import org.volseg.ops.api.Setting;

/**
 * @param channel   the image channel shown under the labels
 * @param style     labels filled or outlined
 * @param opacity   opacity of filled labels
 * @param panelSize edge of each of the three panels in pixels
 */
public record SegmentationOverlaySettings(
        @Setting(key = "channel", label = "Image channel", defaultValue = "0", min = 0, max = 1000,
                description = "The image channel drawn in grey under the labels (0 = the first).")
        int channel,
        @Setting(key = "style", label = "Label style", defaultValue = "fill", choices = {"fill", "outline"},
                description = "fill: labels as translucent colour; outline: only their borders, so the anatomy "
                        + "under them stays visible.")
        String style,
        @Setting(key = "opacity", label = "Fill opacity", defaultValue = "0.45", min = 0, max = 1,
                description = "How opaque filled labels are.")
        double opacity,
        @Setting(key = "panel_size", label = "Panel size (pixels)", defaultValue = "256", min = 32, max = 2048,
                description = "Each of the three views (sagittal, coronal, axial) is drawn in a square of this "
                        + "many pixels.")
        int panelSize) {
}
