package org.volseg.core.transforms;

import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * A grid change that reads between voxel centres: resampling to another spacing or onto another grid, and the
 * random rotation and zoom of augmentation. Every target voxel centre is mapped to its fractional source position
 * by {@link #targetToSourceVoxels()}; images are read there trilinearly (or at the nearest voxel), labels at the
 * nearest voxel. The inverse reads back onto the recorded source grid, exact in dims and affine; the values come
 * back interpolated twice, so smooth images return nearly, not bit for bit.
 */
public final class ResamplingTransform implements GeometricTransform {

    /**
     * Nearest-voxel rounding adds this (in voxels) so that exact half-way positions, as a 2× grid has everywhere,
     * always round up, whatever rounding the map's arithmetic left.
     */
    private static final double TIE_BREAK = 1e-6;

    private final Geometry source;
    private final Geometry target;
    private final Affine targetToSource;
    private final Interpolation imageInterpolation;
    private final Boundary boundary;
    private final float imageFill;
    private final int labelFill;

    private ResamplingTransform(Geometry source, Geometry target, Affine targetToSource,
            Interpolation imageInterpolation, Boundary boundary, float imageFill, int labelFill) {
        if (labelFill < 0) {
            throw new IllegalArgumentException("the label fill must be a label (non-negative), got " + labelFill);
        }
        this.source = source;
        this.target = target;
        this.targetToSource = targetToSource;
        this.imageInterpolation = imageInterpolation;
        this.boundary = boundary;
        this.imageFill = imageFill;
        this.labelFill = labelFill;
    }

    /**
     * Resampling from {@code source} onto {@code target} with a known voxel map (computed exactly by the caller,
     * rather than as {@code source.affine⁻¹ · target.affine}, which would add rounding).
     */
    static ResamplingTransform of(Geometry source, Geometry target, Affine targetToSource, Boundary boundary) {
        return new ResamplingTransform(source, target, targetToSource, Interpolation.LINEAR, boundary, 0f, 0);
    }

    /**
     * Resampling from {@code source} onto any {@code target} grid in the same world (for example a prediction onto
     * a reference image's grid): each target voxel centre reads the source at the same world point.
     */
    public static ResamplingTransform between(Geometry source, Geometry target, Boundary boundary) {
        return of(source, target, source.affine().inverse().times(target.affine()), boundary);
    }

    /** The same resampling with another interpolation for images (labels always use nearest). */
    public ResamplingTransform withImageInterpolation(Interpolation interpolation) {
        return new ResamplingTransform(source, target, targetToSource, interpolation, boundary, imageFill,
                labelFill);
    }

    /** The same resampling with another boundary rule and fill values (used only with {@link Boundary#CONSTANT}). */
    public ResamplingTransform withBoundary(Boundary boundary, float imageFill, int labelFill) {
        return new ResamplingTransform(source, target, targetToSource, imageInterpolation, boundary, imageFill,
                labelFill);
    }

    public Interpolation imageInterpolation() {
        return imageInterpolation;
    }

    public Boundary boundary() {
        return boundary;
    }

    public float imageFill() {
        return imageFill;
    }

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
        return false;
    }

    @Override
    public ResamplingTransform inverse() {
        return new ResamplingTransform(target, source, targetToSource.inverse(), imageInterpolation, boundary,
                imageFill, labelFill);
    }

    @Override
    public Volume apply(Volume image) {
        Grids.require(source, image.geometry(), "the image");
        int channels = image.channelCount();
        float[][] in = new float[channels][];
        float[][] out = new float[channels][target.voxels()];
        for (int c = 0; c < channels; c++) {
            in[c] = image.channel(c);
        }
        double[] m = targetToSource.toArray();
        boolean linear = imageInterpolation == Interpolation.LINEAR;
        Slabs.forEach(target.nz(), target.voxels(), z -> {
            if (linear) {
                linearSlab(z, m, in, out);
            } else {
                nearestSlab(z, m, in, out);
            }
        });
        return new Volume(target, out);
    }

    @Override
    public LabelMap apply(LabelMap labels) {
        Grids.require(source, labels.geometry(), "the labels");
        LabelMap out = LabelMap.create(target, Math.max(labels.capacity(), labelFill));
        double[] m = targetToSource.toArray();
        int nx = target.nx();
        int ny = target.ny();
        Slabs.forEach(target.nz(), target.voxels(), z -> {
            for (int y = 0; y < ny; y++) {
                int row = (z * ny + y) * nx;
                for (int x = 0; x < nx; x++) {
                    int from = nearestSourceIndex(m, x, y, z);
                    out.set(row + x, from >= 0 ? labels.get(from) : labelFill);
                }
            }
        });
        return out;
    }

    private void nearestSlab(int z, double[] m, float[][] in, float[][] out) {
        int nx = target.nx();
        int ny = target.ny();
        for (int y = 0; y < ny; y++) {
            int row = (z * ny + y) * nx;
            for (int x = 0; x < nx; x++) {
                int from = nearestSourceIndex(m, x, y, z);
                for (int c = 0; c < in.length; c++) {
                    out[c][row + x] = from >= 0 ? in[c][from] : imageFill;
                }
            }
        }
    }

    /** The flat source index nearest to target voxel (x, y, z), or -1 outside the source with a constant fill. */
    private int nearestSourceIndex(double[] m, int x, int y, int z) {
        int sx = nearest(m[0] * x + m[1] * y + m[2] * z + m[3], source.nx());
        int sy = nearest(m[4] * x + m[5] * y + m[6] * z + m[7], source.ny());
        int sz = nearest(m[8] * x + m[9] * y + m[10] * z + m[11], source.nz());
        if (sx < 0 || sy < 0 || sz < 0) {
            return -1;
        }
        return (sz * source.ny() + sy) * source.nx() + sx;
    }

    private int nearest(double position, int size) {
        double rounded = Math.floor(position + 0.5 + TIE_BREAK);
        if (rounded >= 0 && rounded < size) {
            return (int) rounded;
        }
        if (boundary == Boundary.CLAMP_TO_EDGE) {
            return rounded < 0 ? 0 : size - 1;
        }
        return -1;
    }

    private void linearSlab(int z, double[] m, float[][] in, float[][] out) {
        int nx = target.nx();
        int ny = target.ny();
        int sourceNx = source.nx();
        int sourceNy = source.ny();
        int sourceNz = source.nz();
        int strideY = sourceNx;
        int strideZ = sourceNx * sourceNy;
        boolean clamp = boundary == Boundary.CLAMP_TO_EDGE;
        // per axis: lower and upper neighbour (as flat-index offsets, -1 when outside) and the upper one's weight;
        // one small scratch array per slab, none per voxel
        int[] lower = new int[3];
        int[] upper = new int[3];
        double[] fraction = new double[3];
        for (int y = 0; y < ny; y++) {
            int row = (z * ny + y) * nx;
            for (int x = 0; x < nx; x++) {
                double px = m[0] * x + m[1] * y + m[2] * z + m[3];
                double py = m[4] * x + m[5] * y + m[6] * z + m[7];
                double pz = m[8] * x + m[9] * y + m[10] * z + m[11];
                if (px >= 0 && px < sourceNx - 1 && py >= 0 && py < sourceNy - 1 && pz >= 0 && pz < sourceNz - 1) {
                    // the common case: all eight neighbours inside, no boundary rule needed
                    int x0 = (int) px;
                    int y0 = (int) py;
                    int z0 = (int) pz;
                    double fx = px - x0;
                    double fy = py - y0;
                    double fz = pz - z0;
                    int i = z0 * strideZ + y0 * strideY + x0;
                    for (int c = 0; c < in.length; c++) {
                        float[] d = in[c];
                        double v00 = d[i] + fx * (d[i + 1] - d[i]);
                        double v10 = d[i + strideY] + fx * (d[i + strideY + 1] - d[i + strideY]);
                        double v01 = d[i + strideZ] + fx * (d[i + strideZ + 1] - d[i + strideZ]);
                        double v11 = d[i + strideZ + strideY]
                                + fx * (d[i + strideZ + strideY + 1] - d[i + strideZ + strideY]);
                        double v0 = v00 + fy * (v10 - v00);
                        double v1 = v01 + fy * (v11 - v01);
                        out[c][row + x] = (float) (v0 + fz * (v1 - v0));
                    }
                    continue;
                }
                neighbours(px, sourceNx, 1, clamp, 0, lower, upper, fraction);
                neighbours(py, sourceNy, strideY, clamp, 1, lower, upper, fraction);
                neighbours(pz, sourceNz, strideZ, clamp, 2, lower, upper, fraction);
                double fx = fraction[0];
                double fy = fraction[1];
                double fz = fraction[2];
                int x0 = lower[0];
                int x1 = upper[0];
                int y0 = lower[1];
                int y1 = upper[1];
                int z0 = lower[2];
                int z1 = upper[2];
                for (int c = 0; c < in.length; c++) {
                    float[] d = in[c];
                    double v00 = (1 - fx) * read(d, x0, y0, z0) + fx * read(d, x1, y0, z0);
                    double v10 = (1 - fx) * read(d, x0, y1, z0) + fx * read(d, x1, y1, z0);
                    double v01 = (1 - fx) * read(d, x0, y0, z1) + fx * read(d, x1, y0, z1);
                    double v11 = (1 - fx) * read(d, x0, y1, z1) + fx * read(d, x1, y1, z1);
                    double v0 = (1 - fy) * v00 + fy * v10;
                    double v1 = (1 - fy) * v01 + fy * v11;
                    out[c][row + x] = (float) ((1 - fz) * v0 + fz * v1);
                }
            }
        }
    }

    /** A source value from per-axis flat offsets, or the fill value when any of them is outside (-1). */
    private float read(float[] data, int xOffset, int yOffset, int zOffset) {
        return (xOffset | yOffset | zOffset) < 0 ? imageFill : data[xOffset + yOffset + zOffset];
    }

    /**
     * The two source neighbours of a position along one axis (as flat-index offsets) and the upper one's weight.
     * Clamped, the position moves onto the grid first; with a constant fill, neighbours off the grid become -1.
     */
    private static void neighbours(double position, int size, int stride, boolean clamp, int axis, int[] lower,
            int[] upper, double[] fraction) {
        if (clamp) {
            double p = Math.min(Math.max(position, 0), size - 1);
            int below = Math.min((int) p, Math.max(size - 2, 0));
            int above = Math.min(below + 1, size - 1);
            lower[axis] = below * stride;
            upper[axis] = above * stride;
            fraction[axis] = p - below;
            return;
        }
        double floor = Math.floor(position);
        fraction[axis] = position - floor;
        lower[axis] = floor >= 0 && floor < size ? (int) floor * stride : -1;
        upper[axis] = floor + 1 >= 0 && floor + 1 < size ? ((int) floor + 1) * stride : -1;
    }

    @Override
    public String toString() {
        return "ResamplingTransform(" + source + " -> " + target + ", " + imageInterpolation + ", " + boundary
                + ")";
    }
}
