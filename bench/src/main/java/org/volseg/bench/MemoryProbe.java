package org.volseg.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.volseg.core.sampling.PatchSize;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.ProcessMemory;
import org.volseg.nn.engines.SegmentTape;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkConfig;

/**
 * One configuration of the memory benchmark, in a process of its own (a process's high-water mark only rises):
 * builds the network and a random batch, then reports the growth of VmHWM over the resident memory before the
 * first step, and the median seconds per step. Prints one JSON line.
 */
public final class MemoryProbe {

    private MemoryProbe() {
    }

    /** Args: architecture, patch edge, blocks per level, backprop (REVERSIBLE or CONVENTIONAL), steps. */
    public static void main(String[] args) throws Exception {
        Architecture architecture = Architecture.valueOf(args[0]);
        int edge = Integer.parseInt(args[1]);
        int blocks = Integer.parseInt(args[2]);
        SegmentTape.Backprop backprop = SegmentTape.Backprop.valueOf(args[3]);
        int steps = Integer.parseInt(args[4]);
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NetworkConfig config = NetworkConfig.of(architecture, 4, 3, MemoryBenchmark.WIDTHS, blocks,
                        PatchSize.cube(edge));
                Network net = Network.build(config, m, 1);
                Shape shape = new Shape(1, 4, edge, edge, edge);
                SplittableRandom random = new SplittableRandom(2);
                float[] image = new float[Math.toIntExact(shape.size())];
                for (int i = 0; i < image.length; i++) {
                    image[i] = (float) random.nextGaussian();
                }
                float[] target = new float[3 * edge * edge * edge];
                for (int i = 0; i < edge * edge * edge; i++) {
                    target[random.nextInt(3) * edge * edge * edge + i] = 1;
                }
                NDArray x = m.create(image, shape);
                NDArray y = m.create(target, new Shape(1, 3, edge, edge, edge));
                // one step on a small input first: PyTorch's one-time set-up (kernels, thread pools) is not the
                // network's memory; then the high-water mark is reset (Linux: clear_refs 5) above that baseline
                try (NDManager warm = m.newSubManager()) {
                    net.step(warm.ones(new Shape(1, 4, 16, 16, 16)), warm.ones(new Shape(1, 3, 16, 16, 16)), 0,
                            backprop);
                }
                net.parameters().forEach(org.volseg.nn.engine.GradMode::zeroGradient);
                System.gc();
                long before = status("VmRSS");
                if (!org.volseg.nn.engine.ProcessMemory.resetPeak()) {
                    throw new IllegalStateException("cannot reset the high-water mark (/proc/self/clear_refs)");
                }
                double[] seconds = new double[steps];
                for (int s = 0; s < steps; s++) {
                    long t0 = System.nanoTime();
                    net.step(x, y, s, backprop);
                    seconds[s] = (System.nanoTime() - t0) / 1e9;
                    net.parameters().forEach(org.volseg.nn.engine.GradMode::zeroGradient);
                }
                long peak = status("VmHWM");
                java.util.Arrays.sort(seconds, 1, steps); // the first step warms up: median of the others
                double median = steps > 1 ? seconds[1 + (steps - 1) / 2] : seconds[0];
                System.out.println("{\"peak_growth_bytes\":" + (peak - before) + ",\"seconds_per_step\":" + median
                        + ",\"parameters\":" + net.parameters().stream().mapToLong(p -> p.getShape().size()).sum()
                        + "}");
            }
            return null;
        });
    }

    /** A /proc/self/status field in bytes (this benchmark measures on Linux only). */
    static long status(String field) {
        long bytes = field.equals("VmHWM") ? ProcessMemory.peakBytes() : ProcessMemory.residentBytes();
        if (bytes == 0) {
            throw new IllegalStateException("no " + field + " in /proc/self/status (not Linux?)");
        }
        return bytes;
    }

    static List<String> command(Architecture a, int edge, int blocks, SegmentTape.Backprop backprop, int steps) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(),
                a.name(), String.valueOf(edge), String.valueOf(blocks), backprop.name(), String.valueOf(steps));
    }
}
