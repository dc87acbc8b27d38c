package org.volseg.core.volume;

import java.util.Arrays;

/**
 * A segmentation: one non-negative integer label per voxel on a grid, stored in the narrowest array that holds
 * the largest label (bytes up to 255, shorts up to 65535, ints beyond), x fastest.
 */
public final class LabelMap {

    private final Geometry geometry;
    private final int maxLabel;
    private final byte[] bytes;
    private final short[] shorts;
    private final int[] ints;

    private LabelMap(Geometry geometry, int maxLabel) {
        if (maxLabel < 0) {
            throw new IllegalArgumentException("labels are non-negative, the largest asked for is " + maxLabel);
        }
        this.geometry = geometry;
        this.maxLabel = maxLabel;
        int n = geometry.voxels();
        this.bytes = maxLabel <= 0xFF ? new byte[n] : null;
        this.shorts = maxLabel > 0xFF && maxLabel <= 0xFFFF ? new short[n] : null;
        this.ints = maxLabel > 0xFFFF ? new int[n] : null;
    }

    /** All background (0), able to hold labels up to {@code maxLabel}. */
    public static LabelMap create(Geometry geometry, int maxLabel) {
        return new LabelMap(geometry, maxLabel);
    }

    /** From one label per voxel (copied into compact storage). */
    public static LabelMap of(Geometry geometry, int[] labels) {
        if (labels.length != geometry.voxels()) {
            throw new IllegalArgumentException(labels.length + " labels for " + geometry.voxels() + " voxels");
        }
        LabelMap map = new LabelMap(geometry, Arrays.stream(labels).max().orElse(0));
        for (int i = 0; i < labels.length; i++) {
            map.set(i, labels[i]);
        }
        return map;
    }

    public Geometry geometry() {
        return geometry;
    }

    /** The largest label this map can hold. */
    public int capacity() {
        return maxLabel;
    }

    public int get(int index) {
        if (bytes != null) {
            return bytes[index] & 0xFF;
        }
        return shorts != null ? shorts[index] & 0xFFFF : ints[index];
    }

    public int get(int x, int y, int z) {
        return get(geometry.index(x, y, z));
    }

    public void set(int index, int label) {
        if (label < 0 || label > maxLabel) {
            throw new IllegalArgumentException("label " + label + " is outside 0.." + maxLabel);
        }
        if (bytes != null) {
            bytes[index] = (byte) label;
        } else if (shorts != null) {
            shorts[index] = (short) label;
        } else {
            ints[index] = label;
        }
    }

    public void set(int x, int y, int z, int label) {
        set(geometry.index(x, y, z), label);
    }

    /** Voxels per label, index = label (length = largest label present + 1). */
    public long[] histogram() {
        long[] counts = new long[maxLabel + 1];
        int n = geometry.voxels();
        int top = 0;
        for (int i = 0; i < n; i++) {
            int label = get(i);
            counts[label]++;
            top = Math.max(top, label);
        }
        return Arrays.copyOf(counts, top + 1);
    }

    /** The labels present, ascending (background included when present). */
    public int[] labels() {
        long[] counts = histogram();
        return java.util.stream.IntStream.range(0, counts.length).filter(l -> counts[l] > 0).toArray();
    }

    /** Every non-zero label as 1: the foreground as one class (BraTS's whole tumour, an occupancy target). */
    public LabelMap foreground() {
        LabelMap out = new LabelMap(geometry, 1);
        for (int i = 0; i < geometry.voxels(); i++) {
            if (get(i) != 0) {
                out.set(i, 1);
            }
        }
        return out;
    }

    /** The labels as floats, for writing or for a network's target. */
    public float[] toFloats() {
        float[] out = new float[geometry.voxels()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return "LabelMap(labels up to " + maxLabel + ", " + geometry + ")";
    }
}
