package org.volseg.core.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * Reads NIfTI-1 and NIfTI-2 images: {@code .nii}, {@code .nii.gz}, and {@code .hdr}/{@code .img} pairs (gzipped or
 * not), in either byte order. Voxels are streamed from the file straight into the volume's float arrays with
 * scl_slope/scl_inter applied; no second copy of the data is held. Frames (dims 4 to 7) become channels; RGB24 and
 * RGBA32 give one channel per colour component.
 */
public final class NiftiReader {

    private static final int CHUNK_VOXELS = 1 << 18;

    private NiftiReader() {
    }

    /** A header with its extensions, and the file its voxels live in. */
    public record HeaderAndExtensions(NiftiHeader header, List<NiftiExtension> extensions, Path dataFile) {
    }

    /** Reads the whole image. */
    public static NiftiImage read(Path file) throws IOException {
        HeaderAndExtensions h = readHeader(file);
        return new NiftiImage(file, h.header(), h.extensions(), readVoxels(file, h));
    }

    /**
     * Reads a label map: the first channel, whose values must be whole numbers ≥ 0 (within 0.001, so that labels
     * stored as floats by other tools are accepted).
     *
     * @throws VolumeFormatException naming the first voxel that is no label
     */
    public static LabelMap readLabels(Path file) throws IOException {
        Volume v = read(file).volume();
        float[] data = v.channel(0);
        int[] labels = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            int label = Math.round(data[i]);
            if (!(Math.abs(data[i] - label) <= 1e-3) || label < 0) {
                throw new VolumeFormatException(file, "data", "holds " + data[i] + " at voxel " + i + "; a label "
                        + "map holds whole numbers 0, 1, 2, ... (is this an image rather than a segmentation?)");
            }
            labels[i] = label;
        }
        return LabelMap.of(v.geometry(), labels);
    }

    /** Reads the header and extensions only (enough for geometry; a missing .img is no error here). */
    public static HeaderAndExtensions readHeader(Path file) throws IOException {
        try (InputStream in = open(file)) {
            ByteBuffer first = ByteBuffer.wrap(readFully(file, in, 4, "header"));
            int version = NiftiHeader.version(file, first);
            int size = version == 1 ? NiftiHeader.NIFTI1_SIZE : NiftiHeader.NIFTI2_SIZE;
            byte[] rest = readUpTo(file, in, size - 4);
            ByteBuffer all = ByteBuffer.allocate(4 + rest.length).put(first.array()).put(rest).flip();
            NiftiHeader header = NiftiHeader.parse(file, all);
            List<NiftiExtension> extensions = readExtensions(file, in, header, size);
            Path dataFile = header.isPair() ? NiftiFiles.imageFileOf(file) : file;
            return new HeaderAndExtensions(header, extensions, dataFile);
        }
    }

    private static List<NiftiExtension> readExtensions(Path file, InputStream in, NiftiHeader header, int size)
            throws IOException {
        byte[] extender = readUpTo(file, in, 4);
        List<NiftiExtension> extensions = new ArrayList<>();
        if (extender.length < 4 || extender[0] == 0) {
            return extensions;
        }
        long position = size + 4L;
        long end = header.isPair() ? Long.MAX_VALUE : header.voxOffset();
        while (position + 8 <= end) {
            byte[] prefix = readUpTo(file, in, 8);
            if (prefix.length == 0 && header.isPair()) {
                break;
            }
            if (prefix.length < 8) {
                throw new VolumeFormatException(file, "extension", "at byte " + position + " is cut off");
            }
            ByteBuffer p = ByteBuffer.wrap(prefix).order(header.byteOrder());
            int esize = p.getInt(0);
            int ecode = p.getInt(4);
            if (esize < 16 || esize % 16 != 0 || position + esize > end) {
                throw new VolumeFormatException(file, "extension", "at byte " + position + " has esize " + esize
                        + "; expected a multiple of 16, at least 16, ending by vox_offset (" + header.voxOffset()
                        + ")");
            }
            byte[] data = readFully(file, in, esize - 8, "extension");
            extensions.add(new NiftiExtension(ecode, data));
            position += esize;
        }
        return extensions;
    }

    private static Volume readVoxels(Path file, HeaderAndExtensions h) throws IOException {
        NiftiHeader header = h.header();
        Path dataFile = h.dataFile();
        if (!Files.isRegularFile(dataFile)) {
            throw new VolumeFormatException(file, "data", "the data file " + dataFile.getFileName()
                    + " of this .hdr/.img pair is missing");
        }
        NiftiDatatype type = header.datatype();
        Geometry geometry = header.geometry();
        int voxels = geometry.voxels();
        int frames = header.frames();
        int components = type.components();
        long expected = (long) voxels * frames * type.bytes();
        int chunksPerFrame = (voxels + CHUNK_VOXELS - 1) / CHUNK_VOXELS;
        // the file must be able to hold what the header claims before anything that large is allocated
        try (VoxelSource source = VoxelSource.open(dataFile, header.voxOffset(), expected)) {
            float[][] channels = new float[frames * components][];
            for (int c = 0; c < channels.length; c++) {
                channels[c] = new float[voxels];
            }
            IntStream tasks = IntStream.range(0, frames * chunksPerFrame);
            // plain files are read slab by slab on all cores; a gzip stream can only be read in order
            (source.parallel() ? tasks.parallel() : tasks).forEach(task -> {
                int frame = task / chunksPerFrame;
                int offset = (task % chunksPerFrame) * CHUNK_VOXELS;
                int count = Math.min(CHUNK_VOXELS, voxels - offset);
                long at = ((long) frame * voxels + offset) * type.bytes();
                try {
                    ByteBuffer chunk = source.read(at, count * type.bytes()).order(header.byteOrder());
                    if (components == 1) {
                        VoxelCodec.decode(chunk, type, channels[frame], offset, count, header.slope(),
                                header.intercept());
                    } else {
                        float[][] colour = new float[components][];
                        System.arraycopy(channels, frame * components, colour, 0, components);
                        VoxelCodec.decodeColour(chunk, components, colour, offset, count);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return new Volume(geometry, channels);
        } catch (UncheckedIOException e) {
            throw rethrown(dataFile, e.getCause());
        } catch (ZipException | EOFException e) {
            throw rethrown(dataFile, e);
        }
    }

    private static IOException rethrown(Path file, IOException e) {
        if (e instanceof ZipException || e instanceof EOFException) {
            return new VolumeFormatException(file, "gzip", "the compressed data are corrupt or cut off ("
                    + e.getMessage() + ")", e);
        }
        return e;
    }

    /** The voxel bytes of a file: read at any position from a plain file, or in order through gunzip. */
    private abstract static class VoxelSource implements AutoCloseable {

        static VoxelSource open(Path file, long offset, long expected) throws IOException {
            InputStream in = NiftiReader.open(file);
            if (in instanceof GZIPInputStream) {
                // deflate expands at most 1032:1, so a small .gz cannot hold a huge volume
                long atMost = Files.size(file) * 1032L;
                if (offset + expected > atMost) {
                    in.close();
                    throw new VolumeFormatException(file, "data", "the header's dims and datatype need " + expected
                            + " bytes of voxel data, more than this " + Files.size(file) + "-byte gzip file can hold");
                }
                return new Gzipped(file, in, offset, expected);
            }
            in.close();
            long length = Files.size(file);
            if (offset > length) {
                throw new VolumeFormatException(file, "vox_offset", "is " + offset + ", past the end of the "
                        + length + "-byte file");
            }
            if (length - offset < expected) {
                throw truncated(file, length - offset, offset, expected);
            }
            return new Plain(file, offset);
        }

        /**
         * {@code bytes} bytes from {@code at} bytes after vox_offset, positioned at 0, valid until this thread's
         * next call. Sequential sources need {@code at} in order.
         */
        abstract ByteBuffer read(long at, int bytes) throws IOException;

        /** Whether chunks may be read from several threads at once. */
        abstract boolean parallel();

        @Override
        public abstract void close() throws IOException;

        static VolumeFormatException truncated(Path file, long got, long offset, long expected) {
            return new VolumeFormatException(file, "data", "holds " + got + " bytes of voxel data after vox_offset "
                    + offset + "; the header's dims and datatype need " + expected);
        }
    }

    /** A plain file read with positional reads into one small direct buffer, which stays in the CPU's cache. */
    private static final class Plain extends VoxelSource {

        private final FileChannel channel;
        private final long offset;
        private final ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));

        Plain(Path file, long offset) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            this.offset = offset;
        }

        @Override
        ByteBuffer read(long at, int bytes) throws IOException {
            ByteBuffer buffer = buffers.get();
            if (buffer.capacity() < bytes) {
                buffer = ByteBuffer.allocateDirect(bytes);
                buffers.set(buffer);
            }
            buffer.clear().limit(bytes);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + at + buffer.position()) < 0) {
                    throw new EOFException("the file ended early");
                }
            }
            return buffer.flip().slice();
        }

        @Override
        boolean parallel() {
            return true;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class Gzipped extends VoxelSource {

        private final Path file;
        private final InputStream in;
        private final long offset;
        private final long expected;
        private long done;
        private byte[] buffer = new byte[0];

        Gzipped(Path file, InputStream in, long offset, long expected) throws IOException {
            this.file = file;
            this.in = in;
            this.offset = offset;
            this.expected = expected;
            try {
                in.skipNBytes(offset);
            } catch (EOFException e) {
                in.close();
                throw new VolumeFormatException(file, "vox_offset", "is " + offset + ", past the end of the "
                        + "decompressed file", e);
            }
        }

        @Override
        boolean parallel() {
            return false;
        }

        @Override
        ByteBuffer read(long at, int bytes) throws IOException {
            if (at != done) {
                throw new IllegalStateException("a gzip stream is read in order");
            }
            if (buffer.length < bytes) {
                buffer = new byte[bytes];
            }
            int got = in.readNBytes(buffer, 0, bytes); // a corrupt stream throws ZipException
            if (got < bytes) {
                throw truncated(file, done + got, offset, expected);
            }
            done += got;
            return ByteBuffer.wrap(buffer, 0, bytes).slice();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A stream over the file's bytes, gunzipped when the file starts with gzip's magic. */
    private static InputStream open(Path file) throws IOException {
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try {
                    return new GZIPInputStream(raw, 1 << 16);
                } catch (ZipException | EOFException e) {
                    raw.close();
                    throw new VolumeFormatException(file, "gzip", "the gzip header is corrupt (" + e.getMessage()
                            + ")", e);
                }
            }
            return raw;
        } catch (NoSuchFileException e) {
            throw new VolumeFormatException(file, "file", "does not exist", e);
        }
    }

    /** Up to n bytes; fewer only at the end of the file. */
    private static byte[] readUpTo(Path file, InputStream in, int n) throws IOException {
        try {
            return in.readNBytes(n);
        } catch (ZipException | EOFException e) {
            throw new VolumeFormatException(file, "gzip", "the compressed data are corrupt or cut off ("
                    + e.getMessage() + ")", e);
        }
    }

    private static byte[] readFully(Path file, InputStream in, int n, String field) throws IOException {
        byte[] bytes = readUpTo(file, in, n);
        if (bytes.length < n) {
            throw new VolumeFormatException(file, field, "is truncated: the file ends after " + bytes.length
                    + " of " + n + " bytes");
        }
        return bytes;
    }
}
