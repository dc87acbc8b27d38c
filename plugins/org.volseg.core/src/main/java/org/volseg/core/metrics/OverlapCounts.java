package org.volseg.core.metrics;

import java.util.Arrays;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/**
 * One pass over two label maps on the same grid: per class, the voxels each map gives it, the voxels both give
 * it, and the bounding box of the class in either map. Parallel over z-slabs, each slab with its own counters.
 */
final class OverlapCounts {

    /** Classes up to this label are looked up in a table; larger ones by binary search. */
    private static final int TABLE_LIMIT = 1 << 20;

    private final int[] classes;
    private final long[] reference;
    private final long[] predicted;
    private final long[] both;
    /** Six per class: min x, y, z then max x, y, z over either map; max below min when the class is absent. */
    private final int[] bounds;

    private OverlapCounts(int[] classes, long[] reference, long[] predicted, long[] both, int[] bounds) {
        this.classes = classes;
        this.reference = reference;
        this.predicted = predicted;
        this.both = both;
        this.bounds = bounds;
    }

    /** Counts the given classes (positive, distinct) in both maps, which must share one grid. */
    static OverlapCounts count(LabelMap referenceMap, LabelMap predictedMap, int[] classes) {
        Geometry g = referenceMap.geometry();
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        int planeVoxels = nx * ny;
        int n = classes.length;
        ClassLookup lookup = new ClassLookup(classes);
        int chunks = Chunks.chunkCount(nz, g.voxels());
        long[][] counts = new long[chunks][];
        int[][] boxes = new int[chunks][];
        Chunks.run(nz, chunks, (chunk, zFrom, zTo) -> {
            long[] c = new long[3 * n]; // reference, predicted, both
            int[] b = emptyBounds(n);
            for (int z = zFrom; z < zTo; z++) {
                for (int y = 0; y < ny; y++) {
                    int row = z * planeVoxels + y * nx;
                    for (int x = 0; x < nx; x++) {
                        int r = referenceMap.get(row + x);
                        int p = predictedMap.get(row + x);
                        if (r == p) {
                            int k = lookup.indexOf(r);
                            if (k >= 0) {
                                c[k]++;
                                c[n + k]++;
                                c[2 * n + k]++;
                                include(b, k, x, y, z);
                            }
                            continue;
                        }
                        int kr = lookup.indexOf(r);
                        if (kr >= 0) {
                            c[kr]++;
                            include(b, kr, x, y, z);
                        }
                        int kp = lookup.indexOf(p);
                        if (kp >= 0) {
                            c[n + kp]++;
                            include(b, kp, x, y, z);
                        }
                    }
                }
            }
            counts[chunk] = c;
            boxes[chunk] = b;
        });
        long[] total = new long[3 * n];
        int[] bounds = emptyBounds(n);
        for (int chunk = 0; chunk < chunks; chunk++) {
            for (int i = 0; i < total.length; i++) {
                total[i] += counts[chunk][i];
            }
            for (int k = 0; k < n; k++) {
                for (int a = 0; a < 3; a++) {
                    bounds[6 * k + a] = Math.min(bounds[6 * k + a], boxes[chunk][6 * k + a]);
                    bounds[6 * k + 3 + a] = Math.max(bounds[6 * k + 3 + a], boxes[chunk][6 * k + 3 + a]);
                }
            }
        }
        return new OverlapCounts(classes.clone(), Arrays.copyOfRange(total, 0, n),
                Arrays.copyOfRange(total, n, 2 * n), Arrays.copyOfRange(total, 2 * n, 3 * n), bounds);
    }

    private static int[] emptyBounds(int classes) {
        int[] b = new int[6 * classes];
        for (int k = 0; k < classes; k++) {
            Arrays.fill(b, 6 * k, 6 * k + 3, Integer.MAX_VALUE);
            Arrays.fill(b, 6 * k + 3, 6 * k + 6, -1);
        }
        return b;
    }

    private static void include(int[] b, int k, int x, int y, int z) {
        int at = 6 * k;
        if (x < b[at]) {
            b[at] = x;
        }
        if (y < b[at + 1]) {
            b[at + 1] = y;
        }
        if (z < b[at + 2]) {
            b[at + 2] = z;
        }
        if (x > b[at + 3]) {
            b[at + 3] = x;
        }
        if (y > b[at + 4]) {
            b[at + 4] = y;
        }
        if (z > b[at + 5]) {
            b[at + 5] = z;
        }
    }

    int classCount() {
        return classes.length;
    }

    int label(int k) {
        return classes[k];
    }

    long reference(int k) {
        return reference[k];
    }

    long predicted(int k) {
        return predicted[k];
    }

    long both(int k) {
        return both[k];
    }

    /** The block holding class k in either map; null when neither has it. */
    Box box(int k) {
        int at = 6 * k;
        if (bounds[at + 3] < 0) {
            return null;
        }
        return new Box(bounds[at], bounds[at + 1], bounds[at + 2], bounds[at + 3], bounds[at + 4], bounds[at + 5]);
    }

    /** Label → class number, without boxing: a table for small labels, binary search beyond. */
    private static final class ClassLookup {

        private final int[] table;
        private final int[] sortedLabels;
        private final int[] classOfSorted;

        ClassLookup(int[] classes) {
            int max = Arrays.stream(classes).max().orElse(0);
            if (max < TABLE_LIMIT) {
                table = new int[max + 1];
                Arrays.fill(table, -1);
                for (int k = 0; k < classes.length; k++) {
                    table[classes[k]] = k;
                }
                sortedLabels = null;
                classOfSorted = null;
            } else {
                table = null;
                Integer[] order = new Integer[classes.length];
                for (int k = 0; k < order.length; k++) {
                    order[k] = k;
                }
                Arrays.sort(order, (a, b) -> Integer.compare(classes[a], classes[b]));
                sortedLabels = new int[classes.length];
                classOfSorted = new int[classes.length];
                for (int i = 0; i < order.length; i++) {
                    sortedLabels[i] = classes[order[i]];
                    classOfSorted[i] = order[i];
                }
            }
        }

        /** The class number of a label, or −1 when it is no class (background included). */
        int indexOf(int label) {
            if (table != null) {
                return label < table.length ? table[label] : -1;
            }
            int i = Arrays.binarySearch(sortedLabels, label);
            return i >= 0 ? classOfSorted[i] : -1;
        }
    }
}
