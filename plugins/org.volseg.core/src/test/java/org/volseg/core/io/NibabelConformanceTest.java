package org.volseg.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.data.ReferenceData;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;

/**
 * Every file of nibabel's own test data, and the real brains of mricron-data and ITK's examples, read as nibabel
 * reads them: same shape, same affine (in mm), same voxels within float32 rounding. Files nibabel does not read as
 * NIfTI are refused with a VolumeFormatException naming the file.
 */
class NibabelConformanceTest {

    private static final List<String> BRAINS = List.of("ch2.nii.gz", "ch2bet.nii.gz", "ch2better.nii.gz",
            "aal.nii.gz", "brodmann.nii.gz", "inia19-t1-brain.nii.gz", "inia19-NeuroMaps.nii.gz");
    private static final List<String> ITK = List.of("KmeansTest_T1UCharRaw.nii.gz",
            "KmeansTest_T1KmeansPrelimSegmentation.nii.gz");

    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> nibabelTestData() throws Exception {
        assumeTrue(NibabelReference.available(), "needs python3-nibabel");
        List<Path> files;
        try (Stream<Path> all = Files.list(ReferenceData.NIBABEL_TEST_DATA.find().orElseThrow())) {
            files = all.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".py")).sorted().toList();
        }
        return compare(files);
    }

    @TestFactory
    Stream<DynamicTest> realBrains() throws Exception {
        assumeTrue(NibabelReference.available(), "needs python3-nibabel");
        List<Path> files = new ArrayList<>();
        BRAINS.forEach(n -> ReferenceData.MRICRON_TEMPLATES.file(n).ifPresent(files::add));
        ITK.forEach(n -> ReferenceData.ITK_EXAMPLES.file(n).ifPresent(files::add));
        assumeTrue(files.size() == BRAINS.size() + ITK.size(), "needs mricron-data and insighttoolkit5-examples");
        return compare(files);
    }

    private Stream<DynamicTest> compare(List<Path> files) throws Exception {
        return NibabelReference.ask(files, work).stream().map(e -> DynamicTest.dynamicTest(
                e.file().getFileName().toString(), () -> {
                    if (e.nifti()) {
                        assertSameAsNibabel(e);
                    } else {
                        assertThatThrownBy(() -> NiftiReader.read(e.file()))
                                .isInstanceOf(VolumeFormatException.class)
                                .hasMessageStartingWith(e.file().getFileName().toString());
                    }
                }));
    }

    static void assertSameAsNibabel(NibabelReference.Entry e) throws IOException {
        String name = e.file().getFileName().toString();
        NiftiReader.HeaderAndExtensions h = NiftiReader.readHeader(e.file());
        Geometry g = h.header().geometry();
        int[] shape = e.xyzFrames();
        assertThat(new int[] {g.nx(), g.ny(), g.nz(), h.header().frames()}).as(name + " shape").containsExactly(shape);
        assertThat(g.affine().approximatelyEquals(e.affineMm(), 1e-4))
                .as("%s affine: ours %s, nibabel %s", name, g.affine(), e.affineMm()).isTrue();
        assertThat(g.orientation()).as(name + " orientation").isEqualTo(e.orientation());
        if (e.voxels() == null) {
            return;
        }
        Volume v = NiftiReader.read(e.file()).volume();
        float[] expected = e.readVoxels();
        int voxels = g.voxels();
        assertThat(expected).hasSize(voxels * v.channelCount());
        for (int c = 0; c < v.channelCount(); c++) {
            float[] ours = v.channel(c);
            for (int i = 0; i < voxels; i++) {
                float ref = expected[c * voxels + i];
                if (Math.abs(ours[i] - ref) > 1e-6 * Math.max(1, Math.abs(ref))
                        && !(Float.isNaN(ours[i]) && Float.isNaN(ref))) {
                    throw new AssertionError(name + " channel " + c + " voxel " + i + ": ours " + ours[i]
                            + ", nibabel " + ref);
                }
            }
        }
    }
}
