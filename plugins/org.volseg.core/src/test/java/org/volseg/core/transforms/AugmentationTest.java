package org.volseg.core.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

class AugmentationTest {

    /** Cubic in x–y so that quarter turns there keep the size; anisotropic along z. */
    private static final Geometry GRID = TestVolumes.grid("LPS", 24, 24, 20, 1.0, 1.0, 1.6);

    private static final RandomAffine ROTATE_AND_ZOOM = new RandomAffine(1, 0.3, 0.3, 0.5, 0.8, 1.25);

    private static final List<RandomGeometricTransform> SPATIAL = List.of(
            new RandomFlip(0.5),
            new RandomRotate90(1, 0, 1),
            ROTATE_AND_ZOOM,
            RandomGeometricTransform.sequence(new RandomFlip(0.5), new RandomRotate90(0.8, 0, 1), ROTATE_AND_ZOOM));

    private static final List<RandomIntensityTransform> INTENSITY = List.of(
            new RandomScaleShift(1, 0.75, 1.25, -0.1, 0.1),
            new RandomGamma(1, 0.7, 1.5),
            new RandomGaussianNoise(1, 0.1));

    private static Volume image() {
        return TestVolumes.noise(GRID, 11);
    }

    @Test
    void theSameSeedGivesTheSameResult() {
        for (RandomGeometricTransform augmentation : SPATIAL) {
            Volume a = augmentation.sample(GRID, new SplittableRandom(42)).apply(image());
            Volume b = augmentation.sample(GRID, new SplittableRandom(42)).apply(image());
            assertThat(a.channel(0)).as("%s", augmentation).isEqualTo(b.channel(0));
            assertThat(a.geometry()).isEqualTo(b.geometry());
        }
        for (RandomIntensityTransform augmentation : INTENSITY) {
            Volume a = augmentation.apply(image(), new SplittableRandom(42));
            Volume b = augmentation.apply(image(), new SplittableRandom(42));
            assertThat(a.channel(0)).as("%s", augmentation).isEqualTo(b.channel(0));
        }
    }

    @Test
    void differentSeedsGiveDifferentResults() {
        for (RandomGeometricTransform augmentation : SPATIAL) {
            // a flip can draw the same axes for two seeds; over eight seeds it must not always
            long distinct = LongStream.range(0, 8)
                    .mapToObj(seed -> augmentation.sample(GRID, new SplittableRandom(seed)).apply(image()))
                    .map(v -> Arrays.hashCode(v.channel(0)))
                    .distinct().count();
            assertThat(distinct).as("%s", augmentation).isGreaterThan(1);
        }
        for (RandomIntensityTransform augmentation : INTENSITY) {
            Volume a = augmentation.apply(image(), new SplittableRandom(1));
            Volume b = augmentation.apply(image(), new SplittableRandom(2));
            assertThat(a.channel(0)).as("%s", augmentation).isNotEqualTo(b.channel(0));
        }
    }

    @Test
    void imageAndLabelsStayAlignedUnderEverySpatialAugmentation() {
        LabelMap labels = TestVolumes.blobs(GRID);
        Volume labelsAsImage = new Volume(GRID, labels.toFloats());
        for (RandomGeometricTransform augmentation : SPATIAL) {
            for (long seed = 0; seed < 4; seed++) {
                GeometricTransform drawn = augmentation.sample(GRID, new SplittableRandom(seed));
                ImageAndLabels pair = drawn.apply(new ImageAndLabels(labelsAsImage, labels));
                // read the image at the nearest voxel too: then it must equal the labels voxel for voxel
                Volume nearest = nearestImages(drawn).apply(labelsAsImage);
                assertThat(nearest.channel(0)).as("%s seed %d", augmentation, seed)
                        .isEqualTo(pair.labels().toFloats());
                assertThat(pair.image().geometry()).isEqualTo(pair.labels().geometry());
            }
        }
    }

    /** The drawn transform with images read at the nearest voxel (exact transforms already copy voxels). */
    private static GeometricTransform nearestImages(GeometricTransform drawn) {
        if (drawn instanceof ResamplingTransform resampling) {
            return resampling.withImageInterpolation(Interpolation.NEAREST);
        }
        if (drawn instanceof TransformChain chain) {
            TransformChain nearest = TransformChain.startingAt(chain.source());
            for (GeometricTransform step : chain.steps()) {
                nearest = nearest.then(nearestImages(step));
            }
            return nearest;
        }
        return drawn;
    }

    @Test
    void trilinearImagesAgreeWithNearestLabelsUnderRotationAndZoom() {
        LabelMap labels = TestVolumes.blobs(GRID);
        Volume box = Volume.zeros(GRID, 1); // a one-hot channel of label 1
        for (int i = 0; i < GRID.voxels(); i++) {
            box.channel(0)[i] = labels.get(i) == 1 ? 1f : 0f;
        }
        GeometricTransform drawn = ROTATE_AND_ZOOM.sample(GRID, new SplittableRandom(3));
        float[] soft = drawn.apply(box).channel(0);
        LabelMap moved = drawn.apply(labels);
        int union = 0;
        int agree = 0;
        for (int i = 0; i < soft.length; i++) {
            boolean inImage = soft[i] > 0.5f;
            boolean inLabels = moved.get(i) == 1;
            if (inImage || inLabels) {
                union++;
                agree += inImage == inLabels ? 1 : 0;
            }
        }
        assertThat(union).isGreaterThan(200);
        assertThat((double) agree / union).isGreaterThan(0.9);
    }

    @Test
    void aDrawnSpatialAugmentationInvertsForTestTimeAugmentation() {
        Volume image = image();
        GeometricTransform flipAndTurn = RandomGeometricTransform.sequence(new RandomFlip(1),
                new RandomRotate90(1, 0, 1)).sample(GRID, new SplittableRandom(9));
        assertThat(flipAndTurn.exact()).isTrue();
        Volume back = flipAndTurn.invert(flipAndTurn.apply(image));
        assertThat(back.geometry()).isEqualTo(GRID);
        assertThat(back.channel(0)).isEqualTo(image.channel(0));
    }

    @Test
    void augmentationsThatDoNotFireChangeNothing() {
        Volume image = image();
        SplittableRandom random = new SplittableRandom(0);
        assertThat(new RandomAffine(0, 1, 1, 1, 0.5, 2).sample(GRID, random).apply(image).channel(0))
                .isEqualTo(image.channel(0));
        assertThat(new RandomFlip(0).sample(GRID, random).apply(image).channel(0)).isEqualTo(image.channel(0));
        assertThat(new RandomGaussianNoise(0, 1).apply(image, random).channel(0)).isEqualTo(image.channel(0));
        assertThat(new RandomGamma(0, 0.5, 2).apply(image, random).channel(0)).isEqualTo(image.channel(0));
    }

    @Test
    void gammaKeepsTheRangeAndNoiseHasTheDrawnSpread() {
        Volume image = image();
        float[] in = image.channel(0);
        float[] gamma = new RandomGamma(1, 2, 2).apply(image, new SplittableRandom(4)).channel(0);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        int lowest = 0;
        for (int i = 0; i < in.length; i++) {
            min = Math.min(min, gamma[i]);
            max = Math.max(max, gamma[i]);
            lowest = in[i] < in[lowest] ? i : lowest;
        }
        assertThat(gamma[lowest]).isEqualTo(in[lowest]);
        assertThat(min).isCloseTo(in[lowest], within(1e-6f));
        assertThat(max).isLessThanOrEqualTo(1f);
        double spread = 0;
        float[] noisy = new RandomGaussianNoise(1, 0.2).apply(image, new SplittableRandom(4)).channel(0);
        double mean = 0;
        for (int i = 0; i < in.length; i++) {
            mean += noisy[i] - in[i];
            spread += (noisy[i] - in[i]) * (noisy[i] - in[i]);
        }
        mean /= in.length;
        assertThat(mean).isCloseTo(0, within(0.01));
        assertThat(Math.sqrt(spread / in.length)).isBetween(0.0, 0.2);
    }

    @Test
    void rotationAndZoomKeepWorldPositions() {
        ResamplingTransform drawn = RandomAffine.rotateAndZoom(GRID, 0.2, -0.1, 0.3, 1.2);
        Geometry target = drawn.target();
        assertThat(target.spacingX()).isCloseTo(GRID.spacingX() / 1.2, within(1e-9));
        assertThat(target.spacingZ()).isCloseTo(GRID.spacingZ() / 1.2, within(1e-9));
        // the centre stays put, and each target voxel centre is the world point of the source position it reads
        double[] centre = GRID.voxelToWorld(11.5, 11.5, 9.5);
        double[] newCentre = target.voxelToWorld(11.5, 11.5, 9.5);
        for (int a = 0; a < 3; a++) {
            assertThat(newCentre[a]).isCloseTo(centre[a], within(1e-9));
        }
        double[] s = drawn.targetToSourceVoxels().apply(3, 5, 7);
        double[] viaSource = GRID.voxelToWorld(s[0], s[1], s[2]);
        double[] direct = target.voxelToWorld(3, 5, 7);
        for (int a = 0; a < 3; a++) {
            assertThat(direct[a]).isCloseTo(viaSource[a], within(1e-9));
        }
    }
}
