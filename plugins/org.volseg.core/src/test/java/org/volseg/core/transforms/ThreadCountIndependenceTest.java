package org.volseg.core.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/** Slab-parallel work gives the same bits on one thread as on several (parallel streams use the caller's pool). */
class ThreadCountIndependenceTest {

    /** Large enough to take the parallel path. */
    private static final Geometry GRID = TestVolumes.grid("PIR", 32, 32, 32, 1.0, 1.2, 0.9);

    private static float[] on(int threads, Supplier<float[]> work) throws Exception {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(work::get).get();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void everySlabParallelOperationGivesTheSameBitsOnOneThreadAndOnFour() throws Exception {
        assertThat((long) GRID.voxels()).isGreaterThanOrEqualTo(Slabs.PARALLEL_VOXELS);
        Volume image = TestVolumes.noise(GRID, 21);
        LabelMap labels = TestVolumes.blobs(GRID);
        List<Supplier<float[]>> operations = List.of(
                () -> Resampling.toSpacing(GRID, 1.4, 0.8, 1.1).apply(image).channel(0),
                () -> Resampling.toSpacing(GRID, 1.4, 0.8, 1.1).apply(labels).toFloats(),
                () -> Reorientation.toRas(GRID).apply(image).channel(0),
                () -> IntensityNormalization.zScore(image, labels).channel(0),
                () -> IntensityNormalization.clipToPercentiles(image, 0.5, 99.5).channel(0),
                () -> new RandomAffine(1, 0.3, 0.3, 0.3, 0.8, 1.2).sample(GRID, new SplittableRandom(3)).apply(image)
                        .channel(0),
                () -> new RandomGaussianNoise(1, 0.5).apply(image, new SplittableRandom(3)).channel(0),
                () -> new RandomGamma(1, 0.5, 2).apply(image, new SplittableRandom(3)).channel(0));
        for (int k = 0; k < operations.size(); k++) {
            assertThat(on(4, operations.get(k))).as("operation %d", k).isEqualTo(on(1, operations.get(k)));
        }
    }
}
