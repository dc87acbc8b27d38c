package org.volseg.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;
import org.volseg.core.volume.VolumeStatistics;

/**
 * A corpus of broken files, generated here: each is refused with one VolumeFormatException naming the file and the
 * field, before any large allocation.
 */
class NiftiBadInputTest {

    @TempDir
    Path dir;

    private byte[] valid1;
    private byte[] valid2;

    @BeforeEach
    void writeValidFiles() throws IOException {
        Volume v = Volume.zeros(Geometry.of(4, 3, 2, 1, 1, 1), 1);
        Arrays.fill(v.channel(0), 7f);
        Path one = dir.resolve("valid1.nii");
        Path two = dir.resolve("valid2.nii");
        NiftiWriter.write(one, v, NiftiWriter.Options.defaults());
        NiftiWriter.write(two, v, NiftiWriter.Options.defaults().withVersion(2));
        valid1 = Files.readAllBytes(one);
        valid2 = Files.readAllBytes(two);
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] patch(byte[] bytes, int at, ByteBuffer value) {
        byte[] copy = bytes.clone();
        System.arraycopy(value.array(), 0, copy, at, value.capacity());
        return copy;
    }

    private static ByteBuffer i16(int v) {
        return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) v);
    }

    private static ByteBuffer i64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
    }

    private static ByteBuffer f32(float v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, v);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(Path file, String field) {
        return assertThatThrownBy(() -> NiftiReader.read(file))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageStartingWith(file.getFileName() + ": " + field + ": ")
                .satisfies(e -> assertThat(((VolumeFormatException) e).field()).isEqualTo(field));
    }

    @Test
    void wrongMagic() throws IOException {
        byte[] b = valid1.clone();
        b[344] = 'x';
        refused(file("magic.nii", b), "magic").hasMessageContaining("expected 'n+1'");
    }

    @Test
    void notNiftiAtAll() throws IOException {
        refused(file("text.nii", "hello, this is not an image at all".getBytes()), "sizeof_hdr")
                .hasMessageContaining("not a NIfTI file");
    }

    @Test
    void truncatedHeader() throws IOException {
        refused(file("short.nii", Arrays.copyOf(valid1, 100)), "header").hasMessageContaining("100 bytes");
        refused(file("short2.nii", Arrays.copyOf(valid2, 300)), "header").hasMessageContaining("540");
    }

    @Test
    void truncatedData() throws IOException {
        refused(file("cut.nii", Arrays.copyOf(valid1, valid1.length - 10)), "data")
                .hasMessageContaining("need 96");
    }

    @Test
    void voxOffsetPastTheEnd() throws IOException {
        refused(file("offset.nii", patch(valid1, 108, f32(1e6f))), "vox_offset").hasMessageContaining("past the end");
        refused(file("offset-small.nii", patch(valid1, 108, f32(100))), "vox_offset")
                .hasMessageContaining("352 or later");
    }

    @Test
    void zeroOrNegativeDims() throws IOException {
        refused(file("zero.nii", patch(valid1, 44, i16(0))), "dim[2]").hasMessageContaining("at least 1");
        refused(file("negative.nii", patch(valid1, 46, i16(-5))), "dim[3]").hasMessageContaining("is -5");
        refused(file("dim0.nii", patch(valid1, 40, i16(9))), "dim[0]").hasMessageContaining("1 to 7");
    }

    @Test
    void tooManyVoxelsIsRefusedBeforeAllocating() throws IOException {
        byte[] b = patch(valid2, 16 + 8, i64(100_000));
        b = patch(b, 16 + 16, i64(100_000));
        refused(file("huge.nii", b), "dim").hasMessageContaining("limit of 2147483639");
    }

    @Test
    void unknownOrUnreadableDatatype() throws IOException {
        refused(file("type.nii", patch(valid1, 70, i16(3))), "datatype").hasMessageContaining("no NIfTI datatype");
        refused(file("complex.nii", patch(valid1, 70, i16(32))), "datatype").hasMessageContaining("complex");
    }

    @Test
    void corruptGzip() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(valid1);
        }
        byte[] bytes = gz.toByteArray();
        byte[] corrupt = bytes.clone();
        for (int i = 20; i < corrupt.length - 8; i += 7) {
            corrupt[i] ^= 0x5A;
        }
        refused(file("corrupt.nii.gz", corrupt), "gzip");
        refused(file("cut.nii.gz", Arrays.copyOf(bytes, bytes.length / 2)), "gzip");
    }

    @Test
    void badExtensionSize() throws IOException {
        Path withExtension = dir.resolve("ext-valid.nii");
        NiftiWriter.write(withExtension, Volume.zeros(Geometry.of(2, 2, 2, 1, 1, 1), 1), new NiftiWriter.Options(1,
                null, ByteOrder.LITTLE_ENDIAN, 1, null, java.util.List.of(new NiftiExtension(6, new byte[8]))));
        byte[] b = Files.readAllBytes(withExtension);
        refused(file("ext.nii", patch(b, 352, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 20))),
                "extension").hasMessageContaining("esize 20");
    }

    @Test
    void missingImageOfAPair() throws IOException {
        Path hdr = dir.resolve("pair.hdr");
        NiftiWriter.write(hdr, Volume.zeros(Geometry.of(2, 2, 2, 1, 1, 1), 1), NiftiWriter.Options.defaults());
        Files.delete(dir.resolve("pair.img"));
        assertThat(NiftiReader.readHeader(hdr).header().nx()).isEqualTo(2);
        refused(hdr, "data").hasMessageContaining("pair.img");
    }

    @Test
    void missingFile() {
        refused(dir.resolve("nowhere.nii"), "file").hasMessageContaining("does not exist");
    }

    @Test
    void nanAndInfinityAreReadAndCountedNotRefused() throws IOException {
        Volume v = Volume.zeros(Geometry.of(3, 1, 1, 1, 1, 1), 1);
        v.channel(0)[0] = Float.NaN;
        v.channel(0)[1] = Float.POSITIVE_INFINITY;
        Path f = dir.resolve("nan.nii");
        NiftiWriter.write(f, v, NiftiWriter.Options.defaults());
        VolumeStatistics stats = VolumeStatistics.of(NiftiReader.read(f).volume());
        assertThat(stats.nonFinite()).isEqualTo(2);
        assertThat(stats.sum()).isZero();
    }
}
