package org.volseg.nn.networks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.volseg.nn.engine.ChildJvm;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.ProcessMemory;
import org.volseg.nn.engines.SegmentTape;

/**
 * The memory and time of a network's training steps on random data (batch 1, one-hot random labels): the memory
 * benchmark's probe and the demo's memory table, each measured in a JVM of its own ({@link #inChildProcess}).
 */
public final class StepMemory {

    /**
     * @param peakGrowthBytes growth of the process's peak resident memory over its size before the steps
     * @param secondsPerStep  median seconds of the steps after the first (the first when there is one)
     * @param parameters      trainable parameters of the network
     */
    public record Result(long peakGrowthBytes, double secondsPerStep, long parameters) {
    }

    private StepMemory() {
    }

    /**
     * Measures in this process: builds the network (seed 1), runs one step on a 16³ input (PyTorch's one-time
     * set-up is not the network's memory), resets the high-water mark, runs {@code steps} steps at the config's
     * patch size.
     *
     * @throws IllegalStateException where /proc/self cannot report or reset the peak (not Linux)
     */
    public static Result measure(NetworkConfig config, int steps, SegmentTape.Backprop backprop) {
        return DjlContext.call(() -> {
            try (NDManager m = DjlContext.cpuManager()) {
                Network net = Network.build(config, m, 1);
                int c = config.inputChannels();
                int k = config.classes();
                int x = config.patch().x();
                int y = config.patch().y();
                int z = config.patch().z();
                SplittableRandom random = new SplittableRandom(2);
                float[] image = new float[c * x * y * z];
                for (int i = 0; i < image.length; i++) {
                    image[i] = (float) random.nextGaussian();
                }
                int voxels = x * y * z;
                float[] target = new float[k * voxels];
                for (int i = 0; i < voxels; i++) {
                    target[random.nextInt(k) * voxels + i] = 1;
                }
                NDArray input = m.create(image, new Shape(1, c, z, y, x));
                NDArray oneHot = m.create(target, new Shape(1, k, z, y, x));
                try (NDManager warm = m.newSubManager()) {
                    net.step(warm.ones(new Shape(1, c, 16, 16, 16)), warm.ones(new Shape(1, k, 16, 16, 16)), 0,
                            backprop);
                }
                net.parameters().forEach(GradMode::zeroGradient);
                return timed(steps, s -> {
                    net.step(input, oneHot, s, backprop);
                    net.parameters().forEach(GradMode::zeroGradient);
                }, net.parameters().stream().mapToLong(p -> p.getShape().size()).sum());
            }
        });
    }

    /**
     * Runs {@code steps} steps after a garbage collection with the high-water mark reset: the peak's growth over the
     * resident size before them, and the median seconds of the steps after the first (the first when there is one).
     *
     * @throws IllegalStateException where /proc/self cannot report or reset the peak (not Linux)
     */
    public static Result timed(int steps, java.util.function.IntConsumer step, long parameters) {
        System.gc();
        long before = ProcessMemory.residentBytes();
        if (before == 0 || !ProcessMemory.resetPeak()) {
            throw new IllegalStateException("cannot read or reset the peak memory (/proc/self: not Linux?)");
        }
        double[] seconds = new double[steps];
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            step.accept(s);
            seconds[s] = (System.nanoTime() - t0) / 1e9;
        }
        long peak = ProcessMemory.peakBytes();
        java.util.Arrays.sort(seconds, 1, steps);
        double median = steps > 1 ? seconds[1 + (steps - 1) / 2] : seconds[0];
        return new Result(peak - before, median, parameters);
    }

    /**
     * Measures in a fresh JVM on this process's class path ({@link ChildJvm}) where every large array is mapped on its
     * own, so that the peak is the live tensors' (the seconds are then not a real step's).
     */
    public static Result inChildProcess(NetworkConfig config, int steps, SegmentTape.Backprop backprop)
            throws IOException, InterruptedException {
        return inChildProcess(config, steps, backprop, true);
    }

    /**
     * The same, {@code livePeaks} saying whether every large array is mapped on its own (a true peak) or the
     * allocator caches as usual (a true step time; the peak then includes the cache).
     */
    public static Result inChildProcess(NetworkConfig config, int steps, SegmentTape.Backprop backprop,
            boolean livePeaks) throws IOException, InterruptedException {
        String configJson = new ObjectMapper().writeValueAsString(config.toMap());
        JsonNode json = ChildJvm.run(StepMemory.class, List.of("-Xmx1g"), List.of(configJson,
                String.valueOf(steps), backprop.name()), "the memory probe for " + config.architecture() + " "
                + config.patch(), livePeaks);
        return new Result(json.get("peak_growth_bytes").asLong(), json.get("seconds_per_step").asDouble(),
                json.get("parameters").asLong());
    }

    /** Args: the config as JSON ({@link NetworkConfig#toMap}), steps, backprop. Prints one JSON line. */
    public static void main(String[] args) throws Exception {
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> map = new ObjectMapper().readValue(args[0], java.util.Map.class);
        Result r = measure(NetworkConfig.fromMap(map), Integer.parseInt(args[1]),
                SegmentTape.Backprop.valueOf(args[2]));
        System.out.println("{\"peak_growth_bytes\":" + r.peakGrowthBytes() + ",\"seconds_per_step\":"
                + r.secondsPerStep() + ",\"parameters\":" + r.parameters() + "}");
    }
}
