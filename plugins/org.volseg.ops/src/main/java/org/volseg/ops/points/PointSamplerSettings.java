package org.volseg.ops.points;

import org.volseg.ops.api.Setting;

/**
 * @param points      points per case
 * @param borderShare share of the points drawn in the band around label borders
 * @param bandRadius  how far the band reaches from a border, in voxels
 * @param seed        the seed of the draw
 */
public record PointSamplerSettings(
        @Setting(key = "points", label = "Points per case", defaultValue = "16384", min = 1, max = 16777216,
                description = "How many points to draw in each case; OSS-Net trains on 2^14 = 16384 per volume.")
        int points,
        @Setting(key = "border_share", label = "Share near borders", defaultValue = "0.5", min = 0, max = 1,
                description = "Share of the points drawn in the band around label borders, the rest uniform over "
                        + "the grid (OSS-Net: 0.5 for LiTS, 0 = uniform for BraTS). A case with a single label has "
                        + "no band: all its points are uniform.")
        double borderShare,
        @Setting(key = "band_radius", label = "Band radius (voxels)", defaultValue = "6", min = 0, max = 64,
                description = "How far the border band reaches from a voxel that has a neighbour of another label, "
                        + "in voxels; OSS-Net uses 6. Any two labels meeting make a border (multi-class labels).")
        double bandRadius,
        @Setting(key = "seed", label = "Seed", defaultValue = "42", min = 0, max = 9.2e18,
                description = "The seed of the draw: the same seed and case give the same points, whatever the "
                        + "order of the cases.")
        long seed) {
}
