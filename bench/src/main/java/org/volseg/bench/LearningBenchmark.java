package org.volseg.bench;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.volseg.core.data.synthetic.Phantom;
import org.volseg.core.data.synthetic.PhantomDataset;
import org.volseg.core.data.synthetic.PhantomSpec;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.IntensityNormalization;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engines.EpochRecord;
import org.volseg.nn.engines.Trainer;
import org.volseg.nn.engines.TrainingCase;
import org.volseg.nn.engines.TrainingResult;
import org.volseg.nn.engines.TrainingSettings;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkConfig;

/**
 * {@code volseg bench learning}: UNet3d, Partially-InvRes and Fully-InvRes trained the same way on synthetic
 * BraTS-like phantoms (train 16, validate 8), reporting the final validation mean foreground Dice of each beside
 * UNet3d's from the same run (the paper's "comparable accuracy" claim), and the training time.
 */
final class LearningBenchmark {

    private static final int SIZE = Integer.getInteger("volseg.bench.phantomSize", 64);
    private static final int PATCH = Integer.getInteger("volseg.bench.patch", 48);
    private static final int EPOCHS = Integer.getInteger("volseg.bench.epochs", 30);
    private static final int STEPS = Integer.getInteger("volseg.bench.stepsPerEpoch", 25);
    private static final List<Integer> WIDTHS = java.util.Arrays.stream(System.getProperty("volseg.bench.widths",
            "8,16,32,64").split(",")).map(String::trim).map(Integer::valueOf).toList();
    /** Architectures to train besides UNet3d, the reference (e.g. -Dvolseg.bench.architectures=FULLY_INVRES). */
    private static final List<Architecture> OTHERS = java.util.Arrays.stream(System.getProperty(
            "volseg.bench.architectures", "PARTIALLY_INVRES,FULLY_INVRES").split(",")).map(String::trim)
            .map(Architecture::valueOf).toList();
    private static final int[] LABELS = {0, 1, 2, 3};

    private LearningBenchmark() {
    }

    record Outcome(double meanDice, Map<Integer, Double> dice, double seconds) {
    }

    static void run() throws Exception {
        PhantomDataset phantoms = new PhantomDataset(2026, PhantomSpec.cube(SIZE));
        List<TrainingCase> cases = new ArrayList<>();
        for (Phantom p : phantoms.generateAll(24)) {
            cases.add(new TrainingCase(p.id(), IntensityNormalization.zScore(p.image()), p.labels()));
        }
        PatchSize patch = PatchSize.cube(PATCH);
        TrainingSettings settings = TrainingSettings.defaults().withPatch(patch).withEpochs(EPOCHS)
                .withStepsPerEpoch(STEPS).withValidation(Math.max(1, EPOCHS / 3), 0.25, 0).withSeed(7);
        Map<Architecture, Outcome> outcomes = new LinkedHashMap<>();
        for (Architecture a : architectures()) {
            NetworkConfig config = new NetworkConfig(a, 4, LABELS.length, WIDTHS, 2, NetworkConfig.Norm.INSTANCE,
                    NetworkConfig.Activation.LEAKY_RELU, false, patch);
            outcomes.put(a, train(config, cases.subList(0, 16), cases.subList(16, 24), LABELS, settings));
        }
        Outcome unet = outcomes.get(Architecture.UNET3D);
        Table table = new Table("Learning on synthetic phantoms: mean foreground validation Dice and training time")
                .setting("machine", Machine.describe())
                .setting("data", "phantoms " + SIZE + "³ (seed 2026): train 16, validate 8; labels 1 core, 2 edema, "
                        + "3 enhancing; z-score per channel")
                .setting("network", "4 channels, 4 classes, widths " + WIDTHS + ", 2 blocks per level, instance norm")
                .setting("training", EPOCHS + " epochs × " + STEPS + " steps, patch " + patch + ", batch 1, "
                        + settings.optimizer() + " lr " + settings.learningRate() + " " + settings.schedule()
                        + ", augmentation on, validation by sliding window (overlap 0.25)");
        table.row("UNet3d mean Dice", "", unet.meanDice(), "target", 0.85, "≥ 1.00×");
        for (Architecture a : OTHERS) {
            Outcome o = outcomes.get(a);
            table.row(a + " mean Dice", "", o.meanDice(), "UNet3d", unet.meanDice(), "≥ UNet3d − 0.03");
            table.row(a + " training time", "s", o.seconds(), "UNet3d", unet.seconds(), "");
        }
        outcomes.forEach((a, o) -> table.setting("Dice per label, " + a, o.dice()));
        table.print();
    }

    /** UNet3d, the reference, then the others asked for. */
    static List<Architecture> architectures() {
        List<Architecture> all = new ArrayList<>(List.of(Architecture.UNET3D));
        OTHERS.stream().filter(a -> a != Architecture.UNET3D).forEach(all::add);
        return all;
    }

    /** Trains a network built from seed 7, reporting each epoch on stderr; the last epoch's validation Dice. */
    static Outcome train(NetworkConfig config, List<TrainingCase> training, List<TrainingCase> validation,
            int[] labels, TrainingSettings settings) {
        long t0 = System.nanoTime();
        TrainingResult result = DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                return new Trainer().train(Network.build(config, m, 7), training, validation, labels, settings, null,
                        Monitor.SILENT, (EpochRecord r) -> System.err.printf(
                                "  %s epoch %d: loss %.3f, mean Dice %.3f, %.0f s%n", config.architecture(),
                                r.epoch(), r.trainLoss(), r.meanDice(), r.seconds()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        EpochRecord last = result.history().get(result.history().size() - 1);
        return new Outcome(last.meanDice(), last.validationDice(), (System.nanoTime() - t0) / 1e9);
    }
}
