package org.volseg.core.io;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** NIfTI's datatype codes, with the bytes per voxel and whether VolSeg reads and writes them. */
public enum NiftiDatatype {
    UINT8(2, 1, true, 0, 255),
    INT16(4, 2, true, Short.MIN_VALUE, Short.MAX_VALUE),
    INT32(8, 4, true, Integer.MIN_VALUE, Integer.MAX_VALUE),
    FLOAT32(16, 4, false, -Float.MAX_VALUE, Float.MAX_VALUE),
    COMPLEX64(32, 8, false, 0, 0),
    FLOAT64(64, 8, false, -Double.MAX_VALUE, Double.MAX_VALUE),
    RGB24(128, 3, true, 0, 255),
    INT8(256, 1, true, Byte.MIN_VALUE, Byte.MAX_VALUE),
    UINT16(512, 2, true, 0, 65535),
    UINT32(768, 4, true, 0, 4294967295.0),
    INT64(1024, 8, true, Long.MIN_VALUE, Long.MAX_VALUE),
    UINT64(1280, 8, true, 0, 18446744073709551615.0),
    FLOAT128(1536, 16, false, 0, 0),
    COMPLEX128(1792, 16, false, 0, 0),
    COMPLEX256(2048, 32, false, 0, 0),
    RGBA32(2304, 4, true, 0, 255);

    private final int code;
    private final int bytes;
    private final boolean integer;
    private final double min;
    private final double max;

    NiftiDatatype(int code, int bytes, boolean integer, double min, double max) {
        this.code = code;
        this.bytes = bytes;
        this.integer = integer;
        this.min = min;
        this.max = max;
    }

    /** The datatype field's value. */
    public int code() {
        return code;
    }

    /** Bytes per voxel (all colour components together for RGB24 and RGBA32). */
    public int bytes() {
        return bytes;
    }

    public int bitpix() {
        return 8 * bytes;
    }

    public boolean isInteger() {
        return integer;
    }

    /** The smallest value one component holds. */
    public double min() {
        return min;
    }

    /** The largest value one component holds. */
    public double max() {
        return max;
    }

    /** Colour components per voxel: 3 for RGB24, 4 for RGBA32, else 1. */
    public int components() {
        return this == RGB24 ? 3 : this == RGBA32 ? 4 : 1;
    }

    /** Whether VolSeg reads voxels of this type (complex and 128-bit floats are refused). */
    public boolean readable() {
        return this != COMPLEX64 && this != COMPLEX128 && this != COMPLEX256 && this != FLOAT128;
    }

    /** Whether VolSeg writes voxels of this type (single-component real types). */
    public boolean writable() {
        return readable() && components() == 1;
    }

    public static Optional<NiftiDatatype> ofCode(int code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst();
    }

    /** By name as users type it: "float32", "int16", "uint8", ... */
    public static NiftiDatatype ofName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown datatype '" + name + "'; expected one of "
                    + Arrays.stream(values()).filter(NiftiDatatype::writable).map(NiftiDatatype::toString).toList());
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
