package org.volseg.core.sampling;

import java.util.Objects;
import java.util.SplittableRandom;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/**
 * Draws points for point-based segmentation networks such as OSS-Net: continuous positions on the grid, each with
 * its world position, the label of its nearest voxel, and how it was drawn.
 *
 * <ul>
 * <li>{@link #uniform(LabelMap)}: every point uniform over the grid, [-½, n - ½) on each axis.</li>
 * <li>{@link #boundaryBiased(LabelMap, double, double)}: round(share × count) points (default half) uniform
 * within the {@link BoundaryBand} (a band voxel drawn uniformly, then a position uniform inside it, so the point's
 * nearest voxel is in the band, within the band radius of a label border), the rest uniform over the grid. Where
 * the map has a single label, there is no band and every point is uniform.</li>
 * </ul>
 * The strata are shuffled together, so any prefix of the points mixes them in about the drawn share. The band is
 * computed once per sampler and reused for every draw.
 */
public final class PointSampler {

    /** OSS-Net's points per volume: 2<sup>14</sup>. */
    public static final int DEFAULT_COUNT = 1 << 14;
    /** The default share of points drawn in the border band. */
    public static final double DEFAULT_BORDER_SHARE = 0.5;

    private final LabelMap labels;
    private final double borderShare;
    private final BoundaryBand band;

    private PointSampler(LabelMap labels, double borderShare, BoundaryBand band) {
        this.labels = labels;
        this.borderShare = borderShare;
        this.band = band;
    }

    /** Points uniform over the grid. */
    public static PointSampler uniform(LabelMap labels) {
        return new PointSampler(Objects.requireNonNull(labels, "labels"), 0, null);
    }

    /** Half the points in a band of {@link BoundaryBand#DEFAULT_RADIUS} voxels around label borders. */
    public static PointSampler boundaryBiased(LabelMap labels) {
        return boundaryBiased(labels, DEFAULT_BORDER_SHARE, BoundaryBand.DEFAULT_RADIUS);
    }

    /**
     * A share of the points in a band around label borders, the rest uniform.
     *
     * @param borderShare the share of points, 0 to 1, drawn in the band
     * @param bandRadius  how far from a border voxel (voxel units, Euclidean) the band reaches
     */
    public static PointSampler boundaryBiased(LabelMap labels, double borderShare, double bandRadius) {
        if (!(borderShare >= 0 && borderShare <= 1)) {
            throw new IllegalArgumentException("border share must be within 0..1, got " + borderShare);
        }
        return new PointSampler(labels, borderShare, BoundaryBand.of(labels, bandRadius));
    }

    /** The band border points are drawn from, or null for a uniform sampler. */
    public BoundaryBand band() {
        return band;
    }

    /** The share of points drawn in the band (0 when there is no band). */
    public double borderShare() {
        return band == null || band.isEmpty() ? 0 : borderShare;
    }

    /** {@link #DEFAULT_COUNT} points from a generator seeded with {@code seed}. */
    public PointSet sample(long seed) {
        return sample(DEFAULT_COUNT, seed);
    }

    /** {@code count} points from a generator seeded with {@code seed}: the same seed, the same points. */
    public PointSet sample(int count, long seed) {
        return sample(count, new SplittableRandom(seed));
    }

    /** {@code count} points from the caller's generator. */
    public PointSet sample(int count, SplittableRandom random) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be ≥ 0, got " + count);
        }
        Stratum[] strata = new Stratum[count];
        int border = (int) Math.round(borderShare() * count);
        for (int i = 0; i < count; i++) {
            strata[i] = i < border ? Stratum.BORDER : Stratum.UNIFORM;
        }
        for (int i = count - 1; i > 0; i--) { // Fisher-Yates, so the strata interleave
            int j = random.nextInt(i + 1);
            Stratum swap = strata[i];
            strata[i] = strata[j];
            strata[j] = swap;
        }
        Geometry g = labels.geometry();
        double[] voxel = new double[3 * count];
        double[] world = new double[3 * count];
        int[] pointLabels = new int[count];
        for (int i = 0; i < count; i++) {
            double x;
            double y;
            double z;
            if (strata[i] == Stratum.BORDER) {
                int index = band.voxel(random.nextInt(band.size()));
                x = insideVoxel(index % g.nx(), random.nextDouble(), g.nx());
                y = insideVoxel(index / g.nx() % g.ny(), random.nextDouble(), g.ny());
                z = insideVoxel(index / (g.nx() * g.ny()), random.nextDouble(), g.nz());
            } else {
                x = g.nx() * random.nextDouble() - 0.5;
                y = g.ny() * random.nextDouble() - 0.5;
                z = g.nz() * random.nextDouble() - 0.5;
            }
            voxel[3 * i] = x;
            voxel[3 * i + 1] = y;
            voxel[3 * i + 2] = z;
            double[] w = g.voxelToWorld(x, y, z);
            System.arraycopy(w, 0, world, 3 * i, 3);
            pointLabels[i] = labels.get(nearest(x, g.nx()), nearest(y, g.ny()), nearest(z, g.nz()));
        }
        return new PointSet(voxel, world, pointLabels, strata);
    }

    /** A position uniform in voxel v's span; rounding may not carry it into the next voxel (then: the centre). */
    private static double insideVoxel(int v, double unit, int length) {
        double position = v + (unit - 0.5);
        return nearest(position, length) == v ? position : v;
    }

    /** The voxel whose span [i - ½, i + ½) holds a coordinate, kept on the grid against rounding at the edge. */
    public static int nearest(double coordinate, int length) {
        return Math.max(0, Math.min(length - 1, (int) Math.floor(coordinate + 0.5)));
    }
}
