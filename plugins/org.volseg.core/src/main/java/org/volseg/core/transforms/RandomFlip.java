package org.volseg.core.transforms;

import java.util.SplittableRandom;
import org.volseg.core.volume.Geometry;

/**
 * Mirrors the voxel array along each axis with its own probability (MONAI's RandFlip, nnU-Net's mirroring).
 * Draws x, then y, then z.
 *
 * @param probabilityX chance of a flip along x
 * @param probabilityY chance of a flip along y
 * @param probabilityZ chance of a flip along z
 */
public record RandomFlip(double probabilityX, double probabilityY, double probabilityZ)
        implements RandomGeometricTransform {

    public RandomFlip {
        Probabilities.require(probabilityX, probabilityY, probabilityZ);
    }

    /** The same chance along every axis (nnU-Net mirrors each axis with 0.5). */
    public RandomFlip(double probability) {
        this(probability, probability, probability);
    }

    @Override
    public AxisAlignedTransform sample(Geometry grid, SplittableRandom random) {
        boolean flipX = random.nextDouble() < probabilityX;
        boolean flipY = random.nextDouble() < probabilityY;
        boolean flipZ = random.nextDouble() < probabilityZ;
        return Reorientation.flip(grid, flipX, flipY, flipZ);
    }
}
