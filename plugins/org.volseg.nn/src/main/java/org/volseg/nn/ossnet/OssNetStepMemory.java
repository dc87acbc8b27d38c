package org.volseg.nn.ossnet;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.ChildJvm;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.networks.StepMemory;

/**
 * The memory and time of OSS-Net training steps (the OSS-Net benchmark's probe, beside {@link StepMemory} for the
 * voxel networks): one case of random intensities filling the preset's whole grid with a ball as its label, points
 * half near its border; one warm-up step, then the high-water mark reset and {@code steps} steps measured.
 */
public final class OssNetStepMemory {

    private OssNetStepMemory() {
    }

    /** Measures in this process. */
    public static StepMemory.Result measure(OssNetConfig config, int points, int steps) {
        return DjlContext.call(() -> {
            try (NDManager m = DjlContext.cpuManager()) {
                OssNet net = OssNet.build(config, m, 1);
                int[] grid = OssNetTrainer.grid(config.preset());
                Geometry g = Geometry.of(grid[0], grid[1], grid[2], 1, 1, 1);
                SplittableRandom random = new SplittableRandom(2);
                float[][] channels = new float[config.preset().channels()][g.voxels()];
                for (float[] c : channels) {
                    for (int i = 0; i < c.length; i++) {
                        c[i] = (float) random.nextGaussian();
                    }
                }
                int[] labels = new int[g.voxels()];
                double radius = Math.min(grid[0], Math.min(grid[1], grid[2])) / 4.0;
                for (int z = 0; z < g.nz(); z++) {
                    for (int y = 0; y < g.ny(); y++) {
                        for (int x = 0; x < g.nx(); x++) {
                            double d = Math.pow(x - grid[0] / 2.0, 2) + Math.pow(y - grid[1] / 2.0, 2)
                                    + Math.pow(z - grid[2] / 2.0, 2);
                            labels[g.index(x, y, z)] = d < radius * radius ? 1 : 0;
                        }
                    }
                }
                OssNetTrainer.Case c = OssNetTrainer.prepare(new Volume(g, channels), LabelMap.of(g, labels),
                        config.preset(), 0.5, 6);
                try (OssNetTrainer trainer = new OssNetTrainer(net, points)) {
                    trainer.step(List.of(c), random, 1e-4, false); // warm-up: PyTorch's one-time set-up
                    return StepMemory.timed(steps, s -> trainer.step(List.of(c), random, 1e-4, false),
                            net.parameterCount());
                }
            }
        });
    }

    /**
     * Measures in a fresh JVM on this process's class path ({@link ChildJvm}), with the voxel networks' probe's 1 GB
     * Java heap plus four times the image (its copies on the Java side): a larger heap only fills with garbage
     * before it is collected, which the resident size would count. Every large array is mapped on its own, so that
     * the peak is the live tensors' (the seconds are then not a real step's).
     */
    public static StepMemory.Result inChildProcess(OssNetConfig config, int points, int steps)
            throws IOException, InterruptedException {
        return inChildProcess(config, points, steps, true);
    }

    /**
     * The same, {@code livePeaks} saying whether every large array is mapped on its own (a true peak) or the
     * allocator caches as usual (a true step time), as for {@link StepMemory}'s probe.
     */
    public static StepMemory.Result inChildProcess(OssNetConfig config, int points, int steps, boolean livePeaks)
            throws IOException, InterruptedException {
        String configJson = new ObjectMapper().writeValueAsString(config.toMap());
        int[] grid = OssNetTrainer.grid(config.preset());
        long imageMb = 4L * grid[0] * grid[1] * grid[2] * config.preset().channels() >> 20;
        JsonNode json = ChildJvm.run(OssNetStepMemory.class, List.of("-Xmx" + (1024 + 4 * imageMb) + "m"),
                List.of(configJson, String.valueOf(points), String.valueOf(steps)), "the memory probe for "
                        + config.name(), livePeaks);
        return new StepMemory.Result(json.get("peak_growth_bytes").asLong(), json.get("seconds_per_step")
                .asDouble(), json.get("parameters").asLong());
    }

    /** Args: the config as JSON ({@link OssNetConfig#toMap}), points, steps. Prints one JSON line. */
    public static void main(String[] args) throws Exception {
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> map = new ObjectMapper().readValue(args[0], java.util.Map.class);
        StepMemory.Result r = measure(OssNetConfig.fromMap(map), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]));
        System.out.println("{\"peak_growth_bytes\":" + r.peakGrowthBytes() + ",\"seconds_per_step\":"
                + r.secondsPerStep() + ",\"parameters\":" + r.parameters() + "}");
    }
}
