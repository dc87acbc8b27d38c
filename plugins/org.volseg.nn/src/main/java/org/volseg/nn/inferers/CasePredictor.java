package org.volseg.nn.inferers;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.volseg.core.data.Case;
import org.volseg.core.data.CaseVolumes;
import org.volseg.core.io.NiftiHeader;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.postprocessing.PostProcessing;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.bundle.BundleManifest;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.networks.NetworkBundle;

/**
 * Segments whole cases with a trained bundle: prepares each image as the bundle's training images were (its
 * {@link Preprocessing}), slides the network over it, and puts the label map back on the input's own grid. When
 * preprocessing only moved voxels (reorientation), the labels are moved back; when it resampled, the class
 * probabilities are resampled back (trilinear) and the label taken there, as nnU-Net does, so that boundaries do
 * not get the staircase of nearest-neighbour label resampling.
 */
public final class CasePredictor implements AutoCloseable {

    private final NetworkBundle.Loaded model;
    private final NDManager own;
    private final Preprocessing preprocessing;
    private final SlidingWindow window;
    private final int[] labelValues;

    /** A predictor for {@code model}, with the given window settings. */
    public CasePredictor(NetworkBundle.Loaded model, SlidingWindow.Settings window) {
        this(model, window, null);
    }

    private CasePredictor(NetworkBundle.Loaded model, SlidingWindow.Settings window, NDManager own) {
        this.model = model;
        this.own = own;
        this.preprocessing = model.preprocessing();
        this.window = new SlidingWindow(window);
        this.labelValues = model.manifest().labelNames().keySet().stream().mapToInt(Integer::intValue).sorted()
                .toArray();
    }

    /** A predictor with the default window settings for the bundle's training patch size. */
    public CasePredictor(NetworkBundle.Loaded model) {
        this(model, SlidingWindow.Settings.defaults(patchOf(model.manifest())));
    }

    /**
     * Reads a bundle into a predictor on the {@code compute} device that owns the network's memory until
     * {@link #close()}: for callers that keep DJL at arm's length (the operations layer). {@code window} null means
     * the defaults for the bundle's patch.
     */
    public static CasePredictor open(Path bundle, SlidingWindow.Settings window, Compute compute)
            throws IOException {
        return DjlContext.callIo(() -> {
            NDManager m = compute.newManager();
            try {
                NetworkBundle.Loaded loaded = NetworkBundle.read(bundle, m);
                return new CasePredictor(loaded, window != null ? window
                        : SlidingWindow.Settings.defaults(patchOf(loaded.manifest())), m);
            } catch (IOException | RuntimeException e) {
                m.close();
                throw e;
            }
        });
    }

    /**
     * Segments a case into {@code output} as {@link #predict(Case, Path, PostProcessing, NDManager, Monitor)}, in
     * its own scope.
     */
    public void predict(Case c, Path output, PostProcessing post, Monitor monitor) throws IOException {
        if (own == null) {
            throw new IllegalStateException("a predictor built on a caller's network takes the caller's manager");
        }
        DjlContext.callIo(() -> {
            try (NDManager scope = own.newSubManager()) {
                predict(c, output, post, scope, monitor);
                return null;
            }
        });
    }

    /** Frees the network when {@link #open} made it; a predictor on a caller's network leaves it alone. */
    @Override
    public void close() {
        if (own != null) {
            DjlContext.call(() -> {
                own.close();
                return null;
            });
        }
    }

    private static PatchSize patchOf(BundleManifest manifest) {
        List<Integer> p = manifest.patchSize();
        return new PatchSize(p.get(0), p.get(1), p.get(2));
    }

    /**
     * The label map of {@code image} (raw intensities, any grid), on {@code image}'s grid.
     *
     * @param manager the parent of the windows' managers (nothing stays in it)
     * @throws IllegalArgumentException when the image's channel count is not the bundle's
     */
    public LabelMap predict(Volume image, NDManager manager, Monitor monitor) {
        int channels = model.manifest().channelNames().size();
        if (image.channelCount() != channels) {
            throw new IllegalArgumentException("the image has " + image.channelCount() + " channel(s); the model "
                    + "was trained on " + channels + " " + model.manifest().channelNames());
        }
        Preprocessing.Prepared prepared = preprocessing.prepare(image);
        float[][] probabilities = window.probabilities(prepared.image(), model.network()::logits, manager, monitor);
        if (prepared.transform().exact()) {
            return prepared.transform().invert(SlidingWindow.labels(probabilities, prepared.image().geometry(),
                    labelValues));
        }
        Volume back = prepared.transform().invert(new Volume(prepared.image().geometry(), probabilities));
        float[][] onInput = new float[back.channelCount()][];
        for (int k = 0; k < onInput.length; k++) {
            onInput[k] = back.channel(k);
        }
        return SlidingWindow.labels(onInput, image.geometry(), labelValues);
    }

    /**
     * Segments a case, cleans the label map as {@code post} says, and writes it to {@code output} (any NIfTI
     * layout), on the case's grid and with its first image's header fields (qform/sform codes, units), atomically:
     * a cancelled or failed run leaves no file.
     */
    public void predict(Case c, Path output, PostProcessing post, NDManager manager, Monitor monitor)
            throws IOException {
        Volume image = CaseVolumes.image(c);
        LabelMap labels;
        try {
            labels = predict(image, manager, monitor);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("case " + c.id() + ": " + e.getMessage(), e);
        }
        labels = post.isNone() ? labels : post.apply(labels);
        NiftiHeader template = NiftiReader.readHeader(c.images().get(0)).header();
        NiftiWriter.writeLabels(output, labels, new NiftiWriter.Options(template.version(), null,
                template.byteOrder(), 1, template, List.of()));
    }
}
