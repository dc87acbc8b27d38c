package org.volseg.bench;

import java.util.List;
import org.volseg.core.sampling.PatchSize;
import org.volseg.nn.engines.SegmentTape;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.NetworkConfig;
import org.volseg.nn.networks.StepMemory;

/**
 * {@code volseg bench memory}: peak memory growth and seconds per training step of UNet3d, Partially-InvRes and
 * Fully-InvRes (batch 1, 4 channels, 3 classes, same widths and depth), each in a fresh process, at several
 * patch sizes; then a depth table at 96³. References measured in the same run: UNet3d, and conventional
 * backprop through the same invertible network (what iUNets' and memcnn's savings are quoted against).
 */
final class MemoryBenchmark {

    static final List<Integer> WIDTHS = List.of(16, 32, 64, 128);
    private static final int STEPS = Integer.getInteger("volseg.bench.steps", 3);
    private static final List<Integer> EDGES = sizes("volseg.bench.edges", "64,96,128");
    private static final List<Integer> DEPTHS = sizes("volseg.bench.depths", "1,2,4,8");
    private static final int DEPTH_EDGE = Integer.getInteger("volseg.bench.depthEdge", 96);

    /** A list of sizes from a system property (a shorter run: -Dvolseg.bench.edges=64). */
    private static List<Integer> sizes(String property, String defaults) {
        return java.util.Arrays.stream(System.getProperty(property, defaults).split(",")).map(String::trim)
                .filter(t -> !t.isEmpty()).map(Integer::valueOf).toList();
    }

    private MemoryBenchmark() {
    }

    record Probe(double peakMb, double seconds) {
    }

    static Probe probe(Architecture a, int edge, int blocks, SegmentTape.Backprop backprop) throws Exception {
        StepMemory.Result r = StepMemory.inChildProcess(NetworkConfig.of(a, 4, 3, WIDTHS, blocks,
                PatchSize.cube(edge)), STEPS, backprop);
        Probe p = new Probe(r.peakGrowthBytes() / (double) (1 << 20), r.secondsPerStep());
        System.err.printf("  %s %d³ %d blocks %s: %.0f MB, %.2f s/step%n", a, edge, blocks, backprop, p.peakMb(),
                p.seconds());
        return p;
    }

    static void run() throws Exception {
        Table table = new Table("Training-step memory and time: InvRes vs UNet3d (VmHWM growth, median s/step)")
                .setting("machine", Machine.describe())
                .setting("network", "4 input channels, 3 classes, widths " + WIDTHS + ", instance norm, batch 1")
                .setting("patch edges", EDGES + ", depth table at " + DEPTH_EDGE + "³ with " + DEPTHS + " blocks")
                .setting("allocator", "glibc, MALLOC_MMAP_THRESHOLD_=131072 (peak = live tensors)")
                .setting("steps per probe", STEPS + " (first is warm-up for time; every probe a fresh JVM)");
        for (int edge : EDGES) {
            Probe unet = probe(Architecture.UNET3D, edge, 2, SegmentTape.Backprop.REVERSIBLE);
            for (Architecture a : List.of(Architecture.PARTIALLY_INVRES, Architecture.FULLY_INVRES)) {
                Probe ours = probe(a, edge, 2, SegmentTape.Backprop.REVERSIBLE);
                String target = a == Architecture.FULLY_INVRES && edge == 128 ? "≤ 0.30×" : "";
                table.row(name(a) + " " + edge + "³ 2 blocks memory", "MB", ours.peakMb(), "UNet3d", unet.peakMb(),
                        target);
                table.row(name(a) + " " + edge + "³ 2 blocks time", "s", ours.seconds(), "UNet3d", unet.seconds(),
                        a == Architecture.FULLY_INVRES ? "≤ 1.5×" : "");
                if (a == Architecture.FULLY_INVRES) {
                    Probe conventional = probe(a, edge, 2, SegmentTape.Backprop.CONVENTIONAL);
                    table.row(name(a) + " " + edge + "³ 2 blocks memory", "MB", ours.peakMb(),
                            "same net, plain backprop", conventional.peakMb(), "");
                }
            }
        }
        for (int blocks : DEPTHS) {
            Probe unet = probe(Architecture.UNET3D, DEPTH_EDGE, blocks, SegmentTape.Backprop.REVERSIBLE);
            for (Architecture a : List.of(Architecture.PARTIALLY_INVRES, Architecture.FULLY_INVRES)) {
                Probe ours = probe(a, DEPTH_EDGE, blocks, SegmentTape.Backprop.REVERSIBLE);
                String target = a == Architecture.FULLY_INVRES && blocks == 4 && DEPTH_EDGE == 96 ? "≤ 0.40×" : "";
                String what = name(a) + " " + DEPTH_EDGE + "³ " + blocks + " blocks ";
                table.row(what + "memory", "MB", ours.peakMb(), "UNet3d", unet.peakMb(), target);
                table.row(what + "time", "s", ours.seconds(), "UNet3d", unet.seconds(), "");
            }
        }
        table.print();
    }

    private static String name(Architecture a) {
        return a == Architecture.FULLY_INVRES ? "Fully-InvRes" : "Partially-InvRes";
    }
}
