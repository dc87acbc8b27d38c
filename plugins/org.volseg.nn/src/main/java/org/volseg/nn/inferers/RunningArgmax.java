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

    /** Every class's probabilities at hand (the stitched sums), taken a run of voxels of one class at a time. */
    interface ClassValues {
        /**
         * Copies class k's values of voxels {@code from} … {@code from + length − 1} into {@code into} and zeroes
         * them there: the voxels are decided for good, and zeroing what was just read saves a pass over memory.
         */
        void drain(int k, int from, float[] into, int length);
    }

    /** Voxels decided together: a block's best values, classes and one class's values stay in the L1 cache. */
    private static final int BLOCK = 2048;

    /**
     * Decides voxels {@code from} … {@code to − 1} of {@code map}, whose values {@code values} holds (and then
     * zeroes) at i − shift: the same rule as the running form, the first class of the largest value. Class by
     * class over a block of voxels, so each class's values are read in a run, not one voxel's classes from K
     * arrays far apart.
     */
    static void decide(LabelMap map, int[] labelValues, int classes, ClassValues values, int from, int to,
            int shift) {
        float[] top = new float[Math.min(BLOCK, Math.max(0, to - from))];
        float[] value = new float[top.length];
        int[] best = new int[top.length];
        for (int start = from; start < to; start += BLOCK) {
            int length = Math.min(BLOCK, to - start);
            values.drain(0, start - shift, top, length);
            java.util.Arrays.fill(best, 0, length, 0);
            for (int k = 1; k < classes; k++) {
                values.drain(k, start - shift, value, length);
                for (int j = 0; j < length; j++) {
                    if (value[j] > top[j]) {
                        top[j] = value[j];
                        best[j] = k;
                    }
                }
            }
            for (int j = 0; j < length; j++) {
                map.set(start + j, labelValues[best[j]]);
            }
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
