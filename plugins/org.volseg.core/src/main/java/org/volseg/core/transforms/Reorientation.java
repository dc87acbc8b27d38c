package org.volseg.core.transforms;

import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;

/**
 * Changes of voxel-axis order and direction that keep every voxel where it is in the world: reorientation to an
 * orientation code (nibabel's {@code as_closest_canonical} for "RAS"), flips and 90° rotations of the voxel array.
 * All are exact: voxels are only moved, and the affine is updated to match.
 */
public final class Reorientation {

    private static final String POSITIVE = "RAS";
    private static final String NEGATIVE = "LPI";

    private Reorientation() {
    }

    /**
     * The grid reordered so that its voxel axes point as {@code code} says ("RAS", "LPS", "PIR", ...: for each voxel
     * axis the world direction it increases towards). The source's own code is {@link Geometry#orientation()};
     * oblique grids take the nearest axis, as nibabel does.
     */
    public static AxisAlignedTransform to(Geometry source, String code) {
        int[] worldAxisOfTarget = parse(code);
        String current = source.orientation();
        int[] sourceDims = {source.nx(), source.ny(), source.nz()};
        int[] targetDims = new int[3];
        double[] map = new double[16];
        for (int a = 0; a < 3; a++) {
            int world = Math.abs(worldAxisOfTarget[a]) - 1;
            for (int s = 0; s < 3; s++) {
                int sourceWorld = worldAxis(current.charAt(s));
                if (Math.abs(sourceWorld) - 1 == world) {
                    boolean flip = Integer.signum(sourceWorld) != Integer.signum(worldAxisOfTarget[a]);
                    targetDims[a] = sourceDims[s];
                    map[4 * s + a] = flip ? -1 : 1;
                    map[4 * s + 3] = flip ? sourceDims[s] - 1 : 0;
                }
            }
        }
        map[15] = 1;
        return AxisAlignedTransform.of(source, targetDims[0], targetDims[1], targetDims[2], Affine.of(map));
    }

    /** The grid reordered to RAS+ (voxel axes increasing towards right, anterior, superior). */
    public static AxisAlignedTransform toRas(Geometry source) {
        return to(source, "RAS");
    }

    /** The voxel array mirrored along the chosen axes (x, y, z), the affine mirrored with it. */
    public static AxisAlignedTransform flip(Geometry source, boolean flipX, boolean flipY, boolean flipZ) {
        boolean[] flips = {flipX, flipY, flipZ};
        int[] dims = {source.nx(), source.ny(), source.nz()};
        double[] map = new double[16];
        for (int a = 0; a < 3; a++) {
            map[5 * a] = flips[a] ? -1 : 1;
            map[4 * a + 3] = flips[a] ? dims[a] - 1 : 0;
        }
        map[15] = 1;
        return AxisAlignedTransform.of(source, dims[0], dims[1], dims[2], Affine.of(map));
    }

    /**
     * The voxel array turned by {@code quarterTurns} × 90° in the plane of voxel axes {@code axisA} and
     * {@code axisB} (0 = x, 1 = y, 2 = z), as {@code numpy.rot90(array, k, axes=(axisA, axisB))} turns an array
     * indexed [x, y, z]: after one turn, {@code target[.., a, .., b, ..] = source[.., b, .., size(B) − 1 − a, ..]}.
     * The two axes' sizes swap on odd turns.
     */
    public static AxisAlignedTransform rotate90(Geometry source, int axisA, int axisB, int quarterTurns) {
        if (axisA < 0 || axisA > 2 || axisB < 0 || axisB > 2 || axisA == axisB) {
            throw new IllegalArgumentException("rotate90 needs two different axes among 0, 1, 2, got " + axisA
                    + " and " + axisB);
        }
        int[] dims = {source.nx(), source.ny(), source.nz()};
        double[] map = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        int turns = Math.floorMod(quarterTurns, 4);
        for (int turn = 0; turn < turns; turn++) {
            // one turn reads previous-grid voxel p for new-grid voxel q: p[A] = q[B], p[B] = size(B) − 1 − q[A]
            double[] step = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
            step[5 * axisA] = 0;
            step[5 * axisB] = 0;
            step[4 * axisA + axisB] = 1;
            step[4 * axisB + axisA] = -1;
            step[4 * axisB + 3] = dims[axisB] - 1;
            map = Affine.of(map).times(Affine.of(step)).toArray();
            int swap = dims[axisA];
            dims[axisA] = dims[axisB];
            dims[axisB] = swap;
        }
        return AxisAlignedTransform.of(source, dims[0], dims[1], dims[2], Affine.of(map));
    }

    /** Per letter: the world axis (1 = x, 2 = y, 3 = z), negative for L, P and I. */
    private static int[] parse(String code) {
        if (code == null || code.length() != 3) {
            throw new IllegalArgumentException("an orientation code has three letters such as RAS or LPS, got "
                    + code);
        }
        int[] axes = new int[3];
        boolean[] seen = new boolean[3];
        for (int a = 0; a < 3; a++) {
            int world = worldAxis(Character.toUpperCase(code.charAt(a)));
            if (world == 0 || seen[Math.abs(world) - 1]) {
                throw new IllegalArgumentException("an orientation code names each of R/L, A/P, S/I once, got "
                        + code);
            }
            seen[Math.abs(world) - 1] = true;
            axes[a] = world;
        }
        return axes;
    }

    private static int worldAxis(char letter) {
        int positive = POSITIVE.indexOf(letter);
        if (positive >= 0) {
            return positive + 1;
        }
        int negative = NEGATIVE.indexOf(letter);
        return negative >= 0 ? -(negative + 1) : 0;
    }
}
