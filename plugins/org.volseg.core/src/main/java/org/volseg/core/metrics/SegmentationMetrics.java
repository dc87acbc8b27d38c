package org.volseg.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/**
 * Compares a predicted segmentation with a reference, class by class: overlap (Dice, IoU, sensitivity, precision),
 * surface distances (HD95, ASSD) in mm, normalised surface Dice, and volume difference. The definitions, empty
 * classes included, are those of {@link ClassMetrics} and {@link SurfaceDistances}.
 *
 * <p>One parallel pass over z-slabs counts all classes at once. Surface distances are then computed per class,
 * inside the block that holds the class in either map, with an exact anisotropic distance transform whose lines run
 * on all cores; small classes run side by side. No per-voxel objects are allocated. Results do not depend on the
 * number of threads.
 */
public final class SegmentationMetrics {

    /** The normalised surface Dice's tolerance when none is given, mm. */
    public static final double DEFAULT_SURFACE_TOLERANCE_MM = 1;

    /** How far (mm, per affine element) two grids may differ and still count as one. */
    public static final double GRID_TOLERANCE_MM = 1e-4;

    /** Blocks above this many voxels (10 MB of buffers: 10 bytes a voxel) are done one at a time. */
    private static final int LARGE_BLOCK_VOXELS = 1 << 20;

    private SegmentationMetrics() {
    }

    /**
     * The metrics of each class, in the order given.
     *
     * @param reference the reference (ground truth) segmentation
     * @param predicted the segmentation to assess, on the same grid (dims equal, affines within
     *                  {@link #GRID_TOLERANCE_MM})
     * @param classes   the labels to assess, positive and distinct; none means every positive label present in
     *                  either map, ascending. A class present in neither map gets the "both empty" values.
     * @throws IllegalArgumentException when the grids differ, or a class is not positive or repeated
     */
    public static List<ClassMetrics> compute(LabelMap reference, LabelMap predicted, int... classes) {
        return computeAt(DEFAULT_SURFACE_TOLERANCE_MM, reference, predicted, classes);
    }

    /**
     * As {@link #compute}, with the normalised surface Dice at {@code surfaceToleranceMm}.
     *
     * @throws IllegalArgumentException as {@link #compute}, or when the tolerance is negative
     *                                  ({@link SurfaceDistances#surfaceDice})
     */
    public static List<ClassMetrics> computeAt(double surfaceToleranceMm, LabelMap reference, LabelMap predicted,
            int... classes) {
        requireSameGrid(reference, predicted);
        int[] assessed = classes.length == 0 ? labelsPresent(reference, predicted) : checkedClasses(classes);
        OverlapCounts counts = OverlapCounts.count(reference, predicted, assessed);
        SurfaceDistances[] distances = new SurfaceDistances[assessed.length];
        // Small classes side by side, as one class's block is too small to keep all cores busy; large ones one at
        // a time, all cores inside each, so that at most one large block's buffers are alive.
        IntStream.range(0, assessed.length).parallel().filter(k -> !large(counts.box(k)))
                .forEach(k -> distances[k] = SurfaceDistances.within(reference, predicted, assessed[k],
                        counts.box(k)));
        for (int k = 0; k < assessed.length; k++) {
            if (large(counts.box(k))) {
                distances[k] = SurfaceDistances.within(reference, predicted, assessed[k], counts.box(k));
            }
        }
        double voxelVolume = reference.geometry().voxelVolume();
        List<ClassMetrics> out = new ArrayList<>(assessed.length);
        for (int k = 0; k < assessed.length; k++) {
            out.add(ClassMetrics.of(assessed[k], counts.reference(k), counts.predicted(k), counts.both(k),
                    voxelVolume, distances[k], surfaceToleranceMm));
        }
        return List.copyOf(out);
    }

    /** The mean of each metric over the classes; see {@link MetricsSummary}. */
    public static MetricsSummary summarize(List<ClassMetrics> metrics) {
        return MetricsSummary.of(metrics);
    }

    /** The positive labels present in either map, ascending. */
    public static int[] labelsPresent(LabelMap reference, LabelMap predicted) {
        return mergeSorted(labelsPresent(reference), labelsPresent(predicted));
    }

    /** Refuses two maps whose grids differ, naming both. */
    static void requireSameGrid(LabelMap reference, LabelMap predicted) {
        Geometry r = reference.geometry();
        Geometry p = predicted.geometry();
        if (!r.sameGrid(p, GRID_TOLERANCE_MM)) {
            throw new IllegalArgumentException("the reference and the prediction must lie on the same grid (dims "
                    + "equal, affines within " + GRID_TOLERANCE_MM + " mm), but the reference is " + r + " with affine "
                    + r.affine() + " and the prediction " + p + " with affine " + p.affine());
        }
    }

    /** Whether a class's block is worth all cores by itself. */
    private static boolean large(Box box) {
        return box != null && box.voxels() > LARGE_BLOCK_VOXELS;
    }

    private static int[] checkedClasses(int[] classes) {
        Set<Integer> seen = new HashSet<>();
        for (int label : classes) {
            if (label <= 0) {
                throw new IllegalArgumentException("classes are positive labels (0 is background), got " + label
                        + " in " + Arrays.toString(classes));
            }
            if (!seen.add(label)) {
                throw new IllegalArgumentException("class " + label + " is asked for twice in "
                        + Arrays.toString(classes));
            }
        }
        return classes.clone();
    }

    /** The positive labels of one map, ascending; parallel over z-slabs. */
    private static int[] labelsPresent(LabelMap map) {
        Geometry g = map.geometry();
        int planeVoxels = g.nx() * g.ny();
        int nz = g.nz();
        int chunks = Chunks.chunkCount(nz, g.voxels());
        int[][] found = new int[chunks][];
        if (map.capacity() <= 0xFFFF) {
            // small label range: a flag per possible label
            int capacity = map.capacity();
            Chunks.run(nz, chunks, (chunk, zFrom, zTo) -> {
                boolean[] present = new boolean[capacity + 1];
                for (int i = zFrom * planeVoxels, end = zTo * planeVoxels; i < end; i++) {
                    present[map.get(i)] = true;
                }
                int[] labels = new int[capacity];
                int count = 0;
                for (int label = 1; label <= capacity; label++) {
                    if (present[label]) {
                        labels[count++] = label;
                    }
                }
                found[chunk] = Arrays.copyOf(labels, count);
            });
        } else {
            // labels up to 2³¹: sort each slab's labels and keep the distinct ones
            Chunks.run(nz, chunks, (chunk, zFrom, zTo) -> {
                int[] labels = new int[(zTo - zFrom) * planeVoxels];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = map.get(zFrom * planeVoxels + i);
                }
                Arrays.sort(labels);
                int count = 0;
                for (int i = 0; i < labels.length; i++) {
                    if (labels[i] > 0 && (count == 0 || labels[count - 1] != labels[i])) {
                        labels[count++] = labels[i];
                    }
                }
                found[chunk] = Arrays.copyOf(labels, count);
            });
        }
        int[] all = new int[0];
        for (int[] labels : found) {
            all = mergeSorted(all, labels);
        }
        return all;
    }

    /** The union of two ascending, duplicate-free arrays. */
    private static int[] mergeSorted(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length || j < b.length) {
            if (j == b.length || (i < a.length && a[i] < b[j])) {
                out[k++] = a[i++];
            } else if (i == a.length || b[j] < a[i]) {
                out[k++] = b[j++];
            } else {
                out[k++] = a[i++];
                j++;
            }
        }
        return Arrays.copyOf(out, k);
    }
}
