package org.volseg.nn.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import org.volseg.nn.engine.Convolution;
import org.volseg.nn.networks.Parameters;

/**
 * Graph Flow's paraphraser for one teacher tap (SEED_METHODS.md §3(b).2), in 3D: a convolutional auto-encoder
 * without normalisation, LeakyReLU(0.1) after every layer (the last included). The encoder (C → C → P → P) gives
 * the "teacher factor" with the student tap's P channels; the decoder (P → P → C → C) exists to train it by
 * reconstructing the teacher's feature. The reference's 3×3 stride-1 transposed convolutions keep the size, so
 * ordinary 3×3×3 convolutions are an equivalent parametrisation (DJL's PyTorch engine has no transposed ones).
 */
public final class Paraphraser {

    /** LeakyReLU's slope in the reference. */
    private static final float LEAK = 0.1f;

    private final List<NDArray> encoder;
    private final List<NDArray> decoder;

    private Paraphraser(List<NDArray> encoder, List<NDArray> decoder) {
        this.encoder = encoder;
        this.decoder = decoder;
    }

    /**
     * A freshly initialised paraphraser of teacher features with {@code channels} channels into {@code factor}
     * channels; its parameters are named {@code name.conv0.weight} ... {@code name.deconv2.bias}.
     */
    public static Paraphraser create(Parameters p, String name, int channels, int factor) {
        int[][] encoderShape = {{channels, channels}, {channels, factor}, {factor, factor}};
        int[][] decoderShape = {{factor, factor}, {factor, channels}, {channels, channels}};
        return new Paraphraser(layers(p, name + ".conv", encoderShape), layers(p, name + ".deconv", decoderShape));
    }

    private static List<NDArray> layers(Parameters p, String name, int[][] shapes) {
        List<NDArray> weights = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            int in = shapes[i][0];
            int out = shapes[i][1];
            // PyTorch's default initialisation of a convolution: uniform ±1/√fan-in for weights and biases
            double bound = 1 / Math.sqrt(in * 27.0);
            weights.add(p.uniform(name + i + ".weight", new Shape(out, in, 3, 3, 3), bound));
            weights.add(p.uniform(name + i + ".bias", new Shape(out), bound));
        }
        return weights;
    }

    /** The teacher factor: N × P × D × H × W of a teacher feature N × C × D × H × W. */
    public NDArray encode(NDArray feature) {
        return run(encoder, feature);
    }

    /** The reconstruction of a teacher feature through the factor (training only). */
    public NDArray reconstruct(NDArray feature) {
        return run(decoder, encode(feature));
    }

    private static NDArray run(List<NDArray> layers, NDArray x) {
        NDArray h = x;
        for (int i = 0; i < layers.size(); i += 2) {
            h = Convolution.conv3d(h, layers.get(i), layers.get(i + 1), 1);
            h = Activation.leakyRelu(h, LEAK);
        }
        return h;
    }

    /** Every parameter, encoder first. */
    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>(encoder);
        all.addAll(decoder);
        return all;
    }

    /** The factor's channels (the student tap's). */
    public int factorChannels() {
        return (int) encoder.get(encoder.size() - 1).getShape().get(0);
    }
}
