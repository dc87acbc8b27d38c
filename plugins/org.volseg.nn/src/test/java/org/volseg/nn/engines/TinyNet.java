package org.volseg.nn.engines;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import java.util.List;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.invertible.InvertibleBlock;
import org.volseg.nn.invertible.ReversibleSequence;

/**
 * A tiny trainable network for the trainer's tests: a plain 3³ stem, a reversible body of two additive couplings,
 * a plain 1³ head, run by a {@link SegmentTape}; loss soft Dice (foreground) + cross-entropy.
 *
 * <p>Nothing in its autograd graph multiplies or divides by a Java number: DJL wraps the number in a tensor over a
 * Java direct buffer and closes it at once, autograd keeps that tensor for the backward pass, and after a garbage
 * collection the backward reads freed memory (sporadic garbage gradients, seen up to 1e38). So the couplings use
 * ReLU (the library's AdditiveCoupling multiplies by its leak) and the Dice doubles by adding.
 */
final class TinyNet implements Trainable {

    private final SegmentTape tape;
    private final int classes;
    private final SegmentTape.Backprop backprop;

    /** Parameters drawn from PyTorch's generator seeded with {@code seed}: equal seeds, equal networks. */
    TinyNet(NDManager m, int channels, int classes, int width, int seed) {
        this(m, channels, classes, width, seed, SegmentTape.Backprop.REVERSIBLE);
    }

    TinyNet(NDManager m, int channels, int classes, int width, int seed, SegmentTape.Backprop backprop) {
        this.classes = classes;
        this.backprop = backprop;
        this.tape = DjlContext.call(() -> {
            Engine.getEngine("PyTorch").setRandomSeed(seed);
            NDArray stemW = param(m.randomNormal(0, 0.3f, new Shape(width, channels, 3, 3, 3), DataType.FLOAT32),
                    "stem.weight");
            NDArray stemB = param(m.zeros(new Shape(width), DataType.FLOAT32), "stem.bias");
            NDArray headW = param(m.randomNormal(0, 0.3f, new Shape(classes, width, 1, 1, 1), DataType.FLOAT32),
                    "head.weight");
            NDArray headB = param(m.zeros(new Shape(classes), DataType.FLOAT32), "head.bias");
            ReversibleSequence body = new ReversibleSequence(List.of(new Coupling(m, width, "body.0"),
                    new Coupling(m, width, "body.1")));
            return new SegmentTape(List.of(
                    Segment.Plain.onTop(x -> Activation.relu(Conv3d.conv3d(x, stemW, stemB, new Shape(1, 1, 1),
                            new Shape(1, 1, 1)).singletonOrThrow()), List.of(stemW, stemB)),
                    new Segment.Reversible(body),
                    Segment.Plain.onTop(x -> Conv3d.conv3d(x, headW, headB).singletonOrThrow(),
                            List.of(headW, headB))));
        });
    }

    private static NDArray param(NDArray a, String name) {
        a.setName(name);
        a.setRequiresGradient(true);
        return a;
    }

    /** y1 = x1 + relu(F(x2)), y2 = x2 + relu(G(y1)) with 3³ convolutions F and G of small weights. */
    private static final class Coupling implements InvertibleBlock {
        private final NDArray weightF;
        private final NDArray biasF;
        private final NDArray weightG;
        private final NDArray biasG;

        Coupling(NDManager m, int channels, String name) {
            int half = channels / 2;
            float scale = (float) (0.1 * Math.sqrt(2.0 / (half * 27)));
            weightF = param(m.randomNormal(0, scale, new Shape(half, half, 3, 3, 3), DataType.FLOAT32),
                    name + ".f.weight");
            biasF = param(m.zeros(new Shape(half), DataType.FLOAT32), name + ".f.bias");
            weightG = param(m.randomNormal(0, scale, new Shape(half, half, 3, 3, 3), DataType.FLOAT32),
                    name + ".g.weight");
            biasG = param(m.zeros(new Shape(half), DataType.FLOAT32), name + ".g.bias");
        }

        private static NDArray residual(NDArray x, NDArray w, NDArray b) {
            return Activation.relu(Conv3d.conv3d(x, w, b, new Shape(1, 1, 1), new Shape(1, 1, 1))
                    .singletonOrThrow());
        }

        @Override
        public NDArray forward(NDArray x) {
            NDList halves = x.split(2, 1);
            NDArray y1 = halves.get(0).add(residual(halves.get(1), weightF, biasF));
            NDArray y2 = halves.get(1).add(residual(y1, weightG, biasG));
            return y1.concat(y2, 1);
        }

        @Override
        public NDArray inverse(NDArray y) {
            NDList halves = y.split(2, 1);
            NDArray x2 = halves.get(1).sub(residual(halves.get(0), weightG, biasG));
            NDArray x1 = halves.get(0).sub(residual(x2, weightF, biasF));
            return x1.concat(x2, 1);
        }

        @Override
        public List<NDArray> parameters() {
            return List.of(weightF, biasF, weightG, biasG);
        }
    }

    /** 1 − mean foreground soft Dice + cross-entropy, as SegmentationLosses.diceCrossEntropy, scalars added only. */
    static NDArray loss(NDArray logits, NDArray oneHot) {
        int[] voxels = {2, 3, 4};
        NDArray probabilities = logits.softmax(1);
        NDArray intersection = probabilities.mul(oneHot).sum(voxels);
        NDArray numerator = intersection.add(intersection).add(1e-5);
        NDArray denominator = probabilities.sum(voxels).add(oneHot.sum(voxels)).add(1e-5);
        NDArray dice = numerator.div(denominator).get(":, 1:");
        NDArray crossEntropy = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
        return dice.mean().neg().add(1).add(crossEntropy);
    }

    @Override
    public List<NDArray> parameters() {
        return tape.parameters();
    }

    @Override
    public double step(NDArray image, NDArray oneHot, long stepSeed) {
        return tape.step(List.of(image), (outputs, taps) -> loss(outputs.get(outputs.size() - 1), oneHot), backprop);
    }

    @Override
    public NDArray logits(NDArray image) {
        return tape.predict(image);
    }

    @Override
    public int classes() {
        return classes;
    }
}
