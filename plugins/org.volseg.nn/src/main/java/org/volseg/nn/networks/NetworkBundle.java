package org.volseg.nn.networks;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.nn.bundle.BundleFormatException;
import org.volseg.nn.bundle.BundleManifest;
import org.volseg.nn.bundle.ModelBundle;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engines.Trainer;
import org.volseg.nn.engines.TrainingCase;
import org.volseg.nn.engines.TrainingResult;
import org.volseg.nn.engines.TrainingSettings;

/**
 * A trained {@link Network} as a predicting model bundle: the manifest's architecture is the network's config
 * (VAE off: the branch is train-time only and its parameters are left out), the parameters are the predicting
 * ones by name. Reading rebuilds the network and loads them, shapes checked.
 */
public final class NetworkBundle {

    /**
     * A bundle as read: the rebuilt network, what the manifest says about inputs, labels and training, and the
     * preprocessing a new image must get before the network sees it.
     */
    public record Loaded(Network network, BundleManifest manifest, Preprocessing preprocessing) {
    }

    private NetworkBundle() {
    }

    /** What a bundle records beside the network: input channel names, label names, preprocessing, provenance. */
    public record Description(List<String> channelNames, Map<Integer, String> labelNames,
            Preprocessing preprocessing, Map<String, Object> provenance, Map<String, Double> metrics) {
    }

    /** Writes {@code network} (without its VAE branch) as a bundle, atomically. */
    public static void write(Path file, Network network, Description description) throws IOException {
        NetworkConfig predicting = network.config().withVae(false);
        if (description.channelNames().size() != predicting.inputChannels()) {
            throw new IllegalArgumentException(description.channelNames().size() + " channel names for a network of "
                    + predicting.inputChannels() + " input channels");
        }
        if (description.labelNames().size() != predicting.classes()) {
            throw new IllegalArgumentException(description.labelNames().size() + " label names for a network of "
                    + predicting.classes() + " classes");
        }
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, predicting.toMap(),
                description.channelNames(), description.labelNames(), description.preprocessing().toMap(),
                List.of(predicting.patch().x(), predicting.patch().y(), predicting.patch().z()),
                description.provenance(), description.metrics(), null);
        ModelBundle.write(file, manifest, network.namedParameters(false));
    }

    /**
     * Trains a network built from {@code config} (weights from {@code seed}) with the {@link Trainer} on the
     * {@code compute} device, then writes it as a bundle, all in a manager of its own: for callers that keep DJL at
     * arm's length (the operations layer; DJL's packages are private to this bundle).
     *
     * @see Trainer#train for the meaning of the arguments and what is thrown
     */
    public static TrainingResult train(NetworkConfig config, long seed, List<TrainingCase> training,
            List<TrainingCase> validation, int[] labelValues, TrainingSettings settings, Path checkpoint,
            Monitor monitor, Path file, Function<TrainingResult, Description> description, Compute compute)
            throws IOException {
        return DjlContext.callIo(() -> {
            try (NDManager m = compute.newManager()) {
                Network net = Network.build(config, m, seed);
                TrainingResult result = new Trainer().train(net, training, validation, labelValues, settings,
                        checkpoint, monitor, null);
                write(file, net, description.apply(result));
                return result;
            }
        });
    }

    /**
     * Reads and checks a bundle (checksum, format version, architecture, preprocessing, parameters fit) and returns
     * its manifest; nothing stays in memory.
     *
     * @throws BundleFormatException naming the file and the field that is wrong
     */
    public static BundleManifest check(Path file) throws IOException {
        return DjlContext.callIo(() -> {
            try (NDManager m = DjlContext.cpuManager()) {
                return org.volseg.nn.inferers.PredictingModel.read(file, m).manifest();
            }
        });
    }

    /** Reads a bundle and rebuilds its network in {@code manager}. */
    public static Loaded read(Path file, NDManager manager) throws IOException {
        return read(file, ModelBundle.read(file, manager), manager);
    }

    /**
     * Rebuilds the network of a bundle read from {@code file} in {@code manager}.
     *
     * @throws BundleFormatException for a TorchScript bundle (read those with
     *         {@link org.volseg.nn.inferers.PredictingModel#read})
     */
    public static Loaded read(Path file, ModelBundle.Contents contents, NDManager manager) throws IOException {
        return read(file, contents, manager, false);
    }

    /** Rebuilds the network of a bundle read from {@code file} with feature taps (a distillation teacher). */
    public static Loaded readWithFeatureTaps(Path file, ModelBundle.Contents contents, NDManager manager)
            throws IOException {
        return read(file, contents, manager, true);
    }

    private static Loaded read(Path file, ModelBundle.Contents contents, NDManager manager, boolean featureTaps)
            throws IOException {
        if (contents.isTorchScript()) {
            throw new BundleFormatException(file, "architecture", "is a TorchScript model, not a VolSeg network: "
                    + "it can predict but not be trained further");
        }
        try (NDList parameters = contents.parameters()) {
            NetworkConfig config;
            Preprocessing preprocessing;
            try {
                config = NetworkConfig.fromMap(contents.manifest().architecture());
            } catch (IllegalArgumentException e) {
                throw new BundleFormatException(file, "architecture", "does not describe a VolSeg network ("
                        + e.getMessage() + ")", e);
            }
            try {
                preprocessing = Preprocessing.fromMap(contents.manifest().preprocessing());
            } catch (IllegalArgumentException e) {
                throw new BundleFormatException(file, "preprocessing", e.getMessage(), e);
            }
            Network network = featureTaps ? Network.withFeatureTaps(config, manager, 0)
                    : Network.build(config, manager, 0);
            try {
                network.load(parameters, false);
            } catch (IllegalArgumentException e) {
                throw new BundleFormatException(file, "parameters.bin", "does not fit the architecture ("
                        + e.getMessage() + ")", e);
            }
            return new Loaded(network, contents.manifest(), preprocessing);
        }
    }
}
