package org.volseg.core.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

class CroppingPaddingTest {

    private static final Geometry GRID = TestVolumes.grid("LPS", 32, 28, 24, 0.9, 1.1, 1.7);

    /** Labels only in one box: x 5..11, y 8..20, z 3..9. */
    private static LabelMap boxLabels() {
        LabelMap labels = LabelMap.create(GRID, 2);
        for (int z = 3; z <= 9; z++) {
            for (int y = 8; y <= 20; y++) {
                for (int x = 5; x <= 11; x++) {
                    labels.set(x, y, z, x < 8 ? 1 : 2);
                }
            }
        }
        return labels;
    }

    @Test
    void theForegroundBoxIsTheLabelsBoundingBoxGrownAndCutToTheGrid() {
        LabelMap labels = boxLabels();
        assertThat(Cropping.foreground(labels, 0)).isEqualTo(Box.spanning(5, 8, 3, 11, 20, 9));
        assertThat(Cropping.foreground(labels, 4)).isEqualTo(Box.spanning(1, 4, 0, 15, 24, 13));
        assertThat(Cropping.foreground(LabelMap.create(GRID, 1), 3)).isEqualTo(Box.of(GRID));
        Volume image = new Volume(GRID, labels.toFloats());
        assertThat(Cropping.foreground(image, 2)).isEqualTo(Box.spanning(3, 6, 1, 13, 22, 11));
    }

    @Test
    void cropKeepsWorldPositionsAndUncropPutsTheDataBack() {
        LabelMap labels = boxLabels();
        Volume image = TestVolumes.noise(GRID, 3);
        AxisAlignedTransform crop = Cropping.toForeground(labels, 2);
        Box box = Cropping.foreground(labels, 2);

        Volume cropped = crop.apply(image);
        assertThat(cropped.geometry().nx()).isEqualTo(box.sizeX());
        assertThat(TestVolumes.worldDistance(cropped.geometry(), 0, 0, 0, GRID, box.x(), box.y(), box.z()))
                .isLessThan(1e-9);
        assertThat(cropped.get(0, 1, 2, 3)).isEqualTo(image.get(0, box.x() + 1, box.y() + 2, box.z() + 3));

        Volume uncropped = crop.inverse().withFill(-7f, 0).apply(cropped);
        assertThat(uncropped.geometry()).isEqualTo(GRID);
        for (int z = 0; z < GRID.nz(); z++) {
            for (int y = 0; y < GRID.ny(); y++) {
                for (int x = 0; x < GRID.nx(); x++) {
                    float expected = box.contains(x, y, z) ? image.get(0, x, y, z) : -7f;
                    assertThat(uncropped.get(0, x, y, z)).isEqualTo(expected);
                }
            }
        }
        LabelMap labelsBack = crop.invert(crop.apply(labels));
        assertThat(TestVolumes.labelsOf(labelsBack)).isEqualTo(TestVolumes.labelsOf(labels));
    }

    @Test
    void aCropIsFoundAgainFromTheTwoGridsAlone() {
        AxisAlignedTransform crop = Cropping.crop(GRID, new Box(3, 5, 2, 10, 12, 9));
        AxisAlignedTransform reorientedCrop = Reorientation.to(crop.target(), "SPR");
        // as if the cropped, reoriented grid had been written to a file and read back in single precision
        double[] stored = reorientedCrop.target().affine().toArray();
        for (int k = 0; k < 12; k++) {
            stored[k] = (float) stored[k];
        }
        Geometry readBack = new Geometry(reorientedCrop.target().nx(), reorientedCrop.target().ny(),
                reorientedCrop.target().nz(), Affine.of(stored));
        AxisAlignedTransform found = AxisAlignedTransform.between(GRID, readBack);
        assertThat(found.targetToSourceVoxels()).isEqualTo(
                crop.targetToSourceVoxels().times(reorientedCrop.targetToSourceVoxels()));
        Volume image = TestVolumes.noise(GRID, 4);
        Volume onCrop = TransformChain.startingAt(GRID).then(crop).then(reorientedCrop).apply(image)
                .withGeometry(readBack);
        Volume back = found.invert(onCrop);
        assertThat(back.geometry()).isEqualTo(GRID);
        assertThat(back.get(0, 3, 5, 2)).isEqualTo(image.get(0, 3, 5, 2));
        assertThat(back.get(0, 12, 16, 10)).isEqualTo(image.get(0, 12, 16, 10));
        assertThat(back.get(0, 13, 16, 10)).isZero();

        Geometry halfVoxelOff = new Geometry(4, 4, 4, GRID.affine().times(
                Affine.of(1, 0, 0, 0.5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)));
        assertThatThrownBy(() -> AxisAlignedTransform.between(GRID, halfVoxelOff))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uncroppingProbabilitiesFillsEachChannelWithItsOwnValue() {
        AxisAlignedTransform crop = Cropping.crop(GRID, new Box(4, 4, 4, 8, 8, 8));
        Volume probabilities = Volume.zeros(crop.target(), 2);
        Arrays.fill(probabilities.channel(1), 0.75f);
        Volume back = crop.inverse().apply(probabilities, new float[] {1f, 0f});
        assertThat(back.get(0, 0, 0, 0)).isEqualTo(1f);
        assertThat(back.get(1, 0, 0, 0)).isEqualTo(0f);
        assertThat(back.get(0, 5, 5, 5)).isEqualTo(0f);
        assertThat(back.get(1, 5, 5, 5)).isEqualTo(0.75f);
    }

    @Test
    void padToAMultipleSplitsEvenlyKeepsWorldAndCropsBackExactly() {
        Geometry grid = TestVolumes.grid("RAS", 17, 20, 9, 1, 1, 2);
        Volume image = TestVolumes.indexVolume(grid);
        AxisAlignedTransform pad = Padding.toMultipleOf(grid, 16, 16, 8).withFill(-1f, 0);
        Volume padded = pad.apply(image);
        Geometry target = padded.geometry();
        assertThat(new int[] {target.nx(), target.ny(), target.nz()}).containsExactly(32, 32, 16);
        // 15 extra along x: 7 before, 8 after; 12 along y: 6 and 6; 7 along z: 3 and 4
        assertThat(padded.get(0, 7, 6, 3)).isEqualTo(image.get(0, 0, 0, 0));
        assertThat(padded.get(0, 6, 6, 3)).isEqualTo(-1f);
        assertThat(padded.get(0, 23, 25, 11)).isEqualTo(image.get(0, 16, 19, 8));
        assertThat(padded.get(0, 24, 25, 11)).isEqualTo(-1f);
        assertThat(TestVolumes.worldDistance(target, 7, 6, 3, grid, 0, 0, 0)).isLessThan(1e-9);

        Volume back = pad.invert(padded);
        assertThat(back.geometry()).isEqualTo(grid);
        assertThat(back.channel(0)).isEqualTo(image.channel(0));
        assertThat(back.channel(1)).isEqualTo(image.channel(1));
    }

    @Test
    void padToAMinimumSizeLeavesLargeAxesAlone() {
        Geometry grid = TestVolumes.grid("RAS", 20, 10, 5, 1, 1, 1);
        AxisAlignedTransform pad = Padding.toMinimumSize(grid, 16, 16, 16);
        assertThat(new int[] {pad.target().nx(), pad.target().ny(), pad.target().nz()})
                .containsExactly(20, 16, 16);
        LabelMap labels = TestVolumes.blobs(grid);
        LabelMap padded = pad.withFill(0f, 0).apply(labels);
        assertThat(padded.get(0, 3, 5)).isZero();
        assertThat(TestVolumes.labelsOf(pad.invert(padded))).isEqualTo(TestVolumes.labelsOf(labels));
    }
}
