package org.volseg.nn.ossnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;
import org.volseg.nn.bundle.BundleFormatException;
import org.volseg.nn.bundle.BundleManifest;
import org.volseg.nn.bundle.ModelBundle;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.inferers.PatchPredictor;
import org.volseg.nn.inferers.PredictingModel;
import org.volseg.nn.networks.NetworkBundle;

/**
 * A trained OSS-Net as a model bundle: the manifest's architecture is its {@link OssNetConfig}, the patch size its
 * full-resolution grid, the labels background first and then one per class (binary: background 0, foreground 1,
 * in ascending order: class k is the k-th label after the background); the parameter file holds the parameters and
 * the batch-norm running statistics. As a {@link PredictingModel} it segments the one window the size of its grid
 * that the case predictor hands it (the image centred and zero-padded, as in training) with
 * {@link OssNetInference}, so that preprocessing, geometry and output follow every other VolSeg model.
 */
public final class OssNetBundle {

    /** A bundle as read: the network, the manifest, and the preprocessing a new image gets. */
    public record Loaded(OssNet net, BundleManifest manifest, Preprocessing preprocessing) {
    }

    private OssNetBundle() {
    }

    /**
     * Builds an OSS-Net from {@code config} (weights from {@code seed}) on the {@code compute} device, trains it with
     * {@link OssNetTraining} and writes it as a bundle, all in a manager of its own: for callers that keep DJL at
     * arm's length (the operations layer).
     *
     * @param checkpoint where the run keeps its state after every epoch and resumes from, or null
     */
    public static OssNetTraining.Result train(OssNetConfig config, long seed, List<OssNetTrainer.Case> training,
            List<OssNetTrainer.Case> validation, OssNetTraining.Settings settings, Compute compute, Monitor monitor,
            java.util.function.Consumer<org.volseg.nn.engines.EpochRecord> onEpoch, Path checkpoint, Path file,
            java.util.function.Function<OssNetTraining.Result, NetworkBundle.Description> description)
            throws IOException {
        return DjlContext.callIo(() -> {
            try (NDManager m = compute.newManager()) {
                OssNet net = OssNet.build(config, m, seed);
                OssNetTraining.Result result = OssNetTraining.train(net, training, validation, settings, monitor,
                        onEpoch, checkpoint);
                write(file, net, description.apply(result));
                return result;
            }
        });
    }

    /** Writes {@code net} as a bundle, atomically. */
    public static void write(Path file, OssNet net, NetworkBundle.Description description) throws IOException {
        OssNetConfig config = net.config();
        if (description.channelNames().size() != config.preset().channels()) {
            throw new IllegalArgumentException(description.channelNames().size() + " channel names for a network of "
                    + config.preset().channels() + " input channels");
        }
        if (description.labelNames().size() != config.classes() + 1) {
            throw new IllegalArgumentException(description.labelNames().size() + " label names for a network of "
                    + config.classes() + " class(es) and the background");
        }
        int[] grid = OssNetTrainer.grid(config.preset());
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, config.toMap(),
                description.channelNames(), description.labelNames(), description.preprocessing().toMap(),
                List.of(grid[0], grid[1], grid[2]), description.provenance(), description.metrics(), null);
        try (NDManager m = net.parameters().get(0).getManager().newSubManager(); NDList state = net.state(m)) {
            ModelBundle.write(file, manifest, state);
        }
    }

    /**
     * Rebuilds the network of a bundle read from {@code file}.
     *
     * @throws BundleFormatException naming the field that is wrong
     */
    public static Loaded read(Path file, ModelBundle.Contents contents, NDManager manager) throws IOException {
        OssNetConfig config;
        try {
            config = OssNetConfig.fromMap(contents.manifest().architecture());
        } catch (IllegalArgumentException e) {
            throw new BundleFormatException(file, "architecture", "does not describe an OSS-Net (" + e.getMessage()
                    + ")", e);
        }
        if (contents.manifest().labelNames().size() != config.classes() + 1) {
            throw new BundleFormatException(file, "labels", "names " + contents.manifest().labelNames().size()
                    + " labels; an OSS-Net of " + config.classes() + " class(es) needs the background and one each");
        }
        Preprocessing preprocessing;
        try {
            preprocessing = Preprocessing.fromMap(contents.manifest().preprocessing());
        } catch (IllegalArgumentException e) {
            throw new BundleFormatException(file, "preprocessing", e.getMessage(), e);
        }
        OssNet net = OssNet.build(config, manager, 0);
        try (NDList state = contents.parameters()) {
            net.loadState(state);
        } catch (IllegalArgumentException e) {
            throw new BundleFormatException(file, "parameters.bin", "does not fit the architecture ("
                    + e.getMessage() + ")", e);
        }
        return new Loaded(net, contents.manifest(), preprocessing);
    }

    /** The bundle as the case predictor's model, segmenting with {@code procedure}. */
    public static PredictingModel predicting(Loaded loaded, OssNetInference.Procedure procedure) {
        BundleManifest m = loaded.manifest();
        return new PredictingModel(new Predictor(loaded.net(), procedure), null, loaded.net().parameterCount(),
                m.channelNames(), PredictingModel.labelValues(m), loaded.preprocessing(), PredictingModel.patch(m), m);
    }

    /**
     * Windows the size of the grid to logits over background and the classes (background 0, class k its occupancy
     * logit, so that the largest is the class {@link OssNetInference.Result#labels} gives, and for one class the
     * softmax is the sigmoid), keeping count of the queries and the time.
     */
    public static final class Predictor implements PatchPredictor {
        private final OssNet net;
        private final OssNetInference.Procedure procedure;
        private final AtomicLong queries = new AtomicLong();
        private final AtomicLong nanos = new AtomicLong();
        private final AtomicLong gridVoxels = new AtomicLong();
        private long reportedQueries;
        private long reportedVoxels;
        private long reportedNanos;

        Predictor(OssNet net, OssNetInference.Procedure procedure) {
            this.net = net;
            this.procedure = procedure;
        }

        public OssNetInference.Procedure procedure() {
            return procedure;
        }

        /** "OSS-Net encoder-guided: 41,210 voxel queries (6.3 % of 655,360), 3.1 s" since the last call. */
        @Override
        public synchronized String takeReport() {
            long q = queries.get() - reportedQueries;
            long v = gridVoxels.get() - reportedVoxels;
            double s = (nanos.get() - reportedNanos) / 1e9;
            if (v == 0) {
                return null;
            }
            reportedQueries += q;
            reportedVoxels += v;
            reportedNanos = nanos.get();
            return String.format(java.util.Locale.ROOT, "OSS-Net %s: %,d voxel queries (%.1f %% of %,d), %.1f s",
                    procedure.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), q, 100.0 * q / v, v, s);
        }

        /** Voxels queried so far. */
        public long queries() {
            return queries.get();
        }

        /** Seconds spent in {@link OssNetInference} so far. */
        public double seconds() {
            return nanos.get() / 1e9;
        }

        @Override
        public NDArray logits(NDArray patches) {
            Shape s = patches.getShape();
            int[] grid = OssNetTrainer.grid(net.config().preset());
            if (s.get(4) != grid[0] || s.get(3) != grid[1] || s.get(2) != grid[2]) {
                throw new IllegalArgumentException("an OSS-Net segments windows of its whole grid, " + grid[0] + " × "
                        + grid[1] + " × " + grid[2] + "; got " + s.get(4) + " × " + s.get(3) + " × " + s.get(2));
            }
            int n = (int) s.get(0);
            int channels = (int) s.get(1);
            Geometry g = Geometry.of(grid[0], grid[1], grid[2], 1, 1, 1);
            int voxels = g.voxels();
            float[] input = patches.toFloatArray();
            int outputs = net.config().classes() + 1;
            float[] out = new float[n * outputs * voxels];
            for (int b = 0; b < n; b++) {
                float[][] channelData = new float[channels][];
                for (int c = 0; c < channels; c++) {
                    channelData[c] = java.util.Arrays.copyOfRange(input, (b * channels + c) * voxels,
                            (b * channels + c + 1) * voxels);
                }
                OssNetInference.Result r = OssNetInference.segment(net, new Volume(g, channelData), procedure,
                        OssNetInference.DEFAULT_CHUNK, Monitor.SILENT);
                for (int k = 1; k < outputs; k++) {
                    System.arraycopy(r.logits()[k - 1], 0, out, (outputs * b + k) * voxels, voxels);
                }
                queries.addAndGet(r.queries());
                gridVoxels.addAndGet(voxels);
                nanos.addAndGet((long) (r.seconds() * 1e9));
            }
            return patches.getManager().create(out, new Shape(n, outputs, s.get(2), s.get(3), s.get(4)));
        }
    }
}
