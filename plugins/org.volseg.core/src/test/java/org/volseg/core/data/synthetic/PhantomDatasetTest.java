package org.volseg.core.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.NiftiDatatype;
import org.volseg.core.io.NiftiImage;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.volume.Volume;

class PhantomDatasetTest {

    @TempDir
    Path dir;

    @Test
    void idsAreNumberedAndSeedsDifferPerCase() {
        PhantomDataset dataset = new PhantomDataset(42, PhantomSpec.cube(16));
        assertThat(PhantomDataset.id(0)).isEqualTo("phantom_000");
        assertThat(PhantomDataset.id(7)).isEqualTo("phantom_007");
        assertThat(PhantomDataset.id(1234)).isEqualTo("phantom_1234");
        assertThat(Stream.of(0, 1, 2, 3).map(dataset::caseSeed).distinct()).hasSize(4);
        assertThat(new PhantomDataset(43, PhantomSpec.cube(16)).caseSeed(0)).isNotEqualTo(dataset.caseSeed(0));
    }

    @Test
    void aCaseIsTheSameAloneOrInTheDataset() {
        PhantomDataset dataset = new PhantomDataset(5, PhantomSpec.cube(16));
        List<Phantom> all = dataset.generateAll(3);
        assertThat(all).extracting(Phantom::id).containsExactly("phantom_000", "phantom_001", "phantom_002");
        Phantom alone = dataset.generate(2);
        assertThat(alone.seed()).isEqualTo(all.get(2).seed());
        assertThat(alone.image().channel(3)).containsExactly(all.get(2).image().channel(3));
        assertThat(all.get(1).labels().toFloats()).isNotEqualTo(all.get(2).labels().toFloats());
    }

    @Test
    void writesBratsLayoutThatReadsBackExactly() throws IOException {
        PhantomDataset dataset = new PhantomDataset(9, PhantomSpec.of(16, 18, 14, 1.0, 1.0, 1.5));
        List<Path> cases = dataset.write(dir, 2);
        assertThat(cases).containsExactly(dir.resolve("phantom_000"), dir.resolve("phantom_001"));
        try (Stream<Path> files = Files.list(cases.get(1))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                    "phantom_001_t1.nii.gz", "phantom_001_t1ce.nii.gz", "phantom_001_t2.nii.gz",
                    "phantom_001_flair.nii.gz", "phantom_001_seg.nii.gz");
        }
        Phantom expected = dataset.generate(1);
        for (MrContrast contrast : MrContrast.values()) {
            NiftiImage read = NiftiReader.read(PhantomFiles.channelFile(cases.get(1), "phantom_001", contrast));
            Volume v = read.volume();
            assertThat(v.channelCount()).isEqualTo(1);
            assertThat(v.geometry().sameGrid(expected.image().geometry(), 1e-6)).isTrue();
            assertThat(v.channel(0)).containsExactly(expected.channel(contrast));
        }
        NiftiImage seg = NiftiReader.read(PhantomFiles.labelFile(cases.get(1), "phantom_001"));
        assertThat(seg.header().datatype()).isEqualTo(NiftiDatatype.UINT8);
        assertThat(seg.volume().channel(0)).containsExactly(expected.labels().toFloats());
    }
}
