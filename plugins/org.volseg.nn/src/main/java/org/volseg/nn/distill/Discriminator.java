package org.volseg.nn.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.volseg.nn.engine.Convolution;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.Scalars;
import org.volseg.nn.networks.Parameters;

/**
 * Graph Flow's patch discriminator on logits (SAGAN's, SEED_METHODS.md §3(b).4), in 3D: tanh, then strided 4³
 * convolutions (stride 2, widths w, 2w, 4w, 8w) with spectral normalisation and LeakyReLU(0.1), self-attention
 * after the two deepest, and a final 4³ convolution without padding to a map of patch scores. As many strided
 * levels (up to 4) as the window allows, so that the last one is still 2³ or more; the final kernel shrinks to fit.
 * Trained with the hinge loss (spectral normalisation keeps it Lipschitz, as in SAGAN): teacher logits are "real",
 * the student's "fake". Its convolutions go through {@link org.volseg.nn.engine.Convolution}: the student's
 * adversarial term back-propagates through their input gradients, which PyTorch's CPU float32 4³ kernels get wrong.
 */
public final class Discriminator {

    /** LeakyReLU's slope in the reference. */
    private static final float LEAK = 0.1f;

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
                    NDManager home = u.getManager();
                    try (NDManager scope = home.newSubManager()) {
                        u.tempAttach(scope); // its temporaries land in the scope, not beside the parameters
                        NDArray m = matrix.stopGradient();
                        m.attach(scope);
                        NDArray v = unit(m.transpose().matMul(u.expandDims(1)).squeeze(1));
                        NDArray next = unit(m.matMul(v.expandDims(1)).squeeze(1));
                        next.attach(home);
                        u.close();
                        u = next;
                    }
                    return null;
                });
            }
            // σ = uᵀ W v with u, v constants: the gradient reaches W through σ as in PyTorch's spectral_norm; every
            // array here lives in the activation's (per-step) manager
            NDArray constantU = u.stopGradient();
            constantU.attach(x.getManager());
            NDArray v = GradMode.with(false, () -> unit(constantU.expandDims(1).transpose().matMul(
                    matrix.stopGradient()).squeeze(0)));
            NDArray sigma = constantU.expandDims(0).matMul(matrix).matMul(v.expandDims(1)).reshape(new Shape());
            NDArray normalised = weight.div(sigma);
            return Convolution.conv3d(x, normalised, bias, 2, 1, 1);
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
            return Convolution.conv3d(x, weight, null, 0);
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
        return Convolution.conv3d(h, finalWeight, finalBias, 0);
    }

    /** The trainable parameters (the power iteration's vectors are buffers, not among them). */
    public List<NDArray> parameters() {
        return parameters;
    }

    /** The student's adversarial term (the hinge GAN's generator loss): −mean D(student), differentiable in them. */
    public NDArray generatorLoss(NDArray studentLogits) {
        // lent to the caller's step, so that arrays made from the parameters are freed with it
        parameters.forEach(q -> q.tempAttach(studentLogits.getManager()));
        return scores(studentLogits, false).mean().neg();
    }

    /**
     * The critic's hinge loss, mean relu(1 − D(T)) + mean relu(1 + D(S)), T and S carrying no gradient; {@code update}
     * advances the spectral norms (on the teacher's pass). Not the reference's WGAN-GP: its penalty needs the input
     * gradient as a differentiable tensor, which DJL gives only through a create-graph backward into every
     * parameter's gradient, whose reference cycles PyTorch cannot free without resetting gradients to None (DJL
     * cannot): measured +5.3 MB per critic step, 5.5 GB after 1,000 steps.
     */
    public NDArray criticLoss(NDArray teacherLogits, NDArray studentLogits, boolean update) {
        NDArray real = teacherLogits.stopGradient();
        NDArray fake = studentLogits.stopGradient();
        return GradMode.with(true, () -> {
            NDArray one = Scalars.constant(real, 1);
            NDArray realTerm = Activation.relu(one.sub(scores(real, update))).mean();
            NDArray fakeTerm = Activation.relu(one.add(scores(fake, false))).mean();
            return realTerm.add(fakeTerm);
        });
    }

    /**
     * One critic update's gradients: adds the hinge loss's gradient to the parameters' (zero them first) and returns
     * the loss.
     */
    public double criticStep(NDArray teacherLogits, NDArray studentLogits) {
        try (NDManager scope = teacherLogits.getManager().newSubManager()) {
            parameters.forEach(q -> q.tempAttach(scope));
            NDArray real = teacherLogits.stopGradient();
            NDArray fake = studentLogits.stopGradient();
            real.attach(scope);
            fake.attach(scope);
            NDArray loss = criticLoss(real, fake, true);
            GradMode.backward(loss);
            return loss.toType(DataType.FLOAT64, false).getDouble();
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
