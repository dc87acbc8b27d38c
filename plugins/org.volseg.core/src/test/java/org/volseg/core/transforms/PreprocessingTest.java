package org.volseg.core.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;

class PreprocessingTest {

    @Test
    void reorientsResamplesNormalisesAndKnowsItsWayBack() {
        Geometry lps = Reorientation.to(Geometry.of(20, 10, 6, 1, 1, 2), "LPS").target();
        float[] ramp = new float[lps.voxels()];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = 100 + i % 20;
        }
        Preprocessing p = Preprocessing.defaults().withSpacing(2);

        Preprocessing.Prepared prepared = p.prepare(new Volume(lps, ramp));

        Geometry g = prepared.image().geometry();
        assertThat(g.orientation()).isEqualTo("RAS");
        assertThat(new int[] {g.nx(), g.ny(), g.nz()}).containsExactly(10, 5, 6);
        assertThat(g.spacingX()).isEqualTo(2.0);
        double sum = 0;
        for (float v : prepared.image().channel(0)) {
            sum += v;
        }
        assertThat(sum / g.voxels()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(prepared.transform().inverse().target()).isEqualTo(lps);
        assertThat(prepared.transform().exact()).isFalse();
        assertThat(Preprocessing.defaults().plan(lps).exact()).isTrue();
    }

    /**
     * Deferred, the normalisation is what {@code prepare} applies, map by map; on an unchanged grid the image is the
     * input itself (no copy), on a changed one it is moved but not normalised.
     */
    @Test
    void deferredNormalisationIsTheSameScalingAndCopiesNothingOnTheSameGrid() {
        Geometry ras = Geometry.of(12, 10, 8, 1, 1, 1);
        Volume image = Volume.zeros(ras, 2);
        for (int i = 0; i < ras.voxels(); i++) {
            image.channel(0)[i] = 50 + i % 13;
            image.channel(1)[i] = i % 5 == 0 ? 0 : -3 + i % 7;
        }
        for (Preprocessing p : List.of(Preprocessing.defaults(), new Preprocessing("LPS", List.of(),
                Preprocessing.Normalization.ZSCORE_NONZERO), new Preprocessing(null, List.of(),
                        Preprocessing.Normalization.NONE))) {
            Preprocessing.Prepared applied = p.prepare(image);
            Preprocessing.Prepared deferred = p.prepareDeferringNormalization(image);
            assertThat(applied.scalings()).isEmpty();
            assertThat(deferred.scalings()).hasSize(p.normalization() == Preprocessing.Normalization.NONE ? 0 : 2);
            Volume normalised = deferred.scalings().isEmpty() ? deferred.image()
                    : IntensityNormalization.scaled(deferred.image(), deferred.scalings());
            for (int c = 0; c < 2; c++) {
                assertThat(normalised.channel(c)).as(p + " channel " + c).isEqualTo(applied.image().channel(c));
            }
            boolean sameGrid = p.orientation() == null || p.orientation().equals("RAS");
            assertThat(deferred.image() == image).as(p.toString()).isEqualTo(sameGrid);
            assertThat(deferred.transform().isIdentity()).isEqualTo(sameGrid);
        }
    }

    @Test
    void aManifestRoundTripGivesTheSamePreprocessing() {
        for (Preprocessing p : List.of(Preprocessing.defaults(), Preprocessing.defaults().withSpacing(1.5),
                new Preprocessing(null, List.of(0.8, 0.8, 3.0), Preprocessing.Normalization.NONE),
                Preprocessing.defaults().withCropToNonzero(true))) {
            assertThat(Preprocessing.fromMap(p.toMap())).isEqualTo(p);
        }
        assertThat(Preprocessing.defaults().toMap()).containsEntry("orientation", "RAS")
                .containsEntry("spacing_mm", "keep").containsEntry("normalization", "zscore")
                .containsEntry("crop_to_nonzero", false);
        Map<String, Object> older = new HashMap<>(Preprocessing.defaults().toMap());
        older.remove("crop_to_nonzero"); // bundles written before the crop existed
        assertThat(Preprocessing.fromMap(older)).isEqualTo(Preprocessing.defaults());
    }

    @Test
    void theCropKeepsTheNonZeroBoxAndKnowsItsWayBack() {
        Geometry g = Geometry.of(20, 16, 12, 1, 1, 1);
        Volume image = Volume.zeros(g, 2);
        image.set(0, 4, 5, 6, 3f); // the box spans both channels' non-zero voxels
        image.set(1, 9, 11, 2, 1f);
        Preprocessing.Prepared prepared = new Preprocessing(null, List.of(), Preprocessing.Normalization.NONE, true)
                .prepare(image);
        Geometry cropped = prepared.image().geometry();
        assertThat(new int[] {cropped.nx(), cropped.ny(), cropped.nz()}).containsExactly(6, 7, 5);
        assertThat(prepared.crop().target()).isEqualTo(cropped);
        assertThat(prepared.afterCrop().source()).isEqualTo(cropped);
        assertThat(prepared.image().get(0, 0, 0, 4)).isEqualTo(3f);
        assertThat(prepared.transform().inverse().target()).isEqualTo(g);
        assertThat(prepared.transform().invert(prepared.image()).channel(0)).isEqualTo(image.channel(0));
        var pair = Preprocessing.defaults().withCropToNonzero(true).prepare(image, org.volseg.core.volume.LabelMap
                .create(g, 1));
        assertThat(pair.labels().geometry().sameGrid(pair.image().geometry(), 1e-6)).isTrue();
        assertThat(pair.image().geometry().voxels()).isEqualTo(6 * 7 * 5);
    }

    @Test
    void badFieldsAreNamed() {
        Map<String, Object> map = new HashMap<>(Preprocessing.defaults().toMap());
        map.put("normalization", "minmax");
        assertThatThrownBy(() -> Preprocessing.fromMap(map)).hasMessageContaining("normalization")
                .hasMessageContaining("minmax");
        map.put("normalization", "zscore");
        map.put("spacing_mm", List.of(1, -1, 1));
        assertThatThrownBy(() -> Preprocessing.fromMap(map)).hasMessageContaining("spacing");
        map.put("spacing_mm", "keep");
        map.put("orientation", "RAR");
        assertThatThrownBy(() -> Preprocessing.fromMap(map)).hasMessageContaining("RAR");
        map.remove("orientation");
        assertThatThrownBy(() -> Preprocessing.fromMap(map)).hasMessageContaining("orientation");
    }
}
