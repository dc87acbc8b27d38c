package org.volseg.core.transforms;

import java.util.Arrays;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * A grid change that only moves whole voxels: an axis permutation with flips plus an integer shift. Reorientation,
 * flips, 90° rotations, crops and pads are all of this kind, so each target voxel is a copy of exactly one source
 * voxel, or the fill value where it falls outside the source grid. Applying the inverse restores the data bit for
 * bit wherever the forward transform did not cut it off.
 */
public final class AxisAlignedTransform implements GeometricTransform {

    /** How far (in voxels) {@link #between} lets a map element be from a whole number. */
    public static final double VOXEL_TOLERANCE = 1e-3;

    private final Geometry source;
    private final Geometry target;
    private final Affine targetToSource;
    private final float imageFill;
    private final int labelFill;
    /** Per target axis: the source axis it runs along, +1 or -1 along it, and the source index at target 0. */
    private final int[] sourceAxis = new int[3];
    private final int[] direction = new int[3];
    private final long[] offset = new long[3];

    private AxisAlignedTransform(Geometry source, Geometry target, Affine targetToSource, float imageFill,
            int labelFill) {
        if (labelFill < 0) {
            throw new IllegalArgumentException("the label fill must be a label (non-negative), got " + labelFill);
        }
        this.source = source;
        this.target = target;
        this.targetToSource = targetToSource;
        this.imageFill = imageFill;
        this.labelFill = labelFill;
        boolean[] rowUsed = new boolean[3];
        for (int a = 0; a < 3; a++) {
            sourceAxis[a] = -1;
            for (int r = 0; r < 3; r++) {
                double e = targetToSource.get(r, a);
                if (e != 0 && e != 1 && e != -1) {
                    throw notAxisAligned(targetToSource);
                }
                if (e != 0) {
                    if (sourceAxis[a] >= 0 || rowUsed[r]) {
                        throw notAxisAligned(targetToSource);
                    }
                    sourceAxis[a] = r;
                    rowUsed[r] = true;
                    direction[a] = (int) e;
                }
            }
            if (sourceAxis[a] < 0) {
                throw notAxisAligned(targetToSource);
            }
            double shift = targetToSource.get(sourceAxis[a], 3);
            if (shift != Math.rint(shift) || Math.abs(shift) > Integer.MAX_VALUE) {
                throw notAxisAligned(targetToSource);
            }
            offset[a] = (long) shift;
        }
    }

    private static IllegalArgumentException notAxisAligned(Affine map) {
        return new IllegalArgumentException("not a signed axis permutation with an integer shift: " + map);
    }

    /**
     * A target grid of the given dims whose voxel (i, j, k) copies source voxel {@code targetToSource · (i, j, k)};
     * the map's 3×3 part must be a permutation with signs and its shift whole voxels. The target's affine is
     * {@code source.affine · targetToSource}, so world positions are kept.
     */
    public static AxisAlignedTransform of(Geometry source, int nx, int ny, int nz, Affine targetToSource) {
        Geometry target = new Geometry(nx, ny, nz, source.affine().times(targetToSource));
        return new AxisAlignedTransform(source, target, targetToSource, 0f, 0);
    }

    /**
     * The transform between two grids that differ only by whole voxels and by axis order and direction, found from
     * the grids alone: for example an original image and a crop, pad or reorientation of it read back from a file,
     * so that a prediction on the second can be put on the first. Fails when the grids are not so related (within
     * {@value #VOXEL_TOLERANCE} voxel, enough for affines stored in single precision).
     */
    public static AxisAlignedTransform between(Geometry source, Geometry target) {
        double[] map = source.affine().inverse().times(target.affine()).toArray();
        for (int k = 0; k < 12; k++) {
            double whole = Math.rint(map[k]);
            if (Math.abs(map[k] - whole) > VOXEL_TOLERANCE) {
                throw new IllegalArgumentException("the grids do not differ by whole voxels and axis swaps: "
                        + "target voxel -> source voxel is " + Affine.of(map));
            }
            map[k] = whole == 0 ? 0 : whole; // no −0, so that equal maps compare equal
        }
        return new AxisAlignedTransform(source, target, Affine.of(map), 0f, 0);
    }

    /** The transform that changes nothing (what a random augmentation gives when it does not fire). */
    public static AxisAlignedTransform identity(Geometry grid) {
        return new AxisAlignedTransform(grid, grid, Affine.identity(), 0f, 0);
    }

    /** The same transform, writing {@code imageFill} and {@code labelFill} where a target voxel has no source. */
    public AxisAlignedTransform withFill(float imageFill, int labelFill) {
        return new AxisAlignedTransform(source, target, targetToSource, imageFill, labelFill);
    }

    /** What images get where a target voxel lies outside the source grid (after an uncrop, or in a pad). */
    public float imageFill() {
        return imageFill;
    }

    /** What labels get where a target voxel lies outside the source grid. */
    public int labelFill() {
        return labelFill;
    }

    @Override
    public Geometry source() {
        return source;
    }

    @Override
    public Geometry target() {
        return target;
    }

    @Override
    public Affine targetToSourceVoxels() {
        return targetToSource;
    }

    @Override
    public boolean exact() {
        return true;
    }

    @Override
    public AxisAlignedTransform inverse() {
        return new AxisAlignedTransform(target, source, targetToSource.inverse(), imageFill, labelFill);
    }

    @Override
    public Volume apply(Volume image) {
        float[] fill = new float[image.channelCount()];
        Arrays.fill(fill, imageFill);
        return apply(image, fill);
    }

    /**
     * The image on the target grid with a fill value per channel: after an uncrop of a network's probabilities, for
     * example, background is 1 and every other class 0 outside the crop.
     */
    public Volume apply(Volume image, float[] fillPerChannel) {
        Grids.require(source, image.geometry(), "the image");
        if (fillPerChannel.length != image.channelCount()) {
            throw new IllegalArgumentException(fillPerChannel.length + " fill values for "
                    + image.channelCount() + " channels");
        }
        int[][] table = sourceOffsets();
        int nx = target.nx();
        int ny = target.ny();
        int channels = image.channelCount();
        float[][] out = new float[channels][target.voxels()];
        Slabs.forEach(target.nz(), target.voxels(), z -> {
            int fromZ = table[2][z];
            for (int y = 0; y < ny; y++) {
                int fromYZ = table[1][y];
                int row = (z * ny + y) * nx;
                for (int c = 0; c < channels; c++) {
                    float[] in = image.channel(c);
                    float[] to = out[c];
                    if (fromZ < 0 || fromYZ < 0) {
                        Arrays.fill(to, row, row + nx, fillPerChannel[c]);
                        continue;
                    }
                    int base = fromZ + fromYZ;
                    int[] fromX = table[0];
                    for (int x = 0; x < nx; x++) {
                        to[row + x] = fromX[x] >= 0 ? in[base + fromX[x]] : fillPerChannel[c];
                    }
                }
            }
        });
        return new Volume(target, out);
    }

    @Override
    public LabelMap apply(LabelMap labels) {
        Grids.require(source, labels.geometry(), "the labels");
        int[][] table = sourceOffsets();
        int nx = target.nx();
        int ny = target.ny();
        LabelMap out = LabelMap.create(target, Math.max(labels.capacity(), labelFill));
        Slabs.forEach(target.nz(), target.voxels(), z -> {
            int fromZ = table[2][z];
            for (int y = 0; y < ny; y++) {
                int fromYZ = table[1][y];
                int row = (z * ny + y) * nx;
                for (int x = 0; x < nx; x++) {
                    int fromX = table[0][x];
                    boolean inside = fromZ >= 0 && fromYZ >= 0 && fromX >= 0;
                    out.set(row + x, inside ? labels.get(fromZ + fromYZ + fromX) : labelFill);
                }
            }
        });
        return out;
    }

    /**
     * Per target axis, per target index: how far into the source's flat array that index moves, or -1 where it
     * falls outside the source. A voxel's source index is the sum over the three axes, so the inner loop only adds.
     */
    private int[][] sourceOffsets() {
        int[] sourceDims = {source.nx(), source.ny(), source.nz()};
        int[] sourceStrides = {1, source.nx(), source.nx() * source.ny()};
        int[] targetDims = {target.nx(), target.ny(), target.nz()};
        int[][] table = new int[3][];
        for (int a = 0; a < 3; a++) {
            int s = sourceAxis[a];
            table[a] = new int[targetDims[a]];
            for (int t = 0; t < targetDims[a]; t++) {
                long from = direction[a] * (long) t + offset[a];
                table[a][t] = from >= 0 && from < sourceDims[s] ? (int) from * sourceStrides[s] : -1;
            }
        }
        return table;
    }

    @Override
    public String toString() {
        return "AxisAlignedTransform(" + source + " -> " + target + ", target voxel -> source voxel "
                + targetToSource + ")";
    }
}
