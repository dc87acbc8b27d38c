package org.volseg.bench;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.volseg.core.data.synthetic.Phantom;
import org.volseg.core.data.synthetic.PhantomDataset;
import org.volseg.core.data.synthetic.PhantomSpec;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.IntensityNormalization;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engines.SegmentTape;
import org.volseg.nn.inferers.SlidingWindow;
import org.volseg.nn.engines.Optimizer;
import org.volseg.nn.engines.Trainer;
import org.volseg.nn.engines.TrainingCase;
import org.volseg.nn.engines.TrainingSettings;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkConfig;
import org.volseg.nn.networks.StepMemory;
import org.volseg.nn.ossnet.OssNet;
import org.volseg.nn.ossnet.OssNetConfig;
import org.volseg.nn.ossnet.OssNetInference;
import org.volseg.nn.ossnet.OssNetStepMemory;
import org.volseg.nn.ossnet.OssNetTrainer;
import org.volseg.nn.ossnet.OssNetTraining;

/**
 * {@code volseg bench ossnet}: (1) training-step memory and time of OSS-Net C against VolSeg's UNet3d on the whole
 * volume, UNet3d on patches and Fully-InvRes on the whole volume, at equal input (a four-channel volume in BraTS's
 * layout, each probe a fresh JVM); (2) an OSS-Net C trained on phantoms, segmenting unseen phantoms densely,
 * coarse-to-fine and encoder-guided: queries, seconds and voxel disagreement with the dense result.
 */
final class OssNetBenchmark {

    private static final List<Integer> GRID = Arrays.stream(System.getProperty("volseg.bench.grid", "128,128,96")
            .split(",")).map(String::trim).map(Integer::valueOf).toList();
    private static final int PATCH = Integer.getInteger("volseg.bench.patch", 64);
    private static final int POINTS = Integer.getInteger("volseg.bench.points", 1 << 14);
    private static final int STEPS = Integer.getInteger("volseg.bench.steps", 3);
    private static final List<Integer> WIDTHS = List.of(16, 32, 64, 128);
    private static final int PHANTOM = Integer.getInteger("volseg.bench.phantomSize", 48);
    private static final int EPOCHS = Integer.getInteger("volseg.bench.epochs", 60);
    private static final int TRAIN = Integer.getInteger("volseg.bench.train", 8);
    private static final int TEST = Integer.getInteger("volseg.bench.test", 4);
    private static final int TRAIN_POINTS = Integer.getInteger("volseg.bench.trainPoints", 4096);
    /** Which parts run: memory, inference, learning (a part alone: -Dvolseg.bench.parts=inference). */
    private static final String PARTS = System.getProperty("volseg.bench.parts", "memory,inference,learning");
    /** Whether the memory part also times steps with the allocator as usual (a second probe of each network). */
    private static final boolean TIMED = Boolean.parseBoolean(System.getProperty("volseg.bench.timed", "true"));
    /** The UNet3d of the learning part: as the learning benchmark's, binary. */
    private static final List<Integer> UNET_WIDTHS = List.of(8, 16, 32, 64);
    private static final int UNET_PATCH = Integer.getInteger("volseg.bench.unetPatch", 32);
    private static final int UNET_EPOCHS = Integer.getInteger("volseg.bench.unetEpochs", 20);
    private static final int UNET_STEPS = Integer.getInteger("volseg.bench.unetSteps", 25);

    private OssNetBenchmark() {
    }

    static void run() throws Exception {
        String grid = GRID.get(0) + "×" + GRID.get(1) + "×" + GRID.get(2);
        Table table = new Table("OSS-Net: training-step memory at equal input, and fast inference")
                .setting("machine", Machine.describe())
                .setting("memory probes", "4 channels, " + grid + " voxels, batch 1; OSS-Net C encoder " + WIDTHS
                        + " with " + POINTS + " points; UNet3d and Fully-InvRes widths " + MemoryBenchmark.WIDTHS
                        + ", 2 blocks per level, 3 classes; UNet3d patches " + PATCH + "³; " + STEPS + " steps "
                        + "after a warm-up, fresh JVM each, glibc MALLOC_MMAP_THRESHOLD_=131072 (peak = live "
                        + "tensors); seconds from a second probe of each with the allocator as usual")
                .setting("inference", "OSS-Net C, encoder " + List.of(8, 16, 32) + ", trained " + EPOCHS
                        + " epochs on " + TRAIN + " phantoms " + PHANTOM + "³ (" + TRAIN_POINTS + " points, batch 2, "
                        + "lr 3e-3), segmenting " + TEST + " unseen phantoms (whole tumour), chunks of "
                        + OssNetInference.DEFAULT_CHUNK + " points")
                .setting("learning", "O-Net trained as OSS-Net C above (segmenting coarse-to-fine); UNet3d widths "
                        + UNET_WIDTHS + ", 2 blocks per level, binary, " + UNET_EPOCHS + " epochs × " + UNET_STEPS
                        + " steps of " + UNET_PATCH + "³ patches, batch 1, Adam 3e-3 poly, predicted whole");
        if (PARTS.contains("memory")) {
            memory(table);
        }
        if (PARTS.contains("inference") || PARTS.contains("learning")) {
            Data data = Data.make();
            DjlContext.call(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    Trained c = trained(OssNetConfig.Variant.C, data, m);
                    if (PARTS.contains("inference")) {
                        inference(table, data, c.net());
                    }
                    if (PARTS.contains("learning")) {
                        learning(table, data, c, m);
                    }
                }
                return null;
            });
        }
        table.print();
    }

    private static void memory(Table table) throws Exception {
        int[] size = {GRID.get(0), GRID.get(1), GRID.get(2)};
        OssNetConfig oss = new OssNetConfig(OssNetConfig.Variant.C, OssNetConfig.Preset.fitting("bench", 4, WIDTHS,
                size));
        StepMemory.Result ours = OssNetStepMemory.inChildProcess(oss, POINTS, STEPS);
        System.err.printf("  OSS-Net C: %.0f MB, %.2f s/step%n", mb(ours), ours.secondsPerStep());
        PatchSize whole = PatchSize.of(size[0], size[1], size[2]);
        PatchSize cube = PatchSize.cube(PATCH);
        StepMemory.Result patches = voxelNetwork(Architecture.UNET3D, cube);
        String what = "OSS-Net C step, " + POINTS + " points, ";
        List<Architecture> wholeFits = new java.util.ArrayList<>();
        for (Architecture a : List.of(Architecture.UNET3D, Architecture.FULLY_INVRES)) {
            // a voxel network's activations grow with the voxels: measured whole where that fits the machine, else
            // its patch probe scaled up (for UNet3d 969 MB × 6 against 5,856 MB measured at 128 × 128 × 96)
            StepMemory.Result small = a == Architecture.UNET3D ? patches : voxelNetwork(a, cube);
            double scaled = mb(small) * whole.voxels() / cube.voxels();
            String name = (a == Architecture.UNET3D ? "UNet3d" : "Fully-InvRes") + " whole volume";
            if (scaled < 0.8 * Machine.availableBytes() / (1 << 20)) {
                StepMemory.Result r = voxelNetwork(a, whole);
                table.row(what + "memory", "MB", mb(ours), name, mb(r), a == Architecture.UNET3D ? "≤ 0.25×" : "");
                wholeFits.add(a);
            } else {
                table.row(what + "memory", "MB", mb(ours), name + ": does not fit, " + PATCH + "³ probe × voxels",
                        scaled, a == Architecture.UNET3D ? "≤ 0.25×" : "");
            }
        }
        table.row(what + "memory", "MB", mb(ours), "UNet3d " + PATCH + "³ patches", mb(patches), "");
        if (TIMED) {
            // the probes above map every large array afresh, which slows PyTorch unevenly: seconds from probes
            // with the allocator as usual
            StepMemory.Result oursTimed = OssNetStepMemory.inChildProcess(oss, POINTS, STEPS, false);
            System.err.printf("  OSS-Net C, allocator as usual: %.2f s/step%n", oursTimed.secondsPerStep());
            String timeRow = what + "seconds (allocator as usual)";
            for (Architecture a : List.of(Architecture.UNET3D, Architecture.FULLY_INVRES)) {
                String name = (a == Architecture.UNET3D ? "UNet3d" : "Fully-InvRes") + " whole volume";
                if (wholeFits.contains(a)) {
                    table.row(timeRow, "s", oursTimed.secondsPerStep(), name, timed(a, whole).secondsPerStep(), "");
                }
            }
            table.row(timeRow, "s", oursTimed.secondsPerStep(), "UNet3d " + PATCH + "³ patches",
                    timed(Architecture.UNET3D, cube).secondsPerStep(), "");
        }
    }

    /** A voxel network's step time with the allocator as usual. */
    private static StepMemory.Result timed(Architecture a, PatchSize patch) throws Exception {
        StepMemory.Result r = StepMemory.inChildProcess(NetworkConfig.of(a, 4, 3, MemoryBenchmark.WIDTHS, 2, patch),
                STEPS, SegmentTape.Backprop.REVERSIBLE, false);
        System.err.printf("  %s %s, allocator as usual: %.2f s/step%n", a, patch, r.secondsPerStep());
        return r;
    }

    private static StepMemory.Result voxelNetwork(Architecture a, PatchSize patch) throws Exception {
        StepMemory.Result r = StepMemory.inChildProcess(NetworkConfig.of(a, 4, 3, MemoryBenchmark.WIDTHS, 2, patch),
                STEPS, SegmentTape.Backprop.REVERSIBLE);
        System.err.printf("  %s %s: %.0f MB, %.2f s/step%n", a, patch, mb(r), r.secondsPerStep());
        return r;
    }

    private static double mb(StepMemory.Result r) {
        return r.peakGrowthBytes() / (double) (1 << 20);
    }

    /** The phantoms of the inference and learning parts: whole tumour (every non-zero label) as occupancy. */
    private record Data(List<OssNetTrainer.Case> train, List<OssNetTrainer.Case> test, List<TrainingCase> voxelTrain,
            OssNetConfig.Preset preset) {

        static Data make() {
            PhantomDataset phantoms = new PhantomDataset(2026, PhantomSpec.cube(PHANTOM));
            OssNetConfig.Preset preset = OssNetConfig.Preset.fitting("bench", 4, List.of(8, 16, 32),
                    new int[] {PHANTOM, PHANTOM, PHANTOM});
            List<OssNetTrainer.Case> train = new ArrayList<>();
            List<OssNetTrainer.Case> test = new ArrayList<>();
            List<TrainingCase> voxelTrain = new ArrayList<>();
            for (Phantom p : phantoms.generateAll(TRAIN + TEST)) {
                Volume image = IntensityNormalization.zScore(p.image());
                OssNetTrainer.Case c = OssNetTrainer.prepare(image, p.labels().foreground(), preset, 0.5, 6);
                if (train.size() < TRAIN) {
                    train.add(c);
                    voxelTrain.add(new TrainingCase(p.id(), image, p.labels().foreground()));
                } else {
                    test.add(c);
                }
            }
            return new Data(train, test, voxelTrain, preset);
        }
    }

    /** An OSS-Net of {@code variant} trained on the phantoms as the reference trains (the seconds it took). */
    private record Trained(OssNet net, double seconds) {
    }

    private static Trained trained(OssNetConfig.Variant variant, Data data, NDManager m) {
        OssNet net = OssNet.build(new OssNetConfig(variant, data.preset()), m, 7);
        long start = System.nanoTime();
        OssNetTraining.train(net, data.train(), List.of(), new OssNetTraining.Settings(EPOCHS, 2, TRAIN_POINTS, 3e-3,
                true, EPOCHS, 1 << 14, OssNetInference.Procedure.DENSE, 7), QUIET,
                r -> System.err.printf("  %s epoch %d: loss %.4f%n", variant, r.epoch(), r.trainLoss()));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("  %s trained in %.0f s%n", variant, seconds);
        return new Trained(net, seconds);
    }

    private static final Monitor QUIET = new Monitor() {
        @Override
        public void progress(double fraction, String message) {
        }

        @Override
        public void checkCanceled() {
        }
    };

    private static void inference(Table table, Data data, OssNet net) {
        long voxels = 0;
        long[] queries = new long[3];
        double[] seconds = new double[3];
        long[] disagree = new long[3];
        double[] dice = new double[3];
        OssNetInference.Procedure[] procedures = OssNetInference.Procedure.values();
        for (OssNetTrainer.Case c : data.test()) {
            boolean[] dense = null;
            for (int p = 0; p < procedures.length; p++) {
                OssNetInference.Result r = OssNetInference.segment(net, c.image(), procedures[p],
                        OssNetInference.DEFAULT_CHUNK, Monitor.SILENT);
                boolean[] occupied = r.occupied();
                if (p == 0) {
                    dense = occupied;
                    voxels += occupied.length;
                }
                queries[p] += r.queries();
                seconds[p] += r.seconds();
                for (int i = 0; i < occupied.length; i++) {
                    disagree[p] += occupied[i] != dense[i] ? 1 : 0;
                }
                dice[p] += dice(occupied, c.labels());
            }
        }
        for (int p = 1; p < procedures.length; p++) {
            String name = procedures[p].name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            table.row(name + " queries", "% voxels", 100.0 * queries[p] / voxels, "dense", 100.0,
                    p == 2 ? "≤ 10 %" : "");
            table.row(name + " time", "s", seconds[p], "dense", seconds[0], "");
            table.row(name + " disagreement with dense", "% voxels", 100.0 * disagree[p] / voxels,
                    "dense", 0, p == 2 ? "≤ 0.5 %" : "");
            table.row(name + " Dice (whole tumour)", "", dice[p] / data.test().size(), "dense",
                    dice[0] / data.test().size(), "");
        }
    }

    /**
     * OSS-Net C against O-Net (each segmenting by its fastest procedure: encoder-guided for C, coarse-to-fine for
     * O-Net, which has no low-resolution map) and against VolSeg's UNet3d trained on the same cases (binary, whole
     * tumour, predicted whole): mean test Dice and training seconds.
     */
    private static void learning(Table table, Data data, Trained ossNet, NDManager m) {
        double oss = meanDice(ossNet.net(), data);
        Trained oNet = trained(OssNetConfig.Variant.O_NET, data, m);
        double o = meanDice(oNet.net(), data);
        PatchSize patch = PatchSize.cube(UNET_PATCH);
        NetworkConfig config = new NetworkConfig(Architecture.UNET3D, 4, 2, UNET_WIDTHS, 2,
                NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.LEAKY_RELU, false, patch);
        Network unet = Network.build(config, m, 7);
        TrainingSettings settings = TrainingSettings.defaults().withPatch(patch).withEpochs(UNET_EPOCHS)
                .withStepsPerEpoch(UNET_STEPS).withOptimizer(Optimizer.Kind.ADAM, 3e-3, 2e-4).withValidation(UNET_EPOCHS, 0.5, 0).withCheckpointEvery(0).withSeed(7);
        long start = System.nanoTime();
        try {
            new Trainer().train(unet, data.voxelTrain(), List.of(), new int[] {0, 1}, settings, null, Monitor.SILENT,
                    r -> System.err.printf("  UNet3d epoch %d: loss %.4f%n", r.epoch(), r.trainLoss()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        double unetSeconds = (System.nanoTime() - start) / 1e9;
        SlidingWindow window = new SlidingWindow(new SlidingWindow.Settings(PatchSize.cube(PHANTOM), 0.5, true, 1));
        double unetDice = 0;
        for (OssNetTrainer.Case c : data.test()) {
            float[][] probabilities;
            try (NDManager scope = m.newSubManager()) {
                probabilities = window.probabilities(c.image(), unet::logits, scope, Monitor.SILENT);
            }
            boolean[] occupied = new boolean[probabilities[1].length];
            for (int i = 0; i < occupied.length; i++) {
                occupied[i] = probabilities[1][i] > probabilities[0][i];
            }
            unetDice += dice(occupied, c.labels()) / data.test().size();
        }
        System.err.printf("  Dice: OSS-Net C %.3f, O-Net %.3f, UNet3d %.3f%n", oss, o, unetDice);
        table.row("OSS-Net C Dice (whole tumour)", "", oss, "UNet3d", unetDice, "within 0.03");
        table.row("OSS-Net C Dice (whole tumour)", "", oss, "O-Net", o, "≥ O-Net + 0.1");
        table.row("OSS-Net C training", "s", ossNet.seconds(), "UNet3d", unetSeconds, "");
        table.row("OSS-Net C training", "s", ossNet.seconds(), "O-Net", oNet.seconds(), "");
    }

    private static double meanDice(OssNet net, Data data) {
        double sum = 0;
        for (OssNetTrainer.Case c : data.test()) {
            boolean[] occupied = OssNetInference.segment(net, c.image(), OssNetInference.Procedure.fastest(
                    net.config().variant()), OssNetInference.DEFAULT_CHUNK, Monitor.SILENT).occupied();
            sum += dice(occupied, c.labels());
        }
        return sum / data.test().size();
    }

    /** Dice of {@code predicted} against the non-zero voxels of {@code truth} (1 when both are empty). */
    private static double dice(boolean[] predicted, LabelMap truth) {
        long both = 0;
        long guessed = 0;
        long actual = 0;
        for (int i = 0; i < predicted.length; i++) {
            boolean t = truth.get(i) > 0;
            both += predicted[i] && t ? 1 : 0;
            guessed += predicted[i] ? 1 : 0;
            actual += t ? 1 : 0;
        }
        return guessed + actual == 0 ? 1 : 2.0 * both / (guessed + actual);
    }
}
