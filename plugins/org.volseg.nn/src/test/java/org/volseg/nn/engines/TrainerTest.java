package org.volseg.nn.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.testing.OneIntraOpThread;

/** The training loop with a tiny reversible network: reproducibility, exact resume, checkpoints, learning. */
@ExtendWith(OneIntraOpThread.class)
class TrainerTest {

    private static final int SIZE = 16;
    private static final int[] LABELS = {0, 1};

    @TempDir
    Path dir;

    /** A bright sphere (label 1) in Gaussian noise. */
    static TrainingCase sphere(String id, double cx, double cy, double cz, double radius, long seed) {
        Geometry grid = Geometry.of(SIZE, SIZE, SIZE, 1, 1, 1);
        float[] image = new float[grid.voxels()];
        int[] labels = new int[grid.voxels()];
        Random random = new Random(seed);
        for (int z = 0; z < SIZE; z++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int i = grid.index(x, y, z);
                    boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz)
                            < radius * radius;
                    labels[i] = inside ? 1 : 0;
                    image[i] = (inside ? 1f : 0f) + 0.2f * (float) random.nextGaussian();
                }
            }
        }
        return new TrainingCase(id, new Volume(grid, image), LabelMap.of(grid, labels));
    }

    static List<TrainingCase> trainingCases() {
        return List.of(sphere("a", 7, 7.5, 8, 4, 1), sphere("b", 8.5, 8, 7, 3.5, 2));
    }

    static List<TrainingCase> validationCases() {
        return List.of(sphere("v", 8, 7.5, 8.5, 4, 3));
    }

    /** Short runs: 12³ patches on 16³ volumes, batch 2, AdamW, poly with warm-up, augmentation on. */
    static TrainingSettings small(int epochs, int steps) {
        return TrainingSettings.defaults().withPatch(PatchSize.cube(12)).withEpochs(epochs).withStepsPerEpoch(steps)
                .withBatchSize(2).withOptimizer(Optimizer.Kind.ADAMW, 0.02, 1e-4)
                .withSchedule(LearningRateSchedule.Kind.POLY, Math.min(2, epochs * steps)).withValidation(2, 0.5, 0).withCheckpointEvery(0)
                .withSeed(11);
    }

    private static List<Double> losses(TrainingResult result) {
        return result.history().stream().map(EpochRecord::trainLoss).toList();
    }

    private static List<float[]> values(Trainable net) {
        return net.parameters().stream().map(NDArray::toFloatArray).toList();
    }

    private TrainingResult train(Trainable net, TrainingSettings settings, Path checkpoint, Monitor monitor,
            List<EpochRecord> seen) throws IOException {
        return new Trainer().train(net, trainingCases(), validationCases(), LABELS, settings, checkpoint, monitor,
                seen == null ? null : seen::add);
    }

    /** Cancels at the first check once asked to, or once {@code cancelAfter} steps were reported. */
    private static final class Canceller implements Monitor {
        private final double fraction;
        private boolean due;

        Canceller(int cancelAfter, TrainingSettings settings) {
            this.fraction = cancelAfter <= 0 ? Double.POSITIVE_INFINITY : (double) cancelAfter / settings.totalSteps();
        }

        void cancel() {
            due = true;
        }

        @Override
        public void progress(double done, String message) {
            due |= done >= fraction - 1e-12;
        }

        @Override
        public void checkCanceled() {
            if (due) {
                throw new CancellationException("stop");
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameLossCurve() throws IOException {
        TrainingSettings settings = small(2, 3);
        List<List<Double>> curves = new ArrayList<>();
        List<List<float[]>> finals = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (NDManager m = NDManager.newBaseManager()) {
                TinyNet net = new TinyNet(m, 1, 2, 4, 5);
                curves.add(losses(train(net, settings, null, Monitor.SILENT, null)));
                finals.add(values(net));
            }
        }
        assertThat(curves.get(1)).containsExactlyElementsOf(curves.get(0));
        for (int i = 0; i < finals.get(0).size(); i++) {
            assertThat(finals.get(1).get(i)).containsExactly(finals.get(0).get(i));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            List<Double> otherSeed = losses(train(new TinyNet(m, 1, 2, 4, 5), settings.withSeed(12), null,
                    Monitor.SILENT, null));
            assertThat(otherSeed).isNotEqualTo(curves.get(0));
        }
    }

    private static final TrainingSettings RESUMED = small(4, 2);
    private static TrainingResult straight;
    private static List<float[]> straightValues;

    /** The uninterrupted run the resumed ones must reproduce, trained once for all of them. */
    private static synchronized void trainStraight() throws IOException {
        if (straight == null) {
            try (NDManager m = NDManager.newBaseManager()) {
                TinyNet net = new TinyNet(m, 1, 2, 4, 5);
                straight = new Trainer().train(net, trainingCases(), validationCases(), LABELS, RESUMED, null,
                        Monitor.SILENT, null);
                straightValues = values(net);
            }
        }
    }

    /**
     * 4 epochs of 2 steps straight against the same run cancelled (after {@code cancelAfter} steps, or at the end
     * of epoch 2 when 0) and resumed from its checkpoint by a network of other initial parameters.
     */
    private void resumeMatchesStraightRun(int cancelAfter, int firstResumedEpoch) throws IOException {
        trainStraight();
        TrainingSettings settings = RESUMED;
        Path checkpoint = dir.resolve("run.zip");
        try (NDManager m = NDManager.newBaseManager()) {
            TinyNet net = new TinyNet(m, 1, 2, 4, 5);
            Canceller canceller = new Canceller(cancelAfter, settings);
            assertThatThrownBy(() -> new Trainer().train(net, trainingCases(), validationCases(), LABELS, settings,
                    checkpoint, canceller, record -> {
                        if (cancelAfter == 0 && record.epoch() == 2) {
                            canceller.cancel();
                        }
                    })).isInstanceOf(CancellationException.class);
        }
        assertThat(checkpoint).exists();
        TrainingResult resumed;
        List<float[]> resumedValues;
        List<EpochRecord> seen = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            // other initial parameters: everything must come from the checkpoint
            TinyNet net = new TinyNet(m, 1, 2, 4, 99);
            resumed = train(net, settings, checkpoint, Monitor.SILENT, seen);
            resumedValues = values(net);
        }
        assertThat(seen).extracting(EpochRecord::epoch).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(firstResumedEpoch, 4).boxed().toList());
        assertThat(resumed.history()).hasSize(4);
        for (int e = 0; e < 4; e++) {
            EpochRecord a = straight.history().get(e);
            EpochRecord b = resumed.history().get(e);
            assertThat(b.trainLoss()).as("epoch %d", e + 1).isCloseTo(a.trainLoss(),
                    within(1e-6 * Math.abs(a.trainLoss())));
            assertThat(b.learningRate()).isEqualTo(a.learningRate());
            assertThat(b.validationDice()).isEqualTo(a.validationDice());
        }
        for (int i = 0; i < straightValues.size(); i++) {
            assertThat(resumedValues.get(i)).as("parameter %d", i).containsExactly(straightValues.get(i));
        }
        assertThat(resumed.bestEpoch()).isEqualTo(straight.bestEpoch());
        assertThat(resumed.bestMeanDice()).isEqualTo(straight.bestMeanDice());
    }

    @Test
    void resumingAfterACancelBetweenEpochsContinuesExactly() throws IOException {
        resumeMatchesStraightRun(0, 3);
    }

    @Test
    void resumingAfterACancelWithinAnEpochContinuesExactly() throws IOException {
        resumeMatchesStraightRun(3, 2);
    }

    @Test
    void resumingAfterACancelDuringValidationContinuesExactly() throws IOException {
        // after epoch 2's last step the next check is in its validation
        resumeMatchesStraightRun(4, 2);
    }

    @Test
    void aCancelWritesTheCheckpointThenRethrows() throws IOException {
        TrainingSettings settings = small(3, 2).withCheckpointEvery(0);
        Path checkpoint = dir.resolve("cancel.zip");
        List<EpochRecord> seen = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            TinyNet net = new TinyNet(m, 1, 2, 4, 5);
            assertThatThrownBy(() -> train(net, settings, checkpoint, new Canceller(3, settings), seen))
                    .isInstanceOf(CancellationException.class).hasMessage("stop");
            assertThat(checkpoint).exists();
            try (ZipFile zip = new ZipFile(checkpoint.toFile())) {
                assertThat(zip.stream().map(e -> e.getName())).containsExactly("checkpoint.json", "parameters.bin",
                        "optimizer.bin");
            }
            try (NDManager scope = m.newSubManager();
                    TrainingCheckpoint.Contents contents = TrainingCheckpoint.read(checkpoint, scope)) {
                assertThat(contents.state().history()).hasSize(1).isEqualTo(seen);
                assertThat(contents.state().stepsInEpoch()).isEqualTo(1);
                assertThat(contents.state().settings()).isEqualTo(settings);
                assertThat(contents.parameters().stream().map(NDArray::getName))
                        .containsExactlyElementsOf(net.parameters().stream().map(NDArray::getName).toList());
                assertThat(contents.parameters().get(0).toFloatArray())
                        .containsExactly(net.parameters().get(0).toFloatArray());
            }
        }
        assertThat(dir).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void aCheckpointOfOtherSettingsLabelsOrNetworkIsRefused() throws IOException {
        TrainingSettings settings = small(1, 1).withValidation(1, 0.5, 0);
        Path checkpoint = dir.resolve("other.zip");
        try (NDManager m = NDManager.newBaseManager()) {
            train(new TinyNet(m, 1, 2, 4, 5), settings, checkpoint, Monitor.SILENT, null);
            byte[] before = Files.readAllBytes(checkpoint);
            assertThatThrownBy(() -> train(new TinyNet(m, 1, 2, 4, 5), settings.withOptimizer(Optimizer.Kind.ADAMW,
                    0.05, 1e-4), checkpoint, Monitor.SILENT, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(checkpoint.toString())
                    .hasMessageContaining("learningRate = 0.02").hasMessageContaining("learningRate = 0.05");
            assertThatThrownBy(() -> train(new TinyNet(m, 1, 2, 4, 5), settings.withEpochs(2), checkpoint,
                    Monitor.SILENT, null)).hasMessageContaining("epochs = 1");
            assertThatThrownBy(() -> train(new TinyNet(m, 1, 2, 6, 5), settings, checkpoint, Monitor.SILENT, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'stem.weight'")
                    .hasMessageContaining("another network");
            assertThatThrownBy(() -> new Trainer().train(new TinyNet(m, 1, 2, 4, 5), trainingCases(),
                    validationCases(), new int[] {0, 1}, settings.withSeed(3), checkpoint, Monitor.SILENT, null))
                    .hasMessageContaining("seed = 11");
            assertThat(Files.readAllBytes(checkpoint)).isEqualTo(before);
        }
    }

    @Test
    void anUnreadableCheckpointIsRefusedNamingTheFileAndThePart() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.zip"), "not a checkpoint");
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> train(new TinyNet(m, 1, 2, 4, 5), small(1, 1), garbage, Monitor.SILENT, null))
                    .isInstanceOf(org.volseg.core.io.VolumeFormatException.class)
                    .hasMessage("garbage.zip: file: is not a zip file, so not a VolSeg training checkpoint");
        }
        assertThat(Files.readString(garbage)).isEqualTo("not a checkpoint");
    }

    @Test
    void aFinishedRunIsReturnedFromItsCheckpointWithParameters() throws IOException {
        TrainingSettings settings = small(2, 2).withCheckpointEvery(1);
        Path checkpoint = dir.resolve("done.zip");
        try (NDManager m = NDManager.newBaseManager()) {
            TinyNet trained = new TinyNet(m, 1, 2, 4, 5);
            TrainingResult first = train(trained, settings, checkpoint, Monitor.SILENT, null);
            TinyNet fresh = new TinyNet(m, 1, 2, 4, 6);
            List<EpochRecord> seen = new ArrayList<>();
            TrainingResult again = train(fresh, settings, checkpoint, Monitor.SILENT, seen);
            assertThat(seen).isEmpty();
            assertThat(again).isEqualTo(first);
            assertThat(fresh.parameters().get(0).toFloatArray())
                    .containsExactly(trained.parameters().get(0).toFloatArray());
        }
    }

    @Test
    void aFewDozenStepsLearnTheSphere() throws IOException {
        TrainingSettings settings = small(3, 12).withOptimizer(Optimizer.Kind.ADAM, 0.02, 0).withAugment(false)
                .withSchedule(LearningRateSchedule.Kind.CONSTANT, 0).withBatchSize(1).withValidation(3, 0.5, 0);
        List<String> messages = new ArrayList<>();
        Monitor monitor = Monitor.recording(messages);
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingResult result = train(new TinyNet(m, 1, 2, 4, 5, SegmentTape.Backprop.REVERSIBLE), settings, null, monitor, null);
            EpochRecord last = result.history().get(2);
            assertThat(last.validationDice()).containsOnlyKeys(1);
            assertThat(last.meanDice()).as("validation Dice after 36 steps").isGreaterThan(0.8);
            assertThat(result.bestEpoch()).isEqualTo(3);
            assertThat(result.bestMeanDice()).isEqualTo(last.meanDice());
            assertThat(result.history().get(0).trainLoss()).isGreaterThan(last.trainLoss());
        }
        assertThat(messages).contains("epoch 1/3, step 1/12, loss " + messages.get(0).split("loss ")[1],
                "epoch 3/3, validating case 1/1");
    }

    @Test
    void historyRecordsTimeMemoryLearningRateAndValidation() throws IOException {
        TrainingSettings settings = small(2, 2).withValidation(2, 0.5, 0);
        List<EpochRecord> seen = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingResult result = train(new TinyNet(m, 1, 2, 4, 5), settings, null, Monitor.SILENT, seen);
            assertThat(result.history()).isEqualTo(seen).hasSize(2);
        }
        LearningRateSchedule schedule = settings.learningRateSchedule();
        for (EpochRecord r : seen) {
            assertThat(r.seconds()).isPositive();
            if (Files.isReadable(Path.of("/proc/self/status"))) {
                assertThat(r.peakMemoryBytes()).isGreaterThan(1 << 20);
            }
            assertThat(r.learningRate()).isEqualTo(schedule.at((long) (r.epoch() - 1) * 2));
            assertThat(r.trainLoss()).isPositive();
        }
        assertThat(seen.get(0).validated()).isFalse();
        assertThat(seen.get(0).meanDice()).isNaN();
        assertThat(seen.get(1).validationDice()).containsOnlyKeys(1);
        assertThat(seen.get(1).meanDice()).isEqualTo(seen.get(1).validationDice().get(1));
    }

    @Test
    void labelsOutsideTheLabelValuesAreRefusedNamingTheCase() {
        TrainingCase odd = sphere("odd", 10, 10, 10, 4, 4);
        LabelMap labels = LabelMap.create(odd.labels().geometry(), 7);
        labels.set(5, 7);
        TrainingCase bad = new TrainingCase("bad", odd.image(), labels);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyNet net = new TinyNet(m, 1, 2, 4, 5);
            assertThatThrownBy(() -> new Trainer().train(net, trainingCases(), List.of(bad), LABELS, small(1, 1),
                    null, Monitor.SILENT, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'bad'").hasMessageContaining("label 7")
                    .hasMessageContaining("[0, 1]");
            assertThatThrownBy(() -> new Trainer().train(net, trainingCases(), List.of(), new int[] {0, 1, 2},
                    small(1, 1), null, Monitor.SILENT, null)).hasMessageContaining("3 label values")
                    .hasMessageContaining("2 classes");
            assertThatThrownBy(() -> new Trainer().train(net, trainingCases(), List.of(), new int[] {1, 0},
                    small(1, 1), null, Monitor.SILENT, null)).hasMessageContaining("background, 0");
        }
    }

    /** Predicts the background everywhere, whatever it is taught: its Dice never improves. */
    private static final class Stubborn implements Trainable {
        private final NDArray bias;

        Stubborn(NDManager m) {
            bias = m.create(new float[] {1, 0});
            bias.setName("bias");
            bias.setRequiresGradient(true);
        }

        @Override
        public List<NDArray> parameters() {
            return List.of(bias);
        }

        @Override
        public double step(NDArray image, NDArray oneHot, long stepSeed) {
            return 1;
        }

        @Override
        public NDArray logits(NDArray image) {
            Shape s = image.getShape();
            return image.getManager().zeros(new Shape(s.get(0), 2, s.get(2), s.get(3), s.get(4)))
                    .add(GradMode.with(false, () -> bias.stopGradient().reshape(1, 2, 1, 1, 1)));
        }

        @Override
        public int classes() {
            return 2;
        }
    }

    @Test
    void earlyStoppingEndsARunWhoseDiceStopsImproving() throws IOException {
        TrainingSettings settings = small(10, 1).withValidation(1, 0.5, 2).withCheckpointEvery(4)
                .withAugment(false);
        Path checkpoint = dir.resolve("early.zip");
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingResult result = train(new Stubborn(m), settings, checkpoint, Monitor.SILENT, null);
            assertThat(result.stoppedEarly()).isTrue();
            assertThat(result.history()).hasSize(3).allMatch(EpochRecord::validated);
            assertThat(result.bestEpoch()).isEqualTo(1);
            assertThat(result.bestMeanDice()).isZero();
            // the end is checkpointed too, and a resumed stopped run stays stopped
            TrainingResult again = train(new Stubborn(m), settings, checkpoint, Monitor.SILENT, null);
            assertThat(again).isEqualTo(result);
        }
    }

    /** Loss = w · mean(image), so each patch adds its mean intensity to w's gradient; records what it is fed. */
    private static final class Probe implements Trainable {
        final NDArray weight;
        final int guidance;
        final List<Shape> shapes = new ArrayList<>();
        final List<Double> means = new ArrayList<>();
        final List<float[]> images = new ArrayList<>();

        Probe(NDManager m) {
            this(m, 0);
        }

        Probe(NDManager m, int guidance) {
            this(m, guidance, new float[guidance]);
        }

        /** @param outside each guidance channel's value outside a case */
        Probe(NDManager m, int guidance, float[] outside) {
            weight = m.zeros(new Shape(1));
            weight.setName("w");
            weight.setRequiresGradient(true);
            this.guidance = guidance;
            this.outside = outside;
        }

        final float[] outside;

        @Override
        public int guidanceChannels() {
            return guidance;
        }

        @Override
        public float[] guidanceOutside() {
            return outside.clone();
        }

        @Override
        public List<NDArray> parameters() {
            return List.of(weight);
        }

        @Override
        public double step(NDArray image, NDArray oneHot, long stepSeed) {
            shapes.add(image.getShape());
            images.add(image.toFloatArray());
            double mean = image.mean().getFloat();
            means.add(mean);
            NDArray loss = GradMode.with(true, () -> weight.mul(image.mean()).sum());
            GradMode.backward(loss);
            return mean;
        }

        @Override
        public NDArray logits(NDArray image) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int classes() {
            return 2;
        }
    }

    @Test
    void aBatchIsFedPatchByPatchAndStepsOnTheMeanGradient() throws IOException {
        TrainingSettings settings = small(1, 1).withBatchSize(3).withAugment(false)
                .withOptimizer(Optimizer.Kind.SGD_NESTEROV, 0.1, 0).withSchedule(LearningRateSchedule.Kind.CONSTANT, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            Probe probe = new Probe(m);
            TrainingResult result = new Trainer().train(probe, trainingCases(), List.of(), LABELS, settings, null,
                    Monitor.SILENT, null);
            assertThat(probe.shapes).containsOnly(new Shape(1, 1, 12, 12, 12)).hasSize(3);
            double mean = probe.means.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(result.history().get(0).trainLoss()).isCloseTo(mean, within(1e-12));
            // first Nesterov step from zero momentum: w −= lr · (g + 0.99 · g)
            assertThat((double) probe.weight.getFloat()).isCloseTo(-0.1 * 1.99 * mean, within(1e-6));
        }
    }

    @Test
    void guidanceChannelsFollowTheFlipsAndTurnsButNotTheIntensityChanges() throws IOException {
        TrainingCase sphere = trainingCases().get(0);
        Geometry grid = sphere.image().geometry();
        // an image channel and one guidance channel holding the same shuffled voxel numbers: any misalignment
        // between them decorrelates them, any intensity change makes the guidance's numbers fractional
        List<Float> numbers = new ArrayList<>();
        for (int i = 0; i < grid.voxels(); i++) {
            numbers.add((float) i);
        }
        Collections.shuffle(numbers, new Random(5));
        float[] shuffled = new float[grid.voxels()];
        int[] position = new int[grid.voxels()];
        for (int i = 0; i < shuffled.length; i++) {
            shuffled[i] = numbers.get(i);
            position[(int) shuffled[i]] = i;
        }
        TrainingCase guided = new TrainingCase("guided", new Volume(grid, shuffled.clone(), shuffled.clone()),
                sphere.labels());
        TrainingSettings settings = small(1, 24).withBatchSize(1); // augmentation on
        try (NDManager m = NDManager.newBaseManager()) {
            Probe probe = new Probe(m, 1);
            new Trainer().train(probe, List.of(guided), List.of(), LABELS, settings, null, Monitor.SILENT, null);
            int moved = 0;
            int changedIntensity = 0;
            for (float[] patch : probe.images) {
                int n = patch.length / 2;
                float[] image = Arrays.copyOfRange(patch, 0, n);
                float[] guide = Arrays.copyOfRange(patch, n, 2 * n);
                for (float v : guide) {
                    assertThat(v == Math.rint(v) && v >= 0 && v < grid.voxels())
                            .as("guidance value %s is a voxel number, untouched", v).isTrue();
                }
                assertThat(correlation(image, guide)).as("image and guidance moved together").isGreaterThan(0.9);
                changedIntensity += Arrays.equals(image, guide) ? 0 : 1;
                // without a flip or turn the patch's second voxel lies one step along x from its first
                moved += position[(int) guide[1]] - position[(int) guide[0]] == 1 ? 0 : 1;
            }
            assertThat(probe.images).hasSize(24);
            assertThat(moved).as("patches flipped or turned").isPositive();
            assertThat(changedIntensity).as("patches whose image channel was brightened or noised").isPositive();
            assertThatThrownBy(() -> new Trainer().train(probe, List.of(guided), List.of(guided), LABELS, settings,
                    null, Monitor.SILENT, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("case 'guided' has 2 channel(s)").hasMessageContaining("1 of them guidance");
        }
    }

    /**
     * Where a patch reaches outside a case smaller than it, the image channels hold 0 and each guidance channel the
     * network's value for outside (a teacher's "background for certain"), not 0.
     */
    @Test
    void guidanceOutsideACaseTakesTheNetworksValue() throws IOException {
        Geometry grid = Geometry.of(8, 8, 8, 1, 1, 1);
        float[] ones = new float[grid.voxels()];
        Arrays.fill(ones, 1f);
        float[] fives = new float[grid.voxels()];
        Arrays.fill(fives, 5f);
        TrainingCase small = new TrainingCase("small", new Volume(grid, ones, fives), LabelMap.create(grid, 1));
        TrainingSettings settings = small(1, 3).withBatchSize(1).withAugment(false); // 12³ patches, 8³ case
        try (NDManager m = NDManager.newBaseManager()) {
            Probe probe = new Probe(m, 1, new float[] {-3f});
            new Trainer().train(probe, List.of(small), List.of(), LABELS, settings, null, Monitor.SILENT, null);
            assertThat(probe.images).hasSize(3);
            for (float[] patch : probe.images) {
                int n = patch.length / 2;
                int outside = 0;
                for (int i = 0; i < n; i++) {
                    boolean padded = patch[i] == 0f;
                    assertThat(patch[n + i]).as("guidance at %d", i).isEqualTo(padded ? -3f : 5f);
                    outside += padded ? 1 : 0;
                }
                assertThat(outside).isEqualTo(12 * 12 * 12 - 8 * 8 * 8);
            }
        }
    }

    private static double correlation(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / (double) a.length;
            mb += b[i] / (double) b.length;
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void memoryStaysFlatAndNothingIsLeftInTheNetworksManager() throws IOException {
        TrainingSettings settings = small(45, 5).withValidation(15, 0.5, 0).withCheckpointEvery(15);
        long[] early = {Long.MAX_VALUE};
        long[] late = {Long.MAX_VALUE};
        try (NDManager m = NDManager.newBaseManager()) {
            TinyNet net = new TinyNet(m, 1, 2, 4, 5, SegmentTape.Backprop.REVERSIBLE);
            int arrays = m.getManagedArrays().size();
            new Trainer().train(net, trainingCases(), validationCases(), LABELS, settings, dir.resolve("memory.zip"),
                    Monitor.SILENT, record -> {
                        // native memory settles over some 75 steps, then breathes by a few MB: after a
                        // warm-up, compare the lowest of several samples with the lowest of several later ones. The
                        // arrays' count above catches leaked handles exactly; this catches leaks of the size of a
                        // step's graph (some 0.5 MB a step here, 60 MB over the 125 steps between the samples)
                        if (record.epoch() >= 18 && record.epoch() <= 24) {
                            early[0] = Math.min(early[0], org.volseg.nn.testing.NativeMemory.bytes());
                        } else if (record.epoch() >= 38) {
                            late[0] = Math.min(late[0], org.volseg.nn.testing.NativeMemory.bytes());
                        }
                    });
            assertThat(m.getManagedArrays().size()).as("arrays left in the network's manager").isEqualTo(arrays);
        }
        assertThat(late[0]).as("native memory after 225 steps vs after 100").isLessThanOrEqualTo(
                early[0] + (32L << 20));
    }
}
