package org.volseg.nn.inferers;

import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/**
 * The most probable class of every voxel, from class probabilities that arrive one class at a time (so that the
 * stitching never needs all classes at once): the best probability so far (4 bytes a voxel, or none where it may
 * keep class 0's array) and the class (1 byte a voxel up to 256 classes, else 2), whatever the class count. Ties go
 * to the lower class. The one argmax rule of prediction ({@link SlidingWindow#argmax} and {@code labels} use it
 * too).
 */
final class RunningArgmax implements SlidingWindow.ClassSink {

    private final int voxels;
    /** Whether class 0's array is the argmax's to keep and overwrite (else it is copied). */
    private final boolean keepsFirst;
    private float[] best;
    private byte[] classByte;
    private short[] classShort;
    private int next;

    /**
     * @param keepsFirst whether the sender hands over class 0's probabilities for good (float32 and float16
     *                   stitching do; class chunks reuse the array), so the argmax may write into it
     */
    RunningArgmax(int voxels, boolean keepsFirst) {
        this.voxels = voxels;
        this.keepsFirst = keepsFirst;
    }

    @Override
    public void accept(int k, int classes, float[] probability) {
        if (k != next) {
            throw new IllegalStateException("class " + k + " arrived, class " + next + " was expected");
        }
        if (probability.length != voxels) {
            throw new IllegalArgumentException(probability.length + " probabilities for " + voxels + " voxels");
        }
        if (k == 0) {
            best = keepsFirst ? probability : probability.clone();
            if (classes <= 256) {
                classByte = new byte[voxels];
            } else {
                classShort = new short[voxels];
            }
        } else {
            for (int i = 0; i < voxels; i++) {
                if (probability[i] > best[i]) {
                    best[i] = probability[i];
                    if (classByte != null) {
                        classByte[i] = (byte) k;
                    } else {
                        classShort[i] = (short) k;
                    }
                }
            }
        }
        next++;
    }

    /** The most probable class of voxel i (once every class is in). */
    private int classAt(int i) {
        return classByte != null ? classByte[i] & 0xFF : classShort[i];
    }

    /** The most probable class of each voxel (once every class is in). */
    int[] classes() {
        int[] classes = new int[voxels];
        for (int i = 0; i < voxels; i++) {
            classes[i] = classAt(i);
        }
        return classes;
    }

    /** The label map with {@code labelValues[k]} for class k. */
    LabelMap labels(Geometry geometry, int[] labelValues) {
        LabelMap map = emptyLabels(geometry, labelValues, next);
        for (int i = 0; i < voxels; i++) {
            map.set(i, labelValues[classAt(i)]);
        }
        return map;
    }

    /** Class k's probability of voxel i, every class at hand. */
    @FunctionalInterface
    interface ClassValues {
        float valueAt(int k, int i);
    }

    /**
     * The label map decided at once where every class's values are at hand (the stitched sums): the same rule as
     * the running form, the first class of the largest value, without an array per class.
     */
    static LabelMap labels(Geometry geometry, int[] labelValues, int classes, ClassValues values) {
        LabelMap map = emptyLabels(geometry, labelValues, classes);
        decide(map, labelValues, classes, values, 0, geometry.voxels(), 0);
        return map;
    }

    /** Decides voxels {@code from} … {@code to − 1} of {@code map}, whose values {@code values} holds at i − shift. */
    static void decide(LabelMap map, int[] labelValues, int classes, ClassValues values, int from, int to,
            int shift) {
        for (int i = from; i < to; i++) {
            int at = i - shift;
            int best = 0;
            float top = values.valueAt(0, at);
            for (int k = 1; k < classes; k++) {
                float value = values.valueAt(k, at);
                if (value > top) {
                    top = value;
                    best = k;
                }
            }
            map.set(i, labelValues[best]);
        }
    }

    static LabelMap emptyLabels(Geometry geometry, int[] labelValues, int classes) {
        if (classes != labelValues.length) {
            throw new IllegalStateException("the network predicted " + classes + " classes; the model names "
                    + labelValues.length + " labels");
        }
        return LabelMap.create(geometry, java.util.Arrays.stream(labelValues).max().orElse(0));
    }
}
