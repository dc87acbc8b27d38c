package org.volseg.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.volseg.core.data.ReferenceData;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/**
 * Whole 181×217×181 label maps: a class whose block is nearly the whole grid (done alone, all cores inside), and the
 * 116 small regions of the AAL atlas (done side by side). Speed is measured in bench/, not here.
 */
class BrainSizedMapsTest {

    @Test
    void classFillingMostOfTheGridBesideSmallerOnes() {
        Geometry g = Geometry.of(181, 217, 181, 1, 1, 1);
        LabelMap reference = LabelMap.create(g, 5);
        LabelMaps.fillSphere(reference, 1, 90, 108, 90, 85);
        LabelMaps.fillSphere(reference, 2, 60, 100, 90, 20);
        LabelMaps.fillSphere(reference, 3, 120, 100, 90, 20);
        LabelMaps.fillBox(reference, 4, 80, 60, 40, 100, 150, 60);
        LabelMap predicted = LabelMap.create(g, 5);
        LabelMaps.fillSphere(predicted, 1, 92, 107, 91, 85);
        LabelMaps.fillSphere(predicted, 2, 61, 100, 90, 21);
        LabelMaps.fillSphere(predicted, 3, 120, 102, 89, 19);
        LabelMaps.fillBox(predicted, 4, 80, 60, 43, 100, 150, 63); // the box 3 voxels up

        List<ClassMetrics> metrics = SegmentationMetrics.compute(reference, predicted);

        assertThat(metrics).extracting(ClassMetrics::label).containsExactly(1, 2, 3, 4);
        ClassMetrics box = metrics.get(3);
        assertThat(box.hd95Mm()).isEqualTo(3);
        assertThat(box.dice()).isCloseTo(18.0 / 21, within(1e-15));
        // the big sphere moved by (2, −1, 1) voxels: every surface distance is at most √6
        assertThat(metrics.get(0).hd95Mm()).isBetween(1.0, Math.sqrt(6));
        assertThat(metrics.get(0).dice()).isBetween(0.95, 1.0);
    }

    @Test
    void allAalRegionsMovedByOneVoxel() throws Exception {
        Optional<Path> aal = ReferenceData.MRICRON_TEMPLATES.file("aal.nii.gz");
        assumeTrue(aal.isPresent(), "needs mricron-data");
        LabelMap atlas = LabelMaps.of(NiftiReader.read(aal.get()).volume());
        Geometry g = atlas.geometry();
        // the whole atlas moved one voxel along x and z
        LabelMap moved = LabelMap.create(g, atlas.capacity());
        for (int z = 1; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 1; x < g.nx(); x++) {
                    moved.set(x, y, z, atlas.get(x - 1, y, z - 1));
                }
            }
        }

        List<ClassMetrics> metrics = SegmentationMetrics.compute(atlas, moved);

        assertThat(metrics).hasSize(116);
        assertThat(metrics).allSatisfy(m -> {
            assertThat(m.hd95Mm()).isBetween(1.0, Math.sqrt(2));
            assertThat(m.assdMm()).isBetween(0.0, Math.sqrt(2));
            assertThat(m.predictedVoxels()).isEqualTo(m.referenceVoxels());
            assertThat(m.volumeDifferenceMm3()).isZero();
        });
        // the same as one class at a time, whatever ran side by side
        for (int label : new int[] {1, 58, 116}) {
            ClassMetrics alone = SegmentationMetrics.compute(atlas, moved, label).get(0);
            assertThat(metrics.get(label - 1)).isEqualTo(alone);
        }
    }
}
