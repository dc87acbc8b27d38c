package org.volseg.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;

/**
 * A NIfTI-1 or NIfTI-2 header, held in NIfTI-2's wider types whatever the version on disk. It turns qform,
 * sform and pixdim into one voxel-to-world affine in millimetres by the NIfTI rules, and back.
 */
public final class NiftiHeader {

    /** sizeof_hdr of NIfTI-1 and NIfTI-2. */
    public static final int NIFTI1_SIZE = 348;
    public static final int NIFTI2_SIZE = 540;

    /** Where an affine came from. */
    public enum AffineSource { SFORM, QFORM, PIXDIM }

    int version = 1;
    ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
    boolean pair;
    final long[] dim = {3, 1, 1, 1, 1, 1, 1, 1};
    final double[] pixdim = {1, 1, 1, 1, 1, 1, 1, 1};
    double intentP1;
    double intentP2;
    double intentP3;
    int intentCode;
    String intentName = "";
    int datatype = NiftiDatatype.FLOAT32.code();
    int bitpix = 32;
    long sliceStart;
    long sliceEnd;
    int sliceCode;
    int dimInfo;
    long voxOffset;
    double sclSlope = 1;
    double sclInter;
    int xyztUnits = 2; // mm, unknown time unit
    double calMax;
    double calMin;
    double sliceDuration;
    double toffset;
    String descrip = "";
    String auxFile = "";
    int qformCode;
    int sformCode;
    double quaternB;
    double quaternC;
    double quaternD;
    double qoffsetX;
    double qoffsetY;
    double qoffsetZ;
    final double[] srowX = {1, 0, 0, 0};
    final double[] srowY = {0, 1, 0, 0};
    final double[] srowZ = {0, 0, 1, 0};

    /** A fresh single-file header (float32, 1 mm, identity geometry). */
    public NiftiHeader() {
    }

    /** A deep copy. */
    public NiftiHeader copy() {
        NiftiHeader c = new NiftiHeader();
        c.version = version;
        c.byteOrder = byteOrder;
        c.pair = pair;
        System.arraycopy(dim, 0, c.dim, 0, 8);
        System.arraycopy(pixdim, 0, c.pixdim, 0, 8);
        c.intentP1 = intentP1;
        c.intentP2 = intentP2;
        c.intentP3 = intentP3;
        c.intentCode = intentCode;
        c.intentName = intentName;
        c.datatype = datatype;
        c.bitpix = bitpix;
        c.sliceStart = sliceStart;
        c.sliceEnd = sliceEnd;
        c.sliceCode = sliceCode;
        c.dimInfo = dimInfo;
        c.voxOffset = voxOffset;
        c.sclSlope = sclSlope;
        c.sclInter = sclInter;
        c.xyztUnits = xyztUnits;
        c.calMax = calMax;
        c.calMin = calMin;
        c.sliceDuration = sliceDuration;
        c.toffset = toffset;
        c.descrip = descrip;
        c.auxFile = auxFile;
        c.qformCode = qformCode;
        c.sformCode = sformCode;
        c.quaternB = quaternB;
        c.quaternC = quaternC;
        c.quaternD = quaternD;
        c.qoffsetX = qoffsetX;
        c.qoffsetY = qoffsetY;
        c.qoffsetZ = qoffsetZ;
        System.arraycopy(srowX, 0, c.srowX, 0, 4);
        System.arraycopy(srowY, 0, c.srowY, 0, 4);
        System.arraycopy(srowZ, 0, c.srowZ, 0, 4);
        return c;
    }

    // ---------------------------------------------------------------- reading

    /**
     * The version a header starts with, from its first 4 bytes (sizeof_hdr in either byte order).
     *
     * @return 1 or 2
     */
    static int version(Path file, ByteBuffer first4) throws VolumeFormatException {
        int le = first4.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        int be = first4.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (le == NIFTI1_SIZE || be == NIFTI1_SIZE) {
            return 1;
        }
        if (le == NIFTI2_SIZE || be == NIFTI2_SIZE) {
            return 2;
        }
        throw new VolumeFormatException(file, "sizeof_hdr", "is " + le + " (little-endian) or " + be
                + " (big-endian); a NIfTI-1 header has 348 and a NIfTI-2 header 540, so this is not a NIfTI file");
    }

    /** Parses a whole header (348 or 540 bytes, byte order detected), checking every field VolSeg relies on. */
    static NiftiHeader parse(Path file, ByteBuffer bytes) throws VolumeFormatException {
        NiftiHeader h = new NiftiHeader();
        h.version = version(file, bytes);
        int size = h.version == 1 ? NIFTI1_SIZE : NIFTI2_SIZE;
        if (bytes.remaining() < size) {
            throw new VolumeFormatException(file, "header", "is truncated: " + bytes.remaining()
                    + " bytes, a NIfTI-" + h.version + " header has " + size);
        }
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        h.byteOrder = b.getInt(0) == size ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        b.order(h.byteOrder);
        if (h.version == 1) {
            h.readNifti1(b);
        } else {
            h.readNifti2(b);
        }
        h.checkMagic(file, b);
        h.checkDims(file);
        h.checkDatatype(file);
        if (!h.pair && h.voxOffset < size + 4) {
            throw new VolumeFormatException(file, "vox_offset", "is " + h.voxOffset + "; in a single-file NIfTI-"
                    + h.version + " the data start at byte " + (size + 4) + " or later");
        }
        if (h.voxOffset < 0) {
            throw new VolumeFormatException(file, "vox_offset", "is negative (" + h.voxOffset + ")");
        }
        return h;
    }

    private void readNifti1(ByteBuffer b) {
        dimInfo = b.get(39) & 0xFF;
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getShort(40 + 2 * i);
            pixdim[i] = b.getFloat(76 + 4 * i);
        }
        intentP1 = b.getFloat(56);
        intentP2 = b.getFloat(60);
        intentP3 = b.getFloat(64);
        intentCode = b.getShort(68);
        datatype = b.getShort(70);
        bitpix = b.getShort(72);
        sliceStart = b.getShort(74);
        voxOffset = (long) b.getFloat(108);
        sclSlope = b.getFloat(112);
        sclInter = b.getFloat(116);
        sliceEnd = b.getShort(120);
        sliceCode = b.get(122) & 0xFF;
        xyztUnits = b.get(123) & 0xFF;
        calMax = b.getFloat(124);
        calMin = b.getFloat(128);
        sliceDuration = b.getFloat(132);
        toffset = b.getFloat(136);
        descrip = string(b, 148, 80);
        auxFile = string(b, 228, 24);
        qformCode = b.getShort(252);
        sformCode = b.getShort(254);
        quaternB = b.getFloat(256);
        quaternC = b.getFloat(260);
        quaternD = b.getFloat(264);
        qoffsetX = b.getFloat(268);
        qoffsetY = b.getFloat(272);
        qoffsetZ = b.getFloat(276);
        for (int i = 0; i < 4; i++) {
            srowX[i] = b.getFloat(280 + 4 * i);
            srowY[i] = b.getFloat(296 + 4 * i);
            srowZ[i] = b.getFloat(312 + 4 * i);
        }
        intentName = string(b, 328, 16);
    }

    private void readNifti2(ByteBuffer b) {
        datatype = b.getShort(12);
        bitpix = b.getShort(14);
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getLong(16 + 8 * i);
            pixdim[i] = b.getDouble(104 + 8 * i);
        }
        intentP1 = b.getDouble(80);
        intentP2 = b.getDouble(88);
        intentP3 = b.getDouble(96);
        voxOffset = b.getLong(168);
        sclSlope = b.getDouble(176);
        sclInter = b.getDouble(184);
        calMax = b.getDouble(192);
        calMin = b.getDouble(200);
        sliceDuration = b.getDouble(208);
        toffset = b.getDouble(216);
        sliceStart = b.getLong(224);
        sliceEnd = b.getLong(232);
        descrip = string(b, 240, 80);
        auxFile = string(b, 320, 24);
        qformCode = b.getInt(344);
        sformCode = b.getInt(348);
        quaternB = b.getDouble(352);
        quaternC = b.getDouble(360);
        quaternD = b.getDouble(368);
        qoffsetX = b.getDouble(376);
        qoffsetY = b.getDouble(384);
        qoffsetZ = b.getDouble(392);
        for (int i = 0; i < 4; i++) {
            srowX[i] = b.getDouble(400 + 8 * i);
            srowY[i] = b.getDouble(432 + 8 * i);
            srowZ[i] = b.getDouble(464 + 8 * i);
        }
        sliceCode = b.getInt(496);
        xyztUnits = b.getInt(500);
        intentCode = b.getInt(504);
        intentName = string(b, 508, 16);
        dimInfo = b.get(524) & 0xFF;
    }

    private void checkMagic(Path file, ByteBuffer b) throws VolumeFormatException {
        int at = version == 1 ? 344 : 4;
        byte[] magic = new byte[version == 1 ? 4 : 8];
        b.get(at, magic);
        String text = new String(magic, 0, 3, StandardCharsets.ISO_8859_1);
        boolean terminated = magic[3] == 0;
        boolean nifti2Tail = version == 1 || (magic[4] == '\r' && magic[5] == '\n' && magic[6] == 0x1A
                && magic[7] == '\n');
        if (text.equals("n+" + version) && terminated && nifti2Tail) {
            pair = false;
        } else if (text.equals("ni" + version) && terminated && nifti2Tail) {
            pair = true;
        } else {
            throw new VolumeFormatException(file, "magic", "is '" + printable(magic) + "'; expected 'n+" + version
                    + "' (single file) or 'ni" + version + "' (.hdr/.img pair)"
                    + (version == 1 ? "; Analyze 7.5 files without a NIfTI magic are not read" : ""));
        }
    }

    private void checkDims(Path file) throws VolumeFormatException {
        if (dim[0] < 1 || dim[0] > 7) {
            throw new VolumeFormatException(file, "dim[0]", "is " + dim[0] + "; expected 1 to 7 dimensions");
        }
        for (int i = 1; i <= dim[0]; i++) {
            if (dim[i] < 1) {
                throw new VolumeFormatException(file, "dim[" + i + "]", "is " + dim[i]
                        + "; every used dimension must be at least 1");
            }
        }
        long voxels = (long) nx() * ny() * nz();
        if (nx() > Integer.MAX_VALUE || ny() > Integer.MAX_VALUE || nz() > Integer.MAX_VALUE
                || voxels > Geometry.MAX_VOXELS || voxels <= 0) {
            throw new VolumeFormatException(file, "dim", nx() + "×" + ny() + "×" + nz()
                    + " voxels per channel is over VolSeg's limit of " + Geometry.MAX_VOXELS
                    + " (the largest Java array)");
        }
        long channels = 1;
        for (int i = 4; i <= dim[0] && channels <= 65_536; i++) {
            channels = dim[i] > 65_536 ? dim[i] : channels * dim[i]; // stays far from overflow
        }
        if (channels > 65_536) {
            throw new VolumeFormatException(file, "dim[4..7]", channels + " channels (time points) is over "
                    + "VolSeg's limit of 65536");
        }
    }

    private void checkDatatype(Path file) throws VolumeFormatException {
        NiftiDatatype type = NiftiDatatype.ofCode(datatype).orElseThrow(() -> new VolumeFormatException(file,
                "datatype", "is " + datatype + ", which is no NIfTI datatype code"));
        if (!type.readable()) {
            throw new VolumeFormatException(file, "datatype", "is " + type + " (" + datatype
                    + "); VolSeg reads integer, float32/64 and RGB voxels, not complex or 128-bit values");
        }
    }

    // ---------------------------------------------------------------- writing

    /** The header's bytes in its version and byte order (348 or 540, without the extender). */
    ByteBuffer toBytes() {
        int size = version == 1 ? NIFTI1_SIZE : NIFTI2_SIZE;
        ByteBuffer b = ByteBuffer.allocate(size).order(byteOrder);
        b.putInt(0, size);
        if (version == 1) {
            writeNifti1(b);
        } else {
            writeNifti2(b);
        }
        return b;
    }

    private void writeNifti1(ByteBuffer b) {
        b.put(38, (byte) 'r');
        b.put(39, (byte) dimInfo);
        for (int i = 0; i < 8; i++) {
            b.putShort(40 + 2 * i, (short) dim[i]);
            b.putFloat(76 + 4 * i, (float) pixdim[i]);
        }
        b.putFloat(56, (float) intentP1);
        b.putFloat(60, (float) intentP2);
        b.putFloat(64, (float) intentP3);
        b.putShort(68, (short) intentCode);
        b.putShort(70, (short) datatype);
        b.putShort(72, (short) bitpix);
        b.putShort(74, (short) sliceStart);
        b.putFloat(108, voxOffset);
        b.putFloat(112, (float) sclSlope);
        b.putFloat(116, (float) sclInter);
        b.putShort(120, (short) sliceEnd);
        b.put(122, (byte) sliceCode);
        b.put(123, (byte) xyztUnits);
        b.putFloat(124, (float) calMax);
        b.putFloat(128, (float) calMin);
        b.putFloat(132, (float) sliceDuration);
        b.putFloat(136, (float) toffset);
        putString(b, 148, 80, descrip);
        putString(b, 228, 24, auxFile);
        b.putShort(252, (short) qformCode);
        b.putShort(254, (short) sformCode);
        b.putFloat(256, (float) quaternB);
        b.putFloat(260, (float) quaternC);
        b.putFloat(264, (float) quaternD);
        b.putFloat(268, (float) qoffsetX);
        b.putFloat(272, (float) qoffsetY);
        b.putFloat(276, (float) qoffsetZ);
        for (int i = 0; i < 4; i++) {
            b.putFloat(280 + 4 * i, (float) srowX[i]);
            b.putFloat(296 + 4 * i, (float) srowY[i]);
            b.putFloat(312 + 4 * i, (float) srowZ[i]);
        }
        putString(b, 328, 16, intentName);
        putString(b, 344, 4, pair ? "ni1" : "n+1");
    }

    private void writeNifti2(ByteBuffer b) {
        byte[] magic = {(byte) 'n', (byte) (pair ? 'i' : '+'), '2', 0, '\r', '\n', 0x1A, '\n'};
        b.put(4, magic);
        b.putShort(12, (short) datatype);
        b.putShort(14, (short) bitpix);
        for (int i = 0; i < 8; i++) {
            b.putLong(16 + 8 * i, dim[i]);
            b.putDouble(104 + 8 * i, pixdim[i]);
        }
        b.putDouble(80, intentP1);
        b.putDouble(88, intentP2);
        b.putDouble(96, intentP3);
        b.putLong(168, voxOffset);
        b.putDouble(176, sclSlope);
        b.putDouble(184, sclInter);
        b.putDouble(192, calMax);
        b.putDouble(200, calMin);
        b.putDouble(208, sliceDuration);
        b.putDouble(216, toffset);
        b.putLong(224, sliceStart);
        b.putLong(232, sliceEnd);
        putString(b, 240, 80, descrip);
        putString(b, 320, 24, auxFile);
        b.putInt(344, qformCode);
        b.putInt(348, sformCode);
        b.putDouble(352, quaternB);
        b.putDouble(360, quaternC);
        b.putDouble(368, quaternD);
        b.putDouble(376, qoffsetX);
        b.putDouble(384, qoffsetY);
        b.putDouble(392, qoffsetZ);
        for (int i = 0; i < 4; i++) {
            b.putDouble(400 + 8 * i, srowX[i]);
            b.putDouble(432 + 8 * i, srowY[i]);
            b.putDouble(464 + 8 * i, srowZ[i]);
        }
        b.putInt(496, sliceCode);
        b.putInt(500, xyztUnits);
        b.putInt(504, intentCode);
        putString(b, 508, 16, intentName);
        b.put(524, (byte) dimInfo);
    }

    // ---------------------------------------------------------------- geometry

    public int version() {
        return version;
    }

    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** Whether the data live in a separate .img file. */
    public boolean isPair() {
        return pair;
    }

    public int nx() {
        return (int) Math.min(Integer.MAX_VALUE + 1L, dimOr1(1));
    }

    public int ny() {
        return (int) Math.min(Integer.MAX_VALUE + 1L, dimOr1(2));
    }

    public int nz() {
        return (int) Math.min(Integer.MAX_VALUE + 1L, dimOr1(3));
    }

    /** The product of dims 4 to 7 (time points, or vector components): VolSeg's channels. */
    public int frames() {
        long n = 1;
        for (int i = 4; i <= 7; i++) {
            n *= dimOr1(i);
        }
        return (int) n;
    }

    private long dimOr1(int i) {
        return i <= dim[0] ? dim[i] : 1;
    }

    /** dim[0..7] (a copy). */
    public long[] dims() {
        return dim.clone();
    }

    /** pixdim[0..7] as stored (a copy). */
    public double[] pixdims() {
        return pixdim.clone();
    }

    public NiftiDatatype datatype() {
        return NiftiDatatype.ofCode(datatype).orElseThrow();
    }

    public long voxOffset() {
        return voxOffset;
    }

    /** scl_slope, or 1 when the header asks for no scaling (0 or NaN). */
    public double slope() {
        return scaled() ? sclSlope : 1;
    }

    /** scl_inter when scaling applies, else 0. */
    public double intercept() {
        return scaled() && Double.isFinite(sclInter) ? sclInter : 0;
    }

    /** Whether scl_slope asks for scaling (0 and NaN mean identity). */
    public boolean scaled() {
        return sclSlope != 0 && Double.isFinite(sclSlope);
    }

    public int qformCode() {
        return qformCode;
    }

    public int sformCode() {
        return sformCode;
    }

    public int xyztUnits() {
        return xyztUnits;
    }

    public String description() {
        return descrip;
    }

    public int intentCode() {
        return intentCode;
    }

    /** Millimetres per spatial unit of xyzt_units (metre, mm, micron; unknown counts as mm). */
    public double millimetresPerUnit() {
        return switch (xyztUnits & 0x07) {
            case 1 -> 1000.0;
            case 3 -> 0.001;
            default -> 1.0;
        };
    }

    /** The spatial unit's name, as NIfTI calls it. */
    public String spatialUnit() {
        return switch (xyztUnits & 0x07) {
            case 1 -> "meter";
            case 2 -> "mm";
            case 3 -> "micron";
            default -> "unknown (read as mm)";
        };
    }

    /** Where {@link #affine()} comes from: sform when sform_code > 0, else qform when qform_code > 0, else pixdim. */
    public AffineSource affineSource() {
        if (sformCode > 0) {
            return AffineSource.SFORM;
        }
        return qformCode > 0 ? AffineSource.QFORM : AffineSource.PIXDIM;
    }

    /** The voxel-to-world affine in millimetres (RAS+), by the NIfTI rules; see {@link #affineSource()}. */
    public Affine affine() {
        Affine inFileUnits = switch (affineSource()) {
            case SFORM -> sformAffine();
            case QFORM -> qformAffine();
            case PIXDIM -> pixdimAffine();
        };
        double mm = millimetresPerUnit();
        if (mm == 1.0) {
            return inFileUnits;
        }
        double[] a = inFileUnits.toArray();
        for (int k = 0; k < 12; k++) {
            a[k] *= mm;
        }
        return Affine.of(a);
    }

    /** The grid: dims and affine. */
    public Geometry geometry() {
        return new Geometry(nx(), ny(), nz(), affine());
    }

    /** The sform rows as an affine, in file units. */
    public Affine sformAffine() {
        return Affine.ofRows(srowX, srowY, srowZ);
    }

    /** The qform (quaternion, qfac, pixdim, offsets) as an affine, in file units. */
    public Affine qformAffine() {
        double b = quaternB;
        double c = quaternC;
        double d = quaternD;
        double aa = 1.0 - (b * b + c * c + d * d);
        double a;
        if (aa < 1e-7) { // as nifti_quatern_to_mat44 and nibabel: a = 0 and (b, c, d) normalised
            double norm = Math.sqrt(b * b + c * c + d * d);
            b /= norm;
            c /= norm;
            d /= norm;
            a = 0;
        } else {
            a = Math.sqrt(aa);
        }
        double qfac = pixdim[0] < 0 ? -1 : 1;
        double sx = Math.abs(pixdim[1]);
        double sy = Math.abs(pixdim[2]);
        double sz = Math.abs(pixdim[3]) * qfac;
        return Affine.of(
                (a * a + b * b - c * c - d * d) * sx, 2 * (b * c - a * d) * sy, 2 * (b * d + a * c) * sz, qoffsetX,
                2 * (b * c + a * d) * sx, (a * a + c * c - b * b - d * d) * sy, 2 * (c * d - a * b) * sz, qoffsetY,
                2 * (b * d - a * c) * sx, 2 * (c * d + a * b) * sy, (a * a + d * d - c * c - b * b) * sz, qoffsetZ,
                0, 0, 0, 1);
    }

    /**
     * The affine when neither qform nor sform is set: pixdim scaling with the grid centred on the world origin
     * and x flipped, exactly as nibabel's {@code get_base_affine} does, so both tools agree on such files.
     */
    public Affine pixdimAffine() {
        double sx = -Math.abs(pixdim[1] == 0 ? 1 : pixdim[1]);
        double sy = Math.abs(pixdim[2] == 0 ? 1 : pixdim[2]);
        double sz = Math.abs(pixdim[3] == 0 ? 1 : pixdim[3]);
        return Affine.of(sx, 0, 0, -(nx() - 1) / 2.0 * sx, 0, sy, 0, -(ny() - 1) / 2.0 * sy,
                0, 0, sz, -(nz() - 1) / 2.0 * sz, 0, 0, 0, 1);
    }

    /**
     * Sets dims 1-3 and both qform and sform from a grid, in millimetres. The qform is the nearest rigid
     * transform (polar decomposition, as nifti_mat44_to_quatern); the sform holds the affine exactly.
     *
     * @param code the xform code for both (1 scanner, 2 aligned, ...)
     */
    public void setGeometry(Geometry g, int code) {
        dim[1] = g.nx();
        dim[2] = g.ny();
        dim[3] = g.nz();
        Affine a = g.affine();
        srowX[0] = a.get(0, 0);
        srowX[1] = a.get(0, 1);
        srowX[2] = a.get(0, 2);
        srowX[3] = a.get(0, 3);
        srowY[0] = a.get(1, 0);
        srowY[1] = a.get(1, 1);
        srowY[2] = a.get(1, 2);
        srowY[3] = a.get(1, 3);
        srowZ[0] = a.get(2, 0);
        srowZ[1] = a.get(2, 1);
        srowZ[2] = a.get(2, 2);
        srowZ[3] = a.get(2, 3);
        sformCode = code;
        qformCode = code;
        xyztUnits = (xyztUnits & ~0x07) | 2; // mm
        Quaternion q = Quaternion.of(a);
        quaternB = q.b();
        quaternC = q.c();
        quaternD = q.d();
        qoffsetX = a.get(0, 3);
        qoffsetY = a.get(1, 3);
        qoffsetZ = a.get(2, 3);
        pixdim[0] = q.qfac();
        pixdim[1] = a.columnNorm(0);
        pixdim[2] = a.columnNorm(1);
        pixdim[3] = a.columnNorm(2);
    }

    /**
     * Sets the frames (dims 4 to 7 as one 4th dimension) and dim[0]: 3 for one frame, 4 otherwise.
     */
    void setFrames(int frames) {
        boolean keepPixdim4 = dim[0] >= 4;
        dim[0] = frames > 1 ? 4 : 3;
        dim[4] = frames;
        for (int i = 5; i < 8; i++) {
            dim[i] = 1;
        }
        if (!keepPixdim4) {
            pixdim[4] = 1;
        }
    }

    void setDatatype(NiftiDatatype type) {
        datatype = type.code();
        bitpix = type.bitpix();
    }

    void setScaling(double slope, double inter) {
        sclSlope = slope;
        sclInter = inter;
    }

    /** A rigid rotation as NIfTI's quaternion (b, c, d) with a ≥ 0, and qfac = ±1 for the handedness. */
    record Quaternion(double b, double c, double d, double qfac) {

        static Quaternion of(Affine affine) {
            double[][] r = new double[3][3];
            for (int col = 0; col < 3; col++) {
                double norm = affine.columnNorm(col);
                for (int row = 0; row < 3; row++) {
                    r[row][col] = norm == 0 ? (row == col ? 1 : 0) : affine.get(row, col) / norm;
                }
            }
            r = polar(r);
            double det = det(r);
            double qfac = 1;
            if (det < 0) {
                qfac = -1;
                for (int row = 0; row < 3; row++) {
                    r[row][2] = -r[row][2];
                }
            }
            double a = r[0][0] + r[1][1] + r[2][2] + 1;
            double b;
            double c;
            double d;
            if (a > 0.5) {
                a = 0.5 * Math.sqrt(a);
                b = 0.25 * (r[2][1] - r[1][2]) / a;
                c = 0.25 * (r[0][2] - r[2][0]) / a;
                d = 0.25 * (r[1][0] - r[0][1]) / a;
            } else {
                double xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
                double yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
                double zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
                if (xd > 1) {
                    b = 0.5 * Math.sqrt(xd);
                    c = 0.25 * (r[0][1] + r[1][0]) / b;
                    d = 0.25 * (r[0][2] + r[2][0]) / b;
                    a = 0.25 * (r[2][1] - r[1][2]) / b;
                } else if (yd > 1) {
                    c = 0.5 * Math.sqrt(yd);
                    b = 0.25 * (r[0][1] + r[1][0]) / c;
                    d = 0.25 * (r[1][2] + r[2][1]) / c;
                    a = 0.25 * (r[0][2] - r[2][0]) / c;
                } else {
                    d = 0.5 * Math.sqrt(zd);
                    b = 0.25 * (r[0][2] + r[2][0]) / d;
                    c = 0.25 * (r[1][2] + r[2][1]) / d;
                    a = 0.25 * (r[1][0] - r[0][1]) / d;
                }
                if (a < 0) {
                    b = -b;
                    c = -c;
                    d = -d;
                }
            }
            return new Quaternion(b, c, d, qfac);
        }

        /** The orthogonal factor of a 3×3 matrix (Newton iteration X ← (X + X⁻ᵀ) / 2). */
        private static double[][] polar(double[][] m) {
            double[][] x = m;
            for (int it = 0; it < 100; it++) {
                double[][] inv = inverse(x);
                double[][] next = new double[3][3];
                double change = 0;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        next[i][j] = 0.5 * (x[i][j] + inv[j][i]);
                        change = Math.max(change, Math.abs(next[i][j] - x[i][j]));
                    }
                }
                x = next;
                if (change < 1e-15) {
                    break;
                }
            }
            return x;
        }

        private static double det(double[][] m) {
            return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                    - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                    + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        }

        private static double[][] inverse(double[][] m) {
            double det = det(m);
            if (det == 0) {
                return new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
            }
            double[][] r = new double[3][3];
            r[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
            r[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det;
            r[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det;
            r[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
            r[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
            r[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
            r[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
            r[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det;
            r[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
            return r;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String string(ByteBuffer b, int at, int length) {
        byte[] raw = new byte[length];
        b.get(at, raw);
        int end = 0;
        while (end < length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    }

    private static void putString(ByteBuffer b, int at, int length, String s) {
        byte[] raw = Arrays.copyOf(s.getBytes(StandardCharsets.ISO_8859_1), length);
        if (s.length() >= length && length > 4) {
            raw[length - 1] = 0; // keep C strings terminated
        }
        b.put(at, raw);
    }

    private static String printable(byte[] magic) {
        StringBuilder s = new StringBuilder();
        for (byte m : magic) {
            s.append(m >= 32 && m < 127 ? Character.toString(m) : String.format("\\x%02x", m & 0xFF));
        }
        return s.toString();
    }
}
