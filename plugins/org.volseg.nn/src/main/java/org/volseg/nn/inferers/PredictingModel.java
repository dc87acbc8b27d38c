package org.volseg.nn.inferers;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.nn.bundle.BundleManifest;
import org.volseg.nn.bundle.ModelBundle;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkBundle;
import org.volseg.nn.networks.NetworkConfig;
import org.volseg.nn.ossnet.OssNetBundle;
import org.volseg.nn.ossnet.OssNetConfig;
import org.volseg.nn.ossnet.OssNetInference;

/**
 * What the case predictor needs of a model, whatever made it (a VolSeg network, a TorchScript module, a test
 * function): the logits of a batch of windows, what goes in and comes out, and how images are prepared.
 *
 * @param predictor     logits of N × C × D × H × W windows
 * @param network       the network's configuration when it is a VolSeg network (the memory planner's estimate),
 *                      else null
 * @param parameters    parameter count (its memory is the device's)
 * @param channelNames  input channels in order
 * @param labelValues   the label value of each output class, ascending
 * @param preprocessing what an image gets before the network sees it
 * @param patch         the window size
 * @param manifest      the bundle's manifest, or null for a model that comes from no bundle
 */
public record PredictingModel(PatchPredictor predictor, NetworkConfig network, long parameters,
        List<String> channelNames, int[] labelValues, Preprocessing preprocessing, PatchSize patch,
        BundleManifest manifest) {

    public PredictingModel {
        channelNames = List.copyOf(channelNames);
        labelValues = labelValues.clone();
    }

    /** A model that comes from no bundle (a test's function). */
    public PredictingModel(PatchPredictor predictor, NetworkConfig network, long parameters,
            List<String> channelNames, int[] labelValues, Preprocessing preprocessing, PatchSize patch) {
        this(predictor, network, parameters, channelNames, labelValues, preprocessing, patch, null);
    }

    /** A VolSeg network read from a bundle. */
    public static PredictingModel of(NetworkBundle.Loaded loaded) {
        BundleManifest m = loaded.manifest();
        return new PredictingModel(predictor(loaded.network()), loaded.network().config(),
                loaded.network().predictingParameters().stream().mapToLong(p -> p.getShape().size()).sum(),
                m.channelNames(), labelValues(m), loaded.preprocessing(), patch(m), m);
    }

    /** A VolSeg network's logits, split before its head where that head is pointwise. */
    public static PatchPredictor predictor(Network network) {
        return PatchPredictor.of(network::logits, network.hasPointwiseHead()
                ? PatchPredictor.PointwiseHead.of(network::headInput, network::head) : null);
    }

    /**
     * Reads any bundle, a VolSeg network's, an OSS-Net's (segmenting with its fastest procedure) or a TorchScript
     * module's, into {@code manager} (a PyTorch manager on the device to run on).
     *
     * @throws org.volseg.nn.bundle.BundleFormatException naming the file and the field that is wrong
     */
    public static PredictingModel read(Path file, NDManager manager) throws IOException {
        return read(file, manager, null);
    }

    /**
     * As {@link #read(Path, NDManager)}, an OSS-Net segmenting by {@code occupancy} (null: its fastest procedure).
     *
     * @throws IllegalArgumentException when the OSS-Net cannot query that way (encoder-guided needs C or D)
     */
    public static PredictingModel read(Path file, NDManager manager, OssNetInference.Procedure occupancy)
            throws IOException {
        ModelBundle.Contents contents = ModelBundle.read(file, manager);
        if (contents.isTorchScript()) {
            return TorchScriptModels.load(file, contents, manager);
        }
        if (OssNetConfig.ARCHITECTURE.equals(contents.manifest().architecture().get("name"))) {
            OssNetBundle.Loaded loaded = OssNetBundle.read(file, contents, manager);
            OssNetConfig.Variant variant = loaded.net().config().variant();
            if (occupancy == OssNetInference.Procedure.ENCODER_GUIDED && !variant.skipEncoder()) {
                throw new IllegalArgumentException(file + ": encoder-guided querying needs the low-resolution map of "
                        + "OSS-Net C or D; this model is " + loaded.net().config().name() + " (use coarse-to-fine)");
            }
            return OssNetBundle.predicting(loaded, occupancy != null ? occupancy
                    : OssNetInference.Procedure.fastest(variant));
        }
        return of(NetworkBundle.read(file, contents, manager));
    }

    /**
     * The models read from {@code files} as one that averages their probabilities ({@link EnsemblePredictor}), split
     * before the members' pointwise heads where that holds less ({@link EnsemblePredictor#splitHoldsLess}): the
     * first model's manifest, window and preprocessing, all models' parameters, and for the memory planner the
     * network whose activations take the most (none when a member is not a VolSeg network).
     *
     * @throws IllegalArgumentException naming the file whose channels, labels, preprocessing or window differ from
     *                                  the first model's
     */
    public static PredictingModel ensemble(List<PredictingModel> members, List<Path> files) {
        PredictingModel first = members.get(0);
        NetworkConfig largest = first.network();
        for (int i = 1; i < members.size(); i++) {
            PredictingModel m = members.get(i);
            String differs = differenceFrom(first, files.get(0), m);
            if (differs != null) {
                throw new IllegalArgumentException(files.get(i) + " " + differs + ": an ensemble averages models "
                        + "trained for the same channels, labels, preprocessing and window");
            }
            largest = largest == null || m.network() == null ? null
                    : InferencePlanner.activationFloatsPerVoxel(m.network())
                            > InferencePlanner.activationFloatsPerVoxel(largest) ? m.network() : largest;
        }
        List<PatchPredictor> predictors = members.stream().map(PredictingModel::predictor).toList();
        int[] headWidths = members.stream().allMatch(m -> m.network() != null && m.predictor().pointwiseHead() != null)
                ? members.stream().mapToInt(m -> m.network().headWidth()).toArray() : null;
        boolean split = headWidths != null && EnsemblePredictor.splitHoldsLess(headWidths, first.labelValues().length);
        return new PredictingModel(new EnsemblePredictor(predictors, split ? headWidths : null),
                largest, members.stream().mapToLong(PredictingModel::parameters).sum(), first.channelNames(),
                first.labelValues(), first.preprocessing(), first.patch(), first.manifest());
    }

    /** How {@code m} differs from the ensemble's first model in what averaging needs alike, or null. */
    private static String differenceFrom(PredictingModel first, Path firstFile, PredictingModel m) {
        if (!m.channelNames().equals(first.channelNames())) {
            return "takes the channels " + m.channelNames() + " where " + firstFile + " takes " + first.channelNames();
        }
        if (!Arrays.equals(m.labelValues(), first.labelValues())) {
            return "predicts the labels " + Arrays.toString(m.labelValues()) + " where " + firstFile + " predicts "
                    + Arrays.toString(first.labelValues());
        }
        if (!m.preprocessing().equals(first.preprocessing())) {
            return "prepares images as " + m.preprocessing().toMap() + " where " + firstFile + " prepares them as "
                    + first.preprocessing().toMap();
        }
        if (!m.patch().equals(first.patch())) {
            return "has the window " + m.patch() + " where " + firstFile + " has " + first.patch();
        }
        return null;
    }

    /** The manifest's label values, ascending: class k of the network is the k-th. */
    public static int[] labelValues(BundleManifest m) {
        return m.labelNames().keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The manifest's patch size (x, y, z). */
    public static PatchSize patch(BundleManifest m) {
        List<Integer> p = m.patchSize();
        return new PatchSize(p.get(0), p.get(1), p.get(2));
    }
}
