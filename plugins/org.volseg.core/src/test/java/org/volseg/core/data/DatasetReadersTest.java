package org.volseg.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.io.VolumeFormatException;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;

class DatasetReadersTest {

    private static final Geometry GRID = Geometry.of(4, 4, 3, 1, 1, 2);

    @TempDir
    Path dir;

    private Path nifti(String relative, Geometry g) throws IOException {
        Path file = dir.resolve(relative);
        NiftiWriter.write(file, Volume.zeros(g, 1), NiftiWriter.Options.defaults());
        return file;
    }

    @Test
    void folderPatternWithChannelsAndOptionalLabels() throws IOException {
        for (String id : List.of("b_002", "a_001")) {
            nifti("imagesTr/" + id + "_0000.nii.gz", GRID);
            nifti("imagesTr/" + id + "_0001.nii.gz", GRID);
        }
        nifti("labelsTr/a_001.nii.gz", GRID);

        Dataset d = DatasetReaders.folder(dir, "imagesTr/{id}_{channel}.nii.gz", "labelsTr/{id}.nii.gz");

        assertThat(d.cases()).extracting(Case::id).containsExactly("a_001", "b_002");
        Case a = d.cases().get(0);
        assertThat(a.images()).extracting(p -> p.getFileName().toString())
                .containsExactly("a_001_0000.nii.gz", "a_001_0001.nii.gz");
        assertThat(a.labeled()).isTrue();
        assertThat(d.cases().get(1).labeled()).as("no label file: unlabeled, kept").isFalse();
    }

    @Test
    void folderPatternMatchingNothingIsRefused() {
        assertThatThrownBy(() -> DatasetReaders.folder(dir, "{id}.nii", null))
                .isInstanceOf(DatasetFormatException.class).hasMessageContaining("no file below the folder matches");
    }

    @Test
    void csvManifestWithQuotesSeveralChannelsAndEmptyLabels() throws IOException {
        nifti("img/one t1.nii", GRID);
        nifti("img/one_t2.nii", GRID);
        nifti("img/two.nii", GRID);
        nifti("lab/one.nii", GRID);
        Path csv = Files.writeString(dir.resolve("cases.csv"), "\uFEFFid,image,label\r\n"
                + "one,\"img/one t1.nii;img/one_t2.nii\",lab/one.nii\r\n"
                + "two,img/two.nii,\r\n");

        Dataset d = DatasetReaders.csv(csv);

        assertThat(d.cases()).hasSize(2);
        assertThat(d.cases().get(0).images()).hasSize(2);
        assertThat(d.cases().get(0).label()).isEqualTo(dir.resolve("lab/one.nii").toAbsolutePath());
        assertThat(d.cases().get(1).labeled()).isFalse();
    }

    @Test
    void csvNamingAMissingFileSaysRowAndColumn() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "id,image_0,image_1\nx,a.nii,b.nii\n");
        assertThatThrownBy(() -> DatasetReaders.csv(csv)).isInstanceOf(DatasetFormatException.class)
                .hasMessage("bad.csv: row 2 column image_0: names a.nii, which does not exist");
    }

    @Test
    void csvWithoutTheNeededColumnsSaysWhatItExpected() throws IOException {
        Path csv = Files.writeString(dir.resolve("cols.csv"), "name,file\nx,a.nii\n");
        assertThatThrownBy(() -> DatasetReaders.csv(csv)).hasMessageContaining("expected an 'id' column");
    }

    @Test
    void decathlonDatasetJsonInBothLabelStyles() throws IOException {
        nifti("imagesTr/BRATS_001.nii.gz", GRID);
        nifti("labelsTr/BRATS_001.nii.gz", GRID);
        nifti("imagesTs/BRATS_900.nii.gz", GRID);
        Path json = Files.writeString(dir.resolve("dataset.json"), """
                {"name": "BRATS", "modality": {"0": "FLAIR", "1": "T1w"},
                 "labels": {"0": "background", "1": "edema"},
                 "training": [{"image": "./imagesTr/BRATS_001.nii.gz", "label": "./labelsTr/BRATS_001.nii.gz"}],
                 "test": ["./imagesTs/BRATS_900.nii.gz"]}""");

        Dataset d = DatasetReaders.msd(json);

        assertThat(d.name()).isEqualTo("BRATS");
        assertThat(d.channelNames()).isEqualTo(Map.of(0, "FLAIR", 1, "T1w"));
        assertThat(d.labelNames()).isEqualTo(Map.of(0, "background", 1, "edema"));
        assertThat(d.cases()).extracting(Case::id).containsExactly("BRATS_001", "BRATS_900");
        assertThat(d.cases().get(1).labeled()).isFalse();

        Files.writeString(json, """
                {"channel_names": {"0": "CT"}, "labels": {"background": 0, "liver": 1},
                 "training": [{"image": "./imagesTr/BRATS_001.nii.gz", "label": "./labelsTr/BRATS_001.nii.gz"}]}""");
        assertThat(DatasetReaders.msd(json).labelNames()).isEqualTo(Map.of(0, "background", 1, "liver"));
    }

    @Test
    void decathlonErrorsNameTheEntry() throws IOException {
        Path json = Files.writeString(dir.resolve("dataset.json"),
                "{\"training\": [{\"image\": \"./imagesTr/x.nii.gz\", \"label\": \"./y.nii.gz\"}]}");
        assertThatThrownBy(() -> DatasetReaders.msd(json))
                .hasMessage("dataset.json: training[0].image: names ./imagesTr/x.nii.gz, which does not exist");
        Files.writeString(json, "{\"training\": [");
        assertThatThrownBy(() -> DatasetReaders.msd(json)).isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("dataset.json: json: is not valid JSON");
    }

    @Test
    void aLabelOnAnotherGridIsRefusedNamingBothFiles() throws IOException {
        Path image = nifti("img.nii", GRID);
        Path label = nifti("lab.nii", Geometry.of(4, 4, 3, 1, 1, 1));
        assertThat(CaseChecks.checkGeometry(new Case("ok", List.of(image), image))).isEqualTo(GRID);
        assertThatThrownBy(() -> CaseChecks.checkGeometry(new Case("x", List.of(image), label)))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageStartingWith("lab.nii: geometry: this label is 4×4×3 voxels of 1×1×1 mm (RAS, origin "
                        + "0,0,0 mm), but the image img.nii is 4×4×3 voxels of 1×1×2 mm (RAS, origin 0,0,0 mm)");
    }

    @Test
    void splitsAreDeterministicAndCoverEveryCaseOnce() {
        List<Case> cases = java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> new Case("c" + i, List.of(dir.resolve("c" + i + ".nii")), null)).toList();
        List<Splits.Split> folds = Splits.kFold(cases, 5, 7);
        assertThat(folds).hasSize(5);
        assertThat(folds.stream().flatMap(f -> f.validation().stream())).containsExactlyInAnyOrderElementsOf(cases);
        folds.forEach(f -> assertThat(f.training()).hasSize(8).doesNotContainAnyElementsOf(f.validation()));
        List<Case> reversed = new java.util.ArrayList<>(cases);
        java.util.Collections.reverse(reversed);
        assertThat(Splits.kFold(reversed, 5, 7)).isEqualTo(folds);
        assertThat(Splits.kFold(cases, 5, 8)).isNotEqualTo(folds);

        Splits.CrossValidation second = Splits.CrossValidation.parse(" 1/5 ");
        assertThat(second).hasToString("1/5");
        assertThat(second.of(reversed)).isEqualTo(Splits.kFold(cases, 5, Splits.FOLD_SEED).get(1));
        assertThat(Splits.CrossValidation.parse("none").isNone()).isTrue();
        assertThatThrownBy(() -> Splits.CrossValidation.parse("5/5")).hasMessage("a cross-validation fold is i/k "
                + "with k ≥ 2 folds and 0 ≤ i < k, got 5/5");
        assertThatThrownBy(() -> Splits.CrossValidation.parse("fold 1")).hasMessage("'fold 1' is neither none nor "
                + "a fold i/k such as 0/5");

        Splits.Split holdOut = Splits.holdOut(cases, 0.2, 1);
        assertThat(holdOut.validation()).hasSize(2);
        assertThat(holdOut.training()).hasSize(8);
    }
}
