package org.volseg.nn.networks;

import org.volseg.nn.engine.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.volseg.nn.invertible.AdditiveCoupling;
import org.volseg.nn.invertible.InvertibleBlock;
import org.volseg.nn.invertible.Inverted;
import org.volseg.nn.invertible.Squeeze;
import org.volseg.nn.losses.SegmentationLosses;

/**
 * Myronenko's VAE regulariser, attached to the bottleneck: a strided convolution and two dense heads give the
 * mean and log-variance of a Gaussian latent; a sample is decoded back to the input volume with invertible
 * upsampling (pixel shuffle) and a coupling per level, as the InvRes figure draws it. Train-time only: it shapes
 * the encoder through its loss and is left out of predicting bundles.
 */
final class VaeBranch {

    /** Latent size (Myronenko: 128 means + 128 standard deviations). */
    static final int LATENT = 128;
    /** Channels of the strided convolution before the dense heads. */
    static final int REDUCED = 16;
    /** Reconstruction channels per voxel while upsampling (couplings split them in two). */
    static final int RECONSTRUCTION_WIDTH = 2;

    private final NetworkConfig config;
    private final Layers.Unit reduce;
    private final NDArray meanWeight;
    private final NDArray meanBias;
    private final NDArray logVarianceWeight;
    private final NDArray logVarianceBias;
    private final NDArray expandWeight;
    private final NDArray expandBias;
    private final Layers.Unit widen;
    private final Layers.Unit toShuffle;
    private final List<InvertibleBlock> upsampling = new ArrayList<>();
    private final Layers.Unit output;
    private final Shape reduced;
    private final List<NDArray> parameters = new ArrayList<>();

    VaeBranch(Parameters p, NetworkConfig config, int bottleneckChannels) {
        this.config = config;
        int down = 1 << (config.levels() - 1);
        reduced = new Shape(REDUCED, config.patch().z() / down / 2, config.patch().y() / down / 2,
                config.patch().x() / down / 2);
        int features = Math.toIntExact(reduced.size());
        reduce = Layers.Unit.create(p, "vae.reduce", config, bottleneckChannels, REDUCED, 3, 1);
        meanWeight = p.dense("vae.mean.weight", features, LATENT);
        meanBias = p.zeros("vae.mean.bias", new Shape(LATENT));
        logVarianceWeight = p.normal("vae.log_variance.weight", new Shape(features, LATENT), 1e-3);
        logVarianceBias = p.zeros("vae.log_variance.bias", new Shape(LATENT));
        expandWeight = p.dense("vae.expand.weight", LATENT, features);
        expandBias = p.zeros("vae.expand.bias", new Shape(features));
        widen = Layers.Unit.create(p, "vae.widen", config, REDUCED, bottleneckChannels, 1, 1);
        int channels = RECONSTRUCTION_WIDTH << (3 * (config.levels() - 1));
        toShuffle = Layers.Unit.create(p, "vae.to_shuffle", config, bottleneckChannels, channels, 1, 1);
        for (int level = config.levels() - 2; level >= 0; level--) {
            channels /= 8;
            upsampling.add(new Inverted(new Squeeze()));
            int half = channels / 2;
            upsampling.add(new AdditiveCoupling(Layers.Unit.create(p, "vae.up" + level + ".f", config, half, half, 3, 1),
                    Layers.Unit.create(p, "vae.up" + level + ".g", config, half, half, 3, 1)));
        }
        output = Layers.Unit.create(p, "vae.output", config, RECONSTRUCTION_WIDTH, config.inputChannels(), 1, 1);
    }

    /** What the branch adds to the loss, with the terms apart for the history. */
    record Terms(NDArray total, NDArray reconstruction, NDArray kl) {
    }

    /**
     * The VAE's loss for a bottleneck {@code b} and the network's input {@code image}: weight · (L2 + KL), with the
     * latent sample's noise drawn from {@code seed} (so a step is reproducible, and resumable, from its seed).
     */
    Terms loss(NDArray b, NDArray image, long seed, double weight) {
        long n = b.getShape().get(0);
        // a PReLU outside a unit shares the slope of the unit beside it (reduce's twice, widen's once)
        NDArray h = Layers.conv(Layers.activate(Layers.normalise(b, config.norm(), reduce.gamma(), reduce.beta()),
                config.activation(), reduce.slope()), reduce.weight(), reduce.bias(), 2);
        NDArray flat = Layers.activate(h, config.activation(), reduce.slope()).reshape(n, -1);
        NDArray mean = flat.matMul(meanWeight).add(meanBias);
        NDArray logVariance = flat.matMul(logVarianceWeight).add(logVarianceBias);
        float[] noise = new float[Math.toIntExact(n * LATENT)];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        NDArray epsilon = b.getManager().create(noise, new Shape(n, LATENT)).toType(b.getDataType(), false);
        NDArray z = Scalars.times(logVariance, 0.5).exp().mul(epsilon).add(mean);
        NDArray expanded = Layers.activate(z.matMul(expandWeight).add(expandBias), config.activation(),
                widen.slope())
                .reshape(new Shape(n).addAll(reduced));
        NDArray r = Layers.upsample(widen.apply(expanded));
        r = toShuffle.apply(r);
        for (InvertibleBlock block : upsampling) {
            r = block.forward(r);
        }
        NDArray reconstruction = output.apply(r);
        NDArray l2 = SegmentationLosses.meanSquaredError(reconstruction, image);
        NDArray kl = SegmentationLosses.gaussianKl(mean, logVariance);
        return new Terms(Scalars.times(l2.add(kl), weight), l2, kl);
    }

    List<NDArray> parameters() {
        if (parameters.isEmpty()) {
            parameters.addAll(reduce.parameters());
            parameters.addAll(List.of(meanWeight, meanBias, logVarianceWeight, logVarianceBias, expandWeight,
                    expandBias));
            parameters.addAll(widen.parameters());
            parameters.addAll(toShuffle.parameters());
            upsampling.forEach(b -> parameters.addAll(b.parameters()));
            parameters.addAll(output.parameters());
        }
        return parameters;
    }
}
