package org.volseg.core.sampling;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/**
 * The voxels near label borders: the border voxels (those whose label differs from one of their 6-neighbours
 * inside the grid; both sides of every interface, between any two classes) dilated to every voxel whose centre lies
 * within {@code radius} voxels (Euclidean, in voxel units) of a border voxel's centre. Distances come from an exact
 * Euclidean distance transform (Felzenszwalb and Huttenlocher's lower envelope of parabolas, one pass per axis), so
 * the band costs O(voxels) whatever the radius.
 */
public final class BoundaryBand {

    /** OSS-Net-style default band radius, in voxels. */
    public static final double DEFAULT_RADIUS = 6;

    private static final int FAR = Integer.MAX_VALUE;

    private final Geometry grid;
    private final double radius;
    private final int borderVoxels;
    private final int[] voxels;

    private BoundaryBand(Geometry grid, double radius, int borderVoxels, int[] voxels) {
        this.grid = grid;
        this.radius = radius;
        this.borderVoxels = borderVoxels;
        this.voxels = voxels;
    }

    /** The band of voxels within {@code radius} voxels (≥ 0) of a label border. */
    public static BoundaryBand of(LabelMap labels, double radius) {
        if (!(radius >= 0) || !Double.isFinite(radius)) {
            throw new IllegalArgumentException("band radius must be a finite value ≥ 0, got " + radius);
        }
        Geometry g = labels.geometry();
        int[] squared = new int[g.voxels()];
        int borders = markBorders(labels, squared);
        int[] band;
        if (borders == 0) {
            band = new int[0];
        } else {
            distanceTransform(g, squared);
            // integer squared distances: compare with floor(radius²), exact for every radius
            long limit = (long) Math.floor(radius * radius);
            band = IntStream.range(0, squared.length).filter(i -> squared[i] <= limit).toArray();
        }
        return new BoundaryBand(g, radius, borders, band);
    }

    public Geometry grid() {
        return grid;
    }

    public double radius() {
        return radius;
    }

    /** How many voxels have a 6-neighbour of another label. */
    public int borderVoxelCount() {
        return borderVoxels;
    }

    /** How many voxels the band holds. */
    public int size() {
        return voxels.length;
    }

    public boolean isEmpty() {
        return voxels.length == 0;
    }

    /** The flat index (x fastest) of the band's i-th voxel, ascending in i. */
    public int voxel(int i) {
        return voxels[i];
    }

    /** The band's flat voxel indices, ascending (a copy). */
    public int[] voxels() {
        return voxels.clone();
    }

    /** Whether a voxel (flat index) is in the band. */
    public boolean contains(int index) {
        return Arrays.binarySearch(voxels, index) >= 0;
    }

    /** Sets 0 at border voxels, FAR elsewhere; returns how many border voxels there are. */
    private static int markBorders(LabelMap labels, int[] squared) {
        Geometry g = labels.geometry();
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        int slice = nx * ny;
        return IntStream.range(0, nz).parallel().map(z -> {
            int count = 0;
            for (int y = 0; y < ny; y++) {
                for (int x = 0, i = g.index(0, y, z); x < nx; x++, i++) {
                    int l = labels.get(i);
                    boolean border = x > 0 && labels.get(i - 1) != l || x < nx - 1 && labels.get(i + 1) != l
                            || y > 0 && labels.get(i - nx) != l || y < ny - 1 && labels.get(i + nx) != l
                            || z > 0 && labels.get(i - slice) != l || z < nz - 1 && labels.get(i + slice) != l;
                    squared[i] = border ? 0 : FAR;
                    count += border ? 1 : 0;
                }
            }
            return count;
        }).sum();
    }

    /** Squared Euclidean distance (voxel units) to the nearest 0, in place: one exact 1D pass per axis. */
    private static void distanceTransform(Geometry g, int[] squared) {
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        // along x: lines of nx, stride 1, starting at (0, y, z)
        IntStream.range(0, nz).parallel().forEach(z -> {
            Line line = new Line(Math.max(nx, Math.max(ny, nz)));
            for (int y = 0; y < ny; y++) {
                line.transform(squared, g.index(0, y, z), 1, nx);
            }
        });
        IntStream.range(0, nz).parallel().forEach(z -> {
            Line line = new Line(Math.max(nx, Math.max(ny, nz)));
            for (int x = 0; x < nx; x++) {
                line.transform(squared, g.index(x, 0, z), nx, ny);
            }
        });
        IntStream.range(0, ny).parallel().forEach(y -> {
            Line line = new Line(Math.max(nx, Math.max(ny, nz)));
            for (int x = 0; x < nx; x++) {
                line.transform(squared, g.index(x, y, 0), nx * ny, nz);
            }
        });
    }

    /** Scratch space for the 1D transform of one line. */
    private static final class Line {

        private final long[] f;
        private final int[] sites;
        private final double[] bounds;

        Line(int capacity) {
            f = new long[capacity];
            sites = new int[capacity];
            bounds = new double[capacity + 1];
        }

        /**
         * d(q) = min over sites p of (q - p)² + f(p) along one line (Felzenszwalb and Huttenlocher 2012), skipping
         * sites at FAR so that it never overflows.
         */
        void transform(int[] data, int start, int stride, int n) {
            int k = -1;
            for (int q = 0; q < n; q++) {
                int value = data[start + q * stride];
                f[q] = value;
                if (value == FAR) {
                    continue;
                }
                double s = Double.NEGATIVE_INFINITY;
                while (k >= 0) {
                    int p = sites[k];
                    s = ((f[q] + (long) q * q) - (f[p] + (long) p * p)) / (2.0 * (q - p));
                    if (s > bounds[k]) {
                        break;
                    }
                    k--;
                }
                k++;
                sites[k] = q;
                bounds[k] = k == 0 ? Double.NEGATIVE_INFINITY : s;
            }
            if (k < 0) {
                return; // no site on this line: everything stays FAR
            }
            int j = 0;
            for (int q = 0; q < n; q++) {
                while (j < k && bounds[j + 1] < q) {
                    j++;
                }
                long d = (long) (q - sites[j]) * (q - sites[j]) + f[sites[j]];
                data[start + q * stride] = (int) Math.min(d, FAR - 1);
            }
        }
    }
}
