package org.volseg.core.metrics;

import org.volseg.core.volume.Geometry;

/**
 * Exact Euclidean distance transform on an anisotropic 3D grid: for every voxel, the squared distance in mm² to the
 * nearest feature voxel, measured between voxel centres with the grid's spacing. Separable, as Felzenszwalb and
 * Huttenlocher describe it ("Distance Transforms of Sampled Functions", 2012): a pass along x gives each voxel its
 * distance to the nearest feature of its row; passes along y and then z take the lower envelope of parabolas
 * {@code (spacing·(q − v))² + f(v)}, which is exact, not an approximation. Linear in the voxel count; the lines of
 * each pass run on all cores.
 *
 * <p>Arrays are x fastest, as {@link Geometry#index} lays them out. A grid without feature voxels gives
 * {@code +Infinity} everywhere.
 */
public final class DistanceTransform {

    /** Columns (consecutive x) handled together in the y and z passes, so that strided reads fill cache lines. */
    private static final int TILE = 16;

    private DistanceTransform() {
    }

    /** Squared distances (mm²) to the nearest voxel where {@code features[i] != 0}, on the given grid. */
    public static double[] squaredDistancesMm(byte[] features, Geometry geometry) {
        return squaredDistancesMm(features, geometry.nx(), geometry.ny(), geometry.nz(), geometry.spacingX(),
                geometry.spacingY(), geometry.spacingZ());
    }

    /**
     * Squared distances (mm²) to the nearest voxel where {@code features[i] != 0}.
     *
     * @param features nx·ny·nz flags, x fastest; non-zero marks a feature voxel
     * @param sx       spacing along x in mm (likewise sy, sz); positive and finite
     * @return a new array of nx·ny·nz squared distances; 0 at feature voxels, +Infinity everywhere when there are
     *         none
     */
    public static double[] squaredDistancesMm(byte[] features, int nx, int ny, int nz, double sx, double sy,
            double sz) {
        double[] out = new double[checkedVoxels(features, nx, ny, nz, sx, sy, sz)];
        squaredDistancesMm(features, nx, ny, nz, sx, sy, sz, out);
        return out;
    }

    /** As {@link #squaredDistancesMm(byte[], int, int, int, double, double, double)}, into {@code out}. */
    public static void squaredDistancesMm(byte[] features, int nx, int ny, int nz, double sx, double sy, double sz,
            double[] out) {
        squaredDistancesMm(features, null, nx, ny, nz, sx, sy, sz, out);
    }

    /**
     * As {@link #squaredDistancesMm(byte[], int, int, int, double, double, double, double[])}, but exact only where
     * {@code wanted[i] != 0} (everywhere when null): the last pass skips the z-lines without a wanted voxel, which
     * leaves partial values there. Surface distances want the transform at the other surface's voxels only.
     */
    static void squaredDistancesMm(byte[] features, byte[] wanted, int nx, int ny, int nz, double sx, double sy,
            double sz, double[] out) {
        int voxels = checkedVoxels(features, nx, ny, nz, sx, sy, sz);
        if (out.length != voxels) {
            throw new IllegalArgumentException("the output holds " + out.length + " values, the grid " + voxels);
        }
        passX(features, nx, ny * nz, sx, out);
        if (ny > 1) {
            passStrided(out, nx, ny, nz, sy, true, null);
        }
        if (nz > 1) {
            passStrided(out, nx, ny, nz, sz, false, wanted == null ? null : columnsWanted(wanted, nx * ny));
        }
    }

    /** Per (x, y): whether its z-line holds a wanted voxel. */
    private static boolean[] columnsWanted(byte[] wanted, int planeVoxels) {
        boolean[] columns = new boolean[planeVoxels];
        for (int i = 0; i < wanted.length; i++) {
            if (wanted[i] != 0) {
                columns[i % planeVoxels] = true;
            }
        }
        return columns;
    }

    private static int checkedVoxels(byte[] features, int nx, int ny, int nz, double sx, double sy, double sz) {
        if (nx <= 0 || ny <= 0 || nz <= 0) {
            throw new IllegalArgumentException("dims must be positive, got " + nx + "×" + ny + "×" + nz);
        }
        long voxels = (long) nx * ny * nz;
        if (voxels != features.length) {
            throw new IllegalArgumentException(features.length + " feature flags for " + nx + "×" + ny + "×" + nz
                    + " voxels");
        }
        for (double s : new double[] {sx, sy, sz}) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("spacing must be positive and finite, got " + sx + "×" + sy
                        + "×" + sz);
            }
        }
        return (int) voxels;
    }

    /**
     * Along x the input is binary, so each row needs only the distance to the nearest feature on either side: a
     * forward and a backward sweep, no parabolas.
     */
    private static void passX(byte[] features, int nx, int rows, double sx, double[] out) {
        Chunks.run(rows, (long) rows * nx, (from, to) -> {
            for (int row = from; row < to; row++) {
                int base = row * nx;
                int last = -1;
                for (int x = 0; x < nx; x++) {
                    if (features[base + x] != 0) {
                        last = x;
                    }
                    // a gap to the left, or +Infinity (as a sentinel) when no feature was seen yet
                    out[base + x] = last < 0 ? Double.POSITIVE_INFINITY : x - last;
                }
                int next = -1;
                for (int x = nx - 1; x >= 0; x--) {
                    if (features[base + x] != 0) {
                        next = x;
                    }
                    double gap = out[base + x];
                    if (next >= 0 && next - x < gap) {
                        gap = next - x;
                    }
                    // (gap·s)², not gap²·s²: then sqrt of the result gives back gap·s exactly
                    double mm = gap * sx;
                    out[base + x] = mm * mm;
                }
            }
        });
    }

    /**
     * One pass of the lower envelope along y ({@code alongY}) or z. Lines are gathered {@link #TILE} columns at a
     * time into contiguous scratch, transformed, and scattered back. With {@code columns} (z pass only), the
     * z-lines at (x, y) where {@code columns[y·nx + x]} is false are left as they are.
     */
    private static void passStrided(double[] data, int nx, int ny, int nz, double spacing, boolean alongY,
            boolean[] columns) {
        int length = alongY ? ny : nz;
        int stride = alongY ? nx : nx * ny;
        int outer = alongY ? nz : ny; // the third axis, neither x nor the pass axis
        int outerStride = alongY ? nx * ny : nx;
        int tilesPerRow = (nx + TILE - 1) / TILE;
        int tasks = outer * tilesPerRow;
        Chunks.run(tasks, (long) nx * ny * nz, (from, to) -> {
            double[] lines = new double[TILE * length];
            boolean[] changed = new boolean[TILE];
            double[] result = new double[length];
            int[] apex = new int[length];
            double[] height = new double[length];
            double[] boundary = new double[length + 1];
            for (int task = from; task < to; task++) {
                int o = task / tilesPerRow;
                int x0 = (task % tilesPerRow) * TILE;
                int width = Math.min(TILE, nx - x0);
                int base = o * outerStride + x0;
                boolean any = false;
                for (int t = 0; t < width; t++) {
                    changed[t] = columns == null || columns[o * nx + x0 + t];
                    any |= changed[t];
                }
                if (!any) {
                    continue;
                }
                for (int q = 0; q < length; q++) {
                    int at = base + q * stride;
                    for (int t = 0; t < width; t++) {
                        lines[t * length + q] = data[at + t];
                    }
                }
                any = false;
                for (int t = 0; t < width; t++) {
                    // a line without finite samples stays +Infinity: nothing to write back
                    if (changed[t] && lowerEnvelope(lines, t * length, length, spacing, result, apex, height,
                            boundary)) {
                        System.arraycopy(result, 0, lines, t * length, length);
                        any = true;
                    } else {
                        changed[t] = false;
                    }
                }
                if (!any) {
                    continue;
                }
                for (int q = 0; q < length; q++) {
                    int at = base + q * stride;
                    for (int t = 0; t < width; t++) {
                        if (changed[t]) {
                            data[at + t] = lines[t * length + q];
                        }
                    }
                }
            }
        });
    }

    /**
     * {@code result[q] = min over v of (spacing·(q − v))² + f[v]} for the line {@code f[offset .. offset+n)}: the
     * lower envelope of one parabola per finite sample. Positions are in mm so that anisotropy needs no special
     * case. Samples at +Infinity (no feature yet) contribute no parabola.
     *
     * @return false, with {@code result} untouched, when the line has no finite sample (it is all +Infinity)
     */
    static boolean lowerEnvelope(double[] f, int offset, int n, double spacing, double[] result, int[] apex,
            double[] height, double[] boundary) {
        // parabola k of the envelope has its apex at sample apex[k]; height[k] = f + (apex position)² decides
        // where parabolas cross; it is lowest from boundary[k] to boundary[k + 1] (mm)
        int k = -1;
        for (int q = 0; q < n; q++) {
            double fq = f[offset + q];
            if (fq == Double.POSITIVE_INFINITY) {
                continue;
            }
            double pq = q * spacing;
            double hq = fq + pq * pq;
            double crossing = Double.NEGATIVE_INFINITY;
            while (k >= 0) {
                // where the parabolas of k and q meet; q's is lower to the right of it
                crossing = (hq - height[k]) / (2 * (pq - apex[k] * spacing));
                if (crossing > boundary[k]) {
                    break;
                }
                k--; // k's parabola is nowhere lowest any more
                crossing = Double.NEGATIVE_INFINITY;
            }
            k++;
            apex[k] = q;
            height[k] = hq;
            boundary[k] = crossing;
        }
        if (k < 0) {
            return false;
        }
        boundary[k + 1] = Double.POSITIVE_INFINITY;
        int j = 0;
        for (int q = 0; q < n; q++) {
            double pq = q * spacing;
            while (boundary[j + 1] < pq) {
                j++;
            }
            int v = apex[j];
            // (spacing·(q − v))² + f(v): the gap in samples first, so that an axis distance comes out exactly
            double mm = (q - v) * spacing;
            result[q] = mm * mm + f[offset + v];
        }
        return true;
    }
}
