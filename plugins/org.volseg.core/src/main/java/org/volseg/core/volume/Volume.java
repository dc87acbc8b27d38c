package org.volseg.core.volume;

import java.util.Arrays;

/**
 * An image: channels × z × y × x float voxels on one grid. Each channel is a flat array, x fastest, shared
 * (not copied) with the caller, so that volumes of hundreds of megabytes are never held twice.
 */
public final class Volume {

    private final Geometry geometry;
    private final float[][] channels;

    /** Wraps the given channel arrays (not copied); each must hold {@code geometry.voxels()} values. */
    public Volume(Geometry geometry, float[]... channels) {
        if (channels.length == 0) {
            throw new IllegalArgumentException("a volume needs at least one channel");
        }
        for (int c = 0; c < channels.length; c++) {
            if (channels[c].length != geometry.voxels()) {
                throw new IllegalArgumentException("channel " + c + " holds " + channels[c].length
                        + " values, the grid " + geometry.voxels());
            }
        }
        this.geometry = geometry;
        this.channels = channels;
    }

    /** A volume of zeros. */
    public static Volume zeros(Geometry geometry, int channelCount) {
        float[][] data = new float[channelCount][];
        for (int c = 0; c < channelCount; c++) {
            data[c] = new float[geometry.voxels()];
        }
        return new Volume(geometry, data);
    }

    public Geometry geometry() {
        return geometry;
    }

    public int channelCount() {
        return channels.length;
    }

    /** Channel c's voxels, x fastest (the live array). */
    public float[] channel(int c) {
        return channels[c];
    }

    public float get(int c, int x, int y, int z) {
        return channels[c][geometry.index(x, y, z)];
    }

    public void set(int c, int x, int y, int z, float value) {
        channels[c][geometry.index(x, y, z)] = value;
    }

    /** The same voxels on another grid of equal dims (for example the source image's header geometry). */
    public Volume withGeometry(Geometry other) {
        if (other.nx() != geometry.nx() || other.ny() != geometry.ny() || other.nz() != geometry.nz()) {
            throw new IllegalArgumentException("dims differ: " + geometry + " vs " + other);
        }
        return new Volume(other, channels);
    }

    /** A deep copy. */
    public Volume copy() {
        float[][] data = new float[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            data[c] = Arrays.copyOf(channels[c], channels[c].length);
        }
        return new Volume(geometry, data);
    }

    @Override
    public String toString() {
        return "Volume(" + channels.length + " channel(s), " + geometry + ")";
    }
}
