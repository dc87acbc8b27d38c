package org.volseg.core.io;

import java.nio.ByteBuffer;

/** Converts voxels between a NIfTI datatype's bytes and floats, applying scl_slope/scl_inter, one chunk at a time. */
final class VoxelCodec {

    private VoxelCodec() {
    }

    /**
     * Decodes {@code count} single-component voxels from {@code in} (positioned, in the file's byte order) into
     * {@code out[offset..]}, as {@code raw * slope + inter}.
     */
    static void decode(ByteBuffer in, NiftiDatatype type, float[] out, int offset, int count, double slope,
            double inter) {
        boolean identity = slope == 1 && inter == 0;
        int p = in.position();
        switch (type) {
            case FLOAT32 -> {
                in.asFloatBuffer().get(out, offset, count);
                if (!identity) {
                    for (int i = offset; i < offset + count; i++) {
                        out[i] = (float) (out[i] * slope + inter);
                    }
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) (in.getDouble(p + 8 * i) * slope + inter);
                }
            }
            case UINT8 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) ((in.get(p + i) & 0xFF) * slope + inter);
                }
            }
            case INT8 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) (in.get(p + i) * slope + inter);
                }
            }
            case INT16 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) (in.getShort(p + 2 * i) * slope + inter);
                }
            }
            case UINT16 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) ((in.getShort(p + 2 * i) & 0xFFFF) * slope + inter);
                }
            }
            case INT32 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) (in.getInt(p + 4 * i) * slope + inter);
                }
            }
            case UINT32 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) ((in.getInt(p + 4 * i) & 0xFFFFFFFFL) * slope + inter);
                }
            }
            case INT64 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) (in.getLong(p + 8 * i) * slope + inter);
                }
            }
            case UINT64 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) (unsigned(in.getLong(p + 8 * i)) * slope + inter);
                }
            }
            default -> throw new IllegalArgumentException(type + " has several components or is not read");
        }
        in.position(p + count * type.bytes());
    }

    /**
     * Decodes {@code count} colour voxels (RGB24 or RGBA32, components interleaved) into one array per component.
     */
    static void decodeColour(ByteBuffer in, int components, float[][] out, int offset, int count) {
        int p = in.position();
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < components; k++) {
                out[k][offset + i] = in.get(p + components * i + k) & 0xFF;
            }
        }
        in.position(p + count * components);
    }

    /**
     * Encodes {@code count} floats as {@code round((value - inter) / slope)} for integer types (clamped to the
     * type's range, NaN as 0) or as the float type, into {@code out} at its position.
     */
    static void encode(float[] in, int offset, int count, NiftiDatatype type, double slope, double inter,
            ByteBuffer out) {
        int p = out.position();
        boolean identity = slope == 1 && inter == 0;
        switch (type) {
            case FLOAT32 -> {
                if (identity) {
                    out.asFloatBuffer().put(in, offset, count);
                } else {
                    for (int i = 0; i < count; i++) {
                        out.putFloat(p + 4 * i, (float) ((in[offset + i] - inter) / slope));
                    }
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < count; i++) {
                    out.putDouble(p + 8 * i, (in[offset + i] - inter) / slope);
                }
            }
            case UINT8, INT8 -> {
                for (int i = 0; i < count; i++) {
                    out.put(p + i, (byte) integral(in[offset + i], type, slope, inter));
                }
            }
            case INT16, UINT16 -> {
                for (int i = 0; i < count; i++) {
                    out.putShort(p + 2 * i, (short) integral(in[offset + i], type, slope, inter));
                }
            }
            case INT32, UINT32 -> {
                for (int i = 0; i < count; i++) {
                    out.putInt(p + 4 * i, (int) integral(in[offset + i], type, slope, inter));
                }
            }
            case INT64, UINT64 -> {
                for (int i = 0; i < count; i++) {
                    out.putLong(p + 8 * i, integral(in[offset + i], type, slope, inter));
                }
            }
            default -> throw new IllegalArgumentException(type + " is not written");
        }
        out.position(p + count * type.bytes());
    }

    private static long integral(float value, NiftiDatatype type, double slope, double inter) {
        if (Float.isNaN(value)) {
            return 0;
        }
        double raw = Math.rint((value - inter) / slope);
        raw = Math.max(type.min(), Math.min(type.max(), raw));
        if (type == NiftiDatatype.UINT64 && raw >= 0x1p63) {
            return (long) (raw - 0x1p63) ^ Long.MIN_VALUE; // two's-complement bits of the unsigned value
        }
        return (long) raw;
    }

    private static double unsigned(long bits) {
        double value = (double) (bits & Long.MAX_VALUE);
        return bits < 0 ? value + 0x1p63 : value;
    }
}
