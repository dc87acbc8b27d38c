package org.volseg.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.volseg.core.data.synthetic.PhantomGenerator;
import org.volseg.core.data.synthetic.PhantomSpec;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

class PointSamplerTest {

    /** An oblique, anisotropic grid, so that world coordinates are not a rescaling of voxel ones. */
    private static final Geometry OBLIQUE = new Geometry(24, 20, 16, Affine.of(
            0.9 * Math.cos(0.3), -1.1 * Math.sin(0.3), 0, -40,
            0.9 * Math.sin(0.3), 1.1 * Math.cos(0.3), 0, 12,
            0, 0, 2.5, -7,
            0, 0, 0, 1));

    /** Three classes: two nested balls (1 inside 2) and a slab (3) along one face. */
    static LabelMap nestedBallsAndSlab(Geometry g) {
        LabelMap map = LabelMap.create(g, 3);
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double r2 = sq(x - 10.3) + sq(y - 9.6) + sq(z - 8.2);
                    map.set(x, y, z, r2 <= 9 ? 1 : r2 <= 36 ? 2 : x >= g.nx() - 3 ? 3 : 0);
                }
            }
        }
        return map;
    }

    @Test
    void uniformPointsCoverTheGridWithWorldCoordinatesAndNearestLabels() {
        LabelMap labels = nestedBallsAndSlab(OBLIQUE);
        PointSet points = PointSampler.uniform(labels).sample(21);
        assertThat(points.size()).isEqualTo(PointSampler.DEFAULT_COUNT).isEqualTo(16384);
        assertThat(points.count(Stratum.UNIFORM)).isEqualTo(16384);
        double[] mean = new double[3];
        double[] voxel = points.voxelCoordinates();
        double[] world = points.worldCoordinates();
        int wrong = 0; // counted rather than asserted per point: 16384 AssertJ chains take a second
        for (int i = 0; i < points.size(); i++) {
            double x = voxel[3 * i];
            double y = voxel[3 * i + 1];
            double z = voxel[3 * i + 2];
            boolean onGrid = x >= -0.5 && x < OBLIQUE.nx() - 0.5 && y >= -0.5 && y < OBLIQUE.ny() - 0.5
                    && z >= -0.5 && z < OBLIQUE.nz() - 0.5;
            double[] expected = OBLIQUE.voxelToWorld(x, y, z);
            boolean worldRight = Math.abs(world[3 * i] - expected[0]) < 1e-9
                    && Math.abs(world[3 * i + 1] - expected[1]) < 1e-9
                    && Math.abs(world[3 * i + 2] - expected[2]) < 1e-9;
            boolean labelRight = points.label(i) == labels.get((int) Math.round(x), (int) Math.round(y),
                    (int) Math.round(z));
            wrong += onGrid && worldRight && labelRight && points.stratum(i) == Stratum.UNIFORM ? 0 : 1;
            mean[0] += x / points.size();
            mean[1] += y / points.size();
            mean[2] += z / points.size();
        }
        assertThat(wrong).isZero();
        assertThat(points.get(5).voxelX()).isEqualTo(voxel[15]);
        assertThat(points.get(5).worldZ()).isEqualTo(world[17]);
        // uniform on [-½, n - ½): mean (n - 1)/2, standard error n/√(12·16384) < 0.06 voxels for n ≤ 24
        assertThat(mean[0]).isCloseTo(11.5, within(0.25));
        assertThat(mean[1]).isCloseTo(9.5, within(0.25));
        assertThat(mean[2]).isCloseTo(7.5, within(0.25));
    }

    @ParameterizedTest
    @ValueSource(doubles = {6, 2.5, 0})
    void borderPointsAreHalfAndLieWithinTheBandRadiusOfALabelChange(double radius) {
        LabelMap labels = nestedBallsAndSlab(OBLIQUE);
        PointSampler sampler = PointSampler.boundaryBiased(labels, 0.5, radius);
        PointSet points = sampler.sample(PointSampler.DEFAULT_COUNT, 5);
        assertThat(points.count(Stratum.BORDER)).isEqualTo(8192);
        boolean[] border = borderVoxels(labels);
        int[] borderList = indicesOf(border);
        for (int i = 0; i < points.size(); i++) {
            SampledPoint p = points.get(i);
            int x = PointSampler.nearest(p.voxelX(), OBLIQUE.nx());
            int y = PointSampler.nearest(p.voxelY(), OBLIQUE.ny());
            int z = PointSampler.nearest(p.voxelZ(), OBLIQUE.nz());
            assertThat(p.label()).isEqualTo(labels.get(x, y, z));
            if (p.stratum() == Stratum.BORDER) {
                assertThat(distanceToNearest(x, y, z, borderList, OBLIQUE)).as("point %s", p)
                        .isLessThanOrEqualTo(radius);
            }
        }
    }

    @Test
    void theBandMatchesABruteForceSearchOnAPhantom() {
        // a multi-class segmentation with irregular borders: a 24³ brain-tumour phantom
        LabelMap labels = PhantomGenerator.generate("p", 3, PhantomSpec.cube(24)).labels();
        boolean[] border = borderVoxels(labels);
        int[] borderList = indicesOf(border);
        Geometry g = labels.geometry();
        double[] distance = new double[g.voxels()];
        for (int i = 0; i < g.voxels(); i++) {
            distance[i] = distanceToNearest(i % g.nx(), i / g.nx() % g.ny(), i / (g.nx() * g.ny()), borderList, g);
        }
        for (double radius : new double[] {0, 1, 1.5, 2.9, 6}) {
            BoundaryBand band = BoundaryBand.of(labels, radius);
            assertThat(band.borderVoxelCount()).isEqualTo(borderList.length);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < g.voxels(); i++) {
                if (distance[i] <= radius) {
                    expected.add(i);
                }
            }
            assertThat(band.voxels()).as("radius %s", radius)
                    .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void borderPointsFavourTheTumourOfAMultiClassPhantom() {
        LabelMap labels = PhantomGenerator.generate("p", 4, PhantomSpec.cube(32)).labels();
        PointSet points = PointSampler.boundaryBiased(labels).sample(8);
        // the tumour is about 5% of the grid but a good part of the band around its borders (the band of 6
        // voxels also reaches into the background), so border points land in it several times as often
        int[] tumourHits = new int[2];
        for (int i = 0; i < points.size(); i++) {
            if (points.label(i) > 0) {
                tumourHits[points.stratum(i) == Stratum.BORDER ? 1 : 0]++;
            }
        }
        assertThat(tumourHits[1]).isGreaterThan(3 * tumourHits[0]);
        assertThat(points.labels()).contains(0, 1, 2, 3);
    }

    @Test
    void strataInterleaveSoThatAPrefixHasAboutTheShare() {
        PointSet points = PointSampler.boundaryBiased(nestedBallsAndSlab(OBLIQUE), 0.25, 3).sample(20000, 9);
        assertThat(points.count(Stratum.BORDER)).isEqualTo(5000);
        int prefixBorder = 0;
        for (int i = 0; i < 2000; i++) {
            prefixBorder += points.stratum(i) == Stratum.BORDER ? 1 : 0;
        }
        // hypergeometric, σ ≈ √(2000·0.25·0.75) ≈ 19: ±80 is over 4σ
        assertThat(prefixBorder).isBetween(420, 580);
    }

    @Test
    void aSeedGivesTheSamePoints() {
        PointSampler sampler = PointSampler.boundaryBiased(nestedBallsAndSlab(OBLIQUE));
        PointSet a = sampler.sample(2000, 77);
        PointSet b = sampler.sample(2000, 77);
        PointSet c = sampler.sample(2000, 78);
        assertThat(b.voxelCoordinates()).containsExactly(a.voxelCoordinates());
        assertThat(b.worldCoordinates()).containsExactly(a.worldCoordinates());
        assertThat(b.labels()).containsExactly(a.labels());
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.stratum(i)).isEqualTo(a.stratum(i));
        }
        assertThat(c.voxelCoordinates()).isNotEqualTo(a.voxelCoordinates());
        PointSet d = sampler.sample(2000, new SplittableRandom(77));
        assertThat(d.voxelCoordinates()).containsExactly(a.voxelCoordinates());
    }

    @Test
    void aSingleLabelHasNoBandAndAllPointsAreUniform() {
        LabelMap flat = LabelMap.create(Geometry.of(16, 16, 16, 1, 1, 1), 2);
        PointSampler sampler = PointSampler.boundaryBiased(flat);
        assertThat(sampler.band().isEmpty()).isTrue();
        assertThat(sampler.borderShare()).isZero();
        assertThat(sampler.sample(1000, 1).count(Stratum.UNIFORM)).isEqualTo(1000);
        assertThatThrownBy(() -> PointSampler.boundaryBiased(flat, 1.2, 6))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BoundaryBand.of(flat, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Voxels whose label differs from a 6-neighbour inside the grid, by the definition. */
    static boolean[] borderVoxels(LabelMap labels) {
        Geometry g = labels.geometry();
        boolean[] border = new boolean[g.voxels()];
        int[][] steps = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    for (int[] s : steps) {
                        int xx = x + s[0];
                        int yy = y + s[1];
                        int zz = z + s[2];
                        if (xx >= 0 && yy >= 0 && zz >= 0 && xx < g.nx() && yy < g.ny() && zz < g.nz()
                                && labels.get(xx, yy, zz) != labels.get(x, y, z)) {
                            border[g.index(x, y, z)] = true;
                        }
                    }
                }
            }
        }
        return border;
    }

    private static int[] indicesOf(boolean[] mask) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                list.add(i);
            }
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Euclidean distance in voxel units from voxel (x, y, z) to the nearest listed voxel, by brute force. */
    private static double distanceToNearest(int x, int y, int z, int[] voxels, Geometry g) {
        long best = Long.MAX_VALUE;
        for (int v : voxels) {
            long dx = v % g.nx() - x;
            long dy = v / g.nx() % g.ny() - y;
            long dz = v / (g.nx() * g.ny()) - z;
            best = Math.min(best, dx * dx + dy * dy + dz * dz);
        }
        return Math.sqrt(best);
    }

    private static double sq(double v) {
        return v * v;
    }
}
