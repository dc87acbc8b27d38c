package org.volseg.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * Writes volumes as NIfTI-1 or NIfTI-2 ({@code .nii}, {@code .nii.gz}, {@code .hdr}/{@code .img}), through a
 * temporary file moved into place when complete. {@code .gz} output is deflated on all cores. Written like a source
 * image ({@link Options#like(NiftiImage)}), the file keeps the source's header geometry (qform and sform exactly,
 * when the grid is the same), descriptions and extensions.
 */
public final class NiftiWriter {

    private static final int CHUNK_VOXELS = 1 << 18;

    private NiftiWriter() {
    }

    /**
     * How to write.
     *
     * @param version    1 or 2
     * @param datatype   the voxel type on disk; null chooses (the template's if writable, else float32; for labels
     *                   the narrowest unsigned type)
     * @param byteOrder  the byte order on disk
     * @param gzipLevel  deflate level 1-9 for .gz output
     * @param template   a source header whose geometry codes, description, intent and units are kept; may be null
     * @param extensions header extensions to write
     */
    public record Options(int version, NiftiDatatype datatype, ByteOrder byteOrder, int gzipLevel,
            NiftiHeader template, List<NiftiExtension> extensions) {

        public Options {
            if (version != 1 && version != 2) {
                throw new IllegalArgumentException("NIfTI version must be 1 or 2, got " + version);
            }
            if (datatype != null && !datatype.writable()) {
                throw new IllegalArgumentException("VolSeg does not write " + datatype + " voxels");
            }
            if (gzipLevel < 1 || gzipLevel > 9) {
                throw new IllegalArgumentException("gzip level must be 1 to 9, got " + gzipLevel);
            }
            extensions = List.copyOf(extensions);
        }

        /** NIfTI-1, little-endian, datatype chosen, gzip level 1, no template. */
        public static Options defaults() {
            return new Options(1, null, ByteOrder.LITTLE_ENDIAN, 1, null, List.of());
        }

        /** Like a source image: its version, byte order, header fields and extensions. */
        public static Options like(NiftiImage source) {
            return new Options(source.header().version(), null, source.header().byteOrder(), 1, source.header(),
                    source.extensions());
        }

        public Options withVersion(int v) {
            return new Options(v, datatype, byteOrder, gzipLevel, template, extensions);
        }

        public Options withDatatype(NiftiDatatype type) {
            return new Options(version, type, byteOrder, gzipLevel, template, extensions);
        }

        public Options withByteOrder(ByteOrder order) {
            return new Options(version, datatype, order, gzipLevel, template, extensions);
        }

        public Options withGzipLevel(int level) {
            return new Options(version, datatype, byteOrder, level, template, extensions);
        }
    }

    /** Writes an image; the layout follows the file name (.nii, .nii.gz, .hdr, .img, .hdr.gz). */
    public static void write(Path file, Volume volume, Options options) throws IOException {
        NiftiDatatype type = options.datatype();
        if (type == null) {
            NiftiHeader t = options.template();
            type = t != null && t.datatype().writable() ? t.datatype() : NiftiDatatype.FLOAT32;
        }
        writeAs(file, volume, type, options);
    }

    /** Writes a segmentation, by default as the narrowest unsigned integer type that holds its labels. */
    public static void writeLabels(Path file, LabelMap labels, Options options) throws IOException {
        NiftiDatatype type = options.datatype();
        if (type == null) {
            int max = labels.capacity();
            type = max <= 255 ? NiftiDatatype.UINT8 : max <= 65535 ? NiftiDatatype.UINT16 : NiftiDatatype.INT32;
        }
        writeAs(file, new Volume(labels.geometry(), labels.toFloats()), type, options);
    }

    private static void writeAs(Path file, Volume volume, NiftiDatatype type, Options options) throws IOException {
        NiftiFiles.Layout layout = NiftiFiles.layoutOf(file);
        boolean pair = layout == NiftiFiles.Layout.PAIR || layout == NiftiFiles.Layout.PAIR_GZ;
        boolean gzip = layout == NiftiFiles.Layout.NII_GZ || layout == NiftiFiles.Layout.PAIR_GZ;
        NiftiHeader header = header(volume, type, options, pair);
        if (!pair) {
            AtomicFiles.write(file, tmp -> {
                try (WritableByteChannel out = open(tmp, gzip, options.gzipLevel())) {
                    writeHeader(out, header, options.extensions());
                    writeVoxels(out, volume, header);
                }
            });
            return;
        }
        Path hdr = NiftiFiles.headerFileOf(file);
        Path img = NiftiFiles.imageFileOf(hdr);
        AtomicFiles.write(new Path[] {hdr, img}, tmp -> {
            try (WritableByteChannel out = open(tmp[0], gzip, options.gzipLevel())) {
                writeHeader(out, header, options.extensions());
            }
            try (WritableByteChannel out = open(tmp[1], gzip, options.gzipLevel())) {
                writeVoxels(out, volume, header);
            }
        });
    }

    /** The header for a volume: the template's fields, the volume's grid, frames, datatype and scaling. */
    static NiftiHeader header(Volume volume, NiftiDatatype type, Options options, boolean pair) {
        NiftiHeader template = options.template();
        NiftiHeader h = template != null ? template.copy() : new NiftiHeader();
        h.version = options.version();
        h.byteOrder = options.byteOrder();
        h.pair = pair;
        Geometry g = volume.geometry();
        boolean sameGrid = template != null && template.geometry().sameGrid(g, 1e-6);
        if (!sameGrid) {
            int code = template != null && template.sformCode() > 0 ? template.sformCode() : 1;
            h.setGeometry(g, code);
        }
        h.setFrames(volume.channelCount());
        h.setDatatype(type);
        double[] scaling = scaling(volume, type, options.version());
        h.setScaling(scaling[0], scaling[1]);
        int headerSize = options.version() == 1 ? NiftiHeader.NIFTI1_SIZE : NiftiHeader.NIFTI2_SIZE;
        long extensionBytes = options.extensions().stream().mapToLong(NiftiExtension::sizeInFile).sum();
        h.voxOffset = pair ? 0 : (headerSize + 4 + extensionBytes + 15) / 16 * 16;
        return h;
    }

    /**
     * slope and intercept: identity for float types and for integer types that hold every value exactly;
     * otherwise the values' range mapped onto the type's range.
     */
    private static double[] scaling(Volume volume, NiftiDatatype type, int version) {
        if (!type.isInteger()) {
            return new double[] {1, 0};
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean integral = true;
        for (int c = 0; c < volume.channelCount(); c++) {
            for (float v : volume.channel(c)) {
                if (Float.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    integral &= v == Math.rint(v);
                }
            }
        }
        if (min > max || (integral && min >= type.min() && max <= type.max())) {
            return new double[] {1, 0};
        }
        double slope = max == min ? 1 : (max - min) / (type.max() - type.min());
        double inter = min - type.min() * slope;
        if (version == 1) { // stored as float32: encode with exactly what readers will decode with
            slope = (float) slope;
            inter = (float) inter;
        }
        return new double[] {slope, inter};
    }

    /** Plain files are written straight from direct buffers; .gz through the parallel deflater. */
    private static WritableByteChannel open(Path file, boolean gzip, int level) throws IOException {
        if (!gzip) {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }
        return Channels.newChannel(new ParallelGzipOutputStream(
                new BufferedOutputStream(Files.newOutputStream(file), 1 << 20), level));
    }

    private static void writeHeader(WritableByteChannel out, NiftiHeader header, List<NiftiExtension> extensions)
            throws IOException {
        long extensionBytes = extensions.stream().mapToLong(NiftiExtension::sizeInFile).sum();
        ByteBuffer bytes = header.toBytes();
        long total = header.isPair() ? bytes.capacity() + 4 + extensionBytes : header.voxOffset();
        ByteBuffer all = ByteBuffer.allocate((int) total).order(header.byteOrder());
        all.put(bytes.array());
        all.put(new byte[] {(byte) (extensions.isEmpty() ? 0 : 1), 0, 0, 0});
        for (NiftiExtension e : extensions) {
            int size = e.sizeInFile();
            all.putInt(size).putInt(e.code()).put(e.data());
            all.position(all.position() + size - 8 - e.data().length);
        }
        writeFully(out, all.clear());
    }

    private static void writeVoxels(WritableByteChannel out, Volume volume, NiftiHeader header) throws IOException {
        NiftiDatatype type = header.datatype();
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_VOXELS * type.bytes()).order(header.byteOrder());
        int voxels = volume.geometry().voxels();
        for (int c = 0; c < volume.channelCount(); c++) {
            float[] data = volume.channel(c);
            for (int offset = 0; offset < voxels; offset += CHUNK_VOXELS) {
                int count = Math.min(CHUNK_VOXELS, voxels - offset);
                chunk.clear();
                VoxelCodec.encode(data, offset, count, type, header.slope(), header.intercept(), chunk);
                writeFully(out, chunk.flip());
            }
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }
}
