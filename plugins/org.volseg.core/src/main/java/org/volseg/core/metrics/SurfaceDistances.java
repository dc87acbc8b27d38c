package org.volseg.core.metrics;

import java.util.Arrays;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/**
 * The surface distances of one class between a reference and a predicted segmentation, in mm.
 *
 * <p><b>Surface.</b> A voxel of the class is on its surface when at least one of its six face neighbours is not of
 * the class, or when it lies on the border of the grid (outside the grid counts as background). This is
 * {@code mask & ~scipy.ndimage.binary_erosion(mask)} with the default 6-connected structure and
 * {@code border_value=0}, as MONAI's {@code get_mask_edges} takes it.
 *
 * <p><b>Directed distances.</b> For each reference surface voxel, the Euclidean distance between voxel centres to
 * the nearest predicted surface voxel ({@link #referenceToPredictedMm()}), and the other way round
 * ({@link #predictedToReferenceMm()}); exact, with the grid's anisotropic spacing (the affine's column norms), by
 * {@link DistanceTransform}.
 *
 * <p><b>Empty surfaces.</b> A class present in neither map has no surfaces: every statistic here is 0. A class
 * present in one map only has one empty surface: there is nothing to measure the other against, each directed
 * distance from the other surface is {@code +Infinity}, and so is every statistic (MONAI gives NaN or infinity
 * here, with a warning).
 */
public final class SurfaceDistances {

    /** The percentile of the Hausdorff distance that {@link ClassMetrics#hd95Mm()} reports. */
    public static final double HD_PERCENTILE = 95;

    private final double[] referenceToPredicted;
    private final double[] predictedToReference;
    private final double[] symmetric;

    private SurfaceDistances(double[] referenceToPredicted, double[] predictedToReference) {
        Arrays.sort(referenceToPredicted);
        Arrays.sort(predictedToReference);
        this.referenceToPredicted = referenceToPredicted;
        this.predictedToReference = predictedToReference;
        this.symmetric = merge(referenceToPredicted, predictedToReference);
    }

    /**
     * The surface distances of class {@code label} (positive) between two maps on the same grid.
     *
     * @throws IllegalArgumentException when the grids differ or the label is not positive
     */
    public static SurfaceDistances between(LabelMap reference, LabelMap predicted, int label) {
        SegmentationMetrics.requireSameGrid(reference, predicted);
        if (label <= 0) {
            throw new IllegalArgumentException("a class is a positive label, got " + label);
        }
        OverlapCounts counts = OverlapCounts.count(reference, predicted, new int[] {label});
        return within(reference, predicted, label, counts.box(0));
    }

    /** The surface distances of a class, computed inside {@code box} (all of the class in either map; or null). */
    static SurfaceDistances within(LabelMap reference, LabelMap predicted, int label, Box box) {
        if (box == null) {
            return new SurfaceDistances(new double[0], new double[0]);
        }
        int voxels = box.voxels();
        byte[] referenceSurface = new byte[voxels];
        byte[] predictedSurface = new byte[voxels];
        markSurfaces(reference, predicted, label, box, referenceSurface, predictedSurface);
        Geometry g = reference.geometry();
        double[] squared = new double[voxels];
        // each transform is wanted at the other surface only
        DistanceTransform.squaredDistancesMm(referenceSurface, predictedSurface, box.nx(), box.ny(), box.nz(),
                g.spacingX(), g.spacingY(), g.spacingZ(), squared);
        double[] predictedToReference = sample(squared, predictedSurface);
        DistanceTransform.squaredDistancesMm(predictedSurface, referenceSurface, box.nx(), box.ny(), box.nz(),
                g.spacingX(), g.spacingY(), g.spacingZ(), squared);
        double[] referenceToPredicted = sample(squared, referenceSurface);
        return new SurfaceDistances(referenceToPredicted, predictedToReference);
    }

    /** Flags the surface voxels of the class in each map, over the block; parallel over its z-slabs. */
    private static void markSurfaces(LabelMap reference, LabelMap predicted, int label, Box box,
            byte[] referenceSurface, byte[] predictedSurface) {
        Geometry g = reference.geometry();
        int bx = box.nx();
        int by = box.ny();
        Chunks.run(box.nz(), box.voxels(), (from, to) -> {
            for (int lz = from; lz < to; lz++) {
                int z = box.z0() + lz;
                for (int ly = 0; ly < by; ly++) {
                    int y = box.y0() + ly;
                    int local = (lz * by + ly) * bx;
                    int index = g.index(box.x0(), y, z);
                    for (int lx = 0; lx < bx; lx++, local++, index++) {
                        int x = box.x0() + lx;
                        if (onSurface(reference, label, g, x, y, z, index)) {
                            referenceSurface[local] = 1;
                        }
                        if (onSurface(predicted, label, g, x, y, z, index)) {
                            predictedSurface[local] = 1;
                        }
                    }
                }
            }
        });
    }

    /** Whether voxel (x, y, z) at flat {@code index} is of the class with a face neighbour that is not. */
    private static boolean onSurface(LabelMap map, int label, Geometry g, int x, int y, int z, int index) {
        if (map.get(index) != label) {
            return false;
        }
        int nx = g.nx();
        int plane = nx * g.ny();
        return x == 0 || y == 0 || z == 0 || x == nx - 1 || y == g.ny() - 1 || z == g.nz() - 1
                || map.get(index - 1) != label || map.get(index + 1) != label
                || map.get(index - nx) != label || map.get(index + nx) != label
                || map.get(index - plane) != label || map.get(index + plane) != label;
    }

    /** The distances (mm) at the flagged voxels, in voxel order. */
    private static double[] sample(double[] squared, byte[] at) {
        int count = 0;
        for (byte b : at) {
            count += b;
        }
        double[] out = new double[count];
        int k = 0;
        for (int i = 0; i < at.length; i++) {
            if (at[i] != 0) {
                out[k++] = Math.sqrt(squared[i]);
            }
        }
        return out;
    }

    private static double[] merge(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length && j < b.length) {
            out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
        }
        while (i < a.length) {
            out[k++] = a[i++];
        }
        while (j < b.length) {
            out[k++] = b[j++];
        }
        return out;
    }

    /** Voxels on the reference surface. */
    public int referenceSurfaceVoxels() {
        return referenceToPredicted.length;
    }

    /** Voxels on the predicted surface. */
    public int predictedSurfaceVoxels() {
        return predictedToReference.length;
    }

    /** From each reference surface voxel to the nearest predicted surface voxel, mm, ascending (a copy). */
    public double[] referenceToPredictedMm() {
        return referenceToPredicted.clone();
    }

    /** From each predicted surface voxel to the nearest reference surface voxel, mm, ascending (a copy). */
    public double[] predictedToReferenceMm() {
        return predictedToReference.clone();
    }

    private boolean oneSurfaceEmpty() {
        return (referenceToPredicted.length == 0) != (predictedToReference.length == 0);
    }

    /**
     * The p-th percentile (0 to 100) of the symmetric surface distances: of both directed sets pooled into one.
     * Percentiles interpolate linearly between the two nearest ranks, as numpy's {@code percentile} does by default:
     * for n sorted values v, rank {@code r = p/100 · (n − 1)}, value {@code v[⌊r⌋] + (r − ⌊r⌋)·(v[⌊r⌋+1] − v[⌊r⌋])}.
     * p = 95 gives HD95 as medpy's {@code hd95} defines it; p = 100 gives the Hausdorff distance.
     */
    public double symmetricPercentileMm(double p) {
        if (oneSurfaceEmpty()) {
            return Double.POSITIVE_INFINITY;
        }
        return percentile(symmetric, p);
    }

    /**
     * The larger of the two directed p-th percentiles: what MONAI's {@code compute_hausdorff_distance(percentile=p)}
     * reports (it also interpolates linearly). For p below 100 it can lie above or below
     * {@link #symmetricPercentileMm}; for p = 100 both are the Hausdorff distance.
     */
    public double maxDirectedPercentileMm(double p) {
        if (oneSurfaceEmpty()) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(percentile(referenceToPredicted, p), percentile(predictedToReference, p));
    }

    /** The Hausdorff distance: the largest surface distance either way. */
    public double hausdorffMm() {
        return symmetricPercentileMm(100);
    }

    /**
     * The average symmetric surface distance (ASSD): the mean of both directed sets pooled, that is the sum of all
     * surface distances either way over the number of surface voxels of both, as MONAI's
     * {@code compute_average_surface_distance(symmetric=True)} and Heimann et al. (2009) define it. (medpy's
     * {@code assd} instead averages the two directed means, which differs when the surfaces differ in size.)
     */
    public double averageSymmetricMm() {
        if (oneSurfaceEmpty()) {
            return Double.POSITIVE_INFINITY;
        }
        if (symmetric.length == 0) {
            return 0;
        }
        double sum = 0;
        for (double d : symmetric) {
            sum += d;
        }
        return sum / symmetric.length;
    }

    /**
     * The normalised surface Dice (NSD, Nikolov et al. 2021) at {@code toleranceMm}: the surface voxels of both
     * maps that lie within the tolerance of the other map's surface, over all surface voxels of both, as MONAI's
     * {@code compute_surface_dice} takes it (distance ≤ tolerance). 1 when both surfaces are empty, 0 when one is.
     */
    public double surfaceDice(double toleranceMm) {
        if (!(toleranceMm >= 0)) {
            throw new IllegalArgumentException("a surface tolerance is 0 mm or more, got " + toleranceMm);
        }
        if (symmetric.length == 0) {
            return 1;
        }
        if (oneSurfaceEmpty()) {
            return 0;
        }
        return (double) countAtMost(symmetric, toleranceMm) / symmetric.length;
    }

    /** How many of the sorted values are at most {@code limit}. */
    private static int countAtMost(double[] sorted, double limit) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] <= limit) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Linear-interpolation percentile (numpy's default) of sorted values; 0 for none. */
    public static double percentile(double[] sorted, double p) {
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is between 0 and 100, got " + p);
        }
        if (sorted.length == 0) {
            return 0;
        }
        double rank = p / 100 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = rank - below;
        double low = sorted[below];
        double high = sorted[above];
        return low == high ? low : low + fraction * (high - low);
    }

    @Override
    public String toString() {
        return String.format("SurfaceDistances(%d reference and %d predicted surface voxels, HD95 %.4g mm, "
                + "ASSD %.4g mm)", referenceSurfaceVoxels(), predictedSurfaceVoxels(),
                symmetricPercentileMm(HD_PERCENTILE), averageSymmetricMm());
    }
}
