package org.volseg.core.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

class TransformChainTest {

    private static final Geometry INPUT = TestVolumes.grid("LPS", 32, 28, 20, 0.9, 1.1, 2.0);

    @Test
    void anExactPipelineIsUndoneBitForBit() {
        Volume image = TestVolumes.indexVolume(INPUT);
        LabelMap labels = TestVolumes.blobs(INPUT);
        TransformChain chain = TransformChain.startingAt(INPUT)
                .then(grid -> Reorientation.toRas(grid))
                .then(Cropping.toForeground(Reorientation.toRas(INPUT).apply(labels), 1))
                .then(grid -> Padding.toMultipleOf(grid, 8, 8, 8))
                .then(grid -> Reorientation.flip(grid, true, false, true));
        assertThat(chain.exact()).isTrue();
        assertThat(chain.steps()).hasSize(4);

        Volume transformed = chain.apply(image);
        assertThat(transformed.geometry()).isEqualTo(chain.target());
        assertThat(transformed.geometry().nx() % 8).isZero();

        TransformChain inverse = chain.inverse();
        assertThat(inverse.target()).isEqualTo(INPUT);
        LabelMap labelsBack = chain.invert(chain.apply(labels));
        assertThat(labelsBack.geometry()).isEqualTo(INPUT);
        assertThat(TestVolumes.labelsOf(labelsBack)).isEqualTo(TestVolumes.labelsOf(labels));

        // every voxel that survived the crop is back where it was, bit for bit; the rest is the fill (0)
        Volume back = chain.invert(transformed);
        Volume ones = Volume.zeros(INPUT, 1);
        Arrays.fill(ones.channel(0), 1f);
        float[] survived = chain.invert(chain.apply(ones)).channel(0);
        Box crop = Cropping.foreground(Reorientation.toRas(INPUT).apply(labels), 1);
        int kept = 0;
        for (int i = 0; i < INPUT.voxels(); i++) {
            boolean inside = survived[i] == 1f;
            kept += inside ? 1 : 0;
            assertThat(back.channel(0)[i]).isEqualTo(inside ? image.channel(0)[i] : 0f);
            assertThat(back.channel(1)[i]).isEqualTo(inside ? image.channel(1)[i] : 0f);
        }
        assertThat(kept).isEqualTo(crop.sizeX() * crop.sizeY() * crop.sizeZ()).isLessThan(INPUT.voxels());
    }

    @Test
    void theComposedVoxelMapMatchesTheSteps() {
        TransformChain chain = TransformChain.startingAt(INPUT)
                .then(Reorientation::toRas)
                .then(grid -> Resampling.toSpacing(grid, 1.5))
                .then(grid -> Padding.toMinimumSize(grid, 24, 24, 32));
        Geometry target = chain.target();
        assertThat(chain.exact()).isFalse();
        assertThat(target.affine().approximatelyEquals(
                INPUT.affine().times(chain.targetToSourceVoxels()), 1e-9)).isTrue();
    }

    @Test
    void aPredictionOnTheResampledGridGoesBackToTheInputGrid() {
        LabelMap labels = TestVolumes.blobs(INPUT);
        TransformChain chain = TransformChain.startingAt(INPUT)
                .then(Reorientation::toRas)
                .then(grid -> Resampling.toSpacing(grid, 1.2, 1.2, 1.2))
                .then(grid -> Padding.toMultipleOf(grid, 16, 16, 16));
        LabelMap onNetworkGrid = chain.apply(labels);
        LabelMap back = chain.invert(onNetworkGrid);
        assertThat(back.geometry().sameGrid(INPUT, 1e-9)).isTrue();
        assertThat(back.geometry()).isEqualTo(INPUT);
        assertThat(back.labels()).containsExactly(labels.labels());
        int[] original = TestVolumes.labelsOf(labels);
        int[] returned = TestVolumes.labelsOf(back);
        int agree = 0;
        for (int i = 0; i < original.length; i++) {
            agree += original[i] == returned[i] ? 1 : 0;
        }
        assertThat((double) agree / original.length).isGreaterThan(0.95);
    }

    @Test
    void aStepPlannedOnAnotherGridIsRefused() {
        TransformChain chain = TransformChain.startingAt(INPUT).then(Reorientation::toRas);
        assertThatThrownBy(() -> chain.then(Padding.toMinimumSize(INPUT, 40, 40, 40)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyChainCopies() {
        Volume image = TestVolumes.noise(INPUT, 1);
        TransformChain empty = TransformChain.startingAt(INPUT);
        Volume copy = empty.apply(image);
        assertThat(copy.channel(0)).isEqualTo(image.channel(0)).isNotSameAs(image.channel(0));
        assertThat(empty.inverse().target()).isEqualTo(INPUT);
    }
}
