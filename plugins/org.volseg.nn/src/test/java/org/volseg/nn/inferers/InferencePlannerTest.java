package org.volseg.nn.inferers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.volseg.core.sampling.PatchSize;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.NetworkConfig;

class InferencePlannerTest {

    private static final long MB = 1L << 20;
    private static final PatchSize PATCH = PatchSize.cube(96);

    /** Colin27's ch2better, whose labels are decided on the network's grid and moved back. */
    private static InferencePlanner.Job job(int classes) {
        return job(classes, true);
    }

    /**
     * Colin27's ch2better; {@code exact} false: resampled for the network, so every class is stitched over the whole
     * volume and resampled back.
     */
    private static InferencePlanner.Job job(int classes, boolean exact) {
        NetworkConfig config = NetworkConfig.of(Architecture.UNET3D, 1, classes, List.of(16, 32, 64, 128, 256), 2,
                PATCH);
        long voxels = 301L * 370 * 316;
        return new InferencePlanner.Job(config, 11_875_171, 1, classes, voxels, voxels, 316, exact, false, false);
    }

    private static InferencePlan plan(int classes, long heap, long nativeBytes, boolean shared, boolean gpu) {
        return plan(job(classes), heap, nativeBytes, shared, gpu);
    }

    private static InferencePlan plan(InferencePlanner.Job job, long heap, long nativeBytes, boolean shared,
            boolean gpu) {
        return InferencePlanner.plan(job, SlidingWindow.Settings.defaults(PATCH), true, true,
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
        InferencePlanner.Job resampled = job(20, false);
        long voxels = resampled.preparedVoxels();
        // besides the sums, 11 bytes a voxel (prepared image, argmax classes, a class resampled back, labels) and
        // about 4 of working overhead: float32 needs 95 bytes a voxel for 20 classes, float16 59 (its sums and one
        // class out); class chunks of c classes 4c + 4 (a running argmax's best value) + 15
        InferencePlan half = plan(resampled, 70 * voxels, 64_000 * MB, false, false);
        assertThat(half.window().stitching()).isEqualTo(Stitching.FLOAT16);
        InferencePlan chunks = plan(resampled, 30 * voxels, 64_000 * MB, false, false);
        assertThat(chunks.window().stitching()).isEqualTo(Stitching.CLASS_CHUNKS);
        assertThat(chunks.heapBytes()).isLessThanOrEqualTo(30 * voxels);
        assertThat(chunks.window().classChunk()).isBetween(1, 4);
    }

    @Test
    void classChunksChosenByTheUserTakeTheLargestChunkThatFits() {
        InferencePlanner.Job fifty = job(50, false);
        InferencePlanner.Budget any = new InferencePlanner.Budget(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, false);
        SlidingWindow.Settings requested = SlidingWindow.Settings.defaults(PATCH).withStitching(Stitching.CLASS_CHUNKS,
                25);
        long six = InferencePlanner.estimate(fifty, requested.withStitching(Stitching.CLASS_CHUNKS, 6), any)
                .heapBytes();
        long twelve = InferencePlanner.estimate(fifty, requested.withStitching(Stitching.CLASS_CHUNKS, 12), any)
                .heapBytes();
        InferencePlan plan = InferencePlanner.plan(fifty, requested, false, false, new InferencePlanner.Budget(
                (six + twelve) / 2, 64_000 * MB, false), false);
        assertThat(plan.window().stitching()).isEqualTo(Stitching.CLASS_CHUNKS);
        assertThat(plan.window().classChunk()).as("25 and 12 do not fit, 6 does").isEqualTo(6);
        assertThat(plan.fits()).isTrue();
        InferencePlan plenty = InferencePlanner.plan(fifty, requested, false, false, any, false);
        assertThat(plenty.window().classChunk()).isEqualTo(25);
    }

    @Test
    void classChunkMemoryDoesNotGrowWithTheClassCount() {
        SlidingWindow.Settings oneAtATime = SlidingWindow.Settings.defaults(PATCH).withStitching(
                Stitching.CLASS_CHUNKS, 1);
        InferencePlanner.Budget any = new InferencePlanner.Budget(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, false);
        long three = InferencePlanner.estimate(job(3, false), oneAtATime, any).heapBytes();
        long fifty = InferencePlanner.estimate(job(50, false), oneAtATime, any).heapBytes();
        assertThat(fifty).isEqualTo(three);
        long float32 = InferencePlanner.estimate(job(50, false), SlidingWindow.Settings.defaults(PATCH), any)
                .heapBytes();
        assertThat(float32).isGreaterThan(5 * fifty);
    }

    @Test
    void labelsDecidedAsTheWindowsGoKeepAWindowsDepthOfSums() {
        InferencePlanner.Budget any = new InferencePlanner.Budget(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, false);
        SlidingWindow.Settings float32 = SlidingWindow.Settings.defaults(PATCH);
        long voxels = job(20).preparedVoxels();
        long saved = InferencePlanner.estimate(job(20, false), float32, any).heapBytes()
                - InferencePlanner.estimate(job(20), float32, any).heapBytes();
        // 20 classes' float32 sums over 316 − 96 of ch2better's 316 slices, less what only resampling needs
        long sums = 20 * 4 * (voxels / 316) * (316 - 96);
        assertThat(saved).isBetween(sums, sums + 10 * voxels);
    }

    @Test
    void theGpuBatchIsTheLargestThatFitsTheDevice() {
        long perWindow = InferencePlanner.nativeBytes(job(3), SlidingWindow.Settings.defaults(PATCH), false)
                - 11_875_171L * 4;
        InferencePlan two = plan(3, 64_000 * MB, 11_875_171L * 4 + perWindow * 5 / 2, false, true);
        assertThat(two.window().batchSize()).isEqualTo(2);
        assertThat(two.fits()).isTrue();
    }

    @Test
    void aCpuRunCostsItsFirstCallsPerWindowAndABatchOfTwoOrMoreOneDnnsLayouts() {
        SlidingWindow.Settings one = SlidingWindow.Settings.defaults(PATCH);
        SlidingWindow.Settings two = one.withBatchSize(2);
        assertThat(InferencePlanner.nativeBytes(job(3), one, true) - InferencePlanner.nativeBytes(job(3), one, false))
                .isEqualTo(InferencePlanner.FIRST_CALLS_BYTES_PER_WINDOW);
        assertThat(InferencePlanner.nativeBytes(job(3), two, true) - InferencePlanner.nativeBytes(job(3), two, false))
                .isEqualTo(2 * (InferencePlanner.FIRST_CALLS_BYTES_PER_WINDOW
                        + (long) (PATCH.voxels() * InferencePlanner.ONEDNN_BATCH_FLOATS_PER_VOXEL * 4)));
        assertThat(InferencePlanner.nativeBytes(job(3), two, false)).isGreaterThan(InferencePlanner.nativeBytes(
                job(3), one, false));
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
        assertThat(InferencePlanner.nativeBytes(job(3), flipped, true)).isGreaterThan(InferencePlanner.nativeBytes(
                job(3), plain, true));
        assertThat(InferencePlanner.estimate(job(3), flipped, new InferencePlanner.Budget(1L << 40, 1L << 40, true))
                .describe()).contains("8 flips");
    }

    @ParameterizedTest
    @EnumSource(Stitching.class)
    void aPointwiseHeadsNativeMemoryIsTheSameWhateverTheClassCount(Stitching stitching) {
        SlidingWindow.Settings window = SlidingWindow.Settings.defaults(PATCH).withStitching(stitching, 1);
        assertThat(InferencePlanner.nativeBytes(splitHead(50), window, true))
                .isEqualTo(InferencePlanner.nativeBytes(splitHead(3), window, true));
        // the head's input is 16 floats a voxel (the top level's width) where 3 logits would be
        assertThat(InferencePlanner.nativeBytes(splitHead(3), window, true)
                - InferencePlanner.nativeBytes(job(3), window, true)).isEqualTo(13L * PATCH.voxels() * 4);
        assertThat(InferencePlanner.nativeBytes(job(50), window, true)
                - InferencePlanner.nativeBytes(job(3), window, true)).isEqualTo(47L * PATCH.voxels() * 4);
    }

    private static InferencePlanner.Job splitHead(int classes) {
        return models(job(classes), 1, true);
    }

    private static InferencePlanner.Job models(InferencePlanner.Job j, int models, boolean pointwiseHead) {
        return new InferencePlanner.Job(j.network(), j.parameters() * models, j.channels(), j.classes(),
                j.inputVoxels(), j.preparedVoxels(), j.preparedSlices(), j.exact(), j.identity(), j.probabilityMaps(),
                models, pointwiseHead);
    }

    @ParameterizedTest
    @EnumSource(Stitching.class)
    void anEnsembleSplitBeforeItsHeadsHoldsItsMembersHeadInputsWhateverTheClassCount(Stitching stitching) {
        SlidingWindow.Settings window = SlidingWindow.Settings.defaults(PATCH).withStitching(stitching, 1);
        assertThat(InferencePlanner.nativeBytes(models(job(50), 3, true), window, true))
                .isEqualTo(InferencePlanner.nativeBytes(models(job(3), 3, true), window, true));
        // three head inputs of 16 floats a voxel side by side and one being made, where one network holds its own;
        // the head's slabs add the members' probabilities and their sum
        assertThat(InferencePlanner.nativeBytes(models(job(3), 3, true), window, true)
                - InferencePlanner.nativeBytes(splitHead(3), window, true)).isEqualTo(2 * job(3).parameters() * 4
                        + (4L * 16 - 16) * PATCH.voxels() * 4
                        + 2L * Math.min(SlidingWindow.SLAB_BYTES, 3L * PATCH.voxels() * 4));
        // unsplit: 50 classes of logits, their sum and a member's probabilities
        assertThat(InferencePlanner.nativeBytes(models(job(50), 3, false), window, true)
                - InferencePlanner.nativeBytes(models(job(50), 3, true), window, true))
                .isEqualTo((3L * 50 - 4 * 16) * PATCH.voxels() * 4
                        - 2L * Math.min(SlidingWindow.SLAB_BYTES, 50L * PATCH.voxels() * 4));
    }

    @Test
    void anEnsembleHoldsItsSumAndAMembersProbabilitiesBesideTheLogits() {
        InferencePlanner.Job one = job(5);
        InferencePlanner.Job three = models(one, 3, false);
        SlidingWindow.Settings window = SlidingWindow.Settings.defaults(PATCH);
        assertThat(InferencePlanner.nativeBytes(three, window, false) - InferencePlanner.nativeBytes(one, window,
                false)).isEqualTo(2 * one.parameters() * 4 + 2L * 5 * PATCH.voxels() * 4);
        assertThat(InferencePlanner.heapBytes(three, window)).isEqualTo(InferencePlanner.heapBytes(one, window));
    }

    /**
     * On two GPUs the heap holds both devices' windows: a heap that takes one device's batch of 8 but not two is
     * planned with the first candidate whose spread version fits, not with a plan that only fits on one device.
     */
    @Test
    void aPlanForTwoDevicesFitsTheHeapWithBothDevicesWindows() {
        InferencePlanner.Job job = job(50);
        SlidingWindow.Settings eight = SlidingWindow.Settings.defaults(PATCH).withBatchSize(8);
        long oneDevice = InferencePlanner.heapBytes(job, eight);
        long twoDevices = InferencePlanner.heapBytes(job, eight.withBatchSize(16));
        assertThat(twoDevices).isGreaterThan(oneDevice);
        InferencePlanner.Budget budget = new InferencePlanner.Budget((oneDevice + twoDevices) / 2, 1L << 40, false);
        InferencePlan single = InferencePlanner.plan(job, eight, true, true, budget, true);
        assertThat(single.window().batchSize()).isEqualTo(8);
        assertThat(single.window().stitching()).isEqualTo(Stitching.FLOAT32);
        InferencePlan spread = InferencePlanner.plan(job, eight, true, true, budget, true, 2);
        assertThat(spread.fits()).isTrue();
        assertThat(spread.devices()).isEqualTo(2);
        assertThat(spread.heapBytes()).isLessThanOrEqualTo(budget.heapBytes());
        assertThat(InferencePlanner.spread(job, single, 2).fits()).as("the one-device plan spread").isFalse();
        // the batch before the stitching, as on one device: 8 windows each, half-precision sums
        assertThat(spread.window().batchSize()).isEqualTo(16);
        assertThat(spread.window().stitching()).isEqualTo(Stitching.FLOAT16);
        assertThat(spread.nativeBytes()).as("the first device also holds the batch's input and every part's logits")
                .isGreaterThan(InferencePlanner.estimate(job, spread.window().withBatchSize(8), budget).nativeBytes());
    }
}
