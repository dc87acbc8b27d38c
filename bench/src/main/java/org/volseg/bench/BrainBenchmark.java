package org.volseg.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.volseg.core.data.Colin27;
import org.volseg.core.metrics.ClassMetrics;
import org.volseg.core.metrics.SegmentationMetrics;
import org.volseg.core.postprocessing.PostProcessing;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.Box;
import org.volseg.core.transforms.Cropping;
import org.volseg.core.transforms.ImageAndLabels;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engines.Optimizer;
import org.volseg.nn.engines.Trainer;
import org.volseg.nn.engines.TrainingCase;
import org.volseg.nn.engines.TrainingSettings;
import org.volseg.nn.inferers.CasePredictor;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkBundle;
import org.volseg.nn.networks.NetworkConfig;

/**
 * {@code volseg bench brain}: brain extraction on real MR, Colin27 from Debian's mricron-data. The T1 ({@code ch2})
 * at 2 mm with the mask {@code ch2bet > 0}; each architecture is trained on the left hemisphere (world x &lt; 0) and
 * validated on the right. Then the trained network goes through a bundle and {@link CasePredictor} segments the
 * whole 1 mm head, and the right hemisphere of that label map, on the input's own grid, is scored against the mask
 * at 1 mm: the whole path a user runs, from training to a label map in the input's geometry.
 */
final class BrainBenchmark {

    private static final int PATCH = Integer.getInteger("volseg.bench.patch", 32);
    private static final int EPOCHS = Integer.getInteger("volseg.bench.epochs", 10);
    private static final int STEPS = Integer.getInteger("volseg.bench.stepsPerEpoch", 20);
    private static final double SPACING = Double.parseDouble(System.getProperty("volseg.bench.spacing", "2"));
    private static final List<Integer> WIDTHS = java.util.Arrays.stream(System.getProperty("volseg.bench.widths",
            "16,32,64,128").split(",")).map(String::trim).map(Integer::valueOf).toList();
    private static final int[] LABELS = {0, 1};
    /** The optimizer and its learning rate ({@code -Dvolseg.bench.optimizer=ADAM -Dvolseg.bench.lr=0.003}). */
    private static final String OPTIMIZER = System.getProperty("volseg.bench.optimizer");
    private static final String LEARNING_RATE = System.getProperty("volseg.bench.lr");
    /** Whether UNet3d, the reference, is trained too ({@code -Dvolseg.bench.reference=false} leaves it out). */
    private static final boolean REFERENCE = Boolean.parseBoolean(System.getProperty("volseg.bench.reference",
            "true"));
    /** The predictor's post-processing a brain mask wants: one connected brain, no holes. */
    private static final PostProcessing CLEAN_UP = new PostProcessing(true, 0, true);

    private BrainBenchmark() {
    }

    static void run() throws Exception {
        Path t1 = Colin27.t1();
        Volume image = Colin27.image();
        LabelMap mask = Colin27.brainMask();

        Preprocessing preprocessing = Preprocessing.defaults().withSpacing(SPACING);
        ImageAndLabels prepared = preprocessing.prepare(image, mask);
        Box[] halves = Colin27.hemispheres(prepared.image().geometry());
        List<TrainingCase> left = List.of(crop("left", prepared, halves[0]));
        List<TrainingCase> right = List.of(crop("right", prepared, halves[1]));

        PatchSize patch = PatchSize.cube(PATCH);
        TrainingSettings settings = TrainingSettings.defaults().withPatch(patch).withEpochs(EPOCHS)
                .withStepsPerEpoch(STEPS).withValidation(Math.max(1, EPOCHS / 2), 0.25, 0).withSeed(7);
        if (OPTIMIZER != null || LEARNING_RATE != null) {
            settings = settings.withOptimizer(OPTIMIZER == null ? settings.optimizer()
                    : Optimizer.Kind.valueOf(OPTIMIZER), LEARNING_RATE == null ? settings.learningRate()
                            : Double.parseDouble(LEARNING_RATE), settings.weightDecay());
        }
        TrainingSettings chosen = settings;
        Box rightAtInput = Colin27.hemispheres(image.geometry())[1];
        LabelMap reference = Cropping.crop(mask.geometry(), rightAtInput).apply(mask);
        Map<Architecture, double[]> outcomes = new LinkedHashMap<>();
        Path dir = Files.createTempDirectory("volseg-bench-brain");
        for (Architecture a : LearningBenchmark.architectures().stream()
                .filter(a -> REFERENCE || a != Architecture.UNET3D).toList()) {
            NetworkConfig config = new NetworkConfig(a, 1, 2, WIDTHS, 2, NetworkConfig.Norm.INSTANCE,
                    NetworkConfig.Activation.LEAKY_RELU, false, patch);
            long t0 = System.nanoTime();
            Path bundle = dir.resolve(a + ".volseg");
            double validation = DjlContext.call(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    Network net = Network.build(config, m, 7);
                    var result = new Trainer().train(net, left, right, LABELS, chosen, null, Monitor.SILENT,
                            r -> System.err.printf("  %s epoch %d: loss %.3f, Dice %.3f, %.0f s%n", a, r.epoch(),
                                    r.trainLoss(), r.meanDice(), r.seconds()));
                    NetworkBundle.write(bundle, net, new NetworkBundle.Description(List.of("T1"),
                            Map.of(0, "background", 1, "brain"), preprocessing,
                            Map.of("data", "Colin27 left hemisphere"), Map.of()));
                    return result.history().get(result.history().size() - 1).meanDice();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            LabelMap predicted = DjlContext.call(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    return new CasePredictor(NetworkBundle.read(bundle, m)).predict(image, m, Monitor.SILENT);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            LabelMap predictedRight = Cropping.crop(predicted.geometry(), rightAtInput).apply(predicted);
            ClassMetrics atInput = SegmentationMetrics.compute(reference, predictedRight, 1).get(0);
            // the Segmenter Predictor's clean-up, as a brain-extraction user would tick it
            LabelMap cleaned = Cropping.crop(predicted.geometry(), rightAtInput).apply(CLEAN_UP.apply(predicted));
            ClassMetrics afterCleanUp = SegmentationMetrics.compute(reference, cleaned, 1).get(0);
            System.err.printf("  %s: validation Dice %.3f, bundle at 1 mm Dice %.3f (cleaned up %.3f), HD95 %.1f mm,"
                    + " %.0f s%n", a, validation, atInput.dice(), afterCleanUp.dice(), atInput.hd95Mm(), seconds);
            outcomes.put(a, new double[] {validation, atInput.dice(), atInput.hd95Mm(), seconds,
                afterCleanUp.dice(), afterCleanUp.hd95Mm()});
        }
        double[] unet = outcomes.get(Architecture.UNET3D);
        Table table = new Table("Brain extraction on Colin27: train on the left hemisphere, validate on the right")
                .setting("machine", Machine.describe())
                .setting("data", t1 + " (T1, 1 mm) with mask ch2bet > 0; " + preprocessing.toMap() + "; left "
                        + "hemisphere " + halves[0] + " trains, right " + halves[1] + " validates")
                .setting("network", "1 channel, 2 classes, widths " + WIDTHS + ", 2 blocks per level, instance norm")
                .setting("training", EPOCHS + " epochs × " + STEPS + " steps, patch " + patch + ", batch 1, "
                        + settings.optimizer() + " lr " + settings.learningRate() + " " + settings.schedule()
                        + ", augmentation on")
                .setting("bundle prediction", "whole 1 mm head through CasePredictor (probabilities resampled back "
                        + "to 1 mm), scored on the right hemisphere " + rightAtInput + " at 1 mm; also after the "
                        + "predictor's post-processing " + CLEAN_UP);
        for (Map.Entry<Architecture, double[]> e : outcomes.entrySet()) {
            String name = e.getKey().toString();
            double[] o = e.getValue();
            table.row(name + " validation Dice (2 mm)", "", o[0], "target", 0.9, "≥ 1.00×");
            table.row(name + " bundle Dice at 1 mm", "", o[1], "target", 0.9, "≥ 1.00×");
            table.row(name + " bundle Dice at 1 mm, largest component, holes filled", "", o[4], "target", 0.9,
                    "≥ 1.00×");
            table.row(name + " HD95 at 1 mm, largest component, holes filled", "mm", o[5], "without", o[2], "");
            if (e.getKey() != Architecture.UNET3D && unet != null) {
                table.row(name + " bundle Dice at 1 mm", "", o[1], "UNet3d", unet[1], "≥ UNet3d − 0.03");
                table.row(name + " HD95 at 1 mm", "mm", o[2], "UNet3d", unet[2], "");
                table.row(name + " training time", "s", o[3], "UNet3d", unet[3], "");
            }
        }
        table.print();
    }

    private static TrainingCase crop(String id, ImageAndLabels pair, Box box) {
        ImageAndLabels half = Cropping.crop(pair.image().geometry(), box).apply(pair);
        return new TrainingCase(id, half.image(), half.labels());
    }
}
