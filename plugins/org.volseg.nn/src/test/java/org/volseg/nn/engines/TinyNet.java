package org.volseg.nn.engines;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import java.util.List;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.invertible.AdditiveCoupling;
import org.volseg.nn.invertible.HouseholderMixing;
import org.volseg.nn.invertible.InvertibleBlock;
import org.volseg.nn.invertible.ReversibleSequence;
import org.volseg.nn.losses.SegmentationLosses;

/** A tiny trainable network for the trainer's tests: a plain 3³ stem, a reversible body, a plain 1³ head. */
final class TinyNet implements Trainable {

    private final SegmentTape tape;
    private final int classes;

    /** Parameters drawn from PyTorch's generator seeded with {@code seed}: equal seeds, equal networks. */
    TinyNet(NDManager m, int channels, int classes, int width, int seed) {
        this.classes = classes;
        this.tape = DjlContext.call(() -> {
            Engine.getEngine("PyTorch").setRandomSeed(seed);
            NDArray stemW = param(m.randomNormal(0, 0.3f, new Shape(width, channels, 3, 3, 3), DataType.FLOAT32),
                    "stem.weight");
            NDArray stemB = param(m.zeros(new Shape(width), DataType.FLOAT32), "stem.bias");
            NDArray headW = param(m.randomNormal(0, 0.3f, new Shape(classes, width, 1, 1, 1), DataType.FLOAT32),
                    "head.weight");
            NDArray headB = param(m.zeros(new Shape(classes), DataType.FLOAT32), "head.bias");
            List<InvertibleBlock> body = List.of(new AdditiveCoupling(m, width, DataType.FLOAT32),
                    new HouseholderMixing(m, width, width, DataType.FLOAT32),
                    new AdditiveCoupling(m, width, DataType.FLOAT32));
            ReversibleSequence chain = new ReversibleSequence(body);
            List<NDArray> bodyParams = chain.parameters();
            for (int i = 0; i < bodyParams.size(); i++) {
                bodyParams.get(i).setName("body." + i);
            }
            return new SegmentTape(List.of(
                    Segment.Plain.onTop(x -> {
                        NDArray c = Conv3d.conv3d(x, stemW, stemB, new Shape(1, 1, 1), new Shape(1, 1, 1))
                                .singletonOrThrow();
                        return c.maximum(c.mul(0.01));
                    }, List.of(stemW, stemB)),
                    new Segment.Reversible(chain),
                    Segment.Plain.onTop(x -> Conv3d.conv3d(x, headW, headB).singletonOrThrow(),
                            List.of(headW, headB))));
        });
    }

    private static NDArray param(NDArray a, String name) {
        a.setName(name);
        a.setRequiresGradient(true);
        return a;
    }

    @Override
    public List<NDArray> parameters() {
        return tape.parameters();
    }

    @Override
    public double step(NDArray image, NDArray oneHot, long stepSeed) {
        return tape.step(image, out -> SegmentationLosses.diceCrossEntropy(out, oneHot));
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
