package org.volseg.core.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

class PhantomGeneratorTest {

    private static final PhantomSpec SMALL = PhantomSpec.cube(24);

    @Test
    void sameSeedGivesTheSameCaseBitForBitWhateverTheThreadCount() throws Exception {
        Phantom a = PhantomGenerator.generate("a", 7, SMALL);
        ForkJoinPool oneThread = new ForkJoinPool(1);
        try {
            // a parallel stream started inside a pool runs in that pool: here every slab on one thread
            Phantom b = oneThread.submit(() -> PhantomGenerator.generate("b", 7, SMALL)).get();
            for (int c = 0; c < 4; c++) {
                assertThat(b.image().channel(c)).as("channel %d", c).containsExactly(a.image().channel(c));
            }
            assertThat(b.labels().toFloats()).containsExactly(a.labels().toFloats());
            assertThat(b.tissues().toFloats()).containsExactly(a.tissues().toFloats());
        } finally {
            oneThread.shutdown();
        }
    }

    @Test
    void differentSeedsGiveDifferentShapesAndPositions() {
        Phantom a = PhantomGenerator.generate("a", 1, SMALL);
        Phantom b = PhantomGenerator.generate("b", 2, SMALL);
        assertThat(b.labels().toFloats()).isNotEqualTo(a.labels().toFloats());
        assertThat(b.tissues().toFloats()).isNotEqualTo(a.tissues().toFloats());
        assertThat(centroid(b.labels(), TumourLabels::isWholeTumour))
                .isNotEqualTo(centroid(a.labels(), TumourLabels::isWholeTumour));
        for (int c = 0; c < 4; c++) {
            assertThat(b.image().channel(c)).isNotEqualTo(a.image().channel(c));
        }
    }

    @Test
    void carriesGridChannelAndLabelNames() {
        PhantomSpec spec = PhantomSpec.of(20, 24, 16, 1.2, 0.9, 2.5);
        Phantom p = PhantomGenerator.generate("case", 3, spec);
        Geometry g = p.image().geometry();
        assertThat(new int[] {g.nx(), g.ny(), g.nz()}).containsExactly(20, 24, 16);
        assertThat(g.spacingX()).isEqualTo(1.2);
        assertThat(g.spacingY()).isEqualTo(0.9);
        assertThat(g.spacingZ()).isEqualTo(2.5);
        assertThat(p.image().channelCount()).isEqualTo(4);
        assertThat(p.channelNames()).containsExactly("t1", "t1ce", "t2", "flair");
        assertThat(p.labelNames()).containsExactly("background", "necrotic tumour core", "peritumoral edema",
                "enhancing tumour");
        assertThat(p.labels().capacity()).isEqualTo(3);
        for (int c = 0; c < 4; c++) {
            for (float v : p.image().channel(c)) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 4, 5, 6, 7})
    void everyLabelIsPresentAt32Cubed(long seed) {
        Phantom p = PhantomGenerator.generate("p", seed, PhantomSpec.cube(32));
        assertThat(p.labels().labels()).containsExactly(0, 1, 2, 3);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void labelsNestAsDocumented(long seed) {
        // an anisotropic, odd-sized grid so that nothing relies on cubes
        Phantom p = PhantomGenerator.generate("p", seed, PhantomSpec.of(27, 32, 21, 1, 1, 1.5));
        LabelMap labels = p.labels();
        // enhancing (3) touches only the tumour core (1, 3); the core touches only tumour (1, 2, 3)
        assertThat(touchesOnly(labels, TumourLabels::isEnhancing, TumourLabels::isTumourCore)).isTrue();
        assertThat(touchesOnly(labels, TumourLabels::isTumourCore, TumourLabels::isWholeTumour)).isTrue();
        assertThat(hasNeighbour(labels, TumourLabels::isEnhancing, l -> l == TumourLabels.EDEMA
                || l == TumourLabels.BACKGROUND)).isFalse();
        // every tumour voxel is inside the skull, in brain tissue or a ventricle
        for (int i = 0; i < labels.geometry().voxels(); i++) {
            if (labels.get(i) != TumourLabels.BACKGROUND) {
                assertThat(Tissue.of(p.tissues().get(i))).isIn(Tissue.CSF, Tissue.GREY_MATTER,
                        Tissue.WHITE_MATTER);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3})
    void enhancingRimSurroundsTheNecroticCore(long seed) {
        Phantom p = PhantomGenerator.generate("p", seed, PhantomSpec.cube(32).withEnhancingRim(true));
        LabelMap labels = p.labels();
        assertThat(labels.labels()).containsExactly(0, 1, 2, 3);
        assertThat(touchesOnly(labels, l -> l == TumourLabels.NECROTIC_CORE, TumourLabels::isTumourCore)).isTrue();
        assertThat(touchesOnly(labels, TumourLabels::isTumourCore, TumourLabels::isWholeTumour)).isTrue();
        // in T1ce the enhancing rim outshines the necrotic centre
        assertThat(mean(p, MrContrast.T1CE, TumourLabels::isEnhancing))
                .isGreaterThan(mean(p, MrContrast.T1CE, l -> l == TumourLabels.NECROTIC_CORE));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 4})
    void contrastsLookLikeTheirSequences(long seed) {
        Phantom p = PhantomGenerator.generate("p", seed, PhantomSpec.cube(32));
        double flairEdema = mean(p, MrContrast.FLAIR, l -> l == TumourLabels.EDEMA);
        double flairBrain = meanNormalBrain(p, MrContrast.FLAIR);
        assertThat(flairEdema).isGreaterThan(1.3 * flairBrain);
        assertThat(mean(p, MrContrast.T1CE, TumourLabels::isEnhancing))
                .isGreaterThan(1.5 * mean(p, MrContrast.T1CE, l -> l == TumourLabels.NECROTIC_CORE));
        // T2 and FLAIR differ where CSF is: bright in T2, suppressed in FLAIR
        assertThat(meanTissue(p, MrContrast.T2, Tissue.CSF)).isGreaterThan(meanTissue(p, MrContrast.FLAIR,
                Tissue.CSF) * 2);
        // grey/white contrast: white brighter in T1, darker in T2
        assertThat(meanTissue(p, MrContrast.T1, Tissue.WHITE_MATTER))
                .isGreaterThan(meanTissue(p, MrContrast.T1, Tissue.GREY_MATTER));
        assertThat(meanTissue(p, MrContrast.T2, Tissue.WHITE_MATTER))
                .isLessThan(meanTissue(p, MrContrast.T2, Tissue.GREY_MATTER));
    }

    @Test
    void noiselessPhantomWithoutBiasKeepsTissueMeansNearTheirTable() {
        Phantom p = PhantomGenerator.generate("p", 5, PhantomSpec.cube(48).withNoise(0, true).withBiasStrength(0));
        // texture is ±4% and partial volume pulls edges towards neighbours: 10% covers both
        assertThat(meanTissue(p, MrContrast.T1, Tissue.WHITE_MATTER)).isCloseTo(750, withPercentage(10));
        assertThat(meanTissue(p, MrContrast.T2, Tissue.CSF)).isGreaterThan(600);
        // air is black but for the partial volume of the scalp next to it
        assertThat(meanTissue(p, MrContrast.T1, Tissue.AIR)).isLessThan(0.05 * 750);
    }

    @Test
    void aTinyGridStillWorks() {
        Phantom p = PhantomGenerator.generate("p", 11, PhantomSpec.cube(16));
        assertThat(p.labels().labels()).contains(0, 3);
        assertThat(touchesOnly(p.labels(), TumourLabels::isEnhancing, TumourLabels::isTumourCore)).isTrue();
    }

    @Test
    void rejectsBadSpecs() {
        assertThatThrownBy(() -> PhantomSpec.of(0, 8, 8, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PhantomSpec.of(8, 8, 8, 1, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PhantomSpec.cube(8).withNoise(-0.1, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PhantomSpec.cube(8).withBiasStrength(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Whether every 6-neighbour (inside the grid) of every voxel in {@code region} lies in {@code allowed}. */
    static boolean touchesOnly(LabelMap labels, IntPredicate region, IntPredicate allowed) {
        return !hasNeighbour(labels, region, allowed.negate());
    }

    static boolean hasNeighbour(LabelMap labels, IntPredicate region, IntPredicate neighbour) {
        Geometry g = labels.geometry();
        int[][] steps = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    if (!region.test(labels.get(x, y, z))) {
                        continue;
                    }
                    for (int[] s : steps) {
                        int xx = x + s[0];
                        int yy = y + s[1];
                        int zz = z + s[2];
                        if (xx >= 0 && yy >= 0 && zz >= 0 && xx < g.nx() && yy < g.ny() && zz < g.nz()
                                && neighbour.test(labels.get(xx, yy, zz))) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    static double mean(Phantom p, MrContrast contrast, IntPredicate labelFilter) {
        float[] data = p.channel(contrast);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < data.length; i++) {
            if (labelFilter.test(p.labels().get(i))) {
                sum += data[i];
                n++;
            }
        }
        assertThat(n).as("voxels of the region").isPositive();
        return sum / n;
    }

    /** Grey and white matter away from the tumour. */
    static double meanNormalBrain(Phantom p, MrContrast contrast) {
        float[] data = p.channel(contrast);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < data.length; i++) {
            if (p.labels().get(i) == TumourLabels.BACKGROUND && Tissue.of(p.tissues().get(i)).isBrain()) {
                sum += data[i];
                n++;
            }
        }
        return sum / n;
    }

    static double meanTissue(Phantom p, MrContrast contrast, Tissue tissue) {
        float[] data = p.channel(contrast);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < data.length; i++) {
            if (p.labels().get(i) == TumourLabels.BACKGROUND && p.tissues().get(i) == tissue.ordinal()) {
                sum += data[i];
                n++;
            }
        }
        assertThat(n).as("voxels of %s", tissue).isPositive();
        return sum / n;
    }

    private static double[] centroid(LabelMap labels, IntPredicate region) {
        Geometry g = labels.geometry();
        double[] c = new double[3];
        int n = 0;
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    if (region.test(labels.get(x, y, z))) {
                        c[0] += x;
                        c[1] += y;
                        c[2] += z;
                        n++;
                    }
                }
            }
        }
        for (int a = 0; a < 3; a++) {
            c[a] /= n;
        }
        return c;
    }
}
