package org.volseg.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/** Metrics on shapes whose answers are known: offset spheres, shifted cubes, identical and empty maps. */
class SegmentationMetricsTest {

    @Test
    void offsetSpheresHaveTheOverlapTheirVoxelsGive() {
        Geometry g = Geometry.of(60, 72, 48, 1.0, 0.8, 1.25);
        double r = 14;
        double d = 9; // centres 9 mm apart along y: 11.25 voxels, so the two spheres discretise differently
        LabelMap reference = LabelMap.create(g, 1);
        LabelMap predicted = LabelMap.create(g, 1);
        LabelMaps.fillSphere(reference, 1, 30, 28, 30, r);
        LabelMaps.fillSphere(predicted, 1, 30, 28 + d, 30, r);
        long inReference = 0;
        long inPredicted = 0;
        long inBoth = 0;
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    boolean a = LabelMaps.insideSphere(g, x, y, z, 30, 28, 30, r);
                    boolean b = LabelMaps.insideSphere(g, x, y, z, 30, 28 + d, 30, r);
                    inReference += a ? 1 : 0;
                    inPredicted += b ? 1 : 0;
                    inBoth += a && b ? 1 : 0;
                }
            }
        }

        ClassMetrics m = SegmentationMetrics.compute(reference, predicted).get(0);

        assertThat(m.label()).isEqualTo(1);
        assertThat(m.referenceVoxels()).isEqualTo(inReference);
        assertThat(m.predictedVoxels()).isEqualTo(inPredicted);
        assertThat(m.dice()).isCloseTo(2.0 * inBoth / (inReference + inPredicted), within(1e-12));
        assertThat(m.iou()).isCloseTo((double) inBoth / (inReference + inPredicted - inBoth), within(1e-12));
        assertThat(m.sensitivity()).isCloseTo((double) inBoth / inReference, within(1e-12));
        assertThat(m.precision()).isCloseTo((double) inBoth / inPredicted, within(1e-12));
        assertThat(m.volumeDifferenceMm3()).isCloseTo((inPredicted - inReference) * g.voxelVolume(), within(1e-9));
        // and the continuous answer: the lens where two balls of radius r, d apart, overlap
        double lens = Math.PI * (4 * r + d) * (2 * r - d) * (2 * r - d) / 12;
        double ball = 4.0 / 3 * Math.PI * r * r * r;
        assertThat(m.dice()).isCloseTo(lens / ball, within(0.02));
        // two spheres d apart are d apart as surfaces: the Hausdorff distance, up to a voxel's discretisation
        SurfaceDistances s = SurfaceDistances.between(reference, predicted, 1);
        assertThat(s.hausdorffMm()).isCloseTo(d, within(1.0));
        assertThat(m.hd95Mm()).isBetween(0.5 * d, s.hausdorffMm());
        assertThat(m.assdMm()).isBetween(0.1 * d, m.hd95Mm());
    }

    /**
     * An n-cube and the same cube shifted k voxels along one axis (spacing s), the other spacings b and c. From each
     * surface voxel of one cube to the other's surface: the face left behind is k·s away; the ring of side voxels
     * the shift uncovered, layer t (1 to k−1), (k − t)·s; the remaining side voxels 0; the far face's rim 0 and its
     * inner voxels min(k·s, distance to the nearest side face). The other direction is the mirror image, with the
     * same distances.
     */
    private static double[] shiftedCubeDistances(int n, int k, double s, double b, double c) {
        double[] out = new double[n * n * n - (n - 2) * (n - 2) * (n - 2)];
        int i = 0;
        for (int f = 0; f < n * n; f++) {
            out[i++] = k * s;
        }
        for (int t = 1; t < k; t++) {
            for (int ring = 0; ring < 4 * n - 4; ring++) {
                out[i++] = (k - t) * s;
            }
        }
        for (int t = k; t < n - 1; t++) {
            for (int ring = 0; ring < 4 * n - 4; ring++) {
                out[i++] = 0;
            }
        }
        for (int ring = 0; ring < 4 * n - 4; ring++) {
            out[i++] = 0;
        }
        for (int u = 1; u < n - 1; u++) {
            for (int v = 1; v < n - 1; v++) {
                double toSide = Math.min(Math.min(u * b, (n - 1 - u) * b), Math.min(v * c, (n - 1 - v) * c));
                out[i++] = Math.min(k * s, toSide);
            }
        }
        assertThat(i).isEqualTo(out.length);
        return out;
    }

    @Test
    void cubeShiftedAlongZHasHd95OfTheShiftExactly() {
        int n = 12;
        int k = 3;
        Geometry g = Geometry.of(30, 28, 26, 0.75, 1.25, 2.5);
        LabelMap reference = LabelMap.create(g, 1);
        LabelMaps.fillBox(reference, 1, 6, 7, 4, 6 + n - 1, 7 + n - 1, 4 + n - 1);
        LabelMap predicted = LabelMaps.shifted(reference, 1, 0, 0, k);

        ClassMetrics m = SegmentationMetrics.compute(reference, predicted, 1).get(0);

        assertThat(m.hd95Mm()).isEqualTo(k * 2.5);
        double[] expected = shiftedCubeDistances(n, k, 2.5, 0.75, 1.25);
        assertThat(m.assdMm()).isCloseTo(mean(expected), within(1e-12));
        assertThat(m.dice()).isCloseTo((double) (n - k) / n, within(1e-15));
        assertThat(m.iou()).isCloseTo((double) (n - k) / (n + k), within(1e-15));
        assertThat(m.sensitivity()).isCloseTo((double) (n - k) / n, within(1e-15));
        assertThat(m.precision()).isCloseTo((double) (n - k) / n, within(1e-15));
        assertThat(m.volumeDifferenceMm3()).isZero();
        assertThat(m.relativeVolumeDifference()).isZero();
        SurfaceDistances s = SurfaceDistances.between(reference, predicted, 1);
        assertThat(s.referenceToPredictedMm()).containsExactly(sorted(expected));
        assertThat(s.predictedToReferenceMm()).containsExactly(sorted(expected));
        assertThat(s.hausdorffMm()).isEqualTo(k * 2.5);
        assertThat(s.maxDirectedPercentileMm(95)).isEqualTo(k * 2.5);
        // surface Dice: both directions have the same distances, so it is their share within the tolerance
        for (double tolerance : new double[] {0, 0.75, 1, 2.5, 4.9, 5, 7.5}) {
            double within = java.util.Arrays.stream(expected).filter(d -> d <= tolerance).count();
            assertThat(SegmentationMetrics.computeAt(tolerance, reference, predicted, 1).get(0).nsd())
                    .as("tolerance %s mm", tolerance).isCloseTo(within / expected.length, within(1e-15));
        }
        assertThat(m.nsd()).isEqualTo(s.surfaceDice(SegmentationMetrics.DEFAULT_SURFACE_TOLERANCE_MM))
                .isBetween(0.5, 0.99);
        assertThatThrownBy(() -> s.surfaceDice(-1)).hasMessage("a surface tolerance is 0 mm or more, got -1.0");
    }

    @Test
    void cubeShiftedAlongXOnAnObliqueGridHasHd95OfTheShiftExactly() {
        int n = 10;
        int k = 2;
        // rotated about y: the spacing is the affine's column norms, whatever the rotation
        double cos = Math.cos(0.3);
        double sin = Math.sin(0.3);
        Geometry g = new Geometry(25, 18, 16, Affine.of(0.7 * cos, 0, 2.1 * sin, -10, 0, 1.3, 0, 4,
                -0.7 * sin, 0, 2.1 * cos, 7, 0, 0, 0, 1));
        LabelMap reference = LabelMap.create(g, 2);
        LabelMaps.fillBox(reference, 2, 5, 4, 3, 5 + n - 1, 4 + n - 1, 3 + n - 1);
        LabelMap predicted = LabelMaps.shifted(reference, 2, k, 0, 0);

        ClassMetrics m = SegmentationMetrics.compute(reference, predicted, 2).get(0);

        assertThat(m.hd95Mm()).isEqualTo(k * g.spacingX());
        double[] expected = shiftedCubeDistances(n, k, g.spacingX(), g.spacingY(), g.spacingZ());
        assertThat(m.assdMm()).isCloseTo(mean(expected), within(1e-12));
        assertThat(m.dice()).isCloseTo((double) (n - k) / n, within(1e-15));
    }

    @Test
    void identicalMapsAgreePerfectly() {
        Geometry g = Geometry.of(20, 22, 18, 1.1, 0.9, 1.6);
        LabelMap reference = LabelMap.create(g, 9);
        LabelMaps.fillSphere(reference, 3, 11, 10, 14, 6);
        LabelMaps.fillBox(reference, 9, 0, 0, 0, 19, 4, 3); // touches the grid border
        LabelMaps.fillBox(reference, 1, 10, 10, 10, 10, 10, 10); // one voxel

        List<ClassMetrics> metrics = SegmentationMetrics.compute(reference, LabelMaps.copy(reference));

        assertThat(metrics).extracting(ClassMetrics::label).containsExactly(1, 3, 9);
        for (ClassMetrics m : metrics) {
            assertThat(new double[] {m.dice(), m.iou(), m.sensitivity(), m.precision()}).containsOnly(1.0);
            assertThat(new double[] {m.hd95Mm(), m.assdMm(), m.volumeDifferenceMm3(), m.relativeVolumeDifference()})
                    .containsOnly(0.0);
            assertThat(m.predictedVoxels()).isEqualTo(m.referenceVoxels()).isPositive();
        }
        MetricsSummary summary = SegmentationMetrics.summarize(metrics);
        assertThat(summary.classes()).isEqualTo(3);
        assertThat(summary.meanDice()).isEqualTo(1);
        assertThat(summary.meanHd95Mm()).isZero();
    }

    @Test
    void classEmptyInBothMapsIsPerfect() {
        Geometry g = Geometry.of(8, 8, 8, 1, 1, 1);
        LabelMap reference = LabelMap.create(g, 3);
        LabelMaps.fillBox(reference, 3, 1, 1, 1, 4, 4, 4);

        ClassMetrics m = SegmentationMetrics.compute(reference, LabelMaps.copy(reference), 5).get(0);

        assertThat(m).isEqualTo(new ClassMetrics(5, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0));
        assertThat(SegmentationMetrics.compute(LabelMap.create(g, 1), LabelMap.create(g, 1))).isEmpty();
        assertThat(SegmentationMetrics.summarize(List.of()).meanDice()).isNaN();
        SurfaceDistances s = SurfaceDistances.between(reference, reference, 5);
        assertThat(new double[] {s.hausdorffMm(), s.symmetricPercentileMm(95), s.maxDirectedPercentileMm(95),
            s.averageSymmetricMm()}).containsOnly(0.0);
    }

    @Test
    void classMissingFromOneMapIsInfinitelyFar() {
        Geometry g = Geometry.of(10, 9, 8, 1, 2, 0.5);
        LabelMap present = LabelMap.create(g, 1);
        LabelMaps.fillBox(present, 1, 2, 2, 2, 5, 5, 5);
        LabelMap absent = LabelMap.create(g, 1);
        double volume = 64 * g.voxelVolume();

        ClassMetrics missed = SegmentationMetrics.compute(present, absent, 1).get(0);
        assertThat(missed).isEqualTo(new ClassMetrics(1, 0, 0, 0, 1, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY, 0, -volume, -1, 64, 0));

        ClassMetrics invented = SegmentationMetrics.compute(absent, present, 1).get(0);
        assertThat(invented).isEqualTo(new ClassMetrics(1, 0, 0, 1, 0, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY, 0, volume, Double.POSITIVE_INFINITY, 0, 64));

        MetricsSummary summary = SegmentationMetrics.summarize(List.of(missed, invented));
        assertThat(summary.meanDice()).isZero();
        assertThat(summary.meanSensitivity()).isEqualTo(0.5);
        assertThat(summary.meanHd95Mm()).isInfinite();
        SurfaceDistances s = SurfaceDistances.between(present, absent, 1);
        assertThat(s.maxDirectedPercentileMm(95)).isInfinite();
        assertThat(s.hausdorffMm()).isInfinite();
    }

    @Test
    void defaultClassesAreThePositiveLabelsOfEitherMap() {
        Geometry g = Geometry.of(12, 10, 8, 1, 1, 1);
        LabelMap reference = LabelMap.create(g, 7);
        LabelMaps.fillBox(reference, 1, 0, 0, 0, 3, 3, 3);
        LabelMaps.fillBox(reference, 3, 6, 6, 4, 9, 9, 7);
        LabelMap predicted = LabelMap.create(g, 7);
        LabelMaps.fillBox(predicted, 3, 6, 6, 4, 9, 9, 7);
        LabelMaps.fillBox(predicted, 7, 0, 6, 0, 2, 9, 2);

        assertThat(SegmentationMetrics.labelsPresent(reference, predicted)).containsExactly(1, 3, 7);
        List<ClassMetrics> metrics = SegmentationMetrics.compute(reference, predicted);
        assertThat(metrics).extracting(ClassMetrics::label).containsExactly(1, 3, 7);
        assertThat(metrics).extracting(ClassMetrics::dice).containsExactly(0.0, 1.0, 0.0);
        assertThat(SegmentationMetrics.summarize(metrics).meanDice()).isCloseTo(1.0 / 3, within(1e-15));
        // classes asked for come back in the order asked
        assertThat(SegmentationMetrics.compute(reference, predicted, 7, 1)).extracting(ClassMetrics::label)
                .containsExactly(7, 1);
    }

    @Test
    void labelsBeyondSixteenBitsGiveTheSameMetrics() {
        Geometry g = Geometry.of(24, 20, 16, 0.8, 1, 1.2);
        int big = 70_000;
        int huge = 1 << 24;
        LabelMap reference = LabelMap.create(g, huge);
        LabelMaps.fillBox(reference, big, 2, 2, 2, 9, 11, 8);
        LabelMaps.fillSphere(reference, huge, 12, 10, 10, 5);
        LabelMap predicted = LabelMaps.shifted(LabelMaps.shifted(reference, big, 1, 0, 1), huge, 0, 2, 0);
        LabelMap smallReference = relabel(reference, big, 1, huge, 2);
        LabelMap smallPredicted = relabel(predicted, big, 1, huge, 2);

        List<ClassMetrics> wide = SegmentationMetrics.compute(reference, predicted);
        List<ClassMetrics> narrow = SegmentationMetrics.compute(smallReference, smallPredicted);

        assertThat(wide).extracting(ClassMetrics::label).containsExactly(big, huge);
        for (int k = 0; k < 2; k++) {
            ClassMetrics w = wide.get(k);
            ClassMetrics n = narrow.get(k);
            assertThat(new ClassMetrics(n.label(), w.dice(), w.iou(), w.sensitivity(), w.precision(), w.hd95Mm(),
                    w.assdMm(), w.nsd(), w.volumeDifferenceMm3(), w.relativeVolumeDifference(), w.referenceVoxels(),
                    w.predictedVoxels())).isEqualTo(n);
            assertThat(w.dice()).isBetween(0.3, 0.99);
        }
    }

    @Test
    void surfaceIsTheClassVoxelsWithAFaceNeighbourOutsideOrOnTheGridBorder() {
        Geometry g = Geometry.of(5, 4, 3, 1, 2, 3);
        LabelMap full = LabelMap.create(g, 1);
        LabelMaps.fillBox(full, 1, 0, 0, 0, 4, 3, 2);
        // every voxel but the 3×2×1 inside is on the border, hence on the surface
        assertThat(SurfaceDistances.between(full, full, 1).referenceSurfaceVoxels()).isEqualTo(60 - 6);

        LabelMap one = LabelMap.create(g, 1);
        one.set(1, 1, 0, 1);
        LabelMap other = LabelMap.create(g, 1);
        other.set(2, 2, 1, 1);
        ClassMetrics m = SegmentationMetrics.compute(one, other, 1).get(0);
        double diagonal = Math.sqrt(1 * 1 + 2 * 2 + 3 * 3);
        assertThat(m.hd95Mm()).isCloseTo(diagonal, within(1e-15));
        assertThat(m.assdMm()).isCloseTo(diagonal, within(1e-15));
        assertThat(m.dice()).isZero();
    }

    @Test
    void percentilesInterpolateAsNumpy() {
        assertThat(SurfaceDistances.percentile(new double[] {0, 10}, 95)).isEqualTo(9.5);
        assertThat(SurfaceDistances.percentile(new double[] {1, 2, 3, 4}, 50)).isEqualTo(2.5);
        assertThat(SurfaceDistances.percentile(new double[] {1, 2, 3, 4}, 100)).isEqualTo(4);
        assertThat(SurfaceDistances.percentile(new double[] {7}, 95)).isEqualTo(7);
        assertThatThrownBy(() -> SurfaceDistances.percentile(new double[] {1}, 101))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hd95PoolsBothDirectionsWhereMonaiTakesTheLargerOne() {
        // a cube, and the same cube with a long thin spike: only the spike's surface is far from the cube
        Geometry g = Geometry.of(30, 20, 20, 1, 1, 1);
        LabelMap reference = LabelMap.create(g, 1);
        // (more than 5 % of the predicted surface, less than 5 % of both surfaces)
        LabelMaps.fillBox(reference, 1, 2, 5, 5, 7, 10, 10);
        LabelMap predicted = LabelMaps.copy(reference);
        LabelMaps.fillBox(predicted, 1, 8, 7, 7, 19, 7, 7);

        SurfaceDistances s = SurfaceDistances.between(reference, predicted, 1);
        double[] toReference = s.predictedToReferenceMm();
        double[] toPredicted = s.referenceToPredictedMm();
        assertThat(s.maxDirectedPercentileMm(95)).isEqualTo(Math.max(SurfaceDistances.percentile(toReference, 95),
                SurfaceDistances.percentile(toPredicted, 95)));
        double[] pooled = new double[toReference.length + toPredicted.length];
        System.arraycopy(toReference, 0, pooled, 0, toReference.length);
        System.arraycopy(toPredicted, 0, pooled, toReference.length, toPredicted.length);
        java.util.Arrays.sort(pooled);
        assertThat(s.symmetricPercentileMm(95)).isEqualTo(SurfaceDistances.percentile(pooled, 95));
        assertThat(s.symmetricPercentileMm(95)).isZero();
        assertThat(s.maxDirectedPercentileMm(95)).isCloseTo(3.9, within(1e-12));
        assertThat(s.hausdorffMm()).isEqualTo(12);
        assertThat(SegmentationMetrics.compute(reference, predicted).get(0).hd95Mm())
                .isEqualTo(s.symmetricPercentileMm(95));
    }

    @Test
    void mapsOnDifferentGridsAreRefused() {
        Geometry g = Geometry.of(10, 10, 10, 1, 1, 1);
        LabelMap reference = LabelMap.create(g, 1);
        LabelMap otherDims = LabelMap.create(Geometry.of(10, 10, 11, 1, 1, 1), 1);
        assertThatThrownBy(() -> SegmentationMetrics.compute(reference, otherDims))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(g.toString()).hasMessageContaining(otherDims.geometry().toString());

        Affine moved = Affine.of(1, 0, 0, 1e-3, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
        LabelMap otherOrigin = LabelMap.create(new Geometry(10, 10, 10, moved), 1);
        assertThatThrownBy(() -> SegmentationMetrics.compute(reference, otherOrigin, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(moved.toString());
        assertThatThrownBy(() -> SurfaceDistances.between(reference, otherOrigin, 1))
                .isInstanceOf(IllegalArgumentException.class);

        Affine nearly = Affine.of(1, 0, 0, 5e-5, 0, 1, 0, 0, 0, 0, 1.00005, 0, 0, 0, 0, 1);
        assertThat(SegmentationMetrics.compute(reference, LabelMap.create(new Geometry(10, 10, 10, nearly), 1), 1))
                .hasSize(1);
    }

    @Test
    void classesMustBePositiveAndDistinct() {
        LabelMap map = LabelMap.create(Geometry.of(4, 4, 4, 1, 1, 1), 2);
        assertThatThrownBy(() -> SegmentationMetrics.compute(map, map, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("background");
        assertThatThrownBy(() -> SegmentationMetrics.compute(map, map, -2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SegmentationMetrics.compute(map, map, 2, 1, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> SurfaceDistances.between(map, map, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static LabelMap relabel(LabelMap map, int from1, int to1, int from2, int to2) {
        LabelMap out = LabelMap.create(map.geometry(), Math.max(to1, to2));
        for (int i = 0; i < map.geometry().voxels(); i++) {
            int label = map.get(i);
            out.set(i, label == from1 ? to1 : label == from2 ? to2 : label);
        }
        return out;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double[] sorted(double[] values) {
        double[] out = values.clone();
        java.util.Arrays.sort(out);
        return out;
    }
}
