package org.volseg.nn.inferers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.volseg.core.sampling.PatchSize;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.NetworkConfig;

class InferencePlannerTest {

    private static final long MB = 1L << 20;
    private static final PatchSize PATCH = PatchSize.cube(96);

    private static InferencePlanner.Job job(int classes) {
        NetworkConfig config = NetworkConfig.of(Architecture.UNET3D, 1, classes, List.of(16, 32, 64, 128, 256), 2,
                PATCH);
        long voxels = 301L * 370 * 316; // Colin27's ch2better
        return new InferencePlanner.Job(config, 11_875_171, 1, classes, voxels, voxels, true, false);
    }

    private static InferencePlan plan(int classes, long heap, long nativeBytes, boolean shared, boolean gpu) {
        return InferencePlanner.plan(job(classes), SlidingWindow.Settings.defaults(PATCH), true, true,
                new InferencePlanner.Budget(heap, nativeBytes, shared), gpu);
    }

    @Test
    void plentyOfMemoryGivesFloat32AndOneWindowOnACpuEightOnAGpu() {
        InferencePlan cpu = plan(3, 64_000 * MB, 64_000 * MB, true, false);
        assertThat(cpu.window().stitching()).isEqualTo(Stitching.FLOAT32);
        assertThat(cpu.window().batchSize()).isEqualTo(1);
        assertThat(cpu.fits()).isTrue();
        InferencePlan gpu = plan(3, 64_000 * MB, 80_000 * MB, false, true);
        assertThat(gpu.window().batchSize()).isEqualTo(8);
        assertThat(gpu.describe()).startsWith("window batch 8, float32 stitching; expected peak ");
    }

    @Test
    void lessHeapFallsBackToFloat16ThenToClassChunks() {
        long voxels = job(20).preparedVoxels();
        // besides the stitching, 6 bytes a voxel (prepared image, labels): float32 needs 86 bytes a voxel for 20
        // classes, float16 46; class chunks of c classes 4c + 5 (their sums, a running argmax) + 6
        InferencePlan half = plan(20, 70 * voxels, 64_000 * MB, false, false);
        assertThat(half.window().stitching()).isEqualTo(Stitching.FLOAT16);
        InferencePlan chunks = plan(20, 30 * voxels, 64_000 * MB, false, false);
        assertThat(chunks.window().stitching()).isEqualTo(Stitching.CLASS_CHUNKS);
        assertThat(chunks.heapBytes()).isLessThanOrEqualTo(30 * voxels);
        assertThat(chunks.window().classChunk()).isBetween(1, 4);
    }

    @Test
    void classChunkMemoryDoesNotGrowWithTheClassCount() {
        SlidingWindow.Settings oneAtATime = SlidingWindow.Settings.defaults(PATCH).withStitching(
                Stitching.CLASS_CHUNKS, 1);
        InferencePlanner.Budget any = new InferencePlanner.Budget(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, false);
        long three = InferencePlanner.estimate(job(3), oneAtATime, any).heapBytes();
        long fifty = InferencePlanner.estimate(job(50), oneAtATime, any).heapBytes();
        assertThat(fifty).isEqualTo(three);
        long float32 = InferencePlanner.estimate(job(50), SlidingWindow.Settings.defaults(PATCH), any).heapBytes();
        assertThat(float32).isGreaterThan(5 * fifty);
    }

    @Test
    void theGpuBatchIsTheLargestThatFitsTheDevice() {
        long perWindow = InferencePlanner.nativeBytes(job(3), SlidingWindow.Settings.defaults(PATCH))
                - 11_875_171L * 4;
        InferencePlan two = plan(3, 64_000 * MB, 11_875_171L * 4 + perWindow * 5 / 2, false, true);
        assertThat(two.window().batchSize()).isEqualTo(2);
        assertThat(two.fits()).isTrue();
    }

    @Test
    void requestedSettingsAreKeptAndAPlanThatDoesNotFitSaysSo() {
        SlidingWindow.Settings four = SlidingWindow.Settings.defaults(PATCH).withBatchSize(4);
        InferencePlan plan = InferencePlanner.plan(job(3), four, false, false, new InferencePlanner.Budget(
                100 * MB, 100 * MB, true), false);
        assertThat(plan.window()).isEqualTo(four);
        assertThat(plan.fits()).isFalse();
        assertThat(plan.describe()).contains("window batch 4").contains("may run out of memory");
    }

    @Test
    void flipsAddTheirBuffersToTheNetworksMemory() {
        SlidingWindow.Settings plain = SlidingWindow.Settings.defaults(PATCH);
        SlidingWindow.Settings flipped = new SlidingWindow.Settings(PATCH, 0.5, true, 1, Mirroring.ALL,
                Stitching.FLOAT32, 1);
        assertThat(InferencePlanner.nativeBytes(job(3), flipped)).isGreaterThan(InferencePlanner.nativeBytes(job(3),
                plain));
        assertThat(InferencePlanner.estimate(job(3), flipped, new InferencePlanner.Budget(1L << 40, 1L << 40, true))
                .describe()).contains("8 flips");
    }
}
