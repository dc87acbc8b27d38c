package org.volseg.core.transforms;

import java.util.SplittableRandom;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;

/**
 * With the given probability, a small rotation and zoom about the grid's centre (nnU-Net's spatial transform,
 * MONAI's RandAffine without shear): the drawn {@link ResamplingTransform} keeps the grid's dims, reads images
 * trilinearly and labels at the nearest voxel, and fills what comes from outside the grid with 0 (images) and
 * background (labels).
 *
 * <p>Rotation is in millimetres, about the voxel axes x, then y, then z, so that anisotropic voxels are not sheared.
 * A zoom above 1 makes the anatomy look larger. Draws whether it fires, then the angles about x, y, z, then the
 * zoom.
 *
 * @param probability chance of transforming at all
 * @param maxAngleX   largest rotation about the x axis (radians); drawn uniformly in ±maxAngleX
 * @param maxAngleY   largest rotation about the y axis (radians)
 * @param maxAngleZ   largest rotation about the z axis (radians)
 * @param minZoom     smallest zoom factor
 * @param maxZoom     largest zoom factor
 */
public record RandomAffine(double probability, double maxAngleX, double maxAngleY, double maxAngleZ, double minZoom,
        double maxZoom) implements RandomGeometricTransform {

    public RandomAffine {
        Probabilities.require(probability);
        Probabilities.requireRange("the x angle", 0, maxAngleX);
        Probabilities.requireRange("the y angle", 0, maxAngleY);
        Probabilities.requireRange("the z angle", 0, maxAngleZ);
        Probabilities.requireRange("the zoom", minZoom, maxZoom);
        if (!(minZoom > 0)) {
            throw new IllegalArgumentException("zoom factors must be positive, got " + minZoom);
        }
    }

    @Override
    public GeometricTransform sample(Geometry grid, SplittableRandom random) {
        if (random.nextDouble() >= probability) {
            return AxisAlignedTransform.identity(grid);
        }
        double angleX = Probabilities.uniform(random, -maxAngleX, maxAngleX);
        double angleY = Probabilities.uniform(random, -maxAngleY, maxAngleY);
        double angleZ = Probabilities.uniform(random, -maxAngleZ, maxAngleZ);
        double zoom = Probabilities.uniform(random, minZoom, maxZoom);
        return rotateAndZoom(grid, angleX, angleY, angleZ, zoom);
    }

    /**
     * The rotation by the given angles (radians, about x, then y, then z, in millimetres) and zoom about the
     * grid's centre, as {@link #sample} draws it. Target voxel t reads source voxel
     * {@code c + D⁻¹ · R · D · (t − c) / zoom}, with c the centre and D the spacing.
     */
    public static ResamplingTransform rotateAndZoom(Geometry grid, double angleX, double angleY, double angleZ,
            double zoom) {
        double[][] rotation = times(rotationZ(angleZ), times(rotationY(angleY), rotationX(angleX)));
        double[] spacing = {grid.spacingX(), grid.spacingY(), grid.spacingZ()};
        double[] centre = {(grid.nx() - 1) / 2.0, (grid.ny() - 1) / 2.0, (grid.nz() - 1) / 2.0};
        double[] map = new double[16];
        for (int r = 0; r < 3; r++) {
            double shift = centre[r];
            for (int c = 0; c < 3; c++) {
                double linear = rotation[r][c] * spacing[c] / spacing[r] / zoom;
                map[4 * r + c] = linear;
                shift -= linear * centre[c];
            }
            map[4 * r + 3] = shift;
        }
        map[15] = 1;
        Affine targetToSource = Affine.of(map);
        Geometry target = new Geometry(grid.nx(), grid.ny(), grid.nz(), grid.affine().times(targetToSource));
        return ResamplingTransform.of(grid, target, targetToSource, Boundary.CONSTANT);
    }

    private static double[][] rotationX(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        return new double[][] {{1, 0, 0}, {0, c, -s}, {0, s, c}};
    }

    private static double[][] rotationY(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        return new double[][] {{c, 0, s}, {0, 1, 0}, {-s, 0, c}};
    }

    private static double[][] rotationZ(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        return new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
    }

    private static double[][] times(double[][] a, double[][] b) {
        double[][] product = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    product[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return product;
    }
}
