package org.volseg.core.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.volseg.core.transforms.IntensityNormalization.Statistics;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

class IntensityNormalizationTest {

    private static final Geometry GRID = TestVolumes.grid("RAS", 32, 32, 24, 1, 1, 1.5);

    /** CT-like: air (−1000) outside a body of tissue around 40 HU with noise, a bright bone inside. */
    private static Volume ct() {
        LabelMap body = TestVolumes.blobs(GRID);
        SplittableRandom random = new SplittableRandom(5);
        Volume v = Volume.zeros(GRID, 2);
        for (int i = 0; i < GRID.voxels(); i++) {
            int label = body.get(i);
            double value = label == 0 ? -1000 : label == 2 ? 700 : 40;
            v.channel(0)[i] = (float) (value + 20 * random.nextGaussian());
            v.channel(1)[i] = label == 0 ? 0f : (float) (100 + 10 * label + random.nextGaussian());
        }
        return v;
    }

    /** numpy's default percentile: linear between the two nearest ranks. */
    private static double numpyPercentile(float[] values, double percent) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double rank = percent / 100 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    @Test
    void zScoreWithinAMaskHasMeanZeroAndDeviationOneThereAndZeroOutside() {
        Volume image = ct();
        LabelMap mask = TestVolumes.blobs(GRID);
        Volume normalized = IntensityNormalization.zScore(image, mask);
        for (int c = 0; c < 2; c++) {
            Statistics inside = IntensityNormalization.statistics(normalized, c, mask);
            assertThat(inside.count()).isEqualTo(GRID.voxels() - mask.histogram()[0]);
            assertThat(inside.mean()).isCloseTo(0, within(1e-5));
            assertThat(inside.standardDeviation()).isCloseTo(1, within(1e-5));
        }
        for (int i = 0; i < GRID.voxels(); i++) {
            if (mask.get(i) == 0) {
                assertThat(normalized.channel(0)[i]).isZero();
            }
        }
        // the input is left alone
        assertThat(image.channel(0)).isEqualTo(ct().channel(0));
    }

    @Test
    void zScoreOverNonZeroVoxelsLeavesZerosAlone() {
        Volume image = ct();
        Volume normalized = IntensityNormalization.zScoreNonZero(image);
        float[] in = image.channel(1);
        float[] out = normalized.channel(1);
        double sum = 0;
        double squares = 0;
        int count = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == 0) {
                assertThat(out[i]).isZero();
            } else {
                sum += out[i];
                squares += out[i] * out[i];
                count++;
            }
        }
        assertThat(sum / count).isCloseTo(0, within(1e-5));
        assertThat(Math.sqrt(squares / count)).isCloseTo(1, within(1e-5));
    }

    @Test
    void zScoreOverTheWholeGridAndWithGivenStatistics() {
        Volume image = ct();
        Volume normalized = IntensityNormalization.zScore(image);
        Statistics all = IntensityNormalization.statistics(normalized, 0, null);
        assertThat(all.mean()).isCloseTo(0, within(1e-5));
        assertThat(all.standardDeviation()).isCloseTo(1, within(1e-5));
        Volume given = IntensityNormalization.zScore(image, 40, 20);
        assertThat(given.get(0, 3, 4, 5)).isCloseTo((image.get(0, 3, 4, 5) - 40) / 20, within(1e-5f));
    }

    @Test
    void percentilesMatchNumpyAndClippingUsesThem() {
        Volume image = ct();
        double[] p = IntensityNormalization.percentiles(image, 0, null, 0.5, 50, 99.5);
        assertThat(p[0]).isCloseTo(numpyPercentile(image.channel(0), 0.5), within(1e-3));
        assertThat(p[1]).isCloseTo(numpyPercentile(image.channel(0), 50), within(1e-3));
        assertThat(p[2]).isCloseTo(numpyPercentile(image.channel(0), 99.5), within(1e-3));

        Volume clipped = IntensityNormalization.clipToPercentiles(image, 0.5, 99.5);
        float[] values = clipped.channel(0);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat((double) min).isCloseTo(p[0], within(1e-3));
        assertThat((double) max).isCloseTo(p[2], within(1e-3));
    }

    @Test
    void percentilesInAnyOrderOnDataFullOfTiesMatchNumpy() {
        Volume image = Volume.zeros(GRID, 1);
        SplittableRandom random = new SplittableRandom(8);
        float[] values = image.channel(0);
        for (int i = 0; i < values.length; i++) {
            // mostly air at exactly −1000, the rest a few hundred distinct levels
            values[i] = random.nextDouble() < 0.6 ? -1000f : random.nextInt(300) - 100.5f;
        }
        double[] asked = {99.5, 0, 60, 59.99, 0.5, 100, 60};
        double[] got = IntensityNormalization.percentiles(image, 0, null, asked);
        for (int k = 0; k < asked.length; k++) {
            assertThat(got[k]).as("percentile %s", asked[k]).isCloseTo(numpyPercentile(values, asked[k]),
                    within(1e-9));
        }
    }

    @Test
    void percentilesWithinAMaskSeeOnlyTheForeground() {
        Volume image = ct();
        LabelMap mask = TestVolumes.blobs(GRID);
        double[] p = IntensityNormalization.percentiles(image, 0, mask, 0, 100);
        assertThat(p[0]).isGreaterThan(-500); // no air
        Volume clipped = IntensityNormalization.clipToPercentiles(image, mask, 0.5, 99.5);
        assertThat(clipped.get(0, 0, 0, 0)).isGreaterThan(-500f); // air clipped up to the foreground's range
    }

    @Test
    void aCtWindowMapsLevelPlusMinusHalfTheWidthOntoZeroToOne() {
        Volume image = Volume.zeros(Geometry.of(5, 1, 1, 1, 1, 1), 1);
        float[] hu = {-1000, -160, 40, 240, 3000};
        System.arraycopy(hu, 0, image.channel(0), 0, 5);
        float[] windowed = IntensityNormalization.ctWindow(image, 40, 400).channel(0);
        assertThat(windowed).containsExactly(new float[] {0f, 0f, 0.5f, 1f, 1f}, within(1e-6f));
    }

    @Test
    void statisticsIgnoreNaN() {
        Volume image = Volume.zeros(Geometry.of(4, 1, 1, 1, 1, 1), 1);
        float[] v = {1, 3, Float.NaN, 5};
        System.arraycopy(v, 0, image.channel(0), 0, 4);
        Statistics s = IntensityNormalization.statistics(image, 0, null);
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.mean()).isEqualTo(3);
        assertThat(s.standardDeviation()).isCloseTo(Math.sqrt(8.0 / 3), within(1e-12));
    }
}
