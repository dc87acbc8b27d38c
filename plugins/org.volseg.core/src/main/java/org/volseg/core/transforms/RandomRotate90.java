package org.volseg.core.transforms;

import java.util.SplittableRandom;
import org.volseg.core.volume.Geometry;

/**
 * With the given probability, turns the voxel array by 90°, 180° or 270° (equally likely) in the plane of two voxel
 * axes (MONAI's RandRotate90). On a plane that is not square the two sizes swap on odd turns, so training patches
 * of fixed size should be square in that plane. Draws whether it fires, then the turns.
 *
 * @param probability chance of turning at all
 * @param axisA       first axis of the plane (0 = x, 1 = y, 2 = z)
 * @param axisB       second axis of the plane
 */
public record RandomRotate90(double probability, int axisA, int axisB) implements RandomGeometricTransform {

    public RandomRotate90 {
        Probabilities.require(probability);
        if (axisA < 0 || axisA > 2 || axisB < 0 || axisB > 2 || axisA == axisB) {
            throw new IllegalArgumentException("a plane needs two different axes among 0, 1, 2, got " + axisA
                    + " and " + axisB);
        }
    }

    @Override
    public AxisAlignedTransform sample(Geometry grid, SplittableRandom random) {
        if (random.nextDouble() >= probability) {
            return AxisAlignedTransform.identity(grid);
        }
        return Reorientation.rotate90(grid, axisA, axisB, 1 + random.nextInt(3));
    }
}
