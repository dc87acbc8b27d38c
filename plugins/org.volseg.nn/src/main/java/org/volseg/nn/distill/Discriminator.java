package org.volseg.nn.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.Scalars;
import org.volseg.nn.networks.Parameters;

/**
 * Graph Flow's patch discriminator on logits (SAGAN's, SEED_METHODS.md §3(b).4), in 3D: tanh, then strided 4³
 * convolutions (stride 2, widths w, 2w, 4w, 8w) with spectral normalisation and LeakyReLU(0.1), self-attention
 * after the two deepest, and a final 4³ convolution without padding to a map of patch scores. As many strided
 * levels (up to 4) as the window allows, so that the last one is still 2³ or more; the final kernel shrinks to fit.
 * Trained as a WGAN critic with gradient penalty: teacher logits are "real", the student's "fake". Feed it one
 * sample at a time in float32 (as the distiller does): PyTorch 2.7.1's CPU float32 conv3d computes wrong, sometimes
 * NaN, input gradients for batches of 2 or more, and the penalty is an input gradient.
 */
public final class Discriminator {

    /** LeakyReLU's slope in the reference. */
    private static final float LEAK = 0.1f;
    /** The gradient penalty's weight, fixed in the reference. */
    public static final double PENALTY_WEIGHT = 10;

    /** A spectrally normalised convolution: W / σ(W), σ by one power iteration per training forward. */
    private static final class SpectralConv {
        final NDArray weight;
        final NDArray bias;
        /** The power iteration's left singular vector estimate (out channels); a buffer, not trained. */
        NDArray u;

        SpectralConv(NDArray weight, NDArray bias, NDArray u) {
            this.weight = weight;
            this.bias = bias;
            this.u = u;
        }

        NDArray apply(NDArray x, boolean update) {
            long out = weight.getShape().get(0);
            NDArray matrix = weight.reshape(out, -1);
            if (update) {
                GradMode.with(false, () -> {
                    try (NDManager scope = u.getManager().newSubManager()) {
                        NDArray m = matrix.stopGradient();
                        m.attach(scope);
                        NDArray v = unit(m.transpose().matMul(u.expandDims(1)).squeeze(1));
                        NDArray next = unit(m.matMul(v.expandDims(1)).squeeze(1));
                        next.attach(u.getManager());
                        u.close();
                        u = next;
                    }
                    return null;
                });
            }
            // σ = uᵀ W v with u, v constants: the gradient reaches W through σ as in PyTorch's spectral_norm
            NDArray constantU = u.stopGradient();
            NDArray v = GradMode.with(false, () -> unit(matrix.stopGradient().transpose().matMul(constantU.expandDims(1))
                    .squeeze(1)));
            NDArray sigma = constantU.expandDims(0).matMul(matrix).matMul(v.expandDims(1)).reshape(new Shape());
            NDArray normalised = weight.div(sigma);
            return Conv3d.conv3d(x, normalised, bias, new Shape(2, 2, 2), new Shape(1, 1, 1)).singletonOrThrow();
        }

        private static NDArray unit(NDArray v) {
            return v.div(v.square().sum().add(Scalars.constant(v, 1e-24)).sqrt());
        }
    }

    /** SAGAN's self-attention: y = γ · V softmax(QᵀK) + x, Q and K at C/8 channels, γ from 0. */
    private record Attention(NDArray query, NDArray key, NDArray value, NDArray gamma) {

        NDArray apply(NDArray x) {
            Shape s = x.getShape();
            long n = s.get(0);
            long c = s.get(1);
            long positions = s.get(2) * s.get(3) * s.get(4);
            NDArray q = conv1(x, query).reshape(n, -1, positions);
            NDArray k = conv1(x, key).reshape(n, -1, positions);
            NDArray v = conv1(x, value).reshape(n, c, positions);
            NDArray attention = q.transpose(0, 2, 1).matMul(k).softmax(2); // N × positions × positions
            NDArray out = v.matMul(attention.transpose(0, 2, 1)).reshape(s);
            return out.mul(gamma).add(x);
        }

        private static NDArray conv1(NDArray x, NDArray weight) {
            return Conv3d.conv3d(x, weight).singletonOrThrow();
        }

        List<NDArray> parameters() {
            return List.of(query, key, value, gamma);
        }
    }

    private final List<SpectralConv> levels;
    private final List<Attention> attention;
    private final NDArray finalWeight;
    private final NDArray finalBias;
    private final List<NDArray> parameters;

    private Discriminator(List<SpectralConv> levels, List<Attention> attention, NDArray finalWeight,
            NDArray finalBias, List<NDArray> parameters) {
        this.levels = levels;
        this.attention = attention;
        this.finalWeight = finalWeight;
        this.finalBias = finalBias;
        this.parameters = parameters;
    }

    /**
     * A freshly initialised critic of {@code classes}-channel logits windows of smallest edge {@code edge}, first
     * width {@code width} (the reference's 64 is for 2D; 3D affords less).
     */
    public static Discriminator create(Parameters p, int classes, int edge, int width) {
        int strided = 0;
        while (strided < 4 && (edge >> (strided + 1)) >= 2) {
            strided++;
        }
        if (strided == 0) {
            throw new IllegalArgumentException("a window of " + edge + " voxels is too small for the discriminator; "
                    + "it needs 4 or more");
        }
        SplittableRandom random = new SplittableRandom(strided * 31L + width);
        List<SpectralConv> levels = new ArrayList<>();
        List<Attention> attention = new ArrayList<>();
        List<NDArray> all = new ArrayList<>();
        int in = classes;
        for (int i = 0; i < strided; i++) {
            int out = width << i;
            double bound = 1 / Math.sqrt(in * 64.0);
            NDArray w = p.uniform("discriminator.level" + i + ".weight", new Shape(out, in, 4, 4, 4), bound);
            NDArray b = p.uniform("discriminator.level" + i + ".bias", new Shape(out), bound);
            float[] u = new float[out];
            for (int j = 0; j < out; j++) {
                u[j] = (float) random.nextGaussian();
            }
            NDArray raw = w.getManager().create(u);
            NDArray start = raw.toType(w.getDataType(), false);
            levels.add(new SpectralConv(w, b, start.div(start.norm())));
            raw.close();
            start.close();
            all.add(w);
            all.add(b);
            if (i >= strided - 2) {
                int reduced = Math.max(1, out / 8);
                String name = "discriminator.attention" + i;
                Attention a = new Attention(p.uniform(name + ".query", new Shape(reduced, out, 1, 1, 1),
                        1 / Math.sqrt(out)), p.uniform(name + ".key", new Shape(reduced, out, 1, 1, 1),
                        1 / Math.sqrt(out)), p.uniform(name + ".value", new Shape(out, out, 1, 1, 1),
                        1 / Math.sqrt(out)), p.zeros(name + ".gamma", new Shape(1)));
                attention.add(a);
                all.addAll(a.parameters());
            } else {
                attention.add(null);
            }
            in = out;
        }
        int last = Math.min(4, edge >> strided);
        NDArray fw = p.uniform("discriminator.score.weight", new Shape(1, in, last, last, last),
                1 / Math.sqrt(in * Math.pow(last, 3)));
        NDArray fb = p.uniform("discriminator.score.bias", new Shape(1), 1 / Math.sqrt(in * Math.pow(last, 3)));
        all.add(fw);
        all.add(fb);
        return new Discriminator(levels, attention, fw, fb, all);
    }

    /**
     * Patch scores N × 1 × d × h × w of logits N × K × D × H × W; {@code update} advances the spectral norms'
     * power iteration (once per training step, as PyTorch's training mode does).
     */
    public NDArray scores(NDArray logits, boolean update) {
        NDArray h = logits.tanh();
        for (int i = 0; i < levels.size(); i++) {
            h = Activation.leakyRelu(levels.get(i).apply(h, update), LEAK);
            if (attention.get(i) != null) {
                h = attention.get(i).apply(h);
            }
        }
        return Conv3d.conv3d(h, finalWeight, finalBias).singletonOrThrow();
    }

    /** The trainable parameters (the power iteration's vectors are buffers, not among them). */
    public List<NDArray> parameters() {
        return parameters;
    }

    /** The student's adversarial term: −mean D(student), differentiable in the student's logits. */
    public NDArray generatorLoss(NDArray studentLogits) {
        return scores(studentLogits, false).mean().neg();
    }

    /** The critic's loss and its gradient penalty (unweighted), scalars with graphs. */
    public record CriticLoss(NDArray loss, NDArray penalty) {
    }

    /**
     * The critic's WGAN-GP loss, −mean D(T) + mean D(S) + 10 · mean_n (‖∇D(x̂_n)‖ − 1)² with x̂ = αT + (1 − α)S,
     * α uniform per sample from {@code seed}; T and S carry no gradient. Computing the penalty's input gradient
     * changes the parameters' gradients: they are zeroed before the loss is returned. {@code update} advances the
     * spectral norms (on the teacher's pass).
     */
    public CriticLoss criticLoss(NDArray teacherLogits, NDArray studentLogits, long seed, boolean update) {
        NDArray real = teacherLogits.stopGradient();
        NDArray fake = studentLogits.stopGradient();
        long n = real.getShape().get(0);
        float[] alpha = new float[(int) n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            alpha[i] = (float) random.nextDouble();
        }
        NDArray raw = real.getManager().create(alpha, new Shape(n, 1, 1, 1, 1));
        NDArray a = raw.toType(real.getDataType(), false).duplicate();
        raw.close();
        NDArray mixed = real.mul(a).add(fake.mul(a.neg().add(1))).stopGradient();
        mixed.setRequiresGradient(true);
        NDArray mixedScore = GradMode.with(true, () -> scores(mixed, false).sum());
        NDArray gradient = GradMode.gradientWithGraph(mixedScore, mixed);
        zeroGradients();
        return GradMode.with(true, () -> {
            NDArray penalty = gradient.square().reshape(n, -1).sum(new int[] {1}).sqrt().sub(1).square().mean();
            NDArray loss = scores(real, update).mean().neg().add(scores(fake, false).mean())
                    .add(Scalars.times(penalty, PENALTY_WEIGHT));
            return new CriticLoss(loss, penalty);
        });
    }

    /**
     * One critic update's gradients: leaves the WGAN-GP loss's gradient in the (zeroed) parameters and returns the
     * loss and the penalty.
     */
    public double[] criticStep(NDArray teacherLogits, NDArray studentLogits, long seed) {
        try (NDManager scope = teacherLogits.getManager().newSubManager()) {
            parameters.forEach(q -> q.tempAttach(scope));
            NDArray real = teacherLogits.stopGradient();
            NDArray fake = studentLogits.stopGradient();
            real.attach(scope);
            fake.attach(scope);
            CriticLoss critic = criticLoss(real, fake, seed, true);
            GradMode.backward(critic.loss());
            return new double[] {critic.loss().toType(DataType.FLOAT64, false).getDouble(),
                critic.penalty().toType(DataType.FLOAT64, false).getDouble()};
        }
    }

    /** Zeroes every parameter's gradient. */
    public void zeroGradients() {
        GradMode.with(false, () -> {
            parameters.forEach(GradMode::zeroGradient);
            return null;
        });
    }
}
