package org.volseg.core.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

class ReorientationTest {

    private static final List<String> CODES = List.of("LPS", "LSA", "PIR", "RAS", "ILP");

    /**
     * Source grids of several orientations, non-cubic, so that a wrong permutation changes the dims; the last is
     * large enough to run slab-parallel.
     */
    private static List<Geometry> sources() {
        return List.of(
                TestVolumes.grid("LPS", 7, 5, 4, 0.9, 1.1, 2.5),
                TestVolumes.grid("LSA", 6, 4, 5, 1.2, 3.0, 0.8),
                TestVolumes.grid("PIR", 5, 6, 7, 1.0, 1.5, 2.0),
                TestVolumes.grid("RAS", 4, 7, 6, 0.7, 0.7, 1.4),
                TestVolumes.grid("LSA", 32, 24, 20, 0.8, 0.8, 3.0));
    }

    @Test
    void theTestGridsHaveTheOrientationsTheyClaim() {
        assertThat(sources()).extracting(Geometry::orientation)
                .containsExactly("LPS", "LSA", "PIR", "RAS", "LSA");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LPS", "LSA", "PIR", "RAS"})
    void reorientingAndBackIsBitIdenticalInDataAndAffine(String code) {
        for (Geometry source : sources()) {
            Volume image = TestVolumes.indexVolume(source);
            LabelMap labels = TestVolumes.blobs(source);
            AxisAlignedTransform reorient = Reorientation.to(source, code);

            Volume reoriented = reorient.apply(image);
            assertThat(reoriented.geometry().orientation()).isEqualTo(code);

            Volume back = reorient.inverse().apply(reoriented);
            assertThat(back.geometry()).isEqualTo(source);
            assertThat(back.geometry().affine()).isEqualTo(source.affine());
            for (int c = 0; c < image.channelCount(); c++) {
                assertThat(back.channel(c)).isEqualTo(image.channel(c));
            }
            LabelMap labelsBack = reorient.invert(reorient.apply(labels));
            assertThat(labelsBack.geometry()).isEqualTo(source);
            assertThat(TestVolumes.labelsOf(labelsBack)).isEqualTo(TestVolumes.labelsOf(labels));
        }
    }

    @Test
    void everyVoxelKeepsItsWorldPosition() {
        for (Geometry source : sources()) {
            Volume image = TestVolumes.indexVolume(source);
            for (String code : CODES) {
                Volume reoriented = Reorientation.to(source, code).apply(image);
                Geometry target = reoriented.geometry();
                double worst = 0;
                for (int z = 0; z < target.nz(); z++) {
                    for (int y = 0; y < target.ny(); y++) {
                        for (int x = 0; x < target.nx(); x++) {
                            int from = (int) reoriented.get(0, x, y, z);
                            int sx = from % source.nx();
                            int sy = from / source.nx() % source.ny();
                            int sz = from / (source.nx() * source.ny());
                            worst = Math.max(worst,
                                    TestVolumes.worldDistance(target, x, y, z, source, sx, sy, sz));
                        }
                    }
                }
                assertThat(worst).as("%s -> %s", source.orientation(), code).isLessThan(1e-9);
            }
        }
    }

    @Test
    void reorientingBackByCodeGivesTheSameDataAndGrid() {
        for (Geometry source : sources()) {
            Volume image = TestVolumes.indexVolume(source);
            Volume ras = Reorientation.toRas(source).apply(image);
            Volume back = Reorientation.to(ras.geometry(), source.orientation()).apply(ras);
            assertThat(back.geometry().sameGrid(source, 1e-9)).isTrue();
            assertThat(back.channel(0)).isEqualTo(image.channel(0));
        }
    }

    @Test
    void reorientingToTheSameCodeChangesNothing() {
        Geometry source = sources().get(0);
        AxisAlignedTransform same = Reorientation.to(source, "LPS");
        assertThat(same.target().nx()).isEqualTo(source.nx());
        assertThat(same.target().affine().approximatelyEquals(source.affine(), 0)).isTrue();
        assertThat(same.apply(TestVolumes.indexVolume(source)).channel(0))
                .isEqualTo(TestVolumes.indexVolume(source).channel(0));
    }

    @Test
    void rotate90MatchesNumpysRot90() {
        Geometry source = TestVolumes.grid("RAS", 5, 4, 3, 1, 1, 1);
        Volume image = TestVolumes.indexVolume(source);
        // numpy.rot90(a, 1, axes=(0, 2)) on a[x, y, z]: out[i, j, k] = a[k, j, nz - 1 - i]
        Volume turned = Reorientation.rotate90(source, 0, 2, 1).apply(image);
        Geometry g = turned.geometry();
        assertThat(new int[] {g.nx(), g.ny(), g.nz()}).containsExactly(3, 4, 5);
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    assertThat(turned.get(0, i, j, k)).isEqualTo(image.get(0, k, j, source.nz() - 1 - i));
                }
            }
        }
    }

    @Test
    void fourQuarterTurnsAndTwoFlipsAreIdentities() {
        Geometry source = TestVolumes.grid("LPS", 6, 5, 4, 1, 2, 3);
        Volume image = TestVolumes.indexVolume(source);
        Volume turned = image;
        for (int turn = 0; turn < 4; turn++) {
            turned = Reorientation.rotate90(turned.geometry(), 1, 2, 1).apply(turned);
        }
        assertThat(turned.channel(0)).isEqualTo(image.channel(0));
        assertThat(turned.geometry().sameGrid(source, 1e-9)).isTrue();

        AxisAlignedTransform flip = Reorientation.flip(source, true, false, true);
        Volume twice = Reorientation.flip(flip.target(), true, false, true).apply(flip.apply(image));
        assertThat(twice.channel(1)).isEqualTo(image.channel(1));
        assertThat(Reorientation.rotate90(source, 0, 1, 3).targetToSourceVoxels().approximatelyEquals(
                Reorientation.rotate90(source, 0, 1, -1).targetToSourceVoxels(), 0)).isTrue();
    }

    @Test
    void badCodesAreRefused() {
        Geometry source = sources().get(0);
        assertThatThrownBy(() -> Reorientation.to(source, "RAR")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reorientation.to(source, "RA")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reorientation.to(source, "XYZ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTransformRefusesDataOnAnotherGrid() {
        Geometry source = sources().get(0);
        AxisAlignedTransform reorient = Reorientation.toRas(source);
        Volume other = Volume.zeros(sources().get(1), 1);
        assertThatThrownBy(() -> reorient.apply(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("planned for");
    }
}
