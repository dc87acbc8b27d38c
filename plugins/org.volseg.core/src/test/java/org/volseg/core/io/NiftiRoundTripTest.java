package org.volseg.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.data.ReferenceData;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/** What VolSeg writes, it reads back identically, and so do nibabel and NIfTI's own nifti_tool. */
class NiftiRoundTripTest {

    /** An oblique, anisotropic, left-handed grid: what scanners write. */
    static final Geometry OBLIQUE = new Geometry(7, 6, 5, Affine.of(
            -0.9 * Math.cos(0.2), 0, 2.5 * Math.sin(0.2), 31.5,
            0, 1.1, 0, -12.25,
            0.9 * Math.sin(0.2), 0, 2.5 * Math.cos(0.2), 7.75,
            0, 0, 0, 1));

    private static final List<String> LAYOUTS = List.of(".nii", ".nii.gz", ".hdr");

    @TempDir
    Path dir;

    /** Two channels of values each type holds exactly (negative ones only for signed types). */
    static Volume sample(NiftiDatatype type) {
        Random random = new Random(42);
        Volume v = Volume.zeros(OBLIQUE, 2);
        double lo = Math.max(type.min(), -1000);
        double hi = Math.min(type.max(), 1000);
        for (int c = 0; c < 2; c++) {
            float[] data = v.channel(c);
            for (int i = 0; i < data.length; i++) {
                double value = lo + random.nextDouble() * (hi - lo);
                data[i] = (float) (type.isInteger() ? Math.rint(value) : value);
            }
            data[0] = (float) lo;
            data[1] = (float) hi;
        }
        return v;
    }

    private static List<NiftiDatatype> writable() {
        return Stream.of(NiftiDatatype.values()).filter(NiftiDatatype::writable).toList();
    }

    @TestFactory
    Stream<DynamicTest> everyTypeVersionAndLayoutReadsBackIdentically() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (NiftiDatatype type : writable()) {
            for (int version : new int[] {1, 2}) {
                for (String layout : LAYOUTS) {
                    Path file = dir.resolve(type + "_v" + version + layout);
                    Volume written = sample(type);
                    NiftiWriter.write(file, written, NiftiWriter.Options.defaults().withVersion(version)
                            .withDatatype(type));
                    tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                        NiftiImage read = NiftiReader.read(file);
                        assertThat(read.header().version()).isEqualTo(version);
                        assertThat(read.header().datatype()).isEqualTo(type);
                        assertThat(read.volume().geometry().sameGrid(OBLIQUE, 1e-5)).isTrue();
                        for (int c = 0; c < 2; c++) {
                            assertThat(read.volume().channel(c)).containsExactly(written.channel(c));
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    @Test
    void nibabelReadsWhatWeWriteWithTheSameValuesAndAffine() throws Exception {
        assumeTrue(NibabelReference.available(), "needs python3-nibabel");
        List<Path> files = new ArrayList<>();
        for (NiftiDatatype type : writable()) {
            for (int version : new int[] {1, 2}) {
                for (String layout : LAYOUTS) {
                    Path file = dir.resolve("nib_" + type + "_v" + version + layout);
                    NiftiWriter.write(file, sample(type), NiftiWriter.Options.defaults().withVersion(version)
                            .withDatatype(type));
                    files.add(file);
                }
            }
        }
        Path work = Files.createDirectories(dir.resolve("nibabel"));
        for (NibabelReference.Entry entry : NibabelReference.ask(files, work)) {
            assertThat(entry.nifti()).as(entry.file().toString()).isTrue();
            NibabelConformanceTest.assertSameAsNibabel(entry);
        }
    }

    @Test
    void niftiToolFindsOurHeadersAndImagesGood() throws Exception {
        assumeTrue(ReferenceData.NIFTI_TOOL.find().isPresent(), "needs nifti-bin");
        for (NiftiDatatype type : writable()) {
            for (String layout : LAYOUTS) {
                Path file = dir.resolve("tool_" + type + layout);
                NiftiWriter.write(file, sample(type), NiftiWriter.Options.defaults().withDatatype(type));
                assertThat(niftiTool("-check_hdr", "-check_nim", "-infiles", file.toString()))
                        .as(file.getFileName().toString())
                        .contains("header IS GOOD", "nifti_image IS GOOD").doesNotContain("FAIL", "ERROR");
            }
        }
    }

    /** nifti_tool 2.09 checks NIfTI-1 headers only; for NIfTI-2 it must at least load them as we wrote them. */
    @Test
    void niftiToolLoadsOurNifti2Images() throws Exception {
        assumeTrue(ReferenceData.NIFTI_TOOL.find().isPresent(), "needs nifti-bin");
        for (NiftiDatatype type : writable()) {
            for (String layout : LAYOUTS) {
                Path file = dir.resolve("tool2_" + type + layout);
                NiftiWriter.write(file, sample(type), NiftiWriter.Options.defaults().withVersion(2)
                        .withDatatype(type));
                String shown = niftiTool("-disp_nim", "-infiles", file.toString());
                assertThat(shown).as(file.getFileName().toString())
                        .containsPattern("\\n\\s*dim\\s+\\d+\\s+8\\s+4 7 6 5 2 1 1 1\\n")
                        .containsPattern("\\n\\s*datatype\\s+\\d+\\s+1\\s+" + type.code() + "\\n");
            }
        }
    }

    private static String niftiTool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ReferenceData.NIFTI_TOOL.file("nifti_tool").orElseThrow().toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test
    void floatsWrittenAsIntegersAreScaledWithinHalfAStep() throws IOException {
        Volume v = sample(NiftiDatatype.FLOAT32);
        Path file = dir.resolve("scaled.nii");
        NiftiWriter.write(file, v, NiftiWriter.Options.defaults().withDatatype(NiftiDatatype.INT16));
        NiftiImage read = NiftiReader.read(file);
        double step = read.header().slope();
        assertThat(step).isGreaterThan(0).isLessThan(2000.0 / 65535 * 1.01);
        for (int i = 0; i < v.channel(0).length; i++) {
            assertThat((double) read.volume().channel(0)[i]).isCloseTo(v.channel(0)[i],
                    org.assertj.core.data.Offset.offset(step * 0.5 + 1e-3));
        }
    }

    @Test
    void aPredictionKeepsTheSourceHeaderGeometryAndExtensions() throws IOException {
        Path source = dir.resolve("source.nii.gz");
        List<NiftiExtension> extensions = List.of(new NiftiExtension(6,
                "acquired on a phantom".getBytes(StandardCharsets.US_ASCII)));
        NiftiWriter.Options options = new NiftiWriter.Options(1, NiftiDatatype.INT16,
                java.nio.ByteOrder.BIG_ENDIAN, 1, null, extensions);
        NiftiWriter.write(source, sample(NiftiDatatype.INT16), options);
        NiftiImage image = NiftiReader.read(source);

        LabelMap prediction = LabelMap.create(image.volume().geometry(), 3);
        prediction.set(1, 2, 3, 3);
        Path out = dir.resolve("prediction.nii.gz");
        NiftiWriter.writeLabels(out, prediction, NiftiWriter.Options.like(image));

        NiftiImage written = NiftiReader.read(out);
        NiftiHeader a = image.header();
        NiftiHeader b = written.header();
        assertThat(b.datatype()).isEqualTo(NiftiDatatype.UINT8);
        assertThat(b.byteOrder()).isEqualTo(java.nio.ByteOrder.BIG_ENDIAN);
        assertThat(new double[] {b.qformCode(), b.sformCode(), b.quaternB, b.quaternC, b.quaternD, b.qoffsetX,
            b.qoffsetY, b.qoffsetZ}).containsExactly(a.qformCode(), a.sformCode(), a.quaternB, a.quaternC,
                a.quaternD, a.qoffsetX, a.qoffsetY, a.qoffsetZ);
        assertThat(b.srowX).containsExactly(a.srowX);
        assertThat(b.srowY).containsExactly(a.srowY);
        assertThat(b.srowZ).containsExactly(a.srowZ);
        assertThat(b.pixdims()).containsExactly(a.pixdims()[0], a.pixdims()[1], a.pixdims()[2], a.pixdims()[3],
                1, a.pixdims()[5], a.pixdims()[6], a.pixdims()[7]);
        assertThat(written.extensions()).hasSize(1);
        assertThat(new String(written.extensions().get(0).data(), StandardCharsets.US_ASCII))
                .startsWith("acquired on a phantom");
        assertThat(written.volume().get(0, 1, 2, 3)).isEqualTo(3);
    }

    @Test
    void noPartialFileIsLeftWhenWritingFails() throws IOException {
        Path file = dir.resolve("out.nii");
        Volume v = sample(NiftiDatatype.FLOAT32);
        NiftiWriter.write(file, v, NiftiWriter.Options.defaults());
        byte[] before = Files.readAllBytes(file);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.write(file, tmp -> {
            Files.write(tmp, new byte[] {1, 2, 3});
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("out.nii");
        }
    }
}
