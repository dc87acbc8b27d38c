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
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engines.SegmentTape;
import org.volseg.nn.networks.Architecture;
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
    /** Which parts run: memory, inference or both (a part alone: -Dvolseg.bench.parts=inference). */
    private static final String PARTS = System.getProperty("volseg.bench.parts", "memory,inference");

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
                        + "tensors)")
                .setting("inference", "OSS-Net C, encoder " + List.of(8, 16, 32) + ", trained " + EPOCHS
                        + " epochs on " + TRAIN + " phantoms " + PHANTOM + "³ (" + TRAIN_POINTS + " points, batch 2, "
                        + "lr 3e-3), segmenting " + TEST + " unseen phantoms (whole tumour), chunks of "
                        + OssNetInference.DEFAULT_CHUNK + " points");
        if (PARTS.contains("memory")) {
            memory(table);
        }
        if (PARTS.contains("inference")) {
            inference(table);
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
        StepMemory.Result unet = voxelNetwork(Architecture.UNET3D, whole);
        StepMemory.Result patches = voxelNetwork(Architecture.UNET3D, PatchSize.cube(PATCH));
        StepMemory.Result fully = voxelNetwork(Architecture.FULLY_INVRES, whole);
        String what = "OSS-Net C step, " + POINTS + " points, ";
        table.row(what + "memory", "MB", mb(ours), "UNet3d whole volume", mb(unet), "≤ 0.25×");
        table.row(what + "memory", "MB", mb(ours), "UNet3d " + PATCH + "³ patches", mb(patches), "");
        table.row(what + "memory", "MB", mb(ours), "Fully-InvRes whole volume", mb(fully), "");
        table.row(what + "time", "s", ours.secondsPerStep(), "UNet3d whole volume", unet.secondsPerStep(), "");
        table.row(what + "time", "s", ours.secondsPerStep(), "UNet3d " + PATCH + "³ patches",
                patches.secondsPerStep(), "");
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

    private static void inference(Table table) {
        PhantomDataset phantoms = new PhantomDataset(2026, PhantomSpec.cube(PHANTOM));
        OssNetConfig config = new OssNetConfig(OssNetConfig.Variant.C, OssNetConfig.Preset.fitting("bench", 4,
                List.of(8, 16, 32), new int[] {PHANTOM, PHANTOM, PHANTOM}));
        List<OssNetTrainer.Case> train = new ArrayList<>();
        List<OssNetTrainer.Case> test = new ArrayList<>();
        for (Phantom p : phantoms.generateAll(TRAIN + TEST)) {
            OssNetTrainer.Case c = OssNetTrainer.prepare(IntensityNormalization.zScore(p.image()), p.labels(),
                    config.preset(), 0.5, 6);
            (train.size() < TRAIN ? train : test).add(c);
        }
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                OssNet net = OssNet.build(config, m, 7);
                long start = System.nanoTime();
                OssNetTraining.Result trained = OssNetTraining.train(net, train, List.of(), new OssNetTraining.Settings(
                        EPOCHS, 2, TRAIN_POINTS, 3e-3, true, EPOCHS, 1 << 14, OssNetInference.Procedure.DENSE, 7),
                        new Monitor() {
                            @Override
                            public void progress(double fraction, String message) {
                            }

                            @Override
                            public void checkCanceled() {
                            }
                        }, r -> System.err.printf("  epoch %d: loss %.4f%n", r.epoch(), r.trainLoss()));
                System.err.printf("  trained in %.0f s%n", (System.nanoTime() - start) / 1e9);
                long voxels = 0;
                long[] queries = new long[3];
                double[] seconds = new double[3];
                long[] disagree = new long[3];
                double[] dice = new double[3];
                OssNetInference.Procedure[] procedures = OssNetInference.Procedure.values();
                for (OssNetTrainer.Case c : test) {
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
                        long both = 0;
                        long predicted = 0;
                        long actual = 0;
                        for (int i = 0; i < occupied.length; i++) {
                            disagree[p] += occupied[i] != dense[i] ? 1 : 0;
                            boolean truth = c.occupied().get(i) > 0;
                            both += occupied[i] && truth ? 1 : 0;
                            predicted += occupied[i] ? 1 : 0;
                            actual += truth ? 1 : 0;
                        }
                        dice[p] += predicted + actual == 0 ? 1 : 2.0 * both / (predicted + actual);
                    }
                }
                for (int p = 1; p < procedures.length; p++) {
                    String name = procedures[p].name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                    table.row(name + " queries", "% voxels", 100.0 * queries[p] / voxels, "dense", 100.0,
                            p == 2 ? "≤ 10 %" : "");
                    table.row(name + " time", "s", seconds[p], "dense", seconds[0], "");
                    table.row(name + " disagreement with dense", "% voxels", 100.0 * disagree[p] / voxels,
                            "dense", 0, p == 2 ? "≤ 0.5 %" : "");
                    table.row(name + " Dice (whole tumour)", "", dice[p] / test.size(), "dense",
                            dice[0] / test.size(), "");
                }
                System.err.printf("  best epoch %d%n", trained.bestEpoch());
            }
            return null;
        });
    }
}
