package org.volseg.nn.inferers;

import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/**
 * The most probable class of every voxel, from class probabilities that arrive one class at a time (so that the
 * stitching never needs all classes at once): 8 bytes a voxel, whatever the class count. Ties go to the lower
 * class. The one argmax rule of prediction ({@link SlidingWindow#argmax} and {@code labels} use it too).
 */
final class RunningArgmax implements SlidingWindow.ClassSink {

    private final float[] best;
    private final int[] classOf;
    private int next;

    RunningArgmax(int voxels) {
        best = new float[voxels];
        classOf = new int[voxels];
    }

    @Override
    public void accept(int k, int classes, float[] probability) {
        if (k != next) {
            throw new IllegalStateException("class " + k + " arrived, class " + next + " was expected");
        }
        if (probability.length != best.length) {
            throw new IllegalArgumentException(probability.length + " probabilities for " + best.length + " voxels");
        }
        if (k == 0) {
            System.arraycopy(probability, 0, best, 0, best.length);
        } else {
            for (int i = 0; i < best.length; i++) {
                if (probability[i] > best[i]) {
                    best[i] = probability[i];
                    classOf[i] = k;
                }
            }
        }
        next++;
    }

    /** The most probable class of each voxel (once every class is in). */
    int[] classes() {
        return classOf;
    }

    /** The label map with {@code labelValues[k]} for class k. */
    LabelMap labels(Geometry geometry, int[] labelValues) {
        if (next != labelValues.length) {
            throw new IllegalStateException("the network predicted " + next + " classes; the model names "
                    + labelValues.length + " labels");
        }
        int max = 0;
        for (int v : labelValues) {
            max = Math.max(max, v);
        }
        LabelMap map = LabelMap.create(geometry, max);
        for (int i = 0; i < classOf.length; i++) {
            map.set(i, labelValues[classOf[i]]);
        }
        return map;
    }
}
