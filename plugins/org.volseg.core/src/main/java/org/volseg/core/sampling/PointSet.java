package org.volseg.core.sampling;

import java.util.Arrays;

/**
 * Points drawn on a grid, held as flat arrays (x, y, z interleaved) that a network's input can be filled from
 * without a record per point.
 */
public final class PointSet {

    private final double[] voxel;
    private final double[] world;
    private final int[] labels;
    private final Stratum[] strata;

    PointSet(double[] voxel, double[] world, int[] labels, Stratum[] strata) {
        this.voxel = voxel;
        this.world = world;
        this.labels = labels;
        this.strata = strata;
    }

    public int size() {
        return labels.length;
    }

    /** Continuous voxel coordinates, 3 per point (x, y, z), a copy. */
    public double[] voxelCoordinates() {
        return voxel.clone();
    }

    /** World coordinates in mm, 3 per point (x, y, z), a copy. */
    public double[] worldCoordinates() {
        return world.clone();
    }

    /** The label of each point's nearest voxel, a copy. */
    public int[] labels() {
        return labels.clone();
    }

    public int label(int i) {
        return labels[i];
    }

    public Stratum stratum(int i) {
        return strata[i];
    }

    /** How many points were drawn in a stratum. */
    public int count(Stratum stratum) {
        return (int) Arrays.stream(strata).filter(s -> s == stratum).count();
    }

    /** Point i as a record. */
    public SampledPoint get(int i) {
        return new SampledPoint(voxel[3 * i], voxel[3 * i + 1], voxel[3 * i + 2], world[3 * i], world[3 * i + 1],
                world[3 * i + 2], labels[i], strata[i]);
    }

    @Override
    public String toString() {
        return "PointSet(" + size() + " points, " + count(Stratum.BORDER) + " from the border band)";
    }
}
