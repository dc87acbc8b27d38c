package org.volseg.core.postprocessing;

import java.util.Arrays;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/**
 * Clean-up of a predicted label map, per label value, as nnU-Net and MONAI offer it: keep only the largest
 * connected component, remove components smaller than a number of voxels, fill holes. Components of a label are
 * 26-connected (faces, edges and corners touch, as scipy's and scikit-image's full connectivity); holes are
 * 6-connected regions of background (0) that do not reach the grid's border, filled with the label that surrounds
 * them most (so a hole inside edema becomes edema, and other labels nested inside are left alone).
 *
 * @param largestComponentOnly keep only each label's largest component
 * @param minComponentVoxels   remove each label's components smaller than this (0: keep all)
 * @param fillHoles            fill background enclosed by labels
 */
public record PostProcessing(boolean largestComponentOnly, int minComponentVoxels, boolean fillHoles) {

    public PostProcessing {
        if (minComponentVoxels < 0) {
            throw new IllegalArgumentException("the smallest component to keep is 0 voxels or more, got "
                    + minComponentVoxels);
        }
    }

    /** Nothing changed. */
    public static PostProcessing none() {
        return new PostProcessing(false, 0, false);
    }

    /** Whether {@link #apply} changes anything at all. */
    public boolean isNone() {
        return !largestComponentOnly && minComponentVoxels == 0 && !fillHoles;
    }

    /** A cleaned copy of {@code labels}; removed voxels become background (0). */
    public LabelMap apply(LabelMap labels) {
        Geometry g = labels.geometry();
        int[] out = new int[g.voxels()];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels.get(i);
        }
        if (largestComponentOnly || minComponentVoxels > 0) {
            for (int label : labels.labels()) {
                if (label != 0) {
                    removeComponents(out, g, label);
                }
            }
        }
        if (fillHoles) {
            fillHoles(out, g);
        }
        return LabelMap.of(g, out);
    }

    private void removeComponents(int[] labels, Geometry g, int label) {
        Components c = Components.of(g, i -> labels[i] == label, true);
        int largest = 0;
        for (int k = 1; k < c.sizes().length; k++) {
            if (c.sizes()[k] > c.sizes()[largest]) {
                largest = k;
            }
        }
        for (int i = 0; i < labels.length; i++) {
            int k = c.ids()[i] - 1;
            if (k >= 0 && ((largestComponentOnly && k != largest) || c.sizes()[k] < minComponentVoxels)) {
                labels[i] = 0;
            }
        }
    }

    private static void fillHoles(int[] labels, Geometry g) {
        Components background = Components.of(g, i -> labels[i] == 0, false);
        int n = background.sizes().length;
        boolean[] open = new boolean[n];
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        for (int i = 0; i < labels.length; i++) {
            int k = background.ids()[i] - 1;
            if (k >= 0 && !open[k]) {
                int x = i % nx;
                int y = (i / nx) % ny;
                int z = i / (nx * ny);
                open[k] = x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1;
            }
        }
        // the label around each hole: the most frequent label among its voxels' face neighbours
        java.util.Map<Integer, java.util.Map<Integer, Integer>> around = new java.util.HashMap<>();
        int[] steps = {1, nx, nx * ny};
        for (int i = 0; i < labels.length; i++) {
            int k = background.ids()[i] - 1;
            if (k < 0 || open[k]) {
                continue;
            }
            int[] coordinate = {i % nx, (i / nx) % ny, i / (nx * ny)};
            int[] size = {nx, ny, nz};
            for (int a = 0; a < 3; a++) {
                for (int d = -1; d <= 1; d += 2) {
                    int c = coordinate[a] + d;
                    if (c >= 0 && c < size[a] && labels[i + d * steps[a]] != 0) {
                        around.computeIfAbsent(k, key -> new java.util.HashMap<>())
                                .merge(labels[i + d * steps[a]], 1, Integer::sum);
                    }
                }
            }
        }
        int[] fill = new int[n];
        around.forEach((k, counts) -> fill[k] = counts.entrySet().stream().max(java.util.Map.Entry
                .<Integer, Integer>comparingByValue().thenComparing(java.util.Map.Entry.comparingByKey(
                        java.util.Comparator.reverseOrder()))).orElseThrow().getKey());
        for (int i = 0; i < labels.length; i++) {
            int k = background.ids()[i] - 1;
            if (k >= 0 && !open[k] && fill[k] != 0) {
                labels[i] = fill[k];
            }
        }
    }

    @Override
    public String toString() {
        return isNone() ? "none" : String.join(", ", Arrays.stream(new String[] {
                largestComponentOnly ? "largest component per label" : null,
                minComponentVoxels > 0 ? "components under " + minComponentVoxels + " voxels removed" : null,
                fillHoles ? "holes filled" : null}).filter(java.util.Objects::nonNull).toList());
    }
}
