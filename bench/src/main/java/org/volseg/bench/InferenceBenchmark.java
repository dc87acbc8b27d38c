package org.volseg.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.volseg.core.data.ReferenceData;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.ChildJvm;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engine.ProcessMemory;
import org.volseg.nn.inferers.CasePredictor;
import org.volseg.nn.inferers.EnsemblePredictor;
import org.volseg.nn.inferers.InferencePlan;
import org.volseg.nn.inferers.InferencePlanner;
import org.volseg.nn.inferers.PatchPredictor;
import org.volseg.nn.inferers.PredictingModel;
import org.volseg.nn.inferers.SlidingWindow;
import org.volseg.nn.inferers.Stitching;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkConfig;
import org.volseg.nn.ossnet.ArchitectureCatalog;

/**
 * {@code volseg bench inference}: whole-volume prediction time and peak memory of the predictor (preprocessing,
 * sliding window, stitching, labels) for each stitching mode, beside the compute floor: the same network's forward
 * time on the same windows, timed inside the run. Every run is a fresh JVM, so each peak is its own; the memory
 * planner's expectation is printed beside the measured peak.
 */
final class InferenceBenchmark {

    private static final List<Integer> WIDTHS = List.of(8, 16, 32, 64);
    private static final int WINDOW = Integer.getInteger("volseg.bench.window", 64);
    private static final double OVERLAP = Double.parseDouble(System.getProperty("volseg.bench.overlap", "0.25"));
    private static final List<String> VOLUMES = Arrays.stream(System.getProperty("volseg.bench.volumes",
            "ch2better,phantom512").split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    /** Whether to run the class-count part (-Dvolseg.bench.classes=false leaves it out). */
    private static final boolean CLASSES = Boolean.parseBoolean(System.getProperty("volseg.bench.classes", "true"));
    /** Whether to run MONAI's UNet against the MONAI anchor (-Dvolseg.bench.monai=false leaves it out). */
    private static final boolean MONAI = Boolean.parseBoolean(System.getProperty("volseg.bench.monai", "true"));
    /** Window batches of the MONAI comparison (MONAI's anchor used 1; PyTorch runs oneDNN for every batch of 2+). */
    private static final List<Integer> MONAI_BATCHES = Arrays.stream(System.getProperty("volseg.bench.monaiBatches",
            "1,2").split(",")).map(String::trim).map(Integer::parseInt).toList();

    private InferenceBenchmark() {
    }

    /** One measured run. */
    /**
     * @param freshPeakMb the peak's growth over the resident size before the first network call (the warm-up), as a
     *                    process's first prediction would need it
     */
    record Run(double seconds, double forwardSeconds, int windows, long voxels, double peakMb, double plannedMb,
            double freshPeakMb) {
    }

    static Run probe(Architecture a, int classes, String volume, Stitching stitching, int chunk) throws Exception {
        return probe(a, classes, volume, stitching, chunk, WINDOW, OVERLAP, 1);
    }

    /**
     * One fresh JVM predicting {@code volume}; the strided U-Net is MONAI's configuration ({@link #monaiConfig}),
     * the others are {@link #WIDTHS} with 1 block per level.
     */
    static Run probe(Architecture a, int classes, String volume, Stitching stitching, int chunk, int window,
            double overlap, int batch) throws Exception {
        return probe(a, classes, volume, stitching, chunk, window, overlap, batch, 1, true);
    }

    /**
     * As above for an ensemble of {@code members} networks of that architecture (seeds 1, 2, …), {@code split} before
     * their pointwise heads or handing over each member's logits; the compute floor is every member's calls.
     */
    static Run probe(Architecture a, int classes, String volume, Stitching stitching, int chunk, int window,
            double overlap, int batch, int members, boolean split) throws Exception {
        // arrays over 1 MB (the stitching sums: 10-29 MB each) go straight to the old generation, where G1, KNIME's
        // and the command line's collector, puts arrays of half a region or more; SerialGC copied each one once
        JsonNode j = ChildJvm.run(InferenceBenchmark.class, List.of("-Xmx8g", "-XX:+UseSerialGC", "-Xmn64m",
                "-XX:PretenureSizeThreshold=1m"),
                List.of(a.name(), String.valueOf(classes), volume, stitching.name(), String.valueOf(chunk),
                        String.valueOf(window), String.valueOf(overlap), String.valueOf(batch),
                        String.valueOf(members), String.valueOf(split)),
                "the inference probe for " + a + " on " + volume, false);
        Run r = new Run(j.get("seconds").asDouble(), j.get("forward_seconds").asDouble(), j.get("windows").asInt(),
                j.get("voxels").asLong(), j.get("peak_growth_bytes").asLong() / (double) (1 << 20),
                j.get("planned_bytes").asLong() / (double) (1 << 20),
                j.get("fresh_growth_bytes").asLong() / (double) (1 << 20));
        String ensemble = members > 1 ? " × " + members + (split ? " split" : " logits") : "";
        System.err.printf(Locale.ROOT, "  %s%s %d classes %s %s/%d batch %d: %.1f s (forward %.1f s, %d windows), "
                + "peak %.0f MB (%.0f MB from before the warm-up), planned %.0f MB%n", a, ensemble, classes, volume,
                stitching, chunk, batch, r.seconds(), r.forwardSeconds(), r.windows(), r.peakMb(), r.freshPeakMb(),
                r.plannedMb());
        return r;
    }

    static void run() throws Exception {
        Table table = new Table("Whole-volume prediction: time against the compute floor, peak memory against the "
                + "planner")
                .setting("machine", Machine.describe())
                .setting("networks", "UNet3d and Fully-InvRes, widths " + WIDTHS + ", 1 block per level, 1 channel, "
                        + "untrained (seed 1)")
                .setting("windows", WINDOW + "³, overlap " + OVERLAP + ", Gaussian blending, batch 1, no flips")
                .setting("volumes", "ch2better " + "(Colin27 0.5 mm, 301×370×316); phantom512 (512×512×256)")
                .setting("memory", "peak: VmHWM growth over the resident size after one warm-up window (the prediction "
                        + "alone); peak from start: over the resident size after reading the image and building the "
                        + "network, before any network call (a fresh process's first prediction, what the planner "
                        + "forecasts); fresh JVM per run, -XX:+UseSerialGC -Xmn64m -Xmx8g "
                        + "-XX:PretenureSizeThreshold=1m, glibc's default malloc")
                .setting("compute floor", "the network's forward calls on the same windows, timed in the run")
                .setting("MONAI rows", "MONAI's UNet layout (strided-unet3d: 16-32-64-128-256, 2 residual units, "
                        + "PReLU, 3 classes, 4,807,482 parameters), 96³ windows, overlap 0.5, Gaussian, ch2 and "
                        + "ch2better, against MONAI 1.2's sliding_window_inference as measured for the issue (not "
                        + "in this run: no PyTorch for Python here)");
        // every stitching mode with UNet3d on ch2better; Fully-InvRes and the large volume with float32 only (the
        // stitching is the same code whatever the network; CPU time is what limits this benchmark)
        for (String volume : VOLUMES) {
            for (Architecture a : List.of(Architecture.UNET3D, Architecture.FULLY_INVRES)) {
                for (Stitching s : Stitching.values()) {
                    boolean all = volume.equals(VOLUMES.get(0)) && a == Architecture.UNET3D;
                    if (!all && s != Stitching.FLOAT32 || volume.equals("phantom512") && a != Architecture.UNET3D) {
                        continue;
                    }
                    Run r = probe(a, 3, volume, s, 1);
                    String what = name(a) + " " + volume + " " + s.name().toLowerCase(Locale.ROOT);
                    table.row(what + " time", "s", r.seconds(), "forward only", r.forwardSeconds(), "≤ 1.2×");
                    table.row(what + " throughput", "Mvox/s", r.voxels() / r.seconds() / 1e6, "forward only",
                            r.voxels() / r.forwardSeconds() / 1e6, "");
                    table.row(what + " peak from start", "MB", r.freshPeakMb(), "planner", r.plannedMb(),
                            "0.75–1.25×");
                }
            }
        }
        // class-chunk memory does not grow with the class count (1, then 10 classes per pass); float32's does
        String small = System.getProperty("volseg.bench.classVolume", "ch2");
        if (CLASSES) {
            Run chunks = probe(Architecture.UNET3D, 3, small, Stitching.CLASS_CHUNKS, 1);
            table.row("UNet3d " + small + " class-chunks (1 per pass) time", "s", chunks.seconds(), "forward only",
                    chunks.forwardSeconds(), "≤ 1.2×");
            table.row("UNet3d " + small + " class-chunks (1 per pass) peak from start", "MB", chunks.freshPeakMb(),
                    "planner", chunks.plannedMb(), "0.75–1.25×");
            // the 3 against 50 classes at one class per pass: the volume's arrays are the same, the
            // window's own 50 logits are not (50 passes, so the longest row here)
            Run fifty = probe(Architecture.UNET3D, 50, small, Stitching.CLASS_CHUNKS, 1);
            table.row("UNet3d " + small + " class-chunks (1 per pass) 50 classes peak", "MB", fifty.peakMb(),
                    "3 classes", chunks.peakMb(), "≈ 1×");
            table.row("UNet3d " + small + " class-chunks (1 per pass) 50 classes peak from start", "MB",
                    fifty.freshPeakMb(), "planner", fifty.plannedMb(), "0.75–1.25×");
            table.row("UNet3d " + small + " class-chunks (1 per pass) 50 classes time", "s", fifty.seconds(),
                    "forward only", fifty.forwardSeconds(), "≤ 1.2×");
        }
        for (Stitching s : CLASSES ? List.of(Stitching.FLOAT32, Stitching.CLASS_CHUNKS) : List.<Stitching>of()) {
            Run twenty = probe(Architecture.UNET3D, 20, small, s, 10);
            Run fifty = probe(Architecture.UNET3D, 50, small, s, 10);
            String what = "UNet3d " + small + " " + s.name().toLowerCase(Locale.ROOT) + " 50 classes peak";
            table.row(what, "MB", fifty.peakMb(), "20 classes", twenty.peakMb(), s == Stitching.CLASS_CHUNKS
                    ? "≈ 1×" : "");
            table.row(what + " from start", "MB", fifty.freshPeakMb(), "planner", fifty.plannedMb(), "0.75–1.25×");
            table.row("UNet3d " + small + " " + s.name().toLowerCase(Locale.ROOT) + " 50 classes time", "s",
                    fifty.seconds(), "forward only", fifty.forwardSeconds(), "");
        }
        if (CLASSES) {
            // an ensemble of 3 (nnU-Net's folds, fewer): split before the members' heads, as PredictingModel.ensemble
            // chooses here, against handing over each member's 50 logits
            Run whole = probe(Architecture.UNET3D, 50, small, Stitching.CLASS_CHUNKS, 25, WINDOW, OVERLAP, 1, 3, false);
            Run split = probe(Architecture.UNET3D, 50, small, Stitching.CLASS_CHUNKS, 25, WINDOW, OVERLAP, 1, 3, true);
            String what = "UNet3d " + small + " class-chunks (25 per pass) ensemble of 3, 50 classes";
            table.row(what + " split peak", "MB", split.peakMb(), "members' logits", whole.peakMb(), "< 1×");
            table.row(what + " split time", "s", split.seconds(), "members' logits", whole.seconds(), "< 1×");
            table.row(what + " split time", "s", split.seconds(), "forward only", split.forwardSeconds(), "≤ 1.2×");
            table.row(what + " split peak from start", "MB", split.freshPeakMb(), "planner", split.plannedMb(),
                    "0.75–1.25×");
            table.row(what + " logits peak from start", "MB", whole.freshPeakMb(), "planner", whole.plannedMb(),
                    "0.75–1.25×");
        }
        if (MONAI) {
            monaiComparison(table);
        }
        table.print();
    }

    /**
     * The peer anchor, MONAI 1.2's {@code sliding_window_inference} with its UNet (channels 16-32-64-128-256,
     * strides 2, 2 residual units, 3 classes), 96³ windows, overlap 0.5, Gaussian blending, measured on this kind of
     * machine with 2 CPU threads: seconds and peak memory growth on ch2 and ch2better. The same network in VolSeg,
     * predicted alike, beside it (MONAI's figures are not measured in this run: there is no PyTorch for Python here).
     */
    private static void monaiComparison(Table table) throws Exception {
        String[] volumes = {"ch2", "ch2better"};
        double[] monaiSeconds = {18.1, 89.2};
        double[] monaiMb = {280, 616};
        for (int i = 0; i < volumes.length; i++) {
            for (Stitching s : List.of(Stitching.FLOAT32, Stitching.FLOAT16)) {
                for (int batch : MONAI_BATCHES) {
                    Run r = probe(Architecture.STRIDED_UNET3D, 3, volumes[i], s, 1, 96, 0.5, batch);
                    String what = "MONAI's UNet " + volumes[i] + " " + s.name().toLowerCase(Locale.ROOT) + " batch "
                            + batch;
                    table.row(what + " time", "s", r.seconds(), "MONAI 1.2 (anchor)", monaiSeconds[i], "≤ 0.9×");
                    table.row(what + " time", "s", r.seconds(), "forward only", r.forwardSeconds(), "≤ 1.2×");
                    table.row(what + " peak", "MB", r.peakMb(), "MONAI 1.2 (anchor)", monaiMb[i], "≤ 0.5×");
                    table.row(what + " peak from start", "MB", r.freshPeakMb(), "planner", r.plannedMb(),
                            "0.75–1.25×");
                }
            }
        }
    }

    /** MONAI's UNet as its users benchmark it: channels 16-32-64-128-256, strides 2, 2 residual units, PReLU. */
    static NetworkConfig monaiConfig(int classes, PatchSize window) {
        return new NetworkConfig(Architecture.STRIDED_UNET3D, 1, classes, ArchitectureCatalog.MONAI_CHANNELS, 2,
                NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.PRELU, false, window);
    }

    private static String name(Architecture a) {
        return a == Architecture.FULLY_INVRES ? "Fully-InvRes" : "UNet3d";
    }

    /** The image of a benchmark volume. */
    private static Volume volume(String name) throws Exception {
        if (name.equals("phantom512")) {
            Geometry g = Geometry.of(512, 512, 256, 0.5, 0.5, 1);
            Volume v = Volume.zeros(g, 1);
            float[] data = v.channel(0);
            IntStream.range(0, g.nz()).parallel().forEach(z -> {
                for (int y = 0; y < g.ny(); y++) {
                    for (int x = 0; x < g.nx(); x++) {
                        double r = Math.hypot(x - 256, y - 256) / 200 + Math.abs(z - 128) / 160.0;
                        data[g.index(x, y, z)] = (float) ((r < 1 ? 100 : 0) + 20 * Math.sin(x / 9.0) * Math.cos(
                                y / 13.0 + z / 7.0));
                    }
                }
            });
            return v;
        }
        Path file = ReferenceData.MRICRON_TEMPLATES.file(name + ".nii.gz").orElseThrow(() -> new IllegalStateException(
                name + ".nii.gz not found: install " + ReferenceData.MRICRON_TEMPLATES));
        return NiftiReader.read(file).volume();
    }

    /**
     * {@code model} with the time of its network calls (logits, or the head's input and the head of each slab) added
     * to {@code nanos[0]}: the compute floor.
     */
    private static PatchPredictor timed(PatchPredictor model, long[] nanos) {
        UnaryOperator<UnaryOperator<NDArray>> timing = call -> in -> {
            long t0 = System.nanoTime();
            NDArray out = call.apply(in);
            // PyTorch's CPU ops are eager; reading one value only makes sure (a whole copy, which this was until
            // 2026-12-03, cost a 50-class ensemble's 52 MB logits a fresh buffer per call, counted as forward time)
            out.getFloat(0, 0, 0, 0, 0);
            nanos[0] += System.nanoTime() - t0;
            return out;
        };
        PatchPredictor.PointwiseHead split = model.pointwiseHead();
        return PatchPredictor.of(timing.apply(model::logits), split == null ? null
                : PatchPredictor.PointwiseHead.of(timing.apply(split::headInput), timing.apply(split::head)));
    }

    /**
     * Child: architecture, classes, volume, stitching, chunk, window edge, overlap, batch, ensemble members, split
     * before the heads. Prints one line of JSON.
     */
    public static void main(String[] args) throws Exception {
        Architecture a = Architecture.valueOf(args[0]);
        int classes = Integer.parseInt(args[1]);
        Volume image = volume(args[2]);
        Stitching stitching = Stitching.valueOf(args[3]);
        int chunk = Integer.parseInt(args[4]);
        PatchSize patch = PatchSize.cube(Integer.parseInt(args[5]));
        NetworkConfig config = a == Architecture.STRIDED_UNET3D ? monaiConfig(classes, patch)
                : NetworkConfig.of(a, 1, classes, WIDTHS, 1, patch);
        SlidingWindow.Settings window = new SlidingWindow.Settings(patch, Double.parseDouble(args[6]), true,
                Integer.parseInt(args[7]))
                .withStitching(stitching, chunk);
        int members = Integer.parseInt(args[8]);
        boolean split = Boolean.parseBoolean(args[9]);
        String json = DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                long[] forwardNanos = {0};
                List<Network> nets = new ArrayList<>();
                List<PatchPredictor> timedMembers = new ArrayList<>();
                for (int seed = 1; seed <= members; seed++) {
                    Network member = Network.build(config, m, seed);
                    nets.add(member);
                    timedMembers.add(timed(PredictingModel.predictor(member), forwardNanos));
                }
                Network net = nets.get(0);
                PatchPredictor timed = members == 1 ? timedMembers.get(0) : new EnsemblePredictor(timedMembers,
                        split ? nets.stream().mapToInt(n -> n.config().headWidth()).toArray() : null);
                long parameters = members * net.predictingParameters().stream().mapToLong(p -> p.getShape().size())
                        .sum();
                PredictingModel model = new PredictingModel(timed, config, parameters, List.of("image"),
                        IntStream.range(0, classes).toArray(), new Preprocessing(null, List.of(),
                                Preprocessing.Normalization.ZSCORE), patch);
                System.gc();
                long fresh = ProcessMemory.residentBytes();
                try (NDManager warm = m.newSubManager()) { // oneDNN builds its kernels on the first call per shape
                    timed.logits(warm.zeros(new Shape(window.batchSize(), 1, patch.z(), patch.y(), patch.x())));
                }
                forwardNanos[0] = 0;
                CasePredictor predictor = new CasePredictor(model, CasePredictor.Options.fixed(window), Device.cpu());
                InferencePlanner.Job job = new InferencePlanner.Job(config, parameters, 1, classes,
                        image.geometry().voxels(), image.geometry().voxels(), image.geometry().nz(), true,
                        true, false, members, timed.pointwiseHead() != null);
                InferencePlan plan = InferencePlanner.estimate(job, window, new InferencePlanner.Budget(Long.MAX_VALUE
                        / 4, Long.MAX_VALUE / 4, true));
                System.gc();
                long before = ProcessMemory.residentBytes();
                ProcessMemory.resetPeak();
                long t0 = System.nanoTime();
                predictor.predict(image, m, Monitor.SILENT);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long peak = ProcessMemory.peakBytes() - before;
                long freshPeak = ProcessMemory.peakBytes() - fresh;
                int windows = new SlidingWindow(window).windows(image.geometry()).size()
                        * (stitching == Stitching.CLASS_CHUNKS ? (classes + chunk - 1) / chunk : 1);
                return String.format(Locale.ROOT, "{\"seconds\":%f,\"forward_seconds\":%f,\"windows\":%d,"
                        + "\"voxels\":%d,\"peak_growth_bytes\":%d,\"fresh_growth_bytes\":%d,\"planned_bytes\":%d,"
                        + "\"planned_heap\":%d,\"planned_native\":%d}", seconds, forwardNanos[0] / 1e9, windows,
                        image.geometry().voxels(), peak, freshPeak, plan.peakBytes(), plan.heapBytes(),
                        plan.nativeBytes());
            }
        });
        System.out.println(json);
    }
}
